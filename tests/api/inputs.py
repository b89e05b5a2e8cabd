#!/usr/bin/env python3
"""inputs.py PORT LIBDIR SOUND - the REST API against bad and hostile input, and
the parts of log-in that are not about roles: malformed JSON, bodies too
large, wrong types, unknown fields, SQL metacharacters, path traversal,
CSRF, API tokens, log-out, the audit log, and the log-in throttle (last:
it locks this client's address out for a minute). SOUND is a 2 s stereo
44.1 kHz WAV made by sox, uploaded as a tenant's prompt.
"""
import io
import math
import struct
import sys
import wave

sys.path.insert(0, sys.argv[2])
from api import Checks, Client  # noqa: E402

PORT = int(sys.argv[1])
SOUND = sys.argv[3]
T = "/api/v1/tenants/a.test"


def wav(seconds, hz=440):
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        n = int(8000 * seconds)
        w.writeframes(b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * hz * i /
                                                  8000)))
            for i in range(n)))
    return out.getvalue()


def raw_wav(frames, channels=1, rate=8000):
    """A WAV of silence, `frames` long, with any number of channels."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * channels * frames)
    return out.getvalue()


def prompts(chk, adm):
    """Prompt uploads: a real one, played back as the PBX stores it, and
    the uploads the PBX refuses, each leaving the stored prompt alone."""
    P = T + "/prompts"
    up = lambda pid, data: adm.request(  # noqa: E731
        "PUT", P + "/" + pid, raw=data, headers={"Content-Type": "audio/wav"})
    with open(SOUND, "rb") as f:
        sox = f.read()
    st, body, _ = up("welcome", sox)
    chk.check("a 2 s stereo 44.1 kHz WAV uploaded as prompt welcome (201)",
              st == 201 and body.get("id") == "welcome" and
              body.get("seconds") == 2.0 and body.get("bytes", 0) > 0,
              (st, body))
    st, body, hdrs = adm.request("GET", P + "/welcome")
    ok = st == 200 and hdrs.get("content-type") == "audio/wav"
    fmt = None
    if ok:
        with wave.open(io.BytesIO(body)) as w:
            fmt = (w.getframerate(), w.getnchannels(), w.getsampwidth(),
                   w.getnframes())
    chk.check("  played back as the PBX stores it: 16 kHz mono 16-bit, 2 s",
              ok and fmt[:3] == (16000, 1, 2) and
              abs(fmt[3] - 32000) < 320, (st, hdrs, fmt))
    st, body, _ = up("welcome", raw_wav(8000))
    chk.check("the same id again replaces it (200, 1 s now)",
              st == 200 and body.get("seconds") == 1.0, (st, body))
    st, body = adm.get(P)
    chk.check("the list has it with its length, size and date",
              st == 200 and [(p["id"], p["seconds"]) for p in
                             body["prompts"]] == [("welcome", 1.0)] and
              body["prompts"][0]["bytes"] > 32000 and
              body["prompts"][0]["uploaded"] > 1700000000, (st, body))
    bad = [
        ("a text file", b"Welcome to Acme\n" * 20, 422, "file",
         "the upload is not an audio file"),
        ("a WAV cut after its header", sox[:20], 422, "file",
         "the upload is not an audio file"),
        ("an empty body", b"", 422, "file", "the upload is empty"),
        ("a WAV with three channels", raw_wav(8000, 3), 422, "file",
         "3 channels"),
        ("a WAV of 10 minutes and 1 s", raw_wav(8000 * 601), 422, "file",
         "longer than 10 minutes"),
        ("a 21 MiB body", b"RIFF" + b"\0" * 4 + b"WAVE" +
         b"\0" * (21 << 20), 413, None, "larger than"),
    ]
    for what, data, want, field, says in bad:
        st, body, _ = up("welcome", data)
        chk.check("prompt upload of %s -> %d (%s)" % (what, want, says),
                  st == want and body.get("field") == field and
                  says in body.get("error", ""), (st, body))
    for pid in ("Welcome", "x" * 64, "a-b", "x.wav"):
        st, body, _ = up(pid, raw_wav(8000))
        chk.check("prompt id '%s' refused (422, field id)" % pid,
                  st == 422 and body.get("field") == "id", (st, body))
    st, body, _ = up("..%2f..%2fx", raw_wav(8000))
    chk.status("a prompt id with a path in it (no such resource)", st, 404,
               body)
    st, body = adm.get(P)
    chk.check("  none of them changed or added a prompt",
              [(p["id"], p["seconds"]) for p in body["prompts"]] ==
              [("welcome", 1.0)], body)
    st, body, _ = adm.request("GET", P + "/..%2f..%2fetc%2fpasswd")
    chk.status("GET of a prompt named with a path", st, 404, body)
    st, body, _ = adm.request("GET", P + "/nothing_here")
    chk.status("GET of a prompt never uploaded", st, 404, body)
    st, body = adm.delete(P + "/welcome")
    chk.status("prompt deleted", st, 204, body)
    st, body = adm.delete(P + "/welcome")
    chk.status("  and deleting it again", st, 404, body)
    st, body = adm.get("/api/v1/audit?limit=20")
    acts = [(e["action"], e["object"]) for e in body.get("entries", [])]
    chk.check("the audit log has the uploads and the deletion, not the "
              "refused ones",
              acts[:3] == [("DELETE %s/welcome" % P, "prompt welcome"),
                           ("PUT %s/welcome" % P, "prompt welcome"),
                           ("PUT %s/welcome" % P, "prompt welcome")],
              acts[:4])


def main():
    chk = Checks()
    adm = Client("127.0.0.1", PORT)
    st, body, hdrs = adm.login("adma", "adma-pass-1")
    chk.status("admin log-in", st, 200, body)
    cookie = hdrs.get("set-cookie", "")
    chk.check("the session cookie is HttpOnly and SameSite=Strict",
              "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie)

    # ---- malformed and hostile bodies ----
    st, body, _ = adm.request("POST", T + "/extensions", raw=b"{\"number\":")
    chk.status("truncated JSON", st, 400, body)
    chk.check("  says where", "malformed JSON" in str(body), body)
    st, body, _ = adm.request("POST", T + "/extensions", raw=b"[1,2]")
    chk.status("a JSON array instead of an object", st, 400, body)
    st, body, _ = adm.request("POST", T + "/extensions",
                              raw=b'{"number":"1\xff\xfe","password":"x"}')
    chk.status("invalid UTF-8", st, 400, body)
    st, body, _ = adm.request("POST", T + "/extensions",
                              raw=b"{" + b" " * (2 << 20) + b"}")
    chk.status("a 2 MiB body", st, 413, body)
    st, body = adm.post(T + "/extensions", {"number": 1005,
                                            "password": "pass-word-1"})
    chk.status("number as a JSON number", st, 422, body)
    chk.check("  names the field", body.get("field") == "number", body)
    st, body = adm.post(T + "/extensions", {"number": "abc",
                                            "password": "pass-word-1"})
    chk.status("number 'abc'", st, 422, body)
    chk.check("  names the field", body.get("field") == "number", body)
    st, body = adm.post(T + "/extensions", {"number": "1005",
                                            "password": "short"})
    chk.status("a short password", st, 422, body)
    chk.check("  names the field", body.get("field") == "password", body)
    st, body = adm.post(T + "/extensions", {"number": "1005",
                                            "password": "pass-word-1",
                                            "ring_timeout": 1})
    chk.status("ring_timeout 1", st, 422, body)
    st, body = adm.post(T + "/extensions", {"number": "1005",
                                            "password": "pass-word-1",
                                            "admin": True})
    chk.status("an unknown field", st, 422, body)
    st, body = adm.post(T + "/extensions", {"number": "1001' OR '1'='1",
                                            "password": "pass-word-1"})
    chk.status("SQL metacharacters in the number", st, 422, body)
    st, body = adm.post(T + "/extensions", {"number": "1005",
                                            "password": "pass-word-1",
                                            "name": "Robert'); DROP TABLE "
                                                    "extensions;--"})
    chk.status("SQL in the name is only a name", st, 201, body)
    st, body = adm.get(T + "/extensions?q=Robert")
    chk.check("  stored as typed, the table still there",
              st == 200 and body["total"] == 1 and
              body["extensions"][0]["name"].startswith("Robert'); DROP"),
              body)
    st, body = adm.get("/api/v1/tenants/a.test'%20OR%201=1--/extensions")
    chk.status("SQL in the tenant of the path", st, 404, body)
    st, body = adm.post(T + "/extensions", {"number": "1005",
                                            "password": "pass-word-1"})
    chk.status("the same number again", st, 409, body)
    st, body = adm.get(T + "/extensions?limit=0")
    chk.status("limit 0", st, 422, body)

    # ---- paths ----
    for path in ("/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                 "/.hidden.html", "/index.html/../../x.html",
                 "/api/v1/tenants/a.test/extensions/1001/voicemail/"
                 "..%2f..%2f..%2fetc%2fpasswd/audio"):
        st, body, _ = adm.request("GET", path)
        chk.status("GET %s" % path, st, 404, body)
    st, body, hdrs = adm.request("GET", "/")
    chk.status("the panel's index page", st, 200)
    chk.check("  with a Content-Security-Policy",
              "default-src 'self'" in hdrs.get("content-security-policy", ""),
              hdrs)
    st, body, _ = adm.request("PUT", T + "/extensions")
    chk.status("PUT on a list", st, 405, body)
    st, body, _ = adm.request("GET", "/api/v1/nothing")
    chk.status("an unknown resource", st, 404, body)

    # ---- CSRF ----
    st, body, _ = adm.request("POST", T + "/extensions",
                              {"number": "1006", "password": "pass-word-1"},
                              csrf=False)
    chk.status("a change without X-CSRF-Token", st, 403, body)
    st, body, _ = adm.request("POST", T + "/extensions",
                              {"number": "1006", "password": "pass-word-1"},
                              headers={"X-CSRF-Token": "0" * 64}, csrf=False)
    chk.status("a change with a wrong X-CSRF-Token", st, 403, body)
    st, body = adm.get(T + "/extensions/1006")
    chk.status("  and nothing was made", st, 404, body)

    # ---- the extension user ----
    usr = Client("127.0.0.1", PORT)
    usr.login("ua", "ua-pass-123")
    st, body = usr.patch(T + "/extensions/1001", {"name": "Me"})
    chk.status("a user renaming its extension", st, 403, body)
    st, body = usr.patch(T + "/extensions/1001", {"pickup_group": "x"})
    chk.status("a user choosing its pickup group", st, 403, body)
    st, body = usr.patch(T + "/extensions/1001", {"password": "new-sip-pw-1"})
    chk.status("a user setting its SIP password", st, 200, body)
    st, body = adm.patch(T + "/extensions/1001", {"pickup_group": "Sales Team"})
    chk.status("a pickup group with a blank and capitals", st, 422, body)
    chk.check("  names pickup_group", body.get("field") == "pickup_group",
              body)
    st, body = adm.patch(T + "/extensions/1001", {"pickup_group": "sales"})
    chk.check("an admin puts 1001 in pickup group sales",
              st == 200 and body.get("pickup_group") == "sales", (st, body))
    st, body = adm.patch(T + "/extensions/1001", {"pickup_group": ""})
    chk.check("  and takes it out again",
              st == 200 and body.get("pickup_group") == "", (st, body))
    st, body = usr.patch(T + "/extensions/1001", {"max_calls": 9})
    chk.status("a user lifting its own call limit", st, 403, body)
    for bad in (-1, 100001, "2", 1.5):
        st, body = adm.patch(T + "/extensions/1001", {"max_calls": bad})
        chk.status("max_calls %r" % (bad,), st, 422, body)
        chk.check("  names max_calls", body.get("field") == "max_calls", body)
    st, body = adm.patch(T + "/extensions/1001", {"max_calls": 2})
    chk.check("an admin limits 1001 to 2 calls at once",
              st == 200 and body.get("max_calls") == 2, (st, body))
    st, body = adm.patch(T + "/extensions/1001", {"max_calls": 0})
    chk.check("  and lifts the limit", st == 200 and
              body.get("max_calls") == 0, (st, body))
    for field, val in (("cos", "international"), ("did", "+4930123"),
                       ("record", "always")):
        st, body = usr.patch(T + "/extensions/1001", {field: val})
        chk.status("a user changing its own %s" % field, st, 403, body)
    for field, val in (("cos", "world"), ("did", "030123"),
                       ("record", "sometimes"), ("cos", 3)):
        st, body = adm.patch(T + "/extensions/1001", {field: val})
        chk.status("%s %r" % (field, val), st, 422, body)
        chk.check("  names %s" % field, body.get("field") == field, body)
    st, body = adm.patch(T + "/extensions/1001",
                         {"cos": "local", "did": "+4930123", "record": "on-demand"})
    chk.check("an admin sets class of service, DID and recording",
              st == 200 and body.get("cos") == "local" and
              body.get("did") == "+4930123" and
              body.get("record") == "on-demand", (st, body))
    st, body = adm.patch(T + "/extensions/1001", {"did": ""})
    chk.check("  and clears the DID", st == 200 and body.get("did") == "",
              (st, body))
    st, body = adm.post(T + "/extensions",
                        {"number": "1077", "password": "pw-1077-inputs",
                         "pickup_group": "sales", "cos": "internal",
                         "max_calls": 3})
    chk.status("POST with settings", st, 201, body)
    st, body = adm.get(T + "/extensions/1077")
    chk.check("  the settings given at POST are stored, not dropped",
              body.get("pickup_group") == "sales" and
              body.get("cos") == "internal" and body.get("max_calls") == 3,
              body)
    adm.delete(T + "/extensions/1077")

    # ---- forwarding and do-not-disturb: the user's own, an admin's ----
    E = T + "/extensions/1001"
    st, body = usr.get(E)
    chk.check("an extension shows its forwards and DND, all off",
              st == 200 and body.get("dnd") is False and
              body.get("forward") == {"always": None, "busy": None,
                                      "noanswer": None,
                                      "unregistered": None}, body)
    st, body = usr.patch(E, {"dnd": True, "forward": {
        "busy": {"type": "voicemail"},
        "noanswer": {"type": "extension", "dest": "1005", "after": 15}}})
    chk.check("a user sets its DND, busy and no-answer forwards",
              st == 200 and body["dnd"] is True and
              body["forward"]["busy"] == {"type": "voicemail",
                                          "dest": "1001"} and
              body["forward"]["noanswer"] == {"type": "extension",
                                              "dest": "1005",
                                              "after": 15} and
              body["forward"]["always"] is None, (st, body))
    for what, patch, field in [
            ("dnd as a string", {"dnd": "yes"}, "dnd"),
            ("forward as a list", {"forward": []}, "forward"),
            ("an unknown kind", {"forward": {"sometimes": None}},
             "forward.sometimes"),
            ("an unknown type",
             {"forward": {"always": {"type": "phone", "dest": "1005"}}},
             "forward.always.type"),
            ("an extension forward without dest",
             {"forward": {"always": {"type": "extension"}}},
             "forward.always.dest"),
            ("a forward to itself",
             {"forward": {"always": {"type": "extension", "dest": "1001"}}},
             "forward.always.dest"),
            ("a forward to an extension the tenant lacks",
             {"forward": {"always": {"type": "extension", "dest": "2001"}}},
             "forward.always.dest"),
            ("a number nothing routes",
             {"forward": {"always": {"type": "number", "dest": "00499"}}},
             "forward.always.dest"),
            ("SQL as the target",
             {"forward": {"always": {
                 "type": "extension",
                 "dest": "1005'; DROP TABLE ext_forwards;--"}}},
             "forward.always.dest"),
            ("after on a busy forward",
             {"forward": {"busy": {"type": "extension", "dest": "1005",
                                   "after": 10}}},
             "forward.busy.after"),
            ("after 3 s", {"forward": {"noanswer": {
                "type": "extension", "dest": "1005", "after": 3}}},
             "forward.noanswer.after"),
            ("after as a string", {"forward": {"noanswer": {
                "type": "extension", "dest": "1005", "after": "20"}}},
             "forward.noanswer.after"),
            ("an unknown field of a target", {"forward": {"always": {
                "type": "extension", "dest": "1005", "x": 1}}},
             "forward.always.x"),
            ("a good DND with a bad forward (nothing is written)",
             {"dnd": False, "forward": {"always": {
                 "type": "extension", "dest": "1001"}}},
             "forward.always.dest")]:
        st, body = usr.patch(E, patch)
        chk.check("refused: %s (422, field %s)" % (what, field),
                  st == 422 and body.get("field") == field, (st, body))
    st, body = usr.get(E)
    chk.check("  and nothing of it was written",
              body["dnd"] is True and body["forward"]["always"] is None and
              body["forward"]["noanswer"]["after"] == 15, body)
    st, body = usr.patch(E, {"dnd": False,
                             "forward": {"busy": None, "noanswer": None}})
    chk.check("a user turns them off again (null)",
              st == 200 and body["dnd"] is False and
              all(v is None for v in body["forward"].values()), (st, body))
    st, body = adm.patch(T + "/extensions/1005", {"forward": {
        "unregistered": {"type": "voicemail", "dest": "1001"}}})
    chk.check("an admin forwards another extension to 1001's mailbox",
              st == 200 and body["forward"]["unregistered"] ==
              {"type": "voicemail", "dest": "1001"}, (st, body))
    st, body = adm.post(T + "/extensions", {
        "number": "1008", "password": "pass-word-1", "dnd": True})
    chk.check("a new extension with dnd: refused, set with PATCH",
              st == 422 and body.get("field") == "dnd", (st, body))

    # ---- greetings and the mailbox ----
    G = T + "/extensions/1001/greetings"
    st, body, _ = usr.request("PUT", G + "/unavail", raw=wav(2),
                              headers={"Content-Type": "audio/wav"})
    chk.check("a user uploads its unavailable greeting",
              st == 200 and body["greetings"]["unavail"], (st, body))
    st, body, hdrs = usr.request("GET", G + "/unavail")
    chk.check("  and plays it back (audio/wav)",
              st == 200 and hdrs.get("content-type") == "audio/wav" and
              body[:4] == b"RIFF", (st, hdrs))
    st, body, _ = usr.request("PUT", G + "/busy", raw=b"MZ\x90\x00" * 100)
    chk.status("an upload that is not a WAV", st, 422, body)
    st, body, _ = usr.request("PUT", G + "/busy", raw=wav(0.3))
    chk.status("a greeting under a second", st, 422, body)
    st, body, _ = usr.request("PUT", G + "/busy",
                              raw=b"RIFF" + b"\0" * 4 + b"WAVE" +
                              b"\0" * (11 << 20))
    chk.status("an 11 MiB upload", st, 413, body)
    st, body, _ = usr.request("PUT", G + "/..%2f..%2fx", raw=wav(2))
    chk.status("a greeting named with a path", st, 404, body)
    st, body = usr.get(G)
    chk.check("  only the good greeting is there",
              body["greetings"] == {"unavail": True, "busy": False,
                                    "temp": False, "name": False}, body)
    st, body = usr.patch(T + "/extensions/1001/mailbox", {"pin": "1234"})
    chk.status("a trivial PIN", st, 422, body)
    chk.check("  says why, next to the PIN",
              body.get("field") == "pin" and "run" in body.get("error", ""),
              body)
    st, body = usr.patch(T + "/extensions/1001/mailbox",
                         {"pin": "2580", "email": "ua@example.com"})
    chk.check("a user sets its PIN and email",
              st == 200 and body["voicemail"]["pin_set"] and
              body["voicemail"]["email"] == "ua@example.com", (st, body))
    st, body = usr.patch(T + "/extensions/1001/mailbox", {"enabled": False})
    chk.status("a user turning its mailbox off", st, 403, body)
    st, body = adm.patch(T + "/extensions/1001/mailbox",
                         {"enabled": False, "max_messages": 0})
    chk.status("max_messages 0", st, 422, body)
    st, body = adm.patch(T + "/extensions/1001/mailbox",
                         {"max_messages": 5})
    chk.status("an admin sets the quota", st, 200, body)

    # ---- trunks and DIDs ----
    # (Carriers on 127.0.0.1 port 9, where nothing listens: the daemon
    # starts registering and pinging them, and the test talks to
    # loopback only.)
    st, body = adm.post(T + "/trunks", {"name": "carrier", "host": "127.0.0.1", "port": 9,
                                        "auth": "register",
                                        "username": "4930555000",
                                        "password": "carrier-secret"})
    chk.status("a registering trunk", st, 201, body)
    chk.check("  its password is not given back",
              "carrier-secret" not in str(body) and body.get("password_set"),
              body)
    st, body = adm.post(T + "/trunks", {"name": "bad", "host": "127.0.0.1",
                                        "auth": "register"})
    chk.status("a registering trunk without a username", st, 422, body)
    st, body = adm.post(T + "/trunks", {"name": "x", "host": "127.0.0.1",
                                        "auth": "ip", "port": "5060"})
    chk.status("a port as a string", st, 422, body)
    st, body = adm.post(T + "/trunks", {"name": "Bad Name", "host": "127.0.0.1",
                                        "auth": "ip"})
    chk.status("a trunk name with a blank", st, 422, body)
    st, body = adm.post(T + "/trunks", {"name": "edge", "host": "127.0.0.1",
                                        "auth": "ip", "port": 9,
                                        "ips": "192.0.2.0/24,10.0.0.1/24"})
    chk.status("ips with an address that has bits past its prefix", st, 422, body)
    chk.check("  names the field and the bad entry",
              body.get("field") == "ips" and "'10.0.0.1/24'" in str(body), body)
    st, body = adm.get(T + "/trunks")
    chk.check("the trunk list shows it, without the password",
              [t["name"] for t in body["trunks"]] == ["carrier"] and
              "carrier-secret" not in str(body), body)
    st, body = adm.post(T + "/dids", {"number": "+4930555000",
                                      "dest_type": "extension",
                                      "dest": "1001"})
    chk.status("a DID to extension 1001", st, 201, body)
    st, body = adm.post(T + "/dids", {"number": "+4930555001",
                                      "dest_type": "extension",
                                      "dest": "1999"})
    chk.status("a DID to an extension that does not exist", st, 422, body)
    chk.check("  names the destination", body.get("field") == "dest", body)
    st, body = adm.post(T + "/dids", {"number": "4930555002",
                                      "dest_type": "extension",
                                      "dest": "1001"})
    chk.status("a DID that is not E.164", st, 422, body)
    st, body = adm.post("/api/v1/tenants/b.test/dids",
                        {"number": "+4930555000", "dest_type": "extension",
                         "dest": "1001"})
    chk.status("adma adding a DID to tenant B", st, 404, body)
    st, body = adm.patch(T + "/dids/+4930555000",
                         {"dest_type": "extension", "dest": "1999"})
    chk.status("a DID sent to an extension that does not exist", st, 422,
               body)
    st, body = adm.patch(T + "/dids/+4930555000",
                         {"dest_type": "voicemail", "dest": "1001"})
    chk.check("a DID sent elsewhere: to 1001's mailbox",
              st == 200 and body.get("dest_type") == "voicemail", (st, body))
    st, body = adm.patch("/api/v1/tenants/b.test/dids/+4930555000",
                         {"dest_type": "extension", "dest": "1001"})
    chk.status("adma changing the DID through tenant B", st, 404, body)
    adm.patch(T + "/dids/+4930555000",
              {"dest_type": "extension", "dest": "1001"})
    st, body = adm.post(T + "/routes", {"pattern": "*55", "app": "echo"})
    rid = body.get("id")
    st, body = adm.patch(T + "/routes/%s" % rid, {"record": "sometimes"})
    chk.status("a route's recording that is no mode", st, 422, body)
    st, body = adm.patch(T + "/routes/%s" % rid, {"pattern": "*56"})
    chk.status("a route's pattern through PATCH (delete and add)", st, 422,
               body)
    st, body = adm.patch(T + "/routes/%s" % rid,
                         {"record": "always", "cos": "national"})
    chk.check("a route's recording and class of service changed",
              st == 200 and body.get("record") == "always" and
              body.get("cos") == "national", (st, body))
    st, body = adm.patch(T + "/routes/999999", {"record": "never"})
    chk.status("a route that does not exist", st, 404, body)
    adm.delete(T + "/routes/%s" % rid)

    # ---- time conditions ----
    TC = T + "/timeconds"
    st, body = adm.post(TC, {"name": "office", "open_type": "extension",
                             "open_dest": "1999", "closed_type": "voicemail",
                             "closed_dest": "1001"})
    chk.status("a condition open to a missing extension", st, 422, body)
    chk.check("  names open_dest", body.get("field") == "open_dest", body)
    st, body = adm.post(TC, {"name": "office", "open_type": "extension",
                             "open_dest": "1001", "closed_type": "voicemail",
                             "closed_dest": "1001"})
    chk.status("a time condition", st, 201, body)
    st, body = adm.post(TC + "/office/rules", {"rule": "mo-fr 8-17"})
    chk.status("a rule the parser does not read", st, 422, body)
    chk.check("  says which part ('%s')" % body.get("error"),
              "unknown day" in body.get("error", ""), body)
    st, body = adm.post(TC + "/office/rules", {"rule": "mon-sun"})
    chk.check("an all-week rule: open now",
              st == 200 and body.get("open_now") is True and
              body["rules"][0]["rule"].startswith("mon-sun"), (st, body))
    st, body = adm.post(TC + "/office/holidays",
                        {"date": "12-25", "name": "Christmas"})
    chk.check("a yearly holiday",
              st == 200 and body["holidays"] == [{"date": "12-25",
                                                  "name": "Christmas"}],
              (st, body))
    st, body = adm.post(TC + "/office/holidays", {"date": "2027-02-29"})
    chk.status("a date that does not exist", st, 422, body)
    adm.post(T + "/dids", {"number": "+4930555009", "dest_type": "timecond",
                           "dest": "office"})
    st, body = adm.delete(TC + "/office")
    chk.status("deleting a condition a DID uses", st, 409, body)

    # ---- conference rooms ----
    R = T + "/rooms"
    for what, room, field in (
            ("a room number with a letter", {"number": "80a"}, "number"),
            ("a room number as a JSON number", {"number": 800}, "number"),
            ("a room without a number", {"name": "No number"}, "number"),
            ("a PIN with letters", {"number": "800", "pin": "12ab"}, "pin"),
            ("a PIN as a JSON number", {"number": "800", "pin": 1234},
             "pin"),
            ("a 13-digit PIN", {"number": "800", "pin": "1" * 13}, "pin"),
            ("a moderator PIN equal to the PIN",
             {"number": "800", "pin": "2468", "mod_pin": "2468"},
             "mod_pin"),
            ("max_members 1", {"number": "800", "max_members": 1},
             "max_members"),
            ("max_members 501", {"number": "800", "max_members": 501},
             "max_members"),
            ("max_members as a string", {"number": "800",
                                         "max_members": "10"},
             "max_members"),
            ("wait_moderator without a moderator PIN",
             {"number": "800", "pin": "2468", "wait_moderator": True},
             "wait_moderator"),
            ("record 'yes'", {"number": "800", "record": "yes"}, "record"),
            ("a name with a quote", {"number": "800", "name": 'a "b"'},
             "name"),
            ("an unknown room field", {"number": "800", "owner": "x"},
             "owner")):
        st, body = adm.post(R, room)
        chk.status(what, st, 422, body)
        chk.check("  names %s" % field, body.get("field") == field, body)
    st, body = adm.post(R, {"number": "1001", "name": "Clash"})
    chk.status("a room numbered like extension 1001", st, 409, body)
    chk.check("  names the number and says it is an extension",
              body.get("field") == "number" and
              "extension" in body.get("error", ""), body)
    st, body = adm.post(R, {"number": "800", "name": "Weekly call",
                            "pin": "2468", "mod_pin": "1357",
                            "max_members": 10, "wait_moderator": True,
                            "record": True})
    chk.check("a good room: 201, its PINs given back to the admin",
              st == 201 and body.get("pin") == "2468" and
              body.get("mod_pin") == "1357" and body.get("record") is True
              and body.get("members") == 0, (st, body))
    st, body = adm.post(R, {"number": "800"})
    chk.status("the same room number again", st, 409, body)
    st, body = adm.post(T + "/extensions", {"number": "800",
                                            "password": "pass-word-1"})
    chk.status("an extension numbered like room 800", st, 409, body)
    st, body = adm.patch(R + "/800", {"number": "801"})
    chk.status("renumbering a room", st, 422, body)
    chk.check("  names the number", body.get("field") == "number", body)
    st, body = adm.patch(R + "/800", {"pin": "1357"})
    chk.status("a PIN changed to the moderator PIN", st, 422, body)
    chk.check("  names mod_pin", body.get("field") == "mod_pin", body)
    st, body = adm.patch(R + "/800", {"mod_pin": ""})
    chk.status("dropping the moderator PIN while members wait for one",
               st, 422, body)
    chk.check("  names wait_moderator",
              body.get("field") == "wait_moderator", body)
    st, body = adm.patch(R + "/800", {"name": "Monday call",
                                      "max_members": 20,
                                      "announce_count": False})
    chk.check("a room renamed and changed",
              st == 200 and body.get("name") == "Monday call" and
              body.get("max_members") == 20 and
              body.get("announce_count") is False and
              body.get("pin") == "2468", (st, body))
    st, body = adm.get(R)
    chk.check("the room list: 800 with nobody in it, not locked",
              st == 200 and [(x["number"], x["members"], x["locked"])
                             for x in body["rooms"]] == [("800", 0, False)],
              body)
    st, body = adm.get(R + "/800/members")
    chk.check("an empty room's members: none, not open",
              st == 200 and body == {"open": False, "locked": False,
                                     "recording": False, "opened": 0,
                                     "members": []}, (st, body))
    for path in (R + "/800/members/999/mute", R + "/800/members/999/unmute"):
        st, body = adm.post(path)
        chk.status("POST %s (an unknown member)" % path[len(T):], st, 404,
                   body)
    st, body = adm.delete(R + "/800/members/999")
    chk.status("kicking an unknown member", st, 404, body)
    chk.check("  says which", "no member 999" in body.get("error", ""), body)
    for bad in ("abc", "0", "-1", "1.5", "99999999999999999999"):
        st, body = adm.post(R + "/800/members/%s/mute" % bad)
        chk.status("member id '%s'" % bad, st, 404, body)
    st, body = adm.post(R + "/800/lock")
    chk.status("locking a room nobody is in", st, 409, body)
    st, body = adm.get(R + "/801/members")
    chk.status("the members of a room that does not exist", st, 404, body)
    st, body = adm.post(R + "/801/lock")
    chk.status("locking a room that does not exist", st, 404, body)
    st, body = adm.get(R + "/800'%20OR%201=1--")
    chk.status("SQL in the room number of the path", st, 404, body)
    st, body = adm.get("/api/v1/tenants/b.test/rooms/800")
    chk.status("adma reading tenant B's room 800", st, 404, body)
    chk.check("  and none of its data", set(body) == {"error"}, body)
    st, body = adm.delete("/api/v1/tenants/b.test/rooms/800")
    chk.status("adma deleting tenant B's room 800", st, 404, body)

    # Room recordings (made in test_inputs.sh): one whose WAV is there,
    # one whose file is gone, one whose stored name climbs out of the
    # spool, and tenant B's.
    RR = T + "/room-recordings"
    st, body = adm.get(RR)
    recs = body.get("recordings", [])
    chk.check("room recordings: tenant A's three, newest first",
              st == 200 and [x["started"] for x in recs] ==
              [1700000300, 1700000200, 1700000100], body)
    by = {x["started"]: x for x in recs}
    chk.check("  the one whose file is gone says so",
              by.get(1700000200, {}).get("missing") is True and
              by.get(1700000300, {}).get("missing") is False, recs)
    st, body = adm.get(RR + "?room=801")
    chk.check("filtered by another room: none",
              st == 200 and body["recordings"] == [], body)
    st, body = adm.get(RR + "?room=80a")
    chk.status("a room filter that is not a number", st, 422, body)
    good, gone, climb = (by[k]["id"] for k in (1700000300, 1700000200,
                                               1700000100))
    st, body, hdrs = adm.request("GET", RR + "/%d/audio" % good)
    chk.check("a room recording plays from the API (audio/wav)",
              st == 200 and hdrs.get("content-type") == "audio/wav" and
              body[:4] == b"RIFF", (st, hdrs))
    st, body, _ = adm.request("GET", RR + "/%d/audio" % gone)
    chk.status("a recording whose file is gone", st, 410, body)
    st, body, _ = adm.request("GET", RR + "/%d/audio" % climb)
    chk.status("a stored recording name with ..", st, 404, body)
    st, body, _ = adm.request("GET", RR + "/..%2f..%2fetc%2fpasswd/audio")
    chk.status("a recording id that is a path", st, 404, body)
    st, body = adm.get("/api/v1/tenants/b.test/room-recordings")
    chk.status("adma listing tenant B's recordings", st, 404, body)
    st, body, _ = adm.request("GET", RR + "/%d/audio" % (good + 1))
    chk.status("tenant B's recording id under one's own tenant", st, 404,
               body)
    st, body = adm.delete(RR + "/%d" % good)
    chk.status("deleting a room recording", st, 204, body)
    st, body = adm.delete(RR + "/%d" % good)
    chk.status("  twice", st, 404, body)
    st, body = adm.delete(RR + "/%d" % climb)
    chk.status("deleting the one named with .. (its row only)", st, 204,
               body)
    st, body = adm.get(RR)
    chk.check("  one recording is left",
              [x["id"] for x in body["recordings"]] == [gone], body)
    st, body = adm.delete(R + "/800")
    chk.status("deleting room 800", st, 204, body)
    st, body = adm.get(R + "/800")
    chk.status("  it is gone", st, 404, body)

    # ---- ring groups ----
    G = T + "/ringgroups"
    for what, grp, field in (
            ("a group number with a letter", {"number": "60a"}, "number"),
            ("a group number as a JSON number", {"number": 600}, "number"),
            ("a group without a number", {"name": "No number"}, "number"),
            ("strategy 'random'", {"number": "600", "strategy": "random"},
             "strategy"),
            ("ring_time 4", {"number": "600", "ring_time": 4}, "ring_time"),
            ("timeout 601", {"number": "600", "timeout": 601}, "timeout"),
            ("timeout as a string", {"number": "600", "timeout": "60"},
             "timeout"),
            ("a fallback to a mailbox that does not exist",
             {"number": "600", "fallback_type": "voicemail",
              "fallback": "1009"}, "fallback"),
            ("an unknown fallback kind",
             {"number": "600", "fallback_type": "fax", "fallback": "1"},
             "fallback_type"),
            ("a fallback to itself",
             {"number": "600", "fallback_type": "ringgroup",
              "fallback": "600"}, "fallback"),
            ("members that are not a list",
             {"number": "600", "members": "1001"}, "members"),
            ("a member that is no extension",
             {"number": "600", "members": ["1009"]}, "members"),
            ("a member twice",
             {"number": "600", "members": ["1001", "1001"]}, "members"),
            ("a member ringing 3 s",
             {"number": "600",
              "members": [{"extension": "1001", "ring_time": 3}]},
             "members"),
            ("a member as a JSON number",
             {"number": "600", "members": [1001]}, "members"),
            ("a name with a quote", {"number": "600", "name": 'a "b"'},
             "name"),
            ("an unknown group field", {"number": "600", "owner": "x"},
             "owner")):
        st, body = adm.post(G, grp)
        chk.status(what, st, 422, body)
        chk.check("  names %s" % field, body.get("field") == field, body)
    st, body = adm.get(G + "/600")
    chk.status("a group refused for its members was not made", st, 404,
               body)
    st, body = adm.post(G, {"number": "1001"})
    chk.status("a group numbered like extension 1001", st, 409, body)
    chk.check("  names the number", body.get("field") == "number", body)
    st, body = adm.post(G, {"number": "600", "name": "Sales",
                            "strategy": "sequential", "ring_time": 15,
                            "timeout": 45, "fallback_type": "voicemail",
                            "fallback": "1001",
                            "members": ["1005", {"extension": "1001",
                                                 "ring_time": 30}]})
    chk.check("a good group: 201, its members in the order given",
              st == 201 and body.get("strategy") == "sequential" and
              body.get("fallback") == "1001" and
              [(m["extension"], m["ring_time"]) for m in
               body.get("members", [])] == [("1005", 0), ("1001", 30)],
              (st, body))
    st, body = adm.post(G, {"number": "600"})
    chk.status("the same group number again", st, 409, body)
    st, body = adm.post(T + "/extensions", {"number": "600",
                                            "password": "pass-word-1"})
    chk.status("an extension numbered like group 600", st, 409, body)
    chk.check("  says it is a ring group's",
              "ring group" in body.get("error", ""), body)
    st, body = adm.post(R, {"number": "600"})
    chk.status("a room numbered like group 600", st, 409, body)
    st, body = adm.patch(G + "/600", {"number": "601"})
    chk.status("renumbering a group", st, 422, body)
    st, body = adm.patch(G + "/600", {"name": "Renamed",
                                      "members": ["1009"]})
    chk.status("a patch with a member that does not exist", st, 422, body)
    st, body = adm.get(G + "/600")
    chk.check("  changed nothing (name and members as they were)",
              body.get("name") == "Sales" and
              len(body.get("members", [])) == 2, body)
    st, body = adm.patch(G + "/600", {"strategy": "simultaneous",
                                      "fallback_type": "", "members": []})
    chk.check("a group changed: simultaneous, no fallback, no members",
              st == 200 and body.get("strategy") == "simultaneous" and
              body.get("fallback_type") == "" and body.get("members") == [],
              (st, body))
    st, body = adm.get(G)
    chk.check("the group list: 600",
              st == 200 and [x["number"] for x in body["ringgroups"]] ==
              ["600"], body)
    st, body = adm.post(T + "/dids", {"number": "+4930555060",
                                      "dest_type": "ringgroup",
                                      "dest": "600"})
    chk.status("a DID to ring group 600", st, 201, body)
    st, body = adm.post(T + "/dids", {"number": "+4930555061",
                                      "dest_type": "ringgroup",
                                      "dest": "699"})
    chk.status("a DID to a group that does not exist", st, 422, body)
    chk.check("  names dest", body.get("field") == "dest", body)
    st, body = adm.post(T + "/ivr", {"name": "rgmenu",
                                     "greeting": "welcome"})
    chk.status("a menu for a ring group key", st, 201, body)
    st, body, _ = adm.request("PUT", T + "/ivr/rgmenu/options/4",
                              {"action": "ringgroup", "arg": "600"})
    chk.status("an IVR key to ring group 600", st, 200, body)
    st, body, _ = adm.request("PUT", T + "/ivr/rgmenu/options/5",
                              {"action": "ringgroup", "arg": "699"})
    chk.status("an IVR key to a group that does not exist", st, 422, body)
    st, body = adm.get(G + "/600'%20OR%201=1--")
    chk.status("SQL in the group number of the path", st, 404, body)
    st, body = adm.get("/api/v1/tenants/b.test/ringgroups")
    chk.status("adma listing tenant B's groups", st, 404, body)
    st, body = adm.delete(G + "/600")
    chk.status("deleting group 600", st, 204, body)
    st, body = adm.delete(G + "/600")
    chk.status("  twice", st, 404, body)

    # ---- call park ----
    P = T + "/park"
    st, body = adm.get(P)
    chk.check("park settings: 70, 71-79, 60 s by default",
              st == 200 and body.get("number") == "70" and
              body.get("slots") == "71-79" and body.get("timeout") == 60,
              (st, body))
    for bad, field in (({"slots": "79-71"}, "slots"),
                       ({"slots": "071-079"}, "slots"),
                       ({"slots": 71}, "slots"),
                       ({"slots": "1-200"}, "slots"),
                       ({"number": "7x"}, "number"),
                       ({"number": "75"}, "number"),
                       ({"timeout": 4}, "timeout"),
                       ({"timeout": "60"}, "timeout")):
        st, body, _ = adm.request("PUT", P, bad)
        chk.status("park settings %s" % bad, st, 422, body)
        chk.check("  names %s" % field, body.get("field") == field, body)
    st, body, _ = adm.request("PUT", P, {"slots": "1000-1009"})
    chk.status("park slots over extension 1001", st, 409, body)
    chk.check("  says which number is what",
              body.get("error") == "slots: 1001 is an extension", body)
    st, body, _ = adm.request("PUT", P, {"number": "1001"})
    chk.status("the park number of an extension", st, 409, body)
    chk.check("  names number", body.get("field") == "number", body)
    st, body = adm.get(P)
    chk.check("  changed nothing", body.get("slots") == "71-79" and
              body.get("number") == "70", body)
    st, body = adm.post(T + "/extensions", {"number": "75",
                                            "password": "pass-word-1"})
    chk.status("an extension numbered like slot 75", st, 409, body)
    chk.check("  says it is a park slot",
              "park slot" in body.get("error", ""), body)
    st, body, _ = adm.request("PUT", P, {"number": "", "slots": "",
                                         "timeout": 30})
    chk.check("parking off: no number, no slots",
              st == 200 and body.get("number") == "" and
              body.get("slots") == "" and body.get("first") == 0, (st, body))
    st, body, _ = adm.request("PUT", P, {"number": "70", "slots": "71-79",
                                         "timeout": 60})
    chk.status("back to 70, 71-79, 60 s", st, 200, body)
    st, body, _ = adm.request("PUT", "/api/v1/tenants/b.test/park",
                              {"timeout": 30})
    chk.status("adma changing tenant B's park settings", st, 404, body)
    st, body = adm.get(T + "/parked")
    chk.check("no calls parked", st == 200 and body.get("parked") == [],
              (st, body))

    # ---- API tokens ----
    st, body = adm.post("/api/v1/tokens", {"name": "script"})
    chk.status("a new API token", st, 201, body)
    tok = Client("127.0.0.1", PORT, token=body.get("token"))
    st, body = tok.get("/api/v1/me")
    chk.check("the token authenticates as adma",
              st == 200 and body["user"]["username"] == "adma", body)
    st, body = tok.post(T + "/extensions", {"number": "1007",
                                            "password": "pass-word-1"})
    chk.status("a token needs no CSRF header", st, 201, body)
    bad = Client("127.0.0.1", PORT, token="f" * 64)
    st, body = bad.get("/api/v1/me")
    chk.status("a made-up token", st, 401, body)

    # ---- the audit log ----
    st, body = adm.get("/api/v1/audit?limit=50")
    acts = [(e["user"], e["action"], e["object"]) for e in body["entries"]]
    chk.check("the audit log has the extension made by adma",
              ("adma", "POST /api/v1/tenants/a.test/extensions",
               "extension 1005") in acts, acts[:5])
    chk.check("  and the password the user changed",
              ("ua", "PATCH /api/v1/tenants/a.test/extensions/1001",
               "extension 1001") in acts, acts[:5])
    chk.check("  and the room made and deleted",
              ("adma", "POST /api/v1/tenants/a.test/rooms", "room 800")
              in acts and
              ("adma", "DELETE /api/v1/tenants/a.test/rooms/800",
               "room 800") in acts, acts[:8])
    chk.check("  and the room recording deleted",
              any(a[2].startswith("room recording ") and
                  a[2].endswith("(room 800)") for a in acts), acts[:8])
    api_rows = [e for e in body["entries"]
                if not e["user"].startswith("ondoctl:")]
    chk.check("  each with the source address",
              api_rows and all(e["source"] == "127.0.0.1" for e in api_rows),
              api_rows[:2])
    # test_inputs.sh made the tenant's extension and users with ondoctl.
    ctl = [(e["action"], e["object"], e["source"]) for e in body["entries"]
           if e["user"].startswith("ondoctl:")]
    chk.check("  and the ondoctl commands that made a.test's users, "
              "from local, the passwords hidden",
              ("ondoctl user add", "adma --role admin --tenant a.test "
               "--password ***", "local") in ctl and
              not any("adma-pass-1" in o for _, o, _ in ctl), ctl)

    # ---- call records ----
    st, body = adm.get(T + "/cdr?extension=1001")
    ids = [c["call_id"] for c in body.get("cdr", [])]
    chk.check("CDR of 1001: its four calls of this tenant, newest first",
              ids == ["c2", "c1", "c6", "c5"], body)
    st, body = adm.get(T + "/cdr?limit=1")
    last = body["cdr"][-1]
    st, body = adm.get(T + "/cdr?limit=1&before_start_us=%d&before_id=%d" %
                       (last["start_us"], last["id"]))
    chk.check("the next page starts after the cursor",
              [c["call_id"] for c in body["cdr"]] == ["c2"], body)
    st, body = adm.get(T + "/cdr?disposition=BUSY&from=1700000150")
    chk.check("disposition and date filters",
              [c["call_id"] for c in body["cdr"]] == ["c3"], body)
    st, body = adm.get(T + "/cdr?from=yesterday")
    chk.status("a date that is not a number", st, 422, body)
    st, body, hdrs = adm.request("GET", T + "/cdr?format=csv")
    text = body.decode() if isinstance(body, bytes) else str(body)
    chk.check("CSV export: a header and five rows",
              hdrs.get("content-type", "").startswith("text/csv") and
              text.count("\r\n") == 6, text)
    chk.check("  a caller ID like a formula is defused",
              '"\'=HYPERLINK(1)"' in text, text)

    st, body = adm.get(T + "/cdr?limit=100")
    by = {c["call_id"]: c for c in body["cdr"]}
    st, body, hdrs = adm.request("GET", T + "/cdr/%d/recording" % by["c5"]["id"])
    chk.check("a recorded call's WAV plays from the API",
              st == 200 and hdrs.get("content-type") == "audio/wav" and
              body[:4] == b"RIFF", (st, hdrs))
    st, body, _ = adm.request("GET", T + "/cdr/%d/recording" % by["c1"]["id"])
    chk.status("a call that was not recorded", st, 404, body)
    st, body, _ = adm.request("GET", T + "/cdr/%d/recording" % by["c6"]["id"])
    chk.status("a stored recording name with ..", st, 404, body)
    st, body, _ = adm.request("GET", "/api/v1/tenants/b.test/cdr/4/recording")
    chk.status("another tenant's record", st, 404, body)
    st, body, _ = adm.request("GET", T + "/cdr/4/recording")
    chk.status("another tenant's record id under one's own tenant", st, 404,
               body)

    # ---- prompts ----
    prompts(chk, adm)

    # ---- log-out ----
    st, body = adm.post("/api/v1/logout")
    chk.status("log-out", st, 204, body)
    st, body = adm.get("/api/v1/me")
    chk.status("the old cookie after log-out", st, 401, body)

    # ---- the throttle ----
    c = Client("127.0.0.1", PORT)
    for i in range(5):
        st, body, _ = c.login("adma", "wrong-%d" % i)
        chk.status("wrong password %d" % (i + 1), st, 401, body)
    st, body, hdrs = c.login("adma", "adma-pass-1")
    chk.status("the right password after 5 wrong ones", st, 429, body)
    chk.check("  with Retry-After", int(hdrs.get("retry-after", "0")) > 0,
              hdrs)
    st, body, _ = c.login("nobody", "whatever-1")
    chk.status("another name from the same address", st, 429, body)
    chk.done()


main()
