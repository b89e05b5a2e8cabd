#!/bin/bash
# fuzz/run.sh - builds the libFuzzer targets (clang, ./configure
# --enable-fuzzing, out of tree), replays every input of fuzz/corpus/
# (seeds and the regression inputs of crashes found before), then fuzzes
# each target for a bounded time. One PASS/FAIL line per target, then
# "N passed, N failed"; exit status 0 only if nothing failed. A crash, a
# leak, a sanitizer report, a broken invariant or an input slower than
# FUZZ_TIMEOUT fails its target, and the input is kept under
# $FUZZ_WORK/crashes/ (add it to fuzz/corpus/TARGET/ as regress-NAME once
# the bug is fixed).
#
#   fuzz/run.sh [TARGET...]        all targets when none is named
#                                  (sdp rtp rtcp dtmf_info dialplan conf
#                                  rest wav digest)
#
#   FUZZ_SECONDS=20    fuzzing time per target; 0 replays the corpus only
#   FUZZ_JOBS=1        targets fuzzed at the same time
#   FUZZ_BUILD=build-fuzz    the build folder (configured if needed)
#   FUZZ_WORK=$FUZZ_BUILD/fuzz-work   grown corpora and crashes, kept
#                      between runs so that longer runs add up
#   FUZZ_NO_BUILD=1    use the build as it is
#   FUZZ_TIMEOUT=10    seconds one input may take
set -u
cd "$(dirname "$0")/.."
SRC=$PWD

ALL_TARGETS=(sdp rtp rtcp dtmf_info dialplan conf rest wav digest tar)
SECONDS_EACH=${FUZZ_SECONDS:-20}
JOBS=${FUZZ_JOBS:-1}
BUILD=${FUZZ_BUILD:-build-fuzz}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac
WORK=${FUZZ_WORK:-$BUILD/fuzz-work}
TIMEOUT=${FUZZ_TIMEOUT:-10}

# The longest input each target gets: a little over the largest thing its
# parser is handed in real use (a REST request with a 1 s greeting, a
# compound RTCP packet, an SDP body).
max_len() {
	case $1 in
	sdp | conf) echo 4096 ;;
	rtp) echo 8192 ;;
	rtcp) echo 1500 ;;
	dtmf_info | dialplan | digest) echo 1024 ;;
	rest | wav) echo 32768 ;;
	*) echo 4096 ;;
	esac
}

if [ $# -gt 0 ]; then
	TARGETS=("${@#fuzz_}") # "fuzz_rest" or "rest"
else
	TARGETS=("${ALL_TARGETS[@]}")
fi

build() {
	command -v clang >/dev/null || {
		echo "fuzz: clang is needed (apt-get install clang)" >&2
		return 1
	}
	[ -x "$SRC/configure" ] || (cd "$SRC" && ./autogen.sh) || return 1
	mkdir -p "$BUILD"
	# Ignored by git wherever it is.
	[ -f "$BUILD/.gitignore" ] || echo '*' >"$BUILD/.gitignore"
	if [ ! -f "$BUILD/Makefile" ]; then
		(cd "$BUILD" && CC=clang "$SRC/configure" --enable-fuzzing \
			>configure.log 2>&1) || {
			tail -n 20 "$BUILD/configure.log"
			return 1
		}
	fi
	make -C "$BUILD" -j"${FUZZ_MAKE_JOBS:-2}" fuzz-targets \
		>"$BUILD/fuzz-make.log" 2>&1 || {
		grep -E "error|Error" "$BUILD/fuzz-make.log" | head -n 20
		return 1
	}
}

if [ -z "${FUZZ_NO_BUILD:-}" ]; then
	echo "=== fuzz: building the targets in $BUILD"
	if ! build; then
		echo "FAIL  build"
		echo "0 passed, 1 failed"
		exit 1
	fi
fi

mkdir -p "$WORK/crashes" "$WORK/logs"
# fuzz_rest keeps a database and a spool here; tmpfs when there is one.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPD=$(mktemp -d /dev/shm/ondo-fuzz.XXXXXX)
else
	TMPD=$(mktemp -d "${TMPDIR:-/tmp}/ondo-fuzz.XXXXXX")
fi
trap 'rm -rf "$TMPD"' EXIT
export FUZZ_TMPDIR=$TMPD
# The suppressions are the sanitizer suite's: third-party bugs only.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1:suppressions=$SRC/tests/asan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# A report in a log, whatever the exit status said.
reported() {
	grep -qE "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|fuzz invariant broken|SUMMARY: (Address|Undefined|Leak)" "$1"
}

# The crashing input libFuzzer saved, or "" (none: e.g. a build problem).
saved_input() {
	grep -oE "(Test unit written to|written to) [^ ]+" "$1" | tail -n 1 |
		awk '{print $NF}'
}

# stat NAME LOG: a number from -print_final_stats.
stat_of() {
	grep -oE "^stat::$1: *[0-9]+" "$2" | tail -n 1 | grep -oE "[0-9]+$"
}

run_target() {
	local t=$1 bin=$BUILD/fuzz/fuzz_$t seeds=$SRC/fuzz/corpus/$t
	local grown=$WORK/corpus/$t log=$WORK/logs/$t.log res=$WORK/logs/$t.result
	local dict=() files nseed execs eps cov ft corp why input

	: >"$res"
	if [ ! -x "$bin" ]; then
		echo "FAIL  $t: no $bin (build first)" >"$res"
		return
	fi
	[ -f "$SRC/fuzz/dict/$t.dict" ] && dict=(-dict="$SRC/fuzz/dict/$t.dict")
	mkdir -p "$grown"
	# 1. replay: every seed and regression input, once each.
	mapfile -t files < <(find "$seeds" -type f | sort)
	nseed=${#files[@]}
	if [ "$nseed" -gt 0 ]; then
		timeout -k 10 600 "$bin" -timeout="$TIMEOUT" -rss_limit_mb=2048 \
			-artifact_prefix="$WORK/crashes/$t-replay-" \
			"${files[@]}" >"$log.replay" 2>&1
		if [ $? -ne 0 ] || reported "$log.replay"; then
			why=$(grep -m1 -E "ERROR:|runtime error:|fuzz invariant broken" "$log.replay")
			input=$(grep -E "^Running: " "$log.replay" | tail -n 1 | sed 's/^Running: //')
			echo "FAIL  $t: replay of $nseed inputs: ${why:-exit status} (input: ${input:-?}; log: $log.replay)" >"$res"
			return
		fi
	fi
	if [ "$SECONDS_EACH" -le 0 ]; then
		echo "PASS  $t: replayed $nseed inputs" >"$res"
		return
	fi
	# 2. fuzz: the grown corpus (written to) and the seeds.
	# libFuzzer keeps to its time; the outer limit is for a process that
	# cannot (stopped, or stuck outside an input).
	timeout -k 10 $((SECONDS_EACH + 300)) \
		"$bin" -max_total_time="$SECONDS_EACH" -max_len="$(max_len "$t")" \
		-timeout="$TIMEOUT" -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$WORK/crashes/$t-" "${dict[@]}" \
		"$grown" "$seeds" >"$log" 2>&1
	local rc=$?
	execs=$(stat_of number_of_executed_units "$log")
	eps=$(stat_of average_exec_per_sec "$log")
	cov=$(grep -oE "cov: [0-9]+" "$log" | tail -n 1 | grep -oE "[0-9]+")
	ft=$(grep -oE "ft: [0-9]+" "$log" | tail -n 1 | grep -oE "[0-9]+")
	corp=$(find "$grown" -type f | wc -l)
	if [ $rc -ne 0 ] || reported "$log"; then
		why=$(grep -m1 -E "ERROR:|runtime error:|fuzz invariant broken" "$log")
		[ -z "$why" ] && [ $rc -eq 124 -o $rc -eq 137 ] &&
			why="still running $((SECONDS_EACH + 300)) s after it began"
		input=$(saved_input "$log")
		echo "FAIL  $t: ${why:-exit status $rc} (input: ${input:-none saved}; log: $log)" >"$res"
		return
	fi
	printf 'PASS  %s: replayed %d, fuzzed %d s: %s execs (%s/s), cov %s, ft %s, corpus %d\n' \
		"$t" "$nseed" "$SECONDS_EACH" "${execs:-?}" "${eps:-?}" \
		"${cov:-?}" "${ft:-?}" "$corp" >"$res"
}

echo "=== fuzz: ${#TARGETS[@]} targets, replay then ${SECONDS_EACH} s each, $JOBS at a time"
running=0
for t in "${TARGETS[@]}"; do
	run_target "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

passed=0
failed=0
for t in "${TARGETS[@]}"; do
	line=$(cat "$WORK/logs/$t.result" 2>/dev/null)
	[ -n "$line" ] || line="FAIL  $t: no result"
	echo "$line"
	case $line in
	PASS*) passed=$((passed + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
