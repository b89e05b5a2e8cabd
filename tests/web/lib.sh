# shellcheck shell=bash
# lib.sh - for the browser tests (tests/web/test_*.sh), sourced after
# tests/lib/common.sh: playwright-core installed when missing, the daemon
# started with the panel and a superadmin, and web_step to run one step of
# a node script (lib.mjs) in headless chromium.
#
#   . "$(dirname "$0")/../lib/common.sh"
#   . "$(dirname "$0")/lib.sh"
#   test_init "panel: ..."
#   web_start                      # daemon + superadmin root/root-pass-1
#   web_step phones.mjs login      # one step; its checks count in the total
#
# Screenshots go to $ONDO_BUILD/tests/out/web/ (kept by CI with the logs).

WEB_DIR=$SRC_ROOT/tests/web
WEB_OUT=$ONDO_BUILD/tests/out/web
WEB_ROOT_USER=root
WEB_ROOT_PASS=root-pass-1
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

# web_deps: node, chromium and tests/web/node_modules (npm ci from the
# lock file; the npm cache makes later installs offline). A machine
# without node or chromium fails the test: scripts/deps.sh installs them.
web_deps() {
	command -v node >/dev/null ||
		fatal "node is not installed (scripts/deps.sh installs it)"
	[ -x "$CHROMIUM" ] ||
		fatal "$CHROMIUM is not installed (scripts/deps.sh installs chromium)"
	[ -f "$WEB_DIR/node_modules/playwright-core/package.json" ] && return 0
	info "installing playwright-core into $WEB_DIR/node_modules"
	(
		flock 9
		[ -f "$WEB_DIR/node_modules/playwright-core/package.json" ] ||
			npm ci --prefix "$WEB_DIR" --no-audit --no-fund --prefer-offline \
				--loglevel=error >"$T_DIR/npm.log" 2>&1
	) 9>"$WEB_DIR/.npm.lock" ||
		fatal "npm ci in tests/web failed:$(echo; tail -n 15 "$T_DIR/npm.log" | sed 's/^/       /')"
}

# web_start: the daemon with [http] serving this source tree's panel, and
# the superadmin the steps log in as.
web_start() {
	web_deps
	mkdir -p "$WEB_OUT"
	ONDO_EXTRA_CONF="web_dir = $SRC_ROOT/web/static
${ONDO_EXTRA_CONF:-}"
	start_ondo
	provision user add "$WEB_ROOT_USER" --role superadmin --password "$WEB_ROOT_PASS"
	export PANEL_URL=http://127.0.0.1:$ONDO_HTTP_PORT
	export WEB_OUT WEB_STATE=$T_DIR/web-state WEB_COUNTS=$T_DIR/web.counts CHROMIUM
	export WEB_TEST=${WEB_TEST:-$(basename "$0" .sh)}
	: >"$WEB_COUNTS"
}

# web_step SCRIPT STEP [ARGS...]: runs one step; 0 if all its checks
# passed. Its checks and failures are added to this test's.
web_step() {
	local rc=0
	: >"$WEB_COUNTS"
	web_node "$@" || rc=$?
	web_count "$1" "$2" "$rc"
	return "$rc"
}

web_node() {
	local script=$1
	shift
	timeout -k 5 90 node "$WEB_DIR/$script" "$@"
}

# web_count SCRIPT STEP RC: adds a finished step's checks to the test's.
web_count() {
	local c f
	while read -r c f; do
		T_CHECKS=$((T_CHECKS + c))
		T_FAILS=$((T_FAILS + f))
	done <"$WEB_COUNTS"
	if [ "$3" -eq 124 ] || [ "$3" -eq 137 ]; then
		fail "browser step $1 $2 did not end within 90 s"
	elif [ "$3" -ne 0 ] && [ ! -s "$WEB_COUNTS" ]; then
		fail "browser step $1 $2 failed to run (exit $3)"
	fi
}

# web_step_bg SCRIPT STEP [ARGS...]: a step in the background, for one
# that watches the page while the test does something with phones; the
# step calls signal('NAME') when it is watching (web_wait_signal NAME).
# Collect it with web_step_wait, which sets WEB_RC.
WEB_BG_PID=
WEB_BG_WHAT=
web_step_bg() {
	rm -f "$WEB_STATE"-*.signal
	: >"$WEB_COUNTS"
	web_node "$@" &
	WEB_BG_PID=$!
	WEB_BG_WHAT="$1 $2"
	track_pid "$WEB_BG_PID"
}

# web_wait_signal NAME [SECONDS]: 0 once the background step signalled
# NAME; 1 if it ended or the time ran out first.
web_wait_signal() {
	local name=$1 limit=${2:-30} i
	for ((i = 0; i < limit * 10; i++)); do
		[ -e "$WEB_STATE-$name.signal" ] && return 0
		kill -0 "$WEB_BG_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

web_step_wait() {
	WEB_RC=0
	wait "$WEB_BG_PID" || WEB_RC=$?
	untrack_pid "$WEB_BG_PID"
	# shellcheck disable=SC2086
	web_count $WEB_BG_WHAT "$WEB_RC"
	WEB_BG_PID=
	return "$WEB_RC"
}

# web_api METHOD PATH [JSON]: the REST API as the superadmin (for checks
# and set-up around the page, never instead of it); prints the body.
web_api() {
	"$PYTHON" - "$ONDO_HTTP_PORT" "$TESTS_LIB" "$WEB_ROOT_USER" "$WEB_ROOT_PASS" "$@" <<'EOF'
import json, sys
sys.path.insert(0, sys.argv[2])
from api import Client
port, _, user, pw, method, path = sys.argv[1:7]
body = json.loads(sys.argv[7]) if len(sys.argv) > 7 else None
c = Client("127.0.0.1", int(port))
c.login(user, pw)
st, data, _ = c.request(method, path, body)
print(json.dumps(data) if not isinstance(data, bytes) else "")
sys.exit(0 if st < 400 else 1)
EOF
}

# web_has_endpoint METHOD PATH: does this daemon have the endpoint? (An
# unknown path is 404 "no such resource", a known path with another
# method 405.)
web_has_endpoint() {
	local out
	out=$(web_api "$1" "$2" 2>/dev/null) && return 0
	! grep -q '"no such resource"\|is not allowed here' <<<"$out"
}

# web_skip WHY: ends the test as skipped (run.sh shows SKIP).
web_skip() {
	info "SKIP: $*"
	stop_ondo >/dev/null || true
	exit 77
}
