#!/bin/bash
# test_fwd.sh - ondoctl ext fwd | dnd | show and the FORWARD column of ext
# list: each kind of forward to an extension, a mailbox and a dialplan
# number, --after for no answer, off; DND on and off; every bad input
# refused in one line with nothing changed (a target of another tenant,
# the extension itself, a number nothing routes or the class of service
# forbids, --after where it does not belong or out of range). No daemon.
#
#   tests/cli/test_fwd.sh            after make (uses ./ondoctl)
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"

cli_tmpdir fwd
cli_conf
DB=$T_DIR/ondo.db
D=demo.test
B=other.test

snapshot() {
	sqlite3 "$DB" \
		"SELECT * FROM ext_forwards ORDER BY ext_id, kind;
		 SELECT number, dnd FROM extensions ORDER BY id"
}
SNAPSHOT_OF="the forwards or DND flags"

setup tenant add Demo "$D"
setup tenant add Other "$B"
for n in 1001 1002 1003; do
	setup ext add "$D" $n --password secret123
done
setup ext add "$B" 2001 --password secret123
setup route add "$D" 600 echo
setup route add "$D" '_00.' dial '${EXTEN}' --cos international

says "extension 1001 of $D: forward always to extension 1002" ext fwd "$D" 1001 always 1002
says "extension 1001 of $D: forward busy to voicemail of 1001" ext fwd "$D" 1001 busy voicemail
says "extension 1001 of $D: forward noanswer to extension 1003 after 20 s" ext fwd "$D" 1001 noanswer 1003 --after 20
says "extension 1001 of $D: forward unregistered to number 600" ext fwd "$D" 1001 unregistered 600
says "extension 1002 of $D: forward busy to voicemail of 1003" ext fwd "$D" 1002 busy voicemail:1003
says "extension 1002 of $D: forward noanswer to number 1003" ext fwd "$D" 1002 noanswer number:1003
says "extension 1003 of $D: do-not-disturb on" ext dnd "$D" 1003 on

ctl ext list "$D"
rows=$(echo "$OUT" | awk 'NR > 1 { print $1 " " $NF }' | paste -sd'|')
if [ "$(echo "$OUT" | head -n 1 | awk '{ print $NF }')" = FORWARD ] &&
	[ "$rows" = "1001 always>1002,busy>vm:1001,noanswer>1003,unregistered>number:600|1002 busy>vm:1003,noanswer>number:1003|1003 dnd" ]; then
	ok "ext list shows each extension's forwards and DND"
else
	fail "ext list: '$OUT'"
fi

ctl ext show "$D" 1001
want="extension 1001 of $D
  name                  -
  ring timeout          30 s
  registered phones     0
  class of service      national
  DID                   -
  recording             never
  mailbox               on
  do-not-disturb        off
  forward always        extension 1002
  forward busy          voicemail of 1001
  forward noanswer      extension 1003 after 20 s
  forward unregistered  number 600"
if [ "$RC" -eq 0 ] && [ "$OUT" = "$want" ]; then
	ok "ext show lists the settings, DND and the four forwards"
else
	fail "ext show: '$OUT' (exit $RC) $ERR"
fi
check_row() { # EXT KIND TYPE:DEST:AFTER
	local got
	got=$(sqlite3 "$DB" "SELECT f.dest_type || ':' || f.dest || ':' || f.after_s
		FROM ext_forwards f JOIN extensions e ON e.id = f.ext_id
		WHERE e.number = '$1' AND f.kind = '$2'")
	if [ "$got" = "$3" ]; then ok "stored: $1 $2 $3"; else fail "stored $1 $2: '$got', expected '$3'"; fi
}
check_row 1001 noanswer extension:1003:20
check_row 1002 busy voicemail:1003:0
check_row 1002 noanswer number:1003:0

# ---- refusals ----
refuses 1 "ondoctl: cannot forward 1001 busy: 1001 cannot be forwarded to itself" ext fwd "$D" 1001 busy 1001
refuses 1 "ondoctl: cannot forward 1001 busy: 1001 cannot be forwarded to itself" ext fwd "$D" 1001 busy number:1001
refuses 1 "ondoctl: cannot forward 1001 always: no extension 2001 in $D" ext fwd "$D" 1001 always extension:2001
refuses 1 "ondoctl: cannot forward 1001 always: number 2001 reaches no route or extension of $D" ext fwd "$D" 1001 always 2001
refuses 1 "ondoctl: cannot forward 1001 always: no mailbox 2001 in $D" ext fwd "$D" 1001 always voicemail:2001
refuses 1 "ondoctl: cannot forward 1001 always: the class of service of 1001 may not call 0049301234" ext fwd "$D" 1001 always 0049301234
refuses 1 "ondoctl: --after is for a noanswer forward to a target" ext fwd "$D" 1001 busy 1002 --after 10
refuses 1 "ondoctl: --after is for a noanswer forward to a target" ext fwd "$D" 1001 noanswer off --after 10
refuses 1 "ondoctl: cannot forward 1001 noanswer: after: 5 to 600 seconds, or 0 for the ring timeout" ext fwd "$D" 1001 noanswer 1002 --after 3
refuses 1 "ondoctl: invalid --after '601' (0 to 600 seconds)" ext fwd "$D" 1001 noanswer 1002 --after 601
refuses 1 "ondoctl: invalid forward 'sometimes' (always, busy, noanswer or unregistered)" ext fwd "$D" 1001 sometimes 1002
refuses 1 "ondoctl: invalid target 'a b' (an extension, a number, voicemail, voicemail:EXT, extension:EXT or number:NUMBER)" ext fwd "$D" 1001 always 'a b'
refuses 1 "ondoctl: no extension 1009 in tenant $D" ext fwd "$D" 1009 always 1002
refuses 1 "ondoctl: no extension 1001 in tenant $B" ext fwd "$B" 1001 always 2001
refuses 1 "ondoctl: invalid do-not-disturb 'maybe' (on or off)" ext dnd "$D" 1001 maybe
refuses 1 "ondoctl: no extension 1009 in tenant $D" ext dnd "$D" 1009 on
refuses 1 "ondoctl: no extension 1009 in tenant $D" ext show "$D" 1009
refuses 2 "ondoctl: usage: ondoctl ext fwd DOMAIN NUMBER always|busy|noanswer|unregistered TARGET|off [--after SECONDS]" ext fwd "$D" 1001 always

# the international route, with the class to use it
setup ext cos "$D" 1001 international
says "extension 1001 of $D: forward always to number 0049301234" ext fwd "$D" 1001 always 0049301234

# ---- off ----
says "extension 1001 of $D: forward always off" ext fwd "$D" 1001 always off
says "extension 1003 of $D: do-not-disturb off" ext dnd "$D" 1003 off
check_row 1001 always ""
if [ "$(sqlite3 "$DB" "SELECT dnd FROM extensions WHERE number = '1003'")" = 0 ]; then
	ok "DND off is stored"
else
	fail "DND of 1003 still on"
fi
# deleting an extension takes its forwards
setup ext del "$D" 1002
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM ext_forwards f LEFT JOIN extensions e ON e.id = f.ext_id WHERE e.id IS NULL")" = 0 ]; then
	ok "ext del removed the extension's forwards"
else
	fail "forwards of a deleted extension are left"
fi
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
