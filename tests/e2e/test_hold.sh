#!/bin/bash
# test_hold.sh - hold with music from the PBX. 1001 (A, 500 Hz) and 1002
# (B, 900 Hz) are baresip phones.
#  - A calls B; B holds (re-INVITE a=sendonly): A hears the PBX's music on
#    hold, not B; B resumes: tones flow both ways again;
#  - the same with A (the caller) holding B;
#  - through a dial route (an app's bridge), B holds A;
#  - the music is the tenant's own ("moh" prompt, a 2200 Hz tone here, so
#    that the held party's recording shows it and nothing of the holder);
#    without it, the stock music plays.
. "$(dirname "$0")/../lib/common.sh"
test_init "hold: music on hold for the held party, resume, through an app, a tenant's own music"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
for e in 1001 1002; do
	provision ext add "$DOM" $e --password "pw-$e-hold"
done
provision route add "$DOM" 2002 dial 1002

tone() { sox -n -r 8000 -c 1 -b 16 "$1" synth 100 sine "$2" vol 0.5; }
tone "$T_DIR/1001.wav" 500
tone "$T_DIR/1002.wav" 900
for e in 1001 1002; do
	baresip_setup "p$e" "<sip:$e@$DOM>;auth_pass=pw-$e-hold" "$T_DIR/$e.wav"
	baresip_start "p$e"
done
for p in p1001 p1002; do
	baresip_wait_registered $p || fatal "phone $p did not register:$(baresip_log_tail $p)"
done
pass "two phones registered"

INCOMING='Incoming call'
EST='Call established'
# call NUMBER: A dials it, B answers.
call() {
	local e r
	e=$(baresip_count p1001 "$EST")
	r=$(baresip_count p1002 "$INCOMING")
	baresip_cmd p1001 dial "sip:$1@$DOM" >/dev/null || fatal "A refused to dial"
	baresip_wait_log p1002 10 "$INCOMING" $((r + 1)) || fatal "B did not ring"
	baresip_cmd p1002 accept >/dev/null
	baresip_wait_log p1001 10 "$EST" $((e + 1)) || fatal "A's call was not answered"
}
window() { # seconds -> "T0 T1"
	local t0
	t0=$(date +%s.%N)
	sleep "$1"
	echo "$t0 $(date +%s.%N)"
}
# cycle HOLDER HELD HELD_HZ HOLDER_HZ [MOH_HZ]: talk, hold, resume; the
# recordings are checked once the call is over.
cycle() {
	local talk1 held talk2 n r
	# Windows keep a second clear of each change: a recording's start
	# is known to the second only (its name).
	sleep 1
	talk1=$(window 2)
	sleep 1.2
	n=$(grep -c "holds the call: music on hold" "$ONDO_LOG" || true)
	r=$(grep -c "resumes the call" "$ONDO_LOG" || true)
	baresip_cmd "$1" hold >/dev/null
	wait_until 10 log_count_gt "holds the call: music on hold" "$n" ||
		fatal "the PBX saw no hold from $1:$(baresip_log_tail "$1")"
	pass "${1#p} put the call on hold"
	sleep 1
	held=$(window 2)
	sleep 1.2
	baresip_cmd "$1" resume >/dev/null
	wait_until 10 log_count_gt "resumes the call" "$r" ||
		fatal "the PBX saw no resume from $1"
	pass "${1#p} resumed the call"
	sleep 1
	talk2=$(window 2)
	sleep 1.2
	baresip_cmd p1001 hangup >/dev/null
	wait_until 10 no_calls || fail "calls left: $(ondoctl calls 2>&1)"
	sleep 0.5
	# shellcheck disable=SC2086
	{
		baresip_heard_window "$2" "$4" "${1#p}'s tone before the hold" $talk1
		if [ -n "${5:-}" ]; then
			baresip_heard_window "$2" "$5" "the tenant's music on hold" $held "$4"
		else
			baresip_heard_window "$2" - "the stock music on hold" $held
		fi
		baresip_heard_window "$2" "$4" "${1#p}'s tone after the resume" $talk2
		# baresip 1.0 rebuilds its playback when it holds a call and
		# its recording of what it hears ends there: the holder's
		# side is checked before the hold only.
		baresip_heard_window "$1" "$3" "${2#p}'s tone before the hold" $talk1
	}
}

MOH=$T_DIR/ondo/spool/tenants/$DOM/prompts/moh.wav
mkdir -p "$(dirname "$MOH")"
sox -n -r 8000 -c 1 -b 16 "$MOH" synth 10 sine 2200 vol 0.5
call 1002
cycle p1002 p1001 500 900 2200
call 1002
cycle p1001 p1002 900 500 2200
call 2002
cycle p1002 p1001 500 900 2200

# ---- the stock music -------------------------------------------------------
rm -f "$MOH"
call 1002
cycle p1002 p1001 500 900

stop_ondo
finish
