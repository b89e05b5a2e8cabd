#!/bin/bash
# test_pages.sh - every page of the panel, filled with data, on a laptop
# and on a phone: a screenshot of each (tests/out/web/), nothing shown
# broken, nothing wider than the phone's screen; then the pages' speed
# with 10,000 extensions and a million call records in one tenant.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: every page on a laptop and a phone; 10,000 extensions and 1,000,000 call records"

DOM=acme.test
web_start
provision tenant add "Acme Ltd" "$DOM"
provision tenant add "Big Corp" big.test
provision ext add "$DOM" 1001 --password 'pw-1001-pages' --name 'Alice Example'
provision ext add "$DOM" 1002 --password 'pw-1002-pages' --name 'Bob Example'
provision ext add "$DOM" 1003 --password 'pw-1003-pages'
provision user add adma --role admin --tenant "$DOM" --password adma-pass-1
provision user add ua --role user --tenant "$DOM" --ext 1002 --password ua-pass-123
provision ivr add "$DOM" main --greeting welcome --timeout 8000
provision ivr option "$DOM" main 1 extension 1001
provision ivr option "$DOM" main 2 voicemail 1002
provision ivr option "$DOM" main 0 hangup
provision route add "$DOM" 800 ivr main
provision ringgroup add "$DOM" 600 --name 'Sales team' --strategy sequential \
	--members 1001:15,1002,1003 --fallback voicemail:1001
provision route add "$DOM" '_9.' dial '${1}' --priority 50
# a carrier on 127.0.0.1 port 9 (nothing listens: loopback only) and a DID
provision trunk add "$DOM" carrier --host 127.0.0.1 --port 9 --auth ip
provision did add "$DOM" +4930555000 extension 1001
provision timecond add "$DOM" office --open extension:1001 --closed voicemail:1001
provision timecond rule add "$DOM" office "mon-fri 08:00-17:30"
# a voicemail message for 1002 (a WAV indexed from the spool)
box=$T_DIR/ondo/spool/tenants/$DOM/vm/1002/new
mkdir -p "$box"
sox -n -r 8000 -c 1 -b 16 "$box/1700000000-00000000000000aa.wav" synth 4 sine 500
ondoctl vm reconcile --min-age 0 >/dev/null || fatal "vm reconcile failed"
# a registered phone (SIPp, kept for 300 s)
DOM=$DOM sipp_register reg1001 "$(free_port)" 1001 'pw-1001-pages' 300 || true

# call records of acme: a few of each kind
now_us=$(($(date +%s) * 1000000))
sql "INSERT INTO cdr (tenant_id, call_id, caller, callee, start_us, answer_us, end_us, duration, disposition, sip_status)
     SELECT t.id, 'pages-' || v.n, v.a, v.b, $now_us - v.n * 600000000,
            CASE v.d WHEN 'ANSWERED' THEN $now_us - v.n * 600000000 + 5000000 ELSE 0 END,
            $now_us - v.n * 600000000 + 65000000, CASE v.d WHEN 'ANSWERED' THEN 60 ELSE 0 END, v.d,
            CASE v.d WHEN 'ANSWERED' THEN 200 WHEN 'BUSY' THEN 486 WHEN 'NO ANSWER' THEN 480 ELSE 487 END
     FROM tenants t, (SELECT 1 n, '1001' a, '1002' b, 'ANSWERED' d UNION ALL SELECT 2, '1002', '1003', 'NO ANSWER'
       UNION ALL SELECT 3, '1003', '1001', 'BUSY' UNION ALL SELECT 4, '1001', '800', 'ANSWERED'
       UNION ALL SELECT 5, '1002', '1001', 'CANCELLED') v WHERE t.domain = '$DOM'"
# a call recorded twice (it was transferred: two bridges, two WAVs)
rec=tenants/$DOM/recordings/2024-05-02/101201-pages-rec
sql "INSERT INTO cdr (tenant_id, call_id, caller, callee, start_us, answer_us, end_us, duration, disposition, sip_status, recording)
     SELECT id, 'pages-rec', '1001', '800', $now_us - 7200000000, $now_us - 7195000000, $now_us - 7100000000,
            95, 'ANSWERED', 200, '$rec-1.wav' FROM tenants WHERE domain = '$DOM';
     INSERT INTO recordings (tenant_id, cdr_id, seq, path, started_us)
     SELECT tenant_id, id, v.n, '$rec-' || v.n || '.wav', answer_us + (v.n - 1) * 30000000
     FROM cdr, (SELECT 1 n UNION ALL SELECT 2) v WHERE call_id = 'pages-rec'"

# big.test: 10,000 extensions and 1,000,000 call records, written
# straight into the database (the API would take minutes to make them).
t0=$(date +%s)
sql "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999)
     INSERT INTO extensions (tenant_id, number, name, ha1)
     SELECT t.id, printf('%04d', i), 'User ' || i, lower(hex(randomblob(16))) FROM tenants t, n
     WHERE t.domain = 'big.test'" || fatal "could not write 10,000 extensions"
sql "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
     INSERT INTO cdr (tenant_id, call_id, caller, callee, start_us, answer_us, end_us, duration, disposition, sip_status)
     SELECT t.id, 'big-' || i, printf('%04d', i % 10000), printf('%04d', (i * 7 + 1) % 10000),
            $now_us - i * 1000000, CASE WHEN i % 10 < 7 THEN $now_us - i * 1000000 + 3000000 ELSE 0 END,
            $now_us - i * 1000000 + 30000000, CASE WHEN i % 10 < 7 THEN 27 ELSE 0 END,
            CASE WHEN i % 10 < 7 THEN 'ANSWERED' WHEN i % 10 < 9 THEN 'NO ANSWER' WHEN i % 1000 = 999 THEN 'BUSY' ELSE 'CANCELLED' END,
            CASE WHEN i % 10 < 7 THEN 200 ELSE 487 END
     FROM tenants t, n WHERE t.domain = 'big.test'" || fatal "could not write 1,000,000 call records"
info "wrote 10,000 extensions and 1,000,000 call records in $(($(date +%s) - t0)) s"

web_step pages.mjs laptop || true
web_step pages.mjs phone || true
web_step pages.mjs user || true
web_step pages.mjs scale || true
stop_ondo
finish
