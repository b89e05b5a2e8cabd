#!/bin/bash
# test_unregister.sh - "Expires: 0" removes one contact; "Contact: *" with
# "Expires: 0" removes every contact of the extension.
. "$(dirname "$0")/../lib/common.sh"
test_init "unregister: Expires 0 and Contact *"

DOM=t1.test
PW='pw-unreg-1001'
start_ondo
provision tenant add t1 "$DOM"
provision ext add "$DOM" 1001 --password "$PW"

listed() { ondoctl reg list "$DOM" 2>/dev/null | grep -q "127.0.0.1:$1"; }
not_listed() { ! listed "$1"; }
reg_rows_zero() { [ "$(sql 'SELECT count(*) FROM registrations')" = 0 ]; }

# One contact, removed with Expires: 0 from the same address.
p1=$(free_port)
sipp_register reg1 "$p1" 1001 "$PW" 300 || true
check "reg list shows 1001 at 127.0.0.1:$p1 after registering" \
	wait_until 5 listed "$p1"

sipp_register unreg1 "$p1" 1001 "$PW" 0 || true
if wait_until 5 not_listed "$p1"; then
	pass "after Expires: 0, reg list no longer shows 127.0.0.1:$p1"
else
	fail "1001 still listed at 127.0.0.1:$p1 after Expires: 0:$(echo; ondoctl reg list "$DOM" 2>&1 | sed 's/^/       /')"
fi
check "registrations table is empty after Expires: 0" wait_until 5 reg_rows_zero

# Two contacts, both removed with one "Contact: *".
p2=$(free_port)
p3=$(free_port)
sipp_register reg2 "$p2" 1001 "$PW" 300 || true
sipp_register reg3 "$p3" 1001 "$PW" 300 || true
if wait_until 5 listed "$p2" && wait_until 5 listed "$p3"; then
	pass "reg list shows both contacts of 1001 (ports $p2 and $p3)"
else
	fail "reg list does not show both contacts $p2 and $p3:$(echo; ondoctl reg list "$DOM" 2>&1 | sed 's/^/       /')"
fi

p4=$(free_port)
sipp_run star unregister_all.xml -p "$p4" -key user 1001 -au 1001 -ap "$PW"
if [ "$SIPP_RC" -eq 0 ]; then
	pass "REGISTER with Contact: * and Expires: 0 got 401, then 200"
else
	fail "REGISTER with Contact: * was not accepted (sipp exit $SIPP_RC):$(echo; sipp_why star)"
fi
if wait_until 5 not_listed "$p2" && wait_until 5 not_listed "$p3"; then
	pass "after Contact: *, reg list shows no contact of 1001"
else
	fail "contacts of 1001 survive Contact: *:$(echo; ondoctl reg list "$DOM" 2>&1 | sed 's/^/       /')"
fi
check "registrations table is empty after Contact: *" wait_until 5 reg_rows_zero

stop_ondo
finish
