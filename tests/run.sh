#!/bin/bash
# run.sh - the whole test suite: unit tests (cmocka), SIPp scenarios,
# end-to-end calls with real phones, and the panel in a browser. One line
# per test, PASS, FAIL (with the tail of a failing test's output) or SKIP
# (a test that exits 77: what it needs is missing, it says what), and as
# the last line "N passed, N failed". Exit status 0 only if nothing failed.
#
#   ./tests/run.sh                       after ./configure && make
#   ONDO_BUILD=build-asan ./tests/run.sh an out-of-tree build
#   ./tests/run.sh sip/test_busy.sh unit/test_conf   only these
#
# Each test gets 120 s. ONDO_TEST_JOBS=N runs up to N of the SIPp, e2e and
# browser tests at once (default 6: they mostly wait on real-time audio;
# ONDO_TEST_JOBS=1 runs them one by one). Full output of every test goes to
# $ONDO_BUILD/tests/out/<name>.log. Set ONDO_VALGRIND=0 to run unit tests
# without valgrind in a build without sanitizers.
set -euo pipefail

SRC_ROOT=$(cd "$(dirname "$0")/.." && pwd)
ONDO_BUILD=${ONDO_BUILD:-$SRC_ROOT}
case $ONDO_BUILD in /*) ;; *) ONDO_BUILD=$(cd "$SRC_ROOT/$ONDO_BUILD" 2>/dev/null && pwd || echo "$SRC_ROOT/$ONDO_BUILD") ;; esac
export ONDO_BUILD
OUT=$ONDO_BUILD/tests/out
TIME_LIMIT=${ONDO_TEST_TIMEOUT:-120}
mkdir -p "$OUT"

passed=0
failed=0
failed_names=()
skipped_names=()

# report NAME RC SECONDS LOG
report() {
	local name=$1 rc=$2 secs=$3 log=$4
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		printf 'PASS  %-40s %4ss\n' "$name" "$secs"
	elif [ "$rc" -eq 77 ]; then
		skipped_names+=("$name")
		printf 'SKIP  %-40s %4ss  %s\n' "$name" "$secs" \
			"$(grep -m1 -o 'SKIP: .*' "$log" | cut -c7-)"
	else
		failed=$((failed + 1))
		failed_names+=("$name")
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			printf 'FAIL  %-40s %4ss  (killed after %s s)\n' "$name" "$secs" "$TIME_LIMIT"
		else
			printf 'FAIL  %-40s %4ss  (exit %s)\n' "$name" "$secs" "$rc"
		fi
		tail -n 40 "$log" | sed 's/^/    | /'
		echo "    | (full output: $log)"
	fi
}

selected() {
	local name=$1 want
	[ "${#SELECT[@]}" -eq 0 ] && return 0
	for want in "${SELECT[@]}"; do
		want=${want#tests/}
		case $name in *"$want"*) return 0 ;; esac
	done
	return 1
}
SELECT=("$@")

echo "Ondo test suite: build $ONDO_BUILD"

# ---- running tests in the background ------------------------------------
# Each test picks its ports from one claims file for the run (see
# free_port_range in tests/lib/common.sh); a finished test's claims are
# freed here.
export ONDO_PORT_CLAIMS=$OUT/ports.claimed
: >"$ONDO_PORT_CLAIMS"
declare -A job_name=() job_log=() job_t0=()

# unclaim NAME: frees the ports test NAME claimed.
unclaim() {
	python3 - "$ONDO_PORT_CLAIMS" "$1" <<'EOF'
import fcntl, sys
path, owner = sys.argv[1], sys.argv[2]
with open(path, "r+") as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    keep = [l for l in f if l.split()[2:3] != [owner]]
    f.seek(0)
    f.truncate()
    f.writelines(keep)
EOF
}

# reap_one: waits for one running test and reports it.
reap_one() {
	local pid rc=0
	wait -n -p pid "${!job_name[@]}" || rc=$?
	report "${job_name[$pid]}" "$rc" "$(($(date +%s) - job_t0[$pid]))" "${job_log[$pid]}"
	unclaim "${job_name[$pid]}"
	unset "job_name[$pid]" "job_log[$pid]" "job_t0[$pid]"
}

# run_bg NAME LOG COMMAND...: one test in the background, at most JOBS at
# once, bounded by TIME_LIMIT; the test's own cleanup trap runs on the
# SIGTERM, a SIGKILL follows 10 s later.
run_bg() {
	local name=$1 log=$2
	shift 2
	while [ "${#job_name[@]}" -ge "$JOBS" ]; do reap_one; done
	ONDO_TEST_ID=$name timeout -k 10 "$TIME_LIMIT" "$@" </dev/null >"$log" 2>&1 &
	job_name[$!]=$name
	job_log[$!]=$log
	job_t0[$!]=$(date +%s)
}


# ---- unit tests ----------------------------------------------------------
# check_PROGRAMS are not built by plain `make`; build them here. A unit test
# that does not compile is a failed test, the others still run.
if [ -f "$ONDO_BUILD/Makefile" ]; then
	log=$OUT/build-unit-tests.log
	t0=$(date +%s)
	rc=0
	make -k -C "$ONDO_BUILD" check TESTS= >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		report "build: unit tests" "$rc" "$(($(date +%s) - t0))" "$log"
	fi
fi

# Two at a time, one per core: under valgrind they are CPU-bound.
JOBS=2
valgrind_ok=0
if [ "${ONDO_VALGRIND:-1}" != 0 ] && command -v valgrind >/dev/null; then
	valgrind_ok=1
fi
for bin in "$ONDO_BUILD"/tests/unit/test_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	case $bin in *.c | *.o | *.sh) continue ;; esac
	name=unit/$(basename "$bin")
	selected "$name" || continue
	log=$OUT/$(basename "$bin").log
	# A sanitizer build checks leaks itself (LeakSanitizer); otherwise
	# valgrind does. Errors and definite leaks fail the test.
	if [ "$valgrind_ok" = 1 ] && ! grep -qa __asan_init "$bin"; then
		run_bg "$name" "$log" valgrind -q --leak-check=full \
			--errors-for-leak-kinds=definite --error-exitcode=99 "$bin"
	else
		run_bg "$name" "$log" "$bin"
	fi
done
while [ "${#job_name[@]}" -gt 0 ]; do reap_one; done

# ---- SIPp, end-to-end and browser tests ---------------------------------
# These spend most of their time waiting on real-time audio, so up to
# ONDO_TEST_JOBS of them run at once: six take about a fifth of two cores
# in the end-to-end calls (the phones' audio is paced by baresip's
# aubridge, not spun out to an ALSA null device: tests/lib/baresip.sh).
# tests/web/ installs its npm package (playwright-core) on first use,
# under a lock.
JOBS=${ONDO_TEST_JOBS:-6}
# The long end-to-end calls start first so that the short tests fill in.
for t in "$SRC_ROOT"/tests/e2e/test_*.sh "$SRC_ROOT"/tests/web/test_*.sh "$SRC_ROOT"/tests/cli/test_*.sh "$SRC_ROOT"/tests/api/test_*.sh "$SRC_ROOT"/tests/sip/test_*.sh "$SRC_ROOT"/tests/netns/test_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$(dirname "$t")")/$(basename "$t")
	selected "$name" || continue
	run_bg "$name" "$OUT/$(basename "$(dirname "$t")")_$(basename "$t" .sh).log" bash "$t"
done
while [ "${#job_name[@]}" -gt 0 ]; do reap_one; done

if [ "$failed" -ne 0 ]; then
	echo "failed: ${failed_names[*]}"
fi
if [ "${#skipped_names[@]}" -ne 0 ]; then
	echo "skipped (not counted): ${skipped_names[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
