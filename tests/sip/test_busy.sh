#!/bin/bash
# test_busy.sh - 1002 has two phones and both answer 486: 1001 gets 486
# (busy only when every contact is busy), the CDR says BUSY.
. "$(dirname "$0")/../lib/common.sh"
test_init "busy callee: 486"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-caller-1001'
provision ext add "$DOM" 1002 --password 'pw-callee-1002'
# Without a mailbox: with one (the default), voicemail would take the call
# (tests/e2e/test_vm_deposit.sh).
provision vm box "$DOM" 1002 --disable

declare -A UAS_PORT=()
for ph in 1 2; do
	u=$(free_port)
	UAS_PORT[$ph]=$u
	sipp_register "reg1002_$ph" "$u" 1002 'pw-callee-1002' 300 ||
		fatal "cannot go on without 1002's phone $ph registered"
	sipp_bg "uas$ph" uas_busy.xml -p "$u"
	sipp_wait_listening "$u" || fatal "SIPp for 1002's phone $ph did not bind 127.0.0.1:$u"
done

sipp_run uac "$(sipp_scenario_code 486)" -p "$(free_port)" \
	-mp "$(free_port_range 4)" -key user 1001 -key callee 1002 \
	-au 1001 -ap 'pw-caller-1001'
uac_rc=$SIPP_RC
sipp_wait uas1
uas1_rc=$SIPP_RC
sipp_wait uas2
uas2_rc=$SIPP_RC

seq=$(sipp_codes uac)
if [ "$uac_rc" -eq 0 ]; then
	pass "1001 got 486 Busy Here ($seq)"
else
	fail "1001 did not get 486 when both of 1002's phones were busy (sipp exit $uac_rc), got: $seq$(echo; sipp_why uac)"
fi
for ph in 1 2; do
	rc_var=uas${ph}_rc
	if [ "${!rc_var}" -eq 0 ]; then
		pass "1002's phone $ph got the INVITE and the ACK for its 486"
	else
		fail "1002's phone $ph was not rung or not ACKed (sipp exit ${!rc_var}):$(echo; sipp_why "uas$ph")"
	fi
done

if wait_cdr 5; then
	IFS='|' read -r disp status <<<"$(cdr_row "disposition, sip_status")"
	check "CDR disposition is BUSY (got '$disp')" [ "$disp" = BUSY ]
	check "CDR sip_status is 486 (got '$status')" [ "$status" = 486 ]
else
	fail "no CDR row within 5 s after the busy call"
fi

# With its mailbox on, a busy 1002 sends the caller to voicemail with the
# busy greeting: the PBX answers (200) instead of 486.
provision vm box "$DOM" 1002 --enable
for ph in 1 2; do
	sipp_bg "uas_vm$ph" uas_busy.xml -p "${UAS_PORT[$ph]}"
	sipp_wait_listening "${UAS_PORT[$ph]}" || fatal "SIPp for phone $ph did not bind again"
done
sipp_run uac_vm uac_call.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key user 1001 -key callee 1002 -au 1001 -ap 'pw-caller-1001'
if [ "$SIPP_RC" -eq 0 ]; then
	pass "with a mailbox, the busy callee's caller is answered by voicemail ($(sipp_codes uac_vm))"
else
	fail "voicemail did not answer the busy call (sipp exit $SIPP_RC):$(sipp_why uac_vm)"
fi
check "the PBX sent it to the busy greeting" \
	grep -q '1001 -> 1002: to voicemail(1002,busy)' "$ONDO_LOG"
for ph in 1 2; do sipp_wait "uas_vm$ph"; done

stop_ondo
finish
