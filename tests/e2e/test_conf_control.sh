#!/bin/bash
# test_conf_control.sh - a room with a PIN, a moderator PIN, "wait for the
# moderator" and recording, driven from real phones' keys: a wrong PIN is
# refused; a member waits (held) until the moderator comes; key 1 mutes;
# the moderator's 2 locks the room (a newcomer is turned away) and
# unlocks it, its 3 removes the member who came last; the recording of
# the mix is listed by ondoctl conf recordings and holds the room's audio.
. "$(dirname "$0")/../lib/common.sh"
test_init "conference room: PINs, moderator, keys, lock, recording"

DOM=t1.test
ROOM=801
start_ondo
provision tenant add t1 "$DOM"
for e in 1001 1002 1003; do
	provision ext add "$DOM" $e --password "pw-$e-cc"
done
provision conf add "$DOM" $ROOM --pin 1234 --mod-pin 9999 \
	--wait-moderator on --record on --announce off
out=$(ondoctl conf add "$DOM" 802 --pin 12a4 2>&1) && rc=0 || rc=$?
check "a PIN with a letter is refused (exit $rc: $out)" [ "$rc" -ne 0 ]

for hz in 500 900 1300; do
	sox -n -r 8000 -c 1 -b 16 "$T_DIR/$hz.wav" synth 40 sine $hz vol 0.5 pad 0 10
done
baresip_setup p1001 "<sip:1001@$DOM>;auth_pass=pw-1001-cc" "$T_DIR/500.wav"
baresip_setup p1002 "<sip:1002@$DOM>;auth_pass=pw-1002-cc" "$T_DIR/900.wav"
baresip_setup p1003 "<sip:1003@$DOM>;auth_pass=pw-1003-cc" "$T_DIR/1300.wav"
for p in p1001 p1002 p1003; do baresip_start $p; done
for p in p1001 p1002 p1003; do
	baresip_wait_registered $p || fatal "phone ${p#p} did not register:$(baresip_log_tail $p)"
done

members() { ondoctl conf members "$DOM" $ROOM 2>&1; }
# in_members REGEX / in_live REGEX: for wait_until (ondoctl is a function
# of this shell, not a command sh -c could run).
in_members() { members | grep -qE "$1"; }
in_live() { ondoctl conf live "$DOM" 2>&1 | grep -qE "$1"; }
listed() { ondoctl conf recordings "$DOM" 2>&1 | grep -q 'rooms/'; }

# enter PHONE PIN: dials the room and keys the PIN once the prompt plays.
enter() {
	baresip_cmd "$1" dial "sip:$ROOM@$DOM" >/dev/null ||
		fatal "phone ${1#p} refused the dial command"
	baresip_wait_log "$1" 10 'Call established' "${3:-1}" ||
		fatal "phone ${1#p}: room $ROOM did not answer:$(baresip_log_tail "$1")"
	sleep 1
	baresip_keys "$1" "$2#"
}

# A wrong PIN, then the right one: 1001 is in, but held until a moderator.
enter p1001 1111
est1001=$(date +%s.%N)
sleep 2.5
baresip_keys p1001 "1234#"
wait_until 8 in_members '1001 .*waiting' &&
	pass "after a wrong PIN and the right one, 1001 waits for the moderator" ||
	fail "1001 not waiting in the room: $(members)"
# While it waits it hears music on hold, once the prompts ("this
# conference is being recorded", "... when the moderator joins", about
# 5 s from the entry, which the wait above saw) are over.
sleep 7.5
w0=$(date +%s.%N)
sleep 2
w1=$(date +%s.%N)

enter p1002 9999
wait_until 8 in_members '1002 .*moderator' &&
	pass "1002 is in as moderator" || fail "no moderator 1002: $(members)"
not_waiting() { ! in_members '1001 .*waiting'; }
if wait_until 3 not_waiting; then
	pass "1001 no longer waits once the moderator is in"
else
	fail "1001 still waits with the moderator in: $(members)"
fi

# Both talk for a while (this goes into the recording), then 1001 mutes
# itself with key 1.
sleep 2
baresip_keys p1001 1
wait_until 5 in_members '1001 .*muted' &&
	pass "key 1 muted 1001" || fail "1001 not muted after key 1: $(members)"

# The moderator locks: 1003 with the right PIN is turned away.
baresip_keys p1002 2
wait_until 5 in_live "$ROOM .*locked" &&
	pass "moderator key 2 locked the room" || fail "room not locked: $(ondoctl conf live 2>&1)"
enter p1003 1234
if baresip_wait_log p1003 15 'Call with .* terminated'; then
	pass "1003 was turned away from the locked room"
else
	fail "1003's call to the locked room is still up:$(baresip_log_tail p1003)"
fi
check "the locked room still has 2 members" [ "$(members | grep -cE '^ *[0-9]+ +100[0-9] ')" = 2 ]

# Unlocked, 1003 comes in; the moderator's 3 removes it (the last one in).
baresip_keys p1002 2
wait_until 5 in_live "$ROOM .*open" ||
	fail "room not unlocked: $(ondoctl conf live 2>&1)"
enter p1003 1234 2
wait_until 8 in_members '^ *[0-9]+ +1003 ' &&
	pass "1003 entered once the room was unlocked" || fail "1003 not in: $(members)"
baresip_keys p1002 3
if baresip_wait_log p1003 10 'Call with .* terminated' 2; then
	pass "moderator key 3 removed 1003, the last one in"
else
	fail "1003 still in after the moderator's 3: $(members)"
fi

for p in p1001 p1002; do
	baresip_cmd $p hangup >/dev/null
	baresip_wait_log $p 5 'Call with .* terminated' || fail "phone ${p#p} still in a call"
done

# What 1001 heard while it waited: music, not silence.
wav=$(baresip_dec_wav p1001)
out=$("$PYTHON" - "$wav" "$est1001" "$w0" "$w1" <<'PY'
import array, math, sys, wave
path, est, a, b = sys.argv[1], *map(float, sys.argv[2:])
with wave.open(path) as w:
    rate = w.getframerate()
    pcm = array.array("h", w.readframes(w.getnframes()))
lo, hi = int((a - est + 0.3) * rate), int((b - est - 0.3) * rate)
part = pcm[max(lo, 0):max(hi, 0)]
rms = math.sqrt(sum(x * x for x in part) / len(part)) if part else 0
print(f"rms {rms:.0f} over {len(part) / rate:.1f} s")
sys.exit(0 if rms > 200 else 1)
PY
) && pass "1001 heard music on hold while it waited ($out)" ||
	fail "1001 heard silence while it waited for the moderator ($out)"

# The recording: listed once the room closed, complete on disk.
wait_until 5 listed &&
	pass "ondoctl conf recordings lists the room's recording" ||
	fail "no recording listed: $(ondoctl conf recordings "$DOM" 2>&1)"
rel=$(ondoctl conf recordings "$DOM" $ROOM 2>/dev/null | grep -o 'rooms/[^ ]*\.wav' | head -n 1)
wav=$T_DIR/ondo/spool/$rel
wait_until 5 test -s "$wav" && pass "recording $rel is on disk" ||
	fail "recording file $wav missing"
if [ -s "$wav" ]; then
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.2 "$wav" 900); then
		pass "the recording holds the moderator's 900 Hz: $out"
	else
		fail "the recording lacks the moderator's tone: $out"
	fi
fi
stop_ondo
finish
