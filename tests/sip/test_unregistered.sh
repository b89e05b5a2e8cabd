#!/bin/bash
# test_unregistered.sh - 1002 exists but no phone of it is registered: 480;
# the CDR records the failed attempt.
. "$(dirname "$0")/../lib/common.sh"
test_init "unregistered callee: 480"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-caller-1001'
provision ext add "$DOM" 1002 --password 'pw-callee-1002'
# Without a mailbox: with one (the default), voicemail would take the call
# (tests/e2e/test_vm_deposit.sh).
provision vm box "$DOM" 1002 --disable

sipp_run uac "$(sipp_scenario_code 480)" -p "$(free_port)" \
	-mp "$(free_port_range 4)" -key user 1001 -key callee 1002 \
	-au 1001 -ap 'pw-caller-1001'
seq=$(sipp_codes uac)
if [ "$SIPP_RC" -eq 0 ]; then
	pass "1001 calling the unregistered 1002 got 480 ($seq)"
else
	fail "1001 calling the unregistered 1002 did not get 480 (sipp exit $SIPP_RC), got: $seq$(echo; sipp_why uac)"
fi

if wait_cdr 5; then
	IFS='|' read -r disp status <<<"$(cdr_row "disposition, sip_status")"
	case $disp in
	FAILED | "NO ANSWER") pass "CDR disposition is $disp" ;;
	*) fail "CDR disposition is '$disp', want FAILED or NO ANSWER" ;;
	esac
	check "CDR sip_status is 480 (got '$status')" [ "$status" = 480 ]
else
	fail "no CDR row within 5 s after the call to an unregistered extension"
fi

stop_ondo
finish
