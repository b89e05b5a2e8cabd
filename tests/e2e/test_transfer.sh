#!/bin/bash
# test_transfer.sh - blind transfer (REFER) with real phones: 1001 (A),
# 1002 (B), 1003 (C), each sending its own tone.
#  - a relayed call: A calls B, B transfers A to C; A and C hear each
#    other, B's call ends, the live list is empty after A hangs up;
#  - the target refuses (busy): A is rung back to B and they talk again;
#  - an unknown number: logged as 404, A is rung back to B the same way
#    (phones hang up whatever the NOTIFY says);
#  - through a dial route (an app call): B transfers A (the app's own
#    caller), and A transfers B (the bridged callee);
#  - keys for phones without REFER: ## 1003 # on a relayed call, ## 1003
#    and a pause on an app's bridge;
#  - a transfer to a number B's class of service may not call: refused,
#    A back to B.
. "$(dirname "$0")/../lib/common.sh"
test_init "blind transfer (REFER): to a phone, busy back to the transferrer, unknown number, app calls"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
for e in 1001 1002 1003; do
	provision ext add "$DOM" $e --password "pw-$e-xfer"
done
provision route add "$DOM" 2002 dial 1002

tone() { sox -n -r 8000 -c 1 -b 16 "$1" synth 100 sine "$2" vol 0.5; }
declare -A HZ=([1001]=500 [1002]=900 [1003]=1300)
for e in 1001 1002 1003; do
	tone "$T_DIR/$e.wav" "${HZ[$e]}"
	baresip_setup "p$e" "<sip:$e@$DOM>;auth_pass=pw-$e-xfer" "$T_DIR/$e.wav"
	baresip_start "p$e"
done
for p in p1001 p1002 p1003; do
	baresip_wait_registered $p || fatal "phone $p did not register:$(baresip_log_tail $p)"
done
pass "three phones registered"

INCOMING='Incoming call'
EST='Call established'
ENDED='terminated|terminate call|session closed|Call closed'
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
# snap PHONE: counts its rings and answered calls so far; answer PHONE
# then waits for the next ring and answers it.
declare -A SNAP_IN=() SNAP_EST=()
snap() {
	SNAP_IN[$1]=$(baresip_count "$1" "$INCOMING")
	SNAP_EST[$1]=$(baresip_count "$1" "$EST")
}
answer() {
	baresip_wait_log "$1" 15 "$INCOMING" $((SNAP_IN[$1] + 1)) || return 1
	baresip_cmd "$1" accept >/dev/null
	baresip_wait_log "$1" 10 "$EST" $((SNAP_EST[$1] + 1))
}
# talk A HZ_A B HZ_B LACKS: 3 s of both talking; what each heard is
# checked by heard_all once the calls are over (a phone's WAV is complete
# only then).
CHECKS=()
talk() {
	local t0 t1
	t0=$(date +%s.%N)
	sleep 3
	t1=$(date +%s.%N)
	# A second clear before the next change: a recording's start is
	# known to the second only (its name).
	sleep 1.2
	CHECKS+=("$1 $4 ${3#p}'s_tone $t0 $t1 $5" "$3 $2 ${1#p}'s_tone $t0 $t1 $5")
}
heard_all() {
	local c
	for c in "${CHECKS[@]}"; do
		# shellcheck disable=SC2086
		set -- $c
		baresip_heard_window "$1" "$2" "${3//_/ }" "$4" "$5" "$6"
	done
	CHECKS=()
}
xfer() { baresip_cmd "$1" transfer "sip:$2@$DOM" >/dev/null; }

# ---- a relayed call: B transfers A to C ----------------------------------
call p1001 1002 p1002
talk p1001 500 p1002 900 1300
snap p1003
xfer p1002 1003
answer p1003 || fatal "1003 did not get the transferred call:$(baresip_log_tail p1003)"
check "B's side ended: one call left in the PBX" wait_until 10 one_call
talk p1001 500 p1003 1300 900
check "C's phone showed A as the caller" \
	grep -qE "Incoming call from: .*sip:1001@$DOM" "${BS_DIR[p1003]}/out"
check "the log says who transferred whom" \
	grep -q "1002 transfers the call to 1003 (transfer)" "$ONDO_LOG"
baresip_cmd p1001 hangup >/dev/null
check "C's call ended when A hung up" baresip_wait_log p1003 10 "$ENDED" 1
calls_left
heard_all

# ---- the target is busy: A goes back to B --------------------------------
call p1001 1002 p1002
snap p1002
snap p1003
xfer p1002 1003
baresip_wait_log p1003 15 "$INCOMING" $((SNAP_IN[p1003] + 1)) || fatal "1003 did not ring the second time"
baresip_cmd p1003 hangup >/dev/null # rejects: 486
if answer p1002; then
	pass "1003 refused: 1002 was rung back and answered"
else
	fatal "1002 was not rung back:$(baresip_log_tail p1002)"
fi
talk p1001 500 p1002 900 1300
baresip_cmd p1001 hangup >/dev/null
calls_left
heard_all

# ---- an unknown number: back to B as well --------------------------------
call p1001 1002 p1002
snap p1002
xfer p1002 1999
check "the transfer to 1999 was refused with 404" \
	wait_until 10 grep -q "1002's transfer to 1999 refused: 404" "$ONDO_LOG"
answer p1002 || fatal "1002 was not rung back after 1999:$(baresip_log_tail p1002)"
talk p1001 500 p1002 900 1300
baresip_cmd p1001 hangup >/dev/null
calls_left
heard_all

# ---- an app call: A dials 2002 (a dial route), B transfers A to C --------
call p1001 2002 p1002
snap p1003
xfer p1002 1003
answer p1003 || fatal "1003 did not get A's app call:$(baresip_log_tail p1003)"
check "B's side ended: one call left in the PBX" wait_until 10 one_call
talk p1001 500 p1003 1300 900
baresip_cmd p1003 hangup >/dev/null
check "A's call ended when C hung up" wait_until 10 no_calls
calls_left
heard_all

# ---- the same, A (the app's caller) transfers B to C ----------------------
call p1001 2002 p1002
snap p1003
xfer p1001 1003
answer p1003 || fatal "1003 did not get B:$(baresip_log_tail p1003)"
check "A's side ended: one call left in the PBX" wait_until 10 one_call
talk p1002 900 p1003 1300 500
baresip_cmd p1002 hangup >/dev/null
calls_left
heard_all

# ---- keys instead of REFER: ## + number + # (relay), ## + number + pause
# (an app's bridge) -----------------------------------------------------------
call p1001 1002 p1002
snap p1003
baresip_keys p1002 '##1003#'
answer p1003 || fatal "1003 did not get the call transferred by ##:$(baresip_log_tail p1003)"
check "B's side ended: one call left in the PBX" wait_until 10 one_call
talk p1001 500 p1003 1300 900
check "the log says ## was keyed" grep -q "## 1003: blind transfer by keys" "$ONDO_LOG"
baresip_cmd p1001 hangup >/dev/null
baresip_cmd p1002 hangup >/dev/null # its own call, if the phone kept it
calls_left
heard_all

call p1001 2002 p1002
snap p1003
baresip_keys p1002 '##1003'
answer p1003 || fatal "1003 did not get the call after ## and a pause:$(baresip_log_tail p1003)"
talk p1001 500 p1003 1300 900
baresip_cmd p1001 hangup >/dev/null
baresip_cmd p1002 hangup >/dev/null
calls_left
heard_all

# ---- class of service: B may not transfer to a number it may not call -----
provision route add "$DOM" '_00X.' playback hello --cos international
provision ext cos "$DOM" 1002 local
call p1001 1002 p1002
snap p1002
xfer p1002 0049301234
check "the transfer to an international number was refused (403)" \
	wait_until 10 grep -q "1002's transfer to 0049301234 refused: 403" "$ONDO_LOG"
answer p1002 || fatal "1002 was not rung back after the refusal"
baresip_cmd p1001 hangup >/dev/null
calls_left
check "CDRs: every call of the test is recorded" cdr_count_ge 8

stop_ondo
finish
