#!/bin/bash
# test_ringgroup.sh - ring groups with four real phones: 1001 calls, 1002,
# 1003 and 1004 are members whose phones ring until a test step answers
# them (no auto-answer), each phone sending its own tone.
#  - simultaneous (group 600): all three ring; 1003 answers and 1001 and
#    1003 hear each other; the other two stop ringing;
#  - sequential (group 610: 1002 for 5 s, then 1003): 1002 rings alone,
#    stops after its time, then 1003 rings and answers; 1004 never rings;
#    a member on do-not-disturb is passed over at once (group 660); a
#    caller who gives up stops the group;
#  - group timeout (group 620, 6 s, fallback voicemail:1003): nobody
#    answers, the phones stop and 1001 leaves a message in 1003's mailbox;
#  - an IVR key to a group (the caller answered by the menu first);
#  - a group whose members have no phone goes to its fallback at once;
#    one with no fallback gives the caller 480.
# After each call `ondoctl calls` is empty: no leg is left behind.
. "$(dirname "$0")/../lib/common.sh"
test_init "ring groups: simultaneous, sequential, timeout to the fallback"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
for e in 1001 1002 1003 1004 1005; do
	provision ext add "$DOM" $e --password "pw-$e-rgroup"
done
provision ringgroup add "$DOM" 600 --name Sales --members 1002,1003,1004 \
	--ring-time 25 --timeout 40
provision ringgroup add "$DOM" 610 --strategy sequential \
	--members 1002:5,1003 --ring-time 20 --timeout 40
provision ringgroup add "$DOM" 620 --members 1002,1004 --timeout 6 \
	--fallback voicemail:1003
provision ringgroup add "$DOM" 650 --members 1004
provision ringgroup add "$DOM" 660 --strategy sequential --members 1004:20,1003
provision ivr add "$DOM" main --greeting welcome --timeout 8000
provision ivr option "$DOM" main 2 ringgroup 650
provision route add "$DOM" 800 ivr main
# 1005 never registers: its group falls back at once.
provision ringgroup add "$DOM" 630 --members 1005 --fallback voicemail:1004
provision ringgroup add "$DOM" 640 --members 1005
out=$(ondoctl ext add "$DOM" 600 --password 'pw-600-clash' 2>&1) && rc=0 || rc=$?
check "an extension cannot take a group's number (exit $rc: $out)" \
	sh -c "[ $rc -ne 0 ] && echo \"\$1\" | grep -q 'ring group'" _ "$out"
out=$(ondoctl ringgroup add "$DOM" 1002 2>&1) && rc=0 || rc=$?
check "a group cannot take an extension's number (exit $rc)" [ "$rc" -ne 0 ]
check "ondoctl ringgroup list shows the groups" \
	grep -qE "600 +Sales +simultaneous" <<<"$(ondoctl ringgroup list "$DOM" 2>&1)"
check "ondoctl dialplan test says where 620 ends" \
	grep -q "nobody answers -> voicemail 1003" \
	<<<"$(ondoctl dialplan test "$DOM" 620 2>&1)"

tone() { # FILE HZ: 40 s of tone, then silence
	sox -n -r 8000 -c 1 -b 16 "$1" synth 40 sine "$2" vol 0.5 pad 0 20
}
declare -A HZ=([1001]=500 [1002]=900 [1003]=1300 [1004]=1700)
for e in 1001 1002 1003 1004; do
	tone "$T_DIR/$e.wav" "${HZ[$e]}"
	baresip_setup "p$e" "<sip:$e@$DOM>;auth_pass=pw-$e-rgroup" "$T_DIR/$e.wav"
	baresip_start "p$e"
done
for e in 1001 1002 1003 1004; do
	baresip_wait_registered "p$e" ||
		fatal "phone $e did not register:$(baresip_log_tail "p$e")"
done
pass "four phones registered"

INCOMING='Incoming call'
ENDED='terminated|terminate call|session closed|Call closed'
rings() { baresip_count "p$1" "$INCOMING"; }
ended() { baresip_count "p$1" "$ENDED"; }

# wait_ring EXT N SECONDS: until phone EXT has rung N times in all.
wait_ring() { baresip_wait_log "p$1" "$3" "$INCOMING" "$2"; }

# hang_up [ANSWERER]: 1001 hangs up; it and ANSWERER (if any) see the
# call end; the PBX holds no call afterwards.
hang_up() {
	local n1 n2=0
	n1=$(ended 1001)
	[ -z "${1:-}" ] || n2=$(ended "$1")
	baresip_cmd p1001 hangup >/dev/null || true
	baresip_wait_log p1001 10 "$ENDED" $((n1 + 1)) ||
		fail "1001's call did not end after its hangup"
	[ -z "${1:-}" ] || baresip_wait_log "p$1" 10 "$ENDED" $((n2 + 1)) ||
		fail "$1 was not told the call ended"
	if wait_until 10 no_calls; then
		pass "no call is left in the PBX"
	else
		fail "calls left behind: $(ondoctl calls 2>&1)"
	fi
}

heard() { # PHONE HZ WHO T0 T1 LACKS
	local wav out
	wav=$(baresip_dec_wav "p$1")
	[ -n "$wav" ] || { fail "$1 recorded nothing"; return; }
	if out=$("$PYTHON" "$TESTS_LIB/tones.py" "$wav" "$4" "$5" --has "$2" \
		--lacks "$6"); then
		pass "$1 heard $3 ($2 Hz) and nobody else: $out"
	else
		fail "$1 did not hear $3 ($2 Hz) alone: $out"
	fi
}

# ---- simultaneous: all ring, 1003 answers, the others stop --------------
baresip_cmd p1001 dial "sip:600@$DOM" >/dev/null || fatal "1001 refused to dial"
for e in 1002 1003 1004; do
	wait_ring $e 1 15 || fatal "member $e did not ring for group 600:$(baresip_log_tail "p$e")"
done
pass "600 (simultaneous): 1002, 1003 and 1004 all ring"
check "1001 hears ringback meanwhile (early media)" \
	baresip_wait_log p1001 5 'Call in-progress|183|Session Progress|ringing'
baresip_cmd p1003 accept >/dev/null || fail "1003 refused the accept command"
for p in p1001 p1003; do
	baresip_wait_log $p 10 'Call established' ||
		fatal "$p: the answered call was not established:$(baresip_log_tail $p)"
done
t0=$(date +%s.%N)
pass "1003 answered: 1001 and 1003 are connected"
for e in 1002 1004; do
	if baresip_wait_log "p$e" 10 "$ENDED"; then
		pass "$e stopped ringing once 1003 answered"
	else
		fail "$e still rings after 1003 answered:$(baresip_log_tail "p$e")"
	fi
done
sleep 3
t1=$(date +%s.%N)
est1=$(stat -c %Y "$(baresip_dec_wav p1001)")
hang_up 1003
# Windows measured from each phone's recording start: its file begins at
# the call's start, a second or so before t0.
win() { awk -v a="$1" -v b="$2" -v s="$3" 'BEGIN { printf "%.2f %.2f", a - s + 0.5, b - s - 0.3 }'; }
start_of() { # PHONE: when its newest recording began (its name holds it)
	local f
	f=$(basename "$(baresip_dec_wav "$1")")
	date -d "$(sed -E 's/dump-([0-9]{4})-([0-9]{2})-([0-9]{2})-([0-9]{2})-([0-9]{2})-([0-9]{2}).*/\1-\2-\3 \4:\5:\6/' <<<"$f")" +%s 2>/dev/null || echo "$est1"
}
read -r a b <<<"$(win "$t0" "$t1" "$(start_of p1001)")"
heard 1001 1300 "1003's tone" "$a" "$b" 900,1700
read -r a b <<<"$(win "$t0" "$t1" "$(start_of p1003)")"
heard 1003 500 "1001's tone" "$a" "$b" 900,1700
if wait_cdr 5; then
	IFS='|' read -r caller callee disp <<<"$(cdr_row "caller, callee, disposition")"
	check "CDR: 1001 -> 600 ANSWERED (got $caller -> $callee $disp)" \
		[ "$caller" = 1001 -a "$callee" = 600 -a "$disp" = ANSWERED ]
else
	fail "no CDR row for the group call"
fi

# ---- sequential: 1002 for 5 s, then 1003 --------------------------------
r2=$(rings 1002) r3=$(rings 1003) r4=$(rings 1004) e2=$(ended 1002)
baresip_cmd p1001 dial "sip:610@$DOM" >/dev/null || fatal "1001 refused to dial"
wait_ring 1002 $((r2 + 1)) 15 || fatal "1002 did not ring first for group 610"
ring2=$(date +%s.%N)
check "610 (sequential): 1003 does not ring while 1002 does" \
	[ "$(rings 1003)" = "$r3" ]
wait_ring 1003 $((r3 + 1)) 15 ||
	fatal "1003 never rang after 1002's 5 s:$(baresip_log_tail p1003)"
ring3=$(date +%s.%N)
gap=$(awk -v a="$ring2" -v b="$ring3" 'BEGIN { printf "%.1f", b - a }')
check "1003 rang about 5 s after 1002 (${gap} s)" \
	awk -v g="$gap" 'BEGIN { exit !(g >= 4 && g <= 9) }'
check "1002 stopped ringing when its time was up" \
	baresip_wait_log p1002 5 "$ENDED" $((e2 + 1))
baresip_cmd p1003 accept >/dev/null || fail "1003 refused the accept command"
baresip_wait_log p1001 10 'Call established' 2 ||
	fatal "1001: the call to 610 was not established:$(baresip_log_tail p1001)"
t0=$(date +%s.%N)
pass "1003 answered group 610"
sleep 3
t1=$(date +%s.%N)
check "1004 never rang for group 610" [ "$(rings 1004)" = "$r4" ]
hang_up 1003
read -r a b <<<"$(win "$t0" "$t1" "$(start_of p1001)")"
heard 1001 1300 "1003's tone" "$a" "$b" 900,1700
read -r a b <<<"$(win "$t0" "$t1" "$(start_of p1003)")"
heard 1003 500 "1001's tone" "$a" "$b" 900

# ---- a member on do-not-disturb is passed over at once ------------------
provision ext dnd "$DOM" 1004 on
r3=$(rings 1003) r4=$(rings 1004) n1=$(baresip_count p1001 'Call established')
baresip_cmd p1001 dial "sip:660@$DOM" >/dev/null || fatal "1001 refused to dial"
wait_ring 1003 $((r3 + 1)) 8 ||
	fatal "1003 did not ring at once after 1004 (on DND) in group 660:$(baresip_log_tail p1003)"
pass "660: 1004 is on do-not-disturb, so 1003 rings at once"
check "1004's phone never rang" [ "$(rings 1004)" = "$r4" ]
baresip_cmd p1003 accept >/dev/null || fail "1003 refused the accept command"
baresip_wait_log p1001 10 'Call established' $((n1 + 1)) ||
	fatal "1001's call to 660 was not established"
hang_up 1003
provision ext dnd "$DOM" 1004 off

# ---- the caller gives up while 1002 rings: 1003 must never ring ----------
r2=$(rings 1002) r3=$(rings 1003) e2=$(ended 1002) x1=$(ended 1001)
baresip_cmd p1001 dial "sip:610@$DOM" >/dev/null || fatal "1001 refused to dial"
wait_ring 1002 $((r2 + 1)) 15 || fatal "1002 did not ring for group 610"
baresip_cmd p1001 hangup >/dev/null || true
check "1002 stopped ringing when the caller gave up" \
	baresip_wait_log p1002 10 "$ENDED" $((e2 + 1))
baresip_wait_log p1001 5 "$ENDED" $((x1 + 1)) || true
sleep 7 # past 1002's 5 s, when 1003 would have rung
check "1003 never rang after the caller had gone" [ "$(rings 1003)" = "$r3" ]
wait_until 10 no_calls && pass "no call is left in the PBX" ||
	fail "calls left behind: $(ondoctl calls 2>&1)"

# ---- group timeout: nobody answers, the fallback takes the call ---------
msgs() { # EXT: callers of the messages in EXT's box
	sql "SELECT m.caller FROM vm_messages m JOIN extensions e
	     ON e.id = m.ext_id WHERE e.number = '$1'"
}
has_msg() { [ -n "$(msgs "$1")" ]; }
r2=$(rings 1002) r4=$(rings 1004) e2=$(ended 1002) e4=$(ended 1004)
baresip_cmd p1001 dial "sip:620@$DOM" >/dev/null || fatal "1001 refused to dial"
wait_ring 1002 $((r2 + 1)) 15 && wait_ring 1004 $((r4 + 1)) 15 ||
	fatal "the members of 620 did not ring"
pass "620: 1002 and 1004 ring, nobody answers"
baresip_wait_log p1001 20 'Call established' 4 ||
	fatal "the fallback did not answer after the group's 6 s:$(baresip_log_tail p1001)"
pass "after the group's timeout the call went to the fallback (1003's mailbox)"
for e in 1002 1004; do
	v=e${e: -1}
	check "$e stopped ringing at the group's timeout" \
		baresip_wait_log "p$e" 5 "$ENDED" $((${!v} + 1))
done
sleep 12 # greeting, beep, then the message
hang_up
if wait_until 10 has_msg 1003; then
	check "the message in 1003's box is from 1001" [ "$(msgs 1003)" = 1001 ]
else
	fail "no message in 1003's mailbox"
fi

# ---- an IVR key to a group: the caller was answered first ---------------
r4=$(rings 1004)
baresip_cmd p1001 dial "sip:800@$DOM" >/dev/null || fatal "1001 refused to dial"
baresip_wait_log p1001 10 'Call established' 5 ||
	fatal "the IVR did not answer 800:$(baresip_log_tail p1001)"
# The menu takes keys from the start of its greeting; a key sent before
# it listened is sent again.
baresip_cmd p1001 sndcode 2 >/dev/null || fail "1001 refused sndcode"
if ! wait_ring 1004 $((r4 + 1)) 6; then
	info "1004 not ringing 6 s after key 2: pressing it again"
	baresip_cmd p1001 sndcode 2 >/dev/null || true
fi
wait_ring 1004 $((r4 + 1)) 15 || fatal "key 2 did not ring group 650 (1004)"
pass "IVR key 2 rang group 650: 1004 rings"
baresip_cmd p1004 accept >/dev/null || fail "1004 refused the accept command"
baresip_wait_log p1004 10 'Call established' || fatal "1004's call was not established"
t0=$(date +%s.%N)
sleep 3
t1=$(date +%s.%N)
hang_up 1004
read -r a b <<<"$(win "$t0" "$t1" "$(start_of p1004)")"
heard 1004 500 "1001's tone" "$a" "$b" 900

# ---- nobody can ring: straight to the fallback, or 480 ------------------
baresip_cmd p1001 dial "sip:630@$DOM" >/dev/null || fatal "1001 refused to dial"
baresip_wait_log p1001 15 'Call established' 6 ||
	fail "630 (no member registered) did not go to its fallback:$(baresip_log_tail p1001)"
sleep 1
hang_up
baresip_cmd p1001 dial "sip:640@$DOM" >/dev/null || fatal "1001 refused to dial"
if baresip_wait_log p1001 10 '480|Temporarily Unavailable' ; then
	pass "640 (no member registered, no fallback): the caller gets 480"
else
	fail "640 did not end with 480:$(baresip_log_tail p1001)"
fi
wait_until 10 no_calls || fail "calls left behind: $(ondoctl calls 2>&1)"

stop_ondo
finish
