#!/bin/bash
# bench/mem.sh - memory per registration and per active relayed call
# (issue 10, item 4), measured as the daemon's own heap in use
# (`ondoctl status`: malloc's count, which falls when memory is freed)
# and as RSS, after the SIP transactions of each phase have ended.
#
#   make -j2 ondo ondoctl && bench/mem.sh      # about 4 minutes
#
# 1. BENCH_MEM_USERS (200000) extensions in SQLite; all but the callees
#    register (SIPp, digest, BENCH_MEM_REG_RATE 3000/s, Expires 3600);
#    40 s later (sofia keeps a REGISTER's transaction 32 s) the heap and
#    RSS growth divided by the registrations is the figure.
# 2. BENCH_MEM_CALLS (1000) callees register from a SIPp UAS, then as
#    many authenticated calls are set up (BENCH_MEM_CALL_RATE 200/s) and
#    held; the PBX anchors their media (4 RTP ports each; no RTP flows,
#    the relay keeps no per-packet buffers). 40 s after the last set-up
#    the growth divided by the calls is the figure.
# Daemon on CPU 1, SIPp on CPU 0, loopback; every process started is
# killed by PID on exit. Appends a section to BENCH_RESULTS
# (bench/RESULTS.md).
set -u
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
USERS=${BENCH_MEM_USERS:-200000}
CALLS=${BENCH_MEM_CALLS:-1000}
REG_RATE=${BENCH_MEM_REG_RATE:-3000}
CALL_RATE=${BENCH_MEM_CALL_RATE:-200}
SETTLE=${BENCH_MEM_SETTLE:-40}
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
DOMAIN=bench.test
T0=$(date +%s)

die() { echo "mem.sh: $*" >&2; exit 1; }
log() { echo "[$(($(date +%s) - T0))s] $*"; }
for b in sipp taskset python3 sqlite3; do
	command -v $b >/dev/null || die "$b not found (apt-get install sip-tester sqlite3)"
done
[ -x "$ROOT/ondo" ] && [ -x "$ROOT/ondoctl" ] || die "build first: make -j2 ondo ondoctl"

W=$(mktemp -d /tmp/ondo-mem.XXXXXX)
PIDS=""
cleanup() {
	trap - EXIT
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
	sleep 1
	for p in $PIDS; do kill -KILL "$p" 2>/dev/null; done
	[ "${BENCH_KEEP:-0}" = 1 ] && echo "logs kept in $W" || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

B=$(python3 "$BENCH/free_ports.py" 4) || die "no free port found"
SIP_PORT=$B UAC_PORT=$((B + 1)) UAS_PORT=$((B + 2)) HTTP_PORT=$((B + 3))
mkdir -p "$W/bin"
cp "$ROOT/ondo" "$ROOT/ondoctl" "$W/bin/"
CONF=$W/ondo.conf
"$BENCH/ondo_conf.sh" "$W" "$SIP_PORT" "$HTTP_PORT" 1 "$DOMAIN" >"$CONF"
ONDOCTL="$W/bin/ondoctl -c $CONF"
log "work dir $W: $USERS users, $CALLS calls"
python3 "$BENCH/make_users.py" "$W/bin/ondoctl" "$CONF" "$W/ondo.db" "$W" \
	"$DOMAIN" "$USERS" "$CALLS" >/dev/null || die "make_users.py failed"

taskset -c 1 "$W/bin/ondo" -c "$CONF" 2>"$W/ondo.log" &
DAEMON=$!
PIDS="$PIDS $DAEMON"
for _ in $(seq 100); do
	grep -q "ready:" "$W/ondo.log" && break
	sleep 0.2
done
grep -q "ready:" "$W/ondo.log" || die "the daemon did not start: $(cat "$W/ondo.log")"

# stat KEY: one figure of `ondoctl status`.
stat() { $ONDOCTL status | awk -v k="$1" '$1 == k { print $2 }'; }
snap() { # NAME: heap, RSS, registrations, calls into $NAME_*
	local out
	out=$($ONDOCTL status) || die "ondoctl status failed"
	for k in heap_in_use_kb rss_kb registrations calls rtp_ports_in_use; do
		printf -v "${1}_$k" '%s' "$(awk -v k="$k" '$1 == k { print $2 }' <<<"$out")"
	done
}
SIPP="taskset -c 0 sipp 127.0.0.1:$SIP_PORT -i 127.0.0.1 -buff_size 4194304 -nostdin"
snap idle

NREG=$((USERS - CALLS))
log "registering $NREG users at $REG_RATE/s"
$SIPP -sf "$BENCH/scenarios/reg_auth_uac.xml" -inf "$W/users.csv" -p "$UAC_PORT" \
	-m "$NREG" -r "$REG_RATE" -trace_stat -stf "$W/reg.csv" >"$W/reg.out" 2>&1 &
P=$!; PIDS="$PIDS $P"
wait $P || log "SIPp REGISTER exit $? (see $W/reg.out)"
log "waiting $SETTLE s for the transactions to end"
sleep "$SETTLE"
snap regs
[ "$regs_registrations" -ge $((NREG * 99 / 100)) ] ||
	die "only $regs_registrations of $NREG registered"

log "registering $CALLS callees, then $CALLS held calls at $CALL_RATE/s"
$SIPP -sf "$BENCH/scenarios/reg_auth_uac.xml" -inf "$W/callees.csv" -p "$UAS_PORT" \
	-m "$CALLS" -r 1000 >"$W/callee_reg.out" 2>&1 || die "callee registration failed"
sleep "$SETTLE"
snap before
taskset -c 0 sipp -sf "$BENCH/scenarios/call_uas.xml" -i 127.0.0.1 -p "$UAS_PORT" \
	-buff_size 4194304 -nostdin >/dev/null 2>&1 &
P=$!; PIDS="$PIDS $P"
$SIPP -sf "$BENCH/scenarios/call_auth_uac.xml" -inf "$W/calls.csv" -p "$UAC_PORT" \
	-m "$CALLS" -r "$CALL_RATE" -d 600000 -default_behaviors bye,pingreply \
	>"$W/calls.out" 2>&1 &
P=$!; PIDS="$PIDS $P"
for _ in $(seq 60); do
	[ "$(stat calls)" -ge "$CALLS" ] && break
	sleep 1
done
sleep "$SETTLE"
snap calls
[ "$calls_calls" -ge $((CALLS * 99 / 100)) ] || die "only $calls_calls of $CALLS calls are up"

per() { # DELTA_KB COUNT -> bytes each
	awk -v d="$1" -v n="$2" 'BEGIN { printf "%.0f", (n > 0 ? d * 1024 / n : 0) }'
}
reg_n=$((regs_registrations - idle_registrations))
reg_heap=$(per $((regs_heap_in_use_kb - idle_heap_in_use_kb)) $reg_n)
reg_rss=$(per $((regs_rss_kb - idle_rss_kb)) $reg_n)
call_n=$((calls_calls - before_calls))
call_heap=$(per $((calls_heap_in_use_kb - before_heap_in_use_kb)) $call_n)
call_rss=$(per $((calls_rss_kb - before_rss_kb)) $call_n)
log "per registration: heap $reg_heap B, RSS $reg_rss B ($reg_n registrations)"
log "per call: heap $call_heap B, RSS $call_rss B ($call_n calls, $calls_rtp_ports_in_use RTP ports)"

{
	echo
	dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | wc -l)
	echo "## $(date -u '+%Y-%m-%d %H:%M') UTC — memory per registration and per call, git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$([ "$dirty" -gt 0 ] && echo " (+$dirty modified files)")"
	echo
	echo "**Command:** \`bench/mem.sh\` (BENCH_MEM_USERS=$USERS, BENCH_MEM_CALLS=$CALLS;" \
		"whole run $(($(date +%s) - T0)) s). **Machine:** \`nproc\` = $(nproc)," \
		"$(awk '/MemTotal/ { printf "%d MB", $2 / 1024 }' /proc/meminfo) RAM," \
		"$(lscpu | sed -n 's/^Model name: *//p')."
	echo
	echo "Heap = malloc's bytes in use (\`ondoctl status\` heap_in_use_kb), after ${SETTLE} s without" \
		"load so that the phase's SIP transactions have ended; RSS for comparison."
	echo
	echo "| state | registrations | calls | RTP ports | heap in use KB | RSS KB |"
	echo "|---|---|---|---|---|---|"
	for s in idle regs before calls; do
		eval "echo \"| $s | \$${s}_registrations | \$${s}_calls | \$${s}_rtp_ports_in_use | \$${s}_heap_in_use_kb | \$${s}_rss_kb |\""
	done
	echo
	echo "| figure | heap | RSS | target | anchor |"
	echo "|---|---|---|---|---|"
	echo "| per registration ($reg_n) | $reg_heap B | $reg_rss B | under 1 KB | Kamailio about 1.1 KB |"
	echo "| per active relayed call ($call_n) | $call_heap B | $call_rss B | under 64 KB | a recent new PBX about 350 KB |"
} >>"$RESULTS"
log "appended to $RESULTS"
