#!/bin/bash
# test_vm_login.sh - who gets into a mailbox. Three wrong PINs end the
# call; *98 asks which mailbox and reaches only the caller's own tenant
# (the PIN of another tenant's 1002 does not open t1's 1002); the right
# number and PIN do. With the tenant's "own phone skips the PIN", *97 from
# bob's own phone opens at once, and bob changes his PIN by phone (a
# trivial one is refused); the new PIN then opens his box by *98. A
# full mailbox tells the caller so and keeps nothing.
. "$(dirname "$0")/../lib/common.sh"
test_init "voicemail: PINs, *98 and tenant isolation"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision tenant add t2 t2.test
provision ext add "$DOM" 1001 --password 'pw-alice-1001' --name Alice
provision ext add "$DOM" 1002 --password 'pw-bob-1002'
provision ext add t2.test 1002 --password 'pw-other-1002'
provision vm pin "$DOM" 1002 2580
provision vm pin t2.test 1002 4680

sox -n -r 8000 -c 1 -b 16 "$T_DIR/quiet.wav" synth 100 sine 300 vol 0.01
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-alice-1001" "$T_DIR/quiet.wav"
baresip_setup bob "<sip:1002@$DOM>;auth_pass=pw-bob-1002" "$T_DIR/quiet.wav"
for p in alice bob; do
	baresip_start $p
	baresip_wait_registered $p || fatal "$p did not register:$(baresip_log_tail $p)"
done

# call PHONE NUMBER NTH: dials and waits for the NTH established call
call() {
	baresip_cmd "$1" dial "sip:$2@$DOM" >/dev/null
	baresip_wait_log "$1" 10 'Call established' "$3" ||
		fatal "$1's call to $2 was not answered:$(baresip_log_tail "$1")"
	sleep 0.5
}
# ended PHONE SECONDS NTH: the phone's NTH call is over (one line a call)
ended() { baresip_wait_log "$1" "$2" 'Call with .* terminated' "$3"; }
log_has() { grep -q "$1" "$ONDO_LOG"; }
vm_log() { echo; grep -E ' vm ' "$ONDO_LOG" | tail -4 | sed 's/^/       /'; }

# ---- three wrong PINs end the call; *98 stays in the caller's tenant ----
# The first try is the PIN of t2.test's 1002 (4680): *98 1002 looks in
# t1.test only, where it is wrong.
call alice '*98' 1
baresip_keys alice '1002#4680#1111#2222#'
if ended alice 25 1; then
	pass "three wrong PINs: the PBX ended the call"
else
	fail "the call went on after three wrong PINs:$(baresip_log_tail alice)"
fi
check "the daemon logged the failed log-in in t1.test" \
	log_has '\[t1.test [^]]*\] mailbox 1002: 3 wrong PINs from 1001'
check "no mailbox was opened (t2.test's PIN did not open t1.test's 1002)" \
	sh -c "! grep -q 'mailbox 1002 opened' '$ONDO_LOG'"

call alice '*98' 2
baresip_keys alice '1002#2580#'
if wait_until 10 log_has '\[t1.test [^]]*\] mailbox 1002 opened by 1001'; then
	pass "*98 with t1's number and PIN opened t1's 1002"
else
	fail "*98 with the right PIN did not open the mailbox:$(vm_log)"
fi
baresip_keys alice '#' # main menu: hang up
ended alice 15 2 || fail "# in the main menu did not end the call"

# ---- the owner's own phone; changing the PIN by phone -------------------
provision vm settings "$DOM" --own-phone-pin skip
call bob '*97' 1
if wait_until 10 log_has 'mailbox 1002 opened by 1002'; then
	pass "with own-phone-pin skip, *97 from bob's phone opened without a PIN"
else
	fail "*97 from the owner's phone asked for the PIN:$(vm_log)"
fi
sleep 6 # "you have no new messages and no saved messages"
baresip_keys bob '051234#1234#' # options, PIN: a trivial one
sleep 8                 # "please enter...", "that pin is too simple"
baresip_keys bob '57913#7913#'  # options menu again: PIN 7913
if wait_until 20 log_has 'mailbox 1002: PIN changed by phone'; then
	pass "bob changed his PIN by phone"
else
	fail "the PIN change was not taken:$(vm_log)"
fi
check "the trivial PIN 1234 was refused before it (one change logged)" \
	[ "$(grep -c 'PIN changed by phone' "$ONDO_LOG")" -eq 1 ]
baresip_cmd bob hangup >/dev/null || true
ended bob 10 1 || fail "bob's *97 call did not end"

call alice '*98' 3
baresip_keys alice '1002#7913#'
if wait_until 10 log_has 'mailbox 1002 opened by 1001'; then
	pass "the new PIN opens bob's mailbox by *98"
else
	fail "the PIN set by phone does not open the mailbox:$(vm_log)"
fi
baresip_cmd alice hangup >/dev/null || true
ended alice 10 3 || fail "alice's *98 call did not end"

# ---- a full mailbox says so and takes nothing ---------------------------
# One message in 1002's box (a WAV put in the spool and indexed), and a
# quota of one message.
BOX=$T_DIR/ondo/spool/tenants/$DOM/vm/1002/new
mkdir -p "$BOX"
sox -n -r 8000 -c 1 -b 16 "$BOX/1700000000-00000000000000aa.wav" synth 2 sine 500
ondoctl vm reconcile --min-age 0 >/dev/null || fail "vm reconcile failed"
provision vm box "$DOM" 1002 --max-messages 1
provision route add "$DOM" 8002 voicemail 1002
rows() { sql "SELECT count(*) FROM vm_messages"; }
check "the box holds one message (got $(rows))" [ "$(rows)" = 1 ]
call alice 8002 4
if ended alice 15 4; then
	pass "the full mailbox answered, said so, and hung up"
else
	fail "the call to a full mailbox did not end by itself:$(baresip_log_tail alice)"
	baresip_cmd alice hangup >/dev/null || true
fi
check "and took no message (rows: $(rows))" [ "$(rows)" = 1 ]
stop_ondo
finish
