#!/bin/bash
# test_trunk.sh - the PBX and its carriers. A second ondo plays the carrier
# (its own tenant, an account for the PBX, a phone of its own); SIPp plays
# a second carrier that is out of service (503). Checked:
# - the trunk registers with digest auth, shows in `trunk status`, and
#   refreshes before the carrier's 60 s expiry;
# - an outbound route needs the class of service it names (403 before
#   the extension has it); the first trunk's 503 fails over to the next;
#   the out-of-service carrier saw the number rewritten and the
#   extension's DID as caller ID (From and P-Asserted-Identity);
# - the call through the working carrier carries tones both ways;
# - a call from the carrier to the PBX's DID reaches the extension the
#   DID points to, tones both ways;
# - an emergency number goes out whatever the caller's class.
. "$(dirname "$0")/../lib/common.sh"
test_init "SIP trunks: registration, outbound with failover, inbound DID"

DOM=t1.test
CDOM=carrier.test
ACCOUNT=4930555000
ACCOUNT_PW='trunk-pw-4930'

# ---- the carrier: its own tenant, the PBX's account, its phone bob ----
ondo_select carrier
ONDO_DEFAULT_TENANT=$CDOM start_ondo "$T_DIR/carrier"
provision tenant add carrier "$CDOM"
provision ext add "$CDOM" "$ACCOUNT" --password "$ACCOUNT_PW"
provision ext add "$CDOM" 4930999 --password 'pw-bob-4930999'
CARRIER_PORT=$ONDO_SIP_PORT
make_tone "$T_DIR/1300.wav" 1300
baresip_setup bob "<sip:4930999@$CDOM>;auth_pass=pw-bob-4930999;answermode=auto" \
	"$T_DIR/1300.wav"

# ---- the PBX: alice 1001 with her own DID ----
ondo_select main
ONDO_DEFAULT_TENANT=$DOM start_ondo
provision tenant add t1 "$DOM"
provision tenant main-number "$DOM" +4930555000
provision ext add "$DOM" 1001 --password 'pw-alice-1001'
provision ext did "$DOM" 1001 +4930555001
provision ext cos "$DOM" 1001 national
provision did add "$DOM" +4930555000 extension 1001
# Alice's phone sends audio from the first 183 (early media while the
# carriers are tried and bob rings): her tone lasts the whole call.
sox -n -r 8000 -c 1 -b 16 "$T_DIR/600.wav" synth 25 sine 600 vol 0.5 pad 0 5
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-alice-1001;answermode=auto" \
	"$T_DIR/600.wav"

# The dead carrier: SIPp on 127.0.0.2 answering every INVITE with 503
# (and OPTIONS pings with 200, -aa).
DEAD_PORT=$(free_port)
sipp_bg dead carrier_503.xml -i 127.0.0.2 -p "$DEAD_PORT" -aa
sipp_wait_listening_on 127.0.0.2 "$DEAD_PORT" ||
	fatal "the SIPp carrier did not start listening"

# Trunks added while the daemon runs: ondoctl tells it to reload.
provision trunk add "$DOM" dead --host 127.0.0.2 --port "$DEAD_PORT" \
	--auth ip --out-strip 3 --out-prefix 0
provision trunk add "$DOM" carrier --host 127.0.0.1 --port "$CARRIER_PORT" \
	--auth register --username "$ACCOUNT" --password "$ACCOUNT_PW" \
	--expiry 60 --out-strip 1 --in-prefix +
provision route add "$DOM" '_00.' trunk 'dead,carrier +${1}' --cos international
provision route add "$DOM" 112 trunk 'carrier +112' --cos international

carrier_has_us() {
	ondo_select carrier
	ondoctl reg list 2>/dev/null | grep -q "^$ACCOUNT@$CDOM "
	local rc=$?
	ondo_select main
	return $rc
}
if wait_until 10 carrier_has_us; then
	pass "the trunk registered at the carrier (digest auth answered)"
else
	fatal "the trunk did not register:$(echo; grep trunk "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi
check "trunk status shows it registered" \
	sh -c "'$ONDOCTL_BIN' -c '$ONDO_CONF' trunk status | grep -E '^t1.test +carrier +registered'"

# The token in the Contact is the trunk's secret: the same Request-URI
# from an address other than the carrier's is a stranger (challenged).
ondo_select carrier
TOKEN=$(ondoctl reg list | awk -v a="$ACCOUNT@$CDOM" '$1 == a {print $2}' |
	sed -E 's/^sip:([^@]+)@.*/\1/')
ondo_select main
check "the Contact carries a random token ('$TOKEN')" \
	grep -qE '^[0-9a-f]{16}$' <<<"$TOKEN"
sipp_run spoof "$(sipp_carrier_code 407)" -i 127.0.0.3 -p "$(free_port)" \
	-key callee "$TOKEN" -key user 4917000 -mp "$(free_port)"
check "the token from another address is challenged, not taken as the carrier" \
	[ "$SIPP_RC" -eq 0 ]

for p in alice bob; do
	[ $p = bob ] && ondo_select carrier
	baresip_start $p
	baresip_wait_registered $p || fatal "$p did not register:$(baresip_log_tail $p)"
	ondo_select main
done
pass "alice registered at the PBX, bob at the carrier"

# ---- class of service ----
baresip_cmd alice dial "sip:004930999@$DOM" >/dev/null
if baresip_wait_log alice 10 '403 Forbidden'; then
	pass "a national extension may not use the international route (403)"
else
	fail "the international route was not refused:$(baresip_log_tail alice)"
fi
provision ext cos "$DOM" 1001 international

# ---- outbound: 503 from the first carrier, then the second ----
baresip_cmd alice dial "sip:004930999@$DOM" >/dev/null
for p in alice bob; do
	if baresip_wait_log $p 15 'Call established'; then
		pass "$p: outbound call established"
	else
		fatal "$p: no call:$(baresip_log_tail $p)"
	fi
done
kill -TERM "${SIPP_PIDS[dead]}" 2>/dev/null
sipp_wait dead
inv=$(awk '/^INVITE /,/^$/' "$T_DIR/dead.msg")
check "the dead carrier got the number rewritten (+4930999 -> 030999)" \
	grep -q '^INVITE sip:030999@127.0.0.2' <<<"$inv"
check "... with alice's DID as From (030555001)" \
	grep -qi '^From: <sip:030555001@' <<<"$inv"
check "... and as P-Asserted-Identity" \
	grep -qi '^P-Asserted-Identity: <sip:030555001@' <<<"$inv"
check "the PBX logged the failover to the next trunk" \
	grep -q 'trunk dead failed for +4930999; trying the next' "$ONDO_LOG"
sleep 5
baresip_cmd alice hangup >/dev/null || true
for p in alice bob; do
	baresip_wait_log $p 10 'terminated|session closed' || fail "$p: call still up"
done
baresip_heard bob 600 "alice (through the trunk)"
baresip_heard alice 1300 "bob (through the trunk)"
if wait_cdr 5 2; then
	IFS='|' read -r callee disp <<<"$(cdr_row "callee, disposition")"
	check "CDR: 004930999 ANSWERED (got '$callee' '$disp')" \
		[ "$callee" = 004930999 -a "$disp" = ANSWERED ]
else
	fail "no CDR of the outbound call"
fi

# ---- inbound: bob calls the PBX's number at the carrier ----
ondo_select carrier
baresip_cmd bob dial "sip:$ACCOUNT@$CDOM" >/dev/null
ondo_select main
for p in alice bob; do
	if baresip_wait_log $p 15 'Call established' 2; then
		pass "$p: inbound call established"
	else
		fatal "$p: no inbound call:$(baresip_log_tail $p)"
	fi
done
check "the PBX took the call as its DID +$ACCOUNT -> extension 1001" \
	grep -q "carrier: call to DID +$ACCOUNT -> extension 1001" "$ONDO_LOG"
sleep 5
baresip_cmd bob hangup >/dev/null || true
for p in alice bob; do
	baresip_wait_log $p 10 'terminated|session closed' 2 || fail "$p: call still up"
done
baresip_heard alice 1300 "bob (a call in from the carrier)"
baresip_heard bob 600 "alice (answering the DID)"

# ---- emergency: goes out even for the lowest class ----
provision ext cos "$DOM" 1001 internal
baresip_cmd alice dial "sip:112@$DOM" >/dev/null
if baresip_wait_log alice 10 '404 Not Found'; then
	pass "112 went out to the carrier (which has no such number: 404), not refused"
else
	fail "the emergency call did not go out:$(baresip_log_tail alice)"
fi

# ---- the registration was refreshed before the carrier's 60 s expiry ----
refreshed() { grep -q 'trunk carrier: registration refreshed' "$ONDO_LOG"; }
if wait_until 70 refreshed; then
	pass "the trunk refreshed its registration"
else
	fail "no refresh of the trunk's registration within 70 s"
fi
check "still registered after the refresh" carrier_has_us
stop_ondo
ondo_select carrier
stop_ondo
finish
