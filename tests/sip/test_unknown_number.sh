#!/bin/bash
# test_unknown_number.sh - 1001 dials a number no extension has: after
# authenticating, 404; the CDR says FAILED.
. "$(dirname "$0")/../lib/common.sh"
test_init "unknown number: 404"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-caller-1001'

sipp_run uac "$(sipp_scenario_code 404)" -p "$(free_port)" \
	-mp "$(free_port_range 4)" -key user 1001 -key callee 1999 \
	-au 1001 -ap 'pw-caller-1001'
seq=$(sipp_codes uac)
if [ "$SIPP_RC" -eq 0 ]; then
	pass "1001 dialling 1999 got 407, then 404 ($seq)"
else
	fail "1001 dialling the unknown 1999 did not get 407 then 404 (sipp exit $SIPP_RC), got: $seq$(echo; sipp_why uac)"
fi

if wait_cdr 5; then
	IFS='|' read -r callee disp status <<<"$(cdr_row "callee, disposition, sip_status")"
	check "CDR callee is 1999 (got '$callee')" grep -q 1999 <<<"$callee"
	check "CDR disposition is FAILED (got '$disp')" [ "$disp" = FAILED ]
	check "CDR sip_status is 404 (got '$status')" [ "$status" = 404 ]
else
	fail "no CDR row within 5 s after the call to an unknown number"
fi

stop_ondo
finish
