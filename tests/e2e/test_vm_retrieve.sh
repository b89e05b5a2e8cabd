#!/bin/bash
# test_vm_retrieve.sh - the mailbox menu with real phones. alice (1001)
# leaves 1002 a message (her 1750 Hz tone) by a route to its mailbox: a
# phone subscribed to 1002's mailbox and a registered lamp phone of 1002
# are told 1/0. Bob's phone comes up and dials *97,
# keys his PIN by RFC 4733, listens (his recording holds alice's tone;
# the lamp goes to 0/1 as it is heard), deletes it (lamp 0/0, file and row
# gone), and records an unavailable greeting (his 900 Hz tone) from the
# options menu. A caller who then reaches his mailbox hears that greeting.
. "$(dirname "$0")/../lib/common.sh"
test_init "voicemail: listening, deleting and recording a greeting by phone"

DOM=t1.test
PIN=2580
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-alice-1001' --name Alice
provision ext add "$DOM" 1002 --password 'pw-bob-1002' --ring-timeout 5
provision vm pin "$DOM" 1002 "$PIN"
# 8002 leaves 1002 a message directly (1002's phones would ring otherwise:
# the lamp phone below is one of them)
provision route add "$DOM" 8002 voicemail 1002

sox -n -r 8000 -c 1 -b 16 "$T_DIR/1750.wav" synth 100 sine 1750 vol 0.4
sox -n -r 8000 -c 1 -b 16 "$T_DIR/900.wav" synth 100 sine 900 vol 0.4
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-alice-1001" "$T_DIR/1750.wav"
baresip_setup bob "<sip:1002@$DOM>;auth_pass=pw-bob-1002" "$T_DIR/900.wav"
baresip_start alice
baresip_wait_registered alice || fatal "alice did not register:$(baresip_log_tail alice)"

msgs() { sql "SELECT m.caller, m.folder, m.file FROM vm_messages m
	     JOIN extensions e ON e.id = m.ext_id WHERE e.number = '1002'"; }
has_msg() { [ -n "$(msgs)" ]; }
no_msg() { [ -z "$(msgs)" ]; }
# lamp_bodies NAME: the Voice-Message lines of the NOTIFYs SIPp got, in order
lamp_bodies() { grep -a '^Voice-Message:' "$T_DIR/$1.msg" 2>/dev/null | tr -d '\r' | paste -sd' '; }

# ---- a message is left: the lamp of 1002 goes on ------------------------
LAMP_PORT=$(free_port)
sipp_register reg_lamp "$LAMP_PORT" 1002 'pw-bob-1002' 300 ||
	fatal "the lamp phone did not register"
sipp_bg lamp1 uas_notify.xml -p "$LAMP_PORT"
sipp_wait_listening "$LAMP_PORT" || fatal "the lamp phone did not bind"
# And a phone of 1002 that subscribes to its mailbox (RFC 3842): it gets
# the counts at once (0/0) and again when they change.
SUB_PORT=$(free_port)
sipp_bg sub subscribe_mwi.xml -p "$SUB_PORT" -key user 1002 -key expires 600 \
	-au 1002 -ap 'pw-bob-1002'
wait_until 10 grep -q '1002 refreshed its subscription' "$ONDO_LOG" ||
	fatal "1002's subscription was not taken:$(echo; tail -5 "$ONDO_LOG" | sed 's/^/       /')"
baresip_cmd alice dial "sip:8002@$DOM" >/dev/null
baresip_wait_log alice 15 'Call established' ||
	fatal "1002's mailbox did not answer:$(baresip_log_tail alice)"
sleep 15 # greeting, beep, then about 8 s of tone
baresip_cmd alice hangup >/dev/null || true
wait_until 10 has_msg || fatal "no message was left for 1002"
IFS='|' read -r caller folder file <<<"$(msgs)"
check "the message is from 1001, in new (got '$caller', '$folder')" \
	[ "$caller|$folder" = "1001|new" ]
sipp_wait lamp1
check "the lamp phone was told 1/0 (got '$(lamp_bodies lamp1)')" \
	[ "$SIPP_RC-$(lamp_bodies lamp1)" = "0-Voice-Message: 1/0" ]
sipp_wait sub
# its NOTIFYs: at subscribing, at the refresh, the message, unsubscribing
check "the subscribed phone was told 0/0, then 1/0 with the message (got '$(lamp_bodies sub)')" \
	[ "$SIPP_RC-$(lamp_bodies sub)" = "0-Voice-Message: 0/0 Voice-Message: 0/0 Voice-Message: 1/0 Voice-Message: 1/0" ]

# ---- bob listens with *97 and his PIN, then deletes it ------------------
baresip_start bob
baresip_wait_registered bob || fatal "bob did not register:$(baresip_log_tail bob)"
sipp_bg lamp2 uas_notify.xml -p "$LAMP_PORT" -m 2
baresip_cmd bob dial "sip:*97@$DOM" >/dev/null
baresip_wait_log bob 10 'Call established' ||
	fatal "*97 was not answered:$(baresip_log_tail bob)"
sleep 0.5
baresip_keys bob "$PIN#1" # the PIN, then 1 (new messages) queued for the menu
if wait_until 10 grep -q "mailbox 1002 opened by 1002" "$ONDO_LOG"; then
	pass "the PIN keyed by RFC 4733 opened the mailbox"
else
	fatal "the mailbox did not open:$(echo; grep -E ' vm ' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi
sleep 17 # "you have 1 new message ...", "message 1", the message
baresip_keys bob 7 # delete
if wait_until 10 no_msg; then
	pass "7 deleted the message: its row is gone"
else
	fail "the message is still listed after 7: $(msgs)"
fi
check "and its file is gone from the spool" test ! -e "$T_DIR/ondo/spool/$file"
sipp_wait lamp2
check "the lamp went 0/1 when heard, then 0/0 when deleted (got '$(lamp_bodies lamp2)')" \
	[ "$SIPP_RC-$(lamp_bodies lamp2)" = "0-Voice-Message: 0/1 Voice-Message: 0/0" ]

# ---- the options menu: bob records his unavailable greeting -------------
sleep 4 # "message deleted", "no more messages", the main menu
baresip_keys bob 01 # options, record the unavailable greeting
sleep 5     # "record after the tone", the beep, then 2 s of his tone
baresip_keys bob '#*#' # end the recording; back; hang up
GREETING=$T_DIR/ondo/spool/tenants/$DOM/vm/1002/greetings/unavail.wav
if wait_until 10 test -s "$GREETING"; then
	pass "the greeting was put in place"
else
	fail "no unavailable greeting after recording:$(echo; grep -E ' vm ' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi
if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.5 "$GREETING" 900 2>&1); then
	pass "the greeting holds bob's tone: $out"
else
	fail "the greeting lacks bob's tone: $out"
fi
baresip_wait_log bob 10 'terminated|closed' || fail "the PBX did not end the call after # (goodbye)"
sleep 1
baresip_heard bob 1750 "alice (her message, played back by *97)" 0.15

# ---- a caller hears the recorded greeting -------------------------------
baresip_cmd alice dial "sip:1002@$DOM" >/dev/null
baresip_wait_log alice 15 'Call established' 2 ||
	fatal "1002's mailbox did not answer after the ring timeout:$(baresip_log_tail alice)"
sleep 5
baresip_cmd alice hangup >/dev/null || true
sleep 1
baresip_heard alice 900 "bob's recorded greeting" 0.15
stop_ondo
finish
