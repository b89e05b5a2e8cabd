#!/usr/bin/env python3
"""sip_torture.py - throws hostile SIP at a server and checks how it answered.

  sip_torture.py --port P --domain D [--rfc4475 DIR] [--protos ZIP]
                 [--own] [--tcp] [--slow N] [--exact]

Sources (any mix):
  --rfc4475 DIR  the RFC 4475 torture messages (*.dat), sent as they are
                 over UDP and, with --tcp, each on a TCP connection of its
                 own; with --exact first each one on a socket of its own,
                 its answer checked (below)
  --protos ZIP   the PROTOS c07-sip cases: each an INVITE and its CANCEL,
                 tags filled in (To: 1002@D), over UDP, every answer
                 matched to its case by Call-ID or branch
  --own          a few hundred generated ones: missing, doubled and
                 contradictory mandatory headers, wrong Content-Length,
                 huge headers, invalid UTF-8, deep Via stacks, unknown
                 methods, requests outside any dialog, broken start lines;
                 with --tcp also truncated streams
  --exact        24 of our own sent one at a time, each of which must get
                 exactly the answer RFC 3261 gives it
  --slow N       N slow-loris TCP connections that dribble a header a
                 byte at a time for a few seconds, closed at the end

What is checked, answer by answer:
  - no request of a method that needs credentials (INVITE, REGISTER,
    SUBSCRIBE, MESSAGE, REFER) gets a 2xx, whatever the source;
  - RFC 4475 (--rfc4475 with --exact): each message's final answer, or
    its silence, is one the RFC's text allows for it, from the table in
    rfc4475_answers.py. The table expects example.com to be served (with
    no extensions). One line per message, ok / BAD / KNOWN (wrong by
    the RFC, decided inside sofia-sip: reported, not a failure), with
    what was wanted and what came;
  - PROTOS: each case's INVITE gets one final answer from PROTOS_OK (a
    4xx refusal or 505) or none at all; never only a 1xx, never a 2xx,
    3xx, other 5xx or 6xx. One summary line (answers by code, dropped,
    wrong) and the first 20 wrong cases.

Every load loop is bounded and paced (about 2000 datagrams a second).
Exit 1 if any check failed. 127.0.0.1 only.
"""
import argparse
import os
import random
import re
import socket
import sys
import time
import zipfile

HOST = "127.0.0.1"
PACE_S = 0.0005
AUTH_METHODS = (b"INVITE", b"REGISTER", b"SUBSCRIBE", b"MESSAGE", b"REFER")


class Stats:
    def __init__(self, name):
        self.name, self.sent, self.answered = name, 0, 0
        self.classes = {}
        self.bad = []

    def answer(self, method, data):
        m = re.match(rb"SIP/2\.0 (\d{3})", data)
        if not m:
            return
        code = int(m.group(1))
        self.answered += 1
        self.classes[code // 100] = self.classes.get(code // 100, 0) + 1
        cseq = re.search(rb"\r\nCSeq:\s*\d+\s+(\S+)", data, re.I)
        meth = cseq.group(1) if cseq else method
        if 200 <= code < 300 and meth in AUTH_METHODS:
            self.bad.append(data.split(b"\r\n", 1)[0] + b" to " + meth)

    def line(self):
        cl = ", ".join(f"{k}xx {v}" for k, v in sorted(self.classes.items()))
        return (f"{self.name}: {self.sent} sent, {self.answered} answered"
                f" ({cl or 'none'}), {len(self.bad)} unauthenticated 2xx")


def method_of(msg):
    return msg.split(b" ", 1)[0][:16]


def drain(sock, st, method=b""):
    while True:
        try:
            data = sock.recv(65535)
        except (BlockingIOError, socket.timeout):
            return
        except OSError:
            return
        st.answer(method, data)


def udp_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((HOST, 0))
    s.setblocking(False)
    return s


def udp_send_all(port, msgs, st, s=None):
    s = s or udp_socket()
    for m in msgs:
        try:
            s.sendto(m[:65000], (HOST, port))
            st.sent += 1
        except OSError:
            pass
        time.sleep(PACE_S)
        drain(s, st, method_of(m))
    end = time.time() + 2.0
    while time.time() < end:
        drain(s, st)
        time.sleep(0.05)
    s.close()


def tcp_send_each(port, msgs, st, cut=False):
    """Each message on a connection of its own, 50 connections at a time;
    answers are read for half a second after each batch."""
    import select
    for b in range(0, len(msgs), 50):
        conns = []
        for m in msgs[b:b + 50]:
            try:
                c = socket.create_connection((HOST, port), timeout=1.0)
                c.sendall(m[: len(m) // 2] if cut else m)
                st.sent += 1
                conns.append((c, method_of(m)))
            except OSError:
                pass
        end = time.time() + 0.5
        while conns and time.time() < end:
            ready, _, _ = select.select([c for c, _ in conns], [], [], 0.1)
            for c in ready:
                meth = dict(conns)[c]
                try:
                    data = c.recv(65535)
                except OSError:
                    data = b""
                if data:
                    st.answer(meth, data)
                c.close()
                conns = [(x, y) for x, y in conns if x is not c]
        for c, _ in conns:
            c.close()


def slow_loris(port, n, seconds=4.0):
    conns = []
    for _ in range(n):
        try:
            conns.append(socket.create_connection((HOST, port), timeout=1.0))
        except OSError:
            break
    head = b"INVITE sip:1002@x SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5;branch=z9hG4bKslow\r\n"
    end, i = time.time() + seconds, 0
    while time.time() < end and i < len(head):
        for c in conns:
            try:
                c.send(head[i:i + 1])
            except OSError:
                pass
        i += 1
        time.sleep(0.1)
    for c in conns:
        c.close()
    return len(conns)


def rfc4475(d):
    out = []
    for name in sorted(os.listdir(d)):
        if name.endswith(".dat"):
            with open(os.path.join(d, name), "rb") as f:
                out.append(f.read())
    return out


def protos(zpath, domain, port, run):
    """The PROTOS cases, each a list of its datagrams (the INVITE, then its
    CANCEL). Call-ID and branch carry b"pr<run>-<case number>", by which
    answers are matched to cases."""
    cases = []
    with zipfile.ZipFile(zpath) as z:
        names = sorted(n for n in z.namelist()
                       if ("/testcases/" in n or n.startswith("testcases/"))
                       and not n.endswith("/"))
        for n in names:
            data = z.read(n)
            i, recs = 0, []
            while i < len(data):
                sp = data.find(b" ", i)
                if sp < 0:
                    break
                try:
                    ln = int(data[i:sp])
                except ValueError:
                    break
                recs.append(data[sp + 1:sp + 1 + ln])
                i = sp + 1 + ln
            cid = b"pr%s-%d" % (run, len(cases))
            msgs = []
            for r in recs[:2]:
                r = (r.replace(b"<To>", b"1002@" + domain)
                     .replace(b"<From>", b"9999@" + domain)
                     .replace(b"<From-Address>", b"127.0.0.1")
                     .replace(b"<From-IP>", b"127.0.0.1")
                     .replace(b"<Local-Port>", b"%d" % port)
                     .replace(b"<Teardown-Method>", b"CANCEL")
                     .replace(b"<CSeq>", b"1")
                     .replace(b"<Branch-ID>", cid)
                     .replace(b"<Call-ID>", cid))
                hb = r.find(b"\r\n\r\n")
                body = r[hb + 4:] if hb >= 0 else b""
                r = r.replace(b"<Content-Length>", b"%d" % len(body))
                msgs.append(r)
            cases.append(msgs)
    return cases


# What a PROTOS INVITE may be answered with: it comes without
# credentials, so whatever is wrong with it, the answer is a refusal of
# the request as sent. The challenge (407, or 401) for the cases whose
# damage the daemon can live with; 400 for what does not parse; and the
# specific refusals RFC 3261 names for a damaged field: 403 (refused),
# 404 (a Request-URI for no one here), 413/414/513 (too large), 415 (a
# Content-Type it cannot read), 416 (a URI scheme), 420 (a Require), 481
# (a To tag for no dialog), 482 (a loop, or a request merged with another
# case's), 483 (Max-Forwards 0), 484/485 (an incomplete or ambiguous
# address), 487 (the CANCEL came first), 488 (an unusable SDP offer),
# 505 (the SIP version). Never a 2xx (a call let through), 3xx, 480/486
# (a call looked up without credentials), 5xx other than 505, or 6xx.
PROTOS_OK = frozenset((400, 401, 403, 404, 407, 413, 414, 415, 416, 420,
                       481, 482, 483, 484, 485, 487, 488, 505, 513))


def protos_check(port, cases, run, sock, st):
    """Sends the cases paced over UDP from sock (their Via names it) and
    tallies each case's answers. Returns (summary line, wrong lines)."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    tag = re.compile(rb"pr" + run + rb"-(\d+)")
    finals = [set() for _ in cases]
    prov = [False] * len(cases)
    other = {"unmatched": 0}

    def take(data):
        st.answer(b"INVITE", data)
        m = tag.search(data)
        k = int(m.group(1)) if m else -1
        if not 0 <= k < len(cases):
            other["unmatched"] += 1
            return
        for code, cs in responses(data):
            if cs in (b"CANCEL", b"ACK"):
                continue
            if code < 200:
                prov[k] = True
            else:
                finals[k].add(code)

    def drain():
        while True:
            try:
                data = sock.recv(65535)
            except OSError:
                return
            take(data)

    for msgs in cases:
        for m in msgs:
            try:
                sock.sendto(m[:65000], (HOST, port))
                st.sent += 1
            except OSError:
                pass
            time.sleep(PACE_S)
            drain()
    end = time.time() + 2.0
    while time.time() < end:
        drain()
        time.sleep(0.05)
    sock.close()
    by_code, dropped, wrong = {}, 0, []
    for k, f in enumerate(finals):
        if not f:
            if prov[k]:
                wrong.append(f"case {k}: a provisional answer, no final")
            else:
                dropped += 1
            continue
        bad = sorted(c for c in f if c not in PROTOS_OK)
        if bad or len(f) > 1:
            wrong.append(f"case {k}: " + "/".join(map(str, sorted(f))))
            continue
        c = next(iter(f))
        by_code[c] = by_code.get(c, 0) + 1
    codes = ", ".join(f"{c} {n}" for c, n in sorted(by_code.items()))
    line = (f"protos: {len(cases)} cases, {sum(by_code.values())} answered"
            f" 4xx or 505 ({codes or 'none'}), {dropped} dropped,"
            f" {len(wrong)} wrong")
    if other["unmatched"]:
        line += f" ({other['unmatched']} answers matched no case)"
    return line, wrong


def own(domain, port):
    d = domain
    cid = lambda: b"own-%d" % random.getrandbits(40)
    sdp = (b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
           b"t=0 0\r\nm=audio 9 RTP/AVP 0\r\n")
    base = [b"Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK%s" % (port, cid()),
            b"Max-Forwards: 70",
            b"From: <sip:1001@%s>;tag=a1" % d,
            b"To: <sip:1002@%s>" % d,
            b"Call-ID: " + cid(),
            b"CSeq: 1 INVITE",
            b"Contact: <sip:1001@127.0.0.1:%d>" % port,
            b"Content-Type: application/sdp"]

    def build(start, hdrs, body=sdp, cl=None):
        cl = b"Content-Length: %d" % len(body) if cl is None else cl
        lines = [start] + hdrs + ([cl] if cl != b"" else [])
        return b"\r\n".join(lines) + b"\r\n\r\n" + body

    inv = b"INVITE sip:1002@%s SIP/2.0" % d
    out = [build(inv, base)]
    for i in range(len(base)):  # each header missing, then doubled
        out.append(build(inv, base[:i] + base[i + 1:]))
        dup = base[i].replace(b"1002", b"1003").replace(b"a1", b"a2")
        out.append(build(inv, base + [dup]))
    for cl in (b"Content-Length: 9999", b"Content-Length: 3",
               b"Content-Length: -1", b"Content-Length: abc",
               b"Content-Length: 99999999999999999999",
               b"Content-Length: 0", b"Content-Length:", b""):
        out.append(build(inv, base, cl=cl))
    for size in (1000, 8000, 60000):  # huge headers
        out.append(build(inv, base + [b"X-Big: " + b"A" * size]))
        out.append(build(inv, base + [b"Subject: " + b"\xff\xfe" * (size // 2)]))
    for bad in (b"\xc3\x28", b"\xa0\xa1", b"\xf0\x28\x8c\xbc", b"\xed\xa0\x80",
                b"\x00", b"\x1b[31m"):  # invalid UTF-8 and control bytes
        h = list(base)
        h[2] = b"From: \"" + bad + b"\" <sip:1001@%s>;tag=a1" % d
        out.append(build(inv, h))
        out.append(build(b"INVITE sip:" + bad + b"@%s SIP/2.0" % d, base))
    for depth in (10, 70, 200, 1000):  # deep Via stacks
        vias = [b"Via: SIP/2.0/UDP 10.0.0.%d:5060;branch=z9hG4bK%d" % (k % 250, k)
                for k in range(depth)]
        out.append(build(inv, vias + base))
    for meth in (b"FOO", b"INVITEX", b"X" * 200, b"invite", b"I\x00NVITE",
                 b"PUBLISH", b"UPDATE", b"PRACK", b"REFER", b"NOTIFY",
                 b"INFO", b"BYE", b"ACK", b"CANCEL", b"OPTIONS", b"MESSAGE",
                 b"SUBSCRIBE", b"REGISTER"):
        h = [x if not x.startswith(b"CSeq") else b"CSeq: 7 " + meth for x in base]
        h[4] = b"Call-ID: " + cid()  # no such dialog
        out.append(build(meth + b" sip:1002@%s SIP/2.0" % d, h, b""))
        h2 = list(h)
        h2[3] = b"To: <sip:1002@%s>;tag=nosuchdialog" % d
        out.append(build(meth + b" sip:1002@%s SIP/2.0" % d, h2, b""))
    for start in (b"", b"GARBAGE", b"INVITE", b"INVITE sip:1002@%s" % d,
                  b"INVITE sip:1002@%s SIP/3.0" % d, b"INVITE  SIP/2.0",
                  b"INVITE sip:1002@%s SIP/2.0 extra" % d,
                  b"INVITE <sip:1002@%s> SIP/2.0" % d,
                  b"INVITE sip:@ SIP/2.0", b"INVITE sips:1002@%s SIP/2.0" % d,
                  b"INVITE tel:+4930123 SIP/2.0", b"SIP/2.0 200 OK",
                  b"SIP/2.0 999 Weird", b"SIP/2.0 20 Short",
                  b"\r\n\r\n\r\n", b"\x00" * 64):
        out.append(build(start, base))
    for cseq in (b"CSeq: 1 BYE", b"CSeq: 4294967296 INVITE",
                 b"CSeq: -5 INVITE", b"CSeq: INVITE", b"CSeq: 1"):
        out.append(build(inv, [x if not x.startswith(b"CSeq") else cseq
                               for x in base]))
    reg = b"REGISTER sip:%s SIP/2.0" % d
    rbase = [x.replace(b"1002", b"1001").replace(b"CSeq: 1 INVITE",
                                                  b"CSeq: 1 REGISTER")
             for x in base if not x.startswith(b"Content-Type")]
    for auth in (b"Digest ,", b"Digest", b"Digest ,,,,", b"Digest =",
                 b"Digest username", b"Digest username=",
                 b"Digest username=\"", b"Basic MTAwMTpzZWNyZXQ=",
                 b"Digest username=\"1001\", realm=\"%s\", nonce=\"\","
                 b" uri=\"sip:%s\", response=\"\"" % (d, d),
                 b"Digest username=\"1001\", nonce=\"+0000001\","
                 b" response=\"" + b"0" * 32 + b"\"",
                 b"Digest username=\"" + b"A" * 4000 + b"\"",
                 b"Digest " + b"a=b," * 500,
                 b"Digest username=\"1001\", algorithm=SHA-512-256-X"):
        for start, hb, body in ((inv, base, sdp), (reg, rbase, b"")):
            hname = b"Proxy-Authorization: " if start is inv else b"Authorization: "
            out.append(build(start, hb + [hname + auth], body))
    out.append(build(inv, base, b"x" * 70000))  # a body past any limit
    out.append(b"\r\n" * 100)
    out.append(bytes(random.getrandbits(8) for _ in range(1400)))
    return out


# Exact answers: (name, expected codes or () for "dropped", start line,
# header changes). Each is sent alone from the socket its Via names, and
# its first final answer (or none within EXACT_WAIT_S) must be one of the
# expected codes. The expectations are RFC 3261's for a UAS/registrar
# that authenticates before it looks at what is asked (section numbers
# in docs/security.md).
EXACT_WAIT_S = 1.0


def exact_cases(d):
    inv = b"INVITE sip:1002@%s SIP/2.0" % d
    opt = b"OPTIONS sip:1002@%s SIP/2.0" % d
    reg = b"REGISTER sip:%s SIP/2.0" % d

    def rm(name):
        return ("drop", name)

    def put(name, value):
        return ("set", name, value)

    return [
        ("a good INVITE, no credentials", (407,), inv, []),
        ("a good REGISTER, no credentials", (401,), reg,
         [put(b"CSeq", b"1 REGISTER"), put(b"To", b"<sip:1001@%s>" % d)]),
        ("OPTIONS to the server", (200,), opt, [put(b"CSeq", b"1 OPTIONS")]),
        ("no Via", (), inv, [rm(b"Via")]),
        ("no From", (400,), inv, [rm(b"From")]),
        ("no To", (400,), inv, [rm(b"To")]),
        ("no Call-ID", (400,), inv, [rm(b"Call-ID")]),
        ("no CSeq", (400,), inv, [rm(b"CSeq")]),
        ("no Max-Forwards (accepted: 8.1.1.6 is a SHOULD)", (407,), inv,
         [rm(b"Max-Forwards")]),
        ("CSeq method not the request's", (400,), inv,
         [put(b"CSeq", b"1 REGISTER")]),
        ("SIP/3.0", (505,), b"INVITE sip:1002@%s SIP/3.0" % d, []),
        ("Max-Forwards: 0", (483,), inv, [put(b"Max-Forwards", b"0")]),
        ("Require: an unknown extension", (420,), inv,
         [put(b"Require", b"no-such-extension")]),
        ("an unknown method outside a dialog", (501, 405),
         b"FOO sip:1002@%s SIP/2.0" % d, [put(b"CSeq", b"1 FOO")]),
        ("BYE for no dialog", (481,), b"BYE sip:1002@%s SIP/2.0" % d,
         [put(b"CSeq", b"1 BYE"), put(b"To", b"<sip:1002@%s>;tag=x9" % d)]),
        ("CANCEL for no transaction", (481,),
         b"CANCEL sip:1002@%s SIP/2.0" % d, [put(b"CSeq", b"1 CANCEL")]),
        ("ACK for no transaction", (), b"ACK sip:1002@%s SIP/2.0" % d,
         [put(b"CSeq", b"1 ACK")]),
        ("Content-Length: abc", (400,), inv,
         [put(b"Content-Length", b"abc")]),
        ("a Request-URI in angle brackets", (400,),
         b"INVITE <sip:1002@%s> SIP/2.0" % d, []),
        ("a re-INVITE for no dialog (a To tag)", (481,), inv,
         [put(b"To", b"<sip:1002@%s>;tag=nodialog" % d)]),
        ("Content-Length past the datagram (18.3)", (400,), inv,
         [put(b"Content-Length", b"9999")]),
        ("MESSAGE, no credentials", (407,),
         b"MESSAGE sip:1002@%s SIP/2.0" % d, [put(b"CSeq", b"1 MESSAGE")]),
        ("SUBSCRIBE to an unknown event package", (489,),
         b"SUBSCRIBE sip:1002@%s SIP/2.0" % d,
         [put(b"CSeq", b"1 SUBSCRIBE"), put(b"Event", b"no-such-package")]),
        ("PUBLISH (not served)", (501, 405),
         b"PUBLISH sip:1002@%s SIP/2.0" % d,
         [put(b"CSeq", b"1 PUBLISH"), put(b"Event", b"presence")]),
    ]


def exact(port, d):
    """Sends each exact case and returns the lines of those answered
    otherwise than expected."""
    s = udp_socket()
    me = s.getsockname()[1]
    sdp = (b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1"
           b"\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n")
    bad, n = [], 0
    for name, want, start, changes in exact_cases(d):
        n += 1
        cid = b"exact-%d-%d" % (n, random.getrandbits(32))
        # Answers are matched by the branch: a request without a Call-ID
        # still has its Via copied into the answer.
        branch = b"z9hG4bK-ex%d" % random.getrandbits(40)
        hdrs = [(b"Via", b"SIP/2.0/UDP 127.0.0.1:%d;rport;branch=%s"
                 % (me, branch)),
                (b"Max-Forwards", b"70"),
                (b"From", b"<sip:1001@%s>;tag=ex%d" % (d, n)),
                (b"To", b"<sip:1002@%s>" % d),
                (b"Call-ID", cid),
                (b"CSeq", b"1 INVITE"),
                (b"Contact", b"<sip:1001@127.0.0.1:%d>" % me),
                (b"Content-Type", b"application/sdp")]
        body = sdp
        cl = None
        for ch in changes:
            if ch[0] == "drop":
                hdrs = [h for h in hdrs if h[0] != ch[1]]
            elif ch[1] == b"Content-Length":
                cl = ch[2]
            elif any(h[0] == ch[1] for h in hdrs):
                hdrs = [(h[0], ch[2]) if h[0] == ch[1] else h for h in hdrs]
            else:
                hdrs.append((ch[1], ch[2]))
        if not start.startswith((b"INVITE", b"FOO")):
            hdrs = [h for h in hdrs if h[0] != b"Content-Type"]
            body = b""
        lines = [start] + [k + b": " + v for k, v in hdrs]
        lines.append(b"Content-Length: " +
                     (cl if cl is not None else b"%d" % len(body)))
        s.sendto(b"\r\n".join(lines) + b"\r\n\r\n" + body, (HOST, port))
        got = None
        end = time.time() + EXACT_WAIT_S
        while time.time() < end and got is None:
            s.settimeout(max(0.01, end - time.time()))
            try:
                data = s.recv(65535)
            except (socket.timeout, BlockingIOError):
                break
            m = re.match(rb"SIP/2\.0 (\d{3})", data)
            if m and int(m.group(1)) >= 200 and branch in data:
                got = int(m.group(1))
        ok = (got is None and not want) or (got in want)
        line = "%-48s want %-9s got %s" % (
            name, "/".join(map(str, want)) or "nothing", got or "nothing")
        print(("  ok   " if ok else "  BAD  ") + line)
        if not ok:
            bad.append(line)
    return n, bad


# RFC 4475 one by one: each message goes on a socket of its own, so
# whatever comes back on it is that message's answer. A request is sent
# over the transport its top Via names, with one change that the daemon
# needs to answer us at all (and only to the top Via):
#   - Via UDP: its sent-by becomes this socket's address. The RFC's
#     Vias name 192.0.2.x and example hosts, where the answer would go;
#     UDP keeps the RFC's framing rules (18.3: clerr's 400, dblreq's
#     trailing octets, inv2543 without Content-Length, ncl, mcl01).
#   - Via TCP: sent unchanged on a connection of its own (answers come
#     back over it, RFC 3261 18.2.2).
#   - Via TLS (bext01): the transport becomes TCP. sofia-sip drops a
#     request whose top Via names another transport than the one it
#     came on (nta "Via check: invalid transport"), which is also why
#     the UDP ones cannot simply go over TCP.
# A message without a Via (test.dat) goes over TCP, where an answer
# could still come back. Responses go unchanged over UDP (TCP for
# scalarlg, whose Via says TCP): nothing may come back. The unchanged
# sends of the survival pass are not affected.
RFC4475_WAIT_S = 1.5
VIA_RE = re.compile(rb"(?im)^(?:via|v)[ \t]*:")
SENT_BY_RE = re.compile(rb"SIP\s*/\s*\d+\.\d+\s*/\s*([A-Za-z]+)\s+([^;,\s]+)")
CSEQ_RE = re.compile(rb"(?im)^cseq[ \t]*:\s*\d+\s+(\S+)")


def responses(data):
    """(status code, CSeq method or b"") of each response in data (one
    datagram, or what a connection gave so far)."""
    out = []
    starts = [m for m in re.finditer(rb"(?m)^SIP/2\.0 (\d{3}) ", data)]
    for i, m in enumerate(starts):
        stop = starts[i + 1].start() if i + 1 < len(starts) else len(data)
        cs = CSEQ_RE.search(data, m.end(), stop)
        out.append((int(m.group(1)), cs.group(1) if cs else b""))
    return out


def rfc4475_prepare(msg):
    """(transport, message as sent, what was rewritten) for one file."""
    is_response = msg.startswith(b"SIP/")
    m = VIA_RE.search(msg)
    tv = SENT_BY_RE.search(msg, m.end()) if m else None
    tr = tv.group(1).upper() if tv else b""
    if is_response:
        return ("tcp" if tr == b"TCP" else "udp"), msg, ""
    if tr == b"UDP":
        return "udp", msg, "top Via sent-by"
    if tv and tr != b"TCP":
        return ("tcp", msg[:tv.start(1)] + b"TCP" + msg[tv.end(1):],
                "top Via transport %s->TCP" % tr.decode())
    return "tcp", msg, ""


def rfc4475_exact(port, d):
    """Sends every RFC 4475 message of directory d on its own socket and
    compares its final answers with rfc4475_answers.EXPECT. Returns
    (checked, bad lines, known lines)."""
    import select
    from rfc4475_answers import EXPECT, KNOWN
    pending = []
    for name in sorted(os.listdir(d)):
        if not name.endswith(".dat"):
            continue
        with open(os.path.join(d, name), "rb") as f:
            msg = f.read()
        kind, out, rewrite = rfc4475_prepare(msg)
        try:
            if kind == "udp":
                s = udp_socket()
                if rewrite:
                    tv = SENT_BY_RE.search(out, VIA_RE.search(out).end())
                    me = b"127.0.0.1:%d" % s.getsockname()[1]
                    out = out[:tv.start(2)] + me + out[tv.end(2):]
                s.sendto(out, (HOST, port))
            else:
                s = socket.create_connection((HOST, port), timeout=1.0)
                s.sendall(out)
                s.setblocking(False)
        except OSError as e:
            print(f"  BAD  {name[:-4]}: cannot send ({e})")
            pending.append((name[:-4], None, {}, rewrite, kind))
            continue
        pending.append((name[:-4], s, {"finals": []}, rewrite, kind))
        time.sleep(0.01)
    # Every socket is read until RFC4475_WAIT_S after the last send: a
    # dropped message has no answer to wait for, and the others come in
    # well within that.
    end = time.time() + RFC4475_WAIT_S
    live = {p[1]: p for p in pending if p[1] is not None}
    while live and time.time() < end:
        ready, _, _ = select.select(list(live), [], [], 0.05)
        for s in ready:
            st = live[s][2]
            try:
                data = s.recv(65535)
            except OSError:
                data = b""
            if not data:  # a closed connection: nothing more comes
                del live[s]
                continue
            for code, cs in responses(data):
                if code >= 200 and (code, cs) not in st["finals"]:
                    st["finals"].append((code, cs))
    for p in pending:
        if p[1] is not None:
            p[1].close()
    bad, known, n = [], [], 0
    for name, s, st, rewrite, kind in pending:
        n += 1
        sect, want, why = EXPECT.get(name, ("?", (), "not in the table"))
        finals = st.get("finals", [])
        got = tuple(sorted({c for c, _ in finals})) or (0,)
        ok = s is not None and len(got) == 1 and got[0] in want
        is_known = (not ok and s is not None and len(got) == 1
                    and got[0] in KNOWN.get(name, ()))
        fmt = lambda cs: "/".join(str(c) if c else "nothing" for c in cs)
        line = "%-10s %-8s want %-20s got %-8s %s%s" % (
            name, sect, fmt(want), fmt(got), kind,
            " (%s)" % rewrite if rewrite else "")
        tag = "ok  " if ok else ("KNOWN" if is_known else "BAD ")
        print(f"  {tag} {line}")
        if not ok:
            (known if is_known else bad).append(line + " - " + why)
    return n, bad, known


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--domain", required=True)
    ap.add_argument("--rfc4475")
    ap.add_argument("--protos")
    ap.add_argument("--own", action="store_true")
    ap.add_argument("--tcp", action="store_true")
    ap.add_argument("--slow", type=int, default=0)
    ap.add_argument("--exact", action="store_true")
    a = ap.parse_args()
    random.seed(4475)
    dom = a.domain.encode()
    bad = 0
    srcs = []
    if a.rfc4475 and a.exact:
        # First: a message sent again with another Via within the
        # transaction's lifetime (32 s) would be answered 482 Merged
        # Request, as RFC 3261 8.2.2.2 has it, not as the message itself.
        n, wrong, known = rfc4475_exact(a.port, a.rfc4475)
        print(f"rfc4475: {n} messages, {n - len(wrong) - len(known)}"
              f" answered as the RFC says, {len(known)} known"
              f" (sofia-sip), {len(wrong)} wrong")
        bad += len(wrong)
    if a.rfc4475:
        srcs.append(("rfc4475", rfc4475(a.rfc4475)))
    us = udp_socket()
    if a.own:
        # Answers to our own come back to this socket (their Via).
        srcs.append(("own", own(dom, us.getsockname()[1])))
    for name, msgs in srcs:
        st = Stats(name + "/udp")
        udp_send_all(a.port, msgs, st, us if name == "own" else None)
        print(st.line())
        bad += len(st.bad)
        if a.tcp:
            st = Stats(name + "/tcp")
            tcp_send_each(a.port, msgs, st)
            print(st.line())
            bad += len(st.bad)
            st = Stats(name + "/tcp-truncated")
            tcp_send_each(a.port, msgs, st, cut=True)
            print(st.line())
            bad += len(st.bad)
    if a.protos:
        st = Stats("protos/udp")
        ps = udp_socket()
        run = b"%08x" % random.getrandbits(32)
        cases = protos(a.protos, dom, ps.getsockname()[1], run)
        line, wrong = protos_check(a.port, cases, run, ps, st)
        print(st.line())
        print(line)
        for w in wrong[:20]:
            print("  BAD  protos " + w)
        bad += len(st.bad) + len(wrong)
    if a.exact:
        n, wrong = exact(a.port, dom)
        print(f"exact: {n} sent, {n - len(wrong)} answered as RFC 3261 says")
        bad += len(wrong)
    if a.slow:
        print(f"slow-loris: {slow_loris(a.port, a.slow)} connections held")
    if bad:
        print(f"{bad} request(s) answered wrongly (an unauthenticated 2xx,"
              " or not an answer the RFC allows)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
