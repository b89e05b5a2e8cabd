#!/bin/bash
# test_forward.sh - forwarding and do-not-disturb in the panel, with real
# phones: 1002's own user refuses nothing the API refuses (a missing
# extension, itself, a number nothing routes, 3 s before a no-answer
# forward: each said next to its field), then forwards all calls to 1003
# and turns DND on in the page; alice (baresip) calls 1002 and carol
# (1003) answers, each hearing the other; an admin changes it all in the
# page (mailbox after 10 s, a number when unregistered, DND off); the
# database and the audit log follow.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
. "$TESTS_LIB/fwd.sh"
test_init "panel: forwarding and do-not-disturb set in the page, used by a call"

FWD_DOM=acme.test
web_start
provision tenant add Acme "$FWD_DOM"
fwd_exts 1001 1002 1003
provision route add "$FWD_DOM" 600 echo
provision user add ub --role user --tenant "$FWD_DOM" --ext 1002 --password ub-pass-123
fwd_phone alice 1001 600
fwd_phone bob 1002 1300
fwd_phone carol 1003 900 auto
pass "alice (1001), bob (1002) and carol (1003, answers) registered"

fwds() {
	sql "SELECT group_concat(f.kind || ':' || f.dest_type || ':' || f.dest || ':' || f.after_s, ' ')
	     FROM (SELECT * FROM ext_forwards ORDER BY kind) f
	     JOIN extensions e ON e.id = f.ext_id WHERE e.number = '1002'"
}
dnd() { sql "SELECT dnd FROM extensions WHERE number = '1002'"; }

web_step forward.mjs user 1002 || true
check "the refused forms stored nothing, the good one always:1003 and DND ('$(fwds)', dnd $(dnd))" \
	[ "$(fwds)" = "always:extension:1003:0" -a "$(dnd)" = 1 ]
fwd_lands alice 600 1002 carol 900 "after the user's change in the page, a call to 1002"
check "bob's phone did not ring" [ "$(fwd_rings bob)" = 0 ]

web_step forward.mjs admin 1002 || true
check "the admin's change is stored ('$(fwds)', dnd $(dnd))" \
	[ "$(fwds)" = "noanswer:voicemail:1002:10 unregistered:number:600:0" -a "$(dnd)" = 0 ]
web_step forward.mjs narrow 1002 || true
check "the audit log has the user's and the admin's changes" \
	[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'PATCH /api/v1/tenants/$FWD_DOM/extensions/1002' AND username IN ('ub', 'root')")" -ge 2 ]
stop_ondo
finish
