#!/bin/bash
# test_cancel.sh - 1001 hangs up while 1002 rings: 1001 gets 200 for the
# CANCEL and 487 for the INVITE, 1002 gets a CANCEL, the CDR says CANCELLED.
. "$(dirname "$0")/../lib/common.sh"
test_init "caller cancels a ringing call"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-caller-1001'
provision ext add "$DOM" 1002 --password 'pw-callee-1002'

u=$(free_port)
sipp_register reg1002 "$u" 1002 'pw-callee-1002' 300 || fatal "cannot go on without 1002 registered"
sipp_bg uas uas_ring.xml -p "$u" -mp "$(free_port_range 4)"
sipp_wait_listening "$u" || fatal "SIPp for 1002 did not bind 127.0.0.1:$u"

sipp_run uac uac_cancel.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key user 1001 -key callee 1002 -au 1001 -ap 'pw-caller-1001'
uac_rc=$SIPP_RC
sipp_wait uas
uas_rc=$SIPP_RC

seq=$(sipp_codes uac)
if [ "$uac_rc" -eq 0 ]; then
	pass "1001 cancelled while ringing and got 200 + 487 ($seq)"
else
	fail "1001's CANCEL did not end the call with 487 (sipp exit $uac_rc), got: $seq$(echo; sipp_why uac)"
fi
if [ "$uas_rc" -eq 0 ]; then
	pass "1002 stopped ringing: got CANCEL, answered 487, got ACK"
else
	fail "1002 did not see the call cancelled (sipp exit $uas_rc):$(echo; sipp_why uas)"
fi

if wait_cdr 5; then
	IFS='|' read -r disp status answer <<<"$(cdr_row "disposition, sip_status, answer_us")"
	check "CDR disposition is CANCELLED (got '$disp')" [ "$disp" = CANCELLED ]
	check "CDR sip_status is 487 (got '$status')" [ "$status" = 487 ]
	check "CDR has no answer time (got '$answer')" [ "$answer" = 0 ]
else
	fail "no CDR row within 5 s after the cancelled call"
fi

stop_ondo
finish
