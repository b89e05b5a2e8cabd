#!/bin/bash
# test_phones.sh - the panel and real phones: two extensions made in the
# page register with baresip and appear in the registrations view; a call
# between them appears in live calls and is hung up from the page (both
# phones are told); its record is in the call records page.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: registrations, live calls, hang-up, call records with real phones"

DOM=acme.test
web_start
web_has_endpoint DELETE "/api/v1/tenants/x.test/calls/none" ||
	web_skip "this daemon cannot hang calls up (DELETE /api/v1/tenants/{t}/calls/{id}): the test waits for it"
provision tenant add Acme "$DOM"
web_step phones.mjs create 1001:web-pass-1001:Alice 1002:web-pass-1002:Bob ||
	fatal "the extensions could not be made in the page"

make_tone "$T_DIR/600.wav" 600
make_tone "$T_DIR/1300.wav" 1300
baresip_setup alice "<sip:1001@$DOM>;auth_pass=web-pass-1001" "$T_DIR/600.wav"
baresip_setup bob "<sip:1002@$DOM>;auth_pass=web-pass-1002;answermode=auto" "$T_DIR/1300.wav"

# ---- registrations: the page watches while the phones register ----
web_step_bg phones.mjs registrations 1001 1002
web_wait_signal ready || fatal "the registrations page did not open"
for p in alice bob; do
	baresip_start $p
	baresip_wait_registered $p || fail "$p did not register:$(baresip_log_tail $p)"
done
web_step_wait || true

# ---- a call, seen live and hung up from the page ----
web_step_bg phones.mjs calls 1001 1002
web_wait_signal ready || fatal "the live calls page did not open"
baresip_cmd alice dial "sip:1002@$DOM" >/dev/null || fatal "alice refused the dial command"
baresip_wait_log alice 15 'Call established' || fail "bob did not answer:$(baresip_log_tail alice)"
if web_wait_signal seen 40; then
	check "alice's phone was told the call ended (BYE from the PBX)" \
		baresip_wait_log alice 30 'terminated|closed'
	check "bob's phone was told the call ended" \
		baresip_wait_log bob 30 'terminated|closed'
fi
web_step_wait || true
wait_cdr 10 || fail "no call record was written"

web_step phones.mjs cdr 1001 1002 || true
check "the audit log names the hang-up" \
	sh -c "sqlite3 '$ONDO_DB' \"SELECT object FROM audit_log WHERE action LIKE 'DELETE %/calls/%'\" | grep -q '^call '"
baresip_stop alice
baresip_stop bob
stop_ondo
finish
