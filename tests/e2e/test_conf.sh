#!/bin/bash
# test_conf.sh - a conference room with three real phones, each sending its
# own tone: 1001 (PCMU, 500 Hz), 1002 (G.722, 900 Hz, so the room mixes at
# 16 kHz), 1003 (PCMU, 1300 Hz). Each must hear the other two and not
# itself; once 1001 is muted (ondoctl conf mute) the others stop hearing
# it; ondoctl conf kick ends 1003's call; ondoctl conf members and live
# show the room as it is.
. "$(dirname "$0")/../lib/common.sh"
test_init "conference room: N-1 mix of three phones, mute, kick"

DOM=t1.test
ROOM=800
start_ondo
provision tenant add t1 "$DOM"
for e in 1001 1002 1003; do
	provision ext add "$DOM" $e --password "pw-$e-conf"
done
provision conf add "$DOM" $ROOM --name "Weekly call"
out=$(ondoctl conf add "$DOM" 1001 2>&1) && rc=0 || rc=$?
check "a room cannot take an extension's number (exit $rc: $out)" \
	[ "$rc" -ne 0 ]
out=$(ondoctl ext add "$DOM" $ROOM --password 'pw-800-clash' 2>&1) && rc=0 || rc=$?
check "an extension cannot take a room's number (exit $rc: $out)" \
	sh -c "[ $rc -ne 0 ] && echo \"\$1\" | grep -q 'conference room'" _ "$out"
check "ondoctl conf list shows the room" \
	grep -q "Weekly call" <<<"$(ondoctl conf list "$DOM" 2>&1)"

tone() { # FILE HZ RATE: 25 s of tone, then silence
	sox -n -r "$3" -c 1 -b 16 "$1" synth 25 sine "$2" vol 0.5 pad 0 10
}
tone "$T_DIR/500.wav" 500 8000
tone "$T_DIR/900.wav" 900 16000
tone "$T_DIR/1300.wav" 1300 8000
baresip_setup p1001 "<sip:1001@$DOM>;auth_pass=pw-1001-conf" "$T_DIR/500.wav"
BS_CODECS=G722/16000/1 BS_SRATE=16000 baresip_setup p1002 \
	"<sip:1002@$DOM>;auth_pass=pw-1002-conf" "$T_DIR/900.wav"
baresip_setup p1003 "<sip:1003@$DOM>;auth_pass=pw-1003-conf" "$T_DIR/1300.wav"
for p in p1001 p1002 p1003; do
	baresip_start $p
done
for p in p1001 p1002 p1003; do
	baresip_wait_registered $p || fatal "phone ${p#p} did not register:$(baresip_log_tail $p)"
done
pass "three phones registered"

declare -A EST=()
for p in p1001 p1002 p1003; do
	baresip_cmd $p dial "sip:$ROOM@$DOM" >/dev/null ||
		fatal "phone ${p#p} refused the dial command"
	baresip_wait_log $p 10 'Call established' ||
		fatal "phone ${p#p}: no answer from room $ROOM:$(baresip_log_tail $p)"
	EST[$p]=$(date +%s.%N)
	sleep 0.5
done
pass "the three phones are in room $ROOM"

members=$(ondoctl conf members "$DOM" $ROOM 2>&1)
n=$(grep -cE '^ *[0-9]+ +100[123] ' <<<"$members" || true)
check "ondoctl conf members lists three members ($n):$(echo; echo "$members")" [ "$n" = 3 ]
check "ondoctl conf live shows the room with 3 members" \
	grep -qE "$DOM +$ROOM +3 " <<<"$(ondoctl conf live 2>&1)"
id_of() { awk -v c="$1" '$2 == c {print $1}' <<<"$members"; }

# The joining prompts ("there are 3 people ...") are over by now.
sleep 4.5
t_a=$(date +%s.%N)
sleep 3
t_a_end=$(date +%s.%N)
provision conf mute "$DOM" $ROOM "$(id_of 1001)"
sleep 0.8
t_b=$(date +%s.%N)
sleep 3
t_b_end=$(date +%s.%N)
check "ondoctl conf members shows 1001 muted" \
	grep -qE "^ *[0-9]+ +1001 .*muted" <<<"$(ondoctl conf members "$DOM" $ROOM 2>&1)"

provision conf kick "$DOM" $ROOM "$(id_of 1003)"
if baresip_wait_log p1003 5 'terminated|session closed'; then
	pass "kick ended 1003's call"
else
	fail "1003's call still up 5 s after the kick:$(baresip_log_tail p1003)"
fi
check "after the kick two members are left" \
	[ "$(ondoctl conf members "$DOM" $ROOM 2>&1 | grep -cE '^ *[0-9]+ +100[12] ')" = 2 ]
out=$(ondoctl conf kick "$DOM" $ROOM 999 2>&1) && rc=0 || rc=$?
check "kicking an unknown member fails clearly (exit $rc: $out)" \
	sh -c "[ $rc -ne 0 ] && echo \"\$1\" | grep -q 'no member 999'" _ "$out"

for p in p1001 p1002; do
	baresip_cmd $p hangup >/dev/null
	baresip_wait_log $p 5 'terminated|session closed' ||
		fail "phone ${p#p}: call still up after its hangup"
done
room_open() { ondoctl conf live 2>&1 | grep -qE " $ROOM "; }
room_closed() { ! room_open; }
wait_until 5 room_closed &&
	pass "the room closed when the last one left" ||
	fail "room still live after everyone left: $(ondoctl conf live 2>&1)"

# What each phone heard, in windows measured from its own call start.
window() { # PHONE T0 T1 -> "START END" in the phone's recording
	awk -v e="${EST[$1]}" -v a="$2" -v b="$3" \
		'BEGIN { printf "%.2f %.2f", a - e + 0.3, b - e - 0.3 }'
}
heard() { # PHONE T0 T1 HAS LACKS WHAT
	local wav out
	wav=$(baresip_dec_wav "$1")
	[ -n "$wav" ] || { fail "${1#p} recorded nothing"; return; }
	# shellcheck disable=SC2046
	if out=$("$PYTHON" "$TESTS_LIB/tones.py" "$wav" $(window "$1" "$2" "$3") \
		--has "$4" --lacks "$5"); then
		pass "${1#p} $6: $out"
	else
		fail "${1#p} $6: $out"
	fi
}
heard p1001 "$t_a" "$t_a_end" 900,1300 500 "hears 1002 and 1003, not itself"
heard p1002 "$t_a" "$t_a_end" 500,1300 900 "(G.722) hears 1001 and 1003, not itself"
heard p1003 "$t_a" "$t_a_end" 500,900 1300 "hears 1001 and 1002, not itself"
heard p1002 "$t_b" "$t_b_end" 1300 500 "no longer hears muted 1001"
heard p1003 "$t_b" "$t_b_end" 900 500 "no longer hears muted 1001"
heard p1001 "$t_b" "$t_b_end" 900,1300 500 "still hears the room while muted"

check "the room mixed at 16 kHz for the G.722 phone" \
	grep -q "mixing at 16000 Hz" "$ONDO_LOG"
stop_ondo
finish
