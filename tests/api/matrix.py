#!/usr/bin/env python3
"""matrix.py PORT LIBDIR DB - every API endpoint x every role x own/other
tenant, each cell checked for the status the access policy gives
(docs/api.md):

  no credentials                                401
  a tenant not the caller's (superadmin: all)   404, never its data
  an extension not the user's own (role user)   404
  a role below the endpoint's                   403
  otherwise                                     the endpoint's success

The expected status is computed here from that policy, independently of
the daemon's route table. The shell test (test_matrix.sh) made the
tenants, users, messages, conference rooms (800 in each tenant) and room
recordings this needs; DB is the daemon's database, where fresh room
recordings are written for the cells that delete one (only a room's mix
makes them otherwise).

Nobody is in a conference room here, so the live room endpoints answer
what they answer for an empty room: no such member (404) to mute, unmute
and kick, nothing to lock (409). That is still the endpoint's own answer,
after the access checks; tests/web/test_rooms.sh acts on a room with
phones in it.
"""
import io
import itertools
import sqlite3
import sys
import time
import wave

sys.path.insert(0, sys.argv[2])
from api import Checks, Client  # noqa: E402

PORT = int(sys.argv[1])
DB = sys.argv[3]
ROLES = {  # name -> (password, role, tenant, extension)
    "anon": (None, -1, None, None),
    "root": ("root-pass-1", 2, None, None),
    "adma": ("adma-pass-1", 1, "a.test", None),
    "ua": ("ua-pass-123", 0, "a.test", "1001"),
}
OWN_EXT = {"a.test": "1001", "b.test": "2001"}
counter = itertools.count(1)


def admin():
    c = Client("127.0.0.1", PORT)
    c.login("root", ROLES["root"][0])
    return c


ROOT = admin()


def vm_id(t, e):
    st, body = ROOT.get("/api/v1/tenants/%s/extensions/%s/voicemail" % (t, e))
    return body["messages"][0]["id"]


def fresh_ext(t):
    n = "4%03d" % next(counter)
    ROOT.post("/api/v1/tenants/%s/extensions" % t,
              {"number": n, "password": "fresh-pass-1"})
    return n


def fresh_room(t):
    n = "87%03d" % next(counter)
    ROOT.post("/api/v1/tenants/%s/rooms" % t, {"number": n})
    return n


def fresh_group(t):
    n = "66%03d" % next(counter)
    ROOT.post("/api/v1/tenants/%s/ringgroups" % t, {"number": n})
    return n


def fresh_trunk(t):
    n = "k%d" % next(counter)
    ROOT.post("/api/v1/tenants/%s/trunks" % t,
              {"name": n, "host": "127.0.0.1", "port": 9, "auth": "ip"})
    return n


def fresh_route(t):
    st, body = ROOT.post("/api/v1/tenants/%s/routes" % t,
                         {"pattern": "*7%d" % next(counter), "app": "echo"})
    return body["id"]


def fresh_did(t):
    n = "+4940%06d" % next(counter)
    ROOT.post("/api/v1/tenants/%s/dids" % t,
              {"number": n, "dest_type": "ivr", "dest": "main"})
    return n


def fresh_shared_trunk(t):
    n = "s%d" % next(counter)
    ROOT.post("/api/v1/trunks",
              {"name": n, "host": "127.0.0.1", "port": 9, "auth": "ip"})
    return n


def sound(seconds=0.5):
    """A short mono 8 kHz WAV of silence: a prompt upload's body."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * int(8000 * seconds))
    return out.getvalue()


def fresh_prompt(t):
    p = "p%d" % next(counter)
    ROOT.request("PUT", "/api/v1/tenants/%s/prompts/%s" % (t, p),
                 raw=sound(), headers={"Content-Type": "audio/wav"})
    return p


def rec_id(t):
    st, body = ROOT.get("/api/v1/tenants/%s/room-recordings" % t)
    return min(r["id"] for r in body["recordings"])


def cdr_id(t):
    st, body = ROOT.get("/api/v1/tenants/%s/cdr" % t)
    return min(c["id"] for c in body["cdr"] if c["recordings"])


def fresh_rec(t):
    db = sqlite3.connect(DB, timeout=5)
    with db:
        cur = db.execute(
            "INSERT INTO room_recordings (tenant_id, room, path, started, "
            "duration_s) SELECT id, '800', 'rooms/' || domain || "
            "'/800-gone.wav', ?, 1 FROM tenants WHERE domain = ?",
            (int(time.time()), t))
    db.close()
    return cur.lastrowid


# (name, method, path template, body maker, min role, success)
# {t} tenant, {e} extension, {x} a fresh extension, {m} a message id,
# {y} a fresh conference room, {r} a room recording (its file there),
# {q} a fresh room recording, {c} a call record with two recordings (their
# files there), {g} a fresh ring group, {p} a new prompt id, {o} a prompt
# uploaded just before, {k} a fresh trunk of the tenant, {s} a fresh
# shared trunk, {d} a fresh DID, {u} a fresh route's id; a body maker
# returning bytes is sent as a sound file. The
# shared trunk "carrier" and each tenant's trunk "own" were made by
# test_matrix.sh.
ENDPOINTS = [
    ("tenant", "GET", "/api/v1/tenants/{t}", None, 0, 200),
    ("tenant settings", "PATCH", "/api/v1/tenants/{t}",
     lambda: {"timezone": ("Europe/Berlin", "UTC")[next(counter) % 2],
              "emergency": "112,911"}, 1, 200),
    ("ext list", "GET", "/api/v1/tenants/{t}/extensions", None, 1, 200),
    ("ext add", "POST", "/api/v1/tenants/{t}/extensions",
     lambda: {"number": "3%03d" % next(counter), "password": "new-pass-12"},
     1, 201),
    ("ext get", "GET", "/api/v1/tenants/{t}/extensions/{e}", None, 0, 200),
    ("ext patch", "PATCH", "/api/v1/tenants/{t}/extensions/{e}",
     lambda: {"password": "changed-pw-1"}, 0, 200),
    ("ext forward and dnd", "PATCH", "/api/v1/tenants/{t}/extensions/{e}",
     lambda: {"dnd": next(counter) % 2 == 0,
              "forward": {"busy": {"type": "voicemail"},
                          "always": None}}, 0, 200),
    ("ext del", "DELETE", "/api/v1/tenants/{t}/extensions/{x}", None, 1, 204),
    ("vm list", "GET", "/api/v1/tenants/{t}/extensions/{e}/voicemail", None,
     0, 200),
    ("vm audio", "GET",
     "/api/v1/tenants/{t}/extensions/{e}/voicemail/{m}/audio", None, 0, 200),
    ("registrations", "GET", "/api/v1/tenants/{t}/registrations", None, 1,
     200),
    ("calls", "GET", "/api/v1/tenants/{t}/calls", None, 1, 200),
    ("cdr", "GET", "/api/v1/tenants/{t}/cdr", None, 1, 200),
    ("cdr recording", "GET", "/api/v1/tenants/{t}/cdr/{c}/recording", None,
     1, 200),
    ("cdr recording n", "GET", "/api/v1/tenants/{t}/cdr/{c}/recordings/2",
     None, 1, 200),
    ("tenant archive", "GET", "/api/v1/tenants/{t}/archive", None, 2, 200),
    ("users", "GET", "/api/v1/tenants/{t}/users", None, 1, 200),
    ("user add", "POST", "/api/v1/tenants/{t}/users",
     lambda: {"username": "made%d" % next(counter), "role": "admin",
              "password": "made-pass-1"}, 1, 201),
    ("greetings", "GET", "/api/v1/tenants/{t}/extensions/{e}/greetings",
     None, 0, 200),
    ("mailbox", "PATCH", "/api/v1/tenants/{t}/extensions/{e}/mailbox",
     lambda: {"email": "x@example.com"}, 0, 200),
    ("tenant voicemail", "GET", "/api/v1/tenants/{t}/voicemail", None, 1,
     200),
    ("trunks", "GET", "/api/v1/tenants/{t}/trunks", None, 1, 200),
    ("trunk add", "POST", "/api/v1/tenants/{t}/trunks",
     lambda: {"name": "c%d" % next(counter), "host": "127.0.0.1", "port": 9,
              "auth": "ip"}, 1, 201),
    ("trunk patch", "PATCH", "/api/v1/tenants/{t}/trunks/own",
     lambda: {"max_calls": next(counter) % 50}, 1, 200),
    ("trunk del", "DELETE", "/api/v1/tenants/{t}/trunks/{k}", None, 1, 204),
    # A shared trunk through a tenant's path is no trunk of the tenant's.
    ("shared trunk patch by tenant path", "PATCH",
     "/api/v1/tenants/{t}/trunks/carrier", lambda: {"max_calls": 3}, 1,
     404),
    ("shared trunk del by tenant path", "DELETE",
     "/api/v1/tenants/{t}/trunks/carrier", None, 1, 404),
    ("shared trunks", "GET", "/api/v1/trunks", None, 2, 200),
    # A stand-alone node: its (empty) cluster settings; no table to sync.
    ("cluster", "GET", "/api/v1/cluster", None, 2, 200),
    ("cluster sync", "POST", "/api/v1/cluster/sync", None, 2, 409),
    ("shared trunk add", "POST", "/api/v1/trunks",
     lambda: {"name": "sh%d" % next(counter), "host": "127.0.0.1",
              "port": 9, "auth": "ip"}, 2, 201),
    ("shared trunk patch", "PATCH", "/api/v1/trunks/carrier",
     lambda: {"max_calls": next(counter) % 50}, 2, 200),
    ("shared trunk del", "DELETE", "/api/v1/trunks/{s}", None, 2, 204),
    ("trunk status", "GET", "/api/v1/tenants/{t}/trunk-status", None, 1,
     200),
    ("dids", "GET", "/api/v1/tenants/{t}/dids", None, 1, 200),
    ("did add", "POST", "/api/v1/tenants/{t}/dids",
     lambda: {"number": "+4930%06d" % next(counter),
              "dest_type": "ivr", "dest": "main"}, 1, 201),
    ("timeconds", "GET", "/api/v1/tenants/{t}/timeconds", None, 1, 200),
    ("timecond add", "POST", "/api/v1/tenants/{t}/timeconds",
     lambda: {"name": "tc%d" % next(counter), "open_type": "ivr",
              "open_dest": "main", "closed_type": "ivr",
              "closed_dest": "main"}, 1, 201),
    ("did patch", "PATCH", "/api/v1/tenants/{t}/dids/{d}",
     lambda: {"dest_type": "ivr", "dest": "main"}, 1, 200),
    ("routes", "GET", "/api/v1/tenants/{t}/routes", None, 1, 200),
    ("route patch", "PATCH", "/api/v1/tenants/{t}/routes/{u}",
     lambda: {"record": "on-demand", "cos": "local"}, 1, 200),
    ("route add", "POST", "/api/v1/tenants/{t}/routes",
     lambda: {"pattern": "*6%d" % next(counter), "app": "echo"}, 1, 201),
    ("ivr list", "GET", "/api/v1/tenants/{t}/ivr", None, 1, 200),
    ("ivr add", "POST", "/api/v1/tenants/{t}/ivr",
     lambda: {"name": "m%d" % next(counter), "greeting": "welcome"}, 1,
     201),
    ("ivr get", "GET", "/api/v1/tenants/{t}/ivr/main", None, 1, 200),
    ("ivr key", "PUT", "/api/v1/tenants/{t}/ivr/main/options/%2A",
     lambda: {"action": "repeat"}, 1, 200),
    ("call hang-up", "DELETE", "/api/v1/tenants/{t}/calls/no-such-call",
     None, 1, 404),
    ("rooms", "GET", "/api/v1/tenants/{t}/rooms", None, 1, 200),
    ("room add", "POST", "/api/v1/tenants/{t}/rooms",
     lambda: {"number": "86%03d" % next(counter), "pin": "2468"}, 1, 201),
    ("room get", "GET", "/api/v1/tenants/{t}/rooms/800", None, 1, 200),
    ("room patch", "PATCH", "/api/v1/tenants/{t}/rooms/800",
     lambda: {"name": "Room %d" % next(counter)}, 1, 200),
    ("room del", "DELETE", "/api/v1/tenants/{t}/rooms/{y}", None, 1, 204),
    ("room members", "GET", "/api/v1/tenants/{t}/rooms/800/members", None,
     1, 200),
    ("member mute", "POST", "/api/v1/tenants/{t}/rooms/800/members/1/mute",
     None, 1, 404),
    ("member unmute", "POST",
     "/api/v1/tenants/{t}/rooms/800/members/1/unmute", None, 1, 404),
    ("member kick", "DELETE", "/api/v1/tenants/{t}/rooms/800/members/1",
     None, 1, 404),
    ("room lock", "POST", "/api/v1/tenants/{t}/rooms/800/lock", None, 1,
     409),
    ("room unlock", "POST", "/api/v1/tenants/{t}/rooms/800/unlock", None, 1,
     409),
    ("room recordings", "GET", "/api/v1/tenants/{t}/room-recordings", None,
     1, 200),
    ("room recording audio", "GET",
     "/api/v1/tenants/{t}/room-recordings/{r}/audio", None, 1, 200),
    ("room recording del", "DELETE",
     "/api/v1/tenants/{t}/room-recordings/{q}", None, 1, 204),
    ("ring groups", "GET", "/api/v1/tenants/{t}/ringgroups", None, 1, 200),
    ("ring group add", "POST", "/api/v1/tenants/{t}/ringgroups",
     lambda: {"number": "65%03d" % next(counter), "strategy": "sequential"},
     1, 201),
    ("ring group get", "GET", "/api/v1/tenants/{t}/ringgroups/600", None, 1,
     200),
    ("ring group patch", "PATCH", "/api/v1/tenants/{t}/ringgroups/600",
     lambda: {"name": "Group %d" % next(counter)}, 1, 200),
    ("ring group del", "DELETE", "/api/v1/tenants/{t}/ringgroups/{g}", None,
     1, 204),
    ("park settings", "GET", "/api/v1/tenants/{t}/park", None, 1, 200),
    ("park settings set", "PUT", "/api/v1/tenants/{t}/park",
     lambda: {"timeout": 30 + next(counter) % 60}, 1, 200),
    ("parked calls", "GET", "/api/v1/tenants/{t}/parked", None, 1, 200),
    ("prompts", "GET", "/api/v1/tenants/{t}/prompts", None, 1, 200),
    ("prompt upload", "PUT", "/api/v1/tenants/{t}/prompts/{p}", sound, 1,
     201),
    ("prompt audio", "GET", "/api/v1/tenants/{t}/prompts/welcome", None, 1,
     200),
    ("prompt del", "DELETE", "/api/v1/tenants/{t}/prompts/{o}", None, 1,
     204),
    ("audit", "GET", "/api/v1/audit", None, 1, 200),
]

# Endpoints whose success here is an error of their own: the cell that
# passed the access checks must say this, not the guard's "no such
# tenant" or "your role".
SAYS = {
    "member mute": "no member 1 in room 800",
    "member unmute": "no member 1 in room 800",
    "member kick": "no member 1 in room 800",
    "room lock": "nobody is in room 800",
    "room unlock": "nobody is in room 800",
}


def expected(role, min_role, tenant, ext, success):
    _, level, own_t, own_e = ROLES[role]
    if level < 0:
        return 401
    if level == 2:
        return success
    if tenant is not None and tenant != own_t:
        return 404
    if level == 0 and ext is not None and ext != own_e:
        return 404
    if level < min_role:
        return 403
    return success


def main():
    chk = Checks()
    clients = {}
    for name, (pw, _, _, _) in ROLES.items():
        c = Client("127.0.0.1", PORT)
        if pw:
            st, body, _ = c.login(name, pw)
            chk.status("log-in as %s" % name, st, 200, body)
        clients[name] = c
    for (ep, method, tmpl, mk, min_role, ok), role, t in itertools.product(
            ENDPOINTS, ROLES, ("a.test", "b.test")):
        exts = [OWN_EXT[t]] + (["1002"] if t == "a.test" and
                               "{e}" in tmpl else [])
        for e in exts:
            x = fresh_ext(t) if "{x}" in tmpl else None
            # The message of the tenant's first box: read through
            # another box (1002) it is no such message, for anyone.
            m = vm_id(t, OWN_EXT[t]) if "{m}" in tmpl else ""
            y = fresh_room(t) if "{y}" in tmpl else None
            rec = rec_id(t) if "{r}" in tmpl else None
            q = fresh_rec(t) if "{q}" in tmpl else None
            c = cdr_id(t) if "{c}" in tmpl else None
            g = fresh_group(t) if "{g}" in tmpl else None
            p = "n%d" % next(counter) if "{p}" in tmpl else None
            o = fresh_prompt(t) if "{o}" in tmpl else None
            k = fresh_trunk(t) if "{k}" in tmpl else None
            sh = fresh_shared_trunk(t) if "{s}" in tmpl else None
            d = fresh_did(t) if "{d}" in tmpl else None
            u = fresh_route(t) if "{u}" in tmpl else None
            path = tmpl.format(t=t, e=e, x=x, m=m, y=y, r=rec, q=q, c=c,
                               g=g, p=p, o=o, k=k, s=sh, d=d, u=u)
            ext = e if "{e}" in tmpl else x
            success = 404 if m and e != OWN_EXT[t] else ok
            scoped = "{t}" in tmpl
            want = expected(role, min_role, t if scoped else None, ext,
                            success)
            body = mk() if mk else None
            if isinstance(body, bytes):
                st, body, _ = clients[role].request(
                    method, path, raw=body,
                    headers={"Content-Type": "audio/wav"})
            else:
                st, body, _ = clients[role].request(method, path, body)
            chk.status("%s %s as %s" % (ep, path, role), st, want, body)
            passed_guard = expected(role, min_role, t if scoped else None,
                                    ext, None) is None
            if ep in SAYS and passed_guard and st == want:
                chk.check("  from the endpoint: '%s'" % SAYS[ep],
                          SAYS[ep] in str(body.get("error")), body)
            if want == 404 and st == 404:
                leaked = isinstance(body, dict) and set(body) - {"error"}
                chk.check("  and it says no more than 'no such'",
                          not leaked, body)
    # Tenants: listing shows only one's own; only a superadmin adds one.
    for role in ROLES:
        st, body, _ = clients[role].request("GET", "/api/v1/tenants")
        if role == "anon":
            chk.status("tenant list as anon", st, 401, body)
            continue
        doms = sorted(x["domain"] for x in body.get("tenants", []))
        want = ["a.test", "b.test"] if role == "root" else ["a.test"]
        chk.check("tenant list as %s shows %s" % (role, want),
                  st == 200 and doms == want, (st, doms))
        st, body, _ = clients[role].request(
            "POST", "/api/v1/tenants",
            {"name": "n", "domain": "new%d.test" % next(counter)})
        chk.status("tenant add as %s" % role, st,
                   201 if role == "root" else 403, body)
    chk.done()


main()
