#!/bin/bash
# test_diskfull.sh - a full spool disk (a 4 MiB tmpfs, filled up): a caller
# who leaves a voicemail is told it could not be saved (the apology is
# played, then the PBX hangs up) instead of hearing "recorded"; no row and
# no half file are left; the daemon goes on serving calls; a call that
# should be recorded goes on, both parties told it cannot be; once there
# is room again a message is kept as usual.
. "$(dirname "$0")/../lib/common.sh"
test_init "disk full: voicemail says sorry, the daemon serves on"

DOM=t1.test
SPOOL=$T_DIR/ondo/spool
mount_tmpfs "$SPOOL" 4m
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password pw-full-1001
provision ext add "$DOM" 1002 --password pw-full-1002
provision route add "$DOM" 8002 voicemail 1002
provision route add "$DOM" 600 echo
# Short prompts (a file of the box's own is its greeting): the deposit is
# about a second of prompts before the recording.
sox -n -r 8000 -c 1 -b 16 "$T_DIR/short.wav" synth 0.3 sine 400 vol 0.3
provision prompt upload "$DOM" vm_leave_message "$T_DIR/short.wav"
BOX=$SPOOL/tenants/$DOM/vm/1002
mkdir -p "$BOX/greetings"
cp "$T_DIR/short.wav" "$BOX/greetings/temp.wav"
sox -n -r 8000 -c 1 -e u-law "$T_DIR/talk.wav" synth 4 sine 600 vol 0.5
sed "s|__WAV__|$T_DIR/talk.wav|" "$SIPP_DIR/uac_vm_talk.xml.in" >"$T_DIR/uac_vm_talk.xml"

msgs() { sql "SELECT count(*) FROM vm_messages"; }

# ---- full ------------------------------------------------------------------------
dd if=/dev/zero of="$SPOOL/filler" bs=64k 2>/dev/null || true
check "the spool is full ($(df --output=avail -k "$SPOOL" | tail -1 | tr -d ' ') KiB free)" \
	[ "$(df --output=avail -k "$SPOOL" | tail -1 | tr -d ' ')" -eq 0 ]
t0=$(date +%s.%N)
# The caller keeps the line: the PBX must end the call itself.
sipp_run full uac_held.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key user 1001 -key callee 8002 -au 1001 -ap pw-full-1001
took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
check "the PBX ended the caller's call itself ($(sipp_codes full), $took s)" [ "$SIPP_RC" -eq 0 ]
check "the log says the message was not saved, and why" \
	grep -q "message from 1001 for 1002 not saved: No space left on device" "$ONDO_LOG"
# After the failure the caller hears "sorry, your message could not be
# saved, please try again later" and "goodbye": a few seconds, not a
# hang-up on the spot.
fail_at=$(grep -m1 "not saved: No space" "$ONDO_LOG" | awk '{ print $2 }')
bye_at=$(date -d "@$(awk -v a="$t0" -v t="$took" 'BEGIN { printf "%.3f", a + t }')" +%T.%3N)
gap=$(awk -v a="$fail_at" -v b="$bye_at" 'BEGIN { split(a, x, ":"); split(b, y, ":");
	printf "%.1f", (y[1] * 3600 + y[2] * 60 + y[3]) - (x[1] * 3600 + x[2] * 60 + x[3]) }')
check "the apology was played before the hang-up (${gap} s between the failure and the end)" \
	awk -v g="$gap" 'BEGIN { exit !(g >= 2.5) }'
check "no message row" [ "$(msgs)" = 0 ]
check "no file left in the box" \
	[ -z "$(find "$BOX" -path "$BOX/greetings" -prune -o -type f -print)" ]

# ---- the daemon serves on --------------------------------------------------------
sipp_run echo uac_call.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key user 1001 -key callee 600 -au 1001 -ap pw-full-1001
check "a call on the full disk still connects ($(sipp_codes echo))" [ "$SIPP_RC" -eq 0 ]

# ---- a recorded call -------------------------------------------------------------
# 1001's calls are recorded; the recording cannot be made: both parties
# hear "sorry, this call cannot be recorded" and the call goes on.
provision ext record "$DOM" 1001 always
u=$(free_port)
sipp_register reg1002 "$u" 1002 pw-full-1002 300 || fatal "1002 cannot register"
sipp_bg callee uas_answer.xml -p "$u" -mp "$(free_port_range 4)"
sipp_wait_listening "$u" || fatal "SIPp for 1002 did not bind 127.0.0.1:$u"
sipp_run rec uac_call.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key user 1001 -key callee 1002 -au 1001 -ap pw-full-1001
check "a recorded call on the full disk connects and ends normally ($(sipp_codes rec))" \
	[ "$SIPP_RC" -eq 0 ]
sipp_wait callee
check "  1002 answered it and got the BYE" [ "$SIPP_RC" -eq 0 ]
check "the log says the recording failed and both parties were told" \
	grep -q "1001 -> 1002: the recording failed (No space left on device); both are told" "$ONDO_LOG"
provision ext record "$DOM" 1001 never

# ---- room again ------------------------------------------------------------------
rm -f "$SPOOL/filler"
sipp_run room "$T_DIR/uac_vm_talk.xml" -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key user 1001 -key callee 8002 -au 1001 -ap pw-full-1001 -d 2500 -key on_bye true
check "with room again a message is left ($(sipp_codes room))" [ "$SIPP_RC" -eq 0 ]
wait_until 5 [ -n "$(sql "SELECT 1 FROM vm_messages LIMIT 1")" ] || true
check "and kept: one row" [ "$(msgs)" = 1 ]

calls_left
stop_ondo
finish
