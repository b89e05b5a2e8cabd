#!/bin/bash
# test_voicemail.sh - a message left by a real phone plays in the panel:
# alice (baresip) calls 1002, which has no phone, so its mailbox answers;
# after the greeting and beep alice's tone is recorded and '#' ends it.
# The superadmin and 1002's own user then hear it in the page; the user
# marks it heard and deletes it, and the spool and database follow. The
# user then sets its PIN and email and uploads a greeting in the page.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: a voicemail left by a phone plays in the page"

DOM=acme.test
web_start
provision tenant add Acme "$DOM"
provision ext add "$DOM" 1001 --password 'pw-alice-1001' --name Alice
provision ext add "$DOM" 1002 --password 'pw-bob-1002' --name Bob
provision user add ub --role user --tenant "$DOM" --ext 1002 --password ub-pass-123

sox -n -r 8000 -c 1 -b 16 "$T_DIR/600.wav" synth 80 sine 600 vol 0.4
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-alice-1001" "$T_DIR/600.wav"
baresip_start alice
baresip_wait_registered alice || fatal "alice did not register:$(baresip_log_tail alice)"

BOX=$T_DIR/ondo/spool/tenants/$DOM/vm/1002
msgs() { sql "SELECT count(*) FROM vm_messages m JOIN extensions e ON e.id = m.ext_id WHERE e.number = '1002'"; }
# The recording grows in the box once the greeting and beep are over.
recorded_s() { # seconds recorded so far (8 kHz, 16-bit)
	local b
	b=$(find "$BOX" -type f -name '*.wav*' -printf '%s\n' 2>/dev/null | sort -n | tail -n 1)
	echo $(((${b:-0}) / 16000))
}
recorded_3s() { [ "$(recorded_s)" -ge 3 ]; }

baresip_cmd alice dial "sip:1002@$DOM" >/dev/null || fatal "alice refused the dial command"
baresip_wait_log alice 15 'Call established' ||
	fatal "voicemail did not answer alice's call:$(baresip_log_tail alice)"
pass "1002's mailbox answered alice's call"
wait_until 30 recorded_3s || fail "no recording grew in $BOX"
baresip_cmd alice sndcode '#' >/dev/null || true
if wait_until 10 sh -c "[ \"\$(sqlite3 -cmd '.timeout 2000' '$ONDO_DB' \"SELECT count(*) FROM vm_messages\")\" -ge 1 ]"; then
	pass "the message is indexed ($(recorded_s) s recorded)"
else
	fatal "no message was indexed:$(echo; grep -E ' vm |voicemail' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi
baresip_cmd alice hangup >/dev/null 2>&1 || true
wav=$(find "$BOX" -type f -name '*.wav' | head -n 1)
if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.5 "$wav" 600); then
	pass "the message holds alice's 600 Hz tone: $out"
else
	fail "the message lacks alice's tone: $out"
fi

web_step voicemail.mjs admin 1002 1001 || true
web_step voicemail.mjs user 1002 || true
check "the message is gone from the database" [ "$(msgs)" = 0 ]
sox -n -r 8000 -c 1 -b 16 "$T_DIR/away.wav" synth 2 sine 440 vol 0.4
web_step voicemail.mjs settings 1002 "$T_DIR/away.wav" || true
check "the PIN and email set in the page are in the database" \
	sh -c "sqlite3 '$ONDO_DB' \"SELECT b.email, length(b.pin_hash) > 0 FROM vm_boxes b JOIN extensions e ON e.id = b.ext_id WHERE e.number = '1002'\" | grep -qx 'bob@example.com|1'"
check "and its file from the spool" \
	sh -c "! find '$BOX' -type f -name '*.wav' | grep -q ."
baresip_stop alice
stop_ondo
finish
