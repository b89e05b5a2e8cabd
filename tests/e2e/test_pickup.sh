#!/bin/bash
# test_pickup.sh - call pickup with real phones. 1001 calls 1002, whose
# phone rings and is never answered; 1002 and 1003 are in pickup group
# "sales", 1004 in "support".
#  - directed: 1004 dials **1002 and gets the call (any group may): 1001
#    and 1004 hear each other, 1002 stops ringing;
#  - group: 1004 dials *8 (another group): nothing to pick up, 1002 keeps
#    ringing; a phone of another tenant dials *8 and **1002 (its own 1003
#    is in a group "sales" too): nothing; 1003 dials *8 and gets the call;
#  - a ring group's call (an app's bridge): 1003 dials *8 while group 600
#    rings 1002, takes it, and hangs up: the caller's call ends too;
#  - nothing ringing: *8 gets 404.
# After each call `ondoctl calls` is empty.
. "$(dirname "$0")/../lib/common.sh"
test_init "call pickup: directed (**EXT) and group (*8), tenants apart"

DOM=t1.test
OTHER=t2.test
start_ondo
provision tenant add t1 "$DOM"
provision tenant add t2 "$OTHER"
for e in 1001 1002 1003 1004; do
	provision ext add "$DOM" $e --password "pw-$e-pickup"
done
provision ext add "$OTHER" 1003 --password 'pw-1003-other'
provision ext pickup "$DOM" 1002 sales
provision ext pickup "$DOM" 1003 sales
provision ext pickup "$DOM" 1004 support
provision ext pickup "$OTHER" 1003 sales
provision ringgroup add "$DOM" 600 --members 1002 --ring-time 60 --timeout 60
out=$(ondoctl ext pickup "$DOM" 1003 'Sales Team' 2>&1) && rc=0 || rc=$?
check "a pickup group with a blank is refused (exit $rc: $out)" [ "$rc" -ne 0 ]

tone() { sox -n -r 8000 -c 1 -b 16 "$1" synth 40 sine "$2" vol 0.5 pad 0 20; }
declare -A HZ=([1001]=500 [1002]=900 [1003]=1300 [1004]=1700)
for e in 1001 1002 1003 1004; do
	tone "$T_DIR/$e.wav" "${HZ[$e]}"
	baresip_setup "p$e" "<sip:$e@$DOM>;auth_pass=pw-$e-pickup" "$T_DIR/$e.wav"
	baresip_start "p$e"
done
tone "$T_DIR/other.wav" 2100
baresip_setup q1003 "<sip:1003@$OTHER>;auth_pass=pw-1003-other" "$T_DIR/other.wav"
baresip_start q1003
for p in p1001 p1002 p1003 p1004 q1003; do
	baresip_wait_registered $p || fatal "phone $p did not register:$(baresip_log_tail $p)"
done
pass "five phones registered (four of $DOM, one of $OTHER)"

INCOMING='Incoming call'
ENDED='terminated|terminate call|session closed|Call closed'
# The time a phone's newest recording began (its file name holds it).
start_of() {
	local f
	f=$(basename "$(baresip_dec_wav "$1")")
	date -d "$(sed -E 's/dump-([0-9]{4})-([0-9]{2})-([0-9]{2})-([0-9]{2})-([0-9]{2})-([0-9]{2}).*/\1-\2-\3 \4:\5:\6/' <<<"$f")" +%s
}
heard() { # PHONE HZ WHO T0 T1 LACKS
	local wav out a b
	wav=$(baresip_dec_wav "$1")
	[ -n "$wav" ] || { fail "$1 recorded nothing"; return; }
	read -r a b <<<"$(awk -v a="$4" -v b="$5" -v s="$(start_of "$1")" \
		'BEGIN { printf "%.2f %.2f", a - s + 0.5, b - s - 0.3 }')"
	if out=$("$PYTHON" "$TESTS_LIB/tones.py" "$wav" "$a" "$b" --has "$2" \
		--lacks "$6"); then
		pass "${1#p} heard $3 ($2 Hz) and not 1002: $out"
	else
		fail "${1#p} did not hear $3 ($2 Hz) alone: $out"
	fi
}
# ring NTH: 1001 calls TARGET and 1002's phone rings (its NTH ring).
ring() {
	baresip_cmd p1001 dial "sip:$1@$DOM" >/dev/null || fatal "1001 refused to dial"
	baresip_wait_log p1002 15 "$INCOMING" "$2" ||
		fatal "1002 did not ring for $1:$(baresip_log_tail p1002)"
}
# pick PHONE CODE NTH: PHONE dials CODE and its NTH call is established.
pick() {
	baresip_cmd "$1" dial "sip:$2@$DOM" >/dev/null || fatal "$1 refused to dial"
	baresip_wait_log "$1" 10 'Call established' "$3"
}
# refused PHONE CODE DOMAIN: PHONE dials CODE, its call ends without
# being answered.
refused() {
	local n e
	n=$(baresip_count "$1" "$ENDED")
	e=$(baresip_count "$1" 'Call established')
	baresip_cmd "$1" dial "sip:$2@${3:-$DOM}" >/dev/null || fatal "$1 refused to dial"
	baresip_wait_log "$1" 10 "$ENDED" $((n + 1)) &&
		[ "$(baresip_count "$1" 'Call established')" = "$e" ]
}

# ---- directed pickup of a call relayed phone to phone --------------------
ring 1002 1
if pick p1004 '**1002' 1; then
	pass "1004 picked up 1002's call with **1002"
else
	fatal "**1002 did not give 1004 the call:$(baresip_log_tail p1004)"
fi
baresip_wait_log p1001 10 'Call established' 1 || fatal "1001's call was not answered by the pickup"
t0=$(date +%s.%N)
check "1002 stopped ringing once the call was picked up" \
	baresip_wait_log p1002 10 "$ENDED" 1
sleep 3
t1=$(date +%s.%N)
baresip_cmd p1001 hangup >/dev/null
check "1004's call ended when 1001 hung up" baresip_wait_log p1004 10 "$ENDED" 1
calls_left
heard p1001 1700 "1004's tone" "$t0" "$t1" 900
heard p1004 500 "1001's tone" "$t0" "$t1" 900
check "1002's phone never took the call" [ "$(baresip_count p1002 'Call established')" = 0 ]
check "the log says who picked the call up" \
	grep -q "1001 -> 1002: picked up by 1004 (\*\*1002" "$ONDO_LOG"

# ---- group pickup; other groups and other tenants get nothing ------------
e2=$(baresip_count p1002 "$ENDED")
ring 1002 2
check "*8 from 1004 (group support) finds nothing to pick up" \
	refused p1004 '*8'
check "*8 from tenant $OTHER's 1003 (its own group sales) finds nothing" \
	refused q1003 '*8' "$OTHER"
check "**1002 from tenant $OTHER finds nothing either" \
	refused q1003 '**1002' "$OTHER"
check "1002 is still ringing after those attempts" \
	[ "$(baresip_count p1002 "$ENDED")" = "$e2" ]
if pick p1003 '*8' 1; then
	pass "1003 (group sales) picked up 1002's call with *8"
else
	fatal "*8 did not give 1003 the call:$(baresip_log_tail p1003)"
fi
baresip_wait_log p1001 10 'Call established' 2 || fatal "1001's second call was not answered"
t0=$(date +%s.%N)
check "1002 stopped ringing" baresip_wait_log p1002 10 "$ENDED" 2
sleep 3
t1=$(date +%s.%N)
baresip_cmd p1001 hangup >/dev/null
check "1003's call ended when 1001 hung up" baresip_wait_log p1003 10 "$ENDED" 1
calls_left
heard p1001 1300 "1003's tone" "$t0" "$t1" 900
heard p1003 500 "1001's tone" "$t0" "$t1" 900

# ---- a ring group's call: the picker takes the app's bridge ---------------
ring 600 3
if pick p1003 '*8' 2; then
	pass "1003 picked up the ring group's call ringing 1002 with *8"
else
	fatal "*8 did not take the group's call:$(baresip_log_tail p1003)"
fi
baresip_wait_log p1001 10 'Call established' 3 || fatal "1001's call to 600 was not answered"
t0=$(date +%s.%N)
check "1002 stopped ringing" baresip_wait_log p1002 10 "$ENDED" 3
sleep 3
t1=$(date +%s.%N)
baresip_cmd p1003 hangup >/dev/null
check "1001's call ended when the picker hung up" baresip_wait_log p1001 10 "$ENDED" 3
calls_left
heard p1001 1300 "1003's tone" "$t0" "$t1" 900
heard p1003 500 "1001's tone" "$t0" "$t1" 900

# ---- nothing to pick up --------------------------------------------------
check "*8 with nothing ringing gets no call" refused p1003 '*8'
check "the daemon said why" grep -q "404 Nothing To Pick Up\|pickup \*8: no call is ringing" "$ONDO_LOG"
calls_left

stop_ondo
finish
