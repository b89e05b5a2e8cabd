#!/bin/bash
# test_mwi_subscribe.sh - message-waiting by subscription: the mailbox
# owner subscribes (401, then 200) and gets NOTIFYs with its counts, the
# lamp goes off when ondoctl deletes the last new message, Expires: 0 ends
# it; anybody else (another extension, another tenant's credentials, a
# request that names two tenants), another event, and no credentials are
# refused and never see a count.
. "$(dirname "$0")/../lib/common.sh"
test_init "message-summary subscriptions"

DOM=a.test
DOM_B=b.test
PW_A=pw-1002-tenant-a
PW_B=pw-1002-tenant-b
start_ondo
provision tenant add ta "$DOM"
provision tenant add tb "$DOM_B"
provision ext add "$DOM" 1001 --password pw-1001-tenant-a
provision ext add "$DOM" 1002 --password "$PW_A"
provision ext add "$DOM_B" 1002 --password "$PW_B"
provision ext add "$DOM_B" 1003 --password pw-1003-tenant-b

# One message in a.test's 1002 (2 s of tone), indexed as the daemon does
# for a recording it finds.
box=$T_DIR/ondo/spool/tenants/$DOM/vm/1002/new
mkdir -p "$box"
write_wav() {
	"$PYTHON" - "$1" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb")
w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 8000 * 2 * math.pi * 440)))
                       for i in range(16000)))
w.close()
PY
}
write_wav "$box/$(date +%s)-00112233aabbccdd.wav"
provision vm reconcile --min-age 0
msg_id=$(sql "SELECT m.id FROM vm_messages m JOIN extensions e ON e.id = m.ext_id JOIN tenants t ON t.id = e.tenant_id WHERE t.domain = '$DOM' AND e.number = '1002'")
[ -n "$msg_id" ] || fatal "the test message was not indexed in mailbox 1002 of $DOM"

# scenario_code BASE CODE: tests/sip/BASE.xml.in expecting CODE, in T_DIR.
scenario_code() {
	sed "s/__CODE__/$2/g" "$SIPP_DIR/$1.xml.in" >"$T_DIR/$1_$2.xml"
	echo "$T_DIR/$1_$2.xml"
}

# notify_of NAME N: the N-th NOTIFY SIPp NAME received (headers and body).
notify_of() {
	"$PYTHON" -c "$SIPP_MSGS_PY" "$T_DIR/$1.msg" received all |
		"$PYTHON" -c '
import sys
n = int(sys.argv[1])
msgs = [m for m in sys.stdin.read().split("\0") if m.startswith("NOTIFY ")]
if 1 <= n <= len(msgs):
    sys.stdout.write(msgs[n - 1])' "$2"
}

notify_count() {
	"$PYTHON" -c "$SIPP_MSGS_PY" "$T_DIR/$1.msg" received all |
		tr '\0' '\n' | grep -c '^NOTIFY ' || true
}

# ---- the owner subscribes; the lamp goes off when the message goes ----
port=$(free_port)
sipp_bg owner subscribe_mwi.xml -p "$port" -key user 1002 -key expires 600 \
	-au 1002 -ap "$PW_A"
if wait_until 10 grep -q '1002 refreshed its subscription' "$ONDO_LOG"; then
	pass "1002 subscribed and refreshed its subscription"
else
	fail "no refreshed subscription of 1002 in the daemon log within 10 s"
fi
out=$(ondoctl vm del "$DOM" 1002 "$msg_id" 2>&1) ||
	fail "ondoctl vm del failed: $out"
if grep -q warning <<<"$out"; then
	fail "ondoctl vm del warned about the lamps: $out"
fi
sipp_wait owner
codes=$(sipp_codes owner)
if [ "$SIPP_RC" -eq 0 ]; then
	pass "subscribe, refresh, change and unsubscribe went through ($codes)"
else
	fail "the owner's subscription did not go as a phone expects (sipp exit" \
		"$SIPP_RC, got '$codes'):$(echo; sipp_why owner)"
fi
case $codes in
"401/SUBSCRIBE 200/SUBSCRIBE NOTIFY"*) pass "the first SUBSCRIBE was challenged with 401, then answered 200" ;;
*) fail "SUBSCRIBE answers were '$codes', want 401, then 200 and a NOTIFY" ;;
esac
if grep -qiE '^Expires: *600' <<<"$(sipp_received owner 2)"; then
	pass "the 200 to SUBSCRIBE grants Expires: 600"
else
	fail "the 200 to SUBSCRIBE does not say Expires: 600:$(echo; sipp_received owner 2 | sed 's/^/       /')"
fi

n1=$(notify_of owner 1)
if grep -q '^Voice-Message: 1/0' <<<"$n1" && grep -q '^Messages-Waiting: yes' <<<"$n1" &&
	grep -qi '^Event: message-summary' <<<"$n1" &&
	grep -qiE '^Subscription-State: active;expires=' <<<"$n1" &&
	grep -q "^Message-Account: sip:1002@$DOM" <<<"$n1"; then
	pass "the first NOTIFY lights the lamp: Messages-Waiting: yes, Voice-Message: 1/0, active"
else
	fail "the first NOTIFY does not light the lamp with 1/0:$(echo; sed 's/^/       /' <<<"$n1")"
fi
n3=$(notify_of owner 3)
if grep -q '^Voice-Message: 0/0' <<<"$n3" && grep -q '^Messages-Waiting: no' <<<"$n3" &&
	grep -qiE '^Subscription-State: active' <<<"$n3"; then
	pass "after ondoctl vm del the NOTIFY turns the lamp off: Messages-Waiting: no, 0/0"
else
	fail "no lamp-off NOTIFY (0/0) after ondoctl vm del:$(echo; sed 's/^/       /' <<<"$n3")"
fi
n4=$(notify_of owner 4)
if grep -qiE '^Subscription-State: terminated' <<<"$n4"; then
	pass "unsubscribing (Expires: 0) ends with a terminated NOTIFY"
else
	fail "no terminated NOTIFY after the unsubscribe:$(echo; sed 's/^/       /' <<<"$n4")"
fi
if wait_until 5 grep -q 'subscription of 1002 ended' "$ONDO_LOG"; then
	pass "the daemon dropped the ended subscription"
else
	fail "the daemon did not log the end of 1002's subscription"
fi

out=$(ondoctl vm mwi "$DOM" 1002 2>&1 || true)
check "ondoctl vm mwi asks the daemon and reports 0/0 to no one ('$out')" \
	grep -q "0 new, 0 saved; told 0 phone(s) and 0 subscription(s)" <<<"$out"

# ---- a one-time fetch (Expires: 0 from the start) ----
sipp_run fetch subscribe_fetch.xml -p "$(free_port)" -key user 1002 \
	-au 1002 -ap "$PW_A"
nf=$(notify_of fetch 1)
if [ "$SIPP_RC" -eq 0 ] && grep -qiE '^Subscription-State: terminated' <<<"$nf" &&
	grep -q '^Voice-Message: 0/0' <<<"$nf"; then
	pass "SUBSCRIBE with Expires: 0 gets 200 and one terminated NOTIFY with the counts"
else
	fail "Expires: 0 did not get a terminated NOTIFY (sipp exit $SIPP_RC):$(echo; sipp_why fetch; sed 's/^/       /' <<<"$nf")"
fi

# ---- refusals: 401, then 403; no NOTIFY ever ----
# refused NAME WHAT USER PASSWORD BOX R-URI-DOMAIN TO-DOMAIN
refused() {
	local name=$1 what=$2 user=$3 pw=$4 bx=$5 rdom=$6 tdom=$7 codes
	sipp_run "$name" "$(scenario_code subscribe_refused 403)" \
		-p "$(free_port)" -key user "$user" -key box "$bx" \
		-key rdom "$rdom" -key tdom "$tdom" -au "$user" -ap "$pw"
	codes=$(sipp_codes "$name")
	if [ "$SIPP_RC" -eq 0 ] && [ "$codes" = "401/SUBSCRIBE 403/SUBSCRIBE" ] &&
		[ "$(notify_count "$name")" = 0 ]; then
		pass "$what: 401 then 403, no NOTIFY"
	else
		fail "$what was not refused with 401 then 403 (got '$codes', sipp" \
			"exit $SIPP_RC):$(echo; sipp_why "$name")"
	fi
}

refused other_ext "1001 subscribing to 1002's mailbox" \
	1001 pw-1001-tenant-a 1002 "$DOM" "$DOM"
refused no_box "1001 subscribing to a mailbox that does not exist" \
	1001 pw-1001-tenant-a 1999 "$DOM" "$DOM"
refused b_creds "$DOM_B's 1002 subscribing to sip:1002@$DOM" \
	1002 "$PW_B" 1002 "$DOM" "$DOM"
refused b_only "$DOM_B's 1003 subscribing to sip:1002@$DOM" \
	1003 pw-1003-tenant-b 1002 "$DOM" "$DOM"
refused to_a "$DOM_B's 1002 with Request-URI in $DOM_B and To: 1002@$DOM" \
	1002 "$PW_B" 1002 "$DOM_B" "$DOM"
refused ruri_a "$DOM_B's 1002 with Request-URI in $DOM and To: 1002@$DOM_B" \
	1002 "$PW_B" 1002 "$DOM" "$DOM_B"
if grep -q "subscribed to its mailbox" <(grep -v "\[$DOM 1-" "$ONDO_LOG"); then
	fail "the daemon kept a subscription from a refused request:$(echo; grep 'subscribed to its mailbox' "$ONDO_LOG" | sed 's/^/       /')"
else
	pass "the daemon kept no subscription from a refused request"
fi

# ---- another event, and no credentials ----
sipp_run presence "$(scenario_code subscribe_plain 489)" -p "$(free_port)" \
	-key user 1002 -key event presence
codes=$(sipp_codes presence)
if [ "$SIPP_RC" -eq 0 ] && [ "$codes" = 489/SUBSCRIBE ]; then
	pass "Event: presence gets 489 Bad Event"
else
	fail "Event: presence was not refused with 489 (got '$codes'):$(echo; sipp_why presence)"
fi
allow=$(sipp_received presence 1 | grep -i '^Allow-Events:' || true)
check "the 489 lists Allow-Events: message-summary ('$allow')" \
	grep -qi 'message-summary' <<<"$allow"

sipp_run noauth "$(scenario_code subscribe_plain 401)" -p "$(free_port)" \
	-key user 1002 -key event message-summary
codes=$(sipp_codes noauth)
if [ "$SIPP_RC" -eq 0 ] && [ "$codes" = 401/SUBSCRIBE ] && [ "$(notify_count noauth)" = 0 ]; then
	pass "a SUBSCRIBE without credentials gets 401 only, no NOTIFY"
else
	fail "a SUBSCRIBE without credentials got '$codes' (sipp exit $SIPP_RC):$(echo; sipp_why noauth)"
fi

# ---- ondoctl with no daemon: the delete works, no complaint ----
stop_ondo
write_wav "$box/$(date +%s)-44556677eeff0011.wav"
provision vm reconcile --min-age 0
msg_id=$(sql "SELECT max(id) FROM vm_messages")
if out=$(ondoctl vm del "$DOM" 1002 "$msg_id" 2>&1) && ! grep -qi warning <<<"$out"; then
	pass "ondoctl vm del with no daemon running deletes without a warning"
else
	fail "ondoctl vm del with no daemon running: '$out'"
fi
finish
