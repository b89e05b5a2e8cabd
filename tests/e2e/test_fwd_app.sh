#!/bin/bash
# test_fwd_app.sh - forwards of extensions reached by an app's chan_bridge
# (an IVR key, a dial route) rather than dialled: an IVR key to 1002
# (forward always to 1003) reaches carol; a route "8002 -> dial 1002"
# with 1002 unanswered forwards to 1003 after 5 s, carol answers, each
# side hears the other; 1002 on DND with its busy forward to its own
# mailbox keeps a message with the caller's tone; a loop through the
# dialplan (1002 forwards to number 8002, whose route dials 1002) stops,
# with 1002's mailbox off, as busy (486).
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_LIB/fwd.sh"
test_init "forwarding through chan_bridge: IVR keys and dial routes"

start_ondo
provision tenant add t1 "$FWD_DOM"
fwd_exts 1001 1002 1003
provision ivr add "$FWD_DOM" main --greeting welcome --timeout 8000
provision ivr option "$FWD_DOM" main 1 extension 1002
provision route add "$FWD_DOM" 800 ivr main
provision route add "$FWD_DOM" 8002 dial 1002
fwd_phone alice 1001 600
fwd_phone bob 1002 1300
fwd_phone carol 1003 900 auto
pass "alice (1001), bob (1002, rings) and carol (1003, answers) registered"

# ---- an IVR key to 1002, forwarded always to 1003 ----
provision ext fwd "$FWD_DOM" 1002 always 1003
c0=$(fwd_established alice)
p0=$(fwd_established carol)
baresip_cmd alice dial "sip:800@$FWD_DOM" >/dev/null
baresip_wait_log alice 10 'Call established' $((c0 + 1)) || fatal "the IVR did not answer"
sleep 1
baresip_cmd alice sndcode 1 >/dev/null
if baresip_wait_log carol 20 'Call established' $((p0 + 1)); then
	pass "IVR key 1 (extension 1002, forwarded always) reached carol (1003)"
	sleep 4
	baresip_cmd alice hangup >/dev/null || true
	fwd_wait_closed carol $((p0 + 1)) || fail "carol's call still up after alice hung up"
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.3 "$(baresip_dec_wav carol)" 600); then
		pass "carol heard alice's 600 Hz tone: $out"
	else
		fail "carol did not hear alice: $out"
	fi
else
	fail "IVR key 1: carol never answered:$(echo; grep -E ' (fwd|call) ' "$ONDO_LOG" | tail -n 6 | sed 's/^/       /')"
	baresip_cmd alice hangup >/dev/null || true
fi
check "bob's phone never rang" [ "$(fwd_rings bob)" = 0 ]

# ---- a dial route, no answer for 5 s ----
provision ext fwd "$FWD_DOM" 1002 always off
provision ext fwd "$FWD_DOM" 1002 noanswer 1003 --after 5
mark=$(fwd_mark)
fwd_lands alice 600 8002 carol 900 "route 8002 (dial 1002), unanswered 5 s, forwards to 1003"
check "bob's phone rang first" [ "$(fwd_rings bob)" = 1 ]
check "the bridge moved on from 1002 to 1003" \
	grep -q 'call .*bridge forwarded, ringing 1003 (30 s)' <(fwd_log_since "$mark")

# ---- DND, its busy forward to its own mailbox ----
provision ext fwd "$FWD_DOM" 1002 noanswer off
provision ext fwd "$FWD_DOM" 1002 busy voicemail
provision ext dnd "$FWD_DOM" 1002 on
mark=$(fwd_mark)
fwd_to_mailbox alice 8002 1002 "route 8002 to 1002 on DND, busy forward to its mailbox"
check "the voicemail app ran in the bridge's place" \
	grep -q 'bridge to .*forwarded to voicemail(1002,busy)\|app voicemail(1002,busy)\|1002 forwards (busy) to the mailbox of 1002' \
	<(fwd_log_since "$mark")
provision ext dnd "$FWD_DOM" 1002 off
provision ext fwd "$FWD_DOM" 1002 busy off

# ---- a loop through the dialplan: 1002 -> number 8002 -> dial 1002 ----
provision ext fwd "$FWD_DOM" 1002 always number:8002
provision vm box "$FWD_DOM" 1002 --disable
mark=$(fwd_mark)
fwd_refused alice 8002 486 "1002 forwards to 8002, whose route dials 1002 (mailbox off)"
check "the loop through the route is logged" \
	grep -q 'WARN fwd .*forward loop (1002 -> 1002): the caller gets busy' <(fwd_log_since "$mark")
check "bob's phone did not ring in the loop" [ "$(fwd_rings bob)" = 1 ]
stop_ondo
finish
