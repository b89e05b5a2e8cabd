#!/bin/bash
# test_echo.sh - the echo app: a real phone (baresip) dials a route to the
# echo test and hears its own 700 Hz tone come back through the PBX's
# decode/encode path; '#' ends the test, once sent as an RFC 4733 event and
# once as an in-band tone inside the phone's audio; then the PBX says
# goodbye and hangs up by itself. A playback route answers, plays and
# hangs up. Each call leaves an ANSWERED CDR row.
. "$(dirname "$0")/../lib/common.sh"
test_init "echo test and playback apps"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-1001-echo'
provision route add "$DOM" 600 echo
provision route add "$DOM" 601 playback goodbye
provision route add "$DOM" 602 playback no_such_prompt

# 20 s of 700 Hz: the echo starts after the spoken introduction.
sox -n -r 8000 -c 1 -b 16 "$T_DIR/long700.wav" synth 20 sine 700 vol 0.5 pad 0 10
# 12 s of 700 Hz, then '#' in-band (941 + 1477 Hz, 300 ms), then silence.
sox -n -r 8000 -c 1 -b 16 "$T_DIR/t.wav" synth 12 sine 700 vol 0.5
sox -n -r 8000 -c 1 -b 16 "$T_DIR/hash.wav" synth 0.3 sine 941 sine 1477 \
	remix 1,2 vol 0.4 pad 0 15
sox "$T_DIR/t.wav" "$T_DIR/hash.wav" "$T_DIR/inband.wav"

call_and_wait() { # PHONE WAV NUMBER
	baresip_setup "$1" "<sip:1001@$DOM>;auth_pass=pw-1001-echo" "$2"
	baresip_start "$1"
	baresip_wait_registered "$1" ||
		fatal "phone $1 did not register:$(baresip_log_tail "$1")"
	baresip_cmd "$1" dial "sip:$3@$DOM" >/dev/null ||
		fatal "phone $1 refused the dial command"
	if baresip_wait_log "$1" 10 'Call established'; then
		pass "$1: the PBX answered $3"
	else
		fatal "$1: $3 not answered within 10 s:$(baresip_log_tail "$1")"
	fi
}

# 1. RFC 4733 '#' after the echo has run for a while.
call_and_wait e1 "$T_DIR/long700.wav" 600
sleep 12
baresip_cmd e1 sndcode '#' >/dev/null || fail "phone e1 refused sndcode"
if baresip_wait_log e1 12 'session closed|terminated'; then
	pass "e1: '#' sent as an RFC 4733 event ended the echo test; the PBX hung up"
else
	fail "e1: the echo test did not end on an RFC 4733 '#':$(baresip_log_tail e1)"
	baresip_cmd e1 hangup >/dev/null || true
fi
wav=$(baresip_dec_wav e1)
if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.2 "$wav" 700); then
	pass "e1 heard its own 700 Hz tone echoed: $out"
else
	fail "e1 did not hear its 700 Hz tone come back: $out"
fi

# 2. In-band '#' inside the audio ends it by itself.
call_and_wait e2 "$T_DIR/inband.wav" 600
if baresip_wait_log e2 25 'session closed|terminated'; then
	pass "e2: an in-band '#' ended the echo test; the PBX hung up"
else
	fail "e2: the echo test did not end on an in-band '#':$(baresip_log_tail e2)"
	baresip_cmd e2 hangup >/dev/null || true
fi

# 3. Playback: answer, say goodbye, hang up.
call_and_wait p1 "$T_DIR/long700.wav" 601
if baresip_wait_log p1 10 'session closed|terminated'; then
	pass "p1: playback played and hung up"
else
	fail "p1: playback did not hang up within 10 s:$(baresip_log_tail p1)"
fi
wav=$(baresip_dec_wav p1)
if out=$("$PYTHON" "$TESTS_LIB/tone.py" --absent "$wav" 700); then
	pass "p1 heard the prompt, not its own tone: $out"
else
	fail "p1 hears its own tone during playback: $out"
fi

# 4. A prompt that does not exist: a spoken "cannot be completed", a log
# line, and a hang-up; never a silent dead call.
call_and_wait m1 "$T_DIR/long700.wav" 602
if baresip_wait_log m1 10 'session closed|terminated'; then
	pass "m1: a missing prompt ended the call within 10 s"
else
	fail "m1: a call to a missing prompt stayed up:$(baresip_log_tail m1)"
fi
check "the daemon log names the missing prompt" grep -q "no_such_prompt" "$ONDO_LOG"
wav=$(baresip_dec_wav m1)
if out=$("$PYTHON" "$TESTS_LIB/tone.py" --absent "$wav" 700); then
	pass "m1 heard a spoken message, not silence: $out"
else
	fail "m1: $out"
fi

if wait_cdr 5 4; then
	n=$(sql "SELECT count(*) FROM cdr WHERE disposition = 'ANSWERED' AND callee IN ('600', '601', '602')")
	check "four ANSWERED CDR rows for 600-602 (got $n)" [ "$n" = 4 ]
else
	fail "want 4 CDR rows, have $(cdr_count)"
fi

stop_ondo
finish
