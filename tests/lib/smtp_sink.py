#!/usr/bin/env python3
"""smtp_sink.py - a tiny SMTP server for tests, on 127.0.0.1 only.

  smtp_sink.py [--refuse N] [--lifetime S] PORT DIR

Speaks enough SMTP for libcurl (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT; no STARTTLS, no AUTH) and writes each mail it takes to DIR as
NNN.eml (the message as received, dot-stuffing undone) with NNN.env
beside it ("MAIL FROM:<a>" and one "RCPT TO:<b>" line per recipient).
A mail is written to a temporary name first and renamed, so a test that
sees NNN.eml sees it whole; numbers go on after the mails already in DIR.

--refuse N   answer the first N DATA commands with "451 try again later"
             (the retry path of a sender)
--lifetime S exit after S seconds (default 300), so a test that forgets
             the sink does not leave it running

Prints "listening on 127.0.0.1:PORT" once bound. Python 3 standard library
only (socketserver): smtpd is gone from newer Pythons.
"""
import os
import socketserver
import sys
import threading

MAX_LINE = 4096
MAX_MAIL = 64 * 1024 * 1024


class State:
    lock = threading.Lock()
    refuse = 0
    seq = 0
    outdir = "."


class Handler(socketserver.StreamRequestHandler):
    timeout = 60

    def reply(self, text):
        self.wfile.write((text + "\r\n").encode())
        self.wfile.flush()

    def readline(self):
        line = self.rfile.readline(MAX_LINE)
        if not line:
            raise EOFError
        return line

    def handle(self):
        try:
            self.session()
        except (EOFError, ConnectionError, TimeoutError):
            pass

    def session(self):
        self.reply("220 sink.test ESMTP test sink")
        mail_from, rcpts = None, []
        while True:
            line = self.readline().decode("latin-1").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-sink.test\r\n250-8BITMIME\r\n250 SIZE %d"
                           % MAX_MAIL)
            elif verb == "HELO":
                self.reply("250 sink.test")
            elif verb == "MAIL":
                mail_from, rcpts = line[5:].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                if mail_from is None:
                    self.reply("503 MAIL first")
                    continue
                rcpts.append(line[5:].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                if mail_from is None or not rcpts:
                    self.reply("503 MAIL and RCPT first")
                    continue
                self.data(mail_from, rcpts)
                mail_from, rcpts = None, []
            elif verb == "RSET":
                mail_from, rcpts = None, []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")

    def data(self, mail_from, rcpts):
        with State.lock:
            refuse = State.refuse > 0
            if refuse:
                State.refuse -= 1
        if refuse:
            # Refused before the body: the sender must try again later.
            self.reply("451 4.3.0 try again later")
            return
        self.reply("354 end with <CRLF>.<CRLF>")
        body, size = [], 0
        while True:
            line = self.readline()
            if line in (b".\r\n", b".\n"):
                break
            if line.startswith(b"."):
                line = line[1:]  # undo dot-stuffing
            size += len(line)
            if size > MAX_MAIL:
                self.reply("552 too big")
                return
            body.append(line)
        with State.lock:
            State.seq += 1
            n = State.seq
        base = os.path.join(State.outdir, "%03d" % n)
        with open(base + ".env", "w") as f:
            f.write("MAIL %s\n" % mail_from)
            for r in rcpts:
                f.write("RCPT %s\n" % r)
        with open(base + ".tmp", "wb") as f:
            f.write(b"".join(body))
        os.rename(base + ".tmp", base + ".eml")
        self.reply("250 OK queued as %03d" % n)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main(argv):
    args, lifetime = [], 300.0
    i = 1
    while i < len(argv):
        if argv[i] == "--refuse":
            i += 1
            State.refuse = int(argv[i])
        elif argv[i] == "--lifetime":
            i += 1
            lifetime = float(argv[i])
        else:
            args.append(argv[i])
        i += 1
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    port, State.outdir = int(args[0]), args[1]
    os.makedirs(State.outdir, exist_ok=True)
    # A sink restarted on the same folder numbers on after the mails there.
    State.seq = len([f for f in os.listdir(State.outdir)
                     if f.endswith(".eml")])
    srv = Server(("127.0.0.1", port), Handler)
    print("listening on 127.0.0.1:%d" % port, flush=True)
    threading.Timer(lifetime, srv.shutdown).start()
    srv.serve_forever()
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
