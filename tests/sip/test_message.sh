#!/bin/bash
# test_message.sh - SIP MESSAGE between extensions of a tenant: 1001's
# message (407, then 202) reaches 1002's registered phone with 1001 as
# the sender; one for 1003, not registered, waits and is sent when 1003
# registers; to another tenant, naming two tenants, to an unknown
# extension, and too large a body are refused (403, 403, 404, 413).
. "$(dirname "$0")/../lib/common.sh"
test_init "SIP MESSAGE relay within a tenant"

DOM=a.test
DOM_B=b.test
start_ondo
provision tenant add ta "$DOM"
provision tenant add tb "$DOM_B"
for e in 1001 1002 1003; do
	provision ext add "$DOM" $e --password "pw-$e-msg-a"
done
provision ext add "$DOM_B" 1002 --password pw-1002-msg-b

# send NAME CODE USER PASSWORD TO R-URI-DOMAIN TO-DOMAIN BODY
send() {
	local f=$T_DIR/msg_$1.xml
	sed "s/__CODE__/$2/g; s/__BODY__/$8/" "$SIPP_DIR/uac_message.xml.in" >"$f"
	sipp_run "$1" "$f" -p "$(free_port)" -key user "$3" -key to "$5" \
		-key rdom "$6" -key tdom "$7" -au "$3" -ap "$4"
}
received() { # NAME: the MESSAGE the SIPp phone NAME received
	"$PYTHON" -c "$SIPP_MSGS_PY" "$T_DIR/$1.msg" received all |
		tr '\0' '\n' | sed -n '/^MESSAGE /,$p'
}

# ---- 1002 is registered: relayed at once ----
u=$(free_port)
sipp_register reg1002 "$u" 1002 pw-1002-msg-a 300 || fatal "1002 did not register"
sipp_bg phone1002 uas_message.xml -p "$u"
sipp_wait_listening "$u" || fatal "SIPp for 1002 did not bind 127.0.0.1:$u"
send now 202 1001 pw-1001-msg-a 1002 "$DOM" "$DOM" "hello-1002-from-1001"
check "1001's MESSAGE to 1002 was challenged, then accepted ($(sipp_codes now))" \
	[ "$SIPP_RC" -eq 0 -a "$(sipp_codes now)" = "407/MESSAGE 202/MESSAGE" ]
sipp_wait phone1002
got=$(received phone1002)
check "1002's phone got the message" grep -q 'hello-1002-from-1001' <<<"$got"
check "it comes from sip:1001@$DOM" grep -qiE "^From: .*<sip:1001@$DOM>" <<<"$got"
check "it is text/plain" grep -qi '^Content-Type: *text/plain' <<<"$got"

# ---- 1003 is not registered: kept, then sent when it registers ----
send later 202 1001 pw-1001-msg-a 1003 "$DOM" "$DOM" "kept-for-1003"
check "a MESSAGE to 1003, not registered, is accepted ($(sipp_codes later))" \
	[ "$SIPP_RC" -eq 0 -a "$(sipp_codes later)" = "407/MESSAGE 202/MESSAGE" ]
wait_until 5 sh -c "[ \"\$(sqlite3 '$ONDO_DB' 'SELECT count(*) FROM sip_messages')\" = 1 ]" &&
	pass "the message waits in the database" ||
	fail "the message for 1003 was not stored: $(sqlite3 "$ONDO_DB" 'SELECT * FROM sip_messages' 2>&1)"
# The PBX sends it right after the 200 to REGISTER, to a phone that
# listens before it registers (as phones do).
if got=$(timeout 20 "$PYTHON" "$TESTS_LIB/sip_register_recv.py" "$ONDO_SIP_PORT" \
	"$DOM" 1003 pw-1003-msg-a MESSAGE 10 2>&1) && grep -q 'kept-for-1003' <<<"$got"; then
	pass "1003 got the waiting message when it registered"
else
	fail "1003 did not get the waiting message:$(echo; sed 's/^/       /' <<<"$got")"
fi
wait_until 5 sh -c "[ \"\$(sqlite3 '$ONDO_DB' 'SELECT count(*) FROM sip_messages')\" = 0 ]" &&
	pass "the delivered message left the database" ||
	fail "the delivered message is still stored"

# ---- refusals ----
send cross 403 1002 pw-1002-msg-b 1002 "$DOM" "$DOM" "from-b"
check "$DOM_B's 1002 sending to sip:1002@$DOM: 407, then 403 ($(sipp_codes cross))" \
	[ "$SIPP_RC" -eq 0 -a "$(sipp_codes cross)" = "407/MESSAGE 403/MESSAGE" ]
send two 403 1001 pw-1001-msg-a 1002 "$DOM" "$DOM_B" "two-tenants"
check "Request-URI in $DOM with To in $DOM_B: 403 ($(sipp_codes two))" \
	[ "$SIPP_RC" -eq 0 -a "$(sipp_codes two)" = "407/MESSAGE 403/MESSAGE" ]
send nobody 404 1001 pw-1001-msg-a 1999 "$DOM" "$DOM" "to-nobody"
check "to an extension that does not exist: 404 ($(sipp_codes nobody))" \
	[ "$SIPP_RC" -eq 0 -a "$(sipp_codes nobody)" = "407/MESSAGE 404/MESSAGE" ]
send big 413 1001 pw-1001-msg-a 1002 "$DOM" "$DOM" "$(head -c 5000 /dev/zero | tr '\0' x)"
check "a 5000-byte body: 413 ($(sipp_codes big))" \
	[ "$SIPP_RC" -eq 0 -a "$(sipp_codes big)" = "407/MESSAGE 413/MESSAGE" ]
check "no refused message was stored" \
	[ "$(sqlite3 "$ONDO_DB" 'SELECT count(*) FROM sip_messages')" = 0 ]

stop_ondo
finish
