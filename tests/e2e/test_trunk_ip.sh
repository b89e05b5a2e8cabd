#!/bin/bash
# test_trunk_ip.sh - carriers known by address, played by SIPp on other
# loopback addresses (127.0.0.2-5 are local too): a call from a trunk's
# address reaches the DID's destination without digest; the same call
# from an address no trunk lists is challenged like any stranger; a
# tenant's trunk cannot reach another tenant's DID; a shared trunk reaches
# every tenant; a full trunk says 503; `trunk status` counts the calls.
# Sources by prefix and by name: an address in a trunk's CIDR entry gets
# in and the one next to it is challenged; a trunk whose host is a name
# (localhost) admits what it resolves to; a name that does not resolve
# is logged.
. "$(dirname "$0")/../lib/common.sh"
test_init "IP-authenticated trunks: who may call which DID"

# A carrier's Request-URI names the PBX by address: the default tenant.
ONDO_DEFAULT_TENANT=t1.test start_ondo
provision tenant add t1 t1.test
provision tenant add t2 t2.test
for d in t1.test t2.test; do
	provision route add "$d" 600 echo
done
provision did add t1.test +4930111 number 600
provision did add t2.test +4930222 number 600
provision trunk add t1.test carrier-a --host 127.0.0.2 --auth ip --in-prefix +
provision trunk add t2.test carrier-b --host 127.0.0.4 --auth ip --in-prefix +
provision trunk add --shared upstream --host 127.0.0.9 --ips 127.0.0.5 \
	--auth ip --in-prefix +
provision trunk add t1.test carrier-c --host localhost --auth ip --in-prefix +
provision trunk add t2.test carrier-d --host carrier.invalid --auth ip \
	--ips 127.0.0.6/31,2001:db8::/32,nowhere.invalid --in-prefix +
FAIL_404=$(sipp_carrier_code 404)
FAIL_407=$(sipp_carrier_code 407)
FAIL_503=$(sipp_carrier_code 503)

# from IP, to NUMBER, expecting OUTCOME (a scenario path or "call")
carrier_try() {
	local name=$1 ip=$2 number=$3 sf=$4 what=$5
	sipp_run "$name" "$sf" -i "$ip" -p "$(free_port)" -key callee "$number" \
		-key user 4917000 -mp "$(free_port)" -d 1000
	if [ "$SIPP_RC" -eq 0 ]; then
		pass "$what"
	else
		fail "$what (SIPp exit $SIPP_RC):$(sipp_why "$name")"
	fi
}

carrier_try a_own 127.0.0.2 4930111 carrier_call.xml \
	"carrier-a's address reaches t1's DID +4930111 (200, no digest)"
check "... the PBX logged the trunk and the destination" \
	grep -q 'carrier-a: call to DID +4930111 -> number 600' "$ONDO_LOG"
carrier_try stranger 127.0.0.3 4930111 "$FAIL_407" \
	"the same INVITE from an address no trunk lists is challenged (407)"
carrier_try b_to_a 127.0.0.4 4930111 "$FAIL_404" \
	"t2's trunk cannot reach t1's DID (404)"
check "... and the PBX says why" \
	grep -q 'carrier-b: call to .+4930111. refused (404): a DID of another tenant' "$ONDO_LOG"
carrier_try b_own 127.0.0.4 4930222 carrier_call.xml \
	"t2's trunk reaches t2's own DID"
carrier_try nobody 127.0.0.2 4930999 "$FAIL_404" \
	"a number no tenant owns gets 404"
carrier_try shared_a 127.0.0.5 4930111 carrier_call.xml \
	"the shared trunk reaches t1's DID"
carrier_try shared_b 127.0.0.5 4930222 carrier_call.xml \
	"the shared trunk reaches t2's DID"

# Prefixes and names. The resolver thread looks names up after each
# load; the SIP thread learns the answer through its mailbox.
resolved() { grep -q 'carrier-c: localhost resolves to 127.0.0.1' "$ONDO_LOG"; }
if wait_until 5 resolved; then
	pass "the trunk's host name localhost was resolved off the SIP thread"
else
	fail "no 'localhost resolves to 127.0.0.1' in the log"
fi
carrier_try by_name 127.0.0.1 4930111 carrier_call.xml \
	"carrier-c (host localhost, no ips) admits 127.0.0.1 without digest"
carrier_try in_cidr 127.0.0.7 4930222 carrier_call.xml \
	"carrier-d's 127.0.0.6/31 admits 127.0.0.7"
carrier_try past_cidr 127.0.0.8 4930222 "$FAIL_407" \
	"127.0.0.8, just past 127.0.0.6/31, is challenged (407)"
check "a name in ips that does not resolve is logged" \
	grep -q 'carrier-d: cannot resolve nowhere.invalid' "$ONDO_LOG"

# A trunk at its limit: one call held for 4 s, a second one gets 503.
provision trunk set t1.test carrier-a --max-calls 1
sipp_bg held carrier_call.xml -i 127.0.0.2 -p "$(free_port)" \
	-key callee 4930111 -key user 4917000 -mp "$(free_port)" -d 4000
one_call() { ondoctl trunk status t1.test | grep -qE 'carrier-a +- +[a-z]+ +1/1'; }
if wait_until 5 one_call; then
	pass "trunk status counts the held call (1/1)"
else
	fail "trunk status does not show 1/1:$(echo; ondoctl trunk status t1.test | sed 's/^/       /')"
fi
carrier_try full 127.0.0.2 4930111 "$FAIL_503" \
	"a second call while the trunk is full gets 503"
sipp_wait held
check "the held call ended normally (SIPp exit $SIPP_RC)" [ "$SIPP_RC" -eq 0 ]
no_call() { ondoctl trunk status t1.test | grep -qE 'carrier-a +- +[a-z]+ +0/1'; }
if wait_until 5 no_call; then
	pass "the trunk's count is back to 0 after the call"
else
	fail "the count did not go back:$(echo; ondoctl trunk status t1.test | sed 's/^/       /')"
fi
stop_ondo
finish
