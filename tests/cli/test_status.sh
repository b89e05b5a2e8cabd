#!/bin/bash
# test_status.sh - `ondoctl status` follows the daemon: registrations,
# calls and RTP ports go up with a registered phone and a call in
# progress, and the memory and file figures are there for bench/mem.sh.
. "$(dirname "$0")/../lib/common.sh"
test_init "ondoctl status: registrations, calls, ports, memory"

DOM=st.test
start_ondo
provision tenant add st "$DOM"
provision ext add "$DOM" 1001 --password pw-1001-status
provision ext add "$DOM" 1002 --password pw-1002-status
provision route add "$DOM" 600 echo

# stat KEY: the value of one line of `ondoctl status`.
stat() { ondoctl status | awk -v k="$1" '$1 == k { print $2 }'; }
stat_is() { [ "$(stat "$1")" = "$2" ]; }

out=$(ondoctl status)
for k in uptime_s registrations calls rtp_ports_in_use heap_in_use_kb \
	heap_free_kb rss_kb rss_peak_kb open_files; do
	grep -Eq "^$k [0-9]+$" <<<"$out" || fail "no '$k N' line in: $out"
done
check "an idle daemon: 0 registrations, 0 calls, 0 RTP ports" \
	bash -c "[ \"$(stat registrations)/$(stat calls)/$(stat rtp_ports_in_use)\" = 0/0/0 ]"
check "the heap, RSS and open files are counted ($(stat heap_in_use_kb) KB, $(stat rss_kb) KB, $(stat open_files))" \
	bash -c "[ \"$(stat rss_kb)\" -gt 1000 ] && [ \"$(stat open_files)\" -gt 3 ]"

sipp_register reg1002 "$(free_port)" 1002 pw-1002-status 300 ||
	fatal "1002 cannot register"
check "a registered phone: registrations 1" stat_is registrations 1

sipp_bg held uac_held.xml -p "$(free_port)" -mp "$(free_port_range 4)" \
	-key dom "$DOM" -key user 1001 -key callee 600 \
	-au 1001 -ap pw-1001-status
if wait_until 10 stat_is calls 1; then
	pass "a call to the echo test: calls 1"
else
	fail "calls is $(stat calls) during a call: $(ondoctl calls 2>&1)"
fi
check "its media channel holds an RTP and an RTCP port ($(stat rtp_ports_in_use))" \
	stat_is rtp_ports_in_use 2
stop_ondo
finish
