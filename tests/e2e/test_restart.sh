#!/bin/bash
# test_restart.sh - registrations survive a daemon restart: phones register,
# a call is up when the daemon gets SIGTERM (both phones must get a BYE),
# the daemon starts again on the same database, and 1001 calls 1002 without
# either phone registering again. The call connects and carries audio.
. "$(dirname "$0")/../lib/common.sh"
test_init "restart keeps registrations; SIGTERM ends calls"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-1001-restart'
provision ext add "$DOM" 1002 --password 'pw-1002-restart'

make_tone "$T_DIR/700.wav" 700
make_tone "$T_DIR/1100.wav" 1100
baresip_setup p1001 "<sip:1001@$DOM>;auth_pass=pw-1001-restart" "$T_DIR/700.wav"
baresip_setup p1002 "<sip:1002@$DOM>;auth_pass=pw-1002-restart;answermode=auto" \
	"$T_DIR/1100.wav"
baresip_start p1001
baresip_start p1002
for p in p1001 p1002; do
	baresip_wait_registered $p || fatal "phone ${p#p} did not register:$(baresip_log_tail $p)"
done
pass "both phones registered"

# A call in progress when the daemon is told to stop.
baresip_cmd p1001 dial "sip:1002@$DOM" >/dev/null || fatal "phone 1001 refused to dial"
for p in p1001 p1002; do
	baresip_wait_log $p 10 'Call established' ||
		fatal "first call: phone ${p#p} not connected within 10 s:$(baresip_log_tail $p)"
done
pass "first call connected"
stop_ondo || true
for p in p1001 p1002; do
	if baresip_wait_log $p 5 'terminated|session closed'; then
		pass "phone ${p#p} was hung up when the daemon stopped"
	else
		fail "phone ${p#p} still thinks the call is up after the daemon stopped (no BYE):$(baresip_log_tail $p)"
	fi
done
# Settle any hangup the phones still send, so the next call starts clean.
for p in p1001 p1002; do
	wait_until 5 sh -c "[ -z \"\$('$PYTHON' '$TESTS_LIB/bctl.py' ${BS_CTRL[$p]} cmd listcalls | grep -o ESTABLISHED)\" ]" || true
done
regs_before=$(baresip_count p1001 "$BS_REG_OK")

start_ondo
out=$(ondoctl reg list "$DOM" 2>&1 || true)
if [ "$(grep -cE '100[12]' <<<"$out")" -ge 2 ]; then
	pass "after the restart ondoctl reg list still shows both phones"
else
	fail "registrations lost in the restart; ondoctl reg list $DOM:$(echo; sed 's/^/       /' <<<"$out")"
fi

baresip_cmd p1001 dial "sip:1002@$DOM" >/dev/null || fatal "phone 1001 refused to dial"
for p in p1001 p1002; do
	if baresip_wait_log $p 10 'Call established' 2; then
		pass "second call (after restart): phone ${p#p} connected"
	else
		fatal "second call (after restart): phone ${p#p} not connected within 10 s:$(baresip_log_tail $p)"
	fi
done
check "1001 did not register again before calling" \
	[ "$(baresip_count p1001 "$BS_REG_OK")" = "$regs_before" ]
sleep 3
baresip_cmd p1001 hangup >/dev/null || true
baresip_wait_log p1002 10 'terminated|session closed' 2 ||
	fail "phone 1002: second call still up 10 s after 1001 hung up"

wav=$(baresip_dec_wav p1002)
if out=$("$PYTHON" "$TESTS_LIB/tone.py" "$wav" 700); then
	pass "after the restart 1002 heard 1001's 700 Hz tone: $out"
else
	fail "after the restart 1002 heard no 700 Hz tone from 1001: $out"
fi
wav=$(baresip_dec_wav p1001)
if out=$("$PYTHON" "$TESTS_LIB/tone.py" "$wav" 1100); then
	pass "after the restart 1001 heard 1002's 1100 Hz tone: $out"
else
	fail "after the restart 1001 heard no 1100 Hz tone from 1002: $out"
fi

if wait_cdr 5 2; then
	IFS='|' read -r disp dur <<<"$(cdr_row "disposition, duration")"
	check "CDR of the second call: ANSWERED, duration >= 1 (got '$disp', '$dur')" \
		[ "$disp" = ANSWERED -a "${dur:-0}" -ge 1 ]
else
	fail "want 2 CDR rows (the call ended by the shutdown and the one after), have $(cdr_count)"
fi

stop_ondo
finish
