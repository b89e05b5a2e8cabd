#!/bin/bash
# test_reload.sh - `ondoctl reload` and SIGHUP while a call is up: the log
# level, the default tenant and the flood limit change at once and work
# (a REGISTER to the server's address lands in the new default tenant; a
# burst from one address is cut at the new rate); a changed listen address
# is named as waiting for the next start; a file with an error changes
# nothing; the call goes on through all of it and ends as its tenant's call
# length says.
. "$(dirname "$0")/../lib/common.sh"
test_init "reload: the config read again without dropping a call"

DOM=t1.test
ONDO_EXTRA_CONF=$'[security]\nreq_rate = 100'
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password pw-reload-1001
provision route add "$DOM" 600 echo
provision limits set "$DOM" --call-length 12

# register_ip NAME: 1001 registers at the server's address, not a domain:
# the default tenant decides where it lands.
register_ip() {
	DOM=127.0.0.1 sipp_run "$1" register.xml -p "$(free_port)" -key user 1001 \
		-key expires 60 -au 1001 -ap pw-reload-1001
}
# The calls as a good config's ondoctl sees them (the daemon's file is
# broken on purpose below, and ondoctl reads it too).
answered() {
	[ "$("$ONDOCTL_BIN" -c "$T_DIR/good.conf" calls 2>/dev/null | grep -c answered)" = 1 ]
}

register_ip before
check "before: a REGISTER to 127.0.0.1 finds no tenant (default.test)" [ "$SIPP_RC" -ne 0 ]

cp "$ONDO_CONF" "$T_DIR/good.conf"
t0=$(date +%s.%N)
sipp_bg held uac_held.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key user 1001 -key callee 600 -au 1001 -ap pw-reload-1001
wait_until 10 answered || fatal "the call to 600 was not answered: $(ondoctl calls 2>&1)"

# ---- ondoctl reload ----------------------------------------------------------
sed -i -e 's/^level = .*/level = warn/' \
	-e 's/^default_tenant = .*/default_tenant = t1.test/' \
	-e 's/^req_rate = .*/req_rate = 10/' \
	-e "s/^listen = 127.0.0.1:$ONDO_SIP_PORT\$/listen = 127.0.0.1:$(free_port)/" "$ONDO_CONF"
rc=0
out=$(ondoctl reload 2>&1) || rc=$?
info "ondoctl reload said:$(echo; sed 's/^/       /' <<<"$out")"
check "ondoctl reload succeeds (exit $rc)" [ "$rc" -eq 0 ]
check "it names the new log level" grep -qx "\[log\] level: debug -> warn" <<<"$out"
check "it names the new default tenant" \
	grep -qx "\[sip\] default_tenant: default.test -> t1.test" <<<"$out"
check "it names the new request rate" grep -qx "\[security\] req_rate: 100 -> 10" <<<"$out"
check "a new listen address waits for the next start" \
	grep -qx "\[sip\] listen: changed; takes effect at the next start" <<<"$out"
check "the call is still up" answered
n_info=$(grep -c ' INFO ' "$ONDO_LOG" || true)
register_ip after
check "a REGISTER to 127.0.0.1 now lands in t1.test and succeeds" [ "$SIPP_RC" -eq 0 ]
read -r _ _ _ c401 _ c503 _ _ <<<"$("$PYTHON" "$TESTS_LIB/sip_flood.py" "$ONDO_SIP_PORT" "$DOM" 127.0.0.5 60 1)"
check "a burst is cut at the new rate: 20 challenged, 40 refused (got $c401, $c503)" \
	[ "$c401" = 20 ] && [ "$c503" = 40 ]
check "the log is quiet at warn (no INFO line for the registration)" \
	[ "$(grep -c ' INFO ' "$ONDO_LOG" || true)" = "$n_info" ]

# ---- a broken file ---------------------------------------------------------------
# ondoctl reads its own copy (the daemon's file would stop it first).
echo "this line is not a setting" >>"$ONDO_CONF"
rc=0
out=$("$ONDOCTL_BIN" -c "$T_DIR/good.conf" reload 2>&1) || rc=$?
check "a broken file is refused (exit $rc): $out" \
	bash -c '[ "$1" -ne 0 ] && grep -q "ondo.conf:[0-9]*: .*; nothing changed" <<<"$2"' _ "$rc" "$out"
check "the daemon runs on" kill -0 "$ONDO_PID"
check "the call is still up" answered

# ---- SIGHUP ------------------------------------------------------------------------
cp "$T_DIR/good.conf" "$ONDO_CONF"
kill -HUP "$ONDO_PID"
wait_until 5 grep -q "reload: \[log\] level: warn -> debug" "$ONDO_LOG" ||
	fail "SIGHUP did not reload: $(tail -n 5 "$ONDO_LOG")"
check "SIGHUP put back the old rate" grep -q "reload: \[security\] req_rate: 10 -> 100" "$ONDO_LOG"
check "and did not stop the daemon" kill -0 "$ONDO_PID"
check "the call is still up" answered

sipp_wait held
took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
check "the call went on to its end at the call length of 12 s (took $took s)" \
	bash -c '[ "$1" -eq 0 ] && awk -v t="$2" "BEGIN { exit !(t >= 11.5 && t <= 16) }"' _ "$SIPP_RC" "$took"

calls_left
stop_ondo
finish
