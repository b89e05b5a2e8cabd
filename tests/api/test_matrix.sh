#!/bin/bash
# test_matrix.sh - the REST API's access policy as a matrix (matrix.py):
# every endpoint x every role (none, superadmin, tenant admin, extension
# user) x own and other tenant, over real HTTP to a daemon started here.
. "$(dirname "$0")/../lib/common.sh"
test_init "REST API: role x tenant matrix"

start_ondo
provision tenant add A a.test
provision tenant add B b.test
provision ext add a.test 1001 --password 'sip-pass-1001'
provision ext add a.test 1002 --password 'sip-pass-1002'
provision ext add b.test 2001 --password 'sip-pass-2001'
provision user add root --role superadmin --password root-pass-1
provision user add adma --role admin --tenant a.test --password adma-pass-1
provision user add ua --role user --tenant a.test --ext 1001 --password ua-pass-123
# One message in each box the matrix reads (a WAV indexed from the spool).
for box in a.test/vm/1001 a.test/vm/1002 b.test/vm/2001; do
	mkdir -p "$T_DIR/ondo/spool/tenants/$box/new"
	sox -n -r 8000 -c 1 -b 16 "$T_DIR/ondo/spool/tenants/$box/new/1700000000-00000000000000aa.wav" synth 2 sine 500
done
ondoctl vm reconcile --min-age 0 >/dev/null || fatal "vm reconcile failed"
# A shared trunk and one of each tenant's own, to change (port 9: the
# discard service, nobody answers; they authenticate by address).
provision trunk add --shared carrier --host 127.0.0.1 --port 9 --auth ip
for t in a.test b.test; do
	provision trunk add "$t" own --host 127.0.0.1 --port 9 --auth ip
	provision ivr add "$t" main --greeting welcome
	# A conference room and a recording of its mix (a WAV in the spool).
	provision conf add "$t" 800 --name "Weekly call"
	provision ringgroup add "$t" 600 --name "Sales"
	# A prompt of the tenant's own, played from the API.
	sox -n -r 8000 -c 1 -b 16 "$T_DIR/welcome.wav" synth 1 sine 440
	provision prompt upload "$t" welcome "$T_DIR/welcome.wav"
	mkdir -p "$T_DIR/ondo/spool/rooms/$t"
	sox -n -r 8000 -c 1 -b 16 "$T_DIR/ondo/spool/rooms/$t/800-1700000000.wav" synth 2 sine 500
	sql "INSERT INTO room_recordings (tenant_id, room, path, started, duration_s)
	     SELECT id, '800', 'rooms/$t/800-1700000000.wav', 1700000000, 2 FROM tenants WHERE domain = '$t'"
	# A call recorded twice (two bridges): its record and both WAVs.
	rec=tenants/$t/recordings/2023-11-14/221320-m-$t
	mkdir -p "$T_DIR/ondo/spool/${rec%/*}"
	for n in 1 2; do
		sox -n -r 8000 -c 1 -b 16 "$T_DIR/ondo/spool/$rec-$n.wav" synth 1 sine 500
	done
	sql "INSERT INTO cdr (tenant_id, call_id, caller, callee, start_us, answer_us, end_us, duration, disposition, sip_status, recording)
	     SELECT id, 'm-$t', '1001', '1002', 1700000000000000, 1700000001000000, 1700000009000000, 8, 'ANSWERED', 200, '$rec-1.wav'
	     FROM tenants WHERE domain = '$t';
	     INSERT INTO recordings (tenant_id, cdr_id, seq, path, started_us)
	     SELECT tenant_id, id, v.n, '$rec-' || v.n || '.wav', 1700000001000000 FROM cdr,
	            (SELECT 1 n UNION ALL SELECT 2) v WHERE call_id = 'm-$t'"
done

if "$PYTHON" "$SRC_ROOT/tests/api/matrix.py" "$ONDO_HTTP_PORT" "$TESTS_LIB" "$ONDO_DB"; then
	pass "every cell of the matrix has the expected status"
else
	fail "some cells of the matrix have the wrong status (above)"
fi
stop_ondo
finish
