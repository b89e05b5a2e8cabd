#!/usr/bin/env python3
"""Ondo bench: media ramp. Places N concurrent calls with RTP flowing both
ways and measures the daemon under them, step by step (bench/media.sh).

usage: media_ramp.py --mode relay|transcode --sip-port P --domain D
                     --calls-csv FILE --server-pid PID --gen RTPGEN
                     --gen-ports PA PB --rtp-range MIN-MAX
                     [--steps "50 100 ..."] [--secs 10] [--settle 3]
                     [--rate 200] [--prefix 7] [--ondoctl "CMD"]
                     [--perf-secs 4] [--max-seconds 300]
                     [--out steps.jsonl] [--logdir DIR]

Signalling (Python, stdlib only, one UDP socket for the callers and one
for the callees): the callees of the first max(steps) pairs of CALLS-CSV
(caller;password;domain;callee) REGISTER with digest (401) from the callee
socket; each call is INVITE / 407 / ACK / INVITE with Proxy-Authorization
(MD5, qop=auth) / 200 / ACK, answered on the callee socket with 200 + SDP,
and ended with BYE from the caller. Media (bench/rtpgen.c, a child
process): 50 packets/s per direction and call, 160-byte payloads.

  relay      the caller dials the callee's extension: the PBX relays raw
             (PCMU both ways). Every packet received must be the peer's own
             (SSRC and payload checked byte for byte).
  transcode  the caller dials PREFIX+extension, a route to the `dial` app:
             caller G.722 (a 1000 Hz tone), callee PCMU (a 700 Hz tone);
             the PBX decodes, resamples and encodes every 20 ms. The first
             32 calls' received audio is decoded and the peer's tone
             looked for.

The ramp adds calls up to each N (calls already up stay up), lets them
settle, then measures a window of SECS seconds: daemon CPU (schedstat of
all its threads, split by thread), packets in and out of the daemon, loss
at the receivers, kernel drops of the daemon's RTP sockets (/proc/net/udp,
ports in --rtp-range) and of the generator's, UDP RcvbufErrors, the CPU of
the generator and of everything else on the machine. One JSON line per step
to --out. A step is clean with loss < 0.1%, daemon CPU < 90% of one core,
every call set up, no misrouted/corrupt packet, no silent stream and (in
transcode) the expected tone in every monitored stream. An unclean step is
measured once more (same calls); the ramp stops after two unclean windows
or one overloaded one (loss >= 1%, CPU >= 97%, >1% of the new calls not
set up), or when the generator itself was behind its clock in both windows.
Relayed loss = RTP sequence gaps + silent streams; transcoded loss = the
larger of the PBX's output deficit (packets its 20 ms clock owed and did
not deliver) and the kernel drops on its RTP sockets.
After the ramp every call is hung up and the daemon must list none.
"""
import argparse, hashlib, json, os, random, re, select, shlex, signal
import socket, subprocess, sys, time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_step import thread_ns, snmp_udp, all_ticks, status, proc_ticks  # noqa: E402

COMPACT = {'v': 'via', 'f': 'from', 't': 'to', 'i': 'call-id', 'm': 'contact',
           'l': 'content-length', 'c': 'content-type', 'k': 'supported'}
MON_CALLS = 32
T1 = 0.5


def log(*a):
    print(time.strftime('%H:%M:%S'), *a, flush=True)


def parse(data):
    head, _, body = data.partition(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    hdrs, last = {}, None
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in ' \t' and last:
            hdrs[last][-1] += ' ' + line.strip()
            continue
        n, _, v = line.partition(':')
        n = n.strip().lower()
        n = COMPACT.get(n, n)
        hdrs.setdefault(n, []).append(v.strip())
        last = n
    return lines[0], hdrs, body


def h1(h, name, default=''):
    v = h.get(name)
    return v[0] if v else default


def tag_of(v):
    m = re.search(r';\s*tag=([^;>\s,]+)', v)
    return m.group(1) if m else ''


def uri_of(v):
    m = re.search(r'<([^>]+)>', v)
    return m.group(1) if m else v.split(';')[0].strip()


def user_of(uri):
    m = re.search(r'sips?:([^@;>]+)@', uri)
    return m.group(1) if m else ''


def sdp_port(body):
    m = re.search(rb'm=audio (\d+)', body)
    return int(m.group(1)) if m else 0


def rnd():
    return '%016x' % random.getrandbits(64)


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def digest(challenge, method, uri, user, password):
    p = dict((m.group(1).lower(), m.group(3) if m.group(3) is not None else m.group(2))
             for m in re.finditer(r'(\w+)=("([^"]*)"|[^,\s]+)', challenge))
    realm, nonce = p.get('realm', ''), p.get('nonce', '')
    ha1 = md5(f'{user}:{realm}:{password}')
    ha2 = md5(f'{method}:{uri}')
    out = (f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
           f'algorithm=MD5')
    if 'auth' in [q.strip() for q in p.get('qop', '').split(',')]:
        cnonce, nc = rnd()[:8], '00000001'
        resp = md5(f'{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}')
        out += f', response="{resp}", cnonce="{cnonce}", qop=auth, nc={nc}'
    else:
        out += f', response="{md5(f"{ha1}:{nonce}:{ha2}")}"'
    if 'opaque' in p:
        out += f', opaque="{p["opaque"]}"'
    return out


def sdp(port, codecs):
    pts = ' '.join(str(pt) for pt, _ in codecs) + ' 101'
    maps = ''.join(f'a=rtpmap:{pt} {name}/8000\r\n' for pt, name in codecs)
    return (f'v=0\r\no=- {random.randrange(1 << 30)} 1 IN IP4 127.0.0.1\r\ns=-\r\n'
            f'c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP {pts}\r\n{maps}'
            f'a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n')


class Gen:
    """the rtpgen child process"""

    def __init__(self, binary, pa, pb, max_secs):
        self.p = subprocess.Popen([binary, str(pa), str(pb), str(int(max_secs))],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, bufsize=1)
        if self.readline(10) != 'ready':
            raise SystemExit('rtpgen did not start')
        self.buf = []

    def cmd(self, line):
        self.buf.append(line + '\n')

    def flush(self):
        if self.buf:
            self.p.stdin.write(''.join(self.buf))
            self.p.stdin.flush()
            self.buf = []

    def readline(self, timeout):
        r, _, _ = select.select([self.p.stdout], [], [], timeout)
        return self.p.stdout.readline().strip() if r else None

    def ask(self, line, timeout=15):
        self.cmd(line)
        self.flush()
        return self.readline(timeout)

    def close(self):
        try:
            self.cmd('quit')
            self.flush()
            self.p.wait(5)
        except Exception:
            self.p.kill()
            self.p.wait()


class Call:
    __slots__ = ('i', 'caller', 'pw', 'callee', 'dial', 'callid', 'ftag', 'ttag', 'state',
                 'cseq', 'branch', 'contact', 'routes', 'pbx_a', 'pbx_b', 'b_callid',
                 'b_resp', 'b_state', 'b_ttag', 'b_cseq', 't_start', 'setup_ms', 'err')

    def __init__(self, i, caller, pw, callee, dial):
        self.i, self.caller, self.pw, self.callee, self.dial = i, caller, pw, callee, dial
        self.callid = f'mb-{i}-{rnd()}@127.0.0.1'
        self.ftag = rnd()[:10]
        self.ttag = ''
        self.state = 'idle'
        self.cseq = 0
        self.branch = ''
        self.contact = ''
        self.routes = []
        self.pbx_a = self.pbx_b = 0
        self.b_callid = ''
        self.b_resp = None
        self.b_state = 'idle'
        self.b_ttag = ''
        self.b_cseq = ''
        self.t_start = 0.0
        self.setup_ms = 0.0
        self.err = ''


class UA:
    def __init__(self, a):
        self.a = a
        self.dst = ('127.0.0.1', a.sip_port)
        self.domain = a.domain
        self.s_uac = self._sock()
        self.s_uas = self._sock()
        self.uac_port = self.s_uac.getsockname()[1]
        self.uas_port = self.s_uas.getsockname()[1]
        self.retx = {}            # key -> [sock, data, next, interval, give_up, on_timeout]
        self.by_callid = {}       # caller-side Call-ID -> Call
        self.by_callee = {}       # callee number -> Call
        self.by_bcallid = {}      # callee-side Call-ID -> Call
        self.regs = {}            # Call-ID -> [number, password, state]
        self.stats = {}
        self.gen_p = None
        self.mode = a.mode

    def _sock(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        s.bind(('127.0.0.1', 0))
        s.setblocking(False)
        return s

    def count(self, k, n=1):
        self.stats[k] = self.stats.get(k, 0) + n

    def send(self, sock, data, key=None, on_timeout=None, give_up=8.0):
        b = data.encode('latin-1') if isinstance(data, str) else data
        try:
            sock.sendto(b, self.dst)
        except OSError:
            self.count('send_errors')
        if key:
            t = time.time()
            self.retx[key] = [sock, b, t + T1, T1, t + give_up, on_timeout]

    def stop_retx(self, key):
        self.retx.pop(key, None)

    def timers(self):
        t = time.time()
        for k, r in list(self.retx.items()):
            if t >= r[4]:
                del self.retx[k]
                self.count('sip_timeouts')
                if r[5]:
                    r[5]()
            elif t >= r[2]:
                try:
                    r[0].sendto(r[1], self.dst)
                except OSError:
                    pass
                self.count('our_retransmissions')
                r[3] = min(r[3] * 2, 4.0)
                r[2] = t + r[3]

    def pump(self, secs, sample=None):
        """process SIP for up to secs seconds; sample() every 0.5 s"""
        end = time.time() + secs
        next_sample = time.time() + 0.5
        while True:
            if sample and time.time() >= next_sample:
                sample()
                next_sample = time.time() + 0.5
            left = end - time.time()
            if left <= 0:
                break
            r, _, _ = select.select([self.s_uac, self.s_uas], [], [], min(left, 0.02))
            for s in r:
                for _ in range(500):
                    try:
                        data = s.recv(65535)
                    except BlockingIOError:
                        break
                    except OSError:
                        break
                    try:
                        self.on_msg(s, data)
                    except Exception as e:  # a malformed message must not end the run
                        self.count('parse_errors')
                        if self.stats.get('parse_errors', 0) < 5:
                            log('message not handled:', repr(e), data[:200])
            self.timers()
            if self.gen_p:
                self.gen_p.flush()

    # ---------------- messages ----------------

    def on_msg(self, s, data):
        first, h, body = parse(data)
        if first.startswith('SIP/2.0'):
            code = int(first.split()[1])
            cseq = h1(h, 'cseq').split()
            n, method = int(cseq[0]), cseq[1].upper()
            cid = h1(h, 'call-id')
            if cid in self.regs:
                self.on_reg_resp(cid, code, h)
            elif cid in self.by_callid:
                self.on_call_resp(self.by_callid[cid], code, n, method, h, body)
            else:
                self.count('stray_responses')
            return
        method = first.split()[0].upper()
        if s is self.s_uas:
            self.on_uas_req(method, first, h, body)
        else:
            self.on_uac_req(method, first, h, body)

    def reply(self, sock, h, code, reason, totag='', extra='', body=''):
        to = h1(h, 'to')
        if totag and not tag_of(to):
            to += ';tag=' + totag
        vias = ''.join(f'Via: {v}\r\n' for v in h.get('via', []))
        rr = ''.join(f'Record-Route: {v}\r\n' for v in h.get('record-route', []))
        port = self.uas_port if sock is self.s_uas else self.uac_port
        msg = (f'SIP/2.0 {code} {reason}\r\n{vias}From: {h1(h, "from")}\r\nTo: {to}\r\n'
               f'Call-ID: {h1(h, "call-id")}\r\nCSeq: {h1(h, "cseq")}\r\n{rr}'
               f'Contact: <sip:bench@127.0.0.1:{port}>\r\n{extra}')
        if body:
            msg += f'Content-Type: application/sdp\r\nContent-Length: {len(body)}\r\n\r\n{body}'
        else:
            msg += 'Content-Length: 0\r\n\r\n'
        return msg

    # ---------------- REGISTER (callees) ----------------

    def register(self, number, password):
        cid = f'mr-{number}-{rnd()}@127.0.0.1'
        self.regs[cid] = [number, password, 'sent', rnd()[:10], 1]
        self._send_reg(cid, None)

    def _send_reg(self, cid, auth):
        number, password, _, ftag, cseq = self.regs[cid]
        uri = f'sip:{self.domain}'
        a = ''
        if auth:
            a = f'Authorization: {digest(auth, "REGISTER", uri, number, password)}\r\n'
        msg = (f'REGISTER {uri} SIP/2.0\r\n'
               f'Via: SIP/2.0/UDP 127.0.0.1:{self.uas_port};branch=z9hG4bK{rnd()};rport\r\n'
               f'Max-Forwards: 70\r\nFrom: <sip:{number}@{self.domain}>;tag={ftag}\r\n'
               f'To: <sip:{number}@{self.domain}>\r\nCall-ID: {cid}\r\nCSeq: {cseq} REGISTER\r\n'
               f'Contact: <sip:{number}@127.0.0.1:{self.uas_port}>\r\nExpires: 3600\r\n'
               f'User-Agent: ondo-bench-media\r\n{a}Content-Length: 0\r\n\r\n')

        def timeout():
            self.regs[cid][2] = 'failed'
            self.count('reg_failed')
        self.send(self.s_uas, msg, key=('reg', cid), on_timeout=timeout)

    def on_reg_resp(self, cid, code, h):
        r = self.regs[cid]
        if code < 200:
            return
        self.stop_retx(('reg', cid))
        if code == 401 and r[4] == 1:
            r[4] = 2
            self._send_reg(cid, h1(h, 'www-authenticate'))
        elif code == 200:
            r[2] = 'ok'
        else:
            r[2] = 'failed'
            self.count(f'reg_{code}')

    def register_all(self, users, window=200, timeout=120):
        t0 = time.time()
        todo = list(users)
        while time.time() - t0 < timeout:
            busy = sum(1 for r in self.regs.values() if r[2] == 'sent')
            while todo and busy < window:
                self.register(*todo.pop())
                busy += 1
            if not todo and busy == 0:
                break
            self.pump(0.02)
        ok = sum(1 for r in self.regs.values() if r[2] == 'ok')
        return ok, len(users) - ok

    # ---------------- caller side ----------------

    def invite(self, c, auth=None):
        c.cseq += 1
        c.branch = 'z9hG4bK' + rnd()
        ruri = f'sip:{c.dial}@{self.domain}'
        a = ''
        if auth:
            a = f'Proxy-Authorization: {digest(auth, "INVITE", ruri, c.caller, c.pw)}\r\n'
        body = sdp(self.a.gen_ports[0], [(9, 'G722')] if self.mode == 'transcode'
                   else [(0, 'PCMU')])
        msg = (f'INVITE {ruri} SIP/2.0\r\n'
               f'Via: SIP/2.0/UDP 127.0.0.1:{self.uac_port};branch={c.branch};rport\r\n'
               f'Max-Forwards: 70\r\nFrom: <sip:{c.caller}@{self.domain}>;tag={c.ftag}\r\n'
               f'To: <sip:{c.dial}@{self.domain}>\r\nCall-ID: {c.callid}\r\n'
               f'CSeq: {c.cseq} INVITE\r\nContact: <sip:{c.caller}@127.0.0.1:{self.uac_port}>\r\n'
               f'User-Agent: ondo-bench-media\r\n{a}Content-Type: application/sdp\r\n'
               f'Content-Length: {len(body)}\r\n\r\n{body}')

        def timeout():
            self.fail(c, 'timeout')
        self.send(self.s_uac, msg, key=('inv', c.callid), on_timeout=timeout, give_up=16)

    def fail(self, c, why):
        if c.state in ('inv1', 'inv2'):
            c.state = 'failed'
            c.err = why
            self.count(f'setup_failed_{why}')
            self.stop_retx(('inv', c.callid))
            self.gen_del(c)

    def ack(self, c, totag, branch, ruri, cseq):
        msg = (f'ACK {ruri} SIP/2.0\r\n'
               f'Via: SIP/2.0/UDP 127.0.0.1:{self.uac_port};branch={branch};rport\r\n'
               f'Max-Forwards: 70\r\nFrom: <sip:{c.caller}@{self.domain}>;tag={c.ftag}\r\n'
               f'To: <sip:{c.dial}@{self.domain}>;tag={totag}\r\nCall-ID: {c.callid}\r\n'
               + ''.join(f'Route: {r}\r\n' for r in c.routes) +
               f'CSeq: {cseq} ACK\r\nContent-Length: 0\r\n\r\n')
        self.send(self.s_uac, msg)

    def on_call_resp(self, c, code, n, method, h, body):
        if method == 'INVITE':
            if n != c.cseq:
                return
            if code < 200:
                self.retx.get(('inv', c.callid), [0, 0, 0, 0, 0])[2] = time.time() + 3600
                return
            if code == 407 and c.state == 'inv1':
                self.stop_retx(('inv', c.callid))
                self.ack(c, tag_of(h1(h, 'to')), c.branch, f'sip:{c.dial}@{self.domain}', n)
                c.state = 'inv2'
                self.invite(c, h1(h, 'proxy-authenticate'))
                return
            if 200 <= code < 300:
                self.stop_retx(('inv', c.callid))
                if c.state == 'failed' and not c.ttag:
                    # answered after we gave up on it: take it and hang up,
                    # so that it does not stay in the PBX
                    c.ttag = tag_of(h1(h, 'to'))
                    c.contact = uri_of(h1(h, 'contact')) or f'sip:{c.dial}@{self.domain}'
                    c.routes = list(reversed(h.get('record-route', [])))
                    self.ack(c, c.ttag, 'z9hG4bK' + rnd(), c.contact, n)
                    self.count('late_answer_hung_up')
                    self.bye(c)
                    return
                if c.state != 'inv2' and c.state != 'up':
                    if c.ttag:
                        self.ack(c, c.ttag, 'z9hG4bK' + rnd(), c.contact, n)
                    return
                if c.state == 'inv2':
                    c.ttag = tag_of(h1(h, 'to'))
                    c.contact = uri_of(h1(h, 'contact')) or f'sip:{c.dial}@{self.domain}'
                    c.routes = list(reversed(h.get('record-route', [])))
                    c.pbx_a = sdp_port(body)
                    c.state = 'up'
                    c.setup_ms = 1000 * (time.time() - c.t_start)
                    if c.pbx_a:
                        self.gen_add_a(c)
                    else:
                        self.count('answer_without_sdp')
                # ACK every 2xx, retransmissions included
                self.ack(c, c.ttag, 'z9hG4bK' + rnd(), c.contact, n)
                return
            if code >= 300:
                self.stop_retx(('inv', c.callid))
                if c.state in ('inv1', 'inv2'):
                    self.ack(c, tag_of(h1(h, 'to')), c.branch, f'sip:{c.dial}@{self.domain}', n)
                    self.fail(c, str(code))
            return
        if method == 'BYE' and code >= 200:
            self.stop_retx(('bye', c.callid))
            if c.state == 'bye':
                c.state = 'done'
                if code != 200:
                    self.count(f'bye_{code}')

    def bye(self, c):
        c.cseq += 1
        msg = (f'BYE {c.contact} SIP/2.0\r\n'
               f'Via: SIP/2.0/UDP 127.0.0.1:{self.uac_port};branch=z9hG4bK{rnd()};rport\r\n'
               f'Max-Forwards: 70\r\nFrom: <sip:{c.caller}@{self.domain}>;tag={c.ftag}\r\n'
               f'To: <sip:{c.dial}@{self.domain}>;tag={c.ttag}\r\nCall-ID: {c.callid}\r\n'
               + ''.join(f'Route: {r}\r\n' for r in c.routes) +
               f'CSeq: {c.cseq} BYE\r\nContent-Length: 0\r\n\r\n')
        c.state = 'bye'
        self.gen_del(c)

        def timeout():
            c.state = 'done'
            self.count('bye_timeout')
        self.send(self.s_uac, msg, key=('bye', c.callid), on_timeout=timeout)

    def on_uac_req(self, method, first, h, body):
        cid = h1(h, 'call-id')
        c = self.by_callid.get(cid)
        if method == 'BYE':
            self.send(self.s_uac, self.reply(self.s_uac, h, 200, 'OK'))
            if c and c.state in ('up', 'inv2'):
                c.state = 'ended_by_pbx'
                self.count('ended_by_pbx_caller_leg')
                self.gen_del(c)
        elif method in ('INVITE', 'UPDATE'):
            # a re-INVITE or UPDATE: answer with our SDP unchanged
            body_out = sdp(self.a.gen_ports[0], [(9, 'G722')] if self.mode == 'transcode'
                           else [(0, 'PCMU')]) if method == 'INVITE' else ''
            self.count(f'pbx_{method.lower()}_to_caller')
            self.send(self.s_uac, self.reply(self.s_uac, h, 200, 'OK', totag=c.ftag if c else 'x',
                                             body=body_out))
        elif method in ('OPTIONS', 'INFO', 'NOTIFY'):
            self.send(self.s_uac, self.reply(self.s_uac, h, 200, 'OK'))
        elif method != 'ACK':
            self.count(f'unexpected_{method}_to_caller')

    # ---------------- callee side ----------------

    def on_uas_req(self, method, first, h, body):
        cid = h1(h, 'call-id')
        if method == 'INVITE':
            c = self.by_bcallid.get(cid)
            if c is None:
                number = user_of(first.split()[1]) or user_of(uri_of(h1(h, 'to')))
                c = self.by_callee.get(number)
                if c is None or c.state not in ('inv1', 'inv2', 'up'):
                    self.count('invite_for_unknown_callee')
                    self.send(self.s_uas, self.reply(self.s_uas, h, 480, 'Not Here', totag=rnd()[:8]))
                    return
                if c.b_callid:
                    self.count('second_b_leg')
                c.b_callid = cid
                self.by_bcallid[cid] = c
                c.b_ttag = rnd()[:10]
            if c.b_resp and h1(h, 'cseq') == c.b_cseq:
                self.send(self.s_uas, c.b_resp)   # retransmitted INVITE
                self.count('pbx_invite_retransmissions')
                return
            if c.b_cseq:
                self.count('pbx_reinvite_to_callee')
            c.b_cseq = h1(h, 'cseq')
            port = sdp_port(body)
            if port and port != c.pbx_b:
                c.pbx_b = port
                self.gen_add_b(c)
            c.b_resp = self.reply(self.s_uas, h, 200, 'OK', totag=c.b_ttag,
                                  body=sdp(self.a.gen_ports[1], [(0, 'PCMU')]))
            c.b_state = 'answered'

            def timeout():
                self.count('no_ack_from_pbx')
            self.send(self.s_uas, c.b_resp, key=('b200', cid), on_timeout=timeout)
        elif method == 'ACK':
            self.stop_retx(('b200', cid))
            c = self.by_bcallid.get(cid)
            if c and c.b_state == 'answered':
                c.b_state = 'up'
        elif method == 'BYE':
            c = self.by_bcallid.get(cid)
            self.send(self.s_uas, self.reply(self.s_uas, h, 200, 'OK'))
            self.stop_retx(('b200', cid))
            if c and c.b_state != 'ended':
                if c.state in ('up', 'inv2'):
                    self.count('ended_by_pbx_callee_leg')
                c.b_state = 'ended'
                self.gen('del', 2 * c.i + 1)
        elif method == 'CANCEL':
            self.send(self.s_uas, self.reply(self.s_uas, h, 200, 'OK'))
            self.count('cancel_to_callee')
        elif method in ('OPTIONS', 'INFO', 'NOTIFY', 'UPDATE'):
            self.send(self.s_uas, self.reply(self.s_uas, h, 200, 'OK'))
        else:
            self.count(f'unexpected_{method}_to_callee')

    # ---------------- media ----------------

    def gen(self, *words):
        if self.gen_p:
            self.gen_p.cmd(' '.join(str(w) for w in words))

    def gen_add_a(self, c):
        mon = int(c.i < MON_CALLS)
        if self.mode == 'transcode':
            self.gen('add', 2 * c.i, 0, c.pbx_a, 'g722', 1000, 'g722', 700, -1, mon)
        else:
            self.gen('add', 2 * c.i, 0, c.pbx_a, 'pcmu', 1000, 'pcmu', 700, 2 * c.i + 1, 0)

    def gen_add_b(self, c):
        mon = int(c.i < MON_CALLS)
        if self.mode == 'transcode':
            self.gen('add', 2 * c.i + 1, 1, c.pbx_b, 'pcmu', 700, 'pcmu', 1000, -1, mon)
        else:
            self.gen('add', 2 * c.i + 1, 1, c.pbx_b, 'pcmu', 700, 'pcmu', 1000, 2 * c.i, 0)

    def gen_del(self, c):
        self.gen('del', 2 * c.i)
        self.gen('del', 2 * c.i + 1)


def daemon_calls(cmd):
    if not cmd:
        return None
    try:
        o = subprocess.run(shlex.split(cmd), capture_output=True, text=True, timeout=20).stdout
    except Exception:
        return None
    return 0 if 'no calls' in o else max(0, len([l for l in o.splitlines() if l.strip()]) - 1)


def thread_split(th0, th1, pid, workers):
    """daemon threads by start order: main = SIP app thread, t2 = DB writer,
    then the media workers, then sofia's stack thread; later ones are app
    threads (one per call in an app)"""
    names = {1: 'sip', 2: 'db'}
    for i in range(workers):
        names[3 + i] = 'rtp' if workers == 1 else f'rtp{i + 1}'
    names[3 + workers] = 'sip-stack'
    out, n = {}, 0
    for k in sorted(th1):
        if k[0] != pid:
            continue
        n += 1
        name = names.get(n, 'app-threads')
        out[name] = out.get(name, 0) + th1[k][1] - th0.get(k, ('', 0))[1]
    return out


def rtp_drops(pid, lo, hi, extra_ports):
    """kernel drops (/proc/net/udp) summed over the daemon's own UDP sockets
    with a local port in lo..hi (found by inode: other programs on the
    machine may use ports in that range), and over extra_ports"""
    inodes = set()
    try:
        for fd in os.listdir(f'/proc/{pid}/fd'):
            try:
                t = os.readlink(f'/proc/{pid}/fd/{fd}')
            except OSError:
                continue
            if t.startswith('socket:['):
                inodes.add(t[8:-1])
    except OSError:
        pass
    mine = extra = 0
    for path in ('/proc/net/udp', '/proc/net/udp6'):
        try:
            lines = open(path).readlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            port = int(f[1].rsplit(':', 1)[1], 16)
            if lo <= port <= hi and f[9] in inodes:
                mine += int(f[-1])
            elif port in extra_ports:
                extra += int(f[-1])
    return mine, extra


def perf_profile(pid, secs, path):
    """cpu-clock profile of the daemon with DWARF call graphs (perf record):
    the functions with the most CPU, inclusive of what they call, and the
    flat (self) top. The full reports go to path."""
    data = path + '.data'
    try:
        r = subprocess.run(['perf', 'record', '-q', '-e', 'cpu-clock', '-F', '499',
                            '--call-graph', 'dwarf,16384', '-p', str(pid), '-o', data,
                            '--', 'sleep', str(secs)],
                           capture_output=True, text=True, timeout=secs + 60)
        if not os.path.exists(data):
            return 'perf record failed: ' + (r.stderr or '?').strip()[:300]
        incl = subprocess.run(['perf', 'report', '-i', data, '--stdio', '--children',
                               '--sort', 'sym', '-g', 'none', '--percent-limit', '2'],
                              capture_output=True, text=True, timeout=300).stdout
        flat = subprocess.run(['perf', 'report', '-i', data, '--stdio', '--no-children',
                               '--sort', 'dso,sym', '-g', 'none', '--percent-limit', '1'],
                              capture_output=True, text=True, timeout=300).stdout
    except Exception as e:
        return f'perf failed: {e}'
    finally:
        if os.path.exists(data):
            os.remove(data)
    with open(path, 'w') as f:
        f.write(incl + '\n\n' + flat)

    def body(rep, n):
        return [l.rstrip() for l in rep.splitlines() if l.strip() and not l.startswith('#')][:n]
    return ('inclusive (children) and self %, by symbol:\n' + '\n'.join(body(incl, 40)) +
            '\n\nself only, by library and symbol:\n' + '\n'.join(body(flat, 20)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--mode', choices=('relay', 'transcode'), required=True)
    ap.add_argument('--sip-port', type=int, required=True)
    ap.add_argument('--domain', required=True)
    ap.add_argument('--calls-csv', required=True)
    ap.add_argument('--server-pid', type=int, required=True)
    ap.add_argument('--gen', required=True)
    ap.add_argument('--gen-ports', type=int, nargs=2, required=True)
    ap.add_argument('--rtp-range', required=True)
    ap.add_argument('--rtp-workers', type=int, default=1)
    ap.add_argument('--steps', default='50 100 200 400 800')
    ap.add_argument('--secs', type=float, default=10)
    ap.add_argument('--settle', type=float, default=3)
    ap.add_argument('--rate', type=float, default=200, help='call set-ups per second')
    ap.add_argument('--prefix', default='7')
    ap.add_argument('--ondoctl', default=None, help='command printing calls: "ondoctl -c CONF calls"')
    ap.add_argument('--perf-secs', type=float, default=0)
    ap.add_argument('--max-seconds', type=float, default=600)
    ap.add_argument('--out', default=None)
    ap.add_argument('--logdir', default='.')
    a = ap.parse_args()
    t_begin = time.time()
    steps = [int(x) for x in a.steps.split()]
    lo, hi = (int(x) for x in a.rtp_range.split('-'))
    pairs = []
    for line in open(a.calls_csv):
        f = line.strip().split(';')
        if len(f) == 4:
            pairs.append(f)
    if len(pairs) < max(steps):
        sys.exit(f'media_ramp.py: {a.calls_csv} has {len(pairs)} pairs, need {max(steps)}')
    pairs = pairs[:max(steps)]

    ua = UA(a)
    gen = Gen(a.gen, a.gen_ports[0], a.gen_ports[1], a.max_seconds + 120)
    ua.gen_p = gen

    def on_signal(signum, frame):
        gen.p.kill()
        sys.exit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    mypids = {os.getpid(), gen.p.pid, a.server_pid}
    out = open(a.out, 'a') if a.out else None
    summary = {'label': a.mode, 'summary': True}

    log(f'{a.mode}: registering {len(pairs)} callees from 127.0.0.1:{ua.uas_port}')
    ok, bad = ua.register_all([(p[3], p[1]) for p in pairs])
    summary['registered'] = ok
    if bad:
        log(f'{a.mode}: {bad} callee registrations failed: {ua.stats}')
        summary['register_failed'] = bad
    calls = []
    for i, (caller, pw, dom, callee) in enumerate(pairs):
        c = Call(i, caller, pw, callee, (a.prefix + callee) if a.mode == 'transcode' else callee)
        calls.append(c)
        ua.by_callid[c.callid] = c
        ua.by_callee[callee] = c

    def is_up(c):
        return c.state == 'up' and c.b_state in ('answered', 'up')

    def live():
        return [c for c in calls if is_up(c)]

    def setup_to(n):
        """start calls until n are up (or failed); bounded in time"""
        new = [c for c in calls if c.state == 'idle'][:max(0, n - len(live()))]
        t0 = time.time()
        limit = len(new) / a.rate + 30
        started = 0
        s0 = dict(ua.stats)
        while time.time() - t0 < limit:
            busy = sum(1 for c in new[:started]
                       if c.state in ('inv1', 'inv2') or (c.state == 'up' and not is_up(c)))
            allowed = min(len(new), int((time.time() - t0) * a.rate) + 1)
            while started < allowed and busy < 100:
                c = new[started]
                c.state = 'inv1'
                c.t_start = time.time()
                ua.invite(c)
                started += 1
                busy += 1
            if started == len(new) and busy == 0:
                break
            ua.pump(0.01)
        # calls whose callee leg has not answered yet
        ua.pump(0.5)
        for c in new:
            if c.state in ('inv1', 'inv2'):
                ua.fail(c, 'setup_too_slow')
            elif c.state == 'up' and not is_up(c):
                # answered by the PBX (an app) but the callee never rang
                ua.count('setup_failed_callee_leg')
                ua.bye(c)
        ok = [c for c in new if is_up(c)]
        ms = sorted(c.setup_ms for c in ok)
        return dict(new=len(new), ok=len(ok), failed=len(new) - len(ok),
                    setup_secs=round(time.time() - t0, 2),
                    setup_ms_median=round(ms[len(ms) // 2], 1) if ms else None,
                    setup_ms_max=round(ms[-1], 1) if ms else None,
                    sip=dict((k, v - s0.get(k, 0)) for k, v in ua.stats.items()
                             if v != s0.get(k, 0)))

    best, perf_best = 0, None
    try:
        summary['fds_before'] = len(os.listdir(f'/proc/{a.server_pid}/fd'))
        summary['threads_before'] = status(a.server_pid).get('Threads')
    except OSError:
        pass
    stop_reason = 'all steps done'
    for n in steps:
        if time.time() - t_begin + (n - len(live())) / a.rate + a.settle + a.secs + 20 > a.max_seconds:
            stop_reason = f'time budget (--max-seconds {a.max_seconds:.0f}) before {n} calls'
            log(f'{a.mode}: {stop_reason}')
            break
        su = setup_to(n)
        log(f'{a.mode}: {len(live())} calls up ({su["new"]} new, {su["failed"]} failed, '
            f'{su["setup_secs"]} s)')
        ua.pump(a.settle)
        for attempt in (1, 2):
            # ---- one measurement window ----
            srv = [a.server_pid]
            th0 = thread_ns(srv)
            tk0 = proc_ticks(srv)
            dr0 = rtp_drops(a.server_pid, lo, hi, [a.gen_ports[0], a.gen_ports[0] + 1, a.gen_ports[1],
                                     a.gen_ports[1] + 1])
            sn0, o0 = snmp_udp(), all_ticks()
            me0 = thread_ns([os.getpid()])
            st0 = dict(ua.stats)
            if gen.ask('ping') != 'pong':
                raise SystemExit('rtpgen does not answer')
            # every process's CPU, sampled every 0.5 s: a short-lived
            # foreign process (a test suite next to the bench) shows too
            seen = dict(o0)

            def sample():
                seen.update(all_ticks())
            gen.cmd('start')
            w0 = time.time()
            ua.pump(a.secs, sample)
            g = gen.ask('stop')
            w = time.time() - w0
            th1 = thread_ns(srv)
            tk1 = proc_ticks(srv)
            dr1 = rtp_drops(a.server_pid, lo, hi, [a.gen_ports[0], a.gen_ports[0] + 1, a.gen_ports[1],
                                     a.gen_ports[1] + 1])
            sn1 = snmp_udp()
            seen.update(all_ticks())
            o1 = seen
            me1 = thread_ns([os.getpid()])
            if not g:
                raise SystemExit('rtpgen gave no window figures')
            g = json.loads(g)
            gw = g['wall']
            split = thread_split(th0, th1, a.server_pid, a.rtp_workers)
            srv_ns = sum(split.values())
            A, B = g['side']
            tx = A['tx'] + B['tx'] - g['send_err']
            rx = A['rx'] + B['rx']
            if a.mode == 'relay':
                # sequence gaps at the receivers, and whole silent streams;
                # sent - received is reported apart: it also counts what is
                # still queued when the window closes
                gap_lost = A['lost'] + B['lost'] + round((A['silent'] + B['silent']) * gw / 0.02)
                loss = gap_lost / max(1, rx + gap_lost)
                in_loss = None
            else:
                # output of the PBX: packets its 20 ms clock owed us and we
                # did not get; input: its RTP sockets' kernel drops
                loss = (A['deficit'] + B['deficit']) / max(1, rx + A['deficit'] + B['deficit'])
                in_loss = (dr1[0] - dr0[0]) / max(1, tx)
                loss = max(loss, in_loss)
            other = sum(t - o0.get(q, 0) for q, t in o1.items()
                        if q not in mypids and t >= o0.get(q, 0))
            nlive = len(live())
            cpu = 100.0 * srv_ns / 1e9 / w
            st = status(a.server_pid)
            try:
                fds = len(os.listdir(f'/proc/{a.server_pid}/fd'))
            except OSError:
                fds = None
            res = dict(
                label=a.mode, calls=n, live=nlive, attempt=attempt, secs=round(w, 2),
                setup=su if attempt == 1 else None,
                daemon_calls=daemon_calls(a.ondoctl),
                srv_cpu=round(cpu, 1),
                srv_cpu_ticks=round(100.0 * (tk1 - tk0) / os.sysconf('SC_CLK_TCK') / w, 1),
                srv_threads={k: round(100.0 * v / 1e9 / w, 1)
                             for k, v in sorted(split.items(), key=lambda kv: -kv[1]) if v > 0},
                pps_in=round(tx / gw), pps_out=round(rx / gw),
                sent_minus_received_pct=round(100.0 * (tx - rx) / max(1, tx), 4),
                expected_pps=round(2 * nlive * 50),
                us_per_pkt=round(srv_ns / 1e3 / max(1, rx if a.mode == 'relay' else tx + rx), 2),
                cpu_ms_per_call_s=round(10.0 * cpu / max(1, nlive), 3),
                loss_pct=round(100.0 * loss, 4),
                in_loss_pct=round(100.0 * in_loss, 4) if in_loss is not None else None,
                rtp_sock_drops=dr1[0] - dr0[0], gen_sock_drops=dr1[1] - dr0[1],
                rcvbuf_errors=sn1.get('RcvbufErrors', 0) - sn0.get('RcvbufErrors', 0),
                sndbuf_errors=sn1.get('SndbufErrors', 0) - sn0.get('SndbufErrors', 0),
                udp_in_errors=sn1.get('InErrors', 0) - sn0.get('InErrors', 0),
                gen=g, gen_cpu=g['gen_cpu'],
                driver_cpu=round(100.0 * sum(ns - me0.get(k, ('', 0))[1]
                                             for k, (_, ns) in me1.items()) / 1e9 / w, 1),
                other_cpu=round(100.0 * other / os.sysconf('SC_CLK_TCK') / w, 1),
                sip_during_window=dict((k, v - st0.get(k, 0)) for k, v in ua.stats.items()
                                       if v != st0.get(k, 0)),
                rss_kb=st.get('VmRSS'), threads=st.get('Threads'), fds=fds,
                server_alive=os.path.exists(f'/proc/{a.server_pid}/status'))
            why = []
            if su['failed']:
                why.append(f"{su['failed']} calls not set up")
            if nlive < n:
                why.append(f'{nlive} calls up of {n}')
            if loss >= 0.001:
                why.append(f'loss {100 * loss:.3f}%')
            if cpu >= 90:
                why.append(f'CPU {cpu:.0f}%')
            bad = sum(s[k] for s in (A, B) for k in ('misrouted', 'corrupt', 'silent'))
            if bad:
                why.append(f'{bad} misrouted/corrupt/silent')
            if a.mode == 'transcode' and A['tone_ok'] + B['tone_ok'] < A['mon'] + B['mon']:
                why.append(f"tone heard in {A['tone_ok'] + B['tone_ok']} of "
                           f"{A['mon'] + B['mon']} monitored streams")
            gen_limited = g['skipped_ticks'] > 0 or g['send_err'] > 0 or g['gen_cpu'] > 90
            res['gen_limited'] = gen_limited
            if gen_limited:
                why.append(f"generator behind (cpu {g['gen_cpu']}%, "
                           f"{g['skipped_ticks']} ticks skipped, {g['send_err']} send errors)")
            if not res['server_alive']:
                why.append('daemon died')
            res['clean'] = not why
            res['why'] = why
            # the generator behind its clock: measured again (foreign load on
            # CPU 0?), and the end of the ramp if it is behind twice
            overloaded = (loss >= 0.01 and not gen_limited or cpu >= 97 or
                          su['failed'] > 0.01 * max(1, su['new']) or
                          gen_limited and attempt == 2 or not res['server_alive'])
            res['overloaded'] = overloaded
            log(f"{a.mode} {n:5d} calls (try {attempt}): cpu {cpu:5.1f}% "
                f"{res['srv_threads']} in {res['pps_in']}/s out {res['pps_out']}/s "
                f"loss {100 * loss:.4f}% rtp drops {res['rtp_sock_drops']} "
                f"gen cpu {g['gen_cpu']}% other {res['other_cpu']}% "
                f"{'CLEAN' if res['clean'] else 'not clean: ' + '; '.join(why)}")
            if res['clean'] and a.perf_secs > 0 and cpu >= 20:
                prof = perf_profile(a.server_pid, a.perf_secs,
                                    os.path.join(a.logdir, f'perf_{a.mode}_{n}.txt'))
                perf_best = dict(calls=n, cpu=round(cpu, 1), top=prof)
            if out:
                out.write(json.dumps(res) + '\n')
                out.flush()
            if res['clean'] or overloaded or not res['server_alive']:
                break
        if not res['server_alive']:
            stop_reason = 'daemon died'
            break
        if res['clean']:
            best = n        # every lower step was clean too, or the ramp stopped
        else:
            if overloaded:
                stop_reason = f'overloaded at {n} calls: ' + '; '.join(why)
                break
            stop_reason = f'unclean twice at {n} calls: ' + '; '.join(why)
            break

    # ---- hang up everything, check the daemon forgets every call ----
    log(f'{a.mode}: hanging up {len(live())} calls')
    t0 = time.time()
    todo = [c for c in calls if c.state == 'up']   # the callee legs follow
    k = 0
    while time.time() - t0 < len(todo) / 300.0 + 30:
        busy = sum(1 for c in todo[:k] if c.state == 'bye')
        allowed = min(len(todo), int((time.time() - t0) * 300) + 1)
        while k < allowed and busy < 200:
            ua.bye(todo[k])
            k += 1
            busy += 1
        if k == len(todo) and busy == 0:
            break
        ua.pump(0.01)
    ua.pump(2)
    left = daemon_calls(a.ondoctl)
    waited = 2
    while left and waited < 30:
        ua.pump(2)
        waited += 2
        left = daemon_calls(a.ondoctl)
    summary.update(best=best, stop_reason=stop_reason, perf=perf_best,
                   calls_left_after_hangup=left, calls_left_wait_s=waited,
                   hangup_secs=round(time.time() - t0, 1),
                   callee_legs_not_ended=sum(1 for c in calls if c.b_state in ('answered', 'up')),
                   sip=ua.stats, elapsed_s=round(time.time() - t_begin, 1))
    try:
        summary['fds_after'] = len(os.listdir(f'/proc/{a.server_pid}/fd'))
        summary['threads_after'] = status(a.server_pid).get('Threads')
    except OSError:
        summary['server_alive_after'] = False
    if out:
        out.write(json.dumps(summary) + '\n')
        out.close()
    log(f'{a.mode}: highest clean: {best} calls ({stop_reason}); '
        f'daemon lists {left} calls after hang-up; SIP: {ua.stats}')
    gen.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
