#!/bin/bash
# test_busy.sh - 1002's only phone answers 486: 1001 gets 486, the CDR says
# BUSY.
. "$(dirname "$0")/../lib/common.sh"
test_init "busy callee: 486"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-caller-1001'
provision ext add "$DOM" 1002 --password 'pw-callee-1002'

u=$(free_port)
sipp_register reg1002 "$u" 1002 'pw-callee-1002' 300 || fatal "cannot go on without 1002 registered"
sipp_bg uas uas_busy.xml -p "$u"
sipp_wait_listening "$u" || fatal "SIPp for 1002 did not bind 127.0.0.1:$u"

sipp_run uac "$(sipp_scenario_code 486)" -p "$(free_port)" \
	-mp "$(free_port_range 4)" -key user 1001 -key callee 1002 \
	-au 1001 -ap 'pw-caller-1001'
uac_rc=$SIPP_RC
sipp_wait uas
uas_rc=$SIPP_RC

seq=$(sipp_statuses uac | cut -d' ' -f2 | tr '\n' ' ')
if [ "$uac_rc" -eq 0 ]; then
	pass "1001 got 486 Busy Here ($seq)"
else
	fail "1001 did not get 486 from a busy 1002 (sipp exit $uac_rc), got: $seq$(echo; sipp_why uac)"
fi
check "1002 got the INVITE and the ACK for its 486 (sipp exit $uas_rc)" [ "$uas_rc" -eq 0 ]

if wait_cdr 5; then
	IFS='|' read -r disp status <<<"$(cdr_row "disposition, sip_status")"
	check "CDR disposition is BUSY (got '$disp')" [ "$disp" = BUSY ]
	check "CDR sip_status is 486 (got '$status')" [ "$status" = 486 ]
else
	fail "no CDR row within 5 s after the busy call"
fi

stop_ondo
finish
