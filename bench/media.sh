#!/bin/bash
# bench/media.sh - the media benchmarks of Ondo PBX: relayed calls (raw RTP
# relay, no decode) and transcoded calls (G.722 <-> PCMU through a `dial`
# route) per core, plus the UDP relay floor of
# ../shared/anchors/microbench/udpbench.c. Appends a dated section to
# bench/RESULTS.md. Also run by `bench/run.sh` (stage "media") and alone by
# `bench/run.sh media`. See bench/README.md.
#
# It builds only the load generator (bench/rtpgen.c) and udpbench, with gcc,
# into its temp dir; the daemon must be built (`make -j2 ondo ondoctl`).
# Daemon on CPU 1 (taskset), driver + RTP generator on CPU 0, loopback only;
# every process it starts is killed by PID on any exit.
#
# Environment (all optional):
#   BENCH_MEDIA_RELAY_STEPS="100 200 400 800 1200 1600 1800 2000 2200 2400 2800"
#   BENCH_MEDIA_TRANSCODE_STEPS="50 100 200 300 350 400 450 500 600"
#   BENCH_MEDIA_SECS=10        measurement window per step
#   BENCH_MEDIA_SETTLE=3       seconds between the last new call and the window
#   BENCH_MEDIA_RATE=200       call set-ups per second while ramping
#   BENCH_MEDIA_PERF_SECS=4    perf profile of the daemon after clean steps
#                              above 20% CPU (0: none; skipped if perf fails)
#   BENCH_MEDIA_MAX_SECONDS=900  time budget of the whole stage
#   BENCH_MEDIA_RTP_PORTS=16000-31999  the daemon's [rtp] ports (4 per call)
#   BENCH_MEDIA_UDPBENCH=../shared/anchors/microbench/udpbench.c (none: skip)
#   BENCH_RTP_WORKERS=1        [rtp] workers of the daemon
#   BENCH_ONDO=./ondo          the daemon binary to measure (A/B comparisons);
#                              ondoctl is taken from the same directory
#   BENCH_KEEP=0               1: keep the temp dir (logs, perf reports)
#   BENCH_RESULTS=bench/RESULTS.md
set -u

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
RELAY_STEPS=${BENCH_MEDIA_RELAY_STEPS:-"100 200 400 800 1200 1600 1800 2000 2200 2400 2800"}
TRANS_STEPS=${BENCH_MEDIA_TRANSCODE_STEPS:-"50 100 200 300 350 400 450 500 600"}
SECS=${BENCH_MEDIA_SECS:-10}
SETTLE=${BENCH_MEDIA_SETTLE:-3}
RATE=${BENCH_MEDIA_RATE:-200}
PERF_SECS=${BENCH_MEDIA_PERF_SECS:-4}
MAX_SECONDS=${BENCH_MEDIA_MAX_SECONDS:-900}
RTP_PORTS=${BENCH_MEDIA_RTP_PORTS:-16000-31999}
UDPBENCH=${BENCH_MEDIA_UDPBENCH:-$ROOT/../shared/anchors/microbench/udpbench.c}
RTP_WORKERS=${BENCH_RTP_WORKERS:-1}
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
ONDO_BIN=${BENCH_ONDO:-$ROOT/ondo}
DOMAIN=bench.test
T0=$(date +%s)
# the command as typed (run.sh passes its own, with its variables)
CMDLINE="${BENCH_MEDIA_CMDLINE:-$0${*:+ $*}}"
for v in BENCH_MEDIA_RELAY_STEPS BENCH_MEDIA_TRANSCODE_STEPS BENCH_MEDIA_SECS \
	 BENCH_MEDIA_SETTLE BENCH_MEDIA_RATE BENCH_MEDIA_PERF_SECS BENCH_MEDIA_MAX_SECONDS \
	 BENCH_MEDIA_RTP_PORTS BENCH_MEDIA_UDPBENCH BENCH_RTP_WORKERS BENCH_ONDO; do
	[ -n "${!v+x}" ] && [[ "$CMDLINE" != *"$v="* ]] && CMDLINE="$v=\"${!v}\" $CMDLINE"
done

die() { echo "media.sh: $*" >&2; exit 1; }
for b in taskset python3 sqlite3 gcc; do
	command -v $b >/dev/null || die "$b not found"
done
[ -x "$ONDO_BIN" ] && [ -x "$(dirname "$ONDO_BIN")/ondoctl" ] || die "build first: make -j2 ondo ondoctl"
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (daemon on CPU 1, load on CPU 0)"

max_of() { echo "$*" | tr ' ' '\n' | sort -n | tail -1; }
PAIRS=$(max_of $RELAY_STEPS $TRANS_STEPS)
RTP_LO=${RTP_PORTS%-*}
RTP_HI=${RTP_PORTS#*-}
[ $(( (RTP_HI - RTP_LO + 1) / 4 )) -ge "$PAIRS" ] \
	|| die "BENCH_MEDIA_RTP_PORTS=$RTP_PORTS has room for $(( (RTP_HI - RTP_LO + 1) / 4 )) calls, steps need $PAIRS"
[ "$(ulimit -n)" -ge $(( PAIRS * 4 + 200 )) ] || ulimit -n $(( PAIRS * 4 + 200 )) 2>/dev/null \
	|| die "ulimit -n $(ulimit -n) is too low for $PAIRS calls (4 sockets each)"

W=$(mktemp -d /tmp/ondo-media.XXXXXX)
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
run_tracked() {
	"$@" &
	local p=$! rc
	track $p
	wait $p
	rc=$?
	untrack $p
	return $rc
}
log() { echo "[media $(( $(date +%s) - T0 ))s] $*"; }

# ---- 8 free ports: SIP, HTTP, generator A (RTP+RTCP), B (RTP+RTCP), udpbench relay in, sink
BASE=$(python3 "$BENCH/free_ports.py" 8) || BASE=
[ -n "${BASE:-}" ] || die "no free port found"
SIP_PORT=$BASE
HTTP_PORT=$((BASE + 1))
GEN_A=$((BASE + 2))
GEN_B=$((BASE + 4))
UB_IN=$((BASE + 6))
UB_SINK=$((BASE + 7))

mkdir -p "$W/bin" "$W/logs"
cp "$ONDO_BIN" "$(dirname "$ONDO_BIN")/ondoctl" "$W/bin/"
gcc -O2 -o "$W/bin/rtpgen" "$BENCH/rtpgen.c" -lspandsp -lm 2> "$W/logs/rtpgen_build.txt" \
	|| { cat "$W/logs/rtpgen_build.txt" >&2; die "building rtpgen failed (needs libspandsp-dev)"; }
CONF=$W/ondo.conf
DB=$W/ondo.db
cat > "$CONF" <<EOF
[sip]
listen = 127.0.0.1:$SIP_PORT
default_tenant = $DOMAIN
[rtp]
ports = $RTP_PORTS
workers = $RTP_WORKERS
[db]
path = $DB
[spool]
dir = $W/spool
[ctl]
socket = $W/ondo.sock
[log]
level = warn
[http]
listen = 127.0.0.1:$HTTP_PORT
[security]
; The load generator is one address sending thousands of requests a
; second: the flood limits would measure themselves (docs/security.md).
req_rate = 0
invite_rate = 0
EOF
ONDOCTL="$W/bin/ondoctl -c $CONF"
STEPS=$W/media_steps.jsonl
META=$W/media_meta.txt
: > "$STEPS"
: > "$META"
meta() { echo "$1=$2" >> "$META"; }

log "work dir $W, SIP port $SIP_PORT, generator ports $GEN_A/$GEN_B, $PAIRS call pairs"
python3 "$BENCH/make_users.py" "$W/bin/ondoctl" "$CONF" "$DB" "$W" "$DOMAIN" \
	$(( PAIRS * 2 )) "$PAIRS" > "$W/logs/make_users.txt" || die "make_users.py failed"
# transcoded calls: 7 + the callee's 6-digit extension runs the dial app
$ONDOCTL route add $DOMAIN _7XXXXXX dial '${EXTEN:1}' > "$W/logs/route.txt" 2>&1 \
	|| { cat "$W/logs/route.txt" >&2; die "route add failed"; }

git_rev=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
git_dirty=$(cd "$ROOT" && git status --porcelain --untracked-files=no 2>/dev/null | wc -l)
meta git "$git_rev"
meta git_dirty_files "$git_dirty"
meta ondo_sha256 "$(sha256sum "$W/bin/ondo" | cut -c1-16)"
meta ondo_built "$(date -u -r "$ONDO_BIN" '+%Y-%m-%d %H:%M UTC')"
meta pairs "$PAIRS"
meta secs "$SECS"
meta settle "$SETTLE"
meta rate "$RATE"
meta rtp_workers "$RTP_WORKERS"
meta rtp_ports "$RTP_PORTS"
meta perf_secs "$PERF_SECS"
meta command "$CMDLINE"
meta started "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta idle_check "$(python3 -c '
import os, sys, time
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from run_step import all_ticks
a = all_ticks(); time.sleep(3); b = all_ticks()
t = sum(v - a.get(p, 0) for p, v in b.items() if p != os.getpid() and v >= a.get(p, 0))
print("other processes used %.0f%% of one core over 3 s" % (100.0 * t / os.sysconf("SC_CLK_TCK") / 3))' "$BENCH")"
log "before the run: $(tail -1 "$META" | cut -d= -f2-)"
if perf stat -e cpu-clock true > /dev/null 2>&1; then
	meta perf "$(perf version 2>/dev/null); hardware counters: $(perf stat -e instructions true 2>&1 \
		| grep -q 'not supported' && echo 'not supported (VM), profiles use the cpu-clock software event' || echo yes)"
else
	meta perf "not usable"
	PERF_SECS=0
fi

# ---- the UDP relay floor (shared/anchors/microbench/udpbench.c) ----
# gen (CPU 0, sendmmsg at full speed) -> relay (CPU 1) -> sink (CPU 0): the
# relay's packets/s and CPU per packet, 172-byte packets, one socket pair.
if [ -f "$UDPBENCH" ] && gcc -O2 -o "$W/bin/udpbench" "$UDPBENCH" 2> "$W/logs/udpbench_build.txt"; then
	meta udpbench_src "$(cd "$(dirname "$UDPBENCH")" && pwd)/$(basename "$UDPBENCH")"
	for mode in plain mmsg; do
		taskset -c 0 "$W/bin/udpbench" sink $UB_SINK 7 > "$W/logs/udpbench_${mode}_sink.txt" 2>&1 &
		sp=$!; track $sp
		taskset -c 1 "$W/bin/udpbench" relay $UB_IN $UB_SINK 6 $mode > "$W/logs/udpbench_${mode}_relay.txt" 2>&1 &
		rp=$!; track $rp
		sleep 0.3
		taskset -c 0 "$W/bin/udpbench" gen $UB_IN 5 172 16 > "$W/logs/udpbench_${mode}_gen.txt" 2>&1 &
		gp=$!; track $gp
		for p in $gp $rp $sp; do wait $p; untrack $p; done
		meta "udpbench_${mode}" "$(cat "$W/logs/udpbench_${mode}_relay.txt")"
		meta "udpbench_${mode}_sink" "$(cat "$W/logs/udpbench_${mode}_sink.txt")"
		log "udpbench relay $mode: $(cat "$W/logs/udpbench_${mode}_relay.txt")"
	done
else
	meta udpbench_src "not found or not built: $UDPBENCH"
	log "udpbench skipped ($UDPBENCH)"
fi

DAEMON_PID=""
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
stop_ondo() {
	local p=$DAEMON_PID n
	kill -TERM "$p" 2>/dev/null
	for n in $(seq 150); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$p" 2>/dev/null; then
		echo "ondo did not stop within 15 s of SIGTERM; killed" >> "$W/problems.txt"
		kill -KILL "$p" 2>/dev/null
	fi
	wait "$p" 2>/dev/null
	local rc=$?
	untrack "$p"
	DAEMON_PID=""
	return $rc
}
mem_of() { awk '/^(VmRSS|VmHWM|Threads):/ {sub(":", "", $1); printf "%s=%s ", $1, $2}' "/proc/$1/status" 2>/dev/null; }

ramp() {   # $1 = relay|transcode, $2 = steps, $3 = seconds allowed
	local mode=$1
	sqlite3 "$DB" 'DELETE FROM registrations'
	start_ondo "$W/ondo_$mode.log"
	meta "${mode}_start" "$(mem_of $DAEMON_PID) fds=$(ls /proc/$DAEMON_PID/fd | wc -l)"
	log "$mode ramp ($2), up to $3 s"
	run_tracked taskset -c 0 python3 "$BENCH/media_ramp.py" --mode "$mode" \
		--sip-port "$SIP_PORT" --domain "$DOMAIN" --calls-csv "$W/calls.csv" \
		--server-pid "$DAEMON_PID" --gen "$W/bin/rtpgen" --gen-ports "$GEN_A" "$GEN_B" \
		--rtp-range "$RTP_PORTS" --rtp-workers "$RTP_WORKERS" --steps "$2" \
		--secs "$SECS" --settle "$SETTLE" --rate "$RATE" --prefix 7 \
		--ondoctl "$ONDOCTL calls" --perf-secs "$PERF_SECS" --max-seconds "$3" \
		--out "$STEPS" --logdir "$W/logs" > >(tee "$W/logs/${mode}_driver.txt") 2>&1 \
		|| echo "$mode: media_ramp.py failed (see logs/${mode}_driver.txt)" >> "$W/problems.txt"
	$ONDOCTL calls > "$W/logs/${mode}_calls_at_end.txt" 2>&1
	if kill -0 "$DAEMON_PID" 2>/dev/null; then
		meta "${mode}_end" "$(mem_of $DAEMON_PID) fds=$(ls /proc/$DAEMON_PID/fd | wc -l)"
		stop_ondo
		meta "${mode}_exit" "$?"
	else
		wait "$DAEMON_PID" 2>/dev/null
		meta "${mode}_exit" "died: $?"
		echo "$mode: the daemon died during the ramp (exit status in meta)" >> "$W/problems.txt"
		untrack "$DAEMON_PID"
		DAEMON_PID=""
	fi
	local n
	# the ready line is printed at any log level: not a problem
	grep -av ' INFO main ready: ' "$W/ondo_$mode.log" > "$W/ondo_$mode.log.filtered"
	mv "$W/ondo_$mode.log.filtered" "$W/ondo_$mode.log"
	n=$(grep -ac . "$W/ondo_$mode.log")
	meta "${mode}_log_lines" "$n"
	if [ "$n" -gt 0 ]; then
		cp "$W/ondo_$mode.log" "$W/logs/"
		sed -E "s/'[^']*'/'…'/g; s/[0-9a-f-]{16,}//g; s/[0-9]+/N/g" "$W/ondo_$mode.log" \
			| sort | uniq -c | sort -rn | head -15 > "$W/${mode}_log_summary.txt"
	fi
}

left() { echo $(( MAX_SECONDS - ($(date +%s) - T0) - 20 )); }
ramp relay "$RELAY_STEPS" $(( $(left) / 2 ))
ramp transcode "$TRANS_STEPS" "$(left)"

meta elapsed_s "$(( $(date +%s) - T0 ))"
python3 "$BENCH/media_report.py" "$W" "$RESULTS" || die "media_report.py failed (data in $W)"
log "done: results appended to $RESULTS"
