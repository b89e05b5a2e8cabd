#!/bin/bash
# test_flood.sh - flood limits ([security] req_rate, invite_rate): a burst
# of 300 REGISTERs from one address gets its first requests challenged and
# the rest 503 with Retry-After, every one answered, one log line for the
# flood; another address is served meanwhile; the flooding address is
# served again once its rate is back. An extension past its INVITEs a
# minute gets 403 while another extension still calls, and an emergency
# number still goes out.
. "$(dirname "$0")/../lib/common.sh"
test_init "flood limits: requests per source, INVITEs per extension"

DOM=t1.test
ONDO_EXTRA_CONF=$'[security]\nreq_rate = 20\ninvite_rate = 3'
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password pw-flood-1001
provision ext add "$DOM" 1002 --password pw-flood-1002
provision route add "$DOM" 911 echo # an emergency number (the default list)

flood() { "$PYTHON" "$TESTS_LIB/sip_flood.py" "$ONDO_SIP_PORT" "$DOM" "$@"; }

# ---- requests per source -----------------------------------------------------
read -r _ sent _ c401 _ c503 _ other _ retry <<<"$(flood 127.0.0.3 300 2)"
info "burst from 127.0.0.3: $sent sent, $c401 x 401, $c503 x 503, $other other, Retry-After $retry"
check "every request of the burst was answered ($((c401 + c503 + other)) of $sent)" \
	[ $((c401 + c503 + other)) -eq "$sent" ]
# A burst of twice the rate (40), plus what refills while it is sent.
check "the first ones were challenged as usual (40 to 70 x 401, got $c401)" \
	[ "$c401" -ge 40 ] && [ "$c401" -le 70 ]
check "the rest got 503 (got $c503)" [ "$c503" -ge 230 ]
check "with Retry-After: 5 (got $retry)" [ "$retry" = 5 ]
read -r _ _ _ o401 _ o503 _ _ <<<"$(flood 127.0.0.4 1 1)"
check "another address is served meanwhile (401: $o401, 503: $o503)" \
	[ "$o401" = 1 ] && [ "$o503" = 0 ]
check "the flood is one log line, naming the address" \
	[ "$(grep -c 'WARN flood 127.0.0.3: more than 20 requests a second' "$ONDO_LOG")" = 1 ]
sleep 2.2 # 20 a second: the bucket has 40 tokens again
read -r _ _ _ a401 _ a503 _ _ <<<"$(flood 127.0.0.3 10 1)"
check "the address is served again once its rate is back (401: $a401, 503: $a503)" \
	[ "$a401" = 10 ] && [ "$a503" = 0 ]

# ---- INVITEs per extension ---------------------------------------------------
# calls USER CALLEE CODE: a call expected to end with CODE
calls() {
	sipp_run "call_$1_$3_$RANDOM" "$(sipp_scenario_code "$3")" -p "$(free_port)" \
		-mp "$(free_port_range 4)" -key user "$1" -key callee "$2" \
		-au "$1" -ap "pw-flood-$1"
	[ "$SIPP_RC" -eq 0 ]
}
n404=0
for i in 1 2 3; do calls 1001 555 404 && n404=$((n404 + 1)); done
check "1001's first three calls a minute go through (404: nothing on 555; $n404 of 3)" \
	[ "$n404" = 3 ]
check "its fourth gets 403" calls 1001 555 403
check "the log says why" \
	grep -q "1001: more than 3 calls a minute; refused with 403" "$ONDO_LOG"
check "1002 still calls" calls 1002 555 404
sipp_run sos uac_call.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key user 1001 -key callee 911 -au 1001 -ap pw-flood-1001
check "1001's emergency call goes out past its rate ($(sipp_codes sos))" \
	[ "$SIPP_RC" -eq 0 ]

calls_left
stop_ondo
finish
