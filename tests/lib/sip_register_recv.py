#!/usr/bin/env python3
"""sip_register_recv.py - a phone that listens first, then registers and
takes what the server sends it: for requests a server sends at the moment
a phone registers (waiting messages), which a phone must already be
listening for.

  sip_register_recv.py SERVER_PORT DOMAIN USER PASSWORD METHOD [SECONDS]

Binds a UDP socket on 127.0.0.1, REGISTERs USER@DOMAIN from it (answering
the digest challenge: MD5, qop=auth), then answers 200 to every request of
METHOD that arrives within SECONDS (default 10), printing each one
(separated by a line of '='). Exit 0 if the registration got 200 and at
least one METHOD request came, else 1. Python standard library only.
"""
import hashlib
import random
import re
import socket
import sys
import time


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def main(argv):
    if len(argv) < 6:
        sys.stderr.write(__doc__)
        return 2
    port, dom, user, pw, method = int(argv[1]), argv[2], argv[3], argv[4], argv[5]
    secs = float(argv[6]) if len(argv) > 6 else 10.0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(0.2)
    me = s.getsockname()[1]
    cid = "rr-%x" % random.getrandbits(48)
    got, registered, cseq = 0, False, 1

    def register(auth=""):
        msg = (f"REGISTER sip:{dom} SIP/2.0\r\n"
               f"Via: SIP/2.0/UDP 127.0.0.1:{me};branch=z9hG4bK{random.getrandbits(40):x}\r\n"
               f"Max-Forwards: 70\r\nFrom: <sip:{user}@{dom}>;tag=rr1\r\n"
               f"To: <sip:{user}@{dom}>\r\nCall-ID: {cid}\r\nCSeq: {cseq} REGISTER\r\n"
               f"Contact: <sip:{user}@127.0.0.1:{me}>\r\nExpires: 300\r\n{auth}"
               f"Content-Length: 0\r\n\r\n")
        s.sendto(msg.encode(), ("127.0.0.1", port))

    register()
    end = time.time() + secs
    while time.time() < end:
        try:
            data, src = s.recvfrom(65535)
        except socket.timeout:
            continue
        text = data.decode("utf-8", "replace")
        if text.startswith("SIP/2.0 401"):
            ch = re.search(r'WWW-Authenticate: *Digest (.*)', text, re.I).group(1)
            realm = re.search(r'realm="([^"]*)"', ch).group(1)
            nonce = re.search(r'nonce="([^"]*)"', ch).group(1)
            cnonce, nc = "%x" % random.getrandbits(32), "00000001"
            uri = f"sip:{dom}"
            ha1 = md5(f"{user}:{realm}:{pw}")
            ha2 = md5(f"REGISTER:{uri}")
            resp = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            cseq += 1
            register(f'Authorization: Digest username="{user}", realm="{realm}", '
                     f'nonce="{nonce}", uri="{uri}", response="{resp}", '
                     f'algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}"\r\n')
        elif text.startswith("SIP/2.0 200") and "REGISTER" in text:
            registered = True
        elif text.startswith(method + " "):
            got += 1
            print(text)
            print("=" * 20)
            sys.stdout.flush()
            hdrs = [l for l in text.split("\r\n")
                    if re.match(r"(Via|From|To|Call-ID|CSeq):", l, re.I)]
            ok = "SIP/2.0 200 OK\r\n" + "\r\n".join(hdrs) + "\r\nContent-Length: 0\r\n\r\n"
            s.sendto(ok.encode(), src)
            end = min(end, time.time() + 1.0)  # a retransmission may follow
    if not registered:
        print("the registration got no 200", file=sys.stderr)
    return 0 if registered and got else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
