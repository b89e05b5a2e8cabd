#!/bin/bash
# test_ringgroup.sh - ondoctl ringgroup add | set | del | list | show,
# ringgroup member add | del, ext pickup, and ring groups as DID, IVR and
# route destinations, against a throw-away database: groups read back as
# an admin set them, `dialplan test` follows a group to its fallback, and
# every mistake is one clear line that changes nothing. No daemon needed.
#
#   tests/cli/test_ringgroup.sh            after make (uses ./ondoctl)
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"

cli_tmpdir ringgroup
cli_conf

D=demo.test

snapshot() {
	{
		"$ONDOCTL" -c "$T_DIR/ondo.conf" ringgroup list
		"$ONDOCTL" -c "$T_DIR/ondo.conf" ext list "$D"
		"$ONDOCTL" -c "$T_DIR/ondo.conf" did list "$D"
		"$ONDOCTL" -c "$T_DIR/ondo.conf" route list "$D"
		sqlite3 "$T_DIR/ondo.db" "SELECT number, pickup_group FROM extensions"
	} 2>&1
}
SNAPSHOT_OF="the ring groups"

setup tenant add Demo "$D"
setup tenant add Other other.test
for e in 1001 1002 1003 1004; do
	setup ext add "$D" $e --password "pw-$e-cli-rg"
done
setup ext add other.test 2001 --password 'pw-2001-cli-rg'
setup conf add "$D" 800

says "ring group 600 added to demo.test (2 members)" \
	ringgroup add "$D" 600 --name Sales --members 1002,1003:30 --fallback voicemail:1001
says "ring group 610 added to demo.test (0 members)" \
	ringgroup add "$D" 610 --strategy sequential --ring-time 15 --timeout 90
ctl ringgroup list "$D"
want="TENANT     GROUP  NAME   STRATEGY      RING  TIMEOUT  FALLBACK        MEMBERS
demo.test  600    Sales  simultaneous  20    60       voicemail:1001  1002,1003:30
demo.test  610    -      sequential    15    90       none            -"
if [ "$OUT" = "$want" ]; then ok "ringgroup list shows both groups as made"; else
	fail "ringgroup list: got
$OUT"; fi

# ---- refused, nothing changes -------------------------------------------
refuses 1 "ondoctl: 1001 in tenant demo.test is already an extension, a room or a ring group" \
	ringgroup add "$D" 1001
refuses 1 "ondoctl: 800 in tenant demo.test is already an extension, a room or a ring group" \
	ringgroup add "$D" 800
refuses 1 "ondoctl: 600 in tenant demo.test is already an extension, a room or a ring group" \
	ringgroup add "$D" 600
refuses 1 "ondoctl: 600 is a ring group of tenant demo.test" \
	ext add "$D" 600 --password 'pw-600-cli-rg'
refuses 1 "ondoctl: 600 in tenant demo.test is already an extension, a room or a ring group" \
	conf add "$D" 600
refuses 1 "ondoctl: invalid extension number '6a0' (1 to 31 digits)" \
	ringgroup add "$D" 6a0
refuses 1 "ondoctl: invalid --strategy 'random' (simultaneous or sequential)" \
	ringgroup add "$D" 620 --strategy random
refuses 1 "ondoctl: invalid --ring-time '4' (5 to 300 seconds)" \
	ringgroup add "$D" 620 --ring-time 4
refuses 1 "ondoctl: invalid --timeout '601' (5 to 600 seconds)" \
	ringgroup add "$D" 620 --timeout 601
refuses 1 "ondoctl: invalid ring group: fallback: no extension 1009 in tenant demo.test" \
	ringgroup add "$D" 620 --fallback voicemail:1009
refuses 1 "ondoctl: invalid ring group: fallback: no extension 2001 in tenant demo.test" \
	ringgroup add "$D" 620 --fallback extension:2001
refuses 1 "ondoctl: invalid ring group: fallback: a group cannot fall back to itself" \
	ringgroup add "$D" 620 --fallback ringgroup:620
refuses 1 "ondoctl: invalid ring group: fallback_type: unknown destination 'fax' (extension, ivr, voicemail, conference, ringgroup or number)" \
	ringgroup add "$D" 620 --fallback fax:1
refuses 1 "ondoctl: bad --fallback 'voicemail' (TYPE:DEST, such as voicemail:1001 or number:600; or none)" \
	ringgroup add "$D" 620 --fallback voicemail
refuses 1 "ondoctl: cannot set the members of group 620: members: 1002 is listed twice" \
	ringgroup add "$D" 620 --members 1002,1002
refuses 1 "ondoctl: cannot set the members of group 620: members: no extension 2001 in tenant demo.test" \
	ringgroup add "$D" 620 --members 1002,2001
refuses 1 "ondoctl: invalid member ring time '3' (5 to 300 seconds)" \
	ringgroup add "$D" 620 --members 1002:3
refuses 1 "ondoctl: no ring group 699 in tenant demo.test" \
	ringgroup set "$D" 699 --timeout 30
refuses 1 "ondoctl: cannot set the members of group 600: members: no extension 1009 in tenant demo.test" \
	ringgroup set "$D" 600 --members 1009
refuses 1 "ondoctl: 1002 is a member of group 600 already" \
	ringgroup member add "$D" 600 1002
refuses 1 "ondoctl: invalid --position '4' (1 to 3)" \
	ringgroup member add "$D" 600 1004 --position 4
refuses 1 "ondoctl: 1004 is not a member of group 600" \
	ringgroup member del "$D" 600 1004
refuses 1 "ondoctl: no ring group 600 in tenant other.test" \
	ringgroup del other.test 600
refuses 1 "ondoctl: no ring group 699 in tenant demo.test (add it with ondoctl ringgroup add)" \
	route add "$D" 7000 ringgroup 699
refuses 1 "ondoctl: no ring group 699 in tenant demo.test" \
	did add "$D" +4930123499 ringgroup 699
refuses 1 "ondoctl: invalid pickup group 'Sales Team' (1 to 32 characters: a-z, 0-9, _ and -; \"\" for none)" \
	ext pickup "$D" 1001 'Sales Team'
refuses 1 "ondoctl: no extension 1009 in tenant demo.test" \
	ext pickup "$D" 1009 sales
refuses 2 "ondoctl: usage: ondoctl ringgroup member add DOMAIN GROUP EXT [--ring-time S] [--position N]" \
	ringgroup member add "$D" 600

# ---- changes --------------------------------------------------------------
says "1004 is member 1 of ring group 600" ringgroup member add "$D" 600 1004 --position 1
says "1002 left ring group 600" ringgroup member del "$D" 600 1002
says "ring group 600 of demo.test changed" \
	ringgroup set "$D" 600 --strategy sequential --fallback number:610 --timeout 45
ctl ringgroup show "$D" 600
want="ring group 600 of demo.test (Sales)
  strategy  sequential
  ring time 20 s a member, unless it has its own
  timeout   45 s, then the fallback
  fallback  number:610
#  EXTENSION  NAME  RINGS
1  1004       -     20 s (group's)
2  1003       -     30 s"
if [ "$OUT" = "$want" ]; then ok "ringgroup show: the changed group in ring order"; else
	fail "ringgroup show: got
$OUT"; fi
ctl dialplan test "$D" 600
want="600 -> ring group 600 (no route): ringgroup 600
ring group 600: sequential, 2 members (1004 1003), 45 s; nobody answers -> number 610
610 -> ring group 610 (no route): ringgroup 610
ring group 610: sequential, 0 members, 90 s; nobody answers -> busy or no answer"
if [ "$OUT" = "$want" ]; then ok "dialplan test follows 600 to its fallback group 610"; else
	fail "dialplan test 600: got
$OUT"; fi
says "DID +4930123460 of demo.test goes to ringgroup 600" did add "$D" +4930123460 ringgroup 600
ctl route add "$D" 7000 ringgroup 600
if [ "$RC" -eq 0 ] && [[ $OUT =~ ^route\ [0-9]+\ added\ to\ demo\.test$ ]]; then
	ok "route add $D 7000 ringgroup 600: $OUT"
else
	fail "route add $D 7000 ringgroup 600: got '$OUT' (exit $RC) $ERR"
fi
setup ivr add "$D" main --greeting welcome
says "option 4 of menu main in demo.test: ringgroup 600" ivr option "$D" main 4 ringgroup 600
says "extension 1001 of demo.test: pickup group sales (*8 answers its calls)" ext pickup "$D" 1001 sales
says "extension 1001 of demo.test: no pickup group" ext pickup "$D" 1001 ""
says "ring group 610 deleted from demo.test" ringgroup del "$D" 610
setup ext del "$D" 1003
ctl ringgroup list "$D"
if grep -qE "^demo.test +600 .* 1004$" <<<"$OUT"; then
	ok "deleting extension 1003 took it out of group 600"
else
	fail "group 600 after deleting 1003: $OUT"
fi
says "ring group 600 deleted from demo.test" ringgroup del "$D" 600
says "no ring groups" ringgroup list

[ "$FAILS" -eq 0 ]
