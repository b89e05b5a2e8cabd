#!/bin/bash
# test_tenant_move.sh - a tenant moved from one node to another with
# `ondoctl tenant export` and `tenant import` (docs/tenant-move.md): every
# row and every file arrives, ids aside; a phone registers on the new node
# with its old password while that node's daemon keeps running; a second
# import, a truncated archive and hand-made archives with unsafe entries
# are refused with nothing changed.
. "$(dirname "$0")/../lib/common.sh"
test_init "tenant export and import"

DOM=acme.test
PW1='pw-1001-move-secret'

# ---- node A: a tenant with a bit of everything ----
start_ondo "$T_DIR/a"
A_SPOOL=$T_DIR/a/spool
provision tenant add Acme "$DOM"
provision ext add "$DOM" 1001 --password "$PW1" --name Alice
provision ext add "$DOM" 1002 --password 'pw-1002-move-secret'
provision ext add "$DOM" 1003 --password 'pw-1003-move-secret'
provision ringgroup add "$DOM" 600 --name Sales --members 1001,1002 \
	--strategy sequential --fallback voicemail:1001
sox -n -r 8000 -c 1 -b 16 -t wav "$T_DIR/tone.wav" synth 1.5 sine 440
sox -n -r 8000 -c 1 -b 16 -t wav "$T_DIR/greet.wav" synth 1 sine 660
provision prompt upload "$DOM" welcome "$T_DIR/tone.wav"
provision ivr add "$DOM" main --greeting welcome
provision ivr option "$DOM" main 1 extension 1001
provision route add "$DOM" 500 ivr main
provision did add "$DOM" +4930555000 extension 1001
provision conf add "$DOM" 800 --pin 1234
provision ext fwd "$DOM" 1003 busy 1002
provision user add boss --role admin --tenant "$DOM" --password 'boss-pw-long-1'
provision vm greeting "$DOM" 1001 --set unavail "$T_DIR/greet.wav"
BOX=$A_SPOOL/tenants/$DOM/vm/1001
mkdir -p "$BOX/new" "$A_SPOOL/tenants/$DOM/recordings/2026" "$A_SPOOL/rooms/$DOM"
sox -n -r 8000 -c 1 -b 16 -t wav "$BOX/new/1700000000-aaaa.wav" synth 2 sine 440
provision vm reconcile --min-age 0
cp "$T_DIR/tone.wav" "$A_SPOOL/tenants/$DOM/recordings/2026/call-1.wav"
cp "$T_DIR/tone.wav" "$A_SPOOL/rooms/$DOM/800-1700000000.wav"
# A write in progress is not part of the tenant yet.
cp "$T_DIR/tone.wav" "$BOX/new/1700000100-bbbb.wav.part-Xy12Zq"
sql "INSERT INTO cdr (tenant_id, call_id, caller, callee, start_us, end_us,
	disposition, recording) SELECT id, 'c1', '1001', '1002', 1700000000000000,
	1700000010000000, 'ANSWERED', 'tenants/$DOM/recordings/2026/call-1.wav'
	FROM tenants WHERE domain = '$DOM';
INSERT INTO recordings (tenant_id, cdr_id, seq, path, started_us)
	SELECT tenant_id, id, 1, recording, start_us FROM cdr WHERE call_id = 'c1';
INSERT INTO cdr (tenant_id, call_id, caller, callee, start_us, end_us,
	disposition, caller_jitter_ms) SELECT id, 'c2', '1002', '1001',
	1700000100000000, 1700000101000000, 'NO ANSWER', 2.5
	FROM tenants WHERE domain = '$DOM';
INSERT INTO room_recordings (tenant_id, room, path, started, duration_s)
	SELECT id, '800', 'rooms/$DOM/800-1700000000.wav', 1700000000, 1
	FROM tenants WHERE domain = '$DOM';"
A_DB=$ONDO_DB
A_CONF=$ONDO_CONF

# ---- export, with node A's daemon running ----
rc=0; out=$(ondoctl tenant export "$DOM" "$T_DIR/acme.tar" 2>&1) || rc=$?
check "tenant export succeeds ($out)" [ "$rc" = 0 ]
check "export prints what went in" grep -q "tenant $DOM exported to .*rows, 5 files" <<<"$out"
check "no temporary file is left beside the archive" \
	[ -z "$(find "$T_DIR" -maxdepth 1 -name 'acme.tar.tmp-*')" ]
check "the archive is a tar that tar(1) lists" tar tf "$T_DIR/acme.tar" manifest.json
check "the unfinished .part file stayed out" \
	sh -c "! tar tf '$T_DIR/acme.tar' | grep -q part-"

rc=0; out=$(ondoctl tenant export nope.test "$T_DIR/nope.tar" 2>&1) || rc=$?
check "export of an unknown domain fails ($out)" [ "$rc" = 1 ]
check "and says there is no such tenant" grep -q "no tenant nope.test" <<<"$out"
check "and writes no file" [ ! -e "$T_DIR/nope.tar" ]

# ---- node B: another node, its daemon already running ----
ondo_select b
start_ondo "$T_DIR/b"
B_SPOOL=$T_DIR/b/spool
# Ids on B differ from A's: another tenant takes the first ones.
provision tenant add Other other.test
provision ext add other.test 1001 --password 'pw-other-1001-x'
provision ext add other.test 1002 --password 'pw-other-1002-x'

rc=0; out=$(ondoctl tenant import "$T_DIR/acme.tar" 2>&1) || rc=$?
check "tenant import succeeds ($out)" [ "$rc" = 0 ]

"$PYTHON" "$TESTS_LIB/tenant_rows.py" "$A_DB" "$DOM" | grep -v '^audit' >"$T_DIR/rows.a"
"$PYTHON" "$TESTS_LIB/tenant_rows.py" "$ONDO_DB" "$DOM" | grep -v '^audit' >"$T_DIR/rows.b"
n=$(wc -l <"$T_DIR/rows.a")
if [ "$n" -gt 30 ] && cmp -s "$T_DIR/rows.a" "$T_DIR/rows.b"; then
	pass "all $n rows of $DOM are the same on both nodes (ids aside)"
else
	fail "rows differ between the nodes ($n on A):$(echo; diff "$T_DIR/rows.a" "$T_DIR/rows.b" | head -20 | sed 's/^/       /')"
fi
"$PYTHON" "$TESTS_LIB/tenant_rows.py" "$A_DB" "$DOM" | grep '^audit' >"$T_DIR/audit.a"
"$PYTHON" "$TESTS_LIB/tenant_rows.py" "$ONDO_DB" "$DOM" | grep '^audit' >"$T_DIR/audit.b"
check "the audit log of $DOM came along" \
	sh -c "[ -z \"\$(comm -23 '$T_DIR/audit.a' '$T_DIR/audit.b')\" ] && [ -s '$T_DIR/audit.a' ]"
for t in extensions vm_messages ringgroup_members ivr_options cdr recordings \
	room_recordings web_users dids; do
	[ "$(sql "SELECT count(*) FROM $t")" -gt 0 ] ||
		fail "table $t has no rows on B: the test data missed it"
done
check "A's extension ids are not B's (ids were remapped)" \
	[ "$(sql "SELECT min(e.id) FROM extensions e JOIN tenants t ON t.id = e.tenant_id WHERE t.domain = '$DOM'")" = 3 ]

(cd "$A_SPOOL" && find "tenants/$DOM" "rooms/$DOM" -type f ! -name '*.part-*' | sort) >"$T_DIR/files.a"
(cd "$B_SPOOL" && find "tenants/$DOM" "rooms/$DOM" -type f | sort) >"$T_DIR/files.b"
same=1
while read -r f; do
	cmp -s "$A_SPOOL/$f" "$B_SPOOL/$f" || { same=0; fail "file $f differs or is missing on B"; }
done <"$T_DIR/files.a"
if [ "$same" = 1 ] && [ "$(wc -l <"$T_DIR/files.a")" = 5 ] &&
	cmp -s "$T_DIR/files.a" "$T_DIR/files.b"; then
	pass "all 5 files (prompt, greeting, message, call and room recordings) of $DOM are on B, byte for byte, and nothing else"
else
	fail "the files differ:$(echo; diff "$T_DIR/files.a" "$T_DIR/files.b" | sed 's/^/       /')"
fi
check "no staging folder is left in B's spool" \
	[ -z "$(find "$B_SPOOL" -maxdepth 1 -name '.import-*')" ]

# ---- the running daemon serves it: a phone registers with its password ----
port=$(free_port)
sipp_register reg1001 "$port" 1001 "$PW1" 300 &&
	pass "1001@$DOM registers on node B with its old password (200)"
check "node B lists the registration" \
	wait_until 5 sh -c "'$ONDOCTL_BIN' -c '$ONDO_CONF' reg list '$DOM' | grep -q 127.0.0.1:$port"
rc=0; out=$(curl -s -o /dev/null -w '%{http_code}' -X POST \
	-H 'Content-Type: application/json' \
	-d '{"username":"boss","password":"boss-pw-long-1"}' \
	"http://127.0.0.1:$ONDO_HTTP_PORT/api/v1/login") || rc=$?
check "web user boss logs in on node B with the old password ($out)" [ "$out" = 200 ]

# ---- again: refused, nothing changed ----
snapshot() {
	"$PYTHON" "$TESTS_LIB/tenant_rows.py" "$ONDO_DB" "$DOM" | grep -v '^audit'
	sql "SELECT count(*) FROM tenants; SELECT count(*) FROM extensions"
	(cd "$B_SPOOL" && find . -type f | sort | xargs md5sum)
}
snapshot >"$T_DIR/before"
rc=0; out=$(ondoctl tenant import "$T_DIR/acme.tar" 2>&1) || rc=$?
check "a second import is refused ($out)" [ "$rc" = 1 ]
check "it says the tenant exists" grep -q "tenant $DOM already exists" <<<"$out"
snapshot >"$T_DIR/after"
check "and changed nothing on B" cmp -s "$T_DIR/before" "$T_DIR/after"

# ---- the same over REST: download from A, upload to B ----
A_HTTP=$ONDO_SAVED_main_ONDO_HTTP_PORT
"$ONDOCTL_BIN" -c "$A_CONF" user add root --role superadmin --password 'root-pass-long-1' >/dev/null
provision user add root --role superadmin --password 'root-pass-long-1'
provision user add oadm --role admin --tenant other.test --password 'oadm-pass-long-1'
provision tenant del "$DOM"
check "tenant del took $DOM's folders on B (tenants/ and rooms/)" \
	[ ! -e "$B_SPOOL/tenants/$DOM" ] && [ ! -e "$B_SPOOL/rooms/$DOM" ]
rc=0
out=$("$PYTHON" - "$A_HTTP" "$ONDO_HTTP_PORT" "$TESTS_LIB" "$DOM" <<'PY' 2>&1) || rc=$?
import sys
sys.path.insert(0, sys.argv[3])
from api import Client
a_port, b_port, dom = int(sys.argv[1]), int(sys.argv[2]), sys.argv[4]
a = Client("127.0.0.1", a_port)
assert a.login("root", "root-pass-long-1")[0] == 200
st, tar, h = a.request("GET", "/api/v1/tenants/%s/archive" % dom)
print("download", st, h.get("content-type"), len(tar))
b = Client("127.0.0.1", b_port)
assert b.login("oadm", "oadm-pass-long-1")[0] == 200
st, body, _ = b.request("POST", "/api/v1/tenant-import", raw=tar,
                        headers={"Content-Type": "application/x-tar"})
print("admin", st)
b = Client("127.0.0.1", b_port)
assert b.login("root", "root-pass-long-1")[0] == 200
st, body, _ = b.request("POST", "/api/v1/tenant-import", raw=tar,
                        headers={"Content-Type": "application/x-tar"})
print("upload", st, body.get("domain"), body.get("files"))
st, body, _ = b.request("POST", "/api/v1/tenant-import", raw=tar,
                        headers={"Content-Type": "application/x-tar"})
print("again", st, body.get("error"))
# Deleted over REST, its files go too: the same archive goes in again.
st, _ = b.delete("/api/v1/tenants/%s" % dom)
print("delete", st)
st, body, _ = b.request("POST", "/api/v1/tenant-import", raw=tar,
                        headers={"Content-Type": "application/x-tar"})
print("reimport", st, body.get("domain"), body.get("files"))
PY
info "REST: $(tr '\n' ';' <<<"$out")"
check "GET .../archive as superadmin on A gives a tar" grep -q "^download 200 application/x-tar" <<<"$out"
check "POST /api/v1/tenant-import as a tenant admin: 403" grep -q "^admin 403" <<<"$out"
check "POST /api/v1/tenant-import as superadmin on B: 201" grep -q "^upload 201 $DOM 5" <<<"$out"
check "the same upload again: 409" grep -q "^again 409 tenant $DOM already exists" <<<"$out"
check "DELETE over REST: 204" grep -q "^delete 204" <<<"$out"
check "after a REST delete the archive imports again, files and all (no file left in its way)" \
	grep -q "^reimport 201 $DOM 5" <<<"$out"
"$PYTHON" "$TESTS_LIB/tenant_rows.py" "$A_DB" "$DOM" | grep -v '^audit' >"$T_DIR/rows.a"
"$PYTHON" "$TESTS_LIB/tenant_rows.py" "$ONDO_DB" "$DOM" | grep -v '^audit' >"$T_DIR/rows.b"
check "after the REST import too, every row of $DOM is the same on both nodes" \
	cmp -s "$T_DIR/rows.a" "$T_DIR/rows.b"
(cd "$B_SPOOL" && find "tenants/$DOM" "rooms/$DOM" -type f | sort) >"$T_DIR/files.b"
check "and every file is back" cmp -s "$T_DIR/files.a" "$T_DIR/files.b"

# ---- node C (ondoctl only): damaged and hostile archives ----
C=$T_DIR/c
mkdir -p "$C/spool"
printf '[db]\npath = %s\n[spool]\ndir = %s\n[ctl]\nsocket = %s\n[log]\nlevel = warn\n' \
	"$C/ondo.db" "$C/spool" "$C/ondo.sock" >"$C/ondo.conf"
cctl() { "$ONDOCTL_BIN" -c "$C/ondo.conf" "$@"; }
c_empty() {
	[ "$(sqlite3 "$C/ondo.db" 'SELECT count(*) FROM tenants')" = 0 ] &&
		[ -z "$(find "$C/spool" -mindepth 1)" ]
}

size=$(stat -c %s "$T_DIR/acme.tar")
for cut in 700 $((size / 2)) $((size - 1024 - 10)); do
	head -c "$cut" "$T_DIR/acme.tar" >"$T_DIR/cut.tar"
	rc=0; out=$(cctl tenant import "$T_DIR/cut.tar" 2>&1) || rc=$?
	check "an archive cut at $cut of $size bytes is refused ($out)" [ "$rc" = 1 ]
	check "  saying it is truncated" grep -q "truncated" <<<"$out"
	check "  leaving no tenant and no file on the node" c_empty
done

"$PYTHON" - "$T_DIR/acme.tar" "$T_DIR" <<'PY'
import io, sys, tarfile
src, out = sys.argv[1], sys.argv[2]
manifest = tarfile.open(src).extractfile("manifest.json").read()
def make(name, add):
    with tarfile.open(f"{out}/{name}.tar", "w", format=tarfile.USTAR_FORMAT) as t:
        i = tarfile.TarInfo("manifest.json"); i.size = len(manifest)
        t.addfile(i, io.BytesIO(manifest))
        add(t)
def dotdot(t):
    i = tarfile.TarInfo("../x"); i.size = 3
    t.addfile(i, io.BytesIO(b"bad"))
def absolute(t):
    i = tarfile.TarInfo("/tmp/ondo-move-abs"); i.size = 3
    t.addfile(i, io.BytesIO(b"bad"))
def symlink(t):
    i = tarfile.TarInfo("spool/tenants/acme.test/prompts/x.wav")
    i.type = tarfile.SYMTYPE; i.linkname = "/etc/passwd"
    t.addfile(i)
def other(t):
    i = tarfile.TarInfo("spool/tenants/other.test/prompts/x.wav"); i.size = 3
    t.addfile(i, io.BytesIO(b"bad"))
make("dotdot", dotdot); make("absolute", absolute)
make("symlink", symlink); make("other", other)
PY
for bad in dotdot:'unsafe path' absolute:'unsafe path' symlink:'symbolic link' \
	other:'not in the folders of tenant acme.test'; do
	name=${bad%%:*} says=${bad#*:}
	rc=0; out=$(cctl tenant import "$T_DIR/$name.tar" 2>&1) || rc=$?
	check "archive with a $name entry is refused ($out)" [ "$rc" = 1 ]
	check "  saying: $says" grep -q "$says" <<<"$out"
	check "  leaving no tenant and no file on the node" c_empty
done
check "nothing was written outside the spool" [ ! -e "$C/x" ] && [ ! -e "$T_DIR/x" ]

stop_ondo
ondo_select main
stop_ondo
finish
