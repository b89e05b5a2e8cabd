#!/bin/bash
# test_vm_crash.sh - voicemail survives kill -9 (issue 5): rounds of three
# SIPp callers leaving messages at once in 1002's mailbox, the daemon
# killed with SIGKILL at random moments (greetings, recordings, 0-40 ms
# after a caller's BYE) and at each step of keeping a message (as the
# recording's .part file is created, as it is closed before its rename,
# as it is renamed before its row is written), then started again on the
# same files. After every restart:
# the start-up reconciliation ran, PRAGMA integrity_check is ok, every
# message is whole and listed or absent (tests/lib/vm_check.py), no
# temporary recording is left, every message the daemon had said it
# kept is still there, 1002's two registered phones are registered again
# without re-registering, and every call that had ended (its BYE
# answered) a second or more before the kill has its CDR row, and every
# call still up that the PBX had answered 1.5 s or more before the kill
# has one row, INTERRUPTED (live_calls, docs/database.md). Rounds
# where every caller hangs up first show that messages are kept and
# listed. Bounded: at most VM_CRASH_ROUNDS rounds
# (16), none started after VM_CRASH_SECONDS (50) s; about 3.5 s a round.
# VM_CRASH_SEED replays a run's random choices (not its timing).
. "$(dirname "$0")/../lib/common.sh"
test_init "voicemail: kill -9 during deposits loses no whole message"

ROUNDS=${VM_CRASH_ROUNDS:-16}
BUDGET=${VM_CRASH_SECONDS:-50}
SEED=${VM_CRASH_SEED:-$$}
RANDOM=$SEED
info "random seed $SEED (VM_CRASH_SEED=$SEED replays the same choices)"

DOM=t1.test
PW=pw-1001-crash
CALLERS=3
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password "$PW"
provision ext add "$DOM" 1002 --password 'pw-1002-crash'
provision route add "$DOM" 8002 voicemail 1002
provision vm box "$DOM" 1002 --max-messages 1000

SPOOL=$T_DIR/ondo/spool
BOX=$SPOOL/tenants/$DOM/vm/1002
# Short prompts so that a deposit is about a second of prompts and two of
# talk: a 0.3 s greeting of the box's own (a file there is the flag) and a
# 0.3 s "leave a message" for the tenant; the beep is the app's 0.4 s.
sox -n -r 8000 -c 1 -b 16 "$T_DIR/short.wav" synth 0.3 sine 400 vol 0.3
provision prompt upload "$DOM" vm_leave_message "$T_DIR/short.wav"
mkdir -p "$BOX/greetings"
cp "$T_DIR/short.wav" "$BOX/greetings/temp.wav"
# What the callers say: a 600 Hz tone, PCMU, looped by SIPp.
sox -n -r 8000 -c 1 -e u-law "$T_DIR/talk.wav" synth 4 sine 600 vol 0.5
sed "s|__WAV__|$T_DIR/talk.wav|" "$SIPP_DIR/uac_vm_talk.xml.in" \
	>"$T_DIR/uac_vm_talk.xml"

# 1002's two phones register once, at the start, for an hour: after every
# restart the daemon must know them from its database.
for ph in 1 2; do
	sipp_register "reg1002_$ph" "$(free_port)" 1002 'pw-1002-crash' 3600 ||
		fatal "cannot go on without 1002's phone $ph registered"
done

# trace_time NAME METHOD: the time (epoch seconds) the caller got the
# first 200 for its METHOD (INVITE: the PBX answered; BYE: the call
# ended), from its SIPp trace; nothing if it never did.
trace_time() {
	"$PYTHON" - "$T_DIR/$1.msg" "$2" <<'PY'
import re, sys, datetime
try:
    text = open(sys.argv[1], errors="replace").read().replace("\r", "")
except OSError:
    sys.exit(0)
for block in text.split("----------------------------------------------- ")[1:]:
    head, _, body = block.partition("\n")
    if ("message received" in body.split("\n", 1)[0] and
            re.search(r"(?m)^SIP/2\.0 200 ", body) and
            re.search(r"(?mi)^CSeq:\s*\d+\s+" + sys.argv[2], body)):
        t = datetime.datetime.strptime(head.strip(), "%Y-%m-%d %H:%M:%S.%f")
        print("%.3f" % t.timestamp())
        break
PY
}
bye_done() { trace_time "$1" BYE; }
ROUND_NAMES=()
CDR_CHECKED=0
UP_CHECKED=0 # calls up at a kill checked for their INTERRUPTED record
CDRS=0 # CDR rows after the last restart

# check_cdrs ROUND KILL_T: the calls of the round that had ended half a
# second before the kill (the CDR is written by the DB thread within
# milliseconds of the call's end) have their CDR row; those still up that
# were answered 1.5 s before it (the live row is written within a second
# of the answer) have one, INTERRUPTED; none has two.
check_cdrs() {
	local n t cid rows
	for n in "${ROUND_NAMES[@]}"; do
		cid=$(sed -n 's/^Call-ID: *//p' "$T_DIR/$n.msg" | head -n 1 | tr -d '\r')
		[ -n "$cid" ] || continue
		rows=$(sql "SELECT group_concat(disposition) FROM cdr WHERE call_id = '$cid'")
		case $rows in *,*) fail "round $1: caller $n's call ($cid) has more than one CDR row: $rows" ;; esac
		t=$(bye_done "$n")
		if [ -n "$t" ]; then
			awk -v k="$2" -v t="$t" 'BEGIN { exit !(k - t >= 0.5) }' || continue
			CDR_CHECKED=$((CDR_CHECKED + 1))
			[ -n "$rows" ] && [ "$rows" != INTERRUPTED ] ||
				fail "round $1: caller $n's call ($cid) ended $(awk -v k="$2" -v t="$t" 'BEGIN { printf "%.1f", k - t }') s before the kill but has no CDR row of its end after the restart (${rows:-none})"
			continue
		fi
		t=$(trace_time "$n" INVITE)
		[ -n "$t" ] || continue
		awk -v k="$2" -v t="$t" 'BEGIN { exit !(k - t >= 1.5) }' || continue
		UP_CHECKED=$((UP_CHECKED + 1))
		[ "$rows" = INTERRUPTED ] ||
			fail "round $1: caller $n's call ($cid), answered $(awk -v k="$2" -v t="$t" 'BEGIN { printf "%.1f", k - t }') s before the kill and still up, has no INTERRUPTED record after the restart (${rows:-none})"
	done
	ROUND_NAMES=()
}

rows() { sql "SELECT count(*) FROM vm_messages"; }
rows_eq() { [ "$(rows 2>/dev/null)" = "$1" ]; }

# seg N: the daemon's log from its Nth start to the next.
seg() {
	awk -v n="$1" '/^---- start [0-9]+ ----$/ { on = ($3 == n) } on' "$ONDO_LOG"
}
# kept N: messages the daemon logged as kept (row committed) in start N.
kept() { seg "$1" | grep -c ' INFO vm .*message from 1001 for 1002 ' || true; }
seg_has() { seg "$1" | grep -q -- "$2"; }

# The daemon is a child of this shell: a zombie until reaped, so kill -0
# cannot tell that it died.
ondo_alive() {
	local st
	st=$(awk '{ print $3 }' "/proc/$ONDO_PID/stat" 2>/dev/null) &&
		[ "$st" != Z ]
}
ondo_dead() { ! ondo_alive; }

# reap_ondo: kills the daemon if it still runs, collects it, and fails if
# it had died of anything but our SIGKILL.
reap_ondo() {
	local rc=0
	kill -KILL "$ONDO_PID" 2>/dev/null || true
	wait "$ONDO_PID" || rc=$?
	untrack_pid "$ONDO_PID"
	ONDO_PID=
	[ "$rc" -eq 137 ] ||
		fail "the daemon died on its own (exit $rc), not of our kill -9:$(echo; tail -n 15 "$ONDO_LOG" | sed 's/^/       /')"
}

NAMES=()
# call NAME TALK_MS ON_BYE: one caller in the background.
call() {
	local c mc
	c=$(free_port)
	mc=$(free_port_range 4)
	sipp_bg "$1" "$T_DIR/uac_vm_talk.xml" -p "$c" -mp "$mc" \
		-key user 1001 -key callee 8002 -au 1001 -ap "$PW" \
		-d "$2" -key on_bye "$3"
	NAMES+=("$1")
	ROUND_NAMES+=("$1")
}

# stop_callers: the callers of a round whose daemon was killed wait for
# answers that never come: TERM them.
stop_callers() {
	local n
	for n in "${NAMES[@]}"; do
		kill -TERM "${SIPP_PIDS[$n]}" 2>/dev/null || true
		sipp_wait "$n"
	done
	NAMES=()
}

ATTEMPTS=0 # calls that reached for the mailbox
KEPT=0     # messages the daemon said it kept before it was killed
INDEXED=0  # found whole without a row at a restart (killed in the commit)
PARTS=0    # unfinished recordings deleted at a restart
KILLS=0

# verify ROUND BEFORE KILL_T: checks after a restart (start number
# ONDO_STARTS).
verify() {
	local round=$1 before=$2 fails=$T_FAILS k out after ic sum i
	k=$(kept $((ONDO_STARTS - 1)))
	KEPT=$((KEPT + k))
	sum=$(seg "$ONDO_STARTS" | grep -o 'reconciled: .*' || true)
	if [ -z "$sum" ]; then
		fail "round $round: no 'reconciled:' line after the restart: the start-up check of the spool did not run"
	fi
	i=$(sed -E 's/reconciled: ([0-9]+) indexed.*/\1/' <<<"$sum")
	INDEXED=$((INDEXED + ${i:-0}))
	PARTS=$((PARTS + $(seg "$ONDO_STARTS" | grep -c '(an unfinished recording)' || true)))
	ic=$(sql "PRAGMA integrity_check" 2>&1 || true)
	[ "$ic" = ok ] ||
		fail "round $round: the database is damaged after kill -9: PRAGMA integrity_check says: $ic"
	if ! out=$("$PYTHON" "$TESTS_LIB/vm_check.py" "$ONDO_DB" "$SPOOL" 2>&1); then
		fail "round $round: after the restart a message is half there:$(echo; sed 's/^/       /' <<<"$out" | head -20)"
	fi
	phones=$(ondoctl reg list "$DOM" 2>/dev/null | grep -c "^1002@$DOM " || true)
	[ "$phones" = 2 ] ||
		fail "round $round: 1002's two phones are not registered after the restart ($phones): $(ondoctl reg list "$DOM" 2>&1)"
	check_cdrs "$round" "$3"
	CDRS=$(sql "SELECT count(*) FROM cdr")
	after=$(rows)
	if [ "$after" -lt $((before + k)) ]; then
		fail "round $round: the daemon logged $k message(s) kept, but after the restart the box went from $before to $after: a kept message was lost"
	elif [ "$after" -gt $((before + CALLERS)) ]; then
		fail "round $round: $CALLERS callers, but the box went from $before to $after messages"
	fi
	[ "$T_FAILS" != "$fails" ] ||
		pass "round $round: restart ok ($sum); $out"
}

# ---- rounds ---------------------------------------------------------------
# Modes of a round, in turn:
#   clean    everyone hangs up; the messages must be listed; then the idle
#            daemon is killed
#   bye      killed 0-40 ms after one caller's BYE (SIPp runs the kill)
#   mid      killed at a random moment of the calls: greetings, beeps,
#            recordings
#   created  killed as the first recording's .part file is created
#   closed   killed as the first .part file is closed, complete, just
#            before its rename
#   renamed  killed as the first message is renamed into new/: between
#            the rename and the row (docs/voicemail.md, deposit (2)-(3))
# The last three are exact (inotify, tests/lib/kill_on_file.py); a kill by
# time alone rarely lands in the millisecond between rename and commit.
MODES=(clean renamed mid bye closed renamed created bye mid renamed)
SECONDS=0
mkdir -p "$BOX/new"
for ((round = 1; round <= ROUNDS && SECONDS < BUDGET; round++)); do
	mode=${MODES[$(((round - 1) % ${#MODES[@]}))]}
	before=$(rows)
	trigger=$((RANDOM % CALLERS + 1))
	delay=$((RANDOM % 41))
	watch=
	file=
	case $mode in created | closed | renamed)
		pat='*.wav.part-*'
		[ "$mode" = renamed ] && pat='*.wav'
		"$PYTHON" "$TESTS_LIB/kill_on_file.py" "$BOX/new" "$mode" "$pat" \
			"$ONDO_PID" 15 >"$T_DIR/watch$round.out" 2>&1 &
		watch=$!
		track_pid "$watch"
		wait_until 5 grep -qs '^watching' "$T_DIR/watch$round.out" ||
			fatal "round $round: the file watcher did not start:$(echo; sed 's/^/       /' "$T_DIR/watch$round.out")"
		;;
	esac
	for ((n = 1; n <= CALLERS; n++)); do
		# A deposit is about 0.9 s of prompts before the recording; a
		# message that must be kept gets at least 1.3 s recorded.
		if [ "$mode" = mid ] ||
			{ [ "$mode" = bye ] && [ "$n" != "$trigger" ]; }; then
			talk=$((1700 + RANDOM % 1200)) # some under a second
		else
			talk=$((2300 + RANDOM % 500))
		fi
		on_bye=true
		if [ "$mode" = bye ] && [ "$n" = "$trigger" ]; then
			on_bye="kill -KILL $ONDO_PID"
			[ "$delay" = 0 ] ||
				on_bye=$(printf 'sleep 0.%03d; %s' "$delay" "$on_bye")
		fi
		call "r${round}c$n" "$talk" "$on_bye"
		ATTEMPTS=$((ATTEMPTS + 1))
		sleep "0.$((RANDOM % 4))" # callers start up to 0.3 s apart
	done
	case $mode in
	clean)
		for n in "${NAMES[@]}"; do
			sipp_wait "$n"
			[ "$SIPP_RC" -eq 0 ] ||
				fail "round $round: caller $n could not leave a message (sipp exit $SIPP_RC):$(echo; sipp_why "$n")"
		done
		NAMES=()
		if wait_until 5 rows_eq $((before + CALLERS)); then
			pass "round $round: $CALLERS callers hung up, $CALLERS messages listed ($((before + CALLERS)) in the box)"
		else
			fail "round $round: $CALLERS messages left, the box went from $before to $(rows)"
		fi
		# Their CDRs, written before the kill, must survive it.
		wait_until 5 cdr_count_ge $((CDRS + CALLERS)) ||
			fail "round $round: the $CALLERS calls' CDR rows were not written within 5 s of their end"
		sleep 0.5
		what="after the messages were kept"
		;;
	bye)
		if ! wait_until 8 ondo_dead; then
			fail "round $round: caller $trigger never hung up, so the daemon was not killed:$(echo; sipp_why "r${round}c$trigger")"
		fi
		cid=$(sed -n 's/^Call-ID: *//p' "$T_DIR/r${round}c$trigger.msg" | head -n 1 | tr -d '\r')
		fate="its message not kept yet"
		seg "$ONDO_STARTS" | grep -qF "$cid] message from" &&
			fate="its message already kept"
		what="${delay} ms after caller $trigger's BYE ($fate)"
		;;
	mid)
		ms=$((RANDOM % 2600))
		sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
		what="$ms ms after the last caller dialled"
		;;
	*)
		rc=0
		wait "$watch" || rc=$?
		untrack_pid "$watch"
		file=$(sed -n 2p "$T_DIR/watch$round.out")
		[ "$rc" -eq 0 ] ||
			fail "round $round: no file was $mode in $BOX/new within 15 s, so the daemon was not killed (watcher exit $rc)"
		what="as $file was $mode"
		;;
	esac
	kill_t=$(date +%s.%N) # the kill came at or before now
	reap_ondo
	KILLS=$((KILLS + 1))
	info "round $round ($mode): killed $what"
	stop_callers
	start_ondo
	verify "$round" "$before" "$kill_t"
	[ -n "$file" ] || mode=none # no watcher kill: already failed above
	case $mode in
	created)
		check "round $round: the recording cut short at its start ($file) was removed" \
			seg_has "$ONDO_STARTS" "removed .*/$file (an unfinished recording)"
		;;
	closed | renamed)
		# The whole file: listed if it was renamed before the kill.
		final=${file%%.part-*}
		caller=$(sql "SELECT caller FROM vm_messages WHERE file LIKE '%/$final'")
		if [ "$mode" = renamed ] || [ -e "$BOX/new/$final" ]; then
			case $caller in
			unknown) info "round $round: $final was indexed at the restart (the kill came before its row)" ;;
			1001) info "round $round: $final was kept by the call before the kill" ;;
			*) fail "round $round: the message $final, whole in new/ when the daemon was killed, is not listed after the restart" ;;
			esac
		else
			info "round $round: $final was not renamed yet; its .part was removed"
		fi
		;;
	esac
done
# How many kills landed between a rename and its row is only reported: the
# watcher's kill races the daemon's next millisecond, and a message kept
# just before the kill is as right as one indexed after it.
check "calls that had ended before a kill were checked for their CDR ($CDR_CHECKED)" \
	[ "$CDR_CHECKED" -ge 3 ]
check "calls still up at a kill were checked for their INTERRUPTED record ($UP_CHECKED)" \
	[ "$UP_CHECKED" -ge 3 ]
info "$((round - 1)) rounds in ${SECONDS} s: $KILLS kills, $ATTEMPTS calls," \
	"$KEPT kept by the calls, $INDEXED indexed at start-up (killed between" \
	"rename and commit), $PARTS unfinished recordings removed"

check "kills hit recordings in progress ($PARTS unfinished ones removed at restarts)" \
	[ "$PARTS" -ge 1 ]

total=$(rows)
if [ "$total" -ge "$KEPT" ] && [ "$total" -le "$ATTEMPTS" ]; then
	pass "$total messages in the box: at least the $KEPT the daemon kept, at most the $ATTEMPTS calls"
else
	fail "$total messages in the box, want between $KEPT (kept) and $ATTEMPTS (calls)"
fi
listed=$(ondoctl vm list "$DOM" 1002 2>&1 | tail -n +2 || true)
check "ondoctl vm list shows all $total, none MISSING" \
	[ "$(grep -c . <<<"$listed")" = "$total" -a "$(grep -c MISSING <<<"$listed")" = 0 ]

# A clean stop and start finds nothing to settle.
stop_ondo
start_ondo
sum=$(seg "$ONDO_STARTS" | grep -o 'reconciled: .*' || true)
check "after a clean restart there is nothing to reconcile ($sum)" \
	[ "$sum" = "reconciled: 0 indexed, 0 quarantined, 0 removed, 0 repaired, 0 flagged, 0 unflagged" ]
stop_ondo
finish
