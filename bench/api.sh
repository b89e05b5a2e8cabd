#!/bin/bash
# bench/api.sh - the REST API at 10,000 extensions and 1,000,000 call
# records: p50 and p99 latency of its list and search endpoints under
# concurrent requests (bench/api_load.py), the daemon on CPU 1 and the
# client on CPU 0. Appends a section to bench/RESULTS.md.
#
#   make -j2 ondo ondoctl && bench/api.sh      # about 2 minutes
#
# Environment: BENCH_API_EXTS=10000, BENCH_API_CDR=1000000,
# BENCH_API_CONC=8 (concurrent connections), BENCH_API_SECS=5 (per
# query), BENCH_RESULTS=bench/RESULTS.md, BENCH_KEEP=1 keeps the temp dir.
set -eu
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
EXTS=${BENCH_API_EXTS:-10000}
CDRS=${BENCH_API_CDR:-1000000}
CONC=${BENCH_API_CONC:-8}
SECS=${BENCH_API_SECS:-5}
RESULTS=${BENCH_RESULTS:-$BENCH/RESULTS.md}
[ -x "$ROOT/ondo" ] && [ -x "$ROOT/ondoctl" ] || { echo "build first: make -j2 ondo ondoctl" >&2; exit 1; }

W=$(mktemp -d /tmp/ondo-apibench.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP=$(port)
SIP=$(port)
cp "$ROOT/ondo" "$ROOT/ondoctl" "$W/"
cat >"$W/ondo.conf" <<CONF
[sip]
listen = 127.0.0.1:$SIP
[rtp]
ports = 40000-40099
[db]
path = $W/ondo.db
[spool]
dir = $W/spool
[ctl]
socket = $W/ondo.sock
[log]
level = warn
[http]
listen = 127.0.0.1:$HTTP
CONF
CTL="$W/ondoctl -c $W/ondo.conf"
$CTL tenant add Bench bench.test >/dev/null
t0=$(date +%s)
sqlite3 "$W/ondo.db" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $EXTS - 1)
INSERT INTO extensions (tenant_id, number, name, ha1)
SELECT 1, CAST(1000 + i AS TEXT), 'User ' || i, lower(hex(randomblob(16))) FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $CDRS - 1)
INSERT INTO cdr (tenant_id, call_id, caller, callee, start_us, answer_us, end_us, duration, disposition, sip_status)
SELECT 1, 'c' || i, CAST(1000 + (i * 7) % $EXTS AS TEXT), CAST(1000 + (i * 13) % $EXTS AS TEXT),
       1700000000000000 + i * 1000000, 0, 1700000000000000 + i * 1000000 + 30000000, 30,
       CASE i % 4 WHEN 0 THEN 'ANSWERED' WHEN 1 THEN 'NO ANSWER' WHEN 2 THEN 'BUSY' ELSE 'FAILED' END, 200
FROM n;
COMMIT;
SQL
echo "filled: $EXTS extensions, $CDRS call records in $(( $(date +%s) - t0 )) s ($(du -h "$W/ondo.db" | cut -f1))"
$CTL user add bench --role admin --tenant bench.test --password bench-pass-1 >/dev/null
taskset -c 1 "$W/ondo" -c "$W/ondo.conf" >"$W/ondo.log" 2>&1 &
PID=$!
for i in $(seq 50); do grep -q 'main ready' "$W/ondo.log" && break; sleep 0.1; done
TOKEN=$(python3 - "$HTTP" <<'PY'
import http.client, json, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
c.request("POST", "/api/v1/login", json.dumps({"username": "bench", "password": "bench-pass-1"}))
r = c.getresponse(); body = json.loads(r.read()); cookie = r.getheader("Set-Cookie").split(";")[0]
c.request("POST", "/api/v1/tokens", json.dumps({"name": "bench"}),
          {"Cookie": cookie, "X-CSRF-Token": body["csrf"]})
print(json.loads(c.getresponse().read())["token"])
PY
)
OUT=$(taskset -c 0 python3 "$BENCH/api_load.py" "$HTTP" "$TOKEN" "$CONC" "$SECS")
echo "$OUT"
RSS=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
echo "daemon peak RSS: $((RSS / 1024)) MB"
{
	echo
	echo "## REST API latency, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "Command: \`bench/api.sh\` ($EXTS extensions, $CDRS call records, $CONC concurrent"
	echo "connections, ${SECS} s per query, daemon on CPU 1, client on CPU 0); machine:"
	echo "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"). Daemon peak RSS $((RSS / 1024)) MB."
	echo
	echo '```'
	echo "$OUT"
	echo '```'
} >>"$RESULTS"
