#!/bin/bash
# test_record.sh - call recording: both parties' tones mixed in one WAV in
# the spool, listed in the CDR; always (the extension's setting) and on
# demand (*1 during the call starts it; a call where nobody presses it
# leaves no recording).
. "$(dirname "$0")/../lib/common.sh"
test_init "call recording: always and on demand"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-alice-1001'
provision ext add "$DOM" 1002 --password 'pw-bob-1002'
provision ext record "$DOM" 1001 always

# Tones that last the whole test: the file restarts with every call.
sox -n -r 8000 -c 1 -b 16 "$T_DIR/600.wav" synth 60 sine 600 vol 0.4
sox -n -r 8000 -c 1 -b 16 "$T_DIR/1300.wav" synth 60 sine 1300 vol 0.4
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-alice-1001" "$T_DIR/600.wav"
baresip_setup bob "<sip:1002@$DOM>;auth_pass=pw-bob-1002;answermode=auto" \
	"$T_DIR/1300.wav"
for p in alice bob; do
	baresip_start $p
	baresip_wait_registered $p || fatal "$p did not register:$(baresip_log_tail $p)"
done
pass "both phones registered"

# call NTH [KEYS]: alice calls bob directly, presses KEYS after 1 s.
call() {
	local nth=$1 keys=${2:-} p
	baresip_cmd alice dial "sip:1002@$DOM" >/dev/null ||
		fatal "alice refused the dial command"
	for p in alice bob; do
		baresip_wait_log $p 10 'Call established' "$nth" ||
			fatal "$p: no call:$(baresip_log_tail $p)"
	done
	sleep 1
	[ -n "$keys" ] && for ((i = 0; i < ${#keys}; i++)); do
		baresip_cmd alice sndcode "${keys:i:1}" >/dev/null
		sleep 0.3
	done
	sleep 4
	baresip_cmd alice hangup >/dev/null || true
	for p in alice bob; do
		baresip_wait_log $p 10 'terminated|session closed' "$nth" ||
			fail "$p: call still up"
	done
	wait_cdr 5 "$nth" || fail "no CDR for call $nth"
}

# has_both WAV: both parties' tones are in the mix.
has_both() {
	local out1 out2
	out1=$("$PYTHON" "$TESTS_LIB/tone.py" --threshold 0.25 --min-fraction 0.5 "$1" 600) &&
		out2=$("$PYTHON" "$TESTS_LIB/tone.py" --threshold 0.25 --min-fraction 0.5 "$1" 1300)
	local rc=$?
	echo "$out1; $out2"
	return $rc
}

# ---- always ----
call 1
rec=$(cdr_row recording)
check "the CDR names the recording ('$rec')" \
	grep -qE "^tenants/$DOM/recordings/[0-9-]+/[0-9]{6}-.+\\.wav\$" <<<"$rec"
wav="$T_DIR/ondo/spool/$rec"
if wait_until 5 test -s "$wav"; then
	pass "the WAV is in the spool under its final name"
	if out=$(has_both "$wav"); then
		pass "it holds both parties' tones: $out"
	else
		fail "it lacks a party's tone: $out"
	fi
else
	fail "no WAV at $wav: $(find "$T_DIR/ondo/spool" -name '*.wav*' | head -3)"
fi
check "no half-written file left" \
	sh -c "! find '$T_DIR/ondo/spool' -name '*.part*' | grep -q ."
# The same recording through the REST API, as the panel plays it.
provision user add adm --role admin --tenant "$DOM" --password adm-pass-123
"$PYTHON" - "$ONDO_HTTP_PORT" "$TESTS_LIB" "$DOM" "$T_DIR/api.wav" <<'PY' ||
import sys
sys.path.insert(0, sys.argv[2])
from api import Client
c = Client("127.0.0.1", int(sys.argv[1]))
c.login("adm", "adm-pass-123")
st, body = c.get("/api/v1/tenants/%s/cdr?limit=1" % sys.argv[3])
rid = body["cdr"][0]["id"]
st, wav, hdrs = c.request("GET", "/api/v1/tenants/%s/cdr/%d/recording" % (sys.argv[3], rid))
assert st == 200 and hdrs["content-type"] == "audio/wav", (st, hdrs)
open(sys.argv[4], "wb").write(wav)
PY
	fail "the recording could not be fetched through the API"
if out=$(has_both "$T_DIR/api.wav"); then
	pass "the API serves the recording (both tones: $out)"
else
	fail "the recording from the API lacks a party's tone: $out"
fi
check "the phones still heard each other while recorded" \
	"$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.3 "$(baresip_dec_wav bob)" 600
check "ondoctl cdr shows it" sh -c "'$ONDOCTL_BIN' -c '$ONDO_CONF' cdr | grep -qF '$rec'"

# ---- on demand, nobody presses *1: nothing recorded ----
provision ext record "$DOM" 1001 on-demand
call 2
check "without *1 the call has no recording" [ -z "$(cdr_row recording)" ]

# ---- on demand, alice presses *1 ----
call 3 '*1'
rec=$(cdr_row recording)
wav="$T_DIR/ondo/spool/$rec"
if [ -n "$rec" ] && wait_until 5 test -s "$wav"; then
	pass "*1 started a recording ($rec)"
	if out=$(has_both "$wav"); then
		pass "it holds both parties' tones: $out"
	else
		fail "it lacks a party's tone: $out"
	fi
else
	fail "*1 recorded nothing ('$rec'):$(echo; grep -E 'rec ' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi
stop_ondo
finish
