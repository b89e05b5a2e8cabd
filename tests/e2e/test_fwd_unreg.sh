#!/bin/bash
# test_fwd_unreg.sh - forward when not registered: 1005 has no phone, so a
# call to it rings carol (1003), who answers, and each side hears the
# other; forwarded to a dialplan number (600, the echo test) the caller
# hears itself. The loop case: 1005 -> 1006 -> 1005, neither registered,
# stops in 1005's mailbox (a message with the caller's tone). Once 1005
# registers a phone, that phone rings, not the forward.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_LIB/fwd.sh"
test_init "forward when not registered: extension, dialplan number, loop"

start_ondo
provision tenant add t1 "$FWD_DOM"
fwd_exts 1001 1003 1005 1006
provision route add "$FWD_DOM" 600 echo
fwd_phone alice 1001 600
fwd_phone carol 1003 900 auto
pass "alice (1001) and carol (1003, answers) registered; 1005 and 1006 have no phone"

provision ext fwd "$FWD_DOM" 1005 unregistered 1003
fwd_lands alice 600 1005 carol 900 "1005 not registered, forwards to 1003"

# ---- to a dialplan number: the echo test ----
provision ext fwd "$FWD_DOM" 1005 unregistered number:600
mark=$(fwd_mark)
c0=$(fwd_established alice)
baresip_cmd alice dial "sip:1005@$FWD_DOM" >/dev/null
if baresip_wait_log alice 10 'Call established' $((c0 + 1)); then
	sleep 10 # the echo test's prompt (about 6 s), then the echo
	baresip_cmd alice hangup >/dev/null || true
	fwd_wait_closed alice $((c0 + 1)) || true
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.2 "$(baresip_dec_wav alice)" 600); then
		pass "forward to number 600 (echo): alice hears her own tone back: $out"
	else
		fail "forward to number 600 (echo): alice did not hear herself: $out"
	fi
else
	fail "forward to number 600: the echo test did not answer:$(baresip_log_tail alice 6)"
	baresip_cmd alice hangup >/dev/null || true
fi
check "the forward to the number is logged with its route's app" \
	grep -q 'fwd .*1005 forwards (unregistered) to number 600: echo' <(fwd_log_since "$mark")

# ---- the loop: 1005 -> 1006 -> 1005 ----
provision ext fwd "$FWD_DOM" 1005 unregistered 1006
provision ext fwd "$FWD_DOM" 1006 unregistered 1005
mark=$(fwd_mark)
fwd_to_mailbox alice 1005 1005 "loop 1005 -> 1006 -> 1005"
check "the loop is logged as a warning with its path" \
	grep -q 'WARN fwd .*forward loop (1005 -> 1006 -> 1005): the call goes to the mailbox of 1005' \
	<(fwd_log_since "$mark")

# ---- 1005 registers: its phone rings, the forward is not used ----
provision ext fwd "$FWD_DOM" 1005 unregistered 1003
fwd_phone eve 1005 1500 auto
r0=$(fwd_rings carol)
fwd_lands alice 600 1005 eve 1500 "1005 registered"
check "carol's phone did not ring for 1005 once it registered" [ "$(fwd_rings carol)" = "$r0" ]
stop_ondo
finish
