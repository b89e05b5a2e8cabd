#!/bin/bash
# test_rooms.sh - conference rooms in the panel with real phones: a room
# made in the page (bad values refused next to their fields) and renamed;
# two baresip phones enter it with their PINs (1001 as moderator) and
# appear in the open room page; the page mutes 1002 and removes 1001
# (ondoctl conf members and the phone agree: 1002 muted, 1001's call
# ended) and locks the room (ondoctl conf live says locked, and a member
# PIN no longer gets in), then unlocks it; once the room is empty its
# recording plays in the page and is deleted; the room is deleted.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: conference rooms with real phones (members, mute, remove, lock, recording)"

DOM=acme.test
ROOM=800
web_start
web_has_endpoint GET "/api/v1/tenants/x.test/rooms/800/members" ||
	web_skip "this daemon has no live conference rooms in its API (GET /api/v1/tenants/{t}/rooms/{n}/members): the test waits for it"
provision tenant add Acme "$DOM"
provision ext add "$DOM" 1001 --password 'pw-1001-rooms' --name Alice
provision ext add "$DOM" 1002 --password 'pw-1002-rooms' --name Bob

web_step rooms.mjs create || fatal "the room could not be made in the page"
check "the room is in the database as made and changed in the page" \
	[ "$(sql "SELECT name, pin, mod_pin, max_members, wait_moderator, record FROM rooms WHERE number = '$ROOM'")" = \
	  "Monday call|2468|1357|12|0|1" ]

# 40 s of tone, then silence: a phone's call lasts as long as its file.
tone() { sox -n -r 8000 -c 1 -b 16 "$1" synth 40 sine "$2" vol 0.5 pad 0 50; }
tone "$T_DIR/500.wav" 500
tone "$T_DIR/900.wav" 900
baresip_setup alice "<sip:1001@$DOM>;auth_pass=pw-1001-rooms" "$T_DIR/500.wav"
baresip_setup bob "<sip:1002@$DOM>;auth_pass=pw-1002-rooms" "$T_DIR/900.wav"
for p in alice bob; do
	baresip_start $p
	baresip_wait_registered $p || fatal "$p did not register:$(baresip_log_tail $p)"
done

# entered CALLER: how often the daemon logged CALLER entering the room.
# enter PHONE PIN [CALLS]: dials the room, waits for the answer (the
# phone's CALLS-th, default 1) and keys the PIN.
entered() { grep -cE "$1 entered room $ROOM" "$ONDO_LOG" || true; }
enter() {
	baresip_cmd "$1" dial "sip:$ROOM@$DOM" >/dev/null || fatal "$1 refused the dial command"
	baresip_wait_log "$1" 10 'Call established' "${3:-1}" ||
		fatal "$1: room $ROOM did not answer:$(baresip_log_tail "$1")"
	sleep 0.5
	baresip_keys "$1" "$2#"
}

# ---- the room's page watches the phones come in, mutes, removes, locks ----
web_step_bg rooms.mjs live
web_wait_signal ready || fatal "the room's page did not open"
enter alice 1357
wait_until 15 sh -c "grep -q '1001 entered room $ROOM as moderator' '$ONDO_LOG'" ||
	fail "1001 was not let in as a moderator with the moderator PIN:$(echo; grep -E ' room ' "$ONDO_LOG" | tail -5 | sed 's/^/       /')"
enter bob 2468
wait_until 15 sh -c "grep -qE '1002 entered room $ROOM \\(' '$ONDO_LOG'" ||
	fail "1002 was not let in with the member PIN"

members() { ondoctl conf members "$DOM" $ROOM 2>&1; }
no_1001() { ! members | grep -qE '^ *[0-9]+ +1001 '; }
if web_wait_signal muted 40; then
	m=$(members)
	check "ondoctl conf members shows 1002 muted by the page:$(echo; echo "$m" | sed 's/^/       /')" \
		grep -qE '^ *[0-9]+ +1002 .*muted' <<<"$m"
	out=$(web_api POST "/api/v1/tenants/$DOM/rooms/$ROOM/members/999/mute" 2>&1) && rc=0 || rc=$?
	check "the API refuses to mute a member the open room does not have ($out)" \
		sh -c "[ $rc -ne 0 ] && echo \"\$1\" | grep -q 'no member 999'" _ "$out"
fi
if web_wait_signal kicked 40; then
	check "1001's call ended when the page removed it" \
		baresip_wait_log alice 10 'terminated|session closed'
	check "ondoctl conf members no longer lists 1001" \
		wait_until 5 no_1001
fi
if web_wait_signal locked 40; then
	live=$(ondoctl conf live "$DOM" 2>&1)
	check "ondoctl conf live shows room $ROOM locked by the page:$(echo; echo "$live" | sed 's/^/       /')" \
		grep -qE "$DOM +$ROOM +1 +locked" <<<"$live"
fi
web_step_wait || true

# The lock holds: 1001 calls again with the member PIN and is turned away.
n=$(entered 1001)
enter alice 2468 2
check "the locked room turned 1001 away with a member PIN (its call ended)" \
	baresip_wait_log alice 15 'terminated|session closed' 2
check "  and did not let it in" [ "$(entered 1001)" = "$n" ]

web_step rooms.mjs unlock || true
check "ondoctl conf live shows the room open again" \
	grep -qE "$DOM +$ROOM +1 +open" <<<"$(ondoctl conf live "$DOM" 2>&1)"
web_step rooms.mjs phone || true

# ---- the last one leaves: the room's recording is listed ----
baresip_cmd bob hangup >/dev/null
baresip_wait_log bob 10 'terminated|session closed' || fail "bob's call did not end on his hangup"
wait_sql 10 "SELECT count(*) FROM room_recordings" 1 ||
	fatal "no recording of the room was listed after the last one left"
wav=$T_DIR/ondo/spool/$(sql "SELECT path FROM room_recordings")
check "the room's recording is a WAV in the spool" [ -s "$wav" ]
web_step rooms.mjs recordings || true
check "deleting the recording in the page removed its row and its file" \
	sh -c "[ \"\$(sqlite3 '$ONDO_DB' 'SELECT count(*) FROM room_recordings')\" = 0 ] && [ ! -e '$wav' ]"

web_step rooms.mjs remove || true
check "the room is gone from the database" \
	[ "$(sql "SELECT count(*) FROM rooms")" = 0 ]
audit=$(sql "SELECT action || ' ' || object FROM audit_log")
check "the audit log has the room made, changed, its member muted and removed, the lock, the recording and the deletion" \
	sh -c 'for want in "POST /api/v1/tenants/$1/rooms room 800" \
		"PATCH /api/v1/tenants/$1/rooms/800 room 800" \
		"/members/[0-9]*/mute room 800 member [0-9]* (1002)" \
		"DELETE /api/v1/tenants/$1/rooms/800/members/[0-9]* room 800 member [0-9]* (1001)" \
		"/rooms/800/lock room 800" "/rooms/800/unlock room 800" \
		"DELETE /api/v1/tenants/$1/room-recordings/[0-9]* room recording" \
		"DELETE /api/v1/tenants/$1/rooms/800 room 800"; do
		echo "$2" | grep -q "$want" || { echo "       missing: $want"; exit 1; }
	done' _ "$DOM" "$audit"
baresip_stop alice
baresip_stop bob
stop_ondo
finish
