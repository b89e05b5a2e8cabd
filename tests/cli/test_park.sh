#!/bin/bash
# test_park.sh - ondoctl park show | set | list against a throw-away
# database: a new tenant's defaults, settings read back as set, and every
# mistake (a bad range, a timeout out of bounds, numbers an extension, a
# room or a ring group has, the park number among the slots) one clear
# line that changes nothing; extensions, rooms and groups refused on the
# park number and the slots, naming why. No daemon needed (park list
# says the daemon is not running).
#
#   tests/cli/test_park.sh            after make (uses ./ondoctl)
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"

cli_tmpdir park
cli_conf

D=demo.test

snapshot() {
	{
		"$ONDOCTL" -c "$T_DIR/ondo.conf" park show "$D"
		"$ONDOCTL" -c "$T_DIR/ondo.conf" park show other.test
		sqlite3 "$T_DIR/ondo.db" "SELECT number FROM extensions UNION ALL SELECT number FROM rooms UNION ALL SELECT number FROM ringgroups"
	} 2>&1
}
SNAPSHOT_OF="the park settings or the numbers"

setup tenant add Demo "$D"
setup tenant add Other other.test
setup ext add "$D" 1001 --password 'pw-1001-cli-park'
setup conf add "$D" 800

says "call park of demo.test
  number  70
  slots   71-79
  timeout 60 s, then the parker is rung back" park show "$D"
says "call park of demo.test
  number  70
  slots   71-75
  timeout 90 s, then the parker is rung back" park set "$D" --slots 71-75 --timeout 90
says "call park of demo.test
  number  700
  slots   701
  timeout 90 s, then the parker is rung back" park set "$D" --number 700 --slots 701
says "call park of demo.test
  number  none (no parking by transfer)
  slots   none (parking is off)
  timeout 90 s, then the parker is rung back" park set "$D" --number none --slots off
setup park set "$D" --number 70 --slots 71-79 --timeout 60

refuses 1 "ondoctl: bad --slots '79-7x' (FIRST-LAST such as 71-79, one slot, or off)" \
	park set "$D" --slots 79-7x
refuses 1 "ondoctl: park settings not changed: slots: FIRST-LAST, 1 to 99999999, FIRST <= LAST" \
	park set "$D" --slots 79-71
refuses 1 "ondoctl: park settings not changed: slots: 1 to 100 of them" \
	park set "$D" --slots 100-300
refuses 1 "ondoctl: park settings not changed: slots: 1001 is an extension" \
	park set "$D" --slots 1000-1009
refuses 1 "ondoctl: park settings not changed: slots: 800 is a conference room" \
	park set "$D" --slots 800
refuses 1 "ondoctl: park settings not changed: number: 1001 is an extension" \
	park set "$D" --number 1001
refuses 1 "ondoctl: park settings not changed: number: it is one of the slots" \
	park set "$D" --number 75
refuses 1 "ondoctl: park settings not changed: number: digits only, or \"\" for none" \
	park set "$D" --number 7a
ctl park set "$D" --timeout 4
if [ "$RC" -eq 1 ] && grep -q -- "--timeout" <<<"$ERR"; then
	ok "park set --timeout 4: refused ($ERR)"
else
	fail "park set --timeout 4: expected a refusal naming --timeout, got '$ERR' (exit $RC)"
fi
refuses 1 "ondoctl: 75 is the park number or a park slot of tenant demo.test (ondoctl park show)" \
	ext add "$D" 75 --password 'pw-75-cli-park'
refuses 1 "ondoctl: 70 is the park number or a park slot of tenant demo.test (ondoctl park show)" \
	conf add "$D" 70
refuses 1 "ondoctl: 79 is the park number or a park slot of tenant demo.test (ondoctl park show)" \
	ringgroup add "$D" 79
refuses 2 "ondoctl: usage: ondoctl park show DOMAIN" park show
ctl park show nosuch.test
if [ "$RC" -eq 1 ] && [ -n "$ERR" ]; then ok "park show of an unknown tenant: $ERR"; else
	fail "park show nosuch.test: exit $RC, '$ERR'"
fi
ctl park list "$D"
if [ "$RC" -eq 1 ] && grep -qi "daemon\|running\|socket" <<<"$ERR"; then
	ok "park list without a daemon: $ERR"
else
	fail "park list without a daemon: exit $RC, '$OUT' '$ERR'"
fi

# Slots are the tenant's own: the other tenant keeps 71-79 and 700 is
# free there.
setup park set "$D" --number 700 --slots 701-709
setup ext add "$D" 75 --password 'pw-75-cli-park'
refuses 1 "ondoctl: 75 is the park number or a park slot of tenant other.test (ondoctl park show)" \
	ext add other.test 75 --password 'pw-75-cli-park2'
setup ext add other.test 705 --password 'pw-705-cli-park2'
refuses 1 "ondoctl: park settings not changed: slots: 75 is an extension" \
	park set "$D" --slots 71-79

[ "$FAILS" -eq 0 ]
