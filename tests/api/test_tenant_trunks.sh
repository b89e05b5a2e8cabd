#!/bin/bash
# test_tenant_trunks.sh - a tenant's settings (PATCH /api/v1/tenants/{t})
# and the shared trunks (/api/v1/trunks) through the REST API
# (tenant_trunks.py): every refused value names its field and writes
# nothing, what is written is what ondoctl shows, the daemon's trunks
# follow, a tenant admin sees shared trunks without their account and
# cannot change them.
. "$(dirname "$0")/../lib/common.sh"
test_init "REST API: tenant settings and shared trunks"

start_ondo
provision tenant add A a.test
provision tenant add B b.test
provision user add root --role superadmin --password root-pass-1
provision user add adma --role admin --tenant a.test --password adma-pass-1

if "$PYTHON" "$SRC_ROOT/tests/api/tenant_trunks.py" "$ONDO_HTTP_PORT" "$TESTS_LIB" "$ONDO_DB"; then
	pass "the settings and shared trunks were changed, refused and shown as they should"
else
	fail "some API checks failed (above)"
fi
row=$(ondoctl tenant list | grep '^a\.test ' | tr -s ' ')
check "ondoctl tenant list shows the settings written through the API ($row)" \
	[ "$row" = "a.test Acme Europe 0 PCMU,G722 +4930123450 110,112 *9#" ]
check "and the time zone" \
	[ "$(sql "SELECT timezone FROM tenants WHERE domain = 'a.test'")" = Europe/Berlin ]
row=$(ondoctl trunk list | grep '^shared ' | tr -s ' ')
check "ondoctl trunk list has the shared trunk as changed through the API ($row)" \
	[ "$row" = "shared upstream 127.0.0.1:5099/udp register acct-1 did 7 PCMU,PCMA,G722" ]
check "the shared trunk's password was kept by the change" \
	[ "$(sql "SELECT password FROM trunks WHERE name = 'upstream'")" = 'carrier-secret-1' ]
stop_ondo
finish
