#!/bin/bash
# test_ringgroups.sh - ring groups in the panel with real phones: a group
# made in the page (bad values refused next to their fields), its members
# added in the page in ring order with 1002 ringing 5 s; alice (baresip)
# dials it, 1002's phone rings alone and stops after its 5 s, then 1003's
# rings and answers (auto) and hears her; 1004 never rings. Then the page
# moves 1003 first, removes 1002, changes the strategy and the fallback
# (the database agrees), shows the pages on a phone's screen, and deletes
# the group; the audit log has every change.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: a ring group made in the page rings real phones in turn"

DOM=acme.test
GROUP=600
web_start
web_has_endpoint GET "/api/v1/tenants/x.test/ringgroups" ||
	web_skip "this daemon has no API for ring groups (GET /api/v1/tenants/{t}/ringgroups): the test waits for it"
provision tenant add Acme "$DOM"
provision ext add "$DOM" 1001 --password 'pw-1001-rgweb' --name Alice
provision ext add "$DOM" 1002 --password 'pw-1002-rgweb' --name Bob
provision ext add "$DOM" 1003 --password 'pw-1003-rgweb' --name Carol
provision ext add "$DOM" 1004 --password 'pw-1004-rgweb' --name Dave

web_step ringgroups.mjs create || fatal "the group could not be made in the page"
check "the group is in the database as made in the page" \
	[ "$(sql "SELECT name, strategy, ring_time, timeout, fallback_type, fallback FROM ringgroups WHERE number = '$GROUP'")" = \
	  "Sales|sequential|20|40|voicemail|1004" ]
check "its members in the order added, 1002 with its own 5 s" \
	[ "$(sql "SELECT group_concat(x, ',') FROM (SELECT e.number || ':' || m.ring_time AS x
	         FROM ringgroup_members m JOIN extensions e ON e.id = m.ext_id ORDER BY m.position)")" = "1002:5,1003:0" ]
check "the daemon routes $GROUP to the group (ondoctl dialplan test)" \
	grep -q "ring group $GROUP: sequential, 2 members (1002 1003)" \
	<<<"$(ondoctl dialplan test "$DOM" $GROUP 2>&1)"

# ---- a real call to the group made in the page ----
tone() { sox -n -r 8000 -c 1 -b 16 "$1" synth 30 sine "$2" vol 0.5 pad 0 30; }
tone "$T_DIR/500.wav" 500
tone "$T_DIR/1300.wav" 1300
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-1001-rgweb" "$T_DIR/500.wav"
baresip_setup bob "<sip:1002@$DOM>;auth_pass=pw-1002-rgweb" "$T_DIR/1300.wav"
baresip_setup carol "<sip:1003@$DOM>;auth_pass=pw-1003-rgweb;answermode=auto" "$T_DIR/1300.wav"
baresip_setup dave "<sip:1004@$DOM>;auth_pass=pw-1004-rgweb;answermode=auto" "$T_DIR/1300.wav"
for p in alice bob carol dave; do
	baresip_start $p
	baresip_wait_registered $p || fatal "$p did not register:$(baresip_log_tail $p)"
done
pass "four phones registered"

baresip_cmd alice dial "sip:$GROUP@$DOM" >/dev/null || fatal "alice refused the dial command"
baresip_wait_log bob 15 'Incoming call' || fatal "1002 did not ring first:$(baresip_log_tail bob)"
t_bob=$(date +%s.%N)
check "1003 does not ring while 1002 does" [ "$(baresip_count carol 'Incoming call|Call established')" = 0 ]
baresip_wait_log carol 15 'Call established' ||
	fatal "1003 never answered after 1002's 5 s:$(baresip_log_tail carol)"
t_carol=$(date +%s.%N)
gap=$(awk -v a="$t_bob" -v b="$t_carol" 'BEGIN { printf "%.1f", b - a }')
check "1003 answered about 5 s after 1002 began to ring (${gap} s)" \
	awk -v g="$gap" 'BEGIN { exit !(g >= 4 && g <= 10) }'
check "1002 stopped ringing when its 5 s were up" \
	baresip_wait_log bob 5 'terminated|session closed|Call closed'
baresip_wait_log alice 10 'Call established' || fail "alice's call was not answered"
# what carol's phone received, in seconds (8 kHz 16-bit)
dec_secs() { local f; f=$(baresip_dec_wav carol); echo $(($(stat -c %s "${f:-/dev/null}" 2>/dev/null || echo 0) / 16000)); }
dec_3s() { [ "$(dec_secs)" -ge 3 ]; }
wait_until 15 dec_3s || fail "1003 recorded under 3 s of the call"
baresip_cmd alice hangup >/dev/null || true
baresip_wait_log carol 10 'terminated|session closed' || fail "1003's call still up after alice hung up"
if out=$("$PYTHON" "$TESTS_LIB/tone.py" --min-fraction 0.3 "$(baresip_dec_wav carol)" 500); then
	pass "1003 heard alice's 500 Hz tone: $out"
else
	fail "1003 did not hear alice: $out"
fi
check "1004 (not a member) never rang" [ "$(baresip_count dave 'Incoming call|Call established')" = 0 ]

# ---- the page changes the group ----
web_step ringgroups.mjs edit || true
check "the database has 1003 first (30 s) and 1002 gone, simultaneous, no fallback" \
	[ "$(sql "SELECT strategy || '|' || fallback_type || '|' FROM ringgroups")$(sql "SELECT group_concat(x, ',') FROM (SELECT e.number || ':' || m.ring_time AS x
	         FROM ringgroup_members m JOIN extensions e ON e.id = m.ext_id ORDER BY m.position)")" = "simultaneous||1003:30,1004:0" ]
web_step ringgroups.mjs phone || true
web_step ringgroups.mjs remove || true
check "the group is gone from the database" \
	[ "$(sql "SELECT count(*) FROM ringgroups") $(sql "SELECT count(*) FROM ringgroup_members")" = "0 0" ]
audit=$(sql "SELECT action || ' ' || object FROM audit_log")
check "the audit log has the group made, its members and settings changed, and its deletion" \
	sh -c 'for want in "POST /api/v1/tenants/$1/ringgroups ring group 600" \
		"PATCH /api/v1/tenants/$1/ringgroups/600 ring group 600" \
		"DELETE /api/v1/tenants/$1/ringgroups/600 ring group 600"; do
		echo "$2" | grep -q "$want" || { echo "       missing: $want"; exit 1; }
	done' _ "$DOM" "$audit"
for p in alice bob carol dave; do
	baresip_stop $p
done
stop_ondo
finish
