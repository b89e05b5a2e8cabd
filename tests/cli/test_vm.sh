#!/bin/bash
# test_vm.sh - ondoctl vm list | play | export | del | pin | box |
# reconcile: messages put in the spool as a crash would leave them, indexed
# by reconcile, listed, shown, exported and deleted; PINs refused by the
# rules and stored hashed; bad input refused in one line with nothing
# changed; two tenants with the same extension number kept apart. No
# daemon needed.
#
#   tests/cli/test_vm.sh            after make (uses ./ondoctl)
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"

cli_tmpdir vm
SPOOL=$T_DIR/spool
cli_conf "[spool]" "dir = $SPOOL"
# RECEIVED is shown in local time.
export TZ=UTC
DB=$T_DIR/ondo.db
BOX=$SPOOL/tenants/a.test/vm/1001

snapshot() {
	sqlite3 "$DB" \
		"SELECT * FROM vm_boxes ORDER BY ext_id;
		 SELECT * FROM vm_messages ORDER BY id"
	find "$SPOOL" -type f 2>/dev/null | sort || true
}
SNAPSHOT_OF="the mailboxes, messages or spool files"

# wav PATH SECONDS: a 440 Hz tone, 8 kHz mono WAV, whatever PATH ends in.
wav() {
	mkdir -p "$(dirname "$1")"
	sox -n -r 8000 -c 1 -b 16 -t wav "$1" synth "$2" sine 440
}

# box_text ENABLED PIN MESSAGES MINUTES EMAIL: what vm box prints for
# a.test's 1001 when it is not full.
box_text() {
	printf 'mailbox 1001 of a.test\nenabled:  %s\nPIN:      %s\n' "$1" "$2"
	printf 'messages: %s\nminutes:  %s\nfull:     no\nemail:    %s' "$3" "$4" "$5"
}

setup tenant add A a.test
setup tenant add B b.test
setup ext add a.test 1001 --password 'pw-a-1001-xx'
setup ext add b.test 1001 --password 'pw-b-1001-xx'

says "no messages in mailbox 1001 of a.test" vm list a.test 1001
says "$(box_text yes "not set" "0 new, 0 saved, 0 missing (at most 100)" \
	"0.0 of 30" none)" vm box a.test 1001

# ---- PINs ----
refuses 1 "ondoctl: invalid PIN: one digit repeated is too easy to guess" \
	vm pin a.test 1001 1111
refuses 1 "ondoctl: invalid PIN: a run of digits up or down is too easy to guess" \
	vm pin a.test 1001 1234
refuses 1 "ondoctl: invalid PIN: a run of digits up or down is too easy to guess" \
	vm pin a.test 1001 98765
refuses 1 "ondoctl: invalid PIN: the extension's own number is too easy to guess" \
	vm pin a.test 1001 1001
refuses 1 "ondoctl: invalid PIN: a PIN is 4 to 10 digits" vm pin a.test 1001 12a45
refuses 1 "ondoctl: invalid PIN: a PIN is 4 to 10 digits" vm pin a.test 1001 123
says "PIN of mailbox 1001 of a.test set" vm pin a.test 1001 2580
hash=$(sqlite3 "$DB" "SELECT pin_hash FROM vm_boxes b JOIN extensions e ON e.id = b.ext_id WHERE e.tenant_id = 1")
case $hash in
'$argon2id$'*2580*) fail "the PIN is readable in its hash" ;;
'$argon2id$'*) ok "the PIN is stored as an argon2id hash" ;;
*) fail "the PIN is stored as '$hash'" ;;
esac
ctl vm pin a.test 1001 - <<<"3690"
[ "$RC" -eq 0 ] && [ "$OUT" = "PIN of mailbox 1001 of a.test set" ] &&
	[ "$(sqlite3 "$DB" "SELECT pin_hash FROM vm_boxes WHERE ext_id = 1")" != "$hash" ] &&
	ok "a PIN read from standard input is stored" ||
	fail "vm pin - did not store the PIN from stdin ($RC): $ERR"
[ -z "$(sqlite3 "$DB" "SELECT pin_hash FROM vm_boxes WHERE ext_id = 2")" ] &&
	ok "b.test's 1001 has no PIN" || fail "b.test's 1001 got a.test's PIN"

# ---- settings ----
says "$(box_text no set "0 new, 0 saved, 0 missing (at most 5)" "0.0 of 2" \
	"alice@a.test (link only)")" vm box a.test 1001 --disable --max-messages 5 \
	--max-minutes 2 --email alice@a.test --link
refuses 1 "ondoctl: --enable and --disable cannot go together" \
	vm box a.test 1001 --enable --disable
refuses 1 "ondoctl: --attach and --link cannot go together" \
	vm box a.test 1001 --attach --link
refuses 1 "ondoctl: invalid --max-messages '0' (1 to 10000)" \
	vm box a.test 1001 --max-messages 0
refuses 1 "ondoctl: invalid --max-minutes 'ten' (1 to 6000)" \
	vm box a.test 1001 --max-minutes ten
refuses 1 "ondoctl: invalid email address 'alice at a.test' (name@domain; \"\" for none)" \
	vm box a.test 1001 --email 'alice at a.test'
ctl vm box a.test 1001 --enable --email '' --attach
case $OUT in *"enabled:  yes"*"email:    none"*) ok "vm box --enable --email '' turns it on, no email" ;;
*) fail "vm box --enable --email '': $OUT $ERR" ;; esac

# ---- messages, as a crash would leave them, then reconciled ----
wav "$BOX/new/1700000000-aaaa.wav" 2
wav "$BOX/saved/1700000100-bbbb.wav" 3.4
wav "$BOX/new/1700000200-cccc.wav.part-Xy12Zq" 1
printf 'not audio\n' >"$BOX/new/notes.txt"
says "voicemail in $SPOOL: 0 indexed, 0 quarantined, 0 removed, 0 repaired, 0 flagged, 0 unflagged" \
	vm reconcile
ctl vm reconcile --min-age 0
# Sorted: the order of a folder's entries is the file system's.
want="indexed tenants/a.test/vm/1001/new/1700000000-aaaa.wav (2.0 s, caller unknown)
indexed tenants/a.test/vm/1001/saved/1700000100-bbbb.wav (3.4 s, caller unknown)
quarantined $BOX/new/notes.txt (not a message file) as $BOX/quarantine/new-notes.txt
removed $BOX/new/1700000200-cccc.wav.part-Xy12Zq (an unfinished recording)"
if [ "$RC" -eq 0 ] &&
	[ "$(printf '%s\n' "$OUT" | head -n 4 | sort)" = "$want" ] &&
	[ "$(printf '%s\n' "$OUT" | tail -n 1)" = "voicemail in $SPOOL: 2 indexed, 1 quarantined, 1 removed, 0 repaired, 0 flagged, 0 unflagged" ] &&
	[ ! -e "$BOX/new/1700000200-cccc.wav.part-Xy12Zq" ] &&
	[ -e "$BOX/quarantine/new-notes.txt" ]; then
	ok "reconcile indexed 2 WAVs, removed the .part file, quarantined the text"
else
	fail "vm reconcile --min-age 0 ($RC): $OUT $ERR"
fi
sqlite3 "$DB" "UPDATE vm_messages SET caller = '1002', caller_name = 'Bob',
	received_at = 1700000000 WHERE id = 1;
	UPDATE vm_messages SET received_at = 1700000100 WHERE id = 2"
says "ID  FOLDER  FROM        RECEIVED          DURATION  FILE
2   saved   unknown     2023-11-14 22:15  0:03      ok
1   new     1002 \"Bob\"  2023-11-14 22:13  0:02      ok" vm list a.test 1001
says "ID  FOLDER  FROM        RECEIVED          DURATION  FILE
1   new     1002 \"Bob\"  2023-11-14 22:13  0:02      ok" vm list a.test 1001 --folder new
says "message 1 in mailbox 1001 of a.test
folder:   new
from:     1002 \"Bob\"
received: 2023-11-14 22:13
duration: 0:02 (2.0 s)
file:     $BOX/new/1700000000-aaaa.wav" vm play a.test 1001 1
says "message 2 in mailbox 1001 of a.test exported to $T_DIR/copy.wav" \
	vm export a.test 1001 2 "$T_DIR/copy.wav"
cmp -s "$T_DIR/copy.wav" "$BOX/saved/1700000100-bbbb.wav" &&
	ok "the export is the message's WAV" || fail "the exported file differs"
says "$(box_text yes set "1 new, 1 saved, 0 missing (at most 5)" "0.1 of 2" \
	none)" vm box a.test 1001

# ---- the other tenant's 1001 ----
says "no messages in mailbox 1001 of b.test" vm list b.test 1001
refuses 1 "ondoctl: no message 1 in mailbox 1001 of b.test" vm play b.test 1001 1
refuses 1 "ondoctl: no message 1 in mailbox 1001 of b.test" vm del b.test 1001 1
refuses 1 "ondoctl: no message 2 in mailbox 1001 of b.test" \
	vm export b.test 1001 2 "$T_DIR/stolen.wav"

# ---- a file that went missing ----
rm "$BOX/saved/1700000100-bbbb.wav"
says "message 2: tenants/a.test/vm/1001/saved/1700000100-bbbb.wav is missing, flagged
voicemail in $SPOOL: 0 indexed, 0 quarantined, 0 removed, 0 repaired, 1 flagged, 0 unflagged" \
	vm reconcile --min-age 0
says "ID  FOLDER  FROM        RECEIVED          DURATION  FILE
2   saved   unknown     2023-11-14 22:15  0:03      MISSING
1   new     1002 \"Bob\"  2023-11-14 22:13  0:02      ok" vm list a.test 1001
refuses 1 "ondoctl: the file of message 2 in mailbox 1001 of a.test is missing (delete the message with ondoctl vm del)" \
	vm play a.test 1001 2
says "message 2 in mailbox 1001 of a.test deleted" vm del a.test 1001 2
says "message 1 in mailbox 1001 of a.test deleted" vm del a.test 1001 1
[ ! -e "$BOX/new/1700000000-aaaa.wav" ] &&
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM vm_messages")" = 0 ] &&
	ok "deleting removed the file and the row" ||
	fail "a deleted message left its file or row behind"

# ---- bad input ----
refuses 1 "ondoctl: no message 1 in mailbox 1001 of a.test" vm del a.test 1001 1
refuses 1 "ondoctl: no extension 1009 in tenant a.test" vm list a.test 1009
refuses 1 "ondoctl: no tenant c.test" vm list c.test 1001
refuses 1 "ondoctl: invalid extension number '10x1' (1 to 31 digits)" \
	vm box a.test 10x1
refuses 1 "ondoctl: invalid message id 'x' (the ID column of ondoctl vm list)" \
	vm play a.test 1001 x
refuses 1 "ondoctl: invalid folder 'old' (new or saved)" \
	vm list a.test 1001 --folder old
refuses 1 "ondoctl: invalid --min-age '-1' (0 to 86400)" vm reconcile --min-age -1
refuses 2 "ondoctl: usage: ondoctl vm list DOMAIN EXT [--folder new|saved]" \
	vm list a.test
refuses 2 "ondoctl: usage: ondoctl vm pin DOMAIN EXT PIN|-" vm pin a.test 1001
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
