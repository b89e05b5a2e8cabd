#!/bin/bash
# test_trunks.sh - the panel's trunks and numbers page in a real browser: a
# trunk added and listed with its live state from the SIP side, a DID
# added (bad ones refused next to their fields) and deleted, another sent
# elsewhere with "Change" (refusals next to their fields); the rows in
# the database and the audit log agree. A time condition made in the
# page (a bad destination and rule refused next to their fields) opens
# with an all-week rule and takes a holiday. The superadmin adds and
# changes a shared trunk in the same page (refusals next to their
# fields), with the trunks' limits (calls at once, outbound calls an
# hour) listed, and sets the tenant's limits (a bad one refused next to
# it); the tenant's admin sees the shared trunk without its account or
# buttons, the limits without a way to change them, and changes the
# tenant's settings (refusals next to their fields).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: trunks, DIDs and time conditions"

web_start
provision tenant add Acme acme.test
provision ext add acme.test 1001 --password 'sip-pass-1001'
provision user add adma --role admin --tenant acme.test --password adma-pass-1
web_step trunks.mjs trunks || true
web_step trunks.mjs shared || true
web_step trunks.mjs limits || true
web_step trunks.mjs admin || true
web_step trunks.mjs timeconds || true
check "the trunk is in the database, as an IP trunk to 127.0.0.1:9, 4 calls at once, 30 an hour" \
	[ "$(sql "SELECT auth, host, port, max_calls, max_per_hour FROM trunks WHERE name = 'carrier'")" = "ip|127.0.0.1|9|4|30" ]
check "the daemon re-read its trunks after the change" grep -q "trunk" "$ONDO_LOG"
check "the deleted DID is gone, the changed one goes to mailbox 1001" \
	[ "$(sql "SELECT number || '|' || dest_type || '|' || dest FROM dids" | paste -sd' ')" = "+4930555001|voicemail|1001" ]
check "the time condition has its rule and holiday in the database" \
	sh -c "[ \"\$(sqlite3 '$ONDO_DB' 'SELECT count(*) FROM timecond_rules') \$(sqlite3 '$ONDO_DB' 'SELECT count(*) FROM timecond_holidays')\" = '1 1' ]"
check "the audit log has the trunk and the DID" \
	sh -c "sqlite3 '$ONDO_DB' \"SELECT object FROM audit_log\" | grep -q 'trunk carrier' &&
	       sqlite3 '$ONDO_DB' \"SELECT object FROM audit_log\" | grep -q 'DID +4930555000'"
check "the audit log has the DID's change" \
	[ "$(sql "SELECT object FROM audit_log WHERE action LIKE 'PATCH %/dids/%'")" = "DID +4930555001 -> voicemail 1001" ]
check "the shared trunk is in the database as changed, its password kept" \
	[ "$(sql "SELECT ifnull(tenant_id, 0), host, port, max_calls, max_per_hour, username, password FROM trunks WHERE name = 'pool'")" = \
	  "0|127.0.0.2|9|3|50|pool-account|pool-secret-1" ]
check "the tenant's limits set in the page are in the database (the refused 5 s never written)" \
	[ "$(sql "SELECT max_calls, max_extensions, max_call_secs FROM tenants WHERE domain = 'acme.test'")" = "20|50|3600" ]
check "the tenant's voicemail settings are in the database" \
	[ "$(sql "SELECT vm_max_message_s, vm_silence_s, vm_own_phone_nopin FROM tenants WHERE domain = 'acme.test'")" = "120|6|1" ]
check "the tenant's settings are in the database" \
	[ "$(sql "SELECT name, main_number, codecs, timezone FROM tenants WHERE domain = 'acme.test'")" = \
	  "Acme Europe|+4930123450|PCMA,PCMU|Europe/Berlin" ]
check "the audit log has the shared trunk and the settings" \
	[ "$(sql "SELECT action || ' ' || object FROM audit_log WHERE object LIKE 'shared trunk %' OR object LIKE 'tenant acme.test:%'" | paste -sd'|')" = \
	  "POST /api/v1/trunks shared trunk pool|PATCH /api/v1/trunks/pool shared trunk pool|PATCH /api/v1/tenants/acme.test tenant acme.test: limits|PATCH /api/v1/tenants/acme.test tenant acme.test: name, codecs, main_number, timezone, record_code|PATCH /api/v1/tenants/acme.test tenant acme.test: voicemail" ]
stop_ondo
finish
