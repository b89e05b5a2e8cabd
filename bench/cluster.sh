#!/bin/bash
# bench/cluster.sh - REGISTER and call rates through the Kamailio front
# (deploy/kamailio/ondo-front.cfg) with one and two Ondo nodes behind it,
# against one node direct; appends a dated section to bench/RESULTS.md.
# See bench/README.md, "Cluster".
#
#   bench/cluster.sh            # about 8-10 minutes
#
# Loopback only, one address per role: SIPp 127.0.0.1, front 127.0.0.2,
# node 1 127.0.0.3, node 2 127.0.0.4 (a node's [cluster] front must be an
# address only the front uses). Three stages, each a REGISTER ramp then a
# call ramp (the same scenarios as bench/run.sh):
#   direct   SIPp -> node 1                      (tenant t1.bench.test)
#   front1   SIPp -> front -> node 1
#   front2   SIPp -> front -> node 1 (t1) and node 2 (t2): one SIPp with a
#            CSV alternating the two domains, at twice the per-node rate
# Pinning (2 CPUs): the nodes on CPU 1 (both of them in front2, so they
# share it), SIPp and the front on CPU 0. The targets are judged per CPU:
# see the report.
#
# Environment (all optional):
#   BENCH_CL_USERS=10000     extensions per node (tenant)
#   BENCH_CL_PAIRS=2000      call pairs per node
#   BENCH_STEP_SECS=10       length of one load step
#   BENCH_CL_REG_RATES="1000 2000 3000 4000 6000"   per node
#   BENCH_CL_CALL_RATES="200 400 800 1200"     per node
#   BENCH_CL_STAGES="direct front1 front2"
#   BENCH_CL_CALLS=1         0: REGISTER ramps only
#   BENCH_CL_FRONT_SHM_MB=4096  the front's shared memory (kamailio -m); 1024
#                            ran out at 8000 REGISTER/s (tm keeps each
#                            transaction 5 s after its final reply)
#   BENCH_CL_FRONT_CPU=0 BENCH_CL_NODE_CPU=1   pinning (SIPp is on CPU 0)
#   BENCH_CL_FRONT_OPTS=""   more kamailio options (e.g. "-x tlsf": the shm
#                            allocator; the default qm took a third of the
#                            front's CPU in a profile, see NOTES.md)
#   BENCH_HOLD_MS=1000       call hold time
#   BENCH_MAX_SECONDS=600    time budget: steps that would end later are skipped
#   BENCH_KEEP=0             1: keep the temp dir (logs)
#   BENCH_RESULTS=bench/RESULTS.md ("-" or empty: print the report only)
set -u

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
USERS=${BENCH_CL_USERS:-10000}
PAIRS=${BENCH_CL_PAIRS:-2000}
SECS=${BENCH_STEP_SECS:-10}
REG_RATES=${BENCH_CL_REG_RATES:-"1000 2000 3000 4000 6000"}
CALL_RATES=${BENCH_CL_CALL_RATES:-"200 400 800 1200"}
STAGES=${BENCH_CL_STAGES:-"direct front1 front2"}
CALLS=${BENCH_CL_CALLS:-1}
HOLD_MS=${BENCH_HOLD_MS:-1000}
FRONT_SHM=${BENCH_CL_FRONT_SHM_MB:-4096}
FRONT_CPU=${BENCH_CL_FRONT_CPU:-0}
NODE_CPU=${BENCH_CL_NODE_CPU:-1}
FRONT_OPTS=${BENCH_CL_FRONT_OPTS:-}
MAX_SECONDS=${BENCH_MAX_SECONDS:-600}
RESULTS=${BENCH_RESULTS-$BENCH/RESULTS.md}
IP_SIPP=127.0.0.1 IP_FRONT=127.0.0.2 IP_N1=127.0.0.3 IP_N2=127.0.0.4
SECRET=bench-cluster-secret
T0=$(date +%s)
CMDLINE="$0${*:+ $*}"
for v in BENCH_CL_USERS BENCH_CL_PAIRS BENCH_STEP_SECS BENCH_CL_REG_RATES BENCH_CL_CALL_RATES \
	 BENCH_CL_STAGES BENCH_CL_CALLS BENCH_CL_FRONT_SHM_MB BENCH_CL_FRONT_CPU BENCH_CL_NODE_CPU BENCH_CL_FRONT_OPTS BENCH_HOLD_MS BENCH_MAX_SECONDS; do
	[ -n "${!v+x}" ] && CMDLINE="$v=\"${!v}\" $CMDLINE"
done

die() { echo "cluster.sh: $*" >&2; exit 1; }
for b in sipp taskset python3 sqlite3 curl kamailio; do
	command -v $b >/dev/null || die "$b not found"
done
[ -x "$ROOT/ondo" ] && [ -x "$ROOT/ondoctl" ] || die "build first: make -j2 ondo ondoctl"
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs"

W=$(mktemp -d /tmp/ondo-cluster.XXXXXX)
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
log() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

# ---- ports (distinct numbers, so that /proc/net/udp drops are per socket) ----
B=$(python3 "$BENCH/free_ports.py" 8) || die "no free port found"
P_FRONT=$B P_API=$((B + 1)) P_N1=$((B + 2)) P_N1H=$((B + 3))
P_N2=$((B + 4)) P_N2H=$((B + 5)) P_UAC=$((B + 6)) P_UAS=$((B + 7))
python3 - "$IP_FRONT" "$IP_N1" "$IP_N2" "$P_FRONT" "$P_N1" "$P_N2" <<'EOF' || die "cannot bind the 127.0.0.x addresses"
import socket, sys
ips, ports = sys.argv[1:4], sys.argv[4:7]
for ip, p in zip(ips, ports):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((ip, int(p))); s.close()
EOF

mkdir -p "$W/bin" "$W/logs" "$W/front" "$W/n1" "$W/n2"
cp "$ROOT/ondo" "$ROOT/ondoctl" "$W/bin/"
STEPS=$W/steps.jsonl
META=$W/meta.txt
: > "$STEPS"
: > "$META"
meta() { echo "$1=$2" >> "$META"; }
SIPP_COMMON="-i $IP_SIPP -buff_size 4194304 -recv_timeout 10000"

# ---- node configs: run.sh's, on the node's address, plus [cluster] ----
node_conf() {    # $1 = n, $2 = ip, $3 = sip port, $4 = http port, $5 = RTP ports
	"$BENCH/ondo_conf.sh" "$W/n$1" "$3" "$4" 1 "t$1.bench.test" \
		| sed "s/^listen = 127\.0\.0\.1:/listen = $2:/; s/^ports = 20000-40000/ports = $5/"
	cat <<EOC
[cluster]
front = $IP_FRONT
node = $1
api = http://$IP_FRONT:$P_API/ondo
api_secret = $SECRET
EOC
}
# run.sh's RTP range for both: each node binds its RTP ports on its own
# address (a half range each ran out at 1200 calls/s per node in overload)
node_conf 1 $IP_N1 $P_N1 $P_N1H 20000-40000 > "$W/n1/ondo.conf"
node_conf 2 $IP_N2 $P_N2 $P_N2H 20000-40000 > "$W/n2/ondo.conf"

# ---- the front: deploy/kamailio/ondo-front.cfg as it is, a local file ----
cp "$ROOT/deploy/kamailio/ondo-front.cfg" "$W/front/"
cat > "$W/front/ondo-front-local.cfg" <<EOC
listen=udp:$IP_FRONT:$P_FRONT
listen=tcp:$IP_FRONT:$P_FRONT
listen=tcp:$IP_FRONT:$P_API
#!substdef "!ONDO_API_PORT!$P_API!g"
#!substdef "!ONDO_API_SECRET!$SECRET!g"
#!substdef "!ONDO_DB!$W/front/front.db!g"
#!substdef "!ONDO_NODES!$W/front/nodes.list!g"
#!substdef "!ONDO_RUNDIR!$W/front!g"
EOC
printf '1 sip:%s:%s\n2 sip:%s:%s\n' $IP_N1 $P_N1 $IP_N2 $P_N2 > "$W/front/nodes.list"
sqlite3 "$W/front/front.db" \
	'CREATE TABLE IF NOT EXISTS tenant_nodes (domain TEXT PRIMARY KEY, node INTEGER NOT NULL)'
FRONT_PID=""
start_front() {
	taskset -c "$FRONT_CPU" kamailio -DD -E -f "$W/front/ondo-front.cfg" -Y "$W/front" \
		-m "$FRONT_SHM" -M 32 $FRONT_OPTS -P "$W/front/kamailio.pid" > "$W/front.log" 2>&1 &
	FRONT_PID=$!
	track $FRONT_PID
	local n
	for n in $(seq 50); do
		curl -s -m 1 -H "X-Ondo-Secret: $SECRET" "http://$IP_FRONT:$P_API/ondo/list" \
			>/dev/null 2>&1 && return 0
		kill -0 $FRONT_PID 2>/dev/null || break
		sleep 0.2
	done
	tail -30 "$W/front.log" >&2
	die "the front did not start"
}
# cluster_step.py reads the front's shared memory after each step
export CL_FRONT_CTL=$W/front/kamailio_ctl
meta front_shm_mb "$FRONT_SHM"
meta front_opts "$FRONT_OPTS"
meta pinning "front CPU $FRONT_CPU, nodes CPU $NODE_CPU, SIPp CPU 0"
meta port_names "$P_FRONT=front $P_N1=node1 $P_N2=node2 $P_UAC=uac $P_UAS=uas"
log "work dir $W; front $IP_FRONT:$P_FRONT (API $P_API), node 1 $IP_N1:$P_N1, node 2 $IP_N2:$P_N2"
start_front
meta kamailio "$(kamailio -v 2>/dev/null | head -1)"

# ---- users: one tenant per node; `ondoctl tenant add` (inside
# make_users.py) also puts the tenant in the front's table ([cluster] api) ----
for n in 1 2; do
	python3 "$BENCH/make_users.py" "$W/bin/ondoctl" "$W/n$n/ondo.conf" "$W/n$n/ondo.db" \
		"$W/n$n" "t$n.bench.test" "$USERS" "$PAIRS" 1 > "$W/logs/make_users_$n.txt" 2>&1 \
		|| { cat "$W/logs/make_users_$n.txt" >&2; die "make_users.py failed for node $n"; }
done
TABLE=$(curl -s -m 2 -H "X-Ondo-Secret: $SECRET" "http://$IP_FRONT:$P_API/ondo/list")
meta front_table "$(echo $TABLE)"
echo "$TABLE" | grep -q '^t1.bench.test 1$' && echo "$TABLE" | grep -q '^t2.bench.test 2$' \
	|| die "the front's table is not what ondoctl tenant add should have made: '$TABLE'"
log "front table: $(echo $TABLE)"
# both domains, alternating: SIPp's rate is split evenly between the nodes
paste -d '\n' <(tail -n +2 "$W/n1/users.csv") <(tail -n +2 "$W/n2/users.csv") \
	| sed '1i SEQUENTIAL' > "$W/users12.csv"
paste -d '\n' <(tail -n +2 "$W/n1/callees.csv") <(tail -n +2 "$W/n2/callees.csv") \
	| sed '1i SEQUENTIAL' > "$W/callees12.csv"
paste -d '\n' <(tail -n +2 "$W/n1/calls.csv") <(tail -n +2 "$W/n2/calls.csv") \
	| sed '1i SEQUENTIAL' > "$W/calls12.csv"

git_rev=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
meta git "$git_rev"
meta git_dirty_files "$(cd "$ROOT" && git status --porcelain --untracked-files=no 2>/dev/null | wc -l)"
meta ondo_sha256 "$(sha256sum "$W/bin/ondo" | cut -c1-16)"
meta users "$USERS"
meta pairs "$PAIRS"
meta secs "$SECS"
meta hold_ms "$HOLD_MS"
meta command "$CMDLINE"
meta started "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta idle_check "$(python3 -c '
import os, sys, time
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from run_step import all_ticks
skip = set(int(x) for x in sys.argv[2:])
a = all_ticks(); time.sleep(3); b = all_ticks()
t = sum(v - a.get(p, 0) for p, v in b.items() if p != os.getpid() and p not in skip and v >= a.get(p, 0))
print("other processes used %.0f%% of one core over 3 s" % (100.0 * t / os.sysconf("SC_CLK_TCK") / 3))' "$BENCH" $FRONT_PID)"
log "before the run: $(tail -1 "$META" | cut -d= -f2-)"

# ---- nodes ----
N1_PID="" N2_PID=""
start_node() {   # $1 = n, $2 = log; sets N<n>_PID
	local pid n
	taskset -c "$NODE_CPU" "$W/bin/ondo" -c "$W/n$1/ondo.conf" 2>"$2" &
	pid=$!
	track $pid
	eval "N$1_PID=$pid"
	for n in $(seq 50); do
		"$W/bin/ondoctl" -c "$W/n$1/ondo.conf" calls >/dev/null 2>&1 && return 0
		kill -0 $pid 2>/dev/null || break
		sleep 0.2
	done
	cat "$2" >&2
	die "node $1 did not start"
}
stop_pid() {     # $1 = pid [, $2 = signal]
	local p=$1 n
	[ -n "$p" ] || return 0
	kill -"${2:-TERM}" "$p" 2>/dev/null
	for n in $(seq 150); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$p" 2>/dev/null && { echo "pid $p killed after 15 s" >> "$W/problems.txt"; kill -KILL "$p"; }
	wait "$p" 2>/dev/null
	untrack "$p"
}
stop_nodes() {
	stop_pid "$N1_PID"; stop_pid "$N2_PID"
	N1_PID="" N2_PID=""
	sqlite3 "$W/n1/ondo.db" 'DELETE FROM registrations'
	sqlite3 "$W/n2/ondo.db" 'DELETE FROM registrations'
}
budget_ok() { [ $(( $(date +%s) - T0 + SECS + $1 )) -le "$MAX_SECONDS" ]; }

# ramp STAGE KIND MULT "PROCS" PRIMARY_PID SIP_PORT "WATCH_PORTS" UAS_PID -- sipp args
# Per-node rates go up until a step is overloaded, or unclean twice (as
# run.sh); SIPp's rate is the per-node rate x MULT (the number of nodes).
ramp() {
	local stage=$1 kind=$2 mult=$3 procs=$4 spid=$5 sport=$6 watch=$7 uas=$8
	shift 9
	local r rc attempt extra=() hold=0 rates=$REG_RATES
	[ "$kind" = call ] && { hold=$HOLD_MS; rates=$CALL_RATES; }
	local pp wp pre=()
	for pp in $procs; do pre+=(--proc "$pp"); done
	for wp in $watch; do extra+=(--watch-port "$wp"); done
	[ -n "$uas" ] && extra+=(--uas-pid "$uas")
	for r in $rates; do
		for attempt in 1 2; do
			if ! budget_ok $(( hold / 1000 + 8 )); then
				echo "{\"label\": \"${stage}_$kind\", \"rate\": $((r * mult)), \"per_node\": $r, \"attempt\": $attempt, \"skipped\": \"time budget\"}" >> "$STEPS"
				log "$stage $kind $r/s per node skipped: time budget"
				return 0
			fi
			log "$stage $kind: $r/s per node ($((r * mult))/s in all), attempt $attempt"
			run_tracked python3 "$BENCH/cluster_step.py" "${pre[@]}" -- \
				"${extra[@]}" --label "${stage}_$kind" --rate $((r * mult)) \
				--attempt $attempt --secs "$SECS" --server-pid "$spid" \
				--sip-port "$sport" --watch-port "$P_UAC" --hold-ms "$hold" \
				--out "$STEPS" --logdir "$W/logs" -- "$@"
			rc=$?
			[ $rc -ge 3 ] && { echo "$stage $kind: step $r/s: a server died or SIPp could not run (rc $rc)" | tee -a "$W/problems.txt"; return 1; }
			[ $rc -eq 2 ] && return 0
			sleep 3
			[ $rc -eq 0 ] && break
		done
		[ $rc -ne 0 ] && return 0
	done
	return 0
}

UAS_PID=""
start_uas() {    # $1 = tag
	taskset -c 0 sipp -sf "$BENCH/scenarios/call_uas.xml" -p $P_UAS \
		$SIPP_COMMON -nostdin -trace_screen -screen_file "$W/logs/$1_uas_screen.txt" \
		-trace_err -error_file "$W/logs/$1_uas_errors.log" -max_log_size 2000000 \
		> /dev/null 2>&1 &
	UAS_PID=$!
	track $UAS_PID
	sleep 0.5
	kill -0 $UAS_PID 2>/dev/null || die "the SIPp UAS did not start"
}

# stage NAME: runs the REGISTER ramp and the call ramp of one set-up
stage() {
	local st=$1 target tport csv callees calls mult procs spid watch nodes
	case $st in
	direct) target=$IP_N1:$P_N1 tport=$P_N1 mult=1 nodes="1"
		csv=$W/n1/users.csv callees=$W/n1/callees.csv calls=$W/n1/calls.csv ;;
	front1) target=$IP_FRONT:$P_FRONT tport=$P_FRONT mult=1 nodes="1"
		csv=$W/n1/users.csv callees=$W/n1/callees.csv calls=$W/n1/calls.csv ;;
	front2) target=$IP_FRONT:$P_FRONT tport=$P_FRONT mult=2 nodes="1 2"
		csv=$W/users12.csv callees=$W/callees12.csv calls=$W/calls12.csv ;;
	*) die "unknown stage $st" ;;
	esac
	local kind
	for kind in reg call; do
		[ "$kind" = call ] && [ "$CALLS" != 1 ] && continue
		local n
		for n in $nodes; do start_node $n "$W/${st}_${kind}_n$n.log"; done
		procs="" watch=""
		[ "$st" != direct ] && procs="front=$FRONT_PID" watch="$P_FRONT"
		for n in $nodes; do
			eval "procs=\"\$procs n$n=\$N${n}_PID\""
			[ "$st" != direct ] && watch="$watch $([ $n = 1 ] && echo $P_N1 || echo $P_N2)"
		done
		[ "$st" = direct ] && spid=$N1_PID || spid=$FRONT_PID
		if [ "$kind" = reg ]; then
			log "$st: REGISTER ramp ($REG_RATES per node)"
			ramp "$st" reg $mult "$procs" "$spid" "$tport" "$watch" "" -- $target \
				-sf "$BENCH/scenarios/reg_auth_uac.xml" -inf "$csv" -p $P_UAC $SIPP_COMMON
		else
			log "$st: call ramp ($CALL_RATES per node); registering the callees"
			if ! run_tracked timeout 60 taskset -c 0 sipp $target \
				-sf "$BENCH/scenarios/reg_auth_uac.xml" -inf "$callees" \
				-p $P_UAS $SIPP_COMMON -m $((PAIRS * mult)) -r 1000 -nostdin \
				> "$W/logs/${st}_callee_reg.txt" 2>&1; then
				echo "$st: registering the callees failed" | tee -a "$W/problems.txt"
				stop_nodes
				continue
			fi
			start_uas "$st"
			ramp "$st" call $mult "$procs" "$spid" "$tport" "$watch $P_UAS" "$UAS_PID" -- $target \
				-sf "$BENCH/scenarios/call_auth_uac.xml" -inf "$calls" \
				-p $P_UAC $SIPP_COMMON -d "$HOLD_MS" -default_behaviors bye,pingreply
			stop_pid $UAS_PID USR1
			UAS_PID=""
		fi
		for n in $nodes; do
			meta "${st}_${kind}_n${n}_log_lines" "$(grep -ac . "$W/${st}_${kind}_n$n.log")"
			cp "$W/${st}_${kind}_n$n.log" "$W/logs/" 2>/dev/null
		done
		stop_nodes
	done
}

for s in $STAGES; do stage "$s"; done

meta front_log_errors "$(grep -acE 'ERROR|CRITICAL|WARNING' "$W/front.log")"
grep -aE 'ERROR|CRITICAL|WARNING' "$W/front.log" | sed -E 's/[0-9a-f-]{16,}//g; s/[0-9]+/N/g' \
	| sort | uniq -c | sort -rn | head -8 > "$W/front_log_summary.txt"
stop_pid "$FRONT_PID"
meta elapsed_s "$(( $(date +%s) - T0 ))"
python3 "$BENCH/cluster_report.py" "$W" "${RESULTS:--}" || die "cluster_report.py failed (data in $W)"
log "done${RESULTS:+: results appended to $RESULTS}"
