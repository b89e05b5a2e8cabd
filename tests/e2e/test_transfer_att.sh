#!/bin/bash
# test_transfer_att.sh - attended transfer (REFER with Replaces). 1001 (A)
# and 1003 (C) are baresip phones with their own tones; 1002 (B) is
# tests/lib/sip_xfer_uac.py, since baresip 1.0 has no attended transfer.
#  - B calls A, then C; once C answers B sends REFER naming the second
#    call: A and C hear each other, both of B's calls end, the live list
#    is empty after A hangs up;
#  - the same with B's first call through a dial route (an app's bridge);
#  - B refers while C's phone still rings: done as a blind transfer, C
#    rings again for A and answers.
. "$(dirname "$0")/../lib/common.sh"
test_init "attended transfer (REFER with Replaces): relayed, through an app, consultation still ringing"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
for e in 1001 1002 1003; do
	provision ext add "$DOM" $e --password "pw-$e-att"
done
provision route add "$DOM" 2001 dial 1001

tone() { sox -n -r 8000 -c 1 -b 16 "$1" synth 100 sine "$2" vol 0.5; }
tone "$T_DIR/1001.wav" 500
tone "$T_DIR/1003.wav" 1300
for e in 1001 1003; do
	baresip_setup "p$e" "<sip:$e@$DOM>;auth_pass=pw-$e-att" "$T_DIR/$e.wav"
	baresip_start "p$e"
done
for p in p1001 p1003; do
	baresip_wait_registered $p || fatal "phone $p did not register:$(baresip_log_tail $p)"
done
pass "A (1001) and C (1003) registered"

INCOMING='Incoming call'
EST='Call established'
# answer PHONE N: its Nth ring comes and it answers.
answer() {
	baresip_wait_log "$1" 15 "$INCOMING" "$2" || return 1
	baresip_cmd "$1" accept >/dev/null
}
# attended FIRST N_A N_C [early]: B calls FIRST (reaching A), then C, and
# refers; A's Nth and C's Nth rings are answered.
attended() {
	local out=$T_DIR/uac.$2.out pid
	XFER_EARLY=${4:-0} "$PYTHON" "$TESTS_LIB/sip_xfer_uac.py" "$ONDO_SIP_PORT" \
		"$DOM" 1002 pw-1002-att "$1" 1003 20 >"$out" 2>&1 &
	pid=$!
	track_pid $pid
	answer p1001 "$2" || fatal "A did not ring:$(baresip_log_tail p1001)"
	baresip_wait_log p1003 15 "$INCOMING" "$3" || fatal "C did not ring"
	if [ "${4:-0}" = 1 ]; then
		# B refers while C rings; C's first ring stops and a new one,
		# for A, comes.
		baresip_wait_log p1003 15 "$INCOMING" $(($3 + 1)) ||
			fatal "C was not rung for A:$(baresip_log_tail p1003)"
	fi
	baresip_cmd p1003 accept >/dev/null
	if wait "$pid"; then
		pass "B's REFER got NOTIFY 200 and its calls ended: $(tr '\n' ';' <"$out")"
	else
		fail "B's transfer did not complete: $(tr '\n' ';' <"$out")"
	fi
	untrack_pid $pid
}
# B sends no audio, so A's recording holds only what came after the
# transfer (baresip writes what it decodes): all of it must be C's tone.
talk_check() { # T0 T1
	baresip_heard p1001 1300 "C" 0.6
	baresip_heard_window p1003 500 "A's tone" "$1" "$2"
}
finish_call() {
	local t0 t1
	check "one call left in the PBX: A with C" wait_until 10 one_call
	t0=$(date +%s.%N)
	sleep 3
	t1=$(date +%s.%N)
	baresip_cmd p1001 hangup >/dev/null
	if wait_until 10 no_calls; then
		pass "no call is left in the PBX"
	else
		fail "calls left behind: $(ondoctl calls 2>&1)"
	fi
	sleep 0.5
	talk_check "$t0" "$t1"
}

# ---- both calls relayed ----------------------------------------------------
attended 1001 1 1
check "the log says A was joined to C" grep -q "1001 joined to 1003" "$ONDO_LOG"
finish_call

# ---- B's call to A through a dial route (A is the app's bridged callee) ----
attended 2001 2 2
finish_call

# ---- C still ringing: done as a blind transfer -----------------------------
attended 1001 3 3 1
check "the log says it was done as a blind one" \
	grep -q "attended transfer to 1003 done as a blind one" "$ONDO_LOG"
finish_call

stop_ondo
finish
