#!/usr/bin/env python3
"""bctl.py - send one command to baresip's ctrl_tcp module.

  bctl.py PORT cmd COMMAND [PARAMS]   print the response as JSON, exit 0 if
                                      baresip says ok

ctrl_tcp frames JSON in netstrings. baresip 1.0.0 sends events only to the
newest connection, so tests watch the phone's log instead of events.
Bounded: connecting gives up after 5 s, the response is awaited 10 s.
"""
import json
import socket
import sys
import time


def connect(port, timeout=5.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=1.0)
        except OSError as e:
            if time.monotonic() > deadline:
                sys.exit(f"bctl: cannot connect to baresip ctrl_tcp on "
                         f"127.0.0.1:{port}: {e}")
            time.sleep(0.1)


class Netstrings:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def read(self):
        """Returns one decoded message, or None at end of stream."""
        while True:
            colon = self.buf.find(b":")
            if colon > 0:
                n = int(self.buf[:colon])
                end = colon + 1 + n
                if len(self.buf) > end:
                    msg = self.buf[colon + 1:end]
                    self.buf = self.buf[end + 1:]  # skip the ','
                    return json.loads(msg.decode("utf-8", "replace"))
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk


def send(sock, obj):
    data = json.dumps(obj).encode()
    sock.sendall(str(len(data)).encode() + b":" + data + b",")


def cmd(port, command, params):
    s = connect(port)
    s.settimeout(10.0)
    send(s, {"command": command, "params": params, "token": "t1"})
    ns = Netstrings(s)
    try:
        while True:
            m = ns.read()
            if m is None:
                sys.exit("bctl: baresip closed the connection before "
                         "answering")
            if m.get("response"):
                print(json.dumps(m))
                return 0 if m.get("ok") else 1
    except socket.timeout:
        sys.exit(f"bctl: no response to '{command}' within 10 s")


def main(argv):
    if len(argv) >= 4 and argv[2] == "cmd":
        return cmd(int(argv[1]), argv[3], argv[4] if len(argv) > 4 else "")
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
