#!/bin/bash
# test_audit.sh - every ondoctl command that changes something leaves a
# row in the audit log (the table the REST API writes and the panel
# shows): who ran it (ondoctl:UNIXUSER), the tenant, the command and its
# words, never a password or PIN; a command that only shows, or one that
# was refused, leaves none. No daemon needed.
#
#   tests/cli/test_audit.sh            after make (uses ./ondoctl)
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"
if ! command -v sqlite3 >/dev/null; then
	echo "FAIL sqlite3 is missing (apt-get install sqlite3)"
	exit 1
fi

cli_tmpdir audit
cli_conf
D=demo.test
WHO="ondoctl:$(id -un)"

rows() {
	[ -f "$T_DIR/ondo.db" ] || return 0
	sqlite3 -batch -noheader "$T_DIR/ondo.db" \
		"SELECT username || '|' || tenant || '|' || action || '|' || object || '|' || source FROM audit_log ORDER BY id"
}
count() { rows | wc -l; }

# row_after N WANT ARGS...: ondoctl ARGS succeeds and the audit log has
# gained exactly the row WANT (N: the rows before).
row_after() {
	local want=$1 before got
	shift
	before=$(count)
	ctl "$@"
	got=$(rows | tail -n +$((before + 1)))
	if [ "$RC" -eq 0 ] && [ "$got" = "$want" ]; then
		ok "ondoctl $*: the audit log has '$want'"
	else
		fail "ondoctl $* (exit $RC $ERR): expected the row '$want', got '$got'"
	fi
}

# no_row ARGS...: ondoctl ARGS leaves the audit log as it was.
no_row() {
	local before after
	before=$(rows)
	ctl "$@"
	after=$(rows)
	if [ "$before" = "$after" ]; then
		ok "ondoctl $* (exit $RC): no audit row"
	else
		fail "ondoctl $* (exit $RC) wrote an audit row: $(diff <(echo "$before") <(echo "$after") | grep '^>')"
	fi
}

row_after "$WHO|$D|ondoctl tenant add|Demo Demo.Test|local" tenant add Demo Demo.Test
row_after "$WHO|$D|ondoctl ext add|$D 1001 --password *** --name \"Al Ice\"|local" \
	ext add "$D" 1001 --password 'sip-secret-1' --name 'Al Ice'
row_after "$WHO|$D|ondoctl ext passwd|$D 1001 ***|local" ext passwd "$D" 1001 'sip-secret-2'
row_after "$WHO|$D|ondoctl tenant codecs|$D pcmu,g722|local" tenant codecs "$D" pcmu,g722
row_after "$WHO|$D|ondoctl vm pin|$D 1001 ***|local" vm pin "$D" 1001 4826
row_after "$WHO|$D|ondoctl conf add|$D 800 --pin=*** --mod-pin ***|local" \
	conf add "$D" 800 --pin=2468 --mod-pin 1357
row_after "$WHO|$D|ondoctl user add|adm --role admin --tenant $D --password ***|local" \
	user add adm --role admin --tenant "$D" --password - <<<'web-secret-1'
row_after "$WHO||ondoctl trunk add|--shared pool --host 127.0.0.1 --auth ip|local" \
	trunk add --shared pool --host 127.0.0.1 --auth ip
row_after "$WHO|$D|ondoctl vm box|$D 1001 --email al@demo.test|local" vm box "$D" 1001 --email al@demo.test

# Commands of the running daemon (here a stand-in, tests/lib/fake_ctl.py)
# open the database for their row; shown only, refused, or not run:
# nothing.
SOCK=$T_DIR/ondo.sock
FAKE=$T_DIR/fake
mkdir -p "$FAKE"
printf 'OK\n' >"$FAKE/reply.conf"
printf 'OK\n' >"$FAKE/reply.unban"
python3 "$SRC_ROOT/tests/lib/fake_ctl.py" "$SOCK" "$FAKE" &
FAKE_PID=$!
trap 'kill "$FAKE_PID" 2>/dev/null || :; rm -rf "$T_DIR"' EXIT
for _ in $(seq 50); do
	[ -S "$SOCK" ] && break
	sleep 0.1
done
row_after "$WHO|$D|ondoctl conf lock|Demo.Test 800|local" conf lock Demo.Test 800
row_after "$WHO|$D|ondoctl ban del|1001@$D|local" ban del "1001@$D"
no_row conf members "$D" 800

no_row tenant list
no_row ext list "$D"
no_row ext show "$D" 1001
no_row trunk list
no_row vm box "$D" 1001
no_row vm settings "$D"
no_row user list
no_row tenant codecs "$D" G729
no_row ext passwd "$D" 1001 short
no_row ext add "$D" 1001 --password 'sip-secret-3'
no_row ext add nope.test 1002 --password 'sip-secret-4'

all=$(sqlite3 -batch "$T_DIR/ondo.db" "SELECT * FROM audit_log")
leaked=
for secret in sip-secret-1 sip-secret-2 4826 2468 1357 web-secret-1; do
	case $all in *"$secret"*) leaked="$leaked $secret" ;; esac
done
if [ -z "$leaked" ]; then
	ok "no password or PIN is anywhere in the audit log"
else
	fail "the audit log holds:$leaked"
fi

echo "$((CHECKS - FAILS)) of $CHECKS checks passed"
[ "$FAILS" -eq 0 ]
