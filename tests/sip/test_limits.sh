#!/bin/bash
# test_limits.sh - limits against runaway use and toll fraud, on real SIP:
# an extension at its calls at once gets 403 for one more, and is busy
# (486) to a caller; a tenant at its calls at once gets 503 for any new
# one; an answered call is hung up by the PBX at the tenant's call
# length; a trunk's outbound calls per hour stop at its cap while an
# emergency call still goes out; a tenant at its maximum of extensions
# gets no more. Each refusal has its log line and CDR row.
. "$(dirname "$0")/../lib/common.sh"
test_init "limits: calls at once, call length, calls per hour, extensions"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
for e in 1001 1002 1003; do
	provision ext add "$DOM" "$e" --password "pw-limit-$e"
done
provision route add "$DOM" 600 echo
provision route add "$DOM" 911 echo # an emergency number (the default list)
# 1001 busy means 486 here, not its mailbox (tests/sip/test_busy.sh).
provision vm box "$DOM" 1001 --disable
provision limits set "$DOM" --calls 2 --call-length 10 --extensions 3
provision ext max-calls "$DOM" 1001 1

if out=$(ondoctl limits set "$DOM" --call-length 5 2>&1); then
	fail "a call length of 5 s was taken: $out"
else
	check "a call length under 10 s is refused: '$out'" \
		grep -q "limits not changed: max_call_secs: 0 (none) or 10 to 604800 seconds" <<<"$out"
fi
if out=$(ondoctl ext max-calls "$DOM" 1999 1 2>&1); then
	fail "a limit was set on an extension that does not exist: $out"
else
	check "ext max-calls on no extension says so: '$out'" \
		grep -q "no extension 1999 in $DOM" <<<"$out"
fi

# ---- max extensions -------------------------------------------------------
if out=$(ondoctl ext add "$DOM" 1004 --password pw-limit-1004 2>&1); then
	fail "a fourth extension was added past the limit of 3: $out"
else
	check "a fourth extension is refused: '$out'" \
		grep -q "maximum of extensions" <<<"$out"
fi
check "ondoctl limits show says 2 calls, 3 extensions, 10 s" \
	bash -c "ondoctl() { \"$ONDOCTL_BIN\" -c \"$ONDO_CONF\" \"\$@\"; };
		 out=\$(ondoctl limits show $DOM) &&
		 grep -q 'calls at once  2' <<<\"\$out\" &&
		 grep -q 'extensions     3' <<<\"\$out\" &&
		 grep -q 'call length    10 s' <<<\"\$out\""

# held NAME USER: USER calls 600 and keeps the call until the PBX ends it.
held() {
	sipp_bg "$1" uac_held.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
		-key dom "$DOM" -key user "$2" -key callee 600 \
		-au "$2" -ap "pw-limit-$2"
}
# try NAME USER CALLEE CODE: a call expected to be refused with CODE.
try() {
	sipp_run "$1" "$(sipp_scenario_code "$4")" -p "$(free_port)" \
		-mp "$(free_port_range 4)" -key dom "$DOM" -key user "$2" \
		-key callee "$3" -au "$2" -ap "pw-limit-$2"
	if [ "$SIPP_RC" -eq 0 ]; then
		pass "$2 -> $3 refused with $4 ($(sipp_codes "$1"))"
	else
		fail "$2 -> $3 was not refused with $4 (sipp exit $SIPP_RC): $(sipp_codes "$1")$(echo; sipp_why "$1")"
	fi
}
answered_calls() { [ "$(ondoctl calls 2>/dev/null | grep -c answered)" = "$1" ]; }

# ---- calls at once ----------------------------------------------------------
t_held=$(date +%s.%N)
held held1 1001
wait_until 10 answered_calls 1 || fatal "1001's call to 600 was not answered: $(ondoctl calls 2>&1)"
try ext_limit 1001 600 403
check "the log says why" \
	grep -q "1001 -> 600 refused: extension 1001 has its maximum of 1 calls" "$ONDO_LOG"
try callee_full 1002 1001 486
check "1001 is busy to a caller: the log says so" \
	grep -q "1001 has its maximum of calls" "$ONDO_LOG"
held held2 1002
wait_until 10 answered_calls 2 || fatal "1002's call to 600 was not answered: $(ondoctl calls 2>&1)"
try tenant_limit 1003 600 503
check "the log says the tenant is full" \
	grep -q "1003 -> 600 refused: the tenant has its maximum of 2 calls" "$ONDO_LOG"
sipp_run sos_full uac_call.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key dom "$DOM" -key user 1001 -key callee 911 -au 1001 -ap pw-limit-1001
check "an emergency call goes through both full limits ($(sipp_codes sos_full))" \
	[ "$SIPP_RC" -eq 0 ]
check "the CDR has the refusals (403, 486, 503)" \
	bash -c "[ \"\$(sqlite3 '$ONDO_DB' \"SELECT group_concat(sip_status) FROM (SELECT sip_status FROM cdr WHERE sip_status IN (403, 486, 503) ORDER BY sip_status)\")\" = '403,486,503' ]"

# ---- call length --------------------------------------------------------------
sipp_wait held1
held1_rc=$SIPP_RC
took=$(awk -v a="$t_held" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [ "$held1_rc" -eq 0 ]; then
	pass "1001's call got the PBX's BYE and ended ($(sipp_codes held1))"
else
	fail "1001's call did not get a BYE (sipp exit $held1_rc):$(sipp_why held1)"
fi
check "it ended after the call length of 10 s (took $took s from the INVITE)" \
	awk -v t="$took" 'BEGIN { exit !(t >= 9.5 && t <= 14) }'
check "the log says the call was too long" \
	grep -q "1001 -> 600: hung up after 10 s, the tenant's longest call" "$ONDO_LOG"
sipp_wait held2
check "1002's call ended the same way" [ "$SIPP_RC" -eq 0 ]
wait_until 10 no_calls || fail "calls left after the limits: $(ondoctl calls 2>&1)"

# ---- calls per hour on a trunk ----------------------------------------------
CARRIER_PORT=$(free_port)
# Answers every INVITE (and the PBX's OPTIONS pings, -aa; each ping takes
# one of the -m calls too); stopped below.
sipp_bg carrier uas_answer.xml -i 127.0.0.2 -p "$CARRIER_PORT" -aa -m 20 \
	-mp "$(free_port_range 4)"
sipp_wait_listening_on 127.0.0.2 "$CARRIER_PORT" ||
	fatal "the SIPp carrier did not start listening"
provision trunk add "$DOM" carrier --host 127.0.0.2 --port "$CARRIER_PORT" \
	--auth ip --max-per-hour 1
provision route add "$DOM" '_0.' trunk 'carrier +49${1}'
provision route add "$DOM" 112 trunk 'carrier +112'
wait_until 10 grep -q "carrier" <(ondoctl trunk status "$DOM" 2>/dev/null) ||
	fatal "the daemon did not load the trunk"

sipp_run out1 uac_call.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key dom "$DOM" -key user 1001 -key callee 0301234 \
	-au 1001 -ap pw-limit-1001
check "the first outbound call of the hour goes out and is answered ($(sipp_codes out1))" \
	[ "$SIPP_RC" -eq 0 ]
check "trunk status counts it: 1/1 out this hour" \
	grep -q "1/1 out this hour" <(ondoctl trunk status "$DOM")
try out2 1002 0305678 503
check "the log names the trunk's cap" \
	grep -q "1002 -> +49305678: trunk carrier has started its 1 calls of the hour" "$ONDO_LOG"
sipp_run sos uac_call.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key dom "$DOM" -key user 1003 -key callee 112 \
	-au 1003 -ap pw-limit-1003
check "an emergency call still goes out past the cap ($(sipp_codes sos))" \
	[ "$SIPP_RC" -eq 0 ]
invites=$(grep '^INVITE sip:' "$T_DIR/carrier.msg" | sort -u | tr -d '\r' | sed 's/ SIP.*//' | tr '\n' ' ')
check "the carrier saw exactly the two calls that went out (got: $invites)" \
	[ "$invites" = "INVITE sip:+112@127.0.0.2:$CARRIER_PORT;transport=udp INVITE sip:+49301234@127.0.0.2:$CARRIER_PORT;transport=udp " ]
kill -TERM "${SIPP_PIDS[carrier]}" 2>/dev/null

# ---- limits lifted ------------------------------------------------------------
provision limits set "$DOM" --calls 0 --extensions 0
provision ext add "$DOM" 1004 --password pw-limit-1004
pass "with no limit the fourth extension is added"

calls_left
stop_ondo
finish
