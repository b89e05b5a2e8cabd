#!/bin/bash
# test_cluster.sh - Ondo past one machine (issue 11, docs/scale-out.md):
# a Kamailio front (deploy/kamailio/ondo-front.cfg) and two Ondo nodes,
# each a host of its own in a network namespace, with phones (baresip) on
# hosts of their own. Tenant a.test and c.test live on node 1, b.test on
# node 2.
#   1. The nodes' ondoctl fills the front's tenant table.
#   2. Phones of a.test and b.test register through the front, with a Path
#      the node keeps; each pair calls within its tenant, tones both ways
#      (media anchored on the owning node, not on the front).
#   3. While b.test's call goes on, a.test moves to node 2: export on node
#      1, import on node 2 (the table switches), delete on node 1. a.test's
#      phones re-register with their unchanged config and call again, now
#      through node 2; b.test's call never noticed (tones all through).
#   4. Node 1 stops: c.test (still on it) answers 503 through the front;
#      a.test and b.test (node 2) still answer.
. "$(dirname "$0")/../lib/common.sh"
. "$TESTS_LIB/netns.sh"
test_init "tenants on two nodes behind a Kamailio front"

command -v kamailio >/dev/null ||
	{ echo "SKIP: kamailio not installed (apt-get install kamailio kamailio-sqlite-modules)"; exit 77; }
netns_init

NET=10.77.0
FRONT=$NET.1
SECRET=test-secret-$$
netns_host front $FRONT/24
netns_host n1 $NET.11/24
netns_host n2 $NET.12/24
for h in a1:21 a2:22 b1:31 b2:32 c1:41; do
	netns_host "${h%:*}" "$NET.${h#*:}/24"
done
# a3 sits behind a NAT router (its public address $NET.50).
command -v nft >/dev/null || fatal "nft not found (apt-get install nftables)"
netns_nat_host a3 192.168.77.2 nat $NET.50/24
pass "test network: front, 2 nodes, 5 phones and one behind NAT, each on its own address"

# ---- the front ----------------------------------------------------------
KD=$T_DIR/front
mkdir -p "$KD"
cp "$SRC_ROOT/deploy/kamailio/ondo-front.cfg" "$KD/"
cat >"$KD/ondo-front-local.cfg" <<EOF
listen=udp:$FRONT:5060
listen=tcp:$FRONT:5060
listen=tcp:$FRONT:5080
#!substdef "!ONDO_API_PORT!5080!g"
#!substdef "!ONDO_API_SECRET!$SECRET!g"
#!substdef "!ONDO_DB!$KD/front.db!g"
#!substdef "!ONDO_NODES!$KD/nodes.list!g"
#!substdef "!ONDO_RUNDIR!$KD!g"
EOF
printf '1 sip:%s.11:5060\n2 sip:%s.12:5060\n' $NET $NET >"$KD/nodes.list"
# Started as a simple command, not through in_host (a function: run in
# the background it would be a subshell, and $! not kamailio's PID).
nsenter --net="/run/netns/$(netns_of front)" -- kamailio -DD -E \
	-f "$KD/ondo-front.cfg" -Y "$KD" -m 64 -M 8 >"$KD/kamailio.log" 2>&1 &
KAM_PID=$!
track_pid $KAM_PID
wait_until 10 grep -q "tenants loaded" "$KD/kamailio.log" ||
	fatal "kamailio did not start:$(tail -n 15 "$KD/kamailio.log" | sed 's/^/       /')"
pass "kamailio front up on $FRONT"

# ---- the nodes ----------------------------------------------------------
declare -A NODE_PID=()
# node_start N: node N (host nN, address .1N) with its own database and
# spool, behind the front.
node_start() {
	local n=$1 d=$T_DIR/n$1 ip=$NET.1$1
	mkdir -p "$d/spool"
	[ -f "$d/ondo.conf" ] || cat >"$d/ondo.conf" <<EOF
; node $n of tests/netns/test_cluster.sh
[sip]
listen = $ip:5060
default_tenant = node$n.invalid
[rtp]
ports = 20000-20199
workers = 1
[db]
path = $d/ondo.db
[spool]
dir = $d/spool
[ctl]
socket = $d/ondo.sock
[http]
listen = $ip:8080
[log]
level = debug
[cluster]
front = $FRONT
node = $n
api = http://$FRONT:5080/ondo
api_secret = $SECRET
EOF
	nsenter --net="/run/netns/$(netns_of "n$n")" -- \
		"$ONDO_BIN" -c "$d/ondo.conf" >>"$d/ondo.log" 2>&1 &
	NODE_PID[$n]=$!
	track_pid $!
	wait_until 10 grep -q 'INFO main ready' "$d/ondo.log" ||
		fatal "node $n did not start:$(tail -n 15 "$d/ondo.log" | sed 's/^/       /')"
}

# node_ctl N ARGS...: ondoctl of node N, run on its host (it reaches the
# front's table API from there).
node_ctl() {
	local n=$1
	shift
	in_host "n$n" "$ONDOCTL_BIN" -c "$T_DIR/n$n/ondo.conf" "$@"
}

node_sql() {
	sqlite3 -batch -noheader -cmd '.timeout 2000' "$T_DIR/n$1/ondo.db" "$2"
}

# node_stop N: SIGTERM; it must stop by itself and leave no sanitizer
# report.
node_stop() {
	local n=$1 pid=${NODE_PID[$1]} i rc=0
	kill -TERM "$pid"
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null && fail "node $n did not stop within 10 s"
	wait "$pid" || rc=$?
	untrack_pid "$pid"
	check "node $n stopped cleanly (status $rc)" [ "$rc" -eq 0 ]
	check "node $n: no sanitizer report" \
		sh -c "! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' '$T_DIR/n$n/ondo.log'"
}

node_start 1
node_start 2
pass "two Ondo nodes up on $NET.11 and $NET.12"

# ---- tenants, and the front's table -------------------------------------
out=$(node_ctl 1 tenant add A a.test 2>&1) || fatal "tenant add on node 1: $out"
check "ondoctl tenant add says the front now sends a.test to node 1" \
	grep -q 'front: a.test -> node 1' <<<"$out"
node_ctl 1 tenant add C c.test >/dev/null || fatal "tenant add c.test"
node_ctl 2 tenant add B b.test >/dev/null || fatal "tenant add b.test"
for e in 1001 1002 1003; do
	node_ctl 1 ext add a.test $e --password "pw-$e-cluster" >/dev/null ||
		fatal "ext add $e"
done
node_ctl 1 ext add c.test 3001 --password pw-3001-cluster >/dev/null
for e in 2001 2002; do
	node_ctl 2 ext add b.test $e --password "pw-$e-cluster" >/dev/null
done
table=$(node_ctl 2 cluster list 2>&1 | sort | tr '\n' ',')
check "front table: a.test and c.test on node 1, b.test on node 2 (got '$table')" \
	[ "$table" = "a.test 1,b.test 2,c.test 1," ]
out=$(in_host n1 curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST \
	-H 'X-Ondo-Secret: wrong' \
	"http://$FRONT:5080/ondo/set?domain=a.test&node=2" 2>&1) || true
check "the table API refuses a wrong secret (HTTP $out)" [ "$out" = 403 ]

# ---- phones -------------------------------------------------------------
sox -n -r 8000 -c 1 -b 16 "$T_DIR/700.wav" synth 6 sine 700 vol 0.5 pad 0 80
sox -n -r 8000 -c 1 -b 16 "$T_DIR/1100.wav" synth 6 sine 1100 vol 0.5 pad 0 80
# b.test's call carries its tones through the whole move.
sox -n -r 8000 -c 1 -b 16 "$T_DIR/500.wav" synth 60 sine 500 vol 0.5 pad 0 30
sox -n -r 8000 -c 1 -b 16 "$T_DIR/1300.wav" synth 60 sine 1300 vol 0.5 pad 0 30

phone() { # NAME HOST IP EXT DOMAIN WAV [ANSWER]
	BS_NETNS=$(netns_of "$2") BS_IP=$3 BS_PROXY="sip:$FRONT:5060${TRANSPORT:+;transport=$TRANSPORT}" \
		baresip_setup "$1" "<sip:$4@$5>;auth_pass=pw-$4-cluster${7:+;answermode=auto}" "$6"
	baresip_start "$1"
}
phone pa1 a1 $NET.21 1001 a.test "$T_DIR/700.wav"
phone pa2 a2 $NET.22 1002 a.test "$T_DIR/1100.wav" auto
phone pa3 a3 192.168.77.2 1003 a.test "$T_DIR/1100.wav" auto
phone pb1 b1 $NET.31 2001 b.test "$T_DIR/500.wav"
# 2002 registers over TCP: calls reach it over the connection it opened
# to the front (the Path names it).
TRANSPORT=tcp phone pb2 b2 $NET.32 2002 b.test "$T_DIR/1300.wav" auto
for p in pa1 pa2 pa3 pb1 pb2; do
	baresip_wait_registered $p ||
		fatal "phone $p did not register through the front:$(baresip_log_tail $p)"
done
pass "five phones registered through the front"
n=$(node_sql 1 "SELECT count(*) FROM registrations r JOIN tenants t ON t.id = r.tenant_id WHERE t.domain = 'a.test' AND r.route LIKE '<sip:$FRONT%'" 2>&1 || true)
check "node 1 keeps a.test's phones with the front's Path as their route ($n of 3)" [ "$n" = 3 ]
route=$(node_sql 1 "SELECT route FROM registrations r JOIN extensions e ON e.id = r.ext_id WHERE e.number = '1003'")
check "node 1 keeps 1003's NAT address (the router's) in its Path ('$route')" \
	grep -q "^<sip:$FRONT.*received=sip:$NET.50:" <<<"$route"
route=$(node_sql 2 "SELECT route FROM registrations r JOIN extensions e ON e.id = r.ext_id WHERE e.number = '2002'")
check "node 2 keeps 2002's TCP connection in its Path ('$route')" \
	grep -qE "^<sip:$FRONT.*received=sip:$NET.32:[0-9]+(;|%3B)transport(=|%3D)tcp" <<<"$route"

# call PHONE_FROM PHONE_TO URI: dials and waits until both ends are up.
call() {
	local up='Call established' n1 n2
	n1=$(baresip_count "$1" "$up")
	n2=$(baresip_count "$2" "$up")
	baresip_cmd "$1" dial "$3" >/dev/null || fatal "$1 refused the dial command"
	baresip_wait_log "$1" 10 "$up" $((n1 + 1)) ||
		fatal "$1: call not established within 10 s:$(baresip_log_tail "$1")"
	baresip_wait_log "$2" 10 "$up" $((n2 + 1)) ||
		fatal "$2: call not established within 10 s:$(baresip_log_tail "$2")"
}
# hangup PHONE OTHER: one end hangs up, both see it end.
hangup() {
	local end='terminated|session closed' n1 n2
	n1=$(baresip_count "$1" "$end")
	n2=$(baresip_count "$2" "$end")
	baresip_cmd "$1" hangup >/dev/null || true
	baresip_wait_log "$1" 10 "$end" $((n1 + 1)) ||
		fail "$1: call still up 10 s after the hangup"
	baresip_wait_log "$2" 10 "$end" $((n2 + 1)) ||
		fail "$2: call still up 10 s after the hangup"
}

call pa1 pa2 sip:1002@a.test
pass "a.test: 1001 called 1002 through the front"
sleep 3
hangup pa1 pa2
baresip_heard pa2 700 1001
baresip_heard pa1 1100 1002
src=$(baresip_out pa1 | sed -n "s/.*incoming rtp for 'audio' established, receiving from \([0-9.]*\):.*/\1/p" | tail -n 1)
check "a.test's media is anchored on node 1 (1001 got RTP from '$src')" [ "$src" = $NET.11 ]

# A phone behind NAT: reached through the front at its router's address,
# and its RTP (from the router's address too) accepted by node 1.
call pa1 pa3 sip:1003@a.test
sleep 3
hangup pa1 pa3
baresip_heard pa3 700 "1001 (1003 behind NAT)"
baresip_heard pa1 1100 "1003 behind NAT"
wait_until 5 sh -c "[ \"\$(sqlite3 '$T_DIR/n1/ondo.db' \"SELECT count(*) FROM cdr WHERE disposition = 'ANSWERED'\")\" = 2 ]" &&
	pass "node 1 wrote both calls' CDRs" || fail "not 2 ANSWERED CDRs on node 1"

# ---- move a.test to node 2 while b.test talks ---------------------------
call pb1 pb2 sip:2002@b.test
t_b=$(date +%s)
# 2002's TCP port in the Path is the ephemeral one of its connection:
# nothing listens there, so the INVITE can only have come over it.
pass "b.test: 2001 called 2002 (node 2, 2002 over its TCP connection); the call stays up during the move"

node_ctl 1 tenant export a.test "$T_DIR/a.tar" >"$T_DIR/export.out" 2>&1 ||
	fatal "tenant export on node 1: $(cat "$T_DIR/export.out")"
out=$(node_ctl 2 tenant import "$T_DIR/a.tar" 2>&1) ||
	fatal "tenant import on node 2: $out"
check "import says the front now sends a.test to node 2" \
	grep -q 'front: a.test -> node 2' <<<"$out"
out=$(node_ctl 1 tenant del a.test 2>&1) || fatal "tenant del on node 1: $out"
table=$(node_ctl 1 cluster list 2>&1 | sort | tr '\n' ',')
check "front table after the move: a.test on node 2 (got '$table')" \
	[ "$table" = "a.test 2,b.test 2,c.test 1," ]

# The phones keep their config; a re-registration (here: the phone
# restarted) now reaches node 2.
for p in pa1 pa2; do
	baresip_stop $p
	: >"${BS_DIR[$p]}/out"
	baresip_start $p
	baresip_wait_registered $p ||
		fatal "phone $p did not register after the move:$(baresip_log_tail $p)"
done
pass "a.test's phones registered again, config unchanged"
n=$(node_sql 2 "SELECT count(*) FROM registrations r JOIN tenants t ON t.id = r.tenant_id WHERE t.domain = 'a.test'")
check "node 2 now holds a.test's registrations ($n of 2)" [ "$n" = 2 ]
call pa1 pa2 sip:1002@a.test
sleep 3
hangup pa1 pa2
baresip_heard pa2 700 "1001 (after the move)"
baresip_heard pa1 1100 "1002 (after the move)"
src=$(baresip_out pa1 | sed -n "s/.*incoming rtp for 'audio' established, receiving from \([0-9.]*\):.*/\1/p" | tail -n 1)
check "a.test's media is now anchored on node 2 (1001 got RTP from '$src')" [ "$src" = $NET.12 ]

# b.test's call went on all along.
t_end=$(date +%s)
check "b.test's call is still up after the move" \
	sh -c "[ $(baresip_count pb1 'terminated|session closed') -eq 0 ]"
hangup pb1 pb2
baresip_heard_window pb2 500 "2001 through the move" "$t_b" "$t_end"
baresip_heard_window pb1 1300 "2002 through the move" "$t_b" "$t_end"

# ---- the REST API of a node keeps the table too -------------------------
node_ctl 2 user add root --role superadmin --password root-pass-cluster >/dev/null ||
	fatal "user add on node 2"
out=$(in_host n2 "$PYTHON" - "$TESTS_LIB" $NET.12 <<'PY' 2>&1
import sys
sys.path.insert(0, sys.argv[1])
from api import Client
c = Client(sys.argv[2], 8080)
c.login("root", "root-pass-cluster")
st, t = c.post("/api/v1/tenants", {"name": "D", "domain": "d.test"})
print("add", st)
st, j = c.get("/api/v1/cluster")
print("get", st, j.get("node"), sorted((r["domain"], r["node"]) for r in j.get("table", [])))
st, _ = c.request("DELETE", "/api/v1/tenants/d.test")[:2]
print("del", st)
st, j = c.get("/api/v1/cluster")
print("after", sorted((r["domain"], r["node"]) for r in j.get("table", [])))
PY
)
check "REST: a tenant added on node 2 is in the front's table (GET /api/v1/cluster)" \
	grep -q "^get 200 2 .*('d.test', 2)" <<<"$out"
check "REST: deleting it takes it off the table" \
	grep -q "^after \[('a.test', 2), ('b.test', 2), ('c.test', 1)\]$" <<<"$out"
[ "$T_FAILS" -eq 0 ] || info "REST exchange:$(echo; sed 's/^/       /' <<<"$out")"

# ---- node 1 down --------------------------------------------------------
node_stop 1
probe() { # DOMAIN USER: the final status of a REGISTER through the front
	in_host c1 "$PYTHON" "$TESTS_LIB/sip_status.py" $NET.41 "$FRONT" 5060 "$2" "$1" 4 || true
}
code=000
for ((i = 0; i < 50; i++)); do
	code=$(probe c.test 3001)
	[ "$code" = 503 ] && break
	sleep 0.2
done
check "c.test (node 1, stopped) answers 503 through the front (got $code)" [ "$code" = 503 ]
code=$(probe a.test 1001)
check "a.test (node 2) still answers: 401 challenge (got $code)" [ "$code" = 401 ]
code=$(probe b.test 2001)
check "b.test (node 2) still answers: 401 challenge (got $code)" [ "$code" = 401 ]
code=$(probe nosuch.test 1)
check "an unknown domain gets 404 from the front (got $code)" [ "$code" = 404 ]

node_stop 2
finish
