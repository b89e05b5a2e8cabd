#!/bin/bash
# test_ivr.sh - an IVR menu routes the caller by the digit it presses:
# 2 -> extension 1002 (pressed as an RFC 4733 event), 3 -> extension 1003
# (pressed as an in-band tone inside the caller's audio). The call lands
# on the right phone: that phone's recording hears the caller's 700 Hz
# tone, and the other phone never rings.
. "$(dirname "$0")/../lib/common.sh"
test_init "IVR menu sends the caller where its digit says"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
for n in 1001 1002 1003; do
	provision ext add "$DOM" $n --password "pw-$n-ivr"
done
provision ivr add "$DOM" main --greeting welcome --timeout 8000
provision ivr option "$DOM" main 2 extension 1002
provision ivr option "$DOM" main 3 extension 1003
provision route add "$DOM" 800 ivr main

# Call 1: a long 700 Hz tone; '2' is sent as an event.
sox -n -r 8000 -c 1 -b 16 "$T_DIR/700.wav" synth 14 sine 700 vol 0.5 pad 0 10
# Call 2: 1 s quiet, '3' in-band (697 + 1477 Hz, 250 ms), 1.5 s quiet,
# then the 700 Hz tone.
sox -n -r 8000 -c 1 -b 16 "$T_DIR/d3.wav" synth 0.25 sine 697 sine 1477 \
	remix 1,2 vol 0.4 pad 1 1.5
sox -n -r 8000 -c 1 -b 16 "$T_DIR/t.wav" synth 12 sine 700 vol 0.5 pad 0 10
sox "$T_DIR/d3.wav" "$T_DIR/t.wav" "$T_DIR/inband3.wav"
make_tone "$T_DIR/1100.wav" 1100

for n in 1002 1003; do
	baresip_setup "p$n" "<sip:$n@$DOM>;auth_pass=pw-$n-ivr;answermode=auto" \
		"$T_DIR/1100.wav"
	baresip_start "p$n"
	baresip_wait_registered "p$n" ||
		fatal "phone $n did not register:$(baresip_log_tail "p$n")"
done
pass "phones 1002 and 1003 registered"

call() { # NAME WAV
	baresip_setup "$1" "<sip:1001@$DOM>;auth_pass=pw-1001-ivr" "$2"
	baresip_start "$1"
	baresip_wait_registered "$1" ||
		fatal "phone $1 did not register:$(baresip_log_tail "$1")"
	baresip_cmd "$1" dial "sip:800@$DOM" >/dev/null ||
		fatal "phone $1 refused the dial command"
	baresip_wait_log "$1" 10 'Call established' ||
		fatal "$1: the IVR did not answer:$(baresip_log_tail "$1")"
	pass "$1: the IVR answered"
}

lands_on() { # CALLER PHONE OTHER HOW OTHER_CALLS_BEFORE
	if baresip_wait_log "p$2" 15 'Call established'; then
		pass "$4 put the caller through to $2"
	else
		fail "$4: $2 never answered:$(baresip_log_tail "$1" 8)"
		return
	fi
	sleep 4
	baresip_cmd "$1" hangup >/dev/null || true
	baresip_wait_log "p$2" 10 'terminated|session closed' ||
		fail "$2: call still up after the caller hung up"
	local wav out
	wav=$(baresip_dec_wav "p$2")
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.3 "$wav" 700); then
		pass "$2 heard the caller's 700 Hz tone: $out"
	else
		fail "$2 did not hear the caller: $out"
	fi
	check "$3 did not ring" [ "$(baresip_count "p$3" 'Call established')" = "$5" ]
}

call c1 "$T_DIR/700.wav"
sleep 1
baresip_cmd c1 sndcode 2 >/dev/null || fail "c1 refused sndcode"
lands_on c1 1002 1003 "'2' as an RFC 4733 event" 0

# 1002's recording is reused below: move it out of the way.
rm -f "${BS_DIR[p1002]}"/snd/*.wav
call c2 "$T_DIR/inband3.wav"
lands_on c2 1003 1002 "'3' as an in-band tone" 1

stop_ondo
finish
