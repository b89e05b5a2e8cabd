#!/bin/bash
# test_transcode.sh - a G.722-only phone (16 kHz) calls a PCMU-only phone
# through a dialplan route to the dial app: the PBX answers the caller,
# rings the callee with its own offer, and joins the two media channels,
# decoding G.722, resampling 16 -> 8 kHz, encoding PCMU (and back). Each
# phone must hear the other's tone.
. "$(dirname "$0")/../lib/common.sh"
test_init "G.722 caller and PCMU callee hear each other (transcoding)"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-1001-g722'
provision ext add "$DOM" 1002 --password 'pw-1002-pcmu'
provision route add "$DOM" 7002 dial 1002

sox -n -r 16000 -c 1 -b 16 "$T_DIR/700w.wav" synth 8 sine 700 vol 0.5 pad 0 20
make_tone "$T_DIR/1100.wav" 1100
BS_CODECS=G722/16000/1 BS_SRATE=16000 baresip_setup wide \
	"<sip:1001@$DOM>;auth_pass=pw-1001-g722" "$T_DIR/700w.wav"
baresip_setup narrow "<sip:1002@$DOM>;auth_pass=pw-1002-pcmu;answermode=auto" \
	"$T_DIR/1100.wav"
for p in wide narrow; do
	baresip_start $p
	baresip_wait_registered $p ||
		fatal "phone $p did not register:$(baresip_log_tail $p)"
done
pass "both phones registered"


# call NUMBER NTH: the G.722 phone calls NUMBER (its NTH call); both
# phones must hear each other and the CDR must say so.
call() {
	local number=$1 nth=$2 p callee disp l1 j1 l2 j2
	baresip_cmd wide dial "sip:$number@$DOM" >/dev/null ||
		fatal "phone wide refused the dial command"
	for p in wide narrow; do
		if baresip_wait_log $p 10 'Call established' "$nth"; then
			pass "$p: call to $number established"
		else
			fatal "$p: no call within 10 s:$(baresip_log_tail $p)"
		fi
	done
	check "the caller talks G.722 (and only G.722)" \
		[ "$(baresip_count wide 'audio encoder: G722')" -ge "$nth" ]
	sleep 6
	baresip_cmd wide hangup >/dev/null || true
	for p in wide narrow; do
		baresip_wait_log $p 10 'terminated|session closed' "$nth" ||
			fail "$p: call still up after the hang-up"
	done
	baresip_heard narrow 700 "the G.722 caller"
	baresip_heard wide 1100 "the PCMU callee"
	if wait_cdr 5 "$nth"; then
		IFS='|' read -r callee disp <<<"$(cdr_row "callee, disposition")"
		check "CDR: $number ANSWERED (got '$callee' '$disp')" \
			[ "$callee" = "$number" -a "$disp" = ANSWERED ]
		IFS='|' read -r l1 j1 l2 j2 <<<"$(cdr_row "caller_lost, caller_jitter_ms, callee_lost, callee_jitter_ms")"
		check "CDR media quality measured on both decoded legs (lost $l1/$l2, jitter '$j1'/'$j2')" \
			[ -n "$l1" -a -n "$l2" -a -n "$j1" -a -n "$j2" ]
	else
		fail "no CDR row for the call to $number"
	fi
}

# Through a route to the dial app: the PBX answers the caller and rings
# the callee with its own offer.
call 7002 1

# Straight to the extension: the callee first gets the caller's own offer
# (relayed as it is when they share a codec), refuses it, and is then
# offered the PBX's codecs on the same relay port; the relay becomes two
# joined channels that transcode.
call 1002 2
check "the direct call was first offered as the caller made it, then transcoded" \
	grep -q 'offering the PBX.s own, to transcode' "$ONDO_LOG"
check "the daemon logged the transcoding (G722 <-> PCMU)" \
	grep -q 'transcoding 1001 (G722) <-> 1002 (PCMU)' "$ONDO_LOG"
no_calls() { ondoctl calls 2>/dev/null | grep -q "no calls in progress"; }
if wait_until 5 no_calls; then
	pass "no call left in the live list"
else
	fail "calls left after the hang-up: $(ondoctl calls)"
fi

# The tenant's codec list decides: without G.722 in it, the G.722-only
# phone shares no codec with the PBX and is refused (488).
provision tenant codecs "$DOM" PCMU,PCMA
baresip_cmd wide dial "sip:7002@$DOM" >/dev/null ||
	fatal "phone wide refused the dial command"
if baresip_wait_log wide 10 '488'; then
	pass "with codecs PCMU,PCMA the G.722-only caller gets 488"
else
	fail "the tenant's codec list was not applied:$(baresip_log_tail wide)"
fi
stop_ondo
finish
