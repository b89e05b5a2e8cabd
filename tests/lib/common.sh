# shellcheck shell=bash
# common.sh - helpers every test script sources: ports, the daemon, cleanup,
# one line per check. Source it, then call test_init.
#
#   . "$(dirname "$0")/../lib/common.sh"
#   test_init "call with auth"
#   start_ondo
#   ...
#   finish
#
# Tests talk only to 127.0.0.1, pick free ports, and kill only the processes
# they started, by PID.

set -euo pipefail

TESTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_ROOT=$(cd "$TESTS_LIB/../.." && pwd)
# The build: the repo root for an in-tree build, or ONDO_BUILD=builddir
# (relative paths are taken from the repo root).
ONDO_BUILD=${ONDO_BUILD:-$SRC_ROOT}
case $ONDO_BUILD in /*) ;; *) ONDO_BUILD=$SRC_ROOT/$ONDO_BUILD ;; esac
ONDO_BIN=$ONDO_BUILD/ondo
ONDOCTL_BIN=$ONDO_BUILD/ondoctl
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi

T_NAME=
T_DIR=
T_FAILS=0
T_CHECKS=0
T_PIDS=()         # every background process this test started
ONDO_PID=
ONDO_LOG=
ONDO_CONF=
ONDO_STARTS=0

# ---- output -------------------------------------------------------------

pass() {
	T_CHECKS=$((T_CHECKS + 1))
	printf '  ok   %s\n' "$*"
}

fail() {
	T_CHECKS=$((T_CHECKS + 1))
	T_FAILS=$((T_FAILS + 1))
	printf '  FAIL %s\n' "$*"
}

# A failure the rest of the test cannot go on from: report and stop.
fatal() {
	fail "$@"
	exit 1
}

info() {
	printf '  ..   %s\n' "$*"
}

# check "what a user would notice on failure" COMMAND...
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# ---- setup and cleanup --------------------------------------------------

test_init() {
	T_NAME=$1
	if [ ! -x "$ONDO_BIN" ]; then
		echo "  FAIL daemon not built: $ONDO_BIN missing (run make," \
			"or set ONDO_BUILD)"
		exit 1
	fi
	T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ondo-test.XXXXXX")
	: >"$T_DIR/ports.claimed"
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	trap 'exit 141' PIPE
	echo "== $T_NAME (files in $T_DIR)"
}

track_pid() {
	T_PIDS+=("$1")
}

untrack_pid() {
	local p out=()
	for p in "${T_PIDS[@]}"; do
		[ "$p" = "$1" ] || out+=("$p")
	done
	T_PIDS=("${out[@]+"${out[@]}"}")
}

# mount_tmpfs DIR SIZE: a tmpfs of SIZE (e.g. 2m) on DIR, unmounted by
# cleanup; exits 77 (SKIP) where mounting is not allowed (no root, no
# CAP_SYS_ADMIN), which a test that needs a full disk cannot do without.
T_MOUNTS=()
T_NETNS=()
mount_tmpfs() {
	mkdir -p "$1"
	if ! mount -t tmpfs -o "size=$2,mode=0755" tmpfs "$1" 2>"$T_DIR/mount.err"; then
		echo "SKIP: cannot mount a tmpfs ($(cat "$T_DIR/mount.err"))"
		exit 77
	fi
	T_MOUNTS+=("$1")
}

# Kills every process the test started, by PID: TERM, a short grace, KILL;
# then unmounts what mount_tmpfs mounted.
cleanup() {
	local rc=$? p n
	set +e
	trap - EXIT
	for p in "${T_PIDS[@]+"${T_PIDS[@]}"}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${T_PIDS[@]+"${T_PIDS[@]}"}"; do
		for n in $(seq 1 30); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for p in "${T_MOUNTS[@]+"${T_MOUNTS[@]}"}"; do
		umount "$p" 2>/dev/null || umount -l "$p"
	done
	# Network namespaces of tests/lib/netns.sh, once nothing runs in them.
	for p in "${T_NETNS[@]+"${T_NETNS[@]}"}"; do
		ip netns del "$p" 2>/dev/null
	done
	if [ -n "$ONDO_LOG" ] && [ -f "$ONDO_LOG" ]; then
		if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
			"$ONDO_LOG"; then
			echo "  FAIL sanitizer report in the daemon log:"
			grep -E -A30 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
				"$ONDO_LOG" | head -60 | sed 's/^/       /'
			[ "$rc" -ne 0 ] || rc=1
		fi
	fi
	# A failed check fails the test even if the script ended without
	# calling finish.
	if [ "$rc" -eq 0 ] && [ "$T_FAILS" -ne 0 ]; then
		echo "== $T_NAME: $T_FAILS of $T_CHECKS checks failed"
		rc=1
	fi
	if [ "$rc" -eq 0 ] && [ "$T_FAILS" -eq 0 ] && [ -z "${KEEP_TMP:-}" ]; then
		rm -rf "$T_DIR"
	elif [ -n "$T_DIR" ]; then
		echo "  (test files kept in $T_DIR)"
	fi
	exit "$rc"
}

# Ends the test: exit status 0 only if every check passed.
finish() {
	if [ "$T_FAILS" -ne 0 ]; then
		echo "== $T_NAME: $T_FAILS of $T_CHECKS checks failed"
		exit 1
	fi
	echo "== $T_NAME: all $T_CHECKS checks passed"
	exit 0
}

# ---- ports --------------------------------------------------------------

# free_port_range N: prints the first of N consecutive ports, the first one
# even, that are free for UDP and TCP on 127.0.0.1 and not handed out before
# in this test, nor to any test of the same run when tests/run.sh runs
# several at once (it sets ONDO_PORT_CLAIMS to one file for the run; the
# file is locked while a range is picked, so two tests never pick the same
# ports between checking and binding; run.sh frees a test's lines, tagged
# with its ONDO_TEST_ID, once the test has ended). Ports come from 20000-32767, below
# the kernel's ephemeral range, so outgoing connections do not take them.
free_port_range() {
	local n=${1:-1}
	"$PYTHON" - "$n" "${ONDO_PORT_CLAIMS:-$T_DIR/ports.claimed}" <<'EOF'
import fcntl, os, random, socket, sys
n, claimed_path = int(sys.argv[1]), sys.argv[2]
lock = open(claimed_path, "a+")
fcntl.flock(lock, fcntl.LOCK_EX)
claimed = set()
lock.seek(0)
for line in lock:
    a, b = map(int, line.split()[:2])
    claimed.update(range(a, b + 1))
def free(p):
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            return False
        finally:
            s.close()
    return True
rng = random.SystemRandom()
for _ in range(500):
    start = rng.randrange(20000, 32768 - n - 1) & ~1
    ports = range(start, start + n)
    if any(p in claimed for p in ports):
        continue
    if all(free(p) for p in ports):
        owner = os.environ.get("ONDO_TEST_ID", "-")
        lock.write(f"{start} {start + n - 1} {owner}\n")
        lock.flush()
        print(start)
        sys.exit(0)
sys.exit(f"no {n} consecutive free ports found in 20000-32767")
EOF
}

free_port() {
	free_port_range 1
}

# ---- waiting ------------------------------------------------------------

# wait_until SECONDS COMMAND...: polls every 0.1 s; 0 once COMMAND succeeds,
# 1 when time runs out.
wait_until() {
	local limit=$1 i
	shift
	for ((i = 0; i < limit * 10; i++)); do
		if "$@"; then return 0; fi
		sleep 0.1
	done
	"$@"
}

# ---- the daemon ---------------------------------------------------------

# start_ondo [DIR]: writes DIR/ondo.conf (first start only; a restart keeps
# the same ports and files), starts the daemon and waits up to 10 s for its
# ready line. Extra config lines can be given in ONDO_EXTRA_CONF (appended).
start_ondo() {
	local dir=${1:-$T_DIR/ondo} off i
	if [ -z "$ONDO_CONF" ]; then
		mkdir -p "$dir/spool"
		ONDO_SIP_PORT=$(free_port)
		ONDO_RTP_MIN=$(free_port_range 40)
		ONDO_RTP_MAX=$((ONDO_RTP_MIN + 39))
		ONDO_HTTP_PORT=$(free_port)
		ONDO_DB=$dir/ondo.db
		ONDO_CONF=$dir/ondo.conf
		ONDO_LOG=$dir/ondo.log
		cat >"$ONDO_CONF" <<EOF
; written by tests/lib/common.sh for: $T_NAME
[sip]
listen = 127.0.0.1:$ONDO_SIP_PORT
default_tenant = ${ONDO_DEFAULT_TENANT:-default.test}
[rtp]
ports = $ONDO_RTP_MIN-$ONDO_RTP_MAX
workers = 2
[db]
path = $ONDO_DB
[spool]
dir = $dir/spool
[ctl]
socket = $dir/ondo.sock
[log]
level = ${ONDO_LOG_LEVEL:-debug}
[http]
listen = 127.0.0.1:$ONDO_HTTP_PORT
${ONDO_EXTRA_CONF:-}
EOF
		: >"$ONDO_LOG"
	fi
	ONDO_STARTS=$((ONDO_STARTS + 1))
	off=$(stat -c %s "$ONDO_LOG")
	echo "---- start $ONDO_STARTS ----" >>"$ONDO_LOG"
	off=$((off + 1))
	"$ONDO_BIN" -c "$ONDO_CONF" >>"$ONDO_LOG" 2>&1 &
	ONDO_PID=$!
	track_pid "$ONDO_PID"
	for ((i = 0; i < 100; i++)); do
		if tail -c +"$off" "$ONDO_LOG" | grep -q 'INFO main ready'; then
			info "ondo pid $ONDO_PID ready on 127.0.0.1:$ONDO_SIP_PORT" \
				"(rtp $ONDO_RTP_MIN-$ONDO_RTP_MAX)"
			return 0
		fi
		if ! kill -0 "$ONDO_PID" 2>/dev/null; then
			wait "$ONDO_PID" && i=0 || i=$?
			untrack_pid "$ONDO_PID"
			ONDO_PID=
			fatal "ondo exited with status $i before it was ready;" \
				"log tail:$(echo; tail -n 20 "$ONDO_LOG" | sed 's/^/       /')"
		fi
		sleep 0.1
	done
	fatal "ondo printed no ready line within 10 s; log tail:$(echo; tail -n 20 "$ONDO_LOG" | sed 's/^/       /')"
}

# stop_ondo: SIGTERM, wait up to 10 s, then SIGKILL and fail. Fails too on
# a non-zero exit status or a sanitizer report in the log.
stop_ondo() {
	local i rc
	[ -n "$ONDO_PID" ] || return 0
	kill -TERM "$ONDO_PID" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$ONDO_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$ONDO_PID" 2>/dev/null; then
		kill -KILL "$ONDO_PID" 2>/dev/null || true
		wait "$ONDO_PID" 2>/dev/null || true
		untrack_pid "$ONDO_PID"
		ONDO_PID=
		fail "ondo did not stop within 10 s of SIGTERM (killed);" \
			"log tail:$(echo; tail -n 15 "$ONDO_LOG" | sed 's/^/       /')"
		return 1
	fi
	rc=0
	wait "$ONDO_PID" || rc=$?
	untrack_pid "$ONDO_PID"
	ONDO_PID=
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$ONDO_LOG"; then
		fail "sanitizer report in the daemon log:$(echo; grep -E -A30 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$ONDO_LOG" | head -60 | sed 's/^/       /')"
		return 1
	fi
	if [ "$rc" -ne 0 ]; then
		fail "ondo exited with status $rc after SIGTERM; log tail:$(echo; tail -n 15 "$ONDO_LOG" | sed 's/^/       /')"
		return 1
	fi
	pass "ondo stopped cleanly on SIGTERM"
}

# ondo_select NAME: tests with two daemons (a PBX and a carrier) keep each
# one's variables under a name; start_ondo, stop_ondo, ondoctl, provision,
# sql and the CDR helpers act on the selected one. The first daemon a test
# starts is "main" until another is selected.
ONDO_VARS="ONDO_CONF ONDO_LOG ONDO_PID ONDO_SIP_PORT ONDO_RTP_MIN ONDO_RTP_MAX ONDO_DB ONDO_HTTP_PORT ONDO_STARTS"
ONDO_CUR=main
ondo_select() {
	local v saved
	for v in $ONDO_VARS; do
		printf -v "ONDO_SAVED_${ONDO_CUR}_$v" '%s' "${!v:-}"
	done
	ONDO_CUR=$1
	for v in $ONDO_VARS; do
		saved=ONDO_SAVED_${1}_$v
		printf -v "$v" '%s' "${!saved:-}"
	done
	ONDO_STARTS=${ONDO_STARTS:-0}
}

# ondoctl ARGS...: runs the control tool against this test's daemon.
ondoctl() {
	"$ONDOCTL_BIN" -c "$ONDO_CONF" "$@"
}

# provision: must-succeed ondoctl calls (tenant add, ext add ...).
provision() {
	local out
	if ! out=$(ondoctl "$@" 2>&1); then
		fatal "ondoctl $* failed: $out"
	fi
}

# sql QUERY: runs a query on the daemon's SQLite file, '|'-separated rows.
sql() {
	sqlite3 -batch -noheader -cmd '.timeout 2000' "$ONDO_DB" "$1"
}

# wait_sql SECONDS QUERY EXPECTED: polls until the query prints EXPECTED.
# The daemon writes CDRs and registrations from a queue, a moment after the
# SIP exchange; this waits for that instead of sleeping a fixed time.
wait_sql() {
	local limit=$1 q=$2 want=$3 i
	for ((i = 0; i <= limit * 10; i++)); do
		[ "$(sql "$q" 2>/dev/null || true)" = "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# ---- SIPp ---------------------------------------------------------------

SIPP_DIR=$SRC_ROOT/tests/sip
SIPP_COMMON=(-i 127.0.0.1 -m 1 -buff_size 1048576 -recv_timeout 10000
	-timeout 30 -timeout_error -nostdin -max_recv_loops 1000)

# sipp_sf SCENARIO: a scenario name under tests/sip, or an absolute path.
sipp_sf() {
	case $1 in /*) echo "$1" ;; *) echo "$SIPP_DIR/$1" ;; esac
}

# sipp_scenario_code CODE: tests/sip/uac_fail.xml.in expecting CODE as the
# final answer, written to T_DIR; prints its path.
sipp_scenario_code() {
	sed "s/__CODE__/$1/g" "$SIPP_DIR/uac_fail.xml.in" >"$T_DIR/uac_fail_$1.xml"
	echo "$T_DIR/uac_fail_$1.xml"
}

# sipp_carrier_code CODE: tests/sip/carrier_fail.xml.in expecting CODE,
# written to T_DIR; prints its path.
sipp_carrier_code() {
	sed "s/__CODE__/$1/g" "$SIPP_DIR/carrier_fail.xml.in" \
		>"$T_DIR/carrier_fail_$1.xml"
	echo "$T_DIR/carrier_fail_$1.xml"
}

# sipp_run NAME SCENARIO [SIPP ARGS...]: runs SIPp in the foreground against
# the daemon (give it a free -p port), logging every message to
# T_DIR/NAME.msg. Sets SIPP_RC. Never fails the shell by itself.
sipp_run() {
	local name=$1 sf
	sf=$(sipp_sf "$2")
	shift 2
	SIPP_RC=0
	timeout 45 sipp "127.0.0.1:$ONDO_SIP_PORT" -sf "$sf" \
		"${SIPP_COMMON[@]}" -trace_msg -message_file "$T_DIR/$name.msg" \
		-trace_err -error_file "$T_DIR/$name.err" \
		-key dom "${DOM:-}" "$@" >"$T_DIR/$name.out" 2>&1 || SIPP_RC=$?
}

# sipp_bg NAME SCENARIO [SIPP ARGS...]: the same in the background; the PID
# goes to SIPP_PIDS[NAME]. Collect with sipp_wait NAME.
declare -A SIPP_PIDS=()
sipp_bg() {
	local name=$1 sf
	sf=$(sipp_sf "$2")
	shift 2
	timeout 45 sipp "127.0.0.1:$ONDO_SIP_PORT" -sf "$sf" \
		"${SIPP_COMMON[@]}" -trace_msg -message_file "$T_DIR/$name.msg" \
		-trace_err -error_file "$T_DIR/$name.err" \
		-key dom "${DOM:-}" "$@" >"$T_DIR/$name.out" 2>&1 &
	SIPP_PIDS[$name]=$!
	track_pid $!
}

# sipp_wait NAME: waits for a background SIPp; sets SIPP_RC.
sipp_wait() {
	local pid=${SIPP_PIDS[$1]}
	SIPP_RC=0
	wait "$pid" || SIPP_RC=$?
	untrack_pid "$pid"
}

# sipp_wait_listening PORT: a background SIPp binds its UDP port before it
# can take requests; wait for that instead of sleeping.
sipp_wait_listening() {
	sipp_wait_listening_on 127.0.0.1 "$1"
}

# sipp_wait_listening_on IP PORT: the same for a SIPp bound to IP (-i).
sipp_wait_listening_on() {
	wait_until 5 sh -c "ss -lnu | grep -q '$1:$2 '"
}

# sipp_why NAME: what went wrong in a SIPp run, for a failure line: SIPp's
# own complaints (timeouts, unexpected messages) and the last answers.
sipp_why() {
	local name=$1
	{
		tr '\t' ' ' <"$T_DIR/$name.err" 2>/dev/null |
			grep -oE 'receive timeout on message [^ ]+|Dead call [^ ]+ \(aborted at index [0-9]+\)|[Uu]nexpected [a-zA-Z ]+' |
			sort -u | head -n 4
		grep -hE '^(Aborting|Error|.*[Ff]atal)' "$T_DIR/$name.out" 2>/dev/null |
			grep -v 'UDP errors' | head -n 3
		echo "messages received:"
		sipp_statuses "$name" | tail -n 8 | sed 's/^/  /'
	} | sed 's/^/       /'
}

# sipp_messages: prints the messages of a SIPp -trace_msg file that went
# in direction DIR (received|sent), separated by NUL bytes.
SIPP_MSGS_PY='
import sys
try:
    text = open(sys.argv[1], errors="replace").read().replace("\r", "")
except OSError:
    sys.exit(0)
want = sys.argv[2]
out = []
for block in text.split("----------------------------------------------- ")[1:]:
    lines = block.split("\n")
    if len(lines) < 2 or ("message " + want) not in lines[1]:
        continue
    out.append("\n".join(lines[2:]).strip("\n") + "\n")
mode = sys.argv[3]
if mode == "all":
    sys.stdout.write("\0".join(out))
elif mode == "first":
    import re
    for m in out:
        line = m.split("\n", 1)[0]
        cseq = re.search(r"(?mi)^CSeq:\s*\d+\s+(\S+)", m)
        if line.startswith("SIP/2.0") and cseq:
            line += " (" + cseq.group(1) + ")"
        print(line)
else:
    n = int(mode)
    if 1 <= n <= len(out):
        sys.stdout.write(out[n - 1])
    elif n < 0 and -n <= len(out):
        sys.stdout.write(out[n])
'

# sipp_statuses NAME: the first line of every message SIPp received, in
# order ("SIP/2.0 401 Unauthorized", "INVITE sip:... SIP/2.0").
sipp_statuses() {
	"$PYTHON" -c "$SIPP_MSGS_PY" "$T_DIR/$1.msg" received first
}

# sipp_codes NAME: the received status codes on one line, "/METHOD" added
# for answers to anything but INVITE and REGISTER: "100 407 180 200 200/BYE".
sipp_codes() {
	sipp_statuses "$1" | sed -E 's/^SIP\/2\.0 ([0-9]+) .*\(([A-Z]+)\)$/\1\/\2/; s/\/(INVITE|REGISTER)$//; s/^([A-Z]+) .*/\1/' |
		tr '\n' ' ' | sed 's/ $//'
}

# sipp_received NAME N: the N-th message (1-based; -1 = the last) SIPp
# received, whole, without CRs.
sipp_received() {
	"$PYTHON" -c "$SIPP_MSGS_PY" "$T_DIR/$1.msg" received "$2"
}

# sipp_sent NAME N: the N-th message SIPp sent.
sipp_sent() {
	"$PYTHON" -c "$SIPP_MSGS_PY" "$T_DIR/$1.msg" sent "$2"
}

# sipp_received_status NAME CODE [METHOD]: the last received response
# with CODE (to a request of METHOD, from its CSeq, if given).
sipp_received_status() {
	"$PYTHON" -c "$SIPP_MSGS_PY" "$T_DIR/$1.msg" received all |
		"$PYTHON" -c '
import re, sys
code, method = sys.argv[1], sys.argv[2]
msgs = sys.stdin.read().split("\0")
for m in reversed(msgs):
    if not m.startswith("SIP/2.0 " + code + " "):
        continue
    if method and not re.search(r"(?mi)^CSeq:\s*\d+\s+" + method + r"\s*$", m):
        continue
    sys.stdout.write(m)
    sys.exit(0)
sys.exit(1)' "$2" "${3:-}"
}

# sipp_register NAME PORT USER PASSWORD [EXPIRES]: registers USER@DOM from
# 127.0.0.1:PORT (401, then 200); fails the test with what SIPp saw if not.
sipp_register() {
	local name=$1 port=$2 user=$3 pw=$4 exp=${5:-300}
	sipp_run "$name" register.xml -p "$port" -key user "$user" \
		-key expires "$exp" -au "$user" -ap "$pw"
	if [ "$SIPP_RC" -ne 0 ]; then
		fail "$user@$DOM could not register from port $port (sipp exit" \
			"$SIPP_RC):$(echo; sipp_why "$name")"
		return 1
	fi
	if [ "$exp" = 0 ]; then
		pass "$user@$DOM unregistered 127.0.0.1:$port (Expires: 0, got 200)"
	else
		pass "$user@$DOM registered from 127.0.0.1:$port (expires $exp)"
	fi
}

# sdp_field MSG_TEXT c|m: the SDP connection address or audio port.
sdp_field() {
	case $2 in
	c) sed -n 's/^c=IN IP[46] \([^ ]*\).*/\1/p' <<<"$1" | head -n 1 ;;
	m) sed -n 's/^m=audio \([0-9]*\) .*/\1/p' <<<"$1" | head -n 1 ;;
	esac
}

# in_rtp_range PORT: is PORT one of the daemon's RTP ports?
in_rtp_range() {
	[ -n "$1" ] && [ "$1" -ge "$ONDO_RTP_MIN" ] && [ "$1" -le "$ONDO_RTP_MAX" ]
}

# cdr_row COLUMNS: the newest CDR row of the test's calls.
cdr_row() {
	sql "SELECT $1 FROM cdr ORDER BY rowid DESC LIMIT 1"
}

# cdr_count: finished CDR rows (the daemon may insert a row when a call
# starts and complete it at the end).
cdr_count() {
	sql "SELECT count(*) FROM cdr WHERE end_us IS NOT NULL AND end_us > 0" \
		2>/dev/null || echo 0
}

cdr_count_ge() {
	[ "$(cdr_count)" -ge "$1" ]
}

# The daemon's live calls (ondoctl calls): none; exactly one answered;
# calls_left: one pass or fail line after waiting up to 10 s for none.
no_calls() { [ -z "$(ondoctl calls 2>/dev/null | grep -v '^no calls in progress' || true)" ]; }
one_call() { [ "$(ondoctl calls 2>/dev/null | grep -c answered)" = 1 ]; }
calls_left() {
	if wait_until 10 no_calls; then
		pass "no call is left in the PBX"
	else
		fail "calls left behind: $(ondoctl calls 2>&1)"
	fi
}

# log_count_gt REGEX N: the daemon's log has more than N lines matching
# REGEX. A function, so that `wait_until 10 log_count_gt ...` counts again
# on every try (a "$(grep -c ...)" in wait_until's arguments is counted
# once, before the wait).
log_count_gt() { [ "$(grep -c -- "$1" "$ONDO_LOG" || true)" -gt "$2" ]; }

# wait_cdr SECONDS [N]: waits until N (default 1) finished CDR rows exist;
# the daemon writes them from its DB queue a moment after the call ends.
wait_cdr() {
	wait_until "$1" cdr_count_ge "${2:-1}"
}

# ---- baresip ------------------------------------------------------------

. "$TESTS_LIB/baresip.sh"
