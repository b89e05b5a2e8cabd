#!/bin/bash
# test_tenants.sh - two tenants with the same extension numbers stay apart:
# a phone cannot register as tenant B's 1001 with tenant A's password,
# A's 1001 cannot reach B's 1002, and each tenant's 1001 -> 1002 call rings
# its own 1002 only, with the CDR filed under the right tenant.
. "$(dirname "$0")/../lib/common.sh"
test_init "tenants are isolated"

A=a.test
B=b.test
start_ondo
provision tenant add tenant-a "$A"
provision tenant add tenant-b "$B"
provision ext add "$A" 1001 --password 'a-1001-pw'
provision ext add "$A" 1002 --password 'a-1002-pw'
provision ext add "$B" 1001 --password 'b-1001-pw'
provision ext add "$B" 1002 --password 'b-1002-pw'
tid_a=$(sql "SELECT id FROM tenants WHERE domain = '$A'")
tid_b=$(sql "SELECT id FROM tenants WHERE domain = '$B'")

make_tone "$T_DIR/700.wav" 700
make_tone "$T_DIR/1100.wav" 1100

# Tenant A's 1001 password used for tenant B's 1001.
baresip_setup intruder "<sip:1001@$B>;auth_pass=a-1001-pw" "$T_DIR/700.wav"
baresip_start intruder
if baresip_wait_log intruder 10 "$BS_REG_FAIL"; then
	pass "A's password does not register B's 1001: $(baresip_out intruder | grep -E "$BS_REG_FAIL" | head -n 1 | sed 's/^ *//')"
else
	fail "registering as 1001@$B with A's password was not refused:$(baresip_log_tail intruder)"
fi
check "the intruder is not registered" [ "$(baresip_count intruder "$BS_REG_OK")" = 0 ]
baresip_stop intruder
if ondoctl reg list "$B" 2>&1 | grep -q "${BS_SIP[intruder]}"; then
	fail "ondoctl reg list $B shows the intruder's contact"
else
	pass "ondoctl reg list $B does not show the intruder"
fi

baresip_setup a1001 "<sip:1001@$A>;auth_pass=a-1001-pw" "$T_DIR/700.wav"
baresip_setup a1002 "<sip:1002@$A>;auth_pass=a-1002-pw;answermode=auto" "$T_DIR/1100.wav"
baresip_setup b1001 "<sip:1001@$B>;auth_pass=b-1001-pw" "$T_DIR/700.wav"
baresip_setup b1002 "<sip:1002@$B>;auth_pass=b-1002-pw;answermode=auto" "$T_DIR/1100.wav"
for p in a1001 a1002 b1001 b1002; do
	baresip_start $p
done
for p in a1001 a1002 b1001 b1002; do
	baresip_wait_registered $p || fatal "phone $p did not register:$(baresip_log_tail $p)"
done
pass "all four phones registered"

answered() { baresip_count "$1" 'Call established'; }
incoming() { baresip_count "$1" 'answering call|Incoming call|Call established'; }

# call FROM URI CALLEE: FROM dials URI; CALLEE must be the phone that
# answers. 3 s of audio, then FROM hangs up.
call() {
	local from=$1 uri=$2 callee=$3 before ended
	before=$(answered "$callee")
	ended=$(baresip_count "$from" 'terminated|session closed')
	baresip_cmd "$from" dial "$uri" >/dev/null || fatal "phone $from refused to dial"
	if baresip_wait_log "$callee" 10 'Call established' $((before + 1)); then
		pass "$from dialling $uri reached $callee"
	else
		fail "$from dialling $uri did not reach $callee:$(baresip_log_tail "$from" 6)"
		return
	fi
	sleep 2
	baresip_cmd "$from" hangup >/dev/null || true
	baresip_wait_log "$from" 10 'terminated|session closed' $((ended + 1)) ||
		fail "$from: call to $uri still up after hanging up"
}

call a1001 "sip:1002@$A" a1002
check "B's 1002 did not ring for A's call" [ "$(incoming b1002)" = 0 ]
call b1001 "sip:1002@$B" b1002
check "A's 1002 did not ring for B's call (calls: $(answered a1002))" [ "$(answered a1002)" = 1 ]
wait_cdr 5 2 || fail "want 2 CDR rows after two answered calls, have $(cdr_count)"

# Across tenants: A's 1001 dials B's domain.
ended=$(baresip_count a1001 'terminated|session closed')
baresip_cmd a1001 dial "sip:1002@$B" >/dev/null || fatal "phone a1001 refused to dial"
if baresip_wait_log a1001 10 'terminated|session closed' $((ended + 1)); then
	why=$(baresip_out a1001 | grep -E 'terminated|session closed|[3-6][0-9][0-9] ' | tail -n 1 | sed 's/^ *//')
	pass "A's 1001 calling 1002@$B was refused ($why)"
else
	fail "A's 1001 calling 1002@$B was not refused within 10 s:$(baresip_log_tail a1001 6)"
	baresip_cmd a1001 hangup >/dev/null || true
fi
check "B's 1002 never saw A's cross-tenant call (answered calls: $(answered b1002))" \
	[ "$(answered b1002)" = 1 ]
check "A's 1002 did not get the call either (answered calls: $(answered a1002))" \
	[ "$(answered a1002)" = 1 ]

rows=$(sql "SELECT tenant_id, caller, callee, disposition FROM cdr ORDER BY id")
n_a=$(sql "SELECT count(*) FROM cdr WHERE tenant_id = $tid_a AND disposition = 'ANSWERED'")
n_b=$(sql "SELECT count(*) FROM cdr WHERE tenant_id = $tid_b AND disposition = 'ANSWERED'")
if [ "$n_a" = 1 ] && [ "$n_b" = 1 ]; then
	pass "one answered call in each tenant's CDRs"
else
	fail "answered CDRs: tenant A $n_a, tenant B $n_b, want 1 and 1; rows (tenant|caller|callee|disposition):$(echo; sed 's/^/       /' <<<"$rows")"
fi
cross=$(sql "SELECT count(*) FROM cdr WHERE tenant_id = $tid_b AND caller LIKE '%1001%' AND disposition <> 'ANSWERED'")
check "no CDR of A's refused call landed in tenant B's records" [ "$cross" = 0 ]
out=$(ondoctl cdr "$A" 2>&1 || true)
check "ondoctl cdr $A lists only A's calls (no $B)" sh -c "! grep -q '$B' <<'EOT'
$out
EOT"

stop_ondo
finish
