#!/usr/bin/env python3
"""tenant_trunks.py PORT LIBDIR DB - a tenant's settings and the shared
trunks through the REST API (test_tenant_trunks.sh made the tenants a.test
and b.test, the superadmin root and a.test's admin adma).

Settings: each refused value is a 422 naming its field, and nothing of
the request is written, also when the other fields were good. Shared
trunks: the superadmin adds, changes and deletes them; the daemon's trunk
state follows each change (as after ondoctl's trunks-reload); a tenant
admin sees them in its list without the account or password and cannot
change or delete them.
"""
import sqlite3
import sys
import time

sys.path.insert(0, sys.argv[2])
from api import Checks, Client  # noqa: E402

PORT = int(sys.argv[1])
DB = sys.argv[3]
T = "/api/v1/tenants/a.test"
chk = Checks()


def login(user, pw):
    c = Client("127.0.0.1", PORT)
    st, body, _ = c.login(user, pw)
    chk.status("log-in as %s" % user, st, 200, body)
    return c


root = login("root", "root-pass-1")
adma = login("adma", "adma-pass-1")

# ---- tenant settings ----
st, before = adma.get(T)
chk.check("GET gives every setting, the defaults of a new tenant",
          st == 200 and {k: before.get(k) for k in
                         ("name", "domain", "codecs", "main_number",
                          "emergency", "timezone")} ==
          {"name": "A", "domain": "a.test", "codecs": "G722,PCMU,PCMA",
           "main_number": "", "emergency": "112,911", "timezone": "UTC"},
          before)
BAD = [
    ("name", {"name": ""}),
    ("name", {"name": 'say "hi"'}),
    ("codecs", {"codecs": "G729"}),
    ("codecs", {"codecs": "PCMU,pcmu"}),
    ("main_number", {"main_number": "0301234"}),
    ("emergency", {"emergency": "110, 112"}),
    ("timezone", {"timezone": "Mars/Base"}),
    ("timezone", {"timezone": 1}),
    ("colour", {"colour": "red"}),
    ("domain", {"domain": "c.test"}),
    # Good values with one bad one: none of them is written.
    ("timezone", {"name": "Changed", "codecs": "PCMA",
                  "timezone": "../../etc/passwd"}),
]
for field, body in BAD:
    st, ans = adma.patch(T, body)
    chk.check("PATCH %s -> 422 naming %s (%s)" % (body, field,
                                                  ans.get("error")),
              st == 422 and ans.get("field") == field, (st, ans))
st, after = adma.get(T)
chk.check("  and the tenant is as it was", after == before, after)
st, ans = adma.patch(T, {"name": "Acme Europe", "codecs": "pcmu, g722",
                         "main_number": "+4930123450",
                         "emergency": "110,112",
                         "timezone": "Europe/Berlin"})
chk.check("PATCH of all five by the tenant's admin -> 200, read back as "
          "stored (the codecs canonical)",
          st == 200 and ans.get("name") == "Acme Europe" and
          ans.get("codecs") == "PCMU,G722" and
          ans.get("timezone") == "Europe/Berlin", (st, ans))
st, ans = root.get("/api/v1/tenants/b.test")
chk.check("  b.test is untouched", ans.get("name") == "B" and
          ans.get("timezone") == "UTC", ans)
st, ans = root.patch("/api/v1/tenants/b.test", {"main_number": ""})
chk.status("the superadmin changes another tenant", st, 200, ans)
st, ans = adma.patch("/api/v1/tenants/b.test", {"name": "Mine"})
chk.status("  an admin may not (no such tenant)", st, 404, ans)
st, ans = adma.get("/api/v1/audit?limit=5")
acts = [(e["action"], e["object"]) for e in ans.get("entries", [])]
chk.check("the audit log names the settings changed",
          ("PATCH " + T, "tenant a.test: name, codecs, main_number, "
           "emergency, timezone") in acts, acts)

# ---- the on-demand record code: a setting of the table, its own why ----
st, ans = adma.patch(T, {"record_code": "*7"})
chk.check("record_code *7 (the start of *70) -> 422 saying so",
          st == 422 and ans.get("field") == "record_code" and
          "*70" in ans.get("error", ""), (st, ans))
st, ans = adma.patch(T, {"record_code": "*9#"})
chk.check("record_code *9# -> 200, read back",
          st == 200 and ans.get("record_code") == "*9#", (st, ans))

# ---- voicemail settings: the tenant admin's ----
chk.check("GET shows the voicemail settings, the defaults",
          before.get("voicemail") == {"max_message_s": 180, "silence_s": 6,
                                      "own_phone_pin": "ask"},
          before.get("voicemail"))
for field, vm in (("voicemail.max_message_s", {"max_message_s": 5}),
                  ("voicemail.silence_s", {"silence_s": 61}),
                  ("voicemail.own_phone_pin", {"own_phone_pin": "never"}),
                  ("voicemail", {"colour": 1})):
    st, ans = adma.patch(T, {"timezone": "UTC", "voicemail": vm})
    chk.check("PATCH voicemail %s -> 422 naming %s" % (vm, field),
              st == 422 and ans.get("field") == field, (st, ans))
st, ans = adma.patch(T, {"voicemail": {"max_message_s": 120,
                                       "own_phone_pin": "skip"}})
chk.check("the tenant admin sets two voicemail settings; the third stays",
          st == 200 and ans.get("voicemail") == {"max_message_s": 120,
                                                 "silence_s": 6,
                                                 "own_phone_pin": "skip"} and
          ans.get("timezone") == "Europe/Berlin", (st, ans))

# ---- limits: the hosting provider's (a superadmin's) to set ----
chk.check("GET shows the limits, the defaults of a new tenant",
          before.get("limits") == {"max_calls": 0, "max_extensions": 0,
                                   "max_call_secs": 14400},
          before.get("limits"))
st, ans = adma.patch(T, {"limits": {"max_calls": 1000}})
chk.check("a tenant admin raising its own limits -> 403 naming limits",
          st == 403 and ans.get("field") == "limits", (st, ans))
for field, lim in (("limits.max_calls", {"max_calls": -1}),
                   ("limits.max_call_secs", {"max_call_secs": 5}),
                   ("limits.max_extensions", {"max_extensions": "9"}),
                   ("limits.colour", {"colour": 1})):
    st, ans = root.patch(T, {"name": "Not Written", "limits": lim})
    chk.check("PATCH limits %s -> 422 naming %s" % (lim, field),
              st == 422 and ans.get("field") == field, (st, ans))
st, ans = root.patch(T, {"limits": {"max_calls": 20, "max_call_secs": 3600}})
chk.check("the superadmin sets two limits; the third stays",
          st == 200 and ans.get("limits") == {"max_calls": 20,
                                              "max_extensions": 0,
                                              "max_call_secs": 3600} and
          ans.get("name") == "Acme Europe", (st, ans))
con = sqlite3.connect(DB)
row = con.execute("SELECT max_calls, max_call_secs FROM tenants "
                  "WHERE domain = 'a.test'").fetchone()
con.close()
chk.check("  stored in the database (what the daemon reads)",
          row == (20, 3600), row)

# ---- shared trunks ----
SHARED = {"name": "upstream", "host": "127.0.0.1", "port": 5099,
          "auth": "register", "username": "acct-1",
          "password": "carrier-secret-1", "max_calls": 4}


def status_names(client):
    st, ans = client.get(T + "/trunk-status")
    return {(x["shared"], x["name"]) for x in ans.get("trunks", [])}


st, ans = adma.post("/api/v1/trunks", SHARED)
chk.status("an admin may not add a shared trunk", st, 403, ans)
st, ans = root.post("/api/v1/trunks", dict(SHARED, port=70000))
chk.check("a shared trunk on port 70000 -> 422 naming port",
          st == 422 and ans.get("field") == "port", (st, ans))
st, ans = root.post("/api/v1/trunks", dict(SHARED, password=""))
chk.check("a registering one without a password -> 422 naming password",
          st == 422 and ans.get("field") == "password", (st, ans))
st, ans = root.get("/api/v1/trunks")
chk.check("  neither was stored", st == 200 and ans.get("trunks") == [],
          ans)
st, ans = root.post("/api/v1/trunks", SHARED)
chk.check("the superadmin adds a shared trunk -> 201, shared, the "
          "password set and not shown",
          st == 201 and ans.get("shared") is True and
          ans.get("password_set") is True and "password" not in ans,
          (st, ans))
st, ans = root.post("/api/v1/trunks", SHARED)
chk.status("  the same name again", st, 409, ans)
deadline = time.time() + 5
while (True, "upstream") not in status_names(adma) and time.time() < deadline:
    time.sleep(0.2)
chk.check("  the daemon has it (a.test's trunk status lists it)",
          (True, "upstream") in status_names(adma))
st, raw, _ = adma.request("GET", T + "/trunks")
row = [x for x in raw.get("trunks", []) if x["name"] == "upstream"]
chk.check("a.test's admin sees it in the tenant's list, shared, without "
          "its account",
          len(row) == 1 and row[0]["shared"] is True and
          row[0]["username"] == "" and "password" not in row[0], row)
chk.check("  and the password is nowhere in the answer",
          "carrier-secret-1" not in str(raw), raw)
for method, body in (("PATCH", {"max_calls": 1}), ("DELETE", None)):
    st, ans, _ = adma.request(method, T + "/trunks/upstream", body)
    chk.status("%s of it through a.test's trunks by its admin" % method,
               st, 404, ans)
    st, ans, _ = adma.request(method, "/api/v1/trunks/upstream", body)
    chk.status("%s of it as a shared trunk by a.test's admin" % method,
               st, 403, ans)
st, ans = root.patch("/api/v1/trunks/upstream", {"name": "other"})
chk.check("renaming it -> 422 naming name",
          st == 422 and ans.get("field") == "name", (st, ans))
st, ans = root.patch("/api/v1/trunks/upstream", {"expiry": 30})
chk.check("an expiry of 30 s -> 422 naming expiry",
          st == 422 and ans.get("field") == "expiry", (st, ans))
st, ans = root.patch("/api/v1/trunks/upstream", {"max_calls": 7})
chk.check("the superadmin changes it -> 200, the rest kept",
          st == 200 and ans.get("max_calls") == 7 and
          ans.get("port") == 5099 and ans.get("password_set") is True,
          (st, ans))
st, ans = root.patch("/api/v1/trunks/nope", {"max_calls": 7})
chk.status("  a shared trunk that does not exist", st, 404, ans)
st, ans = root.post("/api/v1/trunks", dict(SHARED, name="spare",
                                           auth="ip", username="",
                                           password=""))
chk.status("a second shared trunk", st, 201, ans)
st, ans = root.delete("/api/v1/trunks/spare")
chk.status("  deleted by the superadmin", st, 204, ans)
deadline = time.time() + 5
while (True, "spare") in status_names(adma) and time.time() < deadline:
    time.sleep(0.2)
chk.check("  and gone from the daemon's trunks",
          (True, "spare") not in status_names(adma))
st, ans = root.delete("/api/v1/trunks/spare")
chk.status("  deleting it again", st, 404, ans)
db = sqlite3.connect(DB, timeout=5)
rows = db.execute("SELECT action, object, detail FROM audit_log "
                  "WHERE object LIKE 'shared trunk %' ORDER BY id").fetchall()
db.close()
chk.check("the audit log has the shared trunks added, changed, deleted",
          [(a, o) for a, o, _ in rows] ==
          [("POST /api/v1/trunks", "shared trunk upstream"),
           ("PATCH /api/v1/trunks/upstream", "shared trunk upstream"),
           ("POST /api/v1/trunks", "shared trunk spare"),
           ("DELETE /api/v1/trunks/spare", "shared trunk spare")], rows)
chk.done()
