#!/usr/bin/env python3
"""fake_ctl.py - a stand-in for the daemon's control socket, for ondoctl
tests that need a daemon's answers without SIP.

  fake_ctl.py SOCKET DIR

Listens on the UNIX socket SOCKET. Per connection, as the daemon does
(pbx/core/ctl.c): reads one command line, appends it to DIR/log, and
answers with the bytes of DIR/reply.WORD (WORD: the line's first word),
read afresh each time so a test can change the answer between commands;
without such a file, "ERR unknown command 'WORD'". Then closes. Runs
until killed; exits by itself after 10 minutes so a test that dies
leaves nothing behind.
"""
import os
import socket
import sys
import time


def serve(conn, folder):
    conn.settimeout(5.0)
    data = b""
    while b"\n" not in data and len(data) < 512:
        chunk = conn.recv(512)
        if not chunk:
            break
        data += chunk
    line = data.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    with open(os.path.join(folder, "log"), "a") as log:
        log.write(line + "\n")
    word = line.split(" ", 1)[0]
    path = os.path.join(folder, "reply." + word)
    try:
        with open(path, "rb") as f:
            reply = f.read()
    except OSError:
        reply = f"ERR unknown command '{word}'\n".encode()
    conn.sendall(reply)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fake_ctl.py SOCKET DIR")
    path, folder = sys.argv[1], sys.argv[2]
    if os.path.exists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)
    srv.settimeout(1.0)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        with conn:
            try:
                serve(conn, folder)
            except OSError:
                pass
    os.unlink(path)


if __name__ == "__main__":
    main()
