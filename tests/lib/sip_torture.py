#!/usr/bin/env python3
"""sip_torture.py - throws hostile SIP at a server and reports how it answered.

  sip_torture.py --port P --domain D [--rfc4475 DIR] [--protos ZIP]
                 [--own] [--tcp] [--slow N]

Sources (any mix):
  --rfc4475 DIR  the RFC 4475 torture messages (*.dat), sent as they are
                 over UDP and, with --tcp, each on a TCP connection of its
                 own
  --protos ZIP   the PROTOS c07-sip cases: each an INVITE and its
                 CANCEL/ACK, tags filled in (To: 1002@D), over UDP
  --own          a few hundred generated ones: missing, doubled and
                 contradictory mandatory headers, wrong Content-Length,
                 huge headers, invalid UTF-8, deep Via stacks, unknown
                 methods, requests outside any dialog, broken start lines;
                 with --tcp also truncated streams
  --slow N       N slow-loris TCP connections that dribble a header a
                 byte at a time for a few seconds, closed at the end

Every load loop is bounded and paced (about 2000 datagrams a second).
Prints one summary line per source: sent, answered, status classes. Exit 1
if any request of a method that needs credentials (INVITE, REGISTER,
SUBSCRIBE, MESSAGE, REFER) got a 2xx: the server let an unauthenticated
request through. 127.0.0.1 only.
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


def protos(zpath, domain, port):
    out = []
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
            cid = b"%d.%d" % (random.getrandbits(32), len(out))
            for k, r in enumerate(recs[:2]):
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
                out.append(r)
    return out


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
        udp_send_all(a.port, protos(a.protos, dom, ps.getsockname()[1]),
                     st, ps)
        print(st.line())
        bad += len(st.bad)
    if a.exact:
        n, wrong = exact(a.port, dom)
        print(f"exact: {n} sent, {n - len(wrong)} answered as RFC 3261 says")
        bad += len(wrong)
    if a.slow:
        print(f"slow-loris: {slow_loris(a.port, a.slow)} connections held")
    if bad:
        print(f"{bad} request(s) answered wrongly (an unauthenticated 2xx,"
              " or not the exact answer)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
