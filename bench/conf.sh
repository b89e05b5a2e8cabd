#!/bin/bash
# bench/conf.sh - the conference mixer benchmark (issue 7): one room of 200
# members, 100 rooms of 4, PCMU and G.722, and a ramp to the most members
# one core mixes with the tick's p99.9 under 2.5 ms (half its 5 ms period)
# and loss under 0.1%;
# plus the floor of ../shared/anchors/microbench (codecbench, udpbench) in
# the same run. Prints the figures and appends a dated section to
# bench/RESULTS.md. Also run by `bench/run.sh conf` and `bench/run.sh`.
# See bench/README.md.
#
#   bench/conf.sh                 # about 5-6 minutes on a quiet machine
#
# Builds what it needs: `make bench/confbench` (the engine in-process,
# bench/confbench.c, linked with libondo_core.a; the tree must be
# configured), and with gcc into its temp dir bench/rtpgen.c, codecbench.c
# and udpbench.c (compiled from where they are: their headers grant no
# licence to copy them here). The engine (1 media worker) runs on CPU 1,
# the load generator on CPU 0, loopback only; every process it starts is
# killed by PID on any exit.
#
# Environment (all optional):
#   BENCH_CONF_SCENARIOS=a,b,ramp   a: one room of 200; b: 100 rooms of 4;
#                                   ramp: rooms of BENCH_CONF_RAMP_ROOM
#   BENCH_CONF_SECS=20         measurement window of a and b (1000 ticks)
#   BENCH_CONF_WARM=3          seconds between joining and the window
#   BENCH_CONF_RAMP_SECS=8     window of a ramp step
#   BENCH_CONF_RAMP_WARM=2     seconds between a step's joins and its window
#   BENCH_CONF_PCMU_STEPS="400 800 1000 1200 1400 1600 1800 2000 2400 3000"
#   BENCH_CONF_G722_STEPS="100 200 240 280 320 360 400 480 600"
#   BENCH_CONF_RAMP_ROOM=4     members per room in the ramp (3 talk)
#   BENCH_CONF_MAX_STEPS=12    hard cap on the steps of one ramp
#   BENCH_CONF_TICK_LIMIT_MS=2.5 a step passes with tick p99.9 below this: half
#                              of the 5 ms between a worker's ticks (it runs
#                              a quarter of its channels every 5 ms)
#   BENCH_CONF_LOSS_LIMIT=0.1    and loss below this (%)
#   BENCH_CONF_JOIN_SPREAD=2   seconds over which each batch of members
#                              joins (RTCP and the like then fall on
#                              different ticks, as with real callers)
#   BENCH_CONF_MAX_OTHER=10    % of one core other processes may use in a
#                              window: a noisier window is measured again
#                              (a and b: up to 3 windows; a failing ramp
#                              step: 3 instead of 2)
#   BENCH_CONF_QUIET_WAIT=60   seconds to wait before each window for a
#                              second that quiet (then it starts anyway)
#   BENCH_CONF_PORTS=16000-31999 the engine's RTP ports (2 per member)
#   BENCH_CONF_PERF_SECS=4     perf profile of the engine after each window
#                              of a and b and each passing ramp step (0: none)
#   BENCH_CONF_MAX_SECONDS=900 time budget: later steps are skipped
#   BENCH_CONF_ANCHORS=../shared/anchors/microbench (codecbench.c, udpbench.c)
#   BENCH_KEEP=0               1: keep the temp dir (JSON lines, logs, perf)
#   BENCH_RESULTS=bench/RESULTS.md  (none: print the section, append nothing)
set -u

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
SCENARIOS=${BENCH_CONF_SCENARIOS:-a,b,ramp}
SECS=${BENCH_CONF_SECS:-20}
WARM=${BENCH_CONF_WARM:-3}
RAMP_SECS=${BENCH_CONF_RAMP_SECS:-8}
RAMP_WARM=${BENCH_CONF_RAMP_WARM:-2}
PCMU_STEPS=${BENCH_CONF_PCMU_STEPS:-"400 800 1000 1200 1400 1600 1800 2000 2400 3000"}
G722_STEPS=${BENCH_CONF_G722_STEPS:-"100 200 240 280 320 360 400 480 600"}
RAMP_ROOM=${BENCH_CONF_RAMP_ROOM:-4}
MAX_STEPS=${BENCH_CONF_MAX_STEPS:-12}
TICK_LIMIT=${BENCH_CONF_TICK_LIMIT_MS:-2.5}
LOSS_LIMIT=${BENCH_CONF_LOSS_LIMIT:-0.1}
JOIN_SPREAD=${BENCH_CONF_JOIN_SPREAD:-2}
MAX_OTHER=${BENCH_CONF_MAX_OTHER:-10}
QUIET_WAIT=${BENCH_CONF_QUIET_WAIT:-60}
PORTS=${BENCH_CONF_PORTS:-16000-31999}
PERF_SECS=${BENCH_CONF_PERF_SECS:-4}
MAX_SECONDS=${BENCH_CONF_MAX_SECONDS:-900}
ANCHORS=${BENCH_CONF_ANCHORS:-$ROOT/../shared/anchors/microbench}
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
T0=$(date +%s)
CMDLINE="${BENCH_CONF_CMDLINE:-$0${*:+ $*}}"
for v in BENCH_CONF_SCENARIOS BENCH_CONF_SECS BENCH_CONF_WARM BENCH_CONF_RAMP_SECS \
	 BENCH_CONF_RAMP_WARM BENCH_CONF_PCMU_STEPS BENCH_CONF_G722_STEPS \
	 BENCH_CONF_RAMP_ROOM BENCH_CONF_MAX_STEPS BENCH_CONF_TICK_LIMIT_MS \
	 BENCH_CONF_LOSS_LIMIT BENCH_CONF_JOIN_SPREAD BENCH_CONF_MAX_OTHER BENCH_CONF_QUIET_WAIT \
	 BENCH_CONF_PORTS BENCH_CONF_PERF_SECS \
	 BENCH_CONF_MAX_SECONDS BENCH_CONF_ANCHORS; do
	[ -n "${!v+x}" ] && [[ "$CMDLINE" != *"$v="* ]] && CMDLINE="$v=\"${!v}\" $CMDLINE"
done

die() { echo "conf.sh: $*" >&2; exit 1; }
for b in taskset python3 gcc make; do
	command -v $b >/dev/null || die "$b not found"
done
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (engine on CPU 1, load on CPU 0)"
[ -f "$ROOT/Makefile" ] || die "configure the tree first: ./autogen.sh && ./configure"

W=$(mktemp -d /tmp/ondo-conf.XXXXXX)
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
log() { echo "[conf $(( $(date +%s) - T0 ))s] $*"; }
META=$W/meta.txt
: > "$META"
meta() { echo "$1=$2" >> "$META"; }
mkdir -p "$W/bin" "$W/logs"

# ---- build ----
log "building bench/confbench (make), rtpgen, codecbench, udpbench"
make -C "$ROOT" -j2 bench/confbench > "$W/logs/make.txt" 2>&1 \
	|| { tail -30 "$W/logs/make.txt" >&2; die "make bench/confbench failed"; }
cp "$ROOT/bench/confbench" "$W/bin/"
gcc -O2 -o "$W/bin/rtpgen" "$BENCH/rtpgen.c" -lspandsp -lm 2> "$W/logs/rtpgen_build.txt" \
	|| { cat "$W/logs/rtpgen_build.txt" >&2; die "building rtpgen failed (needs libspandsp-dev)"; }
for a in codecbench udpbench; do
	if [ -f "$ANCHORS/$a.c" ]; then
		gcc -O2 -o "$W/bin/$a" "$ANCHORS/$a.c" -lspandsp -lm 2> "$W/logs/${a}_build.txt" \
			|| { cat "$W/logs/${a}_build.txt" >&2; die "building $ANCHORS/$a.c failed"; }
		meta "${a}_src" "$(cd "$ANCHORS" && pwd)/$a.c"
	else
		meta "${a}_src" "not found: $ANCHORS/$a.c"
	fi
done

# ---- free ports: generator A (RTP, RTCP), B (RTP, RTCP), udpbench in, sink ----
BASE=$(python3 "$BENCH/free_ports.py" 6 --udp) || BASE=
[ -n "${BASE:-}" ] || die "no free port found"
GEN_A=$BASE
GEN_B=$((BASE + 2))
UB_IN=$((BASE + 4))
UB_SINK=$((BASE + 5))

git_rev=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
git_dirty=$(cd "$ROOT" && git status --porcelain --untracked-files=no 2>/dev/null | wc -l)
meta git "$git_rev"
meta git_dirty_files "$git_dirty"
meta confbench_sha256 "$(sha256sum "$W/bin/confbench" | cut -c1-16)"
meta command "$CMDLINE"
meta started "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta secs "$SECS"
meta warm "$WARM"
meta ramp_secs "$RAMP_SECS"
meta ramp_warm "$RAMP_WARM"
meta ramp_room "$RAMP_ROOM"
meta tick_limit_ms "$TICK_LIMIT"
meta loss_limit_pct "$LOSS_LIMIT"
meta ports "$PORTS"
meta join_spread "$JOIN_SPREAD"
meta max_other "$MAX_OTHER"
meta quiet_wait "$QUIET_WAIT"
meta perf_secs "$PERF_SECS"
meta idle_check "$(python3 -c '
import os, sys, time
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from run_step import all_ticks
a = all_ticks(); time.sleep(3); b = all_ticks()
t = sum(v - a.get(p, 0) for p, v in b.items() if p != os.getpid() and v >= a.get(p, 0))
print("other processes used %.0f%% of one core over 3 s" % (100.0 * t / os.sysconf("SC_CLK_TCK") / 3))' "$BENCH")"
log "before the run: $(tail -1 "$META" | cut -d= -f2-)"
if [ "$PERF_SECS" != 0 ] && ! perf stat -e cpu-clock true > /dev/null 2>&1; then
	meta perf "not usable"
	PERF_SECS=0
elif [ "$PERF_SECS" != 0 ]; then
	meta perf "$(perf version 2>/dev/null)"
fi

# ---- the floor, on the engine's CPU ----
if [ -x "$W/bin/codecbench" ]; then
	log "codecbench (CPU 1)"
	taskset -c 1 "$W/bin/codecbench" > "$W/codecbench.txt" 2>&1 &
	p=$!; track $p; wait $p; untrack $p
	cat "$W/codecbench.txt"
fi
if [ -x "$W/bin/udpbench" ]; then
	# gen (CPU 0, sendmmsg at full speed) -> relay (CPU 1, recvfrom +
	# sendto per packet, as the engine) -> sink (CPU 0): packet I/O per
	# packet of one socket pair, 172-byte packets
	log "udpbench relay plain (CPU 1)"
	taskset -c 0 "$W/bin/udpbench" sink $UB_SINK 7 > "$W/logs/udpbench_sink.txt" 2>&1 &
	sp=$!; track $sp
	taskset -c 1 "$W/bin/udpbench" relay $UB_IN $UB_SINK 6 plain > "$W/udpbench.txt" 2>&1 &
	rp=$!; track $rp
	sleep 0.3
	taskset -c 0 "$W/bin/udpbench" gen $UB_IN 5 172 16 > "$W/logs/udpbench_gen.txt" 2>&1 &
	gp=$!; track $gp
	for p in $gp $rp $sp; do wait $p; untrack $p; done
	cat "$W/udpbench.txt"
fi

# ---- the engine (CPU 1) and the generator (CPU 0), over two FIFOs ----
mkfifo "$W/gen.in" "$W/gen.out"
taskset -c 0 "$W/bin/rtpgen" $GEN_A $GEN_B $(( MAX_SECONDS + 120 )) \
	< "$W/gen.in" > "$W/gen.out" 2> "$W/logs/rtpgen.txt" &
GEN_PID=$!
track $GEN_PID
log "engine on CPU 1, generator (pid $GEN_PID) on CPU 0, ports $GEN_A/$GEN_B; scenarios $SCENARIOS"
taskset -c 1 "$W/bin/confbench" --gen-in "$W/gen.in" --gen-out "$W/gen.out" \
	--gen-ports "$GEN_A $GEN_B" --gen-pid $GEN_PID --ports "$PORTS" \
	--secs "$SECS" --warm "$WARM" --ramp-secs "$RAMP_SECS" --ramp-warm "$RAMP_WARM" \
	--pcmu-steps "$PCMU_STEPS" --g722-steps "$G722_STEPS" --ramp-room "$RAMP_ROOM" \
	--max-steps "$MAX_STEPS" --tick-limit-ms "$TICK_LIMIT" --loss-limit "$LOSS_LIMIT" \
	--scenarios "$SCENARIOS" --max-seconds $(( MAX_SECONDS - ($(date +%s) - T0) - 30 )) \
	--perf-secs "$PERF_SECS" --perf-dir "$W" --perf-cpu 0 \
	--max-other "$MAX_OTHER" --quiet-wait "$QUIET_WAIT" --join-spread "$JOIN_SPREAD" \
	> "$W/conf.jsonl" 2> >(tee "$W/logs/confbench.txt" >&2) &
CB_PID=$!
track $CB_PID
wait $CB_PID
rc=$?
untrack $CB_PID
[ $rc -eq 0 ] || echo "confbench exited with status $rc (see its log)" >> "$W/problems.txt"
for n in $(seq 20); do kill -0 $GEN_PID 2>/dev/null || break; sleep 0.1; done
kill -TERM $GEN_PID 2>/dev/null
wait $GEN_PID 2>/dev/null
untrack $GEN_PID

# ---- profiles: the last one of each name ----
python3 - "$W" <<'EOF' > "$W/profiles.txt"
import json, sys
last = {}
for l in open(sys.argv[1] + '/conf.jsonl'):
    d = json.loads(l)
    if 'profile' in d:
        last[d['name']] = d['profile']
for name, path in last.items():
    print(name, path)
EOF
while read -r name data; do
	[ -f "$data" ] || continue
	perf report -i "$data" --stdio --children --sort sym -g none --percent-limit 2 \
		> "$W/perf_${name}_children.txt" 2> /dev/null
	perf report -i "$data" --stdio --no-children --sort dso,sym -g none --percent-limit 1 \
		> "$W/perf_${name}_self.txt" 2> /dev/null
	rm -f "$data" "$data.old"
done < "$W/profiles.txt"

meta elapsed_s "$(( $(date +%s) - T0 ))"
python3 "$BENCH/conf_report.py" "$W" "$RESULTS" || die "conf_report.py failed (data in $W)"
[ "$RESULTS" = none ] || log "done: results appended to $RESULTS"
