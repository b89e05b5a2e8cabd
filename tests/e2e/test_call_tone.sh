#!/bin/bash
# test_call_tone.sh - two real phones (baresip) register, 1001 calls 1002,
# each plays its own tone (1001: 700 Hz, 1002: 1100 Hz) and records what it
# hears. Each must hear the other's tone, not its own; the CDR says
# ANSWERED with a duration of at least 1 s.
. "$(dirname "$0")/../lib/common.sh"
test_init "phone call carries audio both ways"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-1001-tone'
provision ext add "$DOM" 1002 --password 'pw-1002-tone'

make_tone "$T_DIR/700.wav" 700
make_tone "$T_DIR/1100.wav" 1100
baresip_setup p1001 "<sip:1001@$DOM>;auth_pass=pw-1001-tone" "$T_DIR/700.wav"
baresip_setup p1002 "<sip:1002@$DOM>;auth_pass=pw-1002-tone;answermode=auto" \
	"$T_DIR/1100.wav"
baresip_start p1001
baresip_start p1002
for p in p1001 p1002; do
	if baresip_wait_registered $p; then
		pass "phone ${p#p} registered"
	else
		fatal "phone ${p#p} did not register:$(baresip_log_tail $p)"
	fi
done
n=$(ondoctl reg list "$DOM" 2>&1 | grep -cE '100[12]' || true)
check "ondoctl reg list $DOM shows both phones ($n lines)" [ "$n" -ge 2 ]

baresip_cmd p1001 dial "sip:1002@$DOM" >/dev/null ||
	fatal "phone 1001 refused the dial command"
for p in p1001 p1002; do
	if baresip_wait_log $p 10 'Call established'; then
		pass "phone ${p#p}: call established"
	else
		fatal "phone ${p#p}: call not established within 10 s:$(baresip_log_tail $p)"
	fi
done
live=$(ondoctl calls 2>&1 || true)
check "ondoctl calls shows the call in progress" grep -q 1001 <<<"$live"

# Let 3 s of the 6 s tones through, then 1001 hangs up.
sleep 3
baresip_cmd p1001 hangup >/dev/null || fail "phone 1001 refused the hangup command"
for p in p1001 p1002; do
	if baresip_wait_log $p 10 'terminated|session closed'; then
		pass "phone ${p#p}: call ended"
	else
		fail "phone ${p#p}: call still up 10 s after 1001 hung up:$(baresip_log_tail $p)"
	fi
done

# Media went through the PBX: each phone got RTP from a PBX RTP port.
for p in p1001 p1002; do
	src=$(baresip_out $p | sed -n "s/.*incoming rtp for 'audio' established, receiving from 127.0.0.1:\([0-9]*\).*/\1/p" | tail -n 1)
	if in_rtp_range "$src"; then
		pass "phone ${p#p} got its audio from PBX port $src"
	else
		fail "phone ${p#p} got audio from port '${src}', not from the PBX ($ONDO_RTP_MIN-$ONDO_RTP_MAX)"
	fi
done

# What each phone heard.
heard() { # PHONE OTHER OTHER_HZ OWN_HZ
	local wav out
	wav=$(baresip_dec_wav "p$1")
	if [ -z "$wav" ]; then
		fail "phone $1 recorded nothing (no dump-*-dec.wav)"
		return
	fi
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" "$wav" "$3"); then
		pass "$1 heard $2's $3 Hz tone: $out"
	else
		fail "$1 heard no $3 Hz tone from $2: $out"
	fi
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --absent "$wav" "$4"); then
		pass "$1 did not hear its own $4 Hz tone back: $out"
	else
		fail "$1 hears its own $4 Hz tone (echo or looped media): $out"
	fi
}
heard 1002 1001 700 1100
heard 1001 1002 1100 700

if wait_cdr 5; then
	IFS='|' read -r caller callee disp dur status <<<"$(cdr_row "caller, callee, disposition, duration, sip_status")"
	check "CDR: 1001 -> 1002 (got '$caller' -> '$callee')" [ "$caller" = 1001 -a "$callee" = 1002 ]
	check "CDR disposition is ANSWERED (got '$disp')" [ "$disp" = ANSWERED ]
	check "CDR duration is at least 1 s (got '$dur')" [ "${dur:-0}" -ge 1 ]
	check "CDR sip_status is 200 (got '$status')" [ "$status" = 200 ]
	IFS='|' read -r l1 j1 l2 j2 <<<"$(cdr_row "caller_lost, caller_jitter_ms, callee_lost, callee_jitter_ms")"
	check "CDR media quality: no packet lost on loopback (caller $l1, callee $l2)" [ "$l1" = 0 -a "$l2" = 0 ]
	check "CDR media quality: jitter measured on both legs ('$j1', '$j2')" [ -n "$j1" -a -n "$j2" ]
else
	fail "no CDR row within 5 s after the call"
fi
# Both phones share PCMU: the relay passes packets as they are.
check "a shared codec is relayed, never transcoded" \
	sh -c "! grep -q 'transcod' '$ONDO_LOG'"

stop_ondo
finish
