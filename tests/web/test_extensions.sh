#!/bin/bash
# test_extensions.sh - a tenant and its extensions managed in the browser:
# errors shown next to their fields, a CSV import with refused lines,
# search and pages served by the daemon, changes and deletion, an
# extension's calls at once, its class of service, own DID and recording,
# and the tenant's maximum of extensions (a new one past it refused next
# to its number); the rows the page made are checked in the database.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: tenants, extensions, CSV import, web users"

web_start
web_step extensions.mjs tenant || fatal "the tenant could not be made in the page"
web_step extensions.mjs create || true
web_step extensions.mjs import || true
web_step extensions.mjs edit || true
web_step extensions.mjs outbound || true
web_step extensions.mjs users || true
web_step extensions.mjs limits || true

q() { sql "SELECT $1 FROM extensions e JOIN tenants t ON t.id = e.tenant_id WHERE t.domain = 'gamma.test' $2"; }
check "the database has 120 extensions (2001 and 119 imported)" [ "$(q "count(*)" "")" = 120 ]
check "2001 has the name given in the page" [ "$(q e.name "AND number = '2001'")" = "Alice Smith" ]
check "2001 may have 2 calls at once, as set in the page" [ "$(q e.max_calls "AND number = '2001'")" = 2 ]
check "2001 has the class, own DID and recording set in the page (the refused ones never written)" \
	[ "$(q "e.cos || '|' || e.did || '|' || e.record" "AND number = '2001'")" = "international|+4930123451|on-demand" ]
check "the tenant may have 120 extensions, as set in the page" \
	[ "$(sql "SELECT max_extensions FROM tenants WHERE domain = 'gamma.test'")" = 120 ]
check "an imported extension has its name and ring timeout from the CSV" \
	[ "$(q "e.name || '|' || ring_timeout" "AND number = '2150'")" = "Import, 2150|20" ]
# The imported password is the one the phone will use (digest HA1).
ha1=$(printf '%s' "2150:gamma.test:pass-word-2150" | md5sum | cut -d' ' -f1)
check "an imported extension's SIP password is the one in the CSV" \
	[ "$(q ha1 "AND number = '2150'")" = "$ha1" ]
stop_ondo
finish
