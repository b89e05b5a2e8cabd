#!/bin/bash
# test_loop.sh - a call loop ends: a trunk pointed back at the PBX itself
# with a DID whose calls go out by that trunk again. Each round is a new
# call whose INVITE carries one Max-Forwards less; the caller's
# Max-Forwards: 4 lets the call go out four times (with 3, 2, 1, 0), then
# the PBX answers 483 Too Many Hops to itself, every call of the loop
# ends, and the caller hears that nobody could be reached (480).
. "$(dirname "$0")/../lib/common.sh"
test_init "loops: Max-Forwards ends a call forwarded in a circle"

DOM=t1.test
ONDO_DEFAULT_TENANT=$DOM start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password pw-loop-1001
# The PBX is its own carrier: its INVITEs come from 127.0.0.1.
provision trunk add "$DOM" self --host 127.0.0.1 --port "$ONDO_SIP_PORT" --auth ip
provision did add "$DOM" +49301234 number 0301234
provision route add "$DOM" '_0.' trunk 'self +49${1}'
wait_until 10 grep -q "self" <(ondoctl trunk status "$DOM" 2>/dev/null) ||
	fatal "the daemon did not load the trunk"

# 1001 dials from 127.0.0.3, so that it is not taken for the carrier.
sed 's/Max-Forwards: 70/Max-Forwards: 4/' "$(sipp_scenario_code 480)" >"$T_DIR/uac_mf4.xml"
sipp_run loop "$T_DIR/uac_mf4.xml" -i 127.0.0.3 -p "$(free_port)" \
	-mp "$(free_port_range 4)" -key user 1001 -key callee 0301234 \
	-au 1001 -ap pw-loop-1001
check "1001's call ends with 480 ($(sipp_codes loop))" [ "$SIPP_RC" -eq 0 ]
rounds=$(grep -c "via trunk self as +49301234" "$ONDO_LOG" || true)
check "the call went out four times, then stopped (went out $rounds times)" \
	[ "$rounds" = 4 ]
check "the PBX refused the fourth round itself: Max-Forwards 0" \
	grep -q "INVITE with Max-Forwards 0 (a call loop?): 483" "$ONDO_LOG"
calls_left
stop_ondo
finish
