#!/usr/bin/env python3
"""seeds.py - writes the hand-made seed inputs of fuzz/corpus/ (run from
the source tree: python3 fuzz/tools/seeds.py). The files are checked in;
this script says how they were made and makes more when a target changes.
Regression inputs (regress-*) are not made here: they are the crashes the
fuzzers found, kept as they were."""
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def crlf(s):
    return s.replace("\n", "\r\n")


# ---- sdp ----
put("sdp", "offer-ice-video", crlf("""v=0
o=alice 2890844526 2890844527 IN IP4 192.168.1.20
s=-
c=IN IP4 192.168.1.20
t=0 0
a=ice-ufrag:F7gI
m=audio 49170 RTP/AVP 0 8 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=rtcp:49171
a=candidate:1 1 UDP 2130706431 192.168.1.20 49170 typ host
a=sendrecv
m=video 51372 RTP/AVP 96
a=rtpmap:96 VP8/90000
"""))
put("sdp", "offer-g722-ipv6", crlf("""v=0
o=- 1 1 IN IP6 2001:db8::20
s=call
c=IN IP6 2001:db8::20
t=0 0
m=audio 4000 RTP/AVP 9 0 101
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=ptime:20
"""))
put("sdp", "media-level-conn-two-audio", crlf("""v=0
o=bob 1 2 IN IP4 10.0.0.2
s=-
t=0 0
m=audio 0 RTP/AVP 0
c=IN IP4 10.0.0.2
m=audio 30000 RTP/AVP 8 96
c=IN IP4 10.0.0.3
a=rtpmap:8 PCMA/8000
a=rtpmap:96 telephone-event/8000
a=rtcp-mux
a=remote-candidates:1 10.0.0.3 30000
m=audio 30002 RTP/AVP 0
c=IN IP4 10.0.0.4
"""))
put("sdp", "static-pt-no-rtpmap", crlf("""v=0
o=x 0 0 IN IP4 198.51.100.7
s= 
c=IN IP4 198.51.100.7
t=0 0
m=audio 8000 RTP/AVP 0 18
"""))
put("sdp", "video-only", crlf("""v=0
o=x 0 0 IN IP4 198.51.100.7
s=-
c=IN IP4 198.51.100.7
t=0 0
m=video 9000 RTP/AVP 96
a=rtpmap:96 H264/90000
"""))
put("sdp", "hostname-conn", crlf("""v=0
o=x 0 0 IN IP4 phone.example.com
s=-
c=IN IP4 phone.example.com
t=0 0
m=audio 8000 RTP/AVP 0
"""))
put("sdp", "lf-only-bad-pt", """v=0
o=x 0 0 IN IP4 203.0.113.1
s=-
c=IN IP4 203.0.113.1/127
t=0 0
m=audio 65535/2 RTP/SAVP 200 101
a=rtpmap:200 PCMU/8000
a=rtpmap:101 telephone-event/16000
a=rtpmap:101 telephone-event/8000
""")
put("sdp", "truncated", "v=0\r\no=x 0 0 IN IP4 203.0.113.1\r\ns=-\r\nc=IN IP4 203.0.")

# ---- rtp: one set-up byte, then [len16][packet] ... ----


def rtp(pt, seq, ts, ssrc, payload, marker=0, csrc=(), ext=None, pad=0):
    b0 = 0x80 | (0x20 if pad else 0) | (0x10 if ext is not None else 0) | len(csrc)
    h = struct.pack("!BBHII", b0, (marker << 7) | pt, seq & 0xffff, ts & 0xffffffff, ssrc)
    for c in csrc:
        h += struct.pack("!I", c)
    if ext is not None:
        h += struct.pack("!HH", 0xbede, len(ext) // 4) + ext
    body = payload
    if pad:
        body += b"\0" * (pad - 1) + bytes([pad])
    return h + body


def stream(setup, pkts):
    out = bytes([setup])
    for p in pkts:
        out += struct.pack("!H", len(p)) + p
    return out


def ev(code, end, vol, dur):
    return struct.pack("!BBH", code, (0x80 if end else 0) | vol, dur)


put("rtp", "pcmu-stream", stream(0x04, [rtp(0, 100 + i, 160 * i, 0x1111, b"\xff" * 160) for i in range(6)]))
put("rtp", "g722-reordered-lost", stream(0x06, [rtp(9, s, 160 * s, 7, b"\x55" * 160) for s in (1, 3, 2, 2, 7, 8)]))
put("rtp", "events-5-then-hash", stream(0x04, [
    rtp(101, 1, 800, 9, ev(5, 0, 10, 160), marker=1),
    rtp(101, 2, 800, 9, ev(5, 0, 10, 320)),
    rtp(101, 3, 800, 9, ev(5, 1, 10, 480)),
    rtp(101, 4, 800, 9, ev(5, 1, 10, 480)),
    rtp(101, 5, 2000, 9, ev(11, 0, 10, 160), marker=1),
    rtp(101, 6, 1900, 9, ev(16, 0, 10, 160)),
]))
put("rtp", "csrc-ext-padding", stream(0x05, [
    rtp(8, 1, 0, 5, b"\xd5" * 160, csrc=(1, 2, 3), ext=b"\x10\x01\x00\x00", pad=4),
    rtp(8, 2, 160, 5, b"\xd5" * 20, pad=255),
    b"\x40" + b"\0" * 11,
    b"\x80\x08",
]))
put("rtp", "ssrc-change-seq-jump", stream(0x0c, [
    rtp(0, 65534, 0, 1, b"\x7f" * 160), rtp(0, 65535, 160, 1, b"\x7f" * 160),
    rtp(0, 0, 320, 1, b"\x7f" * 160), rtp(0, 40000, 480, 1, b"\x7f" * 160),
    rtp(0, 40001, 640, 1, b"\x7f" * 160), rtp(0, 5, 0, 2, b"\x7f" * 640),
]))

# ---- rtcp ----


def rr_block(ssrc, frac, lost, ext, jit, lsr, dlsr):
    return struct.pack("!IB", ssrc, frac) + (lost & 0xffffff).to_bytes(3, "big") + struct.pack("!IIII", ext, jit, lsr, dlsr)


def rtcp_pkt(pt, count, body, pad=0):
    if pad:
        body += b"\0" * (pad - 1) + bytes([pad])
    return struct.pack("!BBH", 0x80 | (0x20 if pad else 0) | count, pt, len(body) // 4) + body


sdes = rtcp_pkt(202, 1, struct.pack("!I", 0x1234) + b"\x01\x08fuzz@pbx" + b"\0\0")
put("rtcp", "sr-one-block-sdes", rtcp_pkt(200, 1, struct.pack("!IIIIII", 0x1234, 0xe8000000, 0x8000, 160, 10, 1600)
                                         + rr_block(0xabcd, 12, -3, 70000, 40, 0x12345678, 0x10000)) + sdes)
put("rtcp", "rr-five-blocks", rtcp_pkt(201, 5, struct.pack("!I", 1) + b"".join(
    rr_block(i, 0, 0x7fffff, i, 0, 0, 0) for i in range(5))))
put("rtcp", "bye-only", rtcp_pkt(203, 1, struct.pack("!I", 0x1234)))
put("rtcp", "rr-padded-app", rtcp_pkt(201, 0, struct.pack("!I", 9), pad=4) + rtcp_pkt(204, 0, struct.pack("!I", 9) + b"name"))
put("rtcp", "truncated-sr", rtcp_pkt(200, 3, struct.pack("!IIIIII", 1, 2, 3, 4, 5, 6))[:20])

# ---- dtmf_info: content type NUL body ----
put("dtmf_info", "relay-5", "application/dtmf-relay\0Signal=5\r\nDuration=160\r\n")
put("dtmf_info", "relay-star-params", "Application/DTMF-Relay ; charset=utf-8\0Duration=250\r\n  signal =  10 \r\n")
put("dtmf_info", "dtmf-hash", "application/dtmf\0#")
put("dtmf_info", "dtmf-lf-a", "application/dtmf\0\r\n a\r\n")
put("dtmf_info", "relay-bad", "application/dtmf-relay\0Signal=16\r\n")
put("dtmf_info", "body-only", "Signal=9")

# ---- dialplan: pattern NUL number NUL template NUL caller NUL rule NUL date ----


def dp(*f):
    return "\0".join(f)


put("dialplan", "wild-tail", dp("_9X.", "912345", "dial ${1}@${DOMAIN}", "1001", "mon-fri 08:00-17:30", "12-25"))
put("dialplan", "regex-groups", dp("~0(\\d+)(\\d{2})", "0123456", "sip:+49${1:1:3}${2}", "+4930", "sat 22:00-02:00", "2026-02-29"))
put("dialplan", "exact-star", dp("*97", "*97", "${EXTEN:-2}${CALLER:0:1}$x${", "", "fri-mon", "2024-02-29"))
put("dialplan", "class-bang", dp("_[1-5,9]X[*#+]!", "19#", "${0}${1}${9}", "1002", "mon,wed,sun-tue 00:00-24:00", "13-01"))
put("dialplan", "regex-backtrack", dp("~(1*)*2", "1111111111111111111111111113", "${1}", "", "mon 24:00-00:00", "02-30"))
put("dialplan", "bad-pattern", dp("_[", "1", "${UNKNOWN}", "", "xyz", "1899-01-01"))
put("dialplan", "regex-lookbehind", dp("~(?<=(\\d))\\K(\\d)", "12", "${1}${2}", "", "sun 08:00-08:00", "00-00"))
put("dialplan", "nxxz-dash", dp("_NXX-XXXX", "2125551", "${EXTEN:1:-1}${EXTEN:+9999}${EXTEN:-99999}", "2", "tue  09:00-17:00", "01-01"))

# ---- conf ----
src = os.path.join(os.path.dirname(ROOT), "..", "etc", "ondo.conf.example")
with open(src, "rb") as f:
    put("conf", "example", f.read())
put("conf", "all-set", """[sip]
listen = [::1]:5080
public_ip = 2001:db8::1
default_tenant = pbx.example.com
[rtp]
ports = 20000-20003
workers = 64
[http]
listen = 127.0.0.1:8443
cert = /etc/ondo/web.crt
key = /etc/ondo/web.key
[smtp]
host = smtp.example.com
port = 587
starttls = required
user = vm@example.com
password = a b c
from = voicemail@example.com
link = https://pbx.example.com/vm/
retry_min = 1
retry_max = 86400
give_up = 2592000
timeout = 300
[security]
fail_max = 1000
fail_window = 1
ban_time = 86400
[log]
level = debug
""")
put("conf", "errors", "[sip]\n  listen = 0.0.0.0:99999\n[nosuch]\nkey\n[rtp\nports = 10001-10002\nx = y\n")
put("conf", "long-line", "[db]\npath = " + "a" * 300 + "\n")
put("conf", "no-section-crlf", "listen = 1.2.3.4:5\r\n;c\r\n#c\r\n[smtp]\r\nfrom = a@b..c ; inline\r\n")
put("conf", "cert-without-key", "[http]\ncert = x.pem\n")

# ---- rest: [role]METHOD URL \n body, requests split by \n====\n ----
SEP = "\n====\n"
put("rest", "ext-add-list-get", SEP.join([
    'APOST /api/v1/tenants/acme.test/extensions\n{"number":"1003","password":"long-secret-3","name":"Dan","ring_timeout":20}',
    "AGET /api/v1/tenants/acme.test/extensions?q=10&offset=0&limit=2",
    "UGET /api/v1/tenants/acme.test/extensions/1001",
    'UPATCH /api/v1/tenants/acme.test/extensions/1001\n{"password":"new-secret-1"}',
]))
put("rest", "other-tenant", SEP.join([
    "OGET /api/v1/tenants/acme.test/extensions/1002",
    "OGET /api/v1/tenants",
    "OGET /api/v1/audit?tenant=acme.test&limit=5",
    "ODELETE /api/v1/tenants/acme.test/routes/1",
]))
put("rest", "cdr-filters-csv", SEP.join([
    "AGET /api/v1/tenants/acme.test/cdr?from=0&to=9999999999&extension=1001&disposition=ANSWERED&limit=10",
    "AGET /api/v1/tenants/acme.test/cdr?format=csv&before_start_us=9223372036854775807&before_id=-1",
    "AGET /api/v1/tenants/acme.test/cdr/1/recording",
    "AGET /api/v1/tenants/acme.test/cdr?limit=99999999999999999999",
]))
put("rest", "voicemail", SEP.join([
    "UGET /api/v1/tenants/acme.test/extensions/1001/voicemail?folder=new",
    "UGET /api/v1/tenants/acme.test/extensions/1001/voicemail/1/audio",
    "UPOST /api/v1/tenants/acme.test/extensions/1001/voicemail/1/heard\n",
    "UDELETE /api/v1/tenants/acme.test/extensions/1001/voicemail/2",
]))
put("rest", "user-colleague", SEP.join([
    "UGET /api/v1/tenants/acme.test/extensions/1002/voicemail/3/audio",
    "UGET /api/v1/tenants/acme.test/extensions",
    'UPATCH /api/v1/tenants/acme.test/extensions/1001/mailbox\n{"pin":"1234","email":"x@y.z","attach":true,"max_messages":5}',
    "UGET /api/v1/me",
]))
put("rest", "routes-ivr", SEP.join([
    'POST /api/v1/tenants/acme.test/routes\n{"pattern":"~0(\\\\d+)","app":"trunk","args":"carrier +${1}","priority":5,"cos":"international"}',
    'PATCH /api/v1/tenants/acme.test/ivr/main\n{"timeout_ms":3000,"max_retries":2,"direct_dial":true,"fallback_action":"hangup"}',
    'PUT /api/v1/tenants/acme.test/ivr/main/options/%2A\n{"action":"menu","arg":"main"}',
    "GET /api/v1/tenants/acme.test/ivr/main",
]))
put("rest", "timecond", SEP.join([
    'POST /api/v1/tenants/acme.test/timeconds/office/rules\n{"rule":"sat 22:00-02:00"}',
    'POST /api/v1/tenants/acme.test/timeconds/office/holidays\n{"date":"2026-12-31","name":"NYE"}',
    "GET /api/v1/tenants/acme.test/timeconds/office",
    "DELETE /api/v1/tenants/acme.test/timeconds/office/holidays/12-25",
]))
put("rest", "trunks-dids-rooms", SEP.join([
    'POST /api/v1/tenants/acme.test/trunks\n{"name":"ipt","host":"192.0.2.50","port":5061,"transport":"tcp","auth":"ip","ips":"192.0.2.50,192.0.2.51","max_calls":10,"out_prefix":"+"}',
    'POST /api/v1/tenants/acme.test/dids\n{"number":"+4930555001","dest_type":"timecond","dest":"office"}',
    'PATCH /api/v1/tenants/acme.test/rooms/800\n{"max_members":2,"wait_moderator":true,"record":false}',
    "GET /api/v1/tenants/acme.test/room-recordings?room=800",
]))
put("rest", "rooms-live-recordings", SEP.join([
    "GET /api/v1/tenants/acme.test/rooms/800/members",
    "POST /api/v1/tenants/acme.test/rooms/800/members/1/mute\n",
    "GET /api/v1/tenants/acme.test/room-recordings/1/audio",
    "DELETE /api/v1/tenants/acme.test/room-recordings/1",
]))
put("rest", "cookie-csrf", SEP.join([
    "CGET /api/v1/me",
    'cPOST /api/v1/tenants/acme.test/extensions\n{"number":"1009","password":"long-secret-9"}',
    'CPOST /api/v1/tokens\n{"name":"backup"}',
    "CPOST /api/v1/logout\n",
]))
put("rest", "nobody-static", SEP.join([
    'NPOST /api/v1/login\n{"username":"acme-admin","password":"wrong"}',
    "NGET /index.html",
    "NGET /../secret.txt",
    "XGET /api/v1/tenants",
]))
put("rest", "bad-bodies", SEP.join([
    "POST /api/v1/tenants\n[1,2,3]",
    'POST /api/v1/tenants\n{"name":"A","domain":"a.test","name":"B"}',
    'POST /api/v1/tenants/acme.test/users\n{"username":"bob","role":"user","password":"pw-of-bob-1","extension":"1002"}',
    "DELETE /api/v1/tenants/acme.test/users/2",
]))
put("rest", "superadmin", SEP.join([
    "GET /api/v1/tenants/other.test/voicemail",
    "GET /api/v1/tenants/acme.test/registrations",
    "GET /api/v1/tenants/acme.test/calls",
    "DELETE /api/v1/tenants/other.test",
]))
wav_hdr = b"RIFF" + struct.pack("<I", 36 + 16000) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) + b"data" + struct.pack("<I", 16000) + b"\0" * 16000
put("rest", "greeting-upload", b"UPUT /api/v1/tenants/acme.test/extensions/1001/greetings/temp\n" + wav_hdr + b"\n====\nUGET /api/v1/tenants/acme.test/extensions/1001/greetings\n====\nUGET /api/v1/tenants/acme.test/extensions/1001/greetings/temp\n====\nUDELETE /api/v1/tenants/acme.test/extensions/1001/greetings/temp")

# ---- wav ----


def wav(fmt, ch, rate, bits, data, extra=b""):
    block = ch * bits // 8
    fmtc = struct.pack("<HHIIHH", fmt, ch, rate, rate * block, block, bits) + extra
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmtc)) + fmtc + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


put("wav", "pcm8k-mono", wav(1, 1, 8000, 16, struct.pack("<800h", *([1000, -1000] * 400))))
put("wav", "pcm44k-stereo", wav(1, 2, 44100, 16, b"\x10\x00\xf0\xff" * 441))
put("wav", "ulaw", wav(7, 1, 8000, 8, b"\xff\x7f" * 400, struct.pack("<H", 0)))
put("wav", "alaw", wav(6, 1, 16000, 8, b"\xd5" * 800, struct.pack("<H", 0)))
put("wav", "float32", wav(3, 1, 22050, 32, struct.pack("<200f", *([1.5, -1.5] * 100))))
put("wav", "three-channels", wav(1, 3, 8000, 16, b"\0" * 600))
put("wav", "rate-zero", wav(1, 1, 0, 16, b"\0" * 100))
put("wav", "huge-sizes", b"RIFF\xff\xff\xff\xffWAVEfmt \x10\0\0\0\x01\0\x01\0\x40\x1f\0\0\x80\x3e\0\0\x02\0\x10\0data\xff\xff\xff\x7f\0\0")
put("wav", "header-only", wav(1, 1, 8000, 16, b""))
put("wav", "truncated", wav(1, 1, 8000, 16, b"\0" * 100)[:30])
put("wav", "not-audio", b"<html>not a sound</html>\n")
with tempfile.TemporaryDirectory() as t:
    for name, args in (("gsm", ["-r", "8000", "-c", "1", "-e", "gsm-full-rate", "x.wav"]),
                       ("flac", ["-r", "16000", "-c", "1", "x.flac"]),
                       ("adpcm", ["-r", "8000", "-c", "1", "-e", "ima-adpcm", "x.wav"])):
        p = os.path.join(t, args[-1])
        if subprocess.call(["sox", "-n"] + args[:-1] + [p, "synth", "0.05", "sine", "440"],
                           stderr=subprocess.DEVNULL) == 0:
            with open(p, "rb") as f:
                put("wav", name, f.read())

# ---- digest: an Authorization value ----
HA1 = "3b7e1c2d0e4f5a69788796a5b4c3d2e1"
KEY = b"0123456789abcdef"
NOW = 0x65000000


def nonce(t):
    ts = "%08x" % t
    m = hashlib.md5(KEY + b":" + ts.encode() + b":" + KEY).hexdigest()
    return ts + m


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


n = nonce(NOW - 10)
ha2 = md5("REGISTER:sip:acme.test")
resp = md5("%s:%s:%s" % (HA1, n, ha2))
put("digest", "valid", 'Digest username="1001", realm="acme.test", nonce="%s", uri="sip:acme.test", response="%s", algorithm=MD5' % (n, resp))
resp2 = md5("%s:%s:00000001:abcd:auth:%s" % (HA1, n, ha2))
put("digest", "valid-qop", 'Digest username="1001",realm="acme.test",nonce="%s",uri="sip:acme.test",response="%s",qop=auth,nc=00000001,cnonce="abcd"' % (n, resp2))
put("digest", "stale", 'Digest username="1001", realm="acme.test", nonce="%s", uri="sip:acme.test", response="%s"' % (nonce(NOW - 1000), resp))
put("digest", "sha256-missing", 'Digest username="1001", realm="acme.test", algorithm=SHA-256, qop=auth-int')
put("digest", "forged-nonce", 'Digest username="1001", nonce="+0000001%s", uri="sip:x", response=""' % ("0" * 32))
put("digest", "basic", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")
