#!/bin/bash
# test_fwd_always.sh - forward always: a call to 1002 rings 1003 instead
# (1002's phone never rings), and each side hears the other. Its loop
# cases: 1002 -> 1003 -> 1002 stops in 1002's mailbox (a message with the
# caller's tone), or with that mailbox off gives 486; a chain of six
# always-forwards stops after five. Direct calls (no app thread).
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_LIB/fwd.sh"
test_init "forward always: lands on the target; loops and long chains stop"

start_ondo
provision tenant add t1 "$FWD_DOM"
fwd_exts 1001 1002 1003 2001 2002 2003 2004 2005 2006 2007
fwd_phone alice 1001 600
fwd_phone bob 1002 1300
fwd_phone carol 1003 900 auto
pass "alice (1001), bob (1002, rings) and carol (1003, answers) registered"

provision ext fwd "$FWD_DOM" 1002 always 1003
fwd_lands alice 600 1002 carol 900 "1002 forwards always to 1003"
check "bob's phone (1002) never rang" [ "$(fwd_rings bob)" = 0 ]
if wait_cdr 5; then
	IFS='|' read -r callee disp <<<"$(cdr_row "callee, disposition")"
	check "the CDR names the number dialled, 1002 (got '$callee'), ANSWERED (got '$disp')" \
		[ "$callee" = 1002 -a "$disp" = ANSWERED ]
fi
check "the daemon logged the forward" grep -q 'fwd .*1002 forwards (always) to 1003' "$ONDO_LOG"

# ---- the loop: 1003 forwards back to 1002 ----
provision ext fwd "$FWD_DOM" 1003 always 1002
mark=$(fwd_mark)
fwd_to_mailbox alice 1002 1002 "loop 1002 -> 1003 -> 1002"
check "the loop is logged as a warning with its path" \
	grep -q 'WARN fwd .*forward loop (1002 -> 1003 -> 1002): the call goes to the mailbox of 1002' \
	<(fwd_log_since "$mark")
check "neither bob nor carol rang during the loop" \
	[ "$(fwd_rings bob)" = 0 -a "$(fwd_rings carol)" = 1 ]

provision vm box "$FWD_DOM" 1002 --disable
fwd_refused alice 1002 486 "loop with 1002's mailbox off"

# ---- a chain longer than the limit: 2001 -> 2002 -> ... -> 2007 ----
for i in 1 2 3 4 5 6; do
	provision ext fwd "$FWD_DOM" 200$i always 200$((i + 1))
done
provision vm box "$FWD_DOM" 2001 --disable
mark=$(fwd_mark)
fwd_refused alice 2001 486 "six forwards in a row (2001's mailbox off)"
check "the long chain is logged: more than 5 forwards" \
	grep -q 'WARN fwd .*more than 5 forwards (2001 -> 2002 -> 2003 -> 2004 -> 2005 -> 2006, then 2007)' \
	<(fwd_log_since "$mark")

# ---- off again: 1002 rings ----
provision ext fwd "$FWD_DOM" 1002 always off
baresip_cmd alice dial "sip:1002@$FWD_DOM" >/dev/null
if baresip_wait_log bob 10 'Incoming call'; then
	pass "with the forward off, bob's phone rings again"
else
	fail "with the forward off, bob's phone did not ring"
fi
baresip_cmd alice hangup >/dev/null || true
stop_ondo
finish
