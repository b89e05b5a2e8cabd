# shellcheck shell=bash
# cli.sh - what the ondoctl tests in tests/cli share: the ondoctl to run, a
# throw-away folder with its ondo.conf, one "ok" or "FAIL" line per check,
# and running ondoctl with its output caught. No daemon needed.
#
#   set -euo pipefail
#   . "$(dirname "$0")/../lib/cli.sh"     stops if there is no ondoctl
#   cli_tmpdir NAME                       T_DIR, removed on exit
#   cli_conf                              $T_DIR/ondo.conf
#   setup tenant add Demo demo.test
#   says "..." ivr add ...
#   ...
#   [ "$FAILS" -eq 0 ]
#
# The build is the repo root, or ONDO_BUILD (relative paths are taken from
# the repo root).

SRC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ONDO_BUILD=${ONDO_BUILD:-$SRC_ROOT}
case $ONDO_BUILD in /*) ;; *) ONDO_BUILD=$SRC_ROOT/$ONDO_BUILD ;; esac
ONDOCTL=$ONDO_BUILD/ondoctl
if [ ! -x "$ONDOCTL" ]; then
	echo "FAIL no ondoctl at $ONDOCTL (build it first)"
	exit 1
fi

T_DIR=
FAILS=0
CHECKS=0
OUT=
ERR=
RC=0

# cli_tmpdir NAME: a new folder ondo-cli-NAME-XXXXXX under TMPDIR (or /tmp)
# in T_DIR, removed with everything in it when the test exits.
cli_tmpdir() {
	T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ondo-cli-$1-XXXXXX")
	trap 'rm -rf "$T_DIR"' EXIT
}

# cli_conf [LINE...]: writes $T_DIR/ondo.conf: the database and the control
# socket in T_DIR, log level warn, and the LINEs (more sections, such as
# "[spool]" "dir = ...") after [db].
cli_conf() {
	local line
	{
		printf '[db]\npath = %s\n' "$T_DIR/ondo.db"
		for line; do
			printf '%s\n' "$line"
		done
		printf '[ctl]\nsocket = %s\n[log]\nlevel = warn\n' "$T_DIR/ondo.sock"
	} >"$T_DIR/ondo.conf"
}

ok() {
	CHECKS=$((CHECKS + 1))
	printf 'ok   %s\n' "$*"
}
fail() {
	CHECKS=$((CHECKS + 1))
	FAILS=$((FAILS + 1))
	printf 'FAIL %s\n' "$*"
}

# ctl ARGS...: runs ondoctl; sets OUT (stdout), ERR (stderr) and RC.
ctl() {
	RC=0
	"$ONDOCTL" -c "$T_DIR/ondo.conf" "$@" >"$T_DIR/out" 2>"$T_DIR/err" || RC=$?
	OUT=$(cat "$T_DIR/out")
	ERR=$(cat "$T_DIR/err")
}

# setup ARGS...: a step the rest depends on; stops the test if it fails.
setup() {
	ctl "$@"
	if [ "$RC" -ne 0 ]; then
		fail "ondoctl $* failed ($RC): $ERR"
		exit 1
	fi
}

# says EXPECTED-STDOUT ARGS...: the command succeeds and prints exactly
# that.
says() {
	local want=$1
	shift
	ctl "$@"
	if [ "$RC" -eq 0 ] && [ "$OUT" = "$want" ] && [ -z "$ERR" ]; then
		ok "$*: $want"
	else
		fail "$*: expected '$want', got '$OUT' (exit $RC) $ERR"
	fi
}

# refuses STATUS ERROR ARGS...: the command exits with STATUS, prints
# exactly ERROR on stderr and nothing on stdout, and changes nothing: the
# test's own snapshot function prints the same before and after.
# SNAPSHOT_OF names what it covers, for the failure message.
SNAPSHOT_OF="the state"
refuses() {
	local status=$1 want=$2 before after
	shift 2
	before=$(snapshot)
	ctl "$@"
	after=$(snapshot)
	if [ "$RC" -eq "$status" ] && [ "$ERR" = "$want" ] && [ -z "$OUT" ] &&
		[ "$before" = "$after" ]; then
		ok "$*: $want"
	elif [ "$before" != "$after" ]; then
		fail "$*: refused with '$ERR' (exit $RC) but $SNAPSHOT_OF changed"
	else
		fail "$*: expected '$want' (exit $status), got '$ERR' (exit $RC, stdout '$OUT')"
	fi
}
