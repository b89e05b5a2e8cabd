#!/bin/bash
# test_fwd_noanswer.sh - forward on no answer: bob's phone (1002) rings
# and nobody picks it up; after the forward's own time (5 s), or after
# 1002's ring timeout when the forward sets none, the call rings carol
# (1003), who answers, and each side hears the other; bob's phone stops
# ringing. The loop case: 1002 -> 1004 -> 1002, both unanswered, stops in
# 1002's mailbox (a message with the caller's tone).
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_LIB/fwd.sh"
test_init "forward on no answer: lands on the target after the time set; the loop stops"

start_ondo
provision tenant add t1 "$FWD_DOM"
fwd_exts 1001 1002 1003 1004
fwd_phone alice 1001 600
fwd_phone bob 1002 1300
fwd_phone carol 1003 900 auto
fwd_phone dave 1004 1700
pass "alice, bob (rings), carol (answers) and dave (rings) registered"

# lands_after WHAT MIN_S: fwd_lands alice -> 1002 -> carol, taking at
# least MIN_S seconds before carol answered (bob rang that long).
lands_after() {
	local r0
	r0=$(fwd_rings bob)
	fwd_lands alice 600 1002 carol 900 "$1" || return
	check "$1: bob's phone rang first" [ "$(fwd_rings bob)" -gt "$r0" ]
	check "$1: bob's phone was told to stop ringing" \
		baresip_wait_log bob 5 'terminated|closed|cancel' "$(fwd_rings bob)"
	# The log lines of the forward: when bob started and carol took over.
	local ring fwd
	ring=$(grep -E "call .*1001 -> 1002 ringing" "$ONDO_LOG" | tail -n 1 | cut -c1-19)
	fwd=$(grep -E "call .*1001 -> 1002: forwarded, ringing 1003" "$ONDO_LOG" | tail -n 1 | cut -c1-19)
	if [ -n "$ring" ] && [ -n "$fwd" ]; then
		local d=$(($(date -d "$fwd" +%s) - $(date -d "$ring" +%s)))
		check "$1: carol rang $d s after bob (at least $2 s)" [ "$d" -ge "$2" ]
	else
		fail "$1: no log lines of the ringing and the forward ('$ring', '$fwd')"
	fi
}

provision ext fwd "$FWD_DOM" 1002 noanswer 1003 --after 5
lands_after "1002 unanswered for 5 s, forwards to 1003" 4

# Without --after the extension's ring timeout counts (6 s here).
sql "UPDATE extensions SET ring_timeout = 6 WHERE number = '1002'"
provision ext fwd "$FWD_DOM" 1002 noanswer 1003
lands_after "1002 unanswered for its ring timeout, forwards to 1003" 5

# ---- the loop: 1002 -> 1004 -> 1002, nobody answers ----
provision ext fwd "$FWD_DOM" 1002 noanswer 1004 --after 5
provision ext fwd "$FWD_DOM" 1004 noanswer 1002 --after 5
mark=$(fwd_mark)
d0=$(fwd_rings dave)
fwd_to_mailbox alice 1002 1002 "no-answer loop 1002 -> 1004 -> 1002"
check "dave's phone rang in between" [ "$(fwd_rings dave)" -gt "$d0" ]
check "the loop is logged as a warning with its path" \
	grep -q 'WARN fwd .*forward loop (1002 -> 1004 -> 1002): the call goes to the mailbox of 1002' \
	<(fwd_log_since "$mark")
stop_ondo
finish
