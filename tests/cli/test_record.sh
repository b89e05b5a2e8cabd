#!/bin/bash
# test_record.sh - ondoctl ext record and route record: the three modes
# stored and read back from the database, bad modes and unknown rows
# refused in one line with nothing changed, and tenants kept apart; the
# tenant's on-demand code (tenant record-code): set, shown in tenant list
# and by ext record, bad codes and clashes with the in-call codes refused.
# No daemon needed.
#
#   tests/cli/test_record.sh            after make (uses ./ondoctl)
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"

cli_tmpdir record
cli_conf

mode_of() { # TABLE WHERE
	sqlite3 "$T_DIR/ondo.db" "SELECT record FROM $1 WHERE $2"
}
snapshot() {
	sqlite3 "$T_DIR/ondo.db" \
		"SELECT number, record FROM extensions ORDER BY id;
		 SELECT id, record FROM routes ORDER BY id;
		 SELECT domain, record_code FROM tenants ORDER BY id"
}
SNAPSHOT_OF="the recording settings"

setup tenant add A a.test
setup tenant add B b.test
setup ext add a.test 1001 --password 'pw-a-1001-xx'
setup ext add b.test 1001 --password 'pw-b-1001-xx'
setup route add a.test '_9.' dial '${1}'

[ "$(mode_of extensions "number = '1001' AND tenant_id = 1")" = never ] &&
	ok "an extension's calls are not recorded by default" ||
	fail "the default recording mode is not never"
says "extension 1001 of a.test: recording always" ext record a.test 1001 always
[ "$(mode_of extensions "tenant_id = 1")" = always ] &&
	ok "stored: always" || fail "always was not stored"
[ "$(mode_of extensions "tenant_id = 2")" = never ] &&
	ok "the other tenant's 1001 is untouched" ||
	fail "b.test's 1001 changed with a.test's"
says "extension 1001 of a.test: recording on-demand (*1 during a call)" \
	ext record a.test 1001 on-demand
says "extension 1001 of a.test: recording never" ext record a.test 1001 never
refuses 1 "ondoctl: invalid recording mode 'sometimes' (never, on-demand or always)" \
	ext record a.test 1001 sometimes
refuses 1 "ondoctl: no extension 1002 in tenant a.test" \
	ext record a.test 1002 always
refuses 2 "ondoctl: usage: ondoctl ext record DOMAIN NUMBER never|on-demand|always" \
	ext record a.test 1001

says "route 1 of a.test: recording always" route record a.test 1 always
[ "$(mode_of routes "id = 1")" = always ] &&
	ok "stored on the route" || fail "the route's mode was not stored"
refuses 1 "ondoctl: no route 1 in tenant b.test" route record b.test 1 never
refuses 1 "ondoctl: invalid recording mode 'ALWAYS' (never, on-demand or always)" \
	route record a.test 1 ALWAYS

# ---- the tenant's on-demand code ----
code_of() { # DOMAIN: the RECORD CODE column of tenant list
	"$ONDOCTL" -c "$T_DIR/ondo.conf" tenant list |
		awk -v d="$1" 'NR > 1 && $1 == d {print $NF}'
}
[ "$(code_of a.test)" = '*1' ] && [ "$(code_of b.test)" = '*1' ] &&
	ok "tenant list: every tenant's record code is *1 by default" ||
	fail "default record codes: a.test '$(code_of a.test)', b.test '$(code_of b.test)'"
says "record code of a.test: *#9" tenant record-code A.TEST '*#9'
[ "$(code_of a.test)" = '*#9' ] && [ "$(code_of b.test)" = '*1' ] &&
	ok "tenant list shows a.test's new code, b.test's unchanged" ||
	fail "after record-code: a.test '$(code_of a.test)', b.test '$(code_of b.test)'"
says "extension 1001 of a.test: recording on-demand (*#9 during a call)" \
	ext record a.test 1001 on-demand
says "extension 1001 of b.test: recording on-demand (*1 during a call)" \
	ext record b.test 1001 on-demand
refuses 1 "ondoctl: invalid record code: '*' is not 2 to 4 of 0-9, * and #" \
	tenant record-code a.test '*'
refuses 1 "ondoctl: invalid record code: '*1234' is not 2 to 4 of 0-9, * and #" \
	tenant record-code a.test '*1234'
refuses 1 "ondoctl: invalid record code: '*A' is not 2 to 4 of 0-9, * and #" \
	tenant record-code a.test '*A'
refuses 1 "ondoctl: invalid record code: '*2' is the in-call code *2 (consult)" \
	tenant record-code a.test '*2'
refuses 1 "ondoctl: invalid record code: '*7' is the start of the in-call code *70 (park)" \
	tenant record-code a.test '*7'
refuses 1 "ondoctl: invalid record code: '##1' begins with the in-call code ## (blind transfer)" \
	tenant record-code a.test '##1'
refuses 1 "ondoctl: no tenant c.test" tenant record-code c.test '*3'
refuses 2 "ondoctl: usage: ondoctl tenant record-code DOMAIN CODE" \
	tenant record-code a.test
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
