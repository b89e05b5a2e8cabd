#!/bin/bash
# test_info_dtmf.sh - DTMF by SIP INFO reaches apps as digits: a SIPp
# phone calls the echo test and presses '#' by INFO (dtmf-relay, then
# dtmf); the echo test ends and the PBX hangs up with a BYE.
. "$(dirname "$0")/../lib/common.sh"
test_init "DTMF by SIP INFO ends the echo test"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-caller-1001'
provision route add "$DOM" 600 echo

c=$(free_port)
mc=$(free_port_range 4)
sipp_run uac uac_info_dtmf.xml -p "$c" -mp "$mc" -key user 1001 \
	-key callee 600 -au 1001 -ap 'pw-caller-1001'
if [ "$SIPP_RC" -eq 0 ]; then
	pass "INFO '#' ended the echo test and the PBX hung up: $(sipp_codes uac)"
else
	fail "the echo test did not end on INFO digits (sipp exit $SIPP_RC): $(sipp_codes uac)$(echo; sipp_why uac)"
fi
if wait_cdr 5; then
	IFS='|' read -r callee disp <<<"$(cdr_row "callee, disposition")"
	check "CDR: 600 ANSWERED (got '$callee' '$disp')" [ "$callee" = 600 -a "$disp" = ANSWERED ]
else
	fail "no CDR row"
fi
stop_ondo
finish
