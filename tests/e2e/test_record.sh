#!/bin/bash
# test_record.sh - call recording: both parties' tones mixed in one WAV in
# the spool, listed in the CDR; always (the extension's setting) and on
# demand (the tenant's code during the call starts it, *1 unless set; a
# call where nobody presses it leaves no recording; the code's keys do
# not reach the other phone, other keys do); a call that bridges twice (a dial route's callee
# transfers the caller on) keeps both recordings, each in its own WAV,
# listed by the CDR, ondoctl and the REST API.
. "$(dirname "$0")/../lib/common.sh"
test_init "call recording: always and on demand"

DOM=t1.test
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password 'pw-alice-1001'
provision ext add "$DOM" 1002 --password 'pw-bob-1002'
provision ext add "$DOM" 1003 --password 'pw-carol-1003'
provision ext record "$DOM" 1001 always

# Tones that last the whole test: the file restarts with every call.
sox -n -r 8000 -c 1 -b 16 "$T_DIR/600.wav" synth 60 sine 600 vol 0.4
sox -n -r 8000 -c 1 -b 16 "$T_DIR/1300.wav" synth 60 sine 1300 vol 0.4
sox -n -r 8000 -c 1 -b 16 "$T_DIR/900.wav" synth 60 sine 900 vol 0.4
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-alice-1001" "$T_DIR/600.wav"
baresip_setup bob "<sip:1002@$DOM>;auth_pass=pw-bob-1002;answermode=auto" \
	"$T_DIR/1300.wav"
baresip_setup carol "<sip:1003@$DOM>;auth_pass=pw-carol-1003;answermode=auto" \
	"$T_DIR/900.wav"
for p in alice bob carol; do
	# bob's log shows the keys he receives
	if [ $p = bob ]; then BS_VERBOSE=1 baresip_start $p; else baresip_start $p; fi
	baresip_wait_registered $p || fatal "$p did not register:$(baresip_log_tail $p)"
done
pass "the three phones registered"

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

# ---- on demand, the tenant's own code: alice keys 5 *9 * ----
# The code (*9 here) starts the recording and never reaches bob; 5 goes
# on at once; the last * might begin the code again, so it is held back
# and reaches bob 1.5 s later, when no 9 followed.
provision tenant record-code "$DOM" '*9'
KEY_RE="received event: '.' \\(end=0\\)"
keys_seen=$(baresip_count bob "$KEY_RE")
call 3 '5*9*'
rec=$(cdr_row recording)
keys=$(baresip_out bob | grep -aE "$KEY_RE" | tail -n +$((keys_seen + 1)) |
	sed -n "s/.*received event: '\(.\)'.*/\1/p" | tr -d '\n' || true)
if [ "$keys" = '5*' ]; then
	pass "bob got alice's 5 and the unfinished * but not the code *9 (got '$keys')"
else
	fail "bob got the keys '$keys', expected '5*' (the code *9 held back)"
fi
check "the daemon logged the tenant's code" grep -q 'on demand (\*9)' "$ONDO_LOG"
wav="$T_DIR/ondo/spool/$rec"
if [ -n "$rec" ] && wait_until 5 test -s "$wav"; then
	pass "*9 started a recording ($rec)"
	if out=$(has_both "$wav"); then
		pass "it holds both parties' tones: $out"
	else
		fail "it lacks a party's tone: $out"
	fi
else
	fail "*9 recorded nothing ('$rec'):$(echo; grep -E 'rec ' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
fi

# ---- two bridges in one call ----
# alice dials route 700 (dial 1002, recorded always); bob answers, then
# transfers alice to 1003: the same app call bridges a second time.
provision route add "$DOM" 700 dial 1002
provision route record "$DOM" "$(sql "SELECT id FROM routes WHERE pattern = '700'")" always
ncdr=$(cdr_count)
est_bob=$(baresip_count bob 'Call established')
baresip_cmd alice dial "sip:700@$DOM" >/dev/null || fatal "alice refused the dial command"
baresip_wait_log bob 10 'Call established' $((est_bob + 1)) ||
	fatal "bob did not answer the route's call:$(baresip_log_tail bob)"
sleep 3
baresip_cmd bob transfer "sip:1003@$DOM" >/dev/null
baresip_wait_log carol 15 'Call established' 1 ||
	fatal "carol did not get the transferred call:$(baresip_log_tail carol)"
sleep 3
baresip_cmd alice hangup >/dev/null || true
baresip_wait_log carol 10 'terminated|session closed' 1 || fail "carol: call still up"
wait_cdr 5 $((ncdr + 1)) || fail "no CDR for the transferred call"
recs() {
	sql "SELECT r.path FROM recordings r JOIN cdr c ON c.id = r.cdr_id
	     WHERE c.callee = '700' ORDER BY r.seq"
}
mapfile -t REC < <(recs)
if [ "${#REC[@]}" -eq 2 ] && [ "${REC[0]}" != "${REC[1]}" ]; then
	pass "the CDR lists two recordings, one per bridge (${REC[*]})"
else
	fail "the call's recordings are '${REC[*]}', not two files"
fi
check "... and cdr.recording is still the first" \
	[ "$(sql "SELECT recording FROM cdr WHERE callee = '700'")" = "${REC[0]:-x}" ]
# has_pair WAV HZ_IN HZ_OUT: alice's 600 Hz and HZ_IN are in the mix, the
# other callee's HZ_OUT is not (the second bridge wrote over nothing).
has_pair() {
	local out1 out2 out3
	out1=$("$PYTHON" "$TESTS_LIB/tone.py" --threshold 0.25 --min-fraction 0.5 "$1" 600) &&
		out2=$("$PYTHON" "$TESTS_LIB/tone.py" --threshold 0.25 --min-fraction 0.5 "$1" "$2") &&
		out3=$("$PYTHON" "$TESTS_LIB/tone.py" --absent --threshold 0.25 "$1" "$3")
	local rc=$?
	echo "$out1; $out2; $out3"
	return $rc
}
for i in 0 1; do
	wav="$T_DIR/ondo/spool/${REC[$i]:-none}"
	if [ "$i" -eq 0 ]; then with=1300 without=900 who=bob; else with=900 without=1300 who=carol; fi
	if wait_until 5 test -s "$wav"; then
		if out=$(has_pair "$wav" $with $without); then
			pass "recording $((i + 1)) holds alice's and $who's tones only: $out"
		else
			fail "recording $((i + 1)) is not alice with $who: $out"
		fi
	else
		fail "no WAV for recording $((i + 1)) at $wav"
	fi
done
check "ondoctl cdr lists both recordings" sh -c \
	"'$ONDOCTL_BIN' -c '$ONDO_CONF' cdr '$DOM' --limit 1 > '$T_DIR/cdr.txt' &&
	 grep -qF '${REC[0]:-x}' '$T_DIR/cdr.txt' && grep -qF '${REC[1]:-x}' '$T_DIR/cdr.txt'"
"$PYTHON" - "$ONDO_HTTP_PORT" "$TESTS_LIB" "$DOM" "$T_DIR/api2.wav" "${REC[0]:-x}" "${REC[1]:-x}" <<'PY' ||
import sys
sys.path.insert(0, sys.argv[2])
from api import Client
c = Client("127.0.0.1", int(sys.argv[1]))
c.login("adm", "adm-pass-123")
st, body = c.get("/api/v1/tenants/%s/cdr?limit=1" % sys.argv[3])
row = body["cdr"][0]
assert [r["path"] for r in row["recordings"]] == sys.argv[5:7], row
assert [r["n"] for r in row["recordings"]] == [1, 2], row
assert row["recording"] == sys.argv[5], row
st, wav, hdrs = c.request("GET", "/api/v1/tenants/%s/cdr/%d/recordings/2" % (sys.argv[3], row["id"]))
assert st == 200 and hdrs["content-type"] == "audio/wav", (st, hdrs)
open(sys.argv[4], "wb").write(wav)
st, _, _ = c.request("GET", "/api/v1/tenants/%s/cdr/%d/recordings/3" % (sys.argv[3], row["id"]))
assert st == 404, st
PY
	fail "the API does not list or serve both recordings"
if out=$(has_pair "$T_DIR/api2.wav" 900 1300); then
	pass "GET .../recordings/2 serves the second bridge's recording ($out)"
else
	fail "GET .../recordings/2 is not alice with carol: $out"
fi
stop_ondo
finish
