"""api.py - a small client of the Ondo REST API for the API tests: real
HTTP over loopback with the standard library only (http.client).

  c = Client("127.0.0.1", port)
  c.login("admin", "pw")            # cookie + CSRF token, as the panel does
  status, body = c.get("/api/v1/me")
  status, body = c.post("/api/v1/tenants", {"name": ..., "domain": ...})

Checks print one line each, as the shell tests do ("  ok   ..." or
"  FAIL ..."); Checks.done() exits 1 if any failed.
"""
import http.client
import json
import sys


class Client:
    def __init__(self, host, port, token=None):
        self.host, self.port = host, port
        self.cookie = None
        self.csrf = None
        self.token = token

    def request(self, method, path, body=None, raw=None, headers=None,
                csrf=True):
        """(status, parsed JSON or bytes, response headers)."""
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if self.csrf and csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        data = raw if raw is not None else (
            json.dumps(body).encode() if body is not None else None)
        if data is not None:
            h.setdefault("Content-Type", "application/json")
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request(method, path, body=data, headers=h)
            resp = conn.getresponse()
            payload = resp.read()
            hdrs = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()
        ctype = hdrs.get("content-type", "")
        if ctype.startswith("application/json") and payload:
            try:
                payload = json.loads(payload)
            except ValueError:
                pass
        return resp.status, payload, hdrs

    def login(self, user, password):
        st, body, hdrs = self.request(
            "POST", "/api/v1/login", {"username": user, "password": password})
        if st == 200:
            self.cookie = hdrs["set-cookie"].split(";")[0]
            self.csrf = body["csrf"]
        return st, body, hdrs

    def get(self, path):
        return self.request("GET", path)[:2]

    def post(self, path, body=None):
        return self.request("POST", path, body)[:2]

    def patch(self, path, body=None):
        return self.request("PATCH", path, body)[:2]

    def delete(self, path):
        return self.request("DELETE", path)[:2]


class Checks:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, what, ok, detail=""):
        self.n += 1
        if ok:
            print("  ok   " + what)
        else:
            self.failed += 1
            print("  FAIL " + what + (": " + str(detail) if detail else ""))
        sys.stdout.flush()
        return ok

    def status(self, what, got, want, body=None):
        wants = want if isinstance(want, tuple) else (want,)
        return self.check("%s -> %s" % (what, got), got in wants,
                          "expected %s, body %r" % (want, body))

    def done(self):
        print("  ..   %d of %d API checks passed" % (self.n - self.failed,
                                                    self.n))
        sys.exit(1 if self.failed else 0)
