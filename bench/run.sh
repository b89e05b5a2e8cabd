#!/bin/bash
# bench/run.sh - run every Ondo PBX benchmark and append a dated section to
# bench/RESULTS.md. See bench/README.md.
#
#   bench/run.sh                      # ~21 minutes: SIP stages, media, conference
#   bench/run.sh sip                  # ~9 minutes: REGISTER and call set-up only
#   bench/run.sh media                # 4-7 minutes: relayed and transcoded RTP
#                                     # only (bench/media.sh, its own knobs)
#   bench/run.sh conf                 # 5-6 minutes: the conference mixer only
#                                     # (bench/conf.sh, its own knobs)
#   BENCH_USERS=200000 bench/run.sh   # the capacity target
#
# It builds nothing (but the conference stage runs `make bench/confbench`):
# it copies ./ondo and ./ondoctl (build them first with
# `make -j2 ondo ondoctl`) into a temp dir, starts its own daemon there on a
# free port (pinned to CPU 1), drives it with SIPp (pinned to CPU 0), and
# kills every process it started, by PID, on any exit.
#
# Environment (all optional):
#   BENCH_USERS=10000        extensions inserted into SQLite
#   BENCH_TENANTS=1          spread them over this many tenants (tN.bench.test)
#   BENCH_PAIRS=5000         callers (and as many callees) for the call bench
#   BENCH_STEP_SECS=10       length of one load step
#   BENCH_REG_RATES="500 1000 2000 4000 6000 8000 10000 12000 14000"
#   BENCH_CALL_RATES="100 200 400 800 1200 1600 2000 2500 3000"
#   BENCH_KAMAILIO=1         also run the Kamailio anchor (0: skip)
#   BENCH_KAM_REG_RATES="4000 8000 12000 16000 20000 24000"
#   BENCH_KAM_CALL_RATES="1000 2000 2500 3000 3500 4000"
#   BENCH_HOLD_MS=1000       call hold time (SIPp -d)
#   BENCH_SUSTAIN_SECS=45    Ondo: run the highest clean rate again this long
#                            (0: skip); sofia keeps transactions ~32 s, so
#                            their destruction only shows in a long step
#   BENCH_MAX_RSS_MB=12000   stop a ramp when the daemon's RSS passes this
#   BENCH_MAX_SECONDS=570    time budget: steps that would end later are skipped
#   BENCH_DRAIN_SECS=45      after the call ramp, wait this long for calls to end
#   BENCH_RTP_WORKERS=1      [rtp] workers of the daemon
#   BENCH_KEEP=0             1: keep the temp dir (logs) instead of deleting it
#   BENCH_RESULTS=bench/RESULTS.md
#   BENCH_ONDO=./ondo        the daemon binary to measure (A/B comparisons)
set -u

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
USERS=${BENCH_USERS:-10000}
TENANTS=${BENCH_TENANTS:-1}
PAIRS=${BENCH_PAIRS:-$(( USERS / 2 < 5000 ? USERS / 2 : 5000 ))}
SECS=${BENCH_STEP_SECS:-10}
REG_RATES=${BENCH_REG_RATES:-"500 1000 2000 4000 6000 8000 10000 12000 14000"}
CALL_RATES=${BENCH_CALL_RATES:-"100 200 400 800 1200 1600 2000 2500 3000"}
KAM=${BENCH_KAMAILIO:-1}
KAM_REG_RATES=${BENCH_KAM_REG_RATES:-"4000 8000 12000 16000 20000 24000"}
KAM_CALL_RATES=${BENCH_KAM_CALL_RATES:-"1000 2000 2500 3000 3500 4000"}
HOLD_MS=${BENCH_HOLD_MS:-1000}
SUSTAIN=${BENCH_SUSTAIN_SECS:-45}
MAX_RSS_MB=${BENCH_MAX_RSS_MB:-12000}
MAX_SECONDS=${BENCH_MAX_SECONDS:-570}
RTP_WORKERS=${BENCH_RTP_WORKERS:-1}
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
DOMAIN=bench.test
T0=$(date +%s)
CMDLINE="$0${*:+ $*}"
for v in BENCH_USERS BENCH_TENANTS BENCH_PAIRS BENCH_STEP_SECS BENCH_REG_RATES BENCH_CALL_RATES \
	 BENCH_KAMAILIO BENCH_KAM_REG_RATES BENCH_KAM_CALL_RATES BENCH_HOLD_MS \
	 BENCH_MAX_RSS_MB BENCH_MAX_SECONDS BENCH_RTP_WORKERS BENCH_SUSTAIN_SECS BENCH_DRAIN_SECS; do
	[ -n "${!v+x}" ] && CMDLINE="$v=\"${!v}\" $CMDLINE"
done

die() { echo "run.sh: $*" >&2; exit 1; }
STAGE=${1:-all}
case "$STAGE" in
all | sip | media | conf) ;;
*) die "usage: run.sh [all | sip | media | conf]" ;;
esac
# the media and conference stages are scripts of their own, with their own
# processes, temp dir and cleanup
if [ "$STAGE" = media ]; then
	BENCH_MEDIA_CMDLINE="$CMDLINE" exec "$BENCH/media.sh"
fi
if [ "$STAGE" = conf ]; then
	BENCH_CONF_CMDLINE="$CMDLINE" exec "$BENCH/conf.sh"
fi
for b in sipp taskset python3 sqlite3; do
	command -v $b >/dev/null || die "$b not found (apt-get install sip-tester sqlite3)"
done
ONDO_BIN=${BENCH_ONDO:-$ROOT/ondo}
[ -x "$ONDO_BIN" ] && [ -x "$ROOT/ondoctl" ] || die "build first: make -j2 ondo ondoctl"
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (daemon on CPU 1, SIPp on CPU 0)"
if [ "$KAM" = 1 ] && ! command -v kamailio >/dev/null; then
	echo "run.sh: kamailio not installed, skipping the anchor" \
	     "(apt-get install kamailio kamailio-sqlite-modules)" >&2
	KAM=0
fi

W=$(mktemp -d /tmp/ondo-bench.XXXXXX)
PIDS=""
cleanup() {
	local p n
	trap - EXIT INT TERM
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
	for n in 1 2 3 4 5 6 7 8 9 10; do
		local alive=""
		for p in $PIDS; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
		[ -z "$alive" ] && break
		sleep 0.5
	done
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null; done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "logs kept in $W"
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
track() { PIDS="$PIDS $1"; }
untrack() { PIDS=$(echo " $PIDS " | sed "s/ $1 / /"); }
# Run a command in the background, tracked, and wait for it (so the trap
# can kill it; `wait` returns early when a signal arrives).
run_tracked() {
	"$@" &
	local p=$! rc
	track $p
	wait $p
	rc=$?
	untrack $p
	return $rc
}
log() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

# ---- free ports: SIP, SIPp UAC, SIPp UAS, spare (TCP and UDP all free) ----
B=$(python3 "$BENCH/free_ports.py" 4) || die "no free port found"
SIP_PORT=$B UAC_PORT=$((B + 1)) UAS_PORT=$((B + 2)) HTTP_PORT=$((B + 3))

mkdir -p "$W/bin" "$W/logs"
cp "$ONDO_BIN" "$W/bin/ondo"
cp "$ROOT/ondoctl" "$W/bin/"
CONF=$W/ondo.conf
DB=$W/ondo.db
"$BENCH/ondo_conf.sh" "$W" "$SIP_PORT" "$HTTP_PORT" "$RTP_WORKERS" "$DOMAIN" > "$CONF"
ONDOCTL="$W/bin/ondoctl -c $CONF"
STEPS=$W/steps.jsonl
META=$W/meta.txt
: > "$STEPS"
: > "$META"
meta() { echo "$1=$2" >> "$META"; }

log "work dir $W, SIP port $SIP_PORT, $USERS users, $PAIRS call pairs"
python3 "$BENCH/make_users.py" "$W/bin/ondoctl" "$CONF" "$DB" "$W" "$DOMAIN" \
	"$USERS" "$PAIRS" "$TENANTS" || die "make_users.py failed"

SIPP_COMMON="-i 127.0.0.1 -buff_size 4194304 -recv_timeout 10000"
DAEMON_PID=""
KAM_PID=""
UAS_PID=""

start_ondo() {   # $1 = log file
	taskset -c 1 "$W/bin/ondo" -c "$CONF" 2>"$1" &
	DAEMON_PID=$!
	track $DAEMON_PID
	local n
	for n in $(seq 50); do
		$ONDOCTL calls >/dev/null 2>&1 && return 0
		kill -0 $DAEMON_PID 2>/dev/null || break
		sleep 0.2
	done
	cat "$1" >&2
	die "the daemon did not start"
}

stop_pid() {     # $1 = pid, $2 = name [, $3 = signal]; then KILL after 15 s
	local p=$1 n
	[ -n "$p" ] || return 0
	kill -"${3:-TERM}" "$p" 2>/dev/null
	for n in $(seq 150); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	STOP_SECS=$(awk -v n="$n" 'BEGIN { printf "%.1f", (n - 1) / 10 }')
	if kill -0 "$p" 2>/dev/null; then
		echo "$2 did not stop within 15 s of SIGTERM; killed" | tee -a "$W/problems.txt"
		kill -KILL "$p" 2>/dev/null
	fi
	wait "$p" 2>/dev/null
	local rc=$?
	untrack "$p"
	return $rc
}

mem_of() { awk '/^(VmRSS|VmHWM):/ {sub(":", "", $1); printf "%s=%dkB ", $1, $2}' "/proc/$1/status" 2>/dev/null; }

# the time a ramp step costs, to respect the budget
budget_ok() {    # $1 = extra seconds the step needs beyond SECS
	[ $(( $(date +%s) - T0 + SECS + $1 )) -le "$MAX_SECONDS" ]
}

# ramp PHASE SERVERPID HOLD GAP RATES -- sipp args
# Rates go up until a step is overloaded (>1% failed or calls not created in
# time) or a rate is unclean twice in a row (a step that is unclean once is
# run again: a shared machine has noise).
ramp() {
	local phase=$1 spid=$2 hold=$3 gap=$4 rates=$5
	shift 6
	local r rc attempt extra=()
	BEST=0
	[ -n "$UAS_PID" ] && extra+=(--uas-pid "$UAS_PID" --watch-port "$UAS_PORT")
	[ "$phase" = ondo_call ] && extra+=(--calls-cmd "$ONDOCTL calls")
	for r in $rates; do
		for attempt in 1 2; do
			if ! budget_ok $(( hold / 1000 + gap + 5 )); then
				echo "{\"label\": \"$phase\", \"rate\": $r, \"attempt\": $attempt, \"skipped\": \"time budget\"}" >> "$STEPS"
				log "$phase $r/s skipped: time budget (BENCH_MAX_SECONDS=$MAX_SECONDS)"
				return 0
			fi
			run_tracked python3 "$BENCH/run_step.py" --label "$phase" --rate "$r" \
				--attempt $attempt --secs "$SECS" --server-pid "$spid" \
				--sip-port "$SIP_PORT" --watch-port "$UAC_PORT" --hold-ms "$hold" \
				--out "$STEPS" --logdir "$W/logs" "${extra[@]}" -- "$@"
			rc=$?
			if [ $rc -ge 3 ]; then
				echo "$phase: step $r/s: the server died or SIPp could not run (rc $rc)" \
					| tee -a "$W/problems.txt"
				return 1
			fi
			local rss
			rss=$(awk '/^VmRSS:/ {print int($2 / 1024)}' "/proc/$spid/status" 2>/dev/null)
			if [ -n "$rss" ] && [ "$rss" -gt "$MAX_RSS_MB" ]; then
				echo "$phase: RSS ${rss} MB after $r/s passes BENCH_MAX_RSS_MB=$MAX_RSS_MB; ramp stopped" \
					| tee -a "$W/problems.txt"
				return 0
			fi
			[ $rc -eq 2 ] && return 0      # overloaded: no point going higher
			sleep "$gap"
			[ $rc -eq 0 ] && { BEST=$r; break; }   # clean: next rate
		done
		[ $rc -ne 0 ] && return 0              # unclean twice
	done
	return 0
}

# sustain PHASE SERVERPID HOLD -- sipp args: the highest clean rate of the
# ramp just run ($BEST) once more for SUSTAIN seconds.
sustain() {
	local phase=$1 spid=$2 hold=$3 extra=()
	shift 4
	[ "$SUSTAIN" -gt 0 ] && [ "$BEST" -gt 0 ] || return 0
	local saved=$SECS
	SECS=$SUSTAIN
	if ! budget_ok $(( hold / 1000 + 5 )); then
		SECS=$saved
		echo "{\"label\": \"$phase\", \"rate\": $BEST, \"skipped\": \"time budget\"}" >> "$STEPS"
		log "$phase $BEST/s skipped: time budget"
		return 0
	fi
	SECS=$saved
	[ -n "$UAS_PID" ] && extra+=(--uas-pid "$UAS_PID" --watch-port "$UAS_PORT")
	log "$phase: $BEST/s for $SUSTAIN s"
	run_tracked python3 "$BENCH/run_step.py" --label "$phase" --rate "$BEST" \
		--secs "$SUSTAIN" --server-pid "$spid" --sip-port "$SIP_PORT" \
		--watch-port "$UAC_PORT" --hold-ms "$hold" --out "$STEPS" \
		--logdir "$W/logs" "${extra[@]}" -- "$@"
	[ $? -ge 3 ] && echo "$phase: the server died or SIPp could not run" >> "$W/problems.txt"
	return 0
}

errors_of() {    # $1 = daemon log, $2 = phase [, $3 = line filter]
	local n
	if [ -n "${3:-}" ]; then
		cp "$1" "$1.all"
		grep -aE "$3" "$1.all" > "$1"
	fi
	n=$(grep -ac . "$1")
	meta "${2}_log_lines" "$n"
	if [ "$n" -gt 0 ]; then
		cp "$1" "$W/logs/$2_daemon.log"
		# distinct messages without Call-IDs and numbers, most frequent first
		sed -E "s/'[^']*'/'…'/g; s/[0-9a-f-]{16,}//g; s/[0-9]+/N/g" "$1" | sort | uniq -c | sort -rn \
			| head -15 > "$W/${2}_log_summary.txt"
	fi
}

git_rev=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
git_dirty=$(cd "$ROOT" && git status --porcelain --untracked-files=no 2>/dev/null | wc -l)
meta git "$git_rev"
meta git_dirty_files "$git_dirty"
meta ondo_sha256 "$(sha256sum "$W/bin/ondo" | cut -c1-16)"
meta users "$USERS"
meta tenants "$TENANTS"
meta pairs "$PAIRS"
meta secs "$SECS"
meta hold_ms "$HOLD_MS"
meta rtp_workers "$RTP_WORKERS"
meta command "$CMDLINE"
meta sip_port "$SIP_PORT"
meta started "$(date -u '+%Y-%m-%d %H:%M UTC')"
# Other load on the machine spoils the figures: measure it before starting.
meta idle_check "$(python3 -c '
import os, sys, time
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from run_step import all_ticks
a = all_ticks(); time.sleep(3); b = all_ticks()
t = sum(v - a.get(p, 0) for p, v in b.items() if p != os.getpid() and v >= a.get(p, 0))
print("other processes used %.0f%% of one core over 3 s" % (100.0 * t / os.sysconf("SC_CLK_TCK") / 3))' "$BENCH")"
log "before the run: $(tail -1 "$META" | cut -d= -f2-)"

# ======================= 1. Ondo: REGISTER + digest =======================
log "ondo: REGISTER ramp ($REG_RATES)"
start_ondo "$W/ondo_reg.log"
meta ondo_reg_start_mem "$(mem_of $DAEMON_PID)"
ramp ondo_reg $DAEMON_PID 0 3 "$REG_RATES" -- 127.0.0.1:$SIP_PORT \
	-sf "$BENCH/scenarios/reg_auth_uac.xml" -inf "$W/users.csv" \
	-p $UAC_PORT $SIPP_COMMON
sleep 3
sustain ondo_reg_sustain $DAEMON_PID 0 -- 127.0.0.1:$SIP_PORT \
	-sf "$BENCH/scenarios/reg_auth_uac.xml" -inf "$W/users.csv" \
	-p $UAC_PORT $SIPP_COMMON
meta ondo_reg_end_mem "$(mem_of $DAEMON_PID)"
sleep 2
meta ondo_reg_db_registrations "$(sqlite3 "$DB" 'SELECT count(*) FROM registrations' 2>/dev/null)"
stop_pid $DAEMON_PID ondo
meta ondo_reg_exit "$?"
errors_of "$W/ondo_reg.log" ondo_reg

# ================= 2. Ondo: authenticated, anchored calls =================
# A fresh daemon without the registrations of step 1 (they point at the
# UAC's port and would make the PBX fork calls to the caller).
sqlite3 "$DB" 'DELETE FROM registrations'
log "ondo: call ramp ($CALL_RATES)"
start_ondo "$W/ondo_call.log"
meta ondo_call_start_mem "$(mem_of $DAEMON_PID)"
meta ondo_call_start_fds "$(ls /proc/$DAEMON_PID/fd 2>/dev/null | wc -l)"
run_tracked timeout 120 taskset -c 0 sipp 127.0.0.1:$SIP_PORT \
	-sf "$BENCH/scenarios/reg_auth_uac.xml" -inf "$W/callees.csv" \
	-p $UAS_PORT $SIPP_COMMON -m "$PAIRS" -r 1000 -nostdin \
	> "$W/logs/ondo_callee_reg.txt" 2>&1 \
	|| die "registering the callees failed (see $W/logs/ondo_callee_reg.txt)"
start_uas() {    # $1 = phase
	taskset -c 0 sipp -sf "$BENCH/scenarios/call_uas.xml" -p $UAS_PORT \
		$SIPP_COMMON -nostdin -trace_screen -screen_file "$W/logs/$1_uas_screen.txt" \
		-trace_err -error_file "$W/logs/$1_uas_errors.log" -max_log_size 2000000 \
		> /dev/null 2>&1 &
	UAS_PID=$!
	track $UAS_PID
	sleep 0.5
	kill -0 $UAS_PID 2>/dev/null || die "the SIPp UAS did not start"
}
start_uas ondo_call
ramp ondo_call $DAEMON_PID $HOLD_MS 3 "$CALL_RATES" -- 127.0.0.1:$SIP_PORT \
	-sf "$BENCH/scenarios/call_auth_uac.xml" -inf "$W/calls.csv" \
	-p $UAC_PORT $SIPP_COMMON -d "$HOLD_MS" -default_behaviors bye,pingreply
# Calls still in the daemon after the ramp: none expected after clean steps;
# after an overloaded step, wait (up to BENCH_DRAIN_SECS) for them to end.
# A daemon too busy to answer its control socket counts as calls left.
calls_now() {
	local out
	out=$($ONDOCTL calls 2>/dev/null) || { echo "unknown (ondoctl got no answer)"; return; }
	awk 'NR > 1 && !/^no calls/' <<<"$out" | wc -l
}
sleep 3
$ONDOCTL calls > "$W/logs/ondo_calls_left.txt" 2>&1
left=$(calls_now)
meta ondo_call_calls_left_3s "$left"
meta ondo_call_fds_3s "$(ls /proc/$DAEMON_PID/fd 2>/dev/null | wc -l)"
drain=3
while [ "$left" != 0 ] && [ $drain -lt "${BENCH_DRAIN_SECS:-45}" ]; do
	sleep 3
	drain=$((drain + 3))
	left=$(calls_now)
done
meta ondo_call_calls_left_end "$left calls after ${drain} s"
[ "$left" != 0 ] && echo "ondo: $left call(s) still in progress ${drain} s after the last call step" \
	"(list: logs/ondo_calls_left.txt)" >> "$W/problems.txt"
meta ondo_call_drained_fds "$(ls /proc/$DAEMON_PID/fd 2>/dev/null | wc -l)"
sustain ondo_call_sustain $DAEMON_PID $HOLD_MS -- 127.0.0.1:$SIP_PORT \
	-sf "$BENCH/scenarios/call_auth_uac.xml" -inf "$W/calls.csv" \
	-p $UAC_PORT $SIPP_COMMON -d "$HOLD_MS" -default_behaviors bye,pingreply
sleep 3
meta ondo_call_sustain_calls_left_3s "$(calls_now)"
meta ondo_call_end_mem "$(mem_of $DAEMON_PID)"
meta ondo_call_end_fds "$(ls /proc/$DAEMON_PID/fd 2>/dev/null | wc -l)"
stop_pid $UAS_PID "SIPp UAS" USR1     # USR1: SIPp ends, writing its screen
UAS_PID=""
stop_pid $DAEMON_PID ondo
meta ondo_call_exit "$?"
meta ondo_call_stop_secs "$STOP_SECS"
errors_of "$W/ondo_call.log" ondo_call

# ======================= 3. Kamailio anchor ===============================
if [ "$KAM" = 1 ]; then
	sed "s|@PORT@|$SIP_PORT|g; s|@DIR@|$W|g" "$BENCH/kamailio.cfg.in" > "$W/kamailio.cfg"
	start_kam() {    # $1 = log
		taskset -c 1 kamailio -DD -E -f "$W/kamailio.cfg" -m 1024 -M 32 \
			-P "$W/kamailio.pid" > "$1" 2>&1 &
		KAM_PID=$!
		track $KAM_PID
		local n
		for n in $(seq 50); do
			awk -v p="$(printf ':%04X$' $SIP_PORT)" '$2 ~ p {f=1} END {exit !f}' \
				/proc/net/udp && break
			kill -0 $KAM_PID 2>/dev/null || break
			sleep 0.2
		done
		sleep 1
		kill -0 $KAM_PID 2>/dev/null || { cat "$1" >&2; die "kamailio did not start"; }
	}
	meta kamailio "$(kamailio -v 2>/dev/null | head -1)"
	log "kamailio: REGISTER ramp ($KAM_REG_RATES)"
	start_kam "$W/kam_reg.log"
	ramp kam_reg $KAM_PID 0 3 "$KAM_REG_RATES" -- 127.0.0.1:$SIP_PORT \
		-sf "$BENCH/scenarios/reg_auth_uac.xml" -inf "$W/users.csv" \
		-p $UAC_PORT $SIPP_COMMON
	stop_pid $KAM_PID kamailio
	errors_of "$W/kam_reg.log" kam_reg 'ERROR|WARNING|CRITICAL|ALERT'

	log "kamailio: call ramp ($KAM_CALL_RATES)"
	start_kam "$W/kam_call.log"
	run_tracked timeout 120 taskset -c 0 sipp 127.0.0.1:$SIP_PORT \
		-sf "$BENCH/scenarios/reg_auth_uac.xml" -inf "$W/callees.csv" \
		-p $UAS_PORT $SIPP_COMMON -m "$PAIRS" -r 1000 -nostdin \
		> "$W/logs/kam_callee_reg.txt" 2>&1 \
		|| die "registering the callees with kamailio failed"
	start_uas kam_call
	ramp kam_call $KAM_PID $HOLD_MS 3 "$KAM_CALL_RATES" -- 127.0.0.1:$SIP_PORT \
		-sf "$BENCH/scenarios/call_auth_uac.xml" -inf "$W/calls.csv" \
		-p $UAC_PORT $SIPP_COMMON -d "$HOLD_MS" -default_behaviors bye,pingreply
	stop_pid $UAS_PID "SIPp UAS" USR1     # USR1: SIPp ends, writing its screen
	UAS_PID=""
	stop_pid $KAM_PID kamailio
	errors_of "$W/kam_call.log" kam_call 'ERROR|WARNING|CRITICAL|ALERT'
fi

meta elapsed_s "$(( $(date +%s) - T0 ))"
python3 "$BENCH/report.py" "$W" "$RESULTS" || die "report.py failed (data in $W)"
log "done: results appended to $RESULTS"

# ======================= 4. media (bench/media.sh) ========================
if [ "$STAGE" = all ]; then
	log "media stage: bench/media.sh"
	BENCH_MEDIA_CMDLINE="$CMDLINE" BENCH_RESULTS="$RESULTS" run_tracked "$BENCH/media.sh" \
		|| echo "run.sh: the media stage failed" >&2
	# ======================= 5. conference (bench/conf.sh) ================
	log "conference stage: bench/conf.sh"
	BENCH_CONF_CMDLINE="$CMDLINE" BENCH_RESULTS="$RESULTS" run_tracked "$BENCH/conf.sh" \
		|| echo "run.sh: the conference stage failed" >&2
fi
