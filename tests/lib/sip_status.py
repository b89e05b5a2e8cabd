#!/usr/bin/env python3
"""sip_status.py - sends one REGISTER (no credentials) and prints the
status code of the final answer, or "none" if nothing came.

  sip_status.py LOCAL_IP PROXY_IP PROXY_PORT USER DOMAIN [SECONDS]

The request goes to PROXY_IP:PROXY_PORT from an ephemeral UDP port of
LOCAL_IP; it is sent again every 0.5 s until an answer of 200 or more
comes or SECONDS (default 4) pass. Exit 0 when a final answer came.
Python standard library only.
"""
import random
import socket
import sys
import time


def main(argv):
    if len(argv) < 6:
        sys.stderr.write(__doc__)
        return 2
    local, proxy, port, user, domain = argv[1:6]
    limit = float(argv[6]) if len(argv) > 6 else 4.0
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((local, 0))
    lport = s.getsockname()[1]
    tag = "%x" % random.getrandbits(32)
    branch = "z9hG4bK%x" % random.getrandbits(48)
    msg = (f"REGISTER sip:{domain} SIP/2.0\r\n"
           f"Via: SIP/2.0/UDP {local}:{lport};branch={branch};rport\r\n"
           f"Max-Forwards: 70\r\n"
           f"From: <sip:{user}@{domain}>;tag={tag}\r\n"
           f"To: <sip:{user}@{domain}>\r\n"
           f"Call-ID: {tag}-probe@{local}\r\n"
           f"CSeq: 1 REGISTER\r\n"
           f"Contact: <sip:{user}@{local}:{lport}>\r\n"
           f"Expires: 60\r\n"
           f"Content-Length: 0\r\n\r\n").encode()
    end = time.monotonic() + limit
    while time.monotonic() < end:
        s.sendto(msg, (proxy, int(port)))
        s.settimeout(0.5)
        try:
            while True:
                data, _ = s.recvfrom(65535)
                code = int(data.split(b" ", 2)[1])
                if code >= 200:
                    print(code)
                    return 0
        except (socket.timeout, ValueError, IndexError):
            pass
    print("none")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
