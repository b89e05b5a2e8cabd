#!/bin/bash
# test_lockout.sh - brute force and enumeration, with the attackers' own
# tools (sipvicious): svwar finds no extension among 1000-1020 although
# 1001-1003 exist; a bounded svcrack run against 1001 is blocked after
# [security] fail_max (10) wrong passwords, so the right one (15th in its
# list) is never found; ondoctl ban list shows the address and the
# extension; 1002, registered from that same address, still registers;
# 1003, never registered there, is refused with its right password until
# ondoctl ban del lifts the block.
. "$(dirname "$0")/../lib/common.sh"
test_init "brute-force lockout and no enumeration (sipvicious)"

command -v svwar >/dev/null && command -v svcrack >/dev/null ||
	{ info "SKIP: sipvicious (svwar, svcrack) is not installed"; exit 77; }
DOM=lock.test
ONDO_DEFAULT_TENANT=$DOM start_ondo
provision tenant add lock "$DOM"
for e in 1001 1002 1003; do
	provision ext add "$DOM" $e --password "right-pw-$e"
done

# 1002's phone registers from 127.0.0.1 before the attack.
sipp_register reg1002 "$(free_port)" 1002 right-pw-1002 300 ||
	fatal "1002 did not register"

# ---- enumeration: the same answer for known and unknown extensions ----
out=$(timeout 60 svwar --force -P "$(free_port)" -b 127.0.0.1 -p "$ONDO_SIP_PORT" -e1000-1020 -m REGISTER 127.0.0.1 2>&1 || true)
if grep -qE '\b100[123]\b' <<<"$out"; then
	fail "svwar found extensions:$(echo; sed 's/^/       /' <<<"$out")"
else
	pass "svwar found no extension among 1000-1020:$(echo; tail -n 3 <<<"$out" | sed 's/^/       /')"
fi

# ---- guessing 1001's password: blocked before the right one ----
words=$T_DIR/words.txt
for i in $(seq 1 14); do echo "wrong-$i"; done >"$words"
echo right-pw-1001 >>"$words"
for i in $(seq 16 20); do echo "wrong-$i"; done >>"$words"
out=$(timeout 60 svcrack -P "$(free_port)" -b 127.0.0.1 -p "$ONDO_SIP_PORT" -u 1001 -d "$words" 127.0.0.1 2>&1 || true)
if grep -q 'right-pw-1001' <<<"$out"; then
	fail "svcrack found 1001's password:$(echo; sed 's/^/       /' <<<"$out")"
else
	pass "svcrack did not find 1001's password (15th of 20 guesses)"
fi
check "the daemon logged the block of 127.0.0.1" grep -q '127.0.0.1 blocked for 900 s' "$ONDO_LOG"
bans=$(ondoctl ban list 2>&1)
check "ondoctl ban list shows the address:$(echo; echo "$bans")" \
	grep -qE 'address +127\.0\.0\.1' <<<"$bans"
check "ondoctl ban list shows extension 1001@$DOM" \
	grep -qE "extension +1001@$DOM" <<<"$bans"

# ---- who still gets in ----
if sipp_register reg1002b "$(free_port)" 1002 right-pw-1002 300; then
	pass "1002, registered from the blocked address, still registers"
else
	fail "1002's phone was locked out with its right password"
fi
sipp_run reg1003 register_forbidden.xml -p "$(free_port)" -key user 1003 \
	-key expires 300 -au 1003 -ap right-pw-1003
check "1003, never registered there, gets 403 with its right password ($(sipp_codes reg1003))" \
	[ "$SIPP_RC" -eq 0 ]
out=$(ondoctl ban del 127.0.0.1 2>&1) || fail "ondoctl ban del failed: $out"
if sipp_register reg1003b "$(free_port)" 1003 right-pw-1003 300; then
	pass "after ondoctl ban del 127.0.0.1, 1003 registers"
else
	fail "1003 still refused after the block was lifted"
fi
out=$(ondoctl ban del 127.0.0.1 2>&1) && rc=0 || rc=$?
check "lifting a block that is not there fails clearly (exit $rc: $out)" \
	grep -q 'not blocked' <<<"$out"
stop_ondo
finish
