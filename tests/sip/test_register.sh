#!/bin/bash
# test_register.sh - a phone registers with digest auth (401, then 200) and
# the registrar lists its contact.
. "$(dirname "$0")/../lib/common.sh"
test_init "register with digest auth"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-1001-secret'

port=$(free_port)
sipp_register reg "$port" 1001 'pw-1001-secret' 300 || true

statuses=$(sipp_statuses reg)
if [ "$(grep -v '^SIP/2.0 100' <<<"$statuses" | head -n 1 | cut -d' ' -f2)" = 401 ]; then
	pass "first REGISTER was challenged with 401"
else
	fail "first REGISTER got '$(head -n 1 <<<"$statuses")', want 401"
fi

challenge=$(sipp_received reg 1 | grep -i '^WWW-Authenticate:' || true)
if grep -qi "realm=\"$DOM\"" <<<"$challenge"; then
	pass "digest realm is the tenant domain $DOM"
else
	fail "401 challenge has no realm=\"$DOM\": '$challenge'"
fi
if grep -qiE 'qop="?([a-z-]+,)*auth\b' <<<"$challenge"; then
	pass "challenge offers qop=auth"
else
	fail "401 challenge offers no qop=auth: '$challenge'"
fi

ok200=$(sipp_received reg -1)
if grep -qiE "^(Contact|m):.*127\.0\.0\.1:$port" <<<"$ok200"; then
	pass "200 OK lists the registered contact"
else
	fail "200 OK to REGISTER does not list the contact 127.0.0.1:$port:$(echo; sed 's/^/       /' <<<"$ok200")"
fi

if wait_until 5 sh -c "'$ONDOCTL_BIN' -c '$ONDO_CONF' reg list '$DOM' | grep -q '127.0.0.1:$port'"; then
	pass "ondoctl reg list $DOM shows 1001 at 127.0.0.1:$port"
else
	fail "ondoctl reg list $DOM does not show 1001 at 127.0.0.1:$port:$(echo; ondoctl reg list "$DOM" 2>&1 | sed 's/^/       /')"
fi
line=$(ondoctl reg list "$DOM" 2>&1 | grep "127.0.0.1:$port" || true)
check "the listed registration names extension 1001" grep -q 1001 <<<"$line"

n=$(sql "SELECT count(*) FROM registrations r JOIN extensions e ON e.id = r.ext_id WHERE e.number = '1001' AND r.contact LIKE '%127.0.0.1:$port%'")
check "registrations table holds the contact (rows: $n)" [ "$n" = 1 ]

stop_ondo
finish
