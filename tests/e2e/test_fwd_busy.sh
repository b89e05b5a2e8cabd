#!/bin/bash
# test_fwd_busy.sh - forward on busy: bob (1002) is in a call and his phone
# answers another with 486; a call to 1002 then rings carol (1003), who
# answers, and each side hears the other. The loop case: carol busy too
# and forwarding back to 1002, the call stops in 1002's mailbox (a message
# with the caller's tone). Direct calls; busy phones are real baresip
# phones that allow one call at a time.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_LIB/fwd.sh"
test_init "forward on busy: lands on the target; the loop stops in the mailbox"

start_ondo
provision tenant add t1 "$FWD_DOM"
fwd_exts 1001 1002 1003
provision route add "$FWD_DOM" 600 echo
fwd_phone alice 1001 600
FWD_MAX_CALLS=1 fwd_phone bob 1002 1300 auto
FWD_MAX_CALLS=1 fwd_phone carol 1003 900 auto
pass "alice (1001), bob (1002) and carol (1003) registered; bob and carol take one call at a time"

provision ext fwd "$FWD_DOM" 1002 busy 1003
fwd_busy bob
pass "bob is busy in a call"
mark=$(fwd_mark)
fwd_lands alice 600 1002 carol 900 "1002 busy, forwards to 1003"
check "the daemon logged the busy forward" \
	grep -q 'fwd .*1002 forwards (busy) to 1003' <(fwd_log_since "$mark")
check "bob's phone turned the call away as busy" \
	grep -qi 'max.*calls' <(baresip_out bob)

# ---- the loop: carol busy too, forwarding back to 1002 ----
provision ext fwd "$FWD_DOM" 1003 busy 1002
fwd_busy carol
pass "carol is busy in a call"
mark=$(fwd_mark)
fwd_to_mailbox alice 1002 1002 "busy loop 1002 -> 1003 -> 1002"
check "the loop is logged as a warning with its path" \
	grep -q 'WARN fwd .*forward loop (1002 -> 1003 -> 1002): the call goes to the mailbox of 1002' \
	<(fwd_log_since "$mark")

# ---- no forward: busy as before (the mailbox, with the busy greeting) ----
provision ext fwd "$FWD_DOM" 1002 busy off
mark=$(fwd_mark)
c0=$(fwd_established alice)
baresip_cmd alice dial "sip:1002@$FWD_DOM" >/dev/null
baresip_wait_log alice 20 'Call established' $((c0 + 1)) ||
	fail "without a busy forward, 1002's mailbox did not answer"
baresip_cmd alice hangup >/dev/null || true
check "without a busy forward the call went to 1002's mailbox with the busy greeting" \
	grep -q 'to voicemail(1002,busy)' <(fwd_log_since "$mark")
for p in bob carol; do
	baresip_cmd $p hangup >/dev/null || true
done
stop_ondo
finish
