#!/bin/bash
# test_dial_uri.sh - a route whose dial target is a SIP URI: the PBX calls a
# phone that never registered, by its address, and joins it to the caller.
# Both phones talk PCMU, so the joined channels pass packets on undecoded;
# each phone must still hear the other's tone.
. "$(dirname "$0")/../lib/common.sh"
test_init "dial app to a SIP URI (a phone reached by its address)"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-1001-uri'

make_tone "$T_DIR/600.wav" 600
make_tone "$T_DIR/1300.wav" 1300
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-1001-uri" "$T_DIR/600.wav"
BS_REGINT=0 baresip_setup bob "<sip:bob@127.0.0.1>;answermode=auto" \
	"$T_DIR/1300.wav"
provision route add "$DOM" 8000 dial "sip:bob@127.0.0.1:${BS_SIP[bob]}"
provision route add "$DOM" 8001 dial "sip:nobody@127.0.0.1:$(free_port)"
for p in alice bob; do baresip_start $p; done
baresip_wait_registered alice ||
	fatal "alice did not register:$(baresip_log_tail alice)"
pass "alice registered; bob listens unregistered on ${BS_SIP[bob]}"

baresip_cmd alice dial "sip:8000@$DOM" >/dev/null ||
	fatal "alice refused the dial command"
for p in alice bob; do
	if baresip_wait_log $p 10 'Call established'; then
		pass "$p: call established"
	else
		fatal "$p: no call within 10 s:$(baresip_log_tail $p)"
	fi
done
check "bob was called from the PBX as alice's extension (From 1001@$DOM)" \
	grep -q "1001@$DOM" <(baresip_out bob)
sleep 6
baresip_cmd alice hangup >/dev/null || true
for p in alice bob; do
	baresip_wait_log $p 10 'terminated|session closed' ||
		fail "$p: call still up after the hang-up"
done
baresip_heard bob 600 alice
baresip_heard alice 1300 bob
if wait_cdr 5; then
	IFS='|' read -r callee disp <<<"$(cdr_row "callee, disposition")"
	check "CDR: 8000 ANSWERED (got '$callee' '$disp')" \
		[ "$callee" = 8000 -a "$disp" = ANSWERED ]
else
	fail "no CDR row"
fi

# Nobody listens at the second route's address: the caller, never
# answered (it heard ringback as early media), gets a final failure its
# phone shows, and the daemon goes on.
baresip_cmd alice dial "sip:8001@$DOM" >/dev/null ||
	fatal "alice refused the dial command"
if baresip_wait_log alice 45 '480 Temporarily Unavailable'; then
	pass "a URI where nobody answers ends the call with 480"
else
	fail "no failure for the dead address:$(baresip_log_tail alice)"
fi
check "the bridge to the dead address ended" \
	grep -q 'bridge to sip:nobody@.* ended' "$ONDO_LOG"
check "alice was never answered on the failed call" \
	[ "$(baresip_count alice 'Call established')" -eq 1 ]
stop_ondo
finish
