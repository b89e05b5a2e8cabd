#!/bin/bash
# test_trunks.sh - the panel's trunks and numbers page in a real browser: a
# trunk added and listed with its live state from the SIP side, a DID
# added (bad ones refused next to their fields) and deleted; the rows in
# the database and the audit log agree. A time condition made in the
# page (a bad destination and rule refused next to their fields) opens
# with an all-week rule and takes a holiday.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: trunks, DIDs and time conditions"

web_start
provision tenant add Acme acme.test
provision ext add acme.test 1001 --password 'sip-pass-1001'
web_step trunks.mjs trunks || true
web_step trunks.mjs timeconds || true
check "the trunk is in the database, as an IP trunk to 127.0.0.1:9" \
	sh -c "sqlite3 '$ONDO_DB' \"SELECT auth, host, port FROM trunks WHERE name = 'carrier'\" | grep -qx 'ip|127.0.0.1|9'"
check "the daemon re-read its trunks after the change" grep -q "trunk" "$ONDO_LOG"
check "the DID is gone again" \
	sh -c "[ \"\$(sqlite3 '$ONDO_DB' 'SELECT count(*) FROM dids')\" = 0 ]"
check "the time condition has its rule and holiday in the database" \
	sh -c "[ \"\$(sqlite3 '$ONDO_DB' 'SELECT count(*) FROM timecond_rules') \$(sqlite3 '$ONDO_DB' 'SELECT count(*) FROM timecond_holidays')\" = '1 1' ]"
check "the audit log has the trunk and the DID" \
	sh -c "sqlite3 '$ONDO_DB' \"SELECT object FROM audit_log\" | grep -q 'trunk carrier' &&
	       sqlite3 '$ONDO_DB' \"SELECT object FROM audit_log\" | grep -q 'DID +4930555000'"
stop_ondo
finish
