#!/bin/bash
# test_inputs.sh - the REST API against bad input, CSRF, tokens, log-out,
# the audit log and the log-in throttle (inputs.py), over real HTTP.
. "$(dirname "$0")/../lib/common.sh"
test_init "REST API: bad input, CSRF, tokens, audit, throttle"

start_ondo
provision tenant add A a.test
provision ext add a.test 1001 --password 'sip-pass-1001'
provision user add adma --role admin --tenant a.test --password adma-pass-1
provision user add ua --role user --tenant a.test --ext 1001 --password ua-pass-123

# Call records to search: two of 1001's (and below two recorded ones) (one with a caller ID that a
# spreadsheet would run as a formula), one of 1002's, one of another
# tenant.
provision tenant add B b.test
sql "INSERT INTO cdr (tenant_id, call_id, caller, callee, start_us, end_us, disposition)
     VALUES (1, 'c1', '1001', '1002', 1700000000000000, 1700000010000000, 'ANSWERED'),
            (1, 'c2', '=HYPERLINK(1)', '1001', 1700000100000000, 1700000110000000, 'NO ANSWER'),
            (1, 'c3', '1002', '1003', 1700000200000000, 1700000210000000, 'BUSY'),
            (2, 'c4', '1001', '1002', 1700000300000000, 1700000310000000, 'ANSWERED')"
# Two recorded calls: one whose WAV is there, one whose stored name tries
# to climb out of the spool.
mkdir -p "$T_DIR/ondo/spool/recordings"
sox -n -r 8000 -c 1 -b 16 "$T_DIR/ondo/spool/recordings/c5.wav" synth 1 sine 700
sql "INSERT INTO cdr (tenant_id, call_id, caller, callee, start_us, end_us, disposition, recording)
     VALUES (1, 'c5', '1001', '1002', 1690000000000000, 1690000010000000, 'ANSWERED', 'recordings/c5.wav'),
            (1, 'c6', '1001', '1002', 1690000000000001, 1690000010000000, 'ANSWERED', '../../etc/passwd')"
# Room recordings: one whose WAV is there, one whose file is gone, one
# whose stored name tries to climb out of the spool; one of tenant B.
mkdir -p "$T_DIR/ondo/spool/rooms/a.test"
sox -n -r 8000 -c 1 -b 16 "$T_DIR/ondo/spool/rooms/a.test/800-1700000300.wav" synth 1 sine 700
sql "INSERT INTO room_recordings (tenant_id, room, path, started, duration_s)
     VALUES (1, '800', 'rooms/a.test/800-1700000300.wav', 1700000300, 1),
            (2, '800', 'rooms/b.test/800-1700000300.wav', 1700000300, 1),
            (1, '800', 'rooms/a.test/800-1700000200.wav', 1700000200, 1),
            (1, '800', '../../etc/passwd', 1700000100, 1)"
# A prompt upload as a user's recorder makes it: stereo, 44.1 kHz.
sox -n -r 44100 -c 2 -b 16 "$T_DIR/prompt.wav" synth 2 sine 440 vol 0.5
if "$PYTHON" "$SRC_ROOT/tests/api/inputs.py" "$ONDO_HTTP_PORT" "$TESTS_LIB" "$T_DIR/prompt.wav"; then
	pass "the API refused what it should and kept what it should"
else
	fail "some API checks failed (above)"
fi
check "the daemon logged the failed log-ins" grep -q "failed log-in as 'adma' from 127.0.0.1" "$ONDO_LOG"
check "refused prompt uploads left no temporary file in the spool" \
	[ -z "$(find "$T_DIR/ondo/spool/tenants/a.test/prompts" -name '.upload-*' -o -name '*.part-*')" ]
check "deleting the room recording removed its WAV from the spool" \
	[ ! -e "$T_DIR/ondo/spool/rooms/a.test/800-1700000300.wav" ]
check "the SIP password set through the API is the extension's HA1 now" \
	[ "$(sql "SELECT ha1 FROM extensions WHERE number = '1001'")" = \
	  "$(printf '1001:a.test:new-sip-pw-1' | md5sum | cut -d' ' -f1)" ]
stop_ondo
finish
