#!/bin/bash
# test_blf.sh - busy lamps (RFC 4235 dialog event package): 1001 watches
# 1002 (401, then 200 and an idle NOTIFY); while 1003 calls 1002 the lamp
# goes ringing (early), busy (confirmed) and idle again; Expires: 0 ends
# it. Watching a line of another tenant, or naming two tenants in one
# request, is refused with 403; an unknown extension gets 404; without
# credentials 401 only. No NOTIFY ever reaches a refused watcher.
. "$(dirname "$0")/../lib/common.sh"
test_init "busy lamp subscriptions (dialog event package)"

DOM=a.test
DOM_B=b.test
start_ondo
provision tenant add ta "$DOM"
provision tenant add tb "$DOM_B"
for e in 1001 1002 1003; do
	provision ext add "$DOM" $e --password "pw-$e-blf-a"
done
provision ext add "$DOM_B" 1002 --password pw-1002-blf-b

notify_of() { # NAME N: the N-th NOTIFY SIPp NAME received
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

# ---- 1001 watches 1002 while 1003 calls it ----
u=$(free_port)
mu=$(free_port_range 4)
sipp_register reg1002 "$u" 1002 pw-1002-blf-a 300 || fatal "1002 did not register"
sipp_bg uas uas_answer_late.xml -p "$u" -mp "$mu"
sipp_wait_listening "$u" || fatal "SIPp for 1002 did not bind 127.0.0.1:$u"
sipp_bg watcher subscribe_dialog.xml -p "$(free_port)" -key user 1001 \
	-key box 1002 -au 1001 -ap pw-1001-blf-a
if wait_until 10 grep -q '1001 watches 1002' "$ONDO_LOG"; then
	pass "1001 subscribed to 1002's line"
else
	fatal "no subscription of 1001 to 1002 in the daemon log within 10 s"
fi
sipp_run uac uac_call.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key user 1003 -key callee 1002 -au 1003 -ap pw-1003-blf-a
[ "$SIPP_RC" -eq 0 ] || fail "1003's call to 1002 failed: $(sipp_codes uac)$(sipp_why uac)"
sipp_wait uas
sipp_wait watcher
codes=$(sipp_codes watcher)
if [ "$SIPP_RC" -eq 0 ]; then
	pass "the watcher's subscription went as a phone expects ($codes)"
else
	fail "the watcher's scenario failed (sipp exit $SIPP_RC, got '$codes'):$(echo; sipp_why watcher)"
fi

# lamp N WHAT REGEX [absent]: the N-th NOTIFY's body
lamp() {
	local n
	n=$(notify_of watcher "$1")
	if [ "${4:-}" = absent ]; then
		if [ -n "$n" ] && ! grep -q "$3" <<<"$n"; then
			pass "NOTIFY $1: $2"
			return
		fi
	elif grep -q "$3" <<<"$n"; then
		pass "NOTIFY $1: $2"
		return
	fi
	fail "NOTIFY $1 is not $2:$(echo; sed 's/^/       /' <<<"$n")"
}
lamp 1 "idle at first (no dialog, Event: dialog, dialog-info of 1002)" '<dialog id' absent
check "NOTIFY 1 names sip:1002@$DOM as the entity" \
	grep -q "entity=\"sip:1002@$DOM\"" <<<"$(notify_of watcher 1)"
check "NOTIFY 1 is Content-Type application/dialog-info+xml" \
	grep -qi '^Content-Type: *application/dialog-info+xml' <<<"$(notify_of watcher 1)"
lamp 2 "ringing: state early, direction recipient" 'direction="recipient"><state>early</state>'
lamp 2 "ringing: the caller 1003 and the pickup target **1002" \
	"<target uri=\"sip:\*\*1002@$DOM\"/></local><remote><identity>sip:1003@$DOM</identity>"
lamp 3 "in a call: state confirmed" '<state>confirmed</state>'
lamp 4 "idle again after the BYE" '<dialog id' absent
check "the versions count up (1, 2, 3 in NOTIFYs 2 to 4)" \
	sh -c 'grep -q "version=\"3\"" <<EOF
$1
EOF' _ "$(notify_of watcher 4)"
check "Expires: 0 ends the subscription with a terminated NOTIFY" \
	grep -qiE '^Subscription-State: terminated' <<<"$(notify_of watcher 5)"

# ---- refusals ----
refused_copy=$T_DIR/subscribe_refused_dialog.xml
# refused NAME WHAT CODE USER PASSWORD BOX R-URI-DOMAIN TO-DOMAIN
refused() {
	local name=$1 what=$2 code=$3 codes
	sed "s/__CODE__/$code/g; s/Event: message-summary/Event: dialog/" \
		"$SIPP_DIR/subscribe_refused.xml.in" >"$refused_copy.$code"
	sipp_run "$name" "$refused_copy.$code" -p "$(free_port)" \
		-key user "$4" -key box "$6" -key rdom "$7" -key tdom "$8" \
		-au "$4" -ap "$5"
	codes=$(sipp_codes "$name")
	if [ "$SIPP_RC" -eq 0 ] && [ "$codes" = "401/SUBSCRIBE $code/SUBSCRIBE" ] &&
		[ "$(notify_count "$name")" = 0 ]; then
		pass "$what: 401 then $code, no NOTIFY"
	else
		fail "$what was not refused with 401 then $code (got '$codes', sipp" \
			"exit $SIPP_RC):$(echo; sipp_why "$name")"
	fi
}
refused b_creds "$DOM_B's 1002 watching sip:1002@$DOM" 403 \
	1002 pw-1002-blf-b 1002 "$DOM" "$DOM"
refused two_tenants "$DOM_B's 1002, Request-URI in $DOM_B, To in $DOM" 403 \
	1002 pw-1002-blf-b 1002 "$DOM_B" "$DOM"
refused unknown "1001 watching an extension that does not exist" 404 \
	1001 pw-1001-blf-a 1999 "$DOM" "$DOM"
sed "s/__CODE__/401/g; s/\[event\]/dialog/" "$SIPP_DIR/subscribe_plain.xml.in" >"$T_DIR/plain.xml"
sipp_run noauth "$T_DIR/plain.xml" -p "$(free_port)" -key user 1002 -key event dialog
check "a dialog SUBSCRIBE without credentials gets 401 only ($(sipp_codes noauth))" \
	[ "$SIPP_RC" -eq 0 -a "$(sipp_codes noauth)" = 401/SUBSCRIBE -a "$(notify_count noauth)" = 0 ]

stop_ondo
finish
