#!/bin/bash
# test_fwd_dnd.sh - do-not-disturb: a call to 1002 on DND never rings its
# phone. Without a busy forward it goes to 1002's mailbox with the busy
# greeting (a message with the caller's tone is kept); with a busy
# forward to 1003, carol answers and each side hears the other; with the
# mailbox off and no forward the caller gets 486. DND off: the phone rings
# again.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_LIB/fwd.sh"
test_init "do-not-disturb: busy handling without ringing"

start_ondo
provision tenant add t1 "$FWD_DOM"
fwd_exts 1001 1002 1003
fwd_phone alice 1001 600
fwd_phone bob 1002 1300
fwd_phone carol 1003 900 auto
pass "alice (1001), bob (1002) and carol (1003, answers) registered"

provision ext dnd "$FWD_DOM" 1002 on
mark=$(fwd_mark)
fwd_to_mailbox alice 1002 1002 "1002 on DND, no busy forward"
check "the mailbox took it with the busy greeting" \
	grep -qE '(to|app) voicemail\(1002,busy\)' <(fwd_log_since "$mark")
check "the daemon logged the DND" grep -q 'fwd .*1002 is on do-not-disturb' <(fwd_log_since "$mark")

provision ext fwd "$FWD_DOM" 1002 busy 1003
fwd_lands alice 600 1002 carol 900 "1002 on DND with a busy forward to 1003"

provision ext fwd "$FWD_DOM" 1002 busy off
provision vm box "$FWD_DOM" 1002 --disable
fwd_refused alice 1002 486 "1002 on DND, no forward, mailbox off"
check "bob's phone never rang while on DND" [ "$(fwd_rings bob)" = 0 ]

provision ext dnd "$FWD_DOM" 1002 off
baresip_cmd alice dial "sip:1002@$FWD_DOM" >/dev/null
if baresip_wait_log bob 10 'Incoming call'; then
	pass "DND off: bob's phone rings again"
else
	fail "DND off: bob's phone did not ring"
fi
baresip_cmd alice hangup >/dev/null || true
stop_ondo
finish
