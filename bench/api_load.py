#!/usr/bin/env python3
"""api_load.py PORT TOKEN CONCURRENCY SECONDS - latency of the REST API's
list and search endpoints under concurrent requests.

For each query below, CONCURRENCY threads each keep one HTTP/1.1
connection open and send requests back to back for SECONDS (bounded:
every loop stops by the clock), timing each from send to the last byte.
Prints one line per query: requests, requests/s, p50, p99 and max in
milliseconds, and errors (any status but 200). Standard library only.
"""
import http.client
import sys
import threading
import time

PORT, TOKEN = int(sys.argv[1]), sys.argv[2]
CONC, SECS = int(sys.argv[3]), float(sys.argv[4])
T = "/api/v1/tenants/bench.test"
QUERIES = [
    ("extensions, first page", T + "/extensions?limit=100"),
    ("extensions, page 90", T + "/extensions?offset=9000&limit=100"),
    ("extensions, search", T + "/extensions?q=123&limit=50"),
    ("cdr, newest 100", T + "/cdr?limit=100"),
    ("cdr, one extension", T + "/cdr?extension=1234&limit=100"),
    ("cdr, busy in a day", T + "/cdr?disposition=BUSY&from=1700000000"
     "&to=1700086400&limit=100"),
    ("cdr, deep page", T + "/cdr?limit=100&before_start_us=1700500000000000"
     "&before_id=500000"),
    ("registrations", T + "/registrations"),
    ("audit log", "/api/v1/audit?limit=100"),
]


def worker(path, out, errors, stop_at):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    hdrs = {"Authorization": "Bearer " + TOKEN}
    while time.monotonic() < stop_at:
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers=hdrs)
            resp = conn.getresponse()
            resp.read()
            ok = resp.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        out.append((time.perf_counter() - t0) * 1000)
        if not ok:
            errors.append(1)
    conn.close()


def pct(v, p):
    return v[min(len(v) - 1, int(len(v) * p))]


def main():
    print("%-24s %8s %8s %8s %8s %8s %6s" % ("query", "requests", "req/s",
                                            "p50 ms", "p99 ms", "max ms",
                                            "errors"))
    for name, path in QUERIES:
        out, errors = [], []
        stop_at = time.monotonic() + SECS
        threads = [threading.Thread(target=worker,
                                    args=(path, out, errors, stop_at))
                   for _ in range(CONC)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        v = sorted(out)
        print("%-24s %8d %8.0f %8.2f %8.2f %8.2f %6d" % (
            name, len(v), len(v) / SECS, pct(v, 0.5), pct(v, 0.99), v[-1],
            len(errors)))
        sys.stdout.flush()


main()
