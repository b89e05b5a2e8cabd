#!/bin/bash
# test_park.sh - call park with real phones: 1001 (A, 500 Hz), 1002 (B,
# 900 Hz), 1003 (C, 1300 Hz) of t1.test, and 1001 of t2.test (D, 1700 Hz).
#  - A calls B, B transfers A to the park number 70: A hears the tenant's
#    music on hold (a 2200 Hz tone here), `ondoctl park list` shows slot
#    71, B's phone is sent "Parked at 71"; C dials 71 and talks with A;
#    nothing is left once they hang up;
#  - the park timeout (5 s): B is rung back and talks with A;
#  - a call parked from a dial route (A is the app's own caller),
#    retrieved, and left to time out (B, whom the route rang, rung back);
#  - dialling an empty slot is refused (404), and D, of another tenant,
#    dialling 71 reaches nothing of t1's while A waits there.
. "$(dirname "$0")/../lib/common.sh"
test_init "call park: park by transfer, music on hold, retrieve by slot, timeout rings the parker, other tenants refused"

DOM=t1.test
DOM2=t2.test
start_ondo
provision tenant add t1 "$DOM"
provision tenant add t2 "$DOM2"
for e in 1001 1002 1003; do
	provision ext add "$DOM" $e --password "pw-$e-park"
done
provision ext add "$DOM2" 1001 --password "pw-1001-park2"
provision route add "$DOM" 2002 dial 1002
check "a tenant gets park number 70, slots 71-79 by default" \
	bash -c "'$ONDOCTL_BIN' -c '$ONDO_CONF' park show $DOM | grep -q 'slots   71-79'"

tone() { sox -n -r 8000 -c 1 -b 16 "$1" synth 100 sine "$2" vol 0.5; }
declare -A HZ=([p1001]=500 [p1002]=900 [p1003]=1300 [q1001]=1700)
for e in 1001 1002 1003; do
	tone "$T_DIR/p$e.wav" "${HZ[p$e]}"
	baresip_setup "p$e" "<sip:$e@$DOM>;auth_pass=pw-$e-park" "$T_DIR/p$e.wav"
	baresip_start "p$e"
done
tone "$T_DIR/q1001.wav" 1700
baresip_setup q1001 "<sip:1001@$DOM2>;auth_pass=pw-1001-park2" "$T_DIR/q1001.wav"
baresip_start q1001
for p in p1001 p1002 p1003 q1001; do
	baresip_wait_registered $p || fatal "phone $p did not register:$(baresip_log_tail $p)"
done
pass "four phones registered"

MOH=$T_DIR/ondo/spool/tenants/$DOM/prompts/moh.wav
mkdir -p "$(dirname "$MOH")"
sox -n -r 8000 -c 1 -b 16 "$MOH" synth 10 sine 2200 vol 0.5

INCOMING='Incoming call'
EST='Call established'
ENDED='terminated|terminate call|session closed|Call closed'
parked_at() { ondoctl park list "$DOM" 2>/dev/null | grep -qE "^$1 +$2 "; }
none_parked() { ondoctl park list "$DOM" 2>/dev/null | grep -q "^no calls parked"; }
# call FROM NUMBER TO: FROM dials NUMBER, TO's phone rings and answers.
call() {
	local e r
	e=$(baresip_count "$1" "$EST")
	r=$(baresip_count "$3" "$INCOMING")
	baresip_cmd "$1" dial "sip:$2@$DOM" >/dev/null || fatal "$1 refused to dial"
	baresip_wait_log "$3" 10 "$INCOMING" $((r + 1)) || fatal "$3 did not ring:$(baresip_log_tail "$3")"
	baresip_cmd "$3" accept >/dev/null
	baresip_wait_log "$1" 10 "$EST" $((e + 1)) || fatal "$1's call was not answered:$(baresip_log_tail "$1")"
}
# dial_slot PHONE DOMAIN SLOT: the phone dials the slot; 0 once its call
# is established (a retrieval is answered at once, nothing rings).
dial_slot() {
	local e
	e=$(baresip_count "$1" "$EST")
	baresip_cmd "$1" dial "sip:$3@$2" >/dev/null || fatal "$1 refused to dial"
	baresip_wait_log "$1" 10 "$EST" $((e + 1))
}
window() { # seconds -> "T0 T1"
	local t0
	t0=$(date +%s.%N)
	sleep "$1"
	echo "$t0 $(date +%s.%N)"
}
# A recording's start is known to the second only (its name): windows
# keep a second clear of each change. Checked once the calls are over.
CHECKS=()
heard_later() { CHECKS+=("$*"); }
heard_all() {
	local c
	for c in "${CHECKS[@]}"; do
		# shellcheck disable=SC2086
		set -- $c
		baresip_heard_window "$1" "$2" "${3//_/ }" "$4" "$5" "${6:-}"
	done
	CHECKS=()
}
xfer() { baresip_cmd "$1" transfer "sip:$2@$DOM" >/dev/null; }
# park_by PARKER: PARKER (in a call with A) transfers it to 70; A waits
# at 71.
park_by() {
	local n
	n=$(grep -c "parked at 71 by ${1#p}" "$ONDO_LOG" || true)
	xfer "$1" 70
	wait_until 10 log_count_gt "parked at 71 by ${1#p}" "$n" ||
		fatal "the PBX did not park the call:$(baresip_log_tail "$1")"
	check "ondoctl park list shows A (1001) at slot 71, parked by ${1#p}" \
		wait_until 10 parked_at 71 1001
}

# ---- park by transfer, retrieve from another phone ---------------------------
call p1001 1002 p1002
park_by p1002
check "B's side ended: one call left in the PBX" wait_until 10 one_call
# baresip 1.0 answers a MESSAGE 200 but prints nothing of it: the PBX's
# log says where it went.
check "B's phone was sent \"Parked at 71\" by a MESSAGE" \
	grep -q '"Parked at 71: 1001" sent to 1 phone(s) of 1002' "$ONDO_LOG"
sleep 1
read -r t0 t1 <<<"$(window 2)"
heard_later p1001 2200 "the_tenant's_music_on_hold" "$t0" "$t1" 900
sleep 1.2
dial_slot p1003 "$DOM" 71 || fatal "1003 could not retrieve the call at 71:$(baresip_log_tail p1003)"
pass "1003 dialled 71 and got the parked call"
check "the log says who retrieved what" \
	grep -q "1003 retrieved 1001 from 71 (parked by 1002" "$ONDO_LOG"
check "the slot is free once retrieved" wait_until 5 none_parked
sleep 1
read -r t0 t1 <<<"$(window 3)"
heard_later p1001 1300 "C's_tone" "$t0" "$t1" 2200
heard_later p1003 500 "A's_tone" "$t0" "$t1" 2200
sleep 1.2
baresip_cmd p1003 hangup >/dev/null
check "A's call ended when C hung up" baresip_wait_log p1001 10 "$ENDED" 1
calls_left
heard_all

# ---- the timeout rings the parker back ---------------------------------------
provision park set "$DOM" --timeout 5
call p1001 1002 p1002
in=$(baresip_count p1002 "$INCOMING")
est=$(baresip_count p1002 "$EST")
park_by p1002
if baresip_wait_log p1002 15 "$INCOMING" $((in + 1)); then
	pass "after the 5 s timeout, 1002 was rung back"
else
	fatal "1002 was not rung back:$(baresip_log_tail p1002)"
fi
baresip_cmd p1002 accept >/dev/null
baresip_wait_log p1002 10 "$EST" $((est + 1)) || fatal "1002's callback was not established"
check "the log says the call left its slot unretrieved" \
	grep -q "1001 left 71 unretrieved" "$ONDO_LOG"
check "the slot is free while the parker is rung" wait_until 5 none_parked
sleep 1
read -r t0 t1 <<<"$(window 3)"
heard_later p1001 900 "B's_tone_after_the_callback" "$t0" "$t1" 2200
heard_later p1002 500 "A's_tone_after_the_callback" "$t0" "$t1" 2200
sleep 1.2
baresip_cmd p1001 hangup >/dev/null
check "B's callback ended when A hung up" baresip_wait_log p1002 10 "$ENDED" 2
calls_left
heard_all
provision park set "$DOM" --timeout 60

# ---- parked from a dial route: A is the app's own caller ---------------------
call p1001 2002 p1002
park_by p1002
dial_slot p1003 "$DOM" 71 || fatal "1003 could not retrieve the app call at 71:$(baresip_log_tail p1003)"
pass "1003 retrieved the app call parked at 71"
sleep 1
read -r t0 t1 <<<"$(window 3)"
heard_later p1001 1300 "C's_tone_(app_call)" "$t0" "$t1" 2200
heard_later p1003 500 "A's_tone_(app_call)" "$t0" "$t1" 2200
sleep 1.2
baresip_cmd p1001 hangup >/dev/null
calls_left
heard_all

# ---- the same, left to time out: B is rung back ------------------------------
# The ring-back is a new start: 1002, whom the route rang first, is not a
# forwarding loop.
provision park set "$DOM" --timeout 5
call p1001 2002 p1002
in=$(baresip_count p1002 "$INCOMING")
est=$(baresip_count p1002 "$EST")
park_by p1002
if baresip_wait_log p1002 15 "$INCOMING" $((in + 1)); then
	pass "the app call timed out at 71 and 1002 was rung back"
else
	fatal "1002 was not rung back for the app call:$(baresip_log_tail p1002)"
fi
baresip_cmd p1002 accept >/dev/null
baresip_wait_log p1002 10 "$EST" $((est + 1)) || fatal "1002's callback (app call) was not established"
sleep 1
read -r t0 t1 <<<"$(window 3)"
heard_later p1001 900 "B's_tone_after_the_callback_(app_call)" "$t0" "$t1" 2200
heard_later p1002 500 "A's_tone_after_the_callback_(app_call)" "$t0" "$t1" 2200
sleep 1.2
baresip_cmd p1001 hangup >/dev/null
calls_left
heard_all
provision park set "$DOM" --timeout 60

# ---- *70 keyed during the call: the keyer hears the slot ----------------------
call p1001 1002 p1002
sleep 1
baresip_keys p1002 '*70'
check "the log says *70 parked A at 71" \
	wait_until 10 grep -q '\*70: 1002 parked the call at 71' "$ONDO_LOG"
check "ondoctl park list shows A (1001) at slot 71" wait_until 10 parked_at 71 1001
read -r t0 t1 <<<"$(window 2)"
heard_later p1002 - "the_slot_said_(parked_at_7_1)" "$t0" "$t1"
check "B's call ends after the announcement: one call left" wait_until 15 one_call
dial_slot p1003 "$DOM" 71 || fatal "1003 could not retrieve the call parked by *70:$(baresip_log_tail p1003)"
pass "1003 retrieved the call parked by *70"
sleep 1
read -r t0 t1 <<<"$(window 3)"
heard_later p1001 1300 "C's_tone_(after_*70)" "$t0" "$t1" 2200
heard_later p1003 500 "A's_tone_(after_*70)" "$t0" "$t1" 2200
sleep 1.2
baresip_cmd p1001 hangup >/dev/null
calls_left
heard_all

# ---- an empty slot; another tenant's phone ------------------------------------
n=$(grep -c "1003 -> 72: 404 Nothing Parked Here" "$ONDO_LOG" || true)
baresip_cmd p1003 dial "sip:72@$DOM" >/dev/null
check "dialling the empty slot 72 was refused with 404" \
	wait_until 10 log_count_gt "1003 -> 72: 404 Nothing Parked Here" "$n"
call p1001 1002 p1002
park_by p1002
est=$(baresip_count q1001 "$EST")
baresip_cmd q1001 dial "sip:71@$DOM2" >/dev/null
check "1001 of $DOM2 dialling 71 was refused (its own slot 71 is empty)" \
	wait_until 10 grep -q "1001 -> 71: 404 Nothing Parked Here" "$ONDO_LOG"
if [ "$(baresip_count q1001 "$EST")" -gt "$est" ]; then
	fail "the other tenant's phone got a call at 71"
else
	pass "the other tenant's phone got no call"
fi
check "A still waits at 71 of $DOM" parked_at 71 1001
baresip_cmd p1001 hangup >/dev/null
check "the slot is free once the parked caller hung up" wait_until 10 none_parked
calls_left
check "CDRs: every call of the test is recorded" cdr_count_ge 8

stop_ondo
finish
