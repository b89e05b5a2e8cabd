# shellcheck shell=bash
# fwd.sh - helpers of the forwarding tests (tests/e2e/test_fwd_*.sh): one
# tenant, phones that send a tone each, a call that must land on a phone
# (each side hears the other's tone) or in a mailbox (a message with the
# caller's tone), and how often a phone was offered a call. Sourced after
# common.sh.

FWD_DOM=t1.test

# fwd_exts NUMBER...: extensions with the password pw-NUMBER-fwd.
fwd_exts() {
	local n
	for n; do
		provision ext add "$FWD_DOM" "$n" --password "pw-$n-fwd"
	done
}

# fwd_phone NAME NUMBER HZ [auto]: a registered phone of extension NUMBER
# that sends an HZ tone for 80 s; with "auto" it answers by itself.
# FWD_MAX_CALLS=1 makes it a phone that is busy while in a call.
fwd_phone() {
	local name=$1 n=$2 hz=$3 extra=
	[ "${4:-}" = auto ] && extra=";answermode=auto"
	[ -f "$T_DIR/$hz.wav" ] ||
		sox -n -r 8000 -c 1 -b 16 "$T_DIR/$hz.wav" synth 80 sine "$hz" vol 0.4
	baresip_setup "$name" "<sip:$n@$FWD_DOM>;auth_pass=pw-$n-fwd$extra" \
		"$T_DIR/$hz.wav"
	# FWD_MAX_CALLS=1: a phone in a call answers another with 486.
	[ -z "${FWD_MAX_CALLS:-}" ] ||
		sed -i "s/^call_max_calls.*/call_max_calls\t\t$FWD_MAX_CALLS/" \
			"${BS_DIR[$name]}/config"
	baresip_start "$name"
	baresip_wait_registered "$name" ||
		fatal "phone $name ($n) did not register:$(baresip_log_tail "$name")"
}

# fwd_rings NAME: how many calls the phone was offered so far.
fwd_rings() {
	baresip_count "$1" 'Incoming call from|answering call|Answering incoming'
}

# fwd_established NAME: how many calls of the phone were answered so far.
fwd_established() {
	baresip_count "$1" 'Call established'
}

# fwd_wait_closed NAME N: waits until the phone's log has N ended calls.
fwd_wait_closed() {
	baresip_wait_log "$1" 15 'terminated|session closed' "$2"
}

# fwd_log_since MARK: the daemon's log after byte MARK (fwd_mark).
fwd_mark() {
	stat -c %s "$ONDO_LOG"
}
fwd_log_since() {
	tail -c +"$(($1 + 1))" "$ONDO_LOG"
}

# fwd_lands CALLER CALLER_HZ NUMBER PHONE PHONE_HZ WHAT: CALLER dials
# NUMBER; PHONE (answering by itself) must answer, and after 3 s of talk
# each must hear the other's tone. CALLER hangs up.
fwd_lands() {
	local caller=$1 chz=$2 number=$3 phone=$4 phz=$5 what=$6
	local c0 p0 wav out
	c0=$(fwd_established "$caller")
	p0=$(fwd_established "$phone")
	baresip_cmd "$caller" dial "sip:$number@$FWD_DOM" >/dev/null ||
		fatal "$caller refused the dial command"
	if ! baresip_wait_log "$phone" 25 'Call established' $((p0 + 1)); then
		fail "$what: $phone never answered:$(baresip_log_tail "$caller" 6)$(echo; grep -E ' (fwd|call) ' "$ONDO_LOG" | tail -n 6 | sed 's/^/       /')"
		baresip_cmd "$caller" hangup >/dev/null || true
		return 1
	fi
	baresip_wait_log "$caller" 10 'Call established' $((c0 + 1)) ||
		fail "$what: $caller's call was not answered"
	pass "$what: $phone answered the call to $number"
	sleep 3
	baresip_cmd "$caller" hangup >/dev/null || true
	fwd_wait_closed "$phone" $((p0 + 1)) ||
		fail "$what: $phone's call still up after $caller hung up"
	fwd_wait_closed "$caller" $((c0 + 1)) || true
	wav=$(baresip_dec_wav "$phone")
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.3 "$wav" "$chz"); then
		pass "$what: $phone heard $caller's $chz Hz tone: $out"
	else
		fail "$what: $phone did not hear $caller's $chz Hz tone: $out"
	fi
	wav=$(baresip_dec_wav "$caller")
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.15 "$wav" "$phz"); then
		pass "$what: $caller heard $phone's $phz Hz tone: $out"
	else
		fail "$what: $caller did not hear $phone's $phz Hz tone: $out"
	fi
}

# fwd_msgs EXT: how many messages extension EXT's mailbox holds.
fwd_msgs() {
	sql "SELECT count(*) FROM vm_messages m JOIN extensions e
	     ON e.id = m.ext_id WHERE e.number = '$1'"
}

# fwd_to_mailbox CALLER NUMBER BOX WHAT: CALLER dials NUMBER; the PBX must
# answer with BOX's mailbox and keep a message holding CALLER's tone
# (CALLER_HZ in FWD_CALLER_HZ, default 600) after CALLER spoke for 12 s.
fwd_to_mailbox() {
	local caller=$1 number=$2 box=$3 what=$4 c0 m0 file out
	c0=$(fwd_established "$caller")
	m0=$(fwd_msgs "$box")
	baresip_cmd "$caller" dial "sip:$number@$FWD_DOM" >/dev/null ||
		fatal "$caller refused the dial command"
	if ! baresip_wait_log "$caller" 30 'Call established' $((c0 + 1)); then
		fail "$what: nobody answered $caller's call to $number:$(baresip_log_tail "$caller" 6)$(echo; grep -E ' (fwd|call) ' "$ONDO_LOG" | tail -n 6 | sed 's/^/       /')"
		baresip_cmd "$caller" hangup >/dev/null || true
		return 1
	fi
	sleep 13 # greeting, beep, then the message
	baresip_cmd "$caller" hangup >/dev/null || true
	fwd_wait_closed "$caller" $((c0 + 1)) || true
	more() { [ "$(fwd_msgs "$box")" -gt "$m0" ]; }
	if ! wait_until 10 more; then
		fail "$what: no message in $box's mailbox:$(echo; grep -E ' (fwd|vm|call) ' "$ONDO_LOG" | tail -n 6 | sed 's/^/       /')"
		return 1
	fi
	file=$(sql "SELECT m.file FROM vm_messages m JOIN extensions e
		    ON e.id = m.ext_id WHERE e.number = '$box'
		    ORDER BY m.id DESC LIMIT 1")
	if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.5 \
		"$T_DIR/ondo/spool/$file" "${FWD_CALLER_HZ:-600}"); then
		pass "$what: a message with $caller's tone is in $box's mailbox: $out"
	else
		fail "$what: $box's new message lacks $caller's tone: $out"
	fi
}

# fwd_refused CALLER NUMBER CODE WHAT: CALLER dials NUMBER and gets the
# final status CODE (486, 480...) without anyone answering.
fwd_refused() {
	local caller=$1 number=$2 code=$3 what=$4 n0
	n0=$(baresip_count "$caller" " $code [A-Z]")
	baresip_cmd "$caller" dial "sip:$number@$FWD_DOM" >/dev/null ||
		fatal "$caller refused the dial command"
	if baresip_wait_log "$caller" 20 " $code [A-Z]" $((n0 + 1)); then
		pass "$what: $caller got $code"
	else
		fail "$what: no $code for $caller:$(baresip_log_tail "$caller" 6)"
		baresip_cmd "$caller" hangup >/dev/null || true
	fi
}

# fwd_busy PHONE: the phone calls the echo test (route 600, which the
# test adds) and stays in that call, so that it answers others with 486.
fwd_busy() {
	local n0
	n0=$(fwd_established "$1")
	baresip_cmd "$1" dial "sip:600@$FWD_DOM" >/dev/null ||
		fatal "$1 refused the dial command"
	baresip_wait_log "$1" 10 'Call established' $((n0 + 1)) ||
		fatal "$1 could not reach the echo test to be busy:$(baresip_log_tail "$1")"
}
