#!/bin/bash
# test_call_auth.sh - 1001 calls 1002: 407, authenticated INVITE, 180
# relayed, 200 with SDP rewritten to the PBX's address and RTP ports, BYE;
# the CDR says ANSWERED.
. "$(dirname "$0")/../lib/common.sh"
test_init "call with auth between two extensions"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-caller-1001'
provision ext add "$DOM" 1002 --password 'pw-callee-1002'

# 1002: register from port U, then answer calls on that same port.
u=$(free_port)
mu=$(free_port_range 4)
sipp_register reg1002 "$u" 1002 'pw-callee-1002' 300 || fatal "cannot go on without 1002 registered"
sipp_bg uas uas_answer.xml -p "$u" -mp "$mu"
sipp_wait_listening "$u" || fatal "SIPp for 1002 did not bind 127.0.0.1:$u"

c=$(free_port)
mc=$(free_port_range 4)
sipp_run uac uac_call.xml -p "$c" -mp "$mc" -key user 1001 -key callee 1002 \
	-au 1001 -ap 'pw-caller-1001'
uac_rc=$SIPP_RC
sipp_wait uas
uas_rc=$SIPP_RC

seq=$(sipp_codes uac)
if [ "$uac_rc" -eq 0 ]; then
	pass "1001's call to 1002 went through: $seq"
else
	fail "1001's call to 1002 failed (sipp exit $uac_rc), got: $seq$(echo; sipp_why uac)"
fi
if [ "$uas_rc" -eq 0 ]; then
	pass "1002 got the INVITE, answered, and got the BYE"
else
	fail "1002's side of the call failed (sipp exit $uas_rc):$(echo; sipp_why uas)"
fi

first=$(sipp_statuses uac | grep -v '^SIP/2.0 100' | head -n 1)
check "first INVITE was challenged with 407 (got '$first')" grep -q '^SIP/2.0 407' <<<"$first"
chal=$(sipp_received_status uac 407 | grep -i '^Proxy-Authenticate:' || true)
check "407 challenge carries realm=\"$DOM\"" grep -qi "realm=\"$DOM\"" <<<"$chal"
check "180 Ringing from 1002 was relayed to 1001" grep -q '^SIP/2.0 180' <<<"$(sipp_statuses uac)"

# Media anchored at the PBX: each side sees the PBX's address and one of its
# RTP ports, never the other phone's.
ok200=$(sipp_received_status uac 200 INVITE | sed -n '/^$/,$p')
addr=$(sdp_field "$ok200" c)
port=$(sdp_field "$ok200" m)
check "SDP answer to 1001 names the PBX address 127.0.0.1 (c=$addr)" [ "$addr" = 127.0.0.1 ]
if in_rtp_range "$port" && [ "$port" != "$mu" ]; then
	pass "SDP answer to 1001 names PBX RTP port $port (range $ONDO_RTP_MIN-$ONDO_RTP_MAX)"
else
	fail "SDP answer to 1001 has audio port '$port': not a PBX RTP port ($ONDO_RTP_MIN-$ONDO_RTP_MAX; 1002's own port is $mu)"
fi
invite=$(sipp_received uas 1 | sed -n '/^$/,$p')
addr=$(sdp_field "$invite" c)
port=$(sdp_field "$invite" m)
check "SDP offer to 1002 names the PBX address 127.0.0.1 (c=$addr)" [ "$addr" = 127.0.0.1 ]
if in_rtp_range "$port" && [ "$port" != "$mc" ]; then
	pass "SDP offer to 1002 names PBX RTP port $port"
else
	fail "SDP offer to 1002 has audio port '$port': not a PBX RTP port ($ONDO_RTP_MIN-$ONDO_RTP_MAX; 1001's own port is $mc)"
fi

if wait_cdr 5; then
	row=$(cdr_row "caller, callee, disposition, duration, sip_status")
	IFS='|' read -r caller callee disp dur status <<<"$row"
	check "CDR caller is 1001 (got '$caller')" grep -q 1001 <<<"$caller"
	check "CDR callee is 1002 (got '$callee')" grep -q 1002 <<<"$callee"
	check "CDR disposition is ANSWERED (got '$disp')" [ "$disp" = ANSWERED ]
	check "CDR duration is about 2 s (got '$dur')" [ "${dur:-0}" -ge 1 -a "${dur:-0}" -le 4 ]
	check "CDR sip_status is 200 (got '$status')" [ "$status" = 200 ]
	check "CDR belongs to tenant $DOM" [ "$(sql "SELECT t.domain FROM cdr c JOIN tenants t ON t.id = c.tenant_id ORDER BY c.id DESC LIMIT 1")" = "$DOM" ]
else
	fail "no CDR row within 5 s after the call ended"
fi
out=$(ondoctl cdr "$DOM" 2>&1 || true)
if grep -q 1001 <<<"$out" && grep -q 1002 <<<"$out" && grep -q ANSWERED <<<"$out"; then
	pass "ondoctl cdr $DOM lists the answered call"
else
	fail "ondoctl cdr $DOM does not list 1001 -> 1002 ANSWERED:$(echo; sed 's/^/       /' <<<"$out")"
fi

stop_ondo
finish
