#!/bin/bash
# test_register_forbidden.sh - a wrong password and an unknown user get the
# same answers (401, then 403): the registrar does not reveal which
# extensions exist.
. "$(dirname "$0")/../lib/common.sh"
test_init "register: wrong password and unknown user both get 403"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'right-password-1001'

# The challenge without its per-request values (nonce, opaque), so two
# challenges can be compared.
challenge_shape() {
	grep -i '^WWW-Authenticate:' | sed -E 's/(nonce|opaque)="[^"]*"/\1=X/g'
}

declare -A seq=() shape=() final=()
for who in wrongpw unknown; do
	if [ $who = wrongpw ]; then user=1001; else user=1999; fi
	port=$(free_port)
	sipp_run "$who" register_forbidden.xml -p "$port" -key user "$user" \
		-key expires 300 -au "$user" -ap 'not-the-password'
	seq[$who]=$(sipp_codes "$who")
	if [ "$SIPP_RC" -eq 0 ]; then
		pass "$who ($user): 401 then 403 (${seq[$who]})"
	else
		fail "$who ($user) was not refused with 401 then 403: got" \
			"'${seq[$who]}' (sipp exit $SIPP_RC)$(echo; sipp_why "$who")"
	fi
	shape[$who]=$(sipp_received "$who" 1 | challenge_shape)
	final[$who]=$(sipp_statuses "$who" | tail -n 1)
done

check "both got the same sequence of answers ('${seq[wrongpw]}' vs '${seq[unknown]}')" \
	[ "${seq[wrongpw]}" = "${seq[unknown]}" ]
if [ -n "${shape[wrongpw]}" ] && [ "${shape[wrongpw]}" = "${shape[unknown]}" ]; then
	pass "both 401 challenges look alike (realm, qop, algorithm)"
else
	fail "the 401 challenges differ, which tells an attacker the user exists:" \
		"$(printf '\n       existing: %s\n       unknown:  %s' "${shape[wrongpw]}" "${shape[unknown]}")"
fi
check "both final answers read the same ('${final[wrongpw]}' vs '${final[unknown]}')" \
	[ "${final[wrongpw]}" = "${final[unknown]}" ]

out=$(ondoctl reg list "$DOM" 2>&1 || true)
if grep -q '127\.0\.0\.1:' <<<"$out"; then
	fail "a refused phone shows up in ondoctl reg list:$(echo; sed 's/^/       /' <<<"$out")"
else
	pass "ondoctl reg list $DOM shows no phone"
fi
check "registrations table is empty" [ "$(sql 'SELECT count(*) FROM registrations')" = 0 ]

stop_ondo
finish
