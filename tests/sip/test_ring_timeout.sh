#!/bin/bash
# test_ring_timeout.sh - 1002 rings and nobody answers: after its ring
# timeout (5 s, set per extension) 1002's phone gets a CANCEL and 1001 gets
# 480; the CDR says NO ANSWER.
. "$(dirname "$0")/../lib/common.sh"
test_init "ring timeout: 480 after the extension's timeout"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-caller-1001'
provision ext add "$DOM" 1002 --password 'pw-callee-1002' --ring-timeout 5
# Without a mailbox: with one (the default), voicemail would take the call
# (tests/e2e/test_vm_deposit.sh).
provision vm box "$DOM" 1002 --disable

u=$(free_port)
sipp_register reg1002 "$u" 1002 'pw-callee-1002' 300 || fatal "cannot go on without 1002 registered"
sipp_bg uas uas_ring.xml -p "$u" -mp "$(free_port_range 4)"
sipp_wait_listening "$u" || fatal "SIPp for 1002 did not bind 127.0.0.1:$u"

t0=$(date +%s%N)
sipp_run uac "$(sipp_scenario_code 480)" -p "$(free_port)" \
	-mp "$(free_port_range 4)" -key user 1001 -key callee 1002 \
	-au 1001 -ap 'pw-caller-1001'
uac_rc=$SIPP_RC
t1=$(date +%s%N)
sipp_wait uas
uas_rc=$SIPP_RC

seq=$(sipp_codes uac)
if [ "$uac_rc" -eq 0 ]; then
	pass "1001 got 480 when 1002 did not answer ($seq)"
else
	fail "1001 did not get 480 after 1002 rang out (sipp exit $uac_rc), got: $seq$(echo; sipp_why uac)"
fi
if [ "$uas_rc" -eq 0 ]; then
	pass "1002's phone stopped ringing: CANCEL, 487, ACK"
else
	fail "1002's phone was not cancelled at the ring timeout (sipp exit $uas_rc):$(echo; sipp_why uas)"
fi
# The whole UAC run includes 0.5 s of waiting after the ACK.
ms=$(((t1 - t0) / 1000000))
if [ "$ms" -ge 5000 ] && [ "$ms" -le 9000 ]; then
	pass "the call rang for about 5 s (${ms} ms from INVITE to the end)"
else
	fail "the call rang ${ms} ms, want about 5 s (ring timeout 5)"
fi

if wait_cdr 5; then
	IFS='|' read -r disp status <<<"$(cdr_row "disposition, sip_status")"
	check "CDR disposition is NO ANSWER (got '$disp')" [ "$disp" = "NO ANSWER" ]
	check "CDR sip_status is 480 (got '$status')" [ "$status" = 480 ]
else
	fail "no CDR row within 5 s after the unanswered call"
fi

stop_ondo
finish
