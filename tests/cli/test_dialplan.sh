#!/bin/bash
# test_dialplan.sh - ondoctl route add | list | del and dialplan test against
# a throw-away database: every pattern kind routes where an admin expects,
# and every mistake in "route add" is one clear line. No daemon needed.
#
#   tests/cli/test_dialplan.sh            after make (uses ./ondoctl)
#   ONDO_BUILD=build-asan tests/cli/test_dialplan.sh
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.
#
# ${1}, ${EXTEN} and friends below are dialplan variables, single-quoted
# on purpose so that ondoctl gets them as written.
# shellcheck disable=SC2016

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"

cli_tmpdir dp
cli_conf

# route_id: the id printed by the last "route add" ("route N added to ...").
route_id() {
	echo "$OUT" | sed -n 's/^route \([0-9][0-9]*\) added to .*/\1/p'
}

# routes_to NUMBER EXPECTED [--caller C]: "dialplan test" prints EXPECTED
# and exits 0.
routes_to() {
	local number=$1 want=$2
	shift 2
	ctl dialplan test "$D" "$number" "$@"
	if [ "$RC" -eq 0 ] && [ "$OUT" = "$want" ]; then
		ok "$want"
	else
		fail "dialling $number: expected '$want', got '$OUT' (exit $RC) $ERR"
	fi
}

# add_fails ERROR ROUTE-ADD-ARGS...: "route add" refuses with exactly that
# line and exit status 1, and stores nothing.
add_fails() {
	local want=$1 before after
	shift
	before=$("$ONDOCTL" -c "$T_DIR/ondo.conf" route list "$D" | wc -l)
	ctl route add "$D" "$@"
	after=$("$ONDOCTL" -c "$T_DIR/ondo.conf" route list "$D" | wc -l)
	if [ "$RC" -eq 1 ] && [ "$ERR" = "$want" ] && [ -z "$OUT" ] &&
		[ "$before" = "$after" ]; then
		ok "route add $*: $want"
	else
		fail "route add $*: expected '$want' (exit 1), got '$ERR' (exit $RC, stdout '$OUT', $before -> $after list lines)"
	fi
}

D=demo.test
setup tenant add Demo "$D"
setup tenant add Other other.test
setup ext add "$D" 1001 --password secret123
setup ext add "$D" 1002 --password secret123
setup ext add other.test 2000 --password secret123

# ---- the feature codes every tenant starts with -------------------------
ctl route list "$D"
codes=$(echo "$OUT" | awk 'NR > 1 { print $3 " " $5 " " $6 }' | paste -sd'|')
fwd='*72 forward always|_*72. forward always,${1}|*73 forward always,off'
fwd+='|*90 forward busy|_*90. forward busy,${1}|*91 forward busy,off'
fwd+='|*52 forward noanswer|_*52. forward noanswer,${1}|*53 forward noanswer,off'
fwd+='|*54 forward unregistered|_*54. forward unregistered,${1}'
fwd+='|*55 forward unregistered,off|*78 forward dnd,on|*79 forward dnd,off'
if [ "$codes" = "*97 mailbox |*98 mailbox any|$fwd" ]; then
	ok "a new tenant has the mailbox codes *97 (own) and *98 (any), then the forwarding and DND codes"
else
	fail "a new tenant's routes are not *97 and *98 to the mailbox app, then the forward codes: '$OUT'"
fi
for id in $(echo "$OUT" | awk 'NR > 1 { print $1 }'); do
	setup route del "$D" "$id"
done

# ---- no routes yet: the built-in extension rule -------------------------
ctl route list "$D"
if [ "$RC" -eq 0 ] && [[ $OUT == "no routes in $D yet"* ]]; then
	ok "an empty dialplan says so: $OUT"
else
	fail "route list of an empty dialplan: '$OUT' (exit $RC) $ERR"
fi
routes_to 1001 "1001 -> extension 1001 (no route): dial 1001"
routes_to 5555 "5555 -> no route and no extension: the call gets 404"

# ---- one route of every kind --------------------------------------------
setup route add "$D" '*43' echo
r_echo=$(route_id)
setup route add "$D" '_2[0-4]XX' playback 'hello&goodbye' --priority 10
r_class=$(route_id)
setup route add "$D" '_9.' dial '${1}'
r_dot=$(route_id)
setup route add "$D" '_8X!' playback 'x${1}x'
r_bang=$(route_id)
setup route add "$D" '~0(\d{2})(\d+)' dial 'sip:${2}@gw${1}.example.com'
r_re=$(route_id)
setup route add "$D" '+4930' dial '1001'
r_plus=$(route_id)
setup route add "$D" '_7xx' dial 'sip:${EXTEN:1}@${DOMAIN};from=${CALLER}'
r_low=$(route_id)
setup route add "$D" 1002 playback 'away' --priority 5
r_over=$(route_id)

routes_to '*43' "*43 -> route $r_echo (prio 100, pattern *43): echo"
routes_to 2000 "2000 -> route $r_class (prio 10, pattern _2[0-4]XX): playback hello&goodbye"
routes_to 2499 "2499 -> route $r_class (prio 10, pattern _2[0-4]XX): playback hello&goodbye"
routes_to 2500 "2500 -> no route and no extension: the call gets 404"
routes_to 200 "200 -> no route and no extension: the call gets 404"
routes_to 9123 "9123 -> route $r_dot (prio 100, pattern _9.): dial 123"
routes_to 9 "9 -> no route and no extension: the call gets 404"
routes_to 81 "81 -> route $r_bang (prio 100, pattern _8X!): playback xx"
routes_to 8123 "8123 -> route $r_bang (prio 100, pattern _8X!): playback x23x"
routes_to 0301234 "0301234 -> route $r_re (prio 100, pattern ~0(\\d{2})(\\d+)): dial sip:1234@gw30.example.com"
routes_to 030 "030 -> no route and no extension: the call gets 404"
routes_to +4930 "+4930 -> route $r_plus (prio 100, pattern +4930): dial 1001"
routes_to 4930 "4930 -> no route and no extension: the call gets 404"
routes_to 799 "799 -> route $r_low (prio 100, pattern _7xx): dial sip:99@$D;from=1001" --caller 1001
routes_to 799 "799 -> route $r_low (prio 100, pattern _7xx): dial sip:99@$D;from="
routes_to 1002 "1002 -> route $r_over (prio 5, pattern 1002): playback away"
routes_to 1001 "1001 -> extension 1001 (no route): dial 1001"

# Regex anchoring: ~12 is the number 12, not every number containing it.
setup route add "$D" '~12' hangup
r_12=$(route_id)
routes_to 12 "12 -> route $r_12 (prio 100, pattern ~12): hangup"
routes_to 123 "123 -> no route and no extension: the call gets 404"

# Tenants are apart: none of demo.test's routes applies to other.test.
D=other.test
routes_to 2000 "2000 -> extension 2000 (no route): dial 2000"
routes_to '*43' "*43 -> no route and no extension: the call gets 404"
D=demo.test

# ---- route list and del -------------------------------------------------
ctl route list "$D"
first=$(echo "$OUT" | sed -n 2p | awk '{print $1, $2, $3}')
header=$(echo "$OUT" | sed -n 1p | tr -s ' ')
if [ "$RC" -eq 0 ] && [ "$header" = "ID PRIO PATTERN COS APP ARGS" ] &&
	[ "$first" = "$r_over 5 1002" ]; then
	ok "route list shows ID PRIO PATTERN COS APP ARGS, lowest priority first"
else
	fail "route list: header '$header', first row '$first' (exit $RC)"
fi
ctl route del "$D" "$r_over"
if [ "$RC" -eq 0 ] && [ "$OUT" = "route $r_over deleted from $D" ]; then
	ok "route del: $OUT"
else
	fail "route del $r_over: '$OUT' (exit $RC) $ERR"
fi
routes_to 1002 "1002 -> extension 1002 (no route): dial 1002"
ctl route del other.test "$r_echo"
if [ "$RC" -eq 1 ] && [ "$ERR" = "ondoctl: no route $r_echo in tenant other.test" ]; then
	ok "another tenant cannot delete the route: $ERR"
else
	fail "route del of demo.test's route via other.test: '$ERR' (exit $RC)"
fi

# ---- mistakes -----------------------------------------------------------
apps=$("$ONDOCTL" dialplan apps | awk 'NR > 1 {print $1}' | paste -sd, | sed 's/,/, /g')
add_fails "ondoctl: bad pattern '_12[3': unclosed [ at position 4" '_12[3' dial 1001
add_fails "ondoctl: no application 'voicemial' (known: $apps)" '_5XX' voicemial
add_fails "ondoctl: bad pattern '_1.2': '.' at position 3 must be the last character" '_1.2' echo
add_fails "ondoctl: bad pattern '_1[5-1]': backwards range 5-1 at position 4" '_1[5-1]' echo
add_fails "ondoctl: bad pattern '10a1': bad character 'a' at position 3 (a number has digits, *, # and +; start with _ for a pattern, ~ for a regular expression)" 10a1 echo
add_fails "ondoctl: bad pattern '~9(\\d+': missing closing parenthesis at position 7" '~9(\d+' dial '${1}'
add_fails "ondoctl: bad arguments '\${3}': \${3} at position 1: the pattern has no capture 3 (it has \$0..\$1)" '_6.' dial '${3}'
add_fails "ondoctl: bad arguments 'sip:\${FOO}': unknown variable \${FOO} at position 5 (known: \${EXTEN}, \${CALLER}, \${DOMAIN}, \${0}..\${9})" '_6.' dial 'sip:${FOO}'
add_fails "ondoctl: invalid priority '10000' (0 to 9999, lower runs first)" '_6.' echo --priority 10000
add_fails "ondoctl: $D already has a route with priority 100 and pattern '*43'" '*43' echo
add_fails "ondoctl: dial needs arguments: dial NUMBER|sip:URI" '_6.' dial

ctl dialplan test nope.test 1001
if [ "$RC" -eq 1 ] && [ "$ERR" = "ondoctl: no tenant nope.test" ]; then
	ok "dialplan test on an unknown domain: $ERR (exit 1)"
else
	fail "dialplan test on an unknown domain: '$ERR' (exit $RC)"
fi
ctl dialplan test "$D" '12 3'
if [ "$RC" -eq 1 ] && [[ $ERR == "ondoctl: invalid number '12 3'"* ]]; then
	ok "dialplan test of a number with a space: $ERR"
else
	fail "dialplan test '12 3': '$ERR' (exit $RC)"
fi

echo "$((CHECKS - FAILS)) of $CHECKS checks passed"
[ "$FAILS" -eq 0 ]
