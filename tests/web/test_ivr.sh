#!/bin/bash
# test_ivr.sh - an IVR menu built in the panel answers a real phone's call
# and routes its digit: the menu, its keys (2 -> 1002, 3 -> 1003) and the
# route 800 -> ivr main are made in the page; alice (baresip) dials 800,
# presses 2 (RFC 4733), and 1002's phone answers and hears her while 1003
# never rings. Another route's class of service and recording are changed
# in its row of the routes page (refusals under their selects) and
# checked in the database.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: an IVR menu built in the page routes a phone's digit"

DOM=acme.test
web_start
for ep in ivr routes; do
	web_has_endpoint GET "/api/v1/tenants/x.test/$ep" ||
		web_skip "this daemon has no API for $ep (GET /api/v1/tenants/{t}/$ep): the test waits for it"
done
provision tenant add Acme "$DOM"
for n in 1001 1002 1003; do
	provision ext add "$DOM" $n --password "pw-$n-ivr"
done

web_step ivr.mjs menu || fatal "the menu could not be built in the page"
web_step ivr.mjs route || fatal "the route could not be added in the page"
check "the daemon routes 800 to the menu (ondoctl dialplan test)" \
	sh -c "'$ONDOCTL_BIN' -c '$ONDO_CONF' dialplan test $DOM 800 | grep -q 'ivr main'"
web_step ivr.mjs routerow || true
check "route *43 has the class and recording set in its row, 800 the defaults (refused values never written)" \
	[ "$(sql "SELECT pattern || '|' || cos || '|' || record FROM routes WHERE pattern IN ('*43', '800') ORDER BY pattern" | paste -sd' ')" = \
	  "*43|local|always 800|internal|never" ]

sox -n -r 8000 -c 1 -b 16 "$T_DIR/700.wav" synth 14 sine 700 vol 0.5 pad 0 10
make_tone "$T_DIR/1100.wav" 1100
for n in 1002 1003; do
	baresip_setup "p$n" "<sip:$n@$DOM>;auth_pass=pw-$n-ivr;answermode=auto" "$T_DIR/1100.wav"
	baresip_start "p$n"
	baresip_wait_registered "p$n" || fatal "phone $n did not register:$(baresip_log_tail "p$n")"
done
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-1001-ivr" "$T_DIR/700.wav"
baresip_start alice
baresip_wait_registered alice || fatal "alice did not register:$(baresip_log_tail alice)"
pass "phones 1001, 1002 and 1003 registered"

baresip_cmd alice dial "sip:800@$DOM" >/dev/null || fatal "alice refused the dial command"
baresip_wait_log alice 10 'Call established' || fatal "the IVR did not answer:$(baresip_log_tail alice)"
pass "the menu answered alice's call to 800"
# The menu takes keys from the start of its greeting; a key sent before
# the menu listened would be lost, so it is sent again if nothing
# happened (a second 2 after the transfer only reaches 1002's phone).
baresip_cmd alice sndcode 2 >/dev/null || fail "alice refused sndcode"
if ! baresip_wait_log p1002 6 'Call established'; then
	info "no transfer 6 s after key 2: pressing it again"
	baresip_cmd alice sndcode 2 >/dev/null || true
fi
# what 1002's phone received, in seconds (8 kHz 16-bit)
dec_secs() { local f; f=$(baresip_dec_wav p1002); echo $(($(stat -c %s "${f:-/dev/null}" 2>/dev/null || echo 0) / 16000)); }
dec_3s() { [ "$(dec_secs)" -ge 3 ]; }
if baresip_wait_log p1002 15 'Call established'; then
	pass "key 2 put alice through to 1002"
	wait_until 15 dec_3s || fail "1002 recorded under 3 s of the call"
	baresip_cmd alice hangup >/dev/null || true
	baresip_wait_log p1002 10 'terminated|session closed' || fail "1002's call still up after alice hung up"
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.3 "$(baresip_dec_wav p1002)" 700); then
		pass "1002 heard alice's 700 Hz tone: $out"
	else
		fail "1002 did not hear alice: $out"
	fi
else
	fail "key 2 did not reach 1002:$(baresip_log_tail alice 8)$(grep -E 'ivr' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi
check "1003 never rang" [ "$(baresip_count p1003 'Call established|Incoming call')" = 0 ]
for p in alice p1002 p1003; do baresip_stop $p; done
stop_ondo
finish
