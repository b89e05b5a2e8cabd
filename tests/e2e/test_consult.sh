#!/bin/bash
# test_consult.sh - attended transfer keyed during a call (*2 + number),
# for phones without a transfer key. 1001 (A, 500 Hz), 1002 (B, 900 Hz),
# 1003 (C, 1300 Hz); the tenant's music on hold is a 2200 Hz tone.
#  - A calls B; B keys *21003#: A hears music, C rings; C answers, B and
#    C talk; B hangs up: A and C talk; nothing is left after A hangs up;
#  - C refuses: B talks to A again;
#  - the same hand-over on a call through a dial route (an app's bridge).
. "$(dirname "$0")/../lib/common.sh"
test_init "attended transfer by keys (*2): consult, hand over, refused, app call"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
for e in 1001 1002 1003; do
	provision ext add "$DOM" $e --password "pw-$e-cons"
done
provision route add "$DOM" 2002 dial 1002
MOH=$T_DIR/ondo/spool/tenants/$DOM/prompts/moh.wav
mkdir -p "$(dirname "$MOH")"
sox -n -r 8000 -c 1 -b 16 "$MOH" synth 10 sine 2200 vol 0.5

tone() { sox -n -r 8000 -c 1 -b 16 "$1" synth 100 sine "$2" vol 0.5; }
declare -A HZ=([1001]=500 [1002]=900 [1003]=1300)
for e in 1001 1002 1003; do
	tone "$T_DIR/$e.wav" "${HZ[$e]}"
	baresip_setup "p$e" "<sip:$e@$DOM>;auth_pass=pw-$e-cons" "$T_DIR/$e.wav"
	baresip_start "p$e"
done
for p in p1001 p1002 p1003; do
	baresip_wait_registered $p || fatal "phone $p did not register:$(baresip_log_tail $p)"
done
pass "three phones registered"

INCOMING='Incoming call'
EST='Call established'
call() { # NUMBER: A dials it, B answers
	local e r
	e=$(baresip_count p1001 "$EST")
	r=$(baresip_count p1002 "$INCOMING")
	baresip_cmd p1001 dial "sip:$1@$DOM" >/dev/null || fatal "A refused to dial"
	baresip_wait_log p1002 10 "$INCOMING" $((r + 1)) || fatal "B did not ring"
	baresip_cmd p1002 accept >/dev/null
	baresip_wait_log p1001 10 "$EST" $((e + 1)) || fatal "A's call was not answered"
}
# window SECONDS: prints "T0 T1" with two seconds clear after it: a
# recording's start is known to the second only, and a loaded machine
# (the sanitizer build) writes a phone's recording a little late.
window() {
	local t0
	t0=$(date +%s.%N)
	sleep "$1"
	echo "$t0 $(date +%s.%N)"
	sleep 2
}
consult() { # N: B keys *21003#, C's Nth ring comes
	baresip_keys p1002 '*21003#'
	baresip_wait_log p1003 15 "$INCOMING" "$1" || fatal "C did not ring:$(baresip_log_tail p1003)"
}

# ---- consult, then hand over ----------------------------------------------
call 1002
sleep 1
consult 1
baresip_cmd p1003 accept >/dev/null
baresip_wait_log p1003 10 "$EST" 1 || fatal "C's consultation call was not answered"
sleep 1
w1=$(window 2)
baresip_cmd p1002 hangup >/dev/null
check "the log says B handed A over to C" \
	wait_until 10 grep -q "1002 handed 1001 over to 1003 (\*2)" "$ONDO_LOG"
sleep 1
w2=$(window 2)
baresip_cmd p1001 hangup >/dev/null
check "C's call ended when A hung up" wait_until 10 no_calls
calls_left
sleep 0.5
# shellcheck disable=SC2086
{
	baresip_heard_window p1001 2200 "music on hold during the consultation" $w1 900,1300
	baresip_heard_window p1002 1300 "C's tone while consulting" $w1 500
	baresip_heard_window p1003 900 "B's tone while consulted" $w1 500
	baresip_heard_window p1001 1300 "C's tone after the hand-over" $w2 900
	baresip_heard_window p1003 500 "A's tone after the hand-over" $w2 900
}

# ---- C refuses: back to A --------------------------------------------------
call 1002
sleep 1
consult 2
baresip_cmd p1003 hangup >/dev/null # rejects: 486
check "the log says the consultation ended busy" \
	wait_until 10 grep -q "consultation of 1003 ended (busy)" "$ONDO_LOG"
sleep 1
w3=$(window 2)
baresip_cmd p1001 hangup >/dev/null
calls_left
sleep 0.5
# shellcheck disable=SC2086
{
	baresip_heard_window p1001 900 "B's tone again" $w3 2200
	baresip_heard_window p1002 500 "A's tone again" $w3 1300
}

# ---- an app's bridge (dial route) -------------------------------------------
call 2002
sleep 1
consult 3
baresip_cmd p1003 accept >/dev/null
baresip_wait_log p1003 10 "$EST" 2 || fatal "C's consultation call was not answered"
sleep 1
baresip_cmd p1002 hangup >/dev/null
check "B handed A over to C on the app's bridge" \
	wait_until 10 log_count_gt "1002 handed 1001 over to 1003" 1
sleep 1
w4=$(window 2)
baresip_cmd p1003 hangup >/dev/null
calls_left
sleep 0.5
# shellcheck disable=SC2086
{
	baresip_heard_window p1001 1300 "C's tone after the hand-over" $w4 900
	baresip_heard_window p1003 500 "A's tone after the hand-over" $w4 900
}

stop_ondo
finish
