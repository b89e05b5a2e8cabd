#!/bin/bash
# test_trunk.sh - ondoctl trunk, did, ext cos|did, tenant main-number|
# emergency and route --cos|cos against a throw-away database: what an
# admin sets reads back, every mistake is one clear line that changes
# nothing, a trunk's password is never shown, one tenant cannot touch
# another's trunks or numbers, and deleting a tenant takes its trunks and
# DIDs with it. trunk status and the reload after a trunk change talk to
# a stand-in for the daemon (tests/lib/fake_ctl.py), and to no daemon at
# all. Needs python3.
#
#   tests/cli/test_trunk.sh            after make (uses ./ondoctl)
#   ONDO_BUILD=build-asan tests/cli/test_trunk.sh
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.
#
# ${EXTEN} below is a dialplan variable, single-quoted on purpose.
# shellcheck disable=SC2016

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"
if ! command -v python3 >/dev/null; then
	echo "FAIL python3 is missing (apt-get install python3)"
	exit 1
fi

cli_tmpdir trunk
cli_conf
SOCK=$T_DIR/ondo.sock
FAKE=$T_DIR/fake
FAKE_PID=
mkdir "$FAKE"
stop_fake() {
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null || :
		wait "$FAKE_PID" 2>/dev/null || :
		FAKE_PID=
	fi
	rm -f "$SOCK"
}
trap 'stop_fake; rm -rf "$T_DIR"' EXIT

# start_fake: the stand-in daemon listens on the control socket.
start_fake() {
	: >"$FAKE/log"
	python3 "$SRC_ROOT/tests/lib/fake_ctl.py" "$SOCK" "$FAKE" &
	FAKE_PID=$!
	for _ in $(seq 50); do
		[ -S "$SOCK" ] && return 0
		sleep 0.1
	done
	fail "the stand-in daemon did not start"
	exit 1
}

# q SQL: one value from the database, read past ondoctl (which never
# shows a trunk's password).
q() {
	python3 - "$T_DIR/ondo.db" "$1" <<'EOF'
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()
print("" if row is None else row[0])
EOF
}

# snapshot: everything these commands can change, as ondoctl lists it,
# and the stored passwords.
snapshot() {
	local d
	for d in "" "$D" "$B"; do
		# shellcheck disable=SC2086
		"$ONDOCTL" -c "$T_DIR/ondo.conf" trunk list $d 2>&1
		# shellcheck disable=SC2086
		"$ONDOCTL" -c "$T_DIR/ondo.conf" did list $d 2>&1
	done
	"$ONDOCTL" -c "$T_DIR/ondo.conf" tenant list 2>&1
	"$ONDOCTL" -c "$T_DIR/ondo.conf" ext list "$D" 2>&1
	"$ONDOCTL" -c "$T_DIR/ondo.conf" route list "$D" 2>&1
	q "SELECT group_concat(name || '=' || password, ' ') FROM trunks"
}
SNAPSHOT_OF="the trunks, DIDs, tenants, extensions or routes"

# row CMD... -- KEY: the lines of the list CMD that start with the words
# KEY ("demo.test carrier"), blanks squeezed.
row() {
	local args=() key
	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	key=$2
	"$ONDOCTL" -c "$T_DIR/ondo.conf" "${args[@]}" | tr -s ' ' |
		awk -v k="$key " 'index($0 " ", k) == 1'
}

# lists WHAT EXPECTED CMD...: the list's rows after its header, blanks
# squeezed and joined by " | ", are exactly EXPECTED.
lists() {
	local what=$1 want=$2 got
	shift 2
	ctl "$@"
	got=$(echo "$OUT" | sed 1d | tr -s ' ' | paste -sd'|' | sed 's/|/ | /g')
	if [ "$RC" -eq 0 ] && [ "$got" = "$want" ]; then
		ok "$what"
	else
		fail "$what: ondoctl $* gave '$got' (exit $RC) $ERR, expected '$want'"
	fi
}

# header_is WHAT EXPECTED CMD...: the list's header, blanks squeezed.
header_is() {
	local what=$1 want=$2 got
	shift 2
	ctl "$@"
	got=$(echo "$OUT" | sed -n 1p | tr -s ' ')
	if [ "$RC" -eq 0 ] && [ "$got" = "$want" ]; then
		ok "$what: $want"
	else
		fail "$what: header '$got' (exit $RC) $ERR, expected '$want'"
	fi
}

D=demo.test
B=other.test
PW='Car-r13r s3cret'
setup tenant add Demo "$D"
setup tenant add Other "$B"
setup ext add "$D" 1001 --password secret123
setup ext add "$B" 2000 --password secret123
setup ivr add "$D" main --greeting welcome

# ---- trunk add -------------------------------------------------------------
says "no trunks yet (add one with ondoctl trunk add)" trunk list
says "no trunks for $D yet (add one with ondoctl trunk add)" trunk list "$D"
ctl trunk add "$D" carrier --host sip.carrier.example --auth register \
	--username acct-4711 --password - <<<"$PW"
if [ "$RC" -eq 0 ] && [ "$OUT" = "trunk carrier added to $D" ] && [ -z "$ERR" ]; then
	ok "trunk add with the password on stdin, no daemon running: $OUT, nothing on stderr"
else
	fail "trunk add: '$OUT' (exit $RC) '$ERR'"
fi
if [ "$(q "SELECT password FROM trunks WHERE name = 'carrier'")" = "$PW" ]; then
	ok "the password read from stdin is stored as typed"
else
	fail "the stored password is '$(q "SELECT password FROM trunks WHERE name = 'carrier'")'"
fi
says "trunk backup added to $D" trunk add "$D" backup --host 192.0.2.10 \
	--port 5080 --transport tcp --auth ip --ips 192.0.2.10,192.0.2.11 \
	--codecs 'pcma, g722' --callerid main --max-calls 30 --out-strip 3 \
	--out-prefix 0 --in-strip 0 --in-prefix +49 --expiry 120
says "trunk carrier added to $B" trunk add "$B" carrier --host sip.other.example \
	--auth register --username other-1 --password other-secret
says "trunk pool added to the shared set" trunk add --shared pool \
	--host pool.example --auth register --username pool --password pool-secret
says "trunk carrier added to the shared set" trunk add carrier --shared \
	--host 198.51.100.1 --auth ip

header_is "trunk list" "TENANT NAME HOST:PORT/TRANSPORT AUTH USER CALLER ID MAX CALLS CODECS" trunk list
lists "trunk list: shared first, then by tenant, by name" \
	"shared carrier 198.51.100.1:5060/udp ip - did unlimited PCMU,PCMA,G722 | shared pool pool.example:5060/udp register pool did unlimited PCMU,PCMA,G722 | $D backup 192.0.2.10:5080/tcp ip - main 30 PCMA,G722 | $D carrier sip.carrier.example:5060/udp register acct-4711 did unlimited PCMU,PCMA,G722 | $B carrier sip.other.example:5060/udp register other-1 did unlimited PCMU,PCMA,G722" \
	trunk list
lists "trunk list $B: its own and the shared ones, not $D's" \
	"shared carrier 198.51.100.1:5060/udp ip - did unlimited PCMU,PCMA,G722 | shared pool pool.example:5060/udp register pool did unlimited PCMU,PCMA,G722 | $B carrier sip.other.example:5060/udp register other-1 did unlimited PCMU,PCMA,G722" \
	trunk list "$B"
shown=
for args in "" "$D" "$B"; do
	# shellcheck disable=SC2086
	out=$("$ONDOCTL" -c "$T_DIR/ondo.conf" trunk list $args 2>&1)
	for secret in "$PW" s3cret other-secret pool-secret; do
		if grep -qF -- "$secret" <<<"$out"; then
			shown="$shown '$secret' in trunk list $args;"
		fi
	done
done
if [ -z "$shown" ]; then
	ok "no trunk password appears in any trunk list"
else
	fail "trunk list shows passwords:$shown"
fi

# Every mistake is one line naming the option; nothing is stored.
T=(trunk add "$D" t1 --host sip.example)
refuses 1 "ondoctl: bad --port '70000': 1 to 65535" "${T[@]}" --auth ip --port 70000
refuses 1 "ondoctl: bad --port '0': 1 to 65535" "${T[@]}" --auth ip --port 0
refuses 1 "ondoctl: bad --port '50x': 1 to 65535" "${T[@]}" --auth ip --port 50x
refuses 1 "ondoctl: bad --transport 'tls': udp or tcp" "${T[@]}" --auth ip --transport tls
refuses 1 "ondoctl: bad --auth 'digest': register or ip" "${T[@]}" --auth digest
refuses 1 "ondoctl: bad --host 'a..b': a DNS name or an IPv4 address" trunk add "$D" t1 --host a..b --auth ip
refuses 1 "ondoctl: bad --expiry '59': 60 to 86400 seconds" "${T[@]}" --auth ip --expiry 59
# A bad list of ips names its bad entry.
refuses 1 "ondoctl: bad --ips '192.0.2.1,': an empty entry (two commas, or a comma at either end)" "${T[@]}" --auth ip --ips 192.0.2.1,
refuses 1 "ondoctl: bad --ips '192.0.2.0/24,10.0.0.1/24': '10.0.0.1/24' has bits set past /24 (the network is 10.0.0.0/24)" \
	"${T[@]}" --auth ip --ips 192.0.2.0/24,10.0.0.1/24
refuses 1 "ondoctl: bad --ips 'carrier.example,2001:db8::/129': '2001:db8::/129' is not an IPv4 or IPv6 address, a prefix such as 10.0.0.0/24 or a host name" \
	"${T[@]}" --auth ip --ips carrier.example,2001:db8::/129
refuses 1 "ondoctl: bad --ips 'a..b': 'a..b' is not an IPv4 or IPv6 address, a prefix such as 10.0.0.0/24 or a host name" \
	"${T[@]}" --auth ip --ips a..b
refuses 1 "ondoctl: bad --codecs 'G729': a comma-separated list of G722, PCMU, PCMA" "${T[@]}" --auth ip --codecs G729
refuses 1 "ondoctl: bad --callerid 'none': did, main or anonymous" "${T[@]}" --auth ip --callerid none
refuses 1 "ondoctl: bad --max-calls '-1': 0 (no limit) to 100000" "${T[@]}" --auth ip --max-calls -1
refuses 1 "ondoctl: bad --out-strip '16': 0 to 15" "${T[@]}" --auth ip --out-strip 16
refuses 1 "ondoctl: bad --out-prefix '0a': at most 15 of 0-9 + * #" "${T[@]}" --auth ip --out-prefix 0a
refuses 1 "ondoctl: bad --in-strip 'x': 0 to 15" "${T[@]}" --auth ip --in-strip x
refuses 1 "ondoctl: bad --in-prefix '+49 ': at most 15 of 0-9 + * #" "${T[@]}" --auth ip --in-prefix '+49 '
refuses 1 "ondoctl: bad --username 'a@b': the account at the carrier: 1 to 63 of letters, digits and - _ . ! ~ * ' ( ) & = + \$ , ; ? /" \
	"${T[@]}" --auth register --username a@b --password secret
# A bad password is not echoed: it may be a real one with a typo.
refuses 1 "ondoctl: bad --password: 1 to 127 printable ASCII characters" "${T[@]}" --auth register --username u --password "$(printf 'tab\there')"
refuses 1 "ondoctl: trunk t1 needs --username for --auth register (the account at the carrier: 1 to 63 of letters, digits and - _ . ! ~ * ' ( ) & = + \$ , ; ? /)" \
	"${T[@]}" --auth register --password secret
refuses 1 "ondoctl: trunk t1 needs --password for --auth register (1 to 127 printable ASCII characters)" \
	"${T[@]}" --auth register --username u
refuses 1 "ondoctl: trunk t1 needs --host (a DNS name or an IPv4 address)" trunk add "$D" t1 --auth ip
refuses 1 "ondoctl: trunk t1 needs --auth (register or ip)" "${T[@]}"
refuses 1 "ondoctl: invalid trunk name 'T1' (1 to 32 characters: a-z, 0-9, _ and -)" trunk add "$D" T1 --host sip.example --auth ip
refuses 1 "ondoctl: $D already has a trunk carrier" trunk add "$D" carrier --host sip.example --auth ip
refuses 1 "ondoctl: the shared set already has a trunk pool" trunk add --shared pool --host sip.example --auth ip
refuses 1 "ondoctl: no tenant nope.test" trunk add nope.test t1 --host sip.example --auth ip
USAGE="ondoctl: usage: ondoctl trunk add (DOMAIN|--shared) NAME --host H [--port N] [--transport udp|tcp] --auth register|ip [--username U] [--password P|-] [--expiry S] [--ips A,B] [--codecs LIST] [--callerid did|main|anonymous] [--max-calls N] [--max-per-hour N] [--out-strip N] [--out-prefix P] [--in-strip N] [--in-prefix P]"
refuses 2 "$USAGE" trunk add --shared "$D" t1 --host sip.example --auth ip
refuses 2 "$USAGE" trunk add "$D" --host sip.example --auth ip
refuses 2 "ondoctl: unknown option '--proxy' for 'trunk add' (try ondoctl --help)" "${T[@]}" --auth ip --proxy x

# ---- trunk set and del -------------------------------------------------------
says "trunk carrier of $D changed" trunk set "$D" carrier --port 5070 --callerid anonymous
if [ "$(row trunk list "$D" -- "$D carrier")" = "$D carrier sip.carrier.example:5070/udp register acct-4711 anonymous unlimited PCMU,PCMA,G722" ] &&
	[ "$(q "SELECT password FROM trunks WHERE name = 'carrier' AND tenant_id IS NOT NULL AND host LIKE '%carrier%'")" = "$PW" ]; then
	ok "trunk set changed the port and caller ID and kept everything else"
else
	fail "after trunk set: '$(row trunk list "$D" -- "$D carrier")'"
fi
ctl trunk set "$D" carrier --password - <<<"n3w-pass"
if [ "$RC" -eq 0 ] && [ "$(q "SELECT password FROM trunks WHERE host = 'sip.carrier.example'")" = n3w-pass ]; then
	ok "trunk set --password - stores the new password from stdin"
else
	fail "trunk set --password -: exit $RC $ERR, stored '$(q "SELECT password FROM trunks WHERE host = 'sip.carrier.example'")'"
fi
refuses 1 "ondoctl: bad --port '65536': 1 to 65535" trunk set "$D" carrier --port 65536
refuses 1 "ondoctl: trunk backup needs --username for --auth register (the account at the carrier: 1 to 63 of letters, digits and - _ . ! ~ * ' ( ) & = + \$ , ; ? /)" \
	trunk set "$D" backup --auth register
refuses 1 "ondoctl: no trunk nope in $D" trunk set "$D" nope --port 5060
refuses 1 "ondoctl: no trunk backup in $B" trunk set "$B" backup --port 5060
refuses 2 "ondoctl: usage: ondoctl trunk set (DOMAIN|--shared) NAME [the options of trunk add]" trunk set "$D" carrier
says "trunk pool of the shared set changed" trunk set --shared pool --max-calls 4
says "trunk pool of the shared set changed" trunk set --shared pool --max-per-hour 30
refuses 1 "ondoctl: bad --max-per-hour '-1': 0 (no limit) to 1000000 outbound calls an hour" \
	trunk set --shared pool --max-per-hour -1
if "$ONDOCTL" -c "$T_DIR/ondo.conf" trunk list | grep -q "4, 30/h out"; then
	ok "trunk list shows the cap: 4, 30/h out"
else
	fail "trunk list without the cap: $("$ONDOCTL" -c "$T_DIR/ondo.conf" trunk list)"
fi
says "trunk pool of the shared set changed" trunk set --shared pool --max-per-hour 0
# ips: IPv4 and IPv6 addresses and prefixes, and host names, as typed.
IPS=192.0.2.0/24,2001:db8::/32,2001:db8:1::7,sip.carrier.example
says "trunk backup of $D changed" trunk set "$D" backup --ips "$IPS"
if [ "$(q "SELECT ips FROM trunks WHERE name = 'backup'")" = "$IPS" ]; then
	ok "trunk set --ips stores prefixes, IPv6 and host names as typed"
else
	fail "trunk set --ips stored '$(q "SELECT ips FROM trunks WHERE name = 'backup'")', not '$IPS'"
fi

# Tenant isolation: other.test names demo.test's trunk and a shared one.
refuses 1 "ondoctl: no trunk backup in $B" trunk del "$B" backup
refuses 1 "ondoctl: no trunk pool in $B" trunk del "$B" pool
refuses 2 "ondoctl: usage: ondoctl trunk del (DOMAIN|--shared) NAME" trunk del "$D"
says "trunk carrier deleted from the shared set" trunk del --shared carrier
refuses 1 "ondoctl: no trunk carrier in the shared set" trunk del --shared carrier
if [ -n "$(row trunk list "$B" -- "$B carrier")" ] && [ -n "$(row trunk list "$D" -- "$D carrier")" ]; then
	ok "deleting the shared carrier left the tenants' own carriers"
else
	fail "after deleting the shared carrier: $("$ONDOCTL" -c "$T_DIR/ondo.conf" trunk list)"
fi

# ---- trunk status and the reload, with and without a daemon ----------------
refuses 1 "ondoctl: the daemon is not running (no control socket at $SOCK)" trunk status
refuses 1 "ondoctl: the daemon is not running (no control socket at $SOCK)" trunk status "$D"
refuses 1 "ondoctl: invalid domain 'a..b' (letters, digits, hyphens and dots, or an IPv4 address)" trunk status a..b

start_fake
printf 'OK\nshared\tpool\tregistered\tyes\t0\texpires in 540 s\n%s\tcarrier\tfailed\tno\t2\t403 Forbidden\n' "$D" >"$FAKE/reply.trunks"
header_is "trunk status" "TENANT NAME REGISTRATION REACHABLE CALLS DETAIL" trunk status
lists "trunk status shows the daemon's lines as rows" \
	"shared pool registered yes 0 expires in 540 s | $D carrier failed no 2 403 Forbidden" trunk status
ctl trunk status DEMO.test
if [ "$RC" -eq 0 ] && [ "$(tail -n 1 "$FAKE/log")" = "trunks $D" ] &&
	[ "$(sed -n 1p "$FAKE/log")" = trunks ]; then
	ok "trunk status asks 'trunks', and 'trunks $D' for a domain (in lower case)"
else
	fail "trunk status sent: $(paste -sd'|' "$FAKE/log") (exit $RC) $ERR"
fi
printf 'OK\n' >"$FAKE/reply.trunks"
says "the daemon has no trunks for $D" trunk status "$D"
printf 'ERR no such tenant\n' >"$FAKE/reply.trunks"
refuses 1 "ondoctl: the daemon refused: no such tenant" trunk status nope.test
printf 'OK\nshared\tpool\tregistered\n' >"$FAKE/reply.trunks"
TAB=$'\t'
refuses 1 "ondoctl: the daemon sent a trunk line this ondoctl does not understand: 'shared${TAB}pool${TAB}registered'" trunk status

: >"$FAKE/log"
printf 'OK\n' >"$FAKE/reply.trunks-reload"
says "trunk t2 added to $D" trunk add "$D" t2 --host sip.example --auth ip
says "trunk t2 of $D changed" trunk set "$D" t2 --max-calls 2
says "trunk t2 deleted from $D" trunk del "$D" t2
if [ "$(paste -sd'|' "$FAKE/log")" = "trunks-reload|trunks-reload|trunks-reload" ]; then
	ok "trunk add, set and del each tell the daemon: trunks-reload"
else
	fail "the daemon was sent '$(paste -sd'|' "$FAKE/log")', not trunks-reload three times"
fi
: >"$FAKE/log"
refuses 1 "ondoctl: bad --port '0': 1 to 65535" trunk set "$D" backup --port 0
if [ ! -s "$FAKE/log" ]; then
	ok "a refused trunk change does not tell the daemon"
else
	fail "a refused trunk set sent '$(paste -sd'|' "$FAKE/log")'"
fi
rm "$FAKE/reply.trunks-reload"
ctl trunk add "$D" t3 --host sip.example --auth ip
if [ "$RC" -eq 0 ] && [ "$OUT" = "trunk t3 added to $D" ] &&
	[ "$ERR" = "ondoctl: warning: the daemon did not reload its trunks: the daemon refused: unknown command 'trunks-reload'" ] &&
	[ -n "$(row trunk list "$D" -- "$D t3")" ]; then
	ok "a daemon refusing the reload: the trunk is stored, a warning on stderr, exit 0"
else
	fail "trunk add with the reload refused: '$OUT' '$ERR' (exit $RC)"
fi
stop_fake
setup trunk del "$D" t3

# ---- DIDs ----------------------------------------------------------------------
says "DID +4930123456 of $D goes to extension 1001" did add "$D" +4930123456 extension 1001
says "DID +4930123457 of $D goes to ivr main" did add "$D" +4930123457 ivr main
says "DID +4930123458 of $D goes to number 0800123" did add "$D" +4930123458 number 0800123
says "DID +12125550100 of $B goes to extension 2000" did add "$B" +12125550100 extension 2000
header_is "did list" "TENANT NUMBER DESTINATION" did list
lists "did list: every tenant's numbers" \
	"$B +12125550100 extension 2000 | $D +4930123456 extension 1001 | $D +4930123457 ivr main | $D +4930123458 number 0800123" did list
lists "did list $B: its own only" "$B +12125550100 extension 2000" did list "$B"
refuses 1 "ondoctl: no extension 1009 in tenant $D" did add "$D" +4930123459 extension 1009
refuses 1 "ondoctl: no extension 1001 in tenant $B" did add "$B" +4930123459 extension 1001
refuses 1 "ondoctl: no menu 'sales' in tenant $D" did add "$D" +4930123459 ivr sales
refuses 1 "ondoctl: invalid DID '030123459' (E.164: + and 2 to 15 digits, the first not 0)" did add "$D" 030123459 extension 1001
refuses 1 "ondoctl: invalid DID '+1234567890123456' (E.164: + and 2 to 15 digits, the first not 0)" did add "$D" +1234567890123456 extension 1001
refuses 1 "ondoctl: unknown destination 'parking' (extension, ivr, voicemail, conference, ringgroup, number or timecond)" did add "$D" +4930123459 parking 1001
refuses 1 "ondoctl: invalid extension '10a' (1 to 31 digits)" did add "$D" +4930123459 extension 10a
refuses 1 "ondoctl: invalid number '1 2' (1 to 31 characters: digits, letters, * # + . _ -)" did add "$D" +4930123459 number '1 2'
refuses 1 "ondoctl: DID +4930123456 belongs to another tenant" did add "$B" +4930123456 number 100
refuses 1 "ondoctl: $D already has DID +4930123456" did add "$D" +4930123456 number 100
refuses 2 "ondoctl: usage: ondoctl did add DOMAIN NUMBER extension|ivr|voicemail|conference|ringgroup|number|timecond DEST" did add "$D" +4930123459 extension

says "DID +4930123458 of $D goes to extension 1001" did set "$D" +4930123458 extension 1001
refuses 1 "ondoctl: no DID +4930123458 in tenant $B" did set "$B" +4930123458 extension 2000
refuses 1 "ondoctl: no menu 'nope' in tenant $D" did set "$D" +4930123458 ivr nope
refuses 1 "ondoctl: no DID +4930999 in tenant $D" did set "$D" +4930999 number 1
refuses 1 "ondoctl: no DID +4930123456 in tenant $B" did del "$B" +4930123456
says "DID +4930123458 deleted from $D" did del "$D" +4930123458
refuses 1 "ondoctl: no DID +4930123458 in tenant $D" did del "$D" +4930123458
lists "did list $D after the changes" "$D +4930123456 extension 1001 | $D +4930123457 ivr main" did list "$D"
setup tenant add Third third.test
says "no DIDs in third.test yet (add one with ondoctl did add)" did list third.test
lists "trunk list third.test: the shared trunks only" \
	"shared pool pool.example:5060/udp register pool did 4 PCMU,PCMA,G722" trunk list third.test

# ---- classes of service and caller ID ----------------------------------------
header_is "ext list" "NUMBER NAME RING REGISTERED COS DID FORWARD" ext list "$D"
lists "a new extension may call national numbers and has no DID" "1001 30s 0 national - -" ext list "$D"
says "extension 1001 of $D: class of service international" ext cos "$D" 1001 international
says "extension 1001 of $D: DID +4930123456" ext did "$D" 1001 +4930123456
lists "ext list shows the class and the DID as set" "1001 30s 0 international +4930123456 -" ext list "$D"
refuses 1 "ondoctl: invalid class of service 'world' (internal, local, national or international)" ext cos "$D" 1001 world
refuses 1 "ondoctl: invalid DID '0301234' (E.164: + and 2 to 15 digits, the first not 0; \"\" for none)" ext did "$D" 1001 0301234
refuses 1 "ondoctl: no extension 1001 in tenant $B" ext cos "$B" 1001 local
refuses 1 "ondoctl: no extension 1001 in tenant $B" ext did "$B" 1001 +4930123456
refuses 1 "ondoctl: invalid extension number 'abc' (1 to 31 digits)" ext cos "$D" abc local
says "extension 1001 of $D: no DID" ext did "$D" 1001 ""
lists "ext did \"\" clears the DID" "1001 30s 0 international - -" ext list "$D"

header_is "tenant list" "DOMAIN NAME EXTENSIONS CODECS MAIN NUMBER EMERGENCY RECORD CODE" tenant list
says "main number of $D: +4930123450" tenant main-number DEMO.test +4930123450
says "emergency numbers of $D: 110,112" tenant emergency "$D" 110,112
if [ "$(row tenant list -- "$D")" = "$D Demo 1 G722,PCMU,PCMA +4930123450 110,112 *1" ] &&
	[ "$(row tenant list -- "$B")" = "$B Other 1 G722,PCMU,PCMA - 112,911 *1" ]; then
	ok "tenant list shows $D's main and emergency numbers, and $B's defaults"
else
	fail "tenant list rows: '$(row tenant list -- "$D")', '$(row tenant list -- "$B")'"
fi
refuses 1 "ondoctl: invalid main number '0301234' (E.164: + and 2 to 15 digits, the first not 0; \"\" for none)" tenant main-number "$D" 0301234
refuses 1 "ondoctl: invalid emergency numbers '110, 112' (numbers separated by commas without blanks, each 1 to 31 of digits, letters, * # + . _ -, 63 characters in all at most)" tenant emergency "$D" '110, 112'
refuses 1 "ondoctl: invalid emergency numbers '112,' (numbers separated by commas without blanks, each 1 to 31 of digits, letters, * # + . _ -, 63 characters in all at most)" tenant emergency "$D" 112,
refuses 1 "ondoctl: no tenant nope.test" tenant main-number nope.test ""
says "main number of $D: none" tenant main-number "$D" ""

route_id() { echo "$OUT" | sed -n 's/^route \([0-9][0-9]*\) added to .*/\1/p'; }
setup route add "$D" '_00.' dial '${EXTEN}' --cos international
r_intl=$(route_id)
setup route add "$D" '_0.' dial '${EXTEN}'
r_plain=$(route_id)
header_is "route list" "ID PRIO PATTERN COS APP ARGS" route list "$D"
# The forwarding codes of migration 0015, ids 3 to 16.
codes=
i=3
for c in '*72 forward always' '_*72. forward always,${1}' '*73 forward always,off' \
	'*90 forward busy' '_*90. forward busy,${1}' '*91 forward busy,off' \
	'*52 forward noanswer' '_*52. forward noanswer,${1}' '*53 forward noanswer,off' \
	'*54 forward unregistered' '_*54. forward unregistered,${1}' \
	'*55 forward unregistered,off' '*78 forward dnd,on' '*79 forward dnd,off'; do
	read -r pat app args <<<"$c"
	codes+="$i 50 $pat internal $app $args | "
	i=$((i + 1))
done
lists "route list shows each route's class, internal by default" \
	"1 50 *97 internal mailbox  | 2 50 *98 internal mailbox any | $codes$r_intl 100 _00. international dial \${EXTEN} | $r_plain 100 _0. internal dial \${EXTEN}" route list "$D"
says "route $r_plain of $D: class of service national" route cos "$D" "$r_plain" national
if [ "$(row route list "$D" -- "$r_plain")" = "$r_plain 100 _0. national dial \${EXTEN}" ]; then
	ok "route cos changed the class of that route"
else
	fail "after route cos: '$(row route list "$D" -- "$r_plain")'"
fi
refuses 1 "ondoctl: invalid class of service 'National' (internal, local, national or international)" route add "$D" '_1.' dial '${EXTEN}' --cos National
refuses 1 "ondoctl: invalid class of service 'world' (internal, local, national or international)" route cos "$D" "$r_plain" world
refuses 1 "ondoctl: no route $r_plain in tenant $B" route cos "$B" "$r_plain" local
refuses 1 "ondoctl: invalid route id 'x' (the ID column of ondoctl route list)" route cos "$D" x local

# ---- tenant del takes the tenant's trunks and DIDs --------------------------
setup tenant del "$D"
ctl trunk list
if ! grep -q "^$D " <<<"$OUT" && grep -q "^$B " <<<"$OUT" && grep -q "^shared " <<<"$OUT"; then
	ok "tenant del removed $D's trunks and kept $B's and the shared ones"
else
	fail "trunk list after tenant del: $OUT"
fi
ctl did list
if ! grep -q "^$D " <<<"$OUT" && grep -q "^$B " <<<"$OUT"; then
	ok "tenant del removed $D's DIDs and kept $B's"
else
	fail "did list after tenant del: $OUT"
fi
if [ "$(q "SELECT count(*) FROM trunks WHERE tenant_id IS NOT NULL AND tenant_id NOT IN (SELECT id FROM tenants)")$(q "SELECT count(*) FROM dids WHERE tenant_id NOT IN (SELECT id FROM tenants)")" = 00 ]; then
	ok "no trunk or DID row is left without its tenant"
else
	fail "rows of the deleted tenant are left in the database"
fi
setup tenant add Demo "$D"
says "DID +4930123456 of $D goes to number 100" did add "$D" +4930123456 number 100
says "trunk carrier added to $D" trunk add "$D" carrier --host sip.example --auth ip

echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
