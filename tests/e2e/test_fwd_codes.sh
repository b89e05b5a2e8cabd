#!/bin/bash
# test_fwd_codes.sh - feature codes from a phone: bob (1002) dials *721003
# (forward always to 1003, taken at once), and a call to 1002 lands on
# carol (1003); *73 cancels it; *72 then the keys 1 0 0 3 # (asked for);
# *78 and *79 turn DND on and off; *901003 and *91 the busy forward; a
# code that names no extension or route is refused and sets nothing; a
# code the tenant adds itself (route _*21. -> forward noanswer,${1})
# works like the stock ones. Each change is checked in the database and
# the daemon's log.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_LIB/fwd.sh"
test_init "feature codes: *72/*73, *78/*79, *90/*91 and a tenant's own code"

start_ondo
provision tenant add t1 "$FWD_DOM"
fwd_exts 1001 1002 1003
fwd_phone alice 1001 600
fwd_phone bob 1002 1300
fwd_phone carol 1003 900 auto
pass "alice (1001), bob (1002) and carol (1003, answers) registered"

fwds() { # the forwards of 1002 as kind:type:dest, and its DND flag
	sql "SELECT group_concat(f.kind || ':' || f.dest_type || ':' || f.dest, ' ')
	     FROM (SELECT * FROM ext_forwards ORDER BY kind) f
	     JOIN extensions e ON e.id = f.ext_id WHERE e.number = '1002'"
}
dnd() { sql "SELECT dnd FROM extensions WHERE number = '1002'"; }

# code WHAT NUMBER KEYS CHECK...: bob dials NUMBER (a feature code), keys
# KEYS once the PBX answered ("" for none), and CHECK must come true
# within 10 s; then bob hangs up.
code() {
	local what=$1 number=$2 keys=$3 n0
	shift 3
	n0=$(fwd_established bob)
	baresip_cmd bob dial "sip:$number@$FWD_DOM" >/dev/null ||
		fatal "bob refused the dial command"
	if ! baresip_wait_log bob 10 'Call established' $((n0 + 1)); then
		fail "$what: the PBX did not answer $number:$(baresip_log_tail bob 6)"
		return 1
	fi
	if [ -n "$keys" ]; then
		sleep 1
		baresip_keys bob "$keys"
	fi
	if wait_until 10 "$@"; then
		pass "$what"
	else
		fail "$what: now '$(fwds)' dnd=$(dnd):$(echo; grep -E ' fwd ' "$ONDO_LOG" | tail -n 3 | sed 's/^/       /')"
	fi
	sleep 1 # part of the confirmation
	baresip_cmd bob hangup >/dev/null || true
	fwd_wait_closed bob $((n0 + 1)) || true
}
is() { [ "$1" = "$2" ]; }
fwds_are() { is "$(fwds)" "$1"; }
dnd_is() { is "$(dnd)" "$1"; }

code "*721003 sets forward always to extension 1003" '*721003' '' \
	fwds_are 'always:extension:1003'
check "the change is logged as made by phone" \
	grep -q 'fwd .*1002 set forward always to extension 1003 by phone' "$ONDO_LOG"
check "ondoctl ext show says so" \
	grep -qE 'forward always +extension 1003' <(ondoctl ext show "$FWD_DOM" 1002)
fwd_lands alice 600 1002 carol 900 "after *721003, a call to 1002"
check "bob's phone did not ring for it" [ "$(fwd_rings bob)" = 0 ]

code "*73 cancels it" '*73' '' fwds_are ''
code "*72 asks, and 1 0 0 3 # keyed sets it" '*72' '1003#' \
	fwds_are 'always:extension:1003'
code "*73 again" '*73' '' fwds_are ''

code "*78 turns DND on" '*78' '' dnd_is 1
code "*79 turns DND off" '*79' '' dnd_is 0
code "*901003 sets the busy forward" '*901003' '' fwds_are 'busy:extension:1003'
code "*91 cancels it" '*91' '' fwds_are ''

mark=$(fwd_mark)
refused() { fwd_log_since "$mark" | grep -q "forward noanswer to '9999' refused"; }
code "*529999 (no such extension or route) is refused, logged" '*529999' '' refused
check "no forward was stored for *529999" is "$(fwds)" ''

provision route add "$FWD_DOM" '_*21.' forward 'noanswer,${1}'
code "a code of the tenant's own, *211003, sets the no-answer forward" \
	'*211003' '' fwds_are 'noanswer:extension:1003'

# A feature code from an extension sets only that extension's forwards:
# alice's *78 leaves 1002 alone.
n0=$(fwd_established alice)
baresip_cmd alice dial "sip:*78@$FWD_DOM" >/dev/null
baresip_wait_log alice 10 'Call established' $((n0 + 1)) || fail "alice's *78 was not answered"
alice_dnd() { [ "$(sql "SELECT dnd FROM extensions WHERE number = '1001'")" = 1 ]; }
check "alice's *78 turned on DND of 1001" wait_until 10 alice_dnd
check "and left 1002's DND off" dnd_is 0
baresip_cmd alice hangup >/dev/null || true
stop_ondo
finish
