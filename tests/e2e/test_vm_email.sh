#!/bin/bash
# test_vm_email.sh - voicemail email: the daemon's [smtp] points at a small
# SMTP sink on loopback (tests/lib/smtp_sink.py). alice leaves a message
# for carol (1003, no phone registered: straight to the mailbox), whose
# box has an email address: the mail arrives with the right envelope,
# From, To and Subject, and a WAV attachment that holds alice's tone.
# Then the sink refuses the first try (451): the mail arrives after the
# retry, and `ondoctl vm mailq` showed it waiting meanwhile. A box set to
# --link gets a mail with the link and no attachment.
. "$(dirname "$0")/../lib/common.sh"
test_init "voicemail email: WAV attached, retried after a refusal, link only"

DOM=t1.test
SMTP_PORT=$(free_port)
MAILS=$T_DIR/mails
SINK_PID=

# sink_start [ARGS...]: a fresh sink on SMTP_PORT writing to MAILS.
sink_start() {
	"$PYTHON" "$TESTS_LIB/smtp_sink.py" --lifetime 200 "$@" \
		"$SMTP_PORT" "$MAILS" >>"$T_DIR/sink.log" 2>&1 &
	SINK_PID=$!
	track_pid "$SINK_PID"
	wait_until 5 sh -c "ss -lnt | grep -q '127.0.0.1:$SMTP_PORT '" ||
		fatal "the SMTP sink did not start:$(echo; tail -5 "$T_DIR/sink.log")"
}
sink_stop() {
	kill -TERM "$SINK_PID" 2>/dev/null || true
	wait "$SINK_PID" 2>/dev/null || true
	untrack_pid "$SINK_PID"
}
nmails() { find "$MAILS" -name '*.eml' 2>/dev/null | wc -l; }
mails_ge() { [ "$(nmails)" -ge "$1" ]; }

sink_start
ONDO_EXTRA_CONF="[smtp]
host = 127.0.0.1
port = $SMTP_PORT
starttls = try
from = voicemail@$DOM
link = https://pbx.$DOM/vm/
retry_min = 3
retry_max = 6
timeout = 10"
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-alice-1001' --name Alice
provision ext add "$DOM" 1003 --password 'pw-carol-1003' --name Carol
provision ext add "$DOM" 1004 --password 'pw-dave-1004'
provision vm box "$DOM" 1003 --email carol@example.test
provision vm box "$DOM" 1004 --email dave@example.test --link

sox -n -r 8000 -c 1 -b 16 "$T_DIR/600.wav" synth 80 sine 600 vol 0.4
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-alice-1001" "$T_DIR/600.wav"
baresip_start alice
baresip_wait_registered alice || fatal "alice did not register:$(baresip_log_tail alice)"

msg_ids() { # EXT: the box's message ids, oldest first
	sql "SELECT m.id FROM vm_messages m JOIN extensions e ON
	     e.id = m.ext_id WHERE e.number = '$1' ORDER BY m.id"
}
# leave NTH EXT: alice calls EXT, speaks her tone after the beep, hangs up;
# waits for the message's row.
leave() {
	local nth=$1 ext=$2 before
	before=$(msg_ids "$ext" | wc -l)
	baresip_cmd alice dial "sip:$ext@$DOM" >/dev/null ||
		fatal "alice refused the dial command"
	baresip_wait_log alice 15 'Call established' "$nth" ||
		fatal "voicemail did not answer alice's call to $ext:$(baresip_log_tail alice)"
	sleep 12 # greeting (about 6 s), beep, then the message
	baresip_cmd alice hangup >/dev/null || true
	more() { [ "$(msg_ids "$ext" | wc -l)" -gt "$before" ]; }
	wait_until 10 more || fatal "no message was left for $ext"
	MSG_ID=$(msg_ids "$ext" | tail -n 1)
	pass "alice left message $MSG_ID for $ext"
}

# check_mail N ARGS: checks mail N (001...) with tests/lib's rules below;
# prints what it found, fails with why.
CHECK_PY='
import email, email.policy, io, sys, wave
eml, env, want_rcpt, want_subj, mode, msg_id, wav_out = sys.argv[1:8]
raw = open(eml, "rb").read()
m = email.message_from_bytes(raw, policy=email.policy.default)
errs = []
envl = open(env).read().split("\n")
if "RCPT TO:<%s>" % want_rcpt not in envl:
    errs.append("envelope recipients %r, want %s" % (envl[1:], want_rcpt))
if not envl[0].startswith("MAIL FROM:<voicemail@t1.test>"):
    errs.append("envelope sender %r" % envl[0])
if str(m["Subject"]) != want_subj:
    errs.append("Subject %r, want %r" % (str(m["Subject"]), want_subj))
if m["From"].addresses[0].addr_spec != "voicemail@t1.test":
    errs.append("From %r" % str(m["From"]))
if m["To"].addresses[0].addr_spec != want_rcpt:
    errs.append("To %r" % str(m["To"]))
if not m["Date"] or not m["Message-ID"]:
    errs.append("no Date or Message-ID header")
body = m.get_body(preferencelist=("plain",))
text = body.get_content() if body else ""
if "Alice <1001>" not in text or "Length:" not in text:
    errs.append("text part lacks the caller or the length: %r" % text)
atts = [p for p in m.iter_attachments()]
link = "https://pbx.t1.test/vm/" + msg_id
if mode == "attach":
    wavs = [p for p in atts if p.get_content_type() == "audio/wav"]
    if len(wavs) != 1:
        errs.append("want one audio/wav attachment, got %r"
                    % [p.get_content_type() for p in atts])
    else:
        data = wavs[0].get_content()
        name = wavs[0].get_filename()
        if name != "voicemail-%s.wav" % msg_id:
            errs.append("attachment named %r" % name)
        open(wav_out, "wb").write(data)
        try:
            with wave.open(io.BytesIO(data)) as w:
                secs = w.getnframes() / w.getframerate()
                fmt = "%d Hz, %d-bit, %.1f s" % (w.getframerate(),
                                                  8 * w.getsampwidth(), secs)
            if secs < 1:
                errs.append("the WAV is too short: " + fmt)
        except Exception as e:
            errs.append("the attachment is no valid WAV: %s" % e)
            fmt = "?"
    if link in text:
        errs.append("an attached message should carry no link")
else:
    if atts:
        errs.append("link only, yet %d attachment(s)" % len(atts))
    if link not in text:
        errs.append("no link %s in the text: %r" % (link, text))
    fmt = "no attachment"
if errs:
    print("; ".join(errs))
    sys.exit(1)
print("%s; %s" % (str(m["Subject"]), fmt))
'
check_mail() { # N RCPT SUBJECT attach|link MSG_ID
	"$PYTHON" -c "$CHECK_PY" "$MAILS/$1.eml" "$MAILS/$1.env" "$2" "$3" \
		"$4" "$5" "$T_DIR/att-$1.wav"
}
queue_rows() { sql "SELECT count(*) FROM vm_mail_queue"; }

# ---- a message with its WAV attached ----
leave 1 1003
if wait_until 20 mails_ge 1; then
	pass "a mail reached the SMTP sink"
else
	fatal "no mail reached the SMTP sink:$(echo; grep -E ' vm ' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi
if out=$(check_mail 001 carol@example.test \
	"New voicemail from 1001 (Alice) for 1003" attach "$MSG_ID"); then
	pass "the mail is right: $out"
else
	fail "the mail is wrong: $out"
fi
if [ -s "$T_DIR/att-001.wav" ] &&
	out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.5 "$T_DIR/att-001.wav" 600); then
	pass "the attached WAV holds alice's tone: $out"
else
	fail "the attached WAV lacks alice's tone: ${out:-no file}"
fi
check "the sent mail left the queue" wait_sql 5 "SELECT count(*) FROM vm_mail_queue" 0
check "the daemon logged the mail as sent" \
	grep -q "email for message $MSG_ID of 1003 sent to carol@example.test" "$ONDO_LOG"

# ---- the server refuses the first try: sent after the retry ----
sink_stop
sink_start --refuse 1
leave 2 1003
retried() { grep -q "email for message $MSG_ID of 1003 to carol@example.test failed (try 1)" "$ONDO_LOG"; }
if wait_until 20 retried; then
	pass "the refused mail is to be retried: $(grep "message $MSG_ID .*failed" "$ONDO_LOG" | sed 's/.*retrying/retrying/' | head -1)"
	q=$(ondoctl vm mailq 2>&1 || true)
	if grep -q "carol@example.test" <<<"$q" && grep -q "451" <<<"$q"; then
		pass "ondoctl vm mailq shows it waiting with the server's 451"
	else
		fail "ondoctl vm mailq does not show the waiting mail:$(echo; sed 's/^/       /' <<<"$q")"
	fi
else
	fail "no retry was logged after the sink refused:$(echo; grep -E ' vm ' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi
if wait_until 20 mails_ge 2; then
	if out=$(check_mail 002 carol@example.test \
		"New voicemail from 1001 (Alice) for 1003" attach "$MSG_ID"); then
		pass "after the retry the mail arrived: $out"
	else
		fail "the retried mail is wrong: $out"
	fi
else
	fail "the refused mail never arrived after a retry:$(echo; grep -E ' vm ' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi
check "the queue is empty again" wait_sql 5 "SELECT count(*) FROM vm_mail_queue" 0

# ---- a box set to --link: no attachment, a link ----
leave 3 1004
if wait_until 20 mails_ge 3; then
	if out=$(check_mail 003 dave@example.test \
		"New voicemail from 1001 (Alice) for 1004" link "$MSG_ID"); then
		pass "the link-only mail has the link and no attachment: $out"
	else
		fail "the link-only mail is wrong: $out"
	fi
else
	fail "no mail for dave's link-only box"
fi
check "no mail went to a box without an address" [ "$(nmails)" -eq 3 ]
stop_ondo
finish
