#!/bin/bash
# test_vm_deposit.sh - leaving a voicemail: 1002 rings and does not answer,
# so after its ring timeout the PBX answers with 1002's mailbox: the stock
# greeting, a beep, and alice's tone is recorded. The test checks the
# message's row (caller ID, folder), that its WAV in the spool holds the
# tone, and that the phones that rang were told to stop. An extension with
# no phone registered goes to its mailbox at once; a mailbox turned off
# leaves the caller with 480. An IVR key can lead to a mailbox too, and
# the new message turns the lamp of 1002's phones on (NOTIFY).
. "$(dirname "$0")/../lib/common.sh"
test_init "voicemail: a message left on no answer and when not registered"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-alice-1001' --name Alice
provision ext add "$DOM" 1002 --password 'pw-bob-1002' --ring-timeout 5
provision ext add "$DOM" 1003 --password 'pw-carol-1003'

sox -n -r 8000 -c 1 -b 16 "$T_DIR/600.wav" synth 80 sine 600 vol 0.4
make_tone "$T_DIR/1300.wav" 1300
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-alice-1001" "$T_DIR/600.wav"
# bob's phone rings but nobody picks it up (no answermode=auto)
baresip_setup bob "<sip:1002@$DOM>;auth_pass=pw-bob-1002" "$T_DIR/1300.wav"
for p in alice bob; do
	baresip_start $p
	baresip_wait_registered $p || fatal "$p did not register:$(baresip_log_tail $p)"
done
pass "alice and bob registered (carol 1003 has no phone)"

msgs() { # EXT: the box's rows as caller|folder|file
	sql "SELECT m.caller, m.folder, m.file FROM vm_messages m
	     JOIN extensions e ON e.id = m.ext_id WHERE e.number = '$1'"
}
has_msg() { [ -n "$(msgs "$1")" ]; }

# leave NTH EXT: alice calls EXT, speaks (her tone) for 5 s after the
# greeting and beep, hangs up.
leave() {
	local nth=$1 ext=$2
	baresip_cmd alice dial "sip:$ext@$DOM" >/dev/null ||
		fatal "alice refused the dial command"
	baresip_wait_log alice 15 'Call established' "$nth" ||
		fatal "voicemail did not answer alice's call to $ext:$(baresip_log_tail alice)"
	pass "the PBX answered for $ext's mailbox"
	sleep 12 # greeting (about 6 s), beep, then the message
	baresip_cmd alice hangup >/dev/null || true
	if wait_until 10 has_msg "$ext"; then
		pass "a message is indexed for $ext"
	else
		fail "no message for $ext:$(echo; grep -E ' vm |voicemail' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
		return 1
	fi
}

# ---- no answer ----
if leave 1 1002; then
	IFS='|' read -r caller folder file <<<"$(msgs 1002)"
	check "the message is from 1001 (got '$caller')" [ "$caller" = 1001 ]
	check "it is in the new folder (got '$folder')" [ "$folder" = new ]
	wav="$T_DIR/ondo/spool/$file"
	check "its WAV is in the spool ($file)" test -s "$wav"
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.5 "$wav" 600); then
		pass "the message holds alice's tone: $out"
	else
		fail "the message lacks alice's tone: $out"
	fi
	check "bob's phone stopped ringing when voicemail took the call" \
		baresip_wait_log bob 5 'terminated|closed|cancel'
fi
check "ondoctl vm list shows it" \
	sh -c "'$ONDOCTL_BIN' -c '$ONDO_CONF' vm list $DOM 1002 | grep -q 1001"

# ---- not registered: straight to the mailbox ----
leave 2 1003 && check "carol's message is from 1001" [ "$(msgs 1003 | cut -d'|' -f1)" = 1001 ]

# ---- from an IVR: key 1 leaves a message for 1002 ----
provision ivr add "$DOM" main --greeting welcome --timeout 8000
provision ivr option "$DOM" main 1 voicemail 1002
provision route add "$DOM" 800 ivr main
# A second phone of 1002 (SIPp) that only takes the lamp's NOTIFY: it
# must learn of the new message (RFC 3842 message-summary).
LAMP_PORT=$(free_port)
sipp_register reg_lamp "$LAMP_PORT" 1002 'pw-bob-1002' 300 ||
	fatal "the lamp phone did not register"
sipp_bg lamp uas_notify.xml -p "$LAMP_PORT"
sipp_wait_listening "$LAMP_PORT" || fatal "the lamp phone did not bind"
n_before=$(msgs 1002 | wc -l)
baresip_cmd alice dial "sip:800@$DOM" >/dev/null
baresip_wait_log alice 10 'Call established' 3 || fatal "the IVR did not answer"
sleep 1
baresip_cmd alice sndcode 1 >/dev/null
sleep 12
baresip_cmd alice hangup >/dev/null || true
two_msgs() { [ "$(msgs 1002 | wc -l)" -gt "$n_before" ]; }
if wait_until 10 two_msgs; then
	pass "IVR option 1 (voicemail 1002) took a message for 1002"
else
	fail "the IVR's voicemail option left no message:$(echo; grep -E 'ivr|voicemail| vm ' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi
sipp_wait lamp
if [ "$SIPP_RC" -eq 0 ] &&
	grep -q '^Voice-Message: 2/0' "$T_DIR/lamp.msg" &&
	grep -q '^Messages-Waiting: yes' "$T_DIR/lamp.msg"; then
	pass "1002's phone got the lamp NOTIFY: Messages-Waiting: yes, Voice-Message: 2/0"
else
	fail "no message-waiting NOTIFY with 2/0 (SIPp exit $SIPP_RC):$(echo; grep -E '^(NOTIFY|Event|Voice|Messages)' "$T_DIR/lamp.msg" 2>/dev/null | sed 's/^/       /')"
fi

# ---- a mailbox turned off: the caller is told 480 ----
provision vm box "$DOM" 1003 --disable
baresip_cmd alice dial "sip:1003@$DOM" >/dev/null
if baresip_wait_log alice 10 '480'; then
	pass "with the mailbox off, an unregistered extension gives 480"
else
	fail "no 480 with the mailbox off:$(baresip_log_tail alice)"
fi
check "no half-written file is left in the spool" \
	sh -c "! find '$T_DIR/ondo/spool' -name '*.part*' | grep -q ."
stop_ondo
finish
