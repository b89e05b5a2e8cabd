#!/bin/bash
# test_login.sh - the panel's log-in in a real browser: wrong passwords,
# what the superadmin, a tenant admin and an extension user each see, a
# session that ends under the page, log-out, a throttled log-in.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: log-in, roles, session end, log-out"

web_start
provision tenant add Acme acme.test
provision tenant add Beta beta.test
provision ext add acme.test 1001 --password 'sip-pass-1001'
provision ext add acme.test 1002 --password 'sip-pass-1002'
provision user add adma --role admin --tenant acme.test --password adma-pass-1
provision user add ua --role user --tenant acme.test --ext 1001 --password ua-pass-123

# The policy forbids inline code: none may be in the panel's files.
check "the panel's HTML has no inline script, style or event handler" \
	sh -c "! grep -EnH '<script>|<script [^>]*>[^<]|style=|<style|[[:space:]]on[a-z]+=' '$SRC_ROOT'/web/static/*.html"
check "the panel's JavaScript sets no inline style or handler attribute" \
	sh -c "! grep -EnH 'innerHTML|setAttribute\\([\"'\'']on|setAttribute\\([\"'\'']style|eval\\(|new Function' -r '$SRC_ROOT/web/static'"
web_step login.mjs wrong || true
web_step login.mjs root || true
web_step login.mjs admin || true
web_step login.mjs user || true
web_step login.mjs expire || true
web_step login.mjs logout || true
web_step login.mjs throttle || true
check "the audit log has the user's password change" \
	sh -c "sqlite3 '$ONDO_DB' \"SELECT count(*) FROM audit_log WHERE username = 'ua' AND action LIKE 'PATCH %/extensions/1001'\" | grep -qx 1"
stop_ondo
finish
