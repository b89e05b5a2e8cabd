#!/usr/bin/env python3
"""sip_flood.py - a burst of unauthenticated REGISTERs from one address,
as a scanner sends them, and what came back.

  sip_flood.py SERVER_PORT DOMAIN SOURCE_IP COUNT [WAIT_SECONDS]

Binds a UDP socket on SOURCE_IP (any 127.x address is local), sends COUNT
REGISTERs for user 1001@DOMAIN as fast as it can, each its own Call-ID,
then collects responses for WAIT_SECONDS (default 2). Prints one line:
"sent N 401 A 503 B other C retry_after R" where R is the Retry-After of
the first 503 ("-" if none). Exit 0. Python standard library only.
"""
import random
import re
import socket
import sys
import time


def main(argv):
    if len(argv) < 5:
        sys.stderr.write(__doc__)
        return 2
    port, dom, src, count = int(argv[1]), argv[2], argv[3], int(argv[4])
    wait = float(argv[5]) if len(argv) > 5 else 2.0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind((src, 0))
    me = s.getsockname()[1]
    tag = "%x" % random.getrandbits(32)
    for i in range(count):
        msg = ("REGISTER sip:%s SIP/2.0\r\n"
               "Via: SIP/2.0/UDP %s:%d;rport;branch=z9hG4bK-fl-%s-%d\r\n"
               "Max-Forwards: 70\r\n"
               "From: <sip:1001@%s>;tag=%s%d\r\n"
               "To: <sip:1001@%s>\r\n"
               "Call-ID: flood-%s-%d\r\n"
               "CSeq: 1 REGISTER\r\n"
               "Contact: <sip:1001@%s:%d>\r\n"
               "Expires: 60\r\n"
               "Content-Length: 0\r\n\r\n") % (
                   dom, src, me, tag, i, dom, tag, i, dom, tag, i, src, me)
        s.sendto(msg.encode(), ("127.0.0.1", port))
    codes, retry = {}, "-"
    end = time.time() + wait
    seen = set()
    while time.time() < end:
        s.settimeout(max(0.01, end - time.time()))
        try:
            data = s.recv(65535).decode("latin-1")
        except socket.timeout:
            break
        m = re.match(r"SIP/2\.0 (\d{3})", data)
        cid = re.search(r"(?im)^(?:call-id|i)\s*:\s*(\S+)", data)
        if not m or not cid or cid.group(1) in seen:
            continue  # a retransmission of an answer already counted
        seen.add(cid.group(1))
        code = m.group(1)
        codes[code] = codes.get(code, 0) + 1
        if code == "503" and retry == "-":
            r = re.search(r"(?im)^retry-after\s*:\s*(\d+)", data)
            retry = r.group(1) if r else "none"
    other = sum(n for c, n in codes.items() if c not in ("401", "503"))
    print("sent %d 401 %d 503 %d other %d retry_after %s" % (
        count, codes.get("401", 0), codes.get("503", 0), other, retry))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
