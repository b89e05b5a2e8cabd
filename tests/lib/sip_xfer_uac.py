#!/usr/bin/env python3
"""sip_xfer_uac.py - a phone that does an attended transfer (REFER with
Replaces, RFC 3891), which baresip 1.0 cannot.

  sip_xfer_uac.py SERVER_PORT DOMAIN USER PASSWORD A C [SECONDS]

As USER@DOMAIN (digest, MD5, qop=auth) it calls A and waits for the
answer, calls C (the consultation) and waits for the answer, then sends
REFER in the first dialog with Refer-To: <sip:C@DOMAIN?Replaces=...>
naming the second (XFER_EARLY=1: as soon as C rings, before it answers).
It answers 200 to every NOTIFY and BYE. It sends no
RTP (its SDP points at a port nobody reads). Exit 0 once a NOTIFY with
"SIP/2.0 200" came and both dialogs got a BYE within SECONDS (default
20); prints one line per step. Python standard library only.
"""
import hashlib
import os
import random
import re
import socket
import sys
import time
import urllib.parse


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def hdr(text, name):
    m = re.search(r"^" + name + r":\s*(.*)$", text, re.I | re.M)
    return m.group(1).strip() if m else ""


class Uac:
    def __init__(self, port, dom, user, pw):
        self.port, self.dom, self.user, self.pw = port, dom, user, pw
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind(("127.0.0.1", 0))
        self.s.settimeout(0.2)
        self.me = self.s.getsockname()[1]
        self.dialogs = {}  # call-id -> dict
        self.notify_ok = False
        self.byes = set()

    def send(self, text):
        self.s.sendto(text.encode(), ("127.0.0.1", self.port))

    def request(self, d, method, extra="", body="", ctype="", uri=None):
        d["cseq"] += 1
        d["branch"] = "z9hG4bK%x" % random.getrandbits(48)
        uri = uri or d.get("target") or f"sip:{d['to_user']}@{self.dom}"
        to = f"<sip:{d['to_user']}@{self.dom}>" + (
            f";tag={d['to_tag']}" if d.get("to_tag") else "")
        msg = (f"{method} {uri} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP 127.0.0.1:{self.me};rport;"
               f"branch={d['branch']}\r\n"
               f"Max-Forwards: 70\r\n"
               f"From: <sip:{self.user}@{self.dom}>;tag={d['from_tag']}\r\n"
               f"To: {to}\r\nCall-ID: {d['cid']}\r\n"
               f"CSeq: {d['cseq']} {method}\r\n"
               f"Contact: <sip:{self.user}@127.0.0.1:{self.me}>\r\n{extra}")
        if ctype:
            msg += f"Content-Type: {ctype}\r\n"
        msg += f"Content-Length: {len(body)}\r\n\r\n{body}"
        self.send(msg)
        return d["cseq"]

    def sdp(self):
        return ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                "c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                "m=audio 9 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")

    def ack(self, d, cseq, failed=False):
        """The ACK of a failure is the INVITE transaction's own (its
        branch); that of a 2xx a new request to the remote target."""
        uri = (f"sip:{d['to_user']}@{self.dom}" if failed else
               d.get("target") or f"sip:{d['to_user']}@{self.dom}")
        branch = d["branch"] if failed else "z9hG4bK%x" % random.getrandbits(48)
        msg = (f"ACK {uri} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP 127.0.0.1:{self.me};rport;"
               f"branch={branch}\r\n"
               f"Max-Forwards: 70\r\n"
               f"From: <sip:{self.user}@{self.dom}>;tag={d['from_tag']}\r\n"
               f"To: <sip:{d['to_user']}@{self.dom}>;tag={d['to_tag']}\r\n"
               f"Call-ID: {d['cid']}\r\nCSeq: {cseq} ACK\r\n"
               f"Content-Length: 0\r\n\r\n")
        self.send(msg)

    def auth_header(self, text, method, uri):
        ch = hdr(text, "Proxy-Authenticate") or hdr(text, "WWW-Authenticate")
        realm = re.search(r'realm="([^"]*)"', ch).group(1)
        nonce = re.search(r'nonce="([^"]*)"', ch).group(1)
        cnonce, nc = "%x" % random.getrandbits(32), "00000001"
        ha1 = md5(f"{self.user}:{realm}:{self.pw}")
        resp = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{md5(method + ':' + uri)}")
        name = "Proxy-Authorization" if "407" in text.split("\r\n")[0] else "Authorization"
        return (f'{name}: Digest username="{self.user}", realm="{realm}", '
                f'nonce="{nonce}", uri="{uri}", response="{resp}", '
                f'algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}"\r\n')

    def answer_request(self, text, src):
        keep = [l for l in text.split("\r\n")
                if re.match(r"(Via|From|To|Call-ID|CSeq):", l, re.I)]
        self.s.sendto(("SIP/2.0 200 OK\r\n" + "\r\n".join(keep) +
                       "\r\nContent-Length: 0\r\n\r\n").encode(), src)
        method = text.split(" ", 1)[0]
        if method == "NOTIFY":
            frag = text.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in text else ""
            print("NOTIFY", frag.strip().split("\r\n")[0] or "(empty)",
                  "|", hdr(text, "Subscription-State"))
            if frag.startswith("SIP/2.0 200"):
                self.notify_ok = True
        elif method == "BYE":
            cid = hdr(text, "Call-ID")
            print("BYE for", "call 1" if cid == self.first else "call 2")
            self.byes.add(cid)

    def poll(self, until):
        while time.time() < until:
            try:
                data, src = self.s.recvfrom(65535)
            except socket.timeout:
                return None
            text = data.decode("utf-8", "replace")
            if text.startswith("SIP/2.0 "):
                return text
            self.answer_request(text, src)
        return None

    def call(self, to_user, secs, early=False):
        d = {"cid": "xa-%x" % random.getrandbits(48), "cseq": 0,
             "from_tag": "%x" % random.getrandbits(32), "to_user": to_user}
        uri = f"sip:{to_user}@{self.dom}"
        cseq = self.request(d, "INVITE", body=self.sdp(), ctype="application/sdp")
        end = time.time() + secs
        while time.time() < end:
            text = self.poll(end)
            if not text or hdr(text, "Call-ID") != d["cid"]:
                continue
            code = int(text.split(" ")[1])
            if code in (401, 407):
                self.ack(dict(d, to_tag=re.search(r"tag=([^;>\s]+)", hdr(text, "To")).group(1)),
                         cseq, failed=True)
                cseq = self.request(d, "INVITE", self.auth_header(text, "INVITE", uri),
                                    self.sdp(), "application/sdp")
            elif early and 180 <= code < 200 and "tag=" in hdr(text, "To"):
                d["to_tag"] = re.search(r"tag=([^;>\s]+)", hdr(text, "To")).group(1)
                print("call to", to_user, "ringing")
                return d
            elif 200 <= code < 300:
                d["to_tag"] = re.search(r"tag=([^;>\s]+)", hdr(text, "To")).group(1)
                m = re.search(r"<([^>]+)>", hdr(text, "Contact"))
                d["target"] = m.group(1) if m else uri
                self.ack(d, cseq)
                print("call to", to_user, "answered")
                self.dialogs[d["cid"]] = d
                return d
            elif code >= 300:
                print("call to", to_user, "failed:", code)
                return None
        print("call to", to_user, "timed out")
        return None


def main(argv):
    if len(argv) < 7:
        sys.stderr.write(__doc__)
        return 2
    port, dom, user, pw, a, c = int(argv[1]), argv[2], argv[3], argv[4], argv[5], argv[6]
    secs = float(argv[7]) if len(argv) > 7 else 20.0
    u = Uac(port, dom, user, pw)
    d1 = u.call(a, secs)
    u.first = d1["cid"] if d1 else ""
    if not d1:
        return 1
    time.sleep(float(argv[8]) if len(argv) > 8 else 1.0)
    d2 = u.call(c, secs, early=os.environ.get("XFER_EARLY") == "1")
    if not d2:
        return 1
    time.sleep(1.0)
    rep = urllib.parse.quote(
        f"{d2['cid']};to-tag={d2['to_tag']};from-tag={d2['from_tag']}", safe="")
    refer_to = f"<sip:{c}@{dom}?Replaces={rep}>"
    u.request(d1, "REFER",
              f"Refer-To: {refer_to}\r\nReferred-By: <sip:{user}@{dom}>\r\n")
    print("REFER sent:", refer_to)
    end = time.time() + secs
    got = None
    want = 1 if os.environ.get("XFER_EARLY") == "1" else 2
    while time.time() < end and not (u.notify_ok and len(u.byes) >= want):
        text = u.poll(end)
        if text and "REFER" in hdr(text, "CSeq") and not got:
            got = text.split("\r\n")[0]
            print("REFER answered:", got)
    # A consultation still ringing is cancelled, not hung up.
    want = 1 if os.environ.get("XFER_EARLY") == "1" else 2
    ok = u.notify_ok and len(u.byes) >= want
    print("done:", "NOTIFY 200" if u.notify_ok else "no NOTIFY 200",
          f"{len(u.byes)} BYE(s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
