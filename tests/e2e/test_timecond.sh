#!/bin/bash
# test_timecond.sh - a DID that goes to a time condition, called by a
# carrier (SIPp on 127.0.0.2, known to the PBX by address: an ip trunk).
# The condition's open branch is number 600 (route 600: echo, answered
# 200), its closed branch number 601 (route 601: hangup, 480). Between
# calls, ondoctl changes the rules and holidays, never the clock: open all
# week, then today a holiday, then no rule at all. Each call must take the
# branch the daemon's log line names, both for a DID of type timecond and
# for a route that runs the timecond app. Last, the closed branch goes to
# an extension's mailbox, which takes a message.
. "$(dirname "$0")/../lib/common.sh"
test_init "time conditions: a DID's calls go where the day says"

ZONE=Europe/Berlin
# A carrier's Request-URI names the PBX by address: the default tenant.
ONDO_DEFAULT_TENANT=t1.test start_ondo
provision tenant add t1 t1.test
provision tenant timezone t1.test "$ZONE"
provision route add t1.test 600 echo
provision route add t1.test 601 hangup
provision timecond add t1.test office --open number:600 --closed number:601
provision timecond rule add t1.test office mon-sun
provision did add t1.test +4930111 timecond office
provision route add t1.test 700 timecond office
provision did add t1.test +4930222 number 700
provision trunk add t1.test carrier --host 127.0.0.2 --auth ip --in-prefix +
FAIL_480=$(sipp_carrier_code 480)

# carrier_try NAME NUMBER SCENARIO WHAT: a call from the carrier to NUMBER
# that must end as SCENARIO expects (carrier_call.xml: answered, talks
# 1 s, hangs up; a carrier_fail scenario: that status).
carrier_try() {
	local name=$1 number=$2 sf=$3 what=$4
	sipp_run "$name" "$sf" -i 127.0.0.2 -p "$(free_port)" \
		-key callee "$number" -key user 4917000 -mp "$(free_port)" \
		-d 1000
	if [ "$SIPP_RC" -eq 0 ]; then
		pass "$what"
	else
		fail "$what (SIPp exit $SIPP_RC):$(sipp_why "$name")"
	fi
}

# logged MODULE TEXT: since the last mark_log, the daemon's module
# (trunk: the DID's own decision, app: the timecond app's) logged TEXT.
LOG_MARK=0
mark_log() { LOG_MARK=$(wc -l <"$ONDO_LOG"); }
logged() {
	tail -n +"$((LOG_MARK + 1))" "$ONDO_LOG" | grep -F "INFO $1 [" |
		grep -qF -- "$2"
}

# ---- open: a rule for every day, all day ---------------------------------
mark_log
carrier_try open 4930111 carrier_call.xml \
	"with a rule for every day the DID's call is answered by the open branch (number 600: echo, 200)"
check "... and the PBX logged the open branch and why" \
	logged trunk "timecond office: open (rule 1: mon-sun 00:00-24:00) -> number 600"
mark_log
carrier_try app_open 4930222 carrier_call.xml \
	"a DID to number 700, whose route runs timecond office, is answered too"
check "... the timecond app logged the same branch" \
	logged app "timecond office: open (rule 1: mon-sun 00:00-24:00) -> number 600"

# ---- closed: today is a holiday in the tenant's zone ---------------------
# Tomorrow too, so that a test running across midnight still sees one.
today=$(TZ=$ZONE date +%F)
tomorrow=$(TZ=$ZONE date -d tomorrow +%F)
provision timecond holiday add t1.test office "$today" --name "Test day"
provision timecond holiday add t1.test office "$tomorrow"
mark_log
carrier_try holiday 4930111 "$FAIL_480" \
	"on a holiday the same DID goes to the closed branch (number 601: hangup, 480)"
if logged trunk "timecond office: closed (holiday $today Test day) -> number 601" ||
	logged trunk "timecond office: closed (holiday $tomorrow) -> number 601"; then
	pass "... and the PBX logged the holiday it closed for"
else
	fail "... no log line of the holiday:$(echo; grep -F 'timecond office' "$ONDO_LOG" | tail -n 3 | sed 's/^/       /')"
fi
mark_log
carrier_try app_holiday 4930222 "$FAIL_480" \
	"through route 700 the timecond app closes for the holiday as well (480)"
check "... the timecond app logged the closed branch" \
	logged app "timecond office: closed (holiday "

# ---- closed: no rule holds -------------------------------------------------
provision timecond holiday del t1.test office "$today"
provision timecond holiday del t1.test office "$tomorrow"
provision timecond rule del t1.test office 1
mark_log
carrier_try no_rule 4930111 "$FAIL_480" \
	"with no rule the condition is closed: the call goes to number 601 (480)"
check "... and the PBX logged that no rule holds" \
	logged trunk "timecond office: closed (no rule holds) -> number 601"

# ---- open again: today's weekday, all day --------------------------------
day=$(TZ=$ZONE date +%a | tr 'A-Z' 'a-z')
next=$(TZ=$ZONE date -d tomorrow +%a | tr 'A-Z' 'a-z')
provision timecond rule add t1.test office "$day,$next"
mark_log
carrier_try weekday 4930111 carrier_call.xml \
	"a rule for today's weekday ($day) opens it again: answered (200)"
check "... and the log names that rule" logged trunk "timecond office: open (rule 2: "

check "the CDRs say so too: three calls answered (200), three refused (480)" \
	wait_sql 5 "SELECT sum(sip_status = 200), sum(sip_status = 480), count(*) FROM cdr" "3|3|6"

# ---- closed to voicemail: the office's mailbox takes the call --------------
# The usual office set-up: the operator's extension while open, its
# mailbox after hours. 1001 has no phone; its mailbox answers, and the
# carrier's 12 s of call leave a message (silence: SIPp sends no audio).
provision ext add t1.test 1001 --password 'pw-operator-1001'
provision timecond set t1.test office --open extension:1001 --closed voicemail:1001
provision timecond rule del t1.test office 2
mark_log
sipp_run vm 'carrier_call.xml' -i 127.0.0.2 -p "$(free_port)" \
	-key callee 4930111 -key user 4917000 -mp "$(free_port)" -d 14000
check "after hours the DID's call is answered by 1001's mailbox (200)" [ "$SIPP_RC" -eq 0 ]
check "... the PBX logged the closed branch to voicemail" \
	logged trunk "timecond office: closed (no rule holds) -> voicemail 1001"
vm_row() { sql "SELECT m.caller FROM vm_messages m JOIN extensions e ON e.id = m.ext_id WHERE e.number = '1001'" | grep -qx 4917000; }
check "... and the carrier's caller left a message in it" wait_until 10 vm_row
stop_ondo
finish
