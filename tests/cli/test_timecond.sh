#!/bin/bash
# test_timecond.sh - ondoctl timecond add | set | del | list | show, rule
# add | del, holiday add | del, tenant timezone, DIDs and routes to time
# conditions, and `dialplan test --at`, against a throw-away database:
# conditions read back as an admin set them, a dry run at a given local
# time takes the branch an office would expect, and every mistake is one
# clear line that changes nothing. No daemon needed.
#
#   tests/cli/test_timecond.sh            after make (uses ./ondoctl)
#   ONDO_BUILD=build-asan tests/cli/test_timecond.sh
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"

cli_tmpdir timecond
cli_conf

D=demo.test

# snapshot: everything the database says about demo.test's conditions,
# DIDs and routes.
snapshot() {
	{
		"$ONDOCTL" -c "$T_DIR/ondo.conf" timecond list "$D"
		for c in office night; do
			"$ONDOCTL" -c "$T_DIR/ondo.conf" timecond show "$D" "$c" 2>&1 |
				grep -v '^now ' || :
		done
		"$ONDOCTL" -c "$T_DIR/ondo.conf" did list "$D"
		"$ONDOCTL" -c "$T_DIR/ondo.conf" route list "$D"
		"$ONDOCTL" -c "$T_DIR/ondo.conf" tenant list
	} 2>&1 | sed 's/ *open$\| *closed$//'
}
SNAPSHOT_OF="the time conditions"

setup tenant add Demo "$D"
setup tenant add Other other.test
# Without the tenants' feature-code routes (*97, *98, the forwarding
# codes: test_dialplan.sh checks them), so that route ids in the expected
# traces start at 1.
for dom in "$D" other.test; do
	for id in $("$ONDOCTL" -c "$T_DIR/ondo.conf" route list "$dom" |
		awk 'NR > 1 { print $1 }'); do
		setup route del "$dom" "$id"
	done
done
setup ext add "$D" 1001 --password secret123
setup ext add other.test 2000 --password secret123
setup ivr add "$D" main --greeting welcome
setup route add "$D" 600 echo
setup route add "$D" 601 hangup

# ---- the tenant's time zone --------------------------------------------
says "time zone of $D: Europe/Berlin" tenant timezone "$D" Europe/Berlin
says "time zone of $D: Europe/Berlin" tenant timezone Demo.Test Europe/Berlin
refuses 1 "ondoctl: invalid time zone 'Mars/Base' (an IANA name such as Europe/Berlin or America/New_York, as in /usr/share/zoneinfo)" \
	tenant timezone "$D" Mars/Base
refuses 1 "ondoctl: invalid time zone '../../etc/passwd' (an IANA name such as Europe/Berlin or America/New_York, as in /usr/share/zoneinfo)" \
	tenant timezone "$D" ../../etc/passwd
refuses 1 "ondoctl: invalid time zone 'europe/berlin' (an IANA name such as Europe/Berlin or America/New_York, as in /usr/share/zoneinfo)" \
	tenant timezone "$D" europe/berlin
refuses 1 "ondoctl: no tenant nope.test" tenant timezone nope.test UTC
refuses 2 "ondoctl: usage: ondoctl tenant timezone DOMAIN ZONE" tenant timezone "$D"

# ---- conditions ---------------------------------------------------------
ctl timecond list "$D"
if [ "$RC" -eq 0 ] && [ "$OUT" = "no time conditions in $D yet (add one with ondoctl timecond add)" ]; then
	ok "an empty list says so: $OUT"
else
	fail "timecond list without conditions: '$OUT' (exit $RC) $ERR"
fi
says "time condition office added to $D" timecond add "$D" office \
	--open ivr:main --closed number:601
says "time condition night added to $D" timecond add "$D" night \
	--open=extension:1001 --closed=number:601
says "time condition office added to other.test" timecond add other.test \
	office --open extension:2000 --closed number:9

refuses 1 "ondoctl: $D already has a time condition 'office'" \
	timecond add "$D" office --open ivr:main --closed number:601
refuses 1 "ondoctl: invalid time condition name 'Office' (1 to 32 characters: a-z, 0-9, _ and -)" \
	timecond add "$D" Office --open ivr:main --closed number:601
refuses 1 "ondoctl: timecond add needs --open TYPE:DEST and --closed TYPE:DEST (where calls go in and out of hours)" \
	timecond add "$D" lunch --open ivr:main
refuses 1 "ondoctl: bad --open 'ivr' (TYPE:DEST, such as ivr:main, extension:1001 or number:600)" \
	timecond add "$D" lunch --open ivr --closed number:601
refuses 1 "ondoctl: --open ivr:sales: no menu 'sales' in tenant $D" \
	timecond add "$D" lunch --open ivr:sales --closed number:601
refuses 1 "ondoctl: --closed extension:1009: no extension 1009 in tenant $D" \
	timecond add "$D" lunch --open ivr:main --closed extension:1009
refuses 1 "ondoctl: --closed extension:10a: invalid extension '10a' (1 to 31 digits)" \
	timecond add "$D" lunch --open ivr:main --closed extension:10a
refuses 1 "ondoctl: --open parking:1001: unknown destination 'parking' (extension, ivr, voicemail, conference, ringgroup or number)" \
	timecond add "$D" lunch --open parking:1001 --closed number:601
refuses 1 "ondoctl: --open timecond:night: a time condition cannot go to another one (send it to a number whose route runs timecond)" \
	timecond add "$D" lunch --open timecond:night --closed number:601
refuses 1 "ondoctl: --open number:6 0: invalid number '6 0' (1 to 31 characters: digits, letters, * # + . _ -)" \
	timecond add "$D" lunch --open 'number:6 0' --closed number:601
# A tenant's branches reach its own extensions only.
refuses 1 "ondoctl: --open extension:1001: no extension 1001 in tenant other.test" \
	timecond add other.test lunch --open extension:1001 --closed number:9
refuses 2 "ondoctl: unknown option '--opened' for 'timecond add' (try ondoctl --help)" \
	timecond add "$D" lunch --opened ivr:main --closed number:601
refuses 1 "ondoctl: no tenant nope.test" \
	timecond add nope.test lunch --open ivr:main --closed number:601

says "time condition night of $D changed" timecond set "$D" night --closed ivr:main
refuses 1 "ondoctl: timecond set needs --open TYPE:DEST or --closed TYPE:DEST" \
	timecond set "$D" night
refuses 1 "ondoctl: no time condition 'lunch' in tenant $D" \
	timecond set "$D" lunch --open ivr:main
refuses 1 "ondoctl: --open ivr:nope: no menu 'nope' in tenant $D" \
	timecond set "$D" night --open ivr:nope

# ---- rules and holidays -------------------------------------------------
says "rule 1 added to time condition office: mon-fri 08:00-17:30" \
	timecond rule add "$D" office 'mon-fri 08:00-17:30'
says "rule 2 added to time condition office: sat 22:00-02:00" \
	timecond rule add "$D" office 'Sat 22:00-02:00'
says "rule 3 added to time condition office: mon,fri-sun 00:00-24:00" \
	timecond rule add "$D" office 'fri-mon'
says "rule 4 added to time condition night: sun 00:00-24:00" \
	timecond rule add "$D" night sun
says "rule 3 deleted from time condition office" timecond rule del "$D" office 3
refuses 1 "ondoctl: time condition 'office' has no rule 3" timecond rule del "$D" office 3
refuses 1 "ondoctl: time condition 'office' has no rule 4" timecond rule del "$D" office 4
refuses 1 "ondoctl: invalid rule id 'x' (the ID column of ondoctl timecond show)" \
	timecond rule del "$D" office x
refuses 1 "ondoctl: bad rule 'mo-fr 08:00-17:00': unknown day 'mo-fr' (mon, tue, wed, thu, fri, sat, sun, a range such as mon-fri, or a list)" \
	timecond rule add "$D" office 'mo-fr 08:00-17:00'
refuses 1 "ondoctl: bad rule 'mon-fri 8:00-17:00': bad time range '8:00-17:00' (HH:MM-HH:MM from 00:00 to 24:00, such as 08:00-17:30)" \
	timecond rule add "$D" office 'mon-fri 8:00-17:00'
refuses 1 "ondoctl: bad rule 'mon 09:00-09:00': the time range '09:00-09:00' is empty (for the whole day: 00:00-24:00)" \
	timecond rule add "$D" office 'mon 09:00-09:00'
refuses 1 "ondoctl: bad rule '': a rule needs days, as in 'mon-fri 08:00-17:30'" \
	timecond rule add "$D" office ''
refuses 1 "ondoctl: no time condition 'lunch' in tenant $D" \
	timecond rule add "$D" lunch 'mon-fri'
refuses 1 "ondoctl: no time condition 'night' in tenant other.test" \
	timecond rule add other.test night 'mon-fri'
refuses 2 "ondoctl: usage: ondoctl timecond rule add DOMAIN NAME \"DAYS [HH:MM-HH:MM]\"" \
	timecond rule add "$D" office
refuses 2 "ondoctl: 'timecond rule' needs a verb (try ondoctl --help)" timecond rule
refuses 2 "ondoctl: unknown command 'timecond rule list' (try ondoctl --help)" \
	timecond rule list "$D" office

says "holiday 12-25 added to time condition office" \
	timecond holiday add "$D" office 12-25 --name Christmas
says "holiday 2026-12-31 added to time condition office" \
	timecond holiday add "$D" office 2026-12-31
says "holiday 2026-05-01 added to time condition office" \
	timecond holiday add "$D" office 2026-05-01 --name 'Labour Day'
says "holiday 2026-05-01 deleted from time condition office" \
	timecond holiday del "$D" office 2026-05-01
refuses 1 "ondoctl: time condition 'office' has no holiday on 2026-05-01" \
	timecond holiday del "$D" office 2026-05-01
refuses 1 "ondoctl: time condition 'office' has a holiday on 12-25 already" \
	timecond holiday add "$D" office 12-25
refuses 1 "ondoctl: invalid date '2027-02-29' (YYYY-MM-DD for one day, MM-DD for every year)" \
	timecond holiday add "$D" office 2027-02-29
refuses 1 "ondoctl: invalid date '25.12.' (YYYY-MM-DD for one day, MM-DD for every year)" \
	timecond holiday add "$D" office 25.12.
refuses 1 "ondoctl: invalid holiday name 'a\"b' (at most 63 characters, no control characters, quotes or backslashes)" \
	timecond holiday add "$D" office 01-01 --name 'a"b'
refuses 2 "ondoctl: usage: ondoctl timecond holiday del DOMAIN NAME YYYY-MM-DD|MM-DD" \
	timecond holiday del "$D" office

# ---- list and show ------------------------------------------------------
ctl timecond show "$D" office
want="name      office
timezone  Europe/Berlin
open      ivr main
closed    number 601
NOW

ID  RULE
1   mon-fri 08:00-17:30
2   sat 22:00-02:00

HOLIDAY     NAME
12-25       Christmas
2026-12-31  -"
got=$(echo "$OUT" | sed 's/^now .*/NOW/')
now=$(echo "$OUT" | sed -n 's/^now       //p')
if [ "$RC" -eq 0 ] && [ "$got" = "$want" ] &&
	[[ $now =~ ^(open|closed)\ \(.*\)\ at\ 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]\ [0-9][0-9]:[0-9][0-9]\ [A-Z][a-z][a-z]$ ]]; then
	ok "timecond show: zone, branches, now ($now), rules and holidays"
else
	fail "timecond show $D office (exit $RC) $ERR:
$OUT"
fi
ctl timecond show "$D" night
if [ "$RC" -eq 0 ] && [[ $OUT == *"closed    ivr main"* ]] &&
	[[ $OUT == *"no holidays" ]]; then
	ok "timecond show of a condition without holidays says so"
else
	fail "timecond show $D night (exit $RC):
$OUT"
fi
refuses 1 "ondoctl: no time condition 'lunch' in tenant $D" timecond show "$D" lunch

# Every day, all day: open now, whenever the test runs.
setup timecond add "$D" always --open number:600 --closed number:601
setup timecond rule add "$D" always mon-sun
ctl timecond list "$D"
want="TENANT     NAME    OPEN            CLOSED      RULES  HOLIDAYS  NOW
demo.test  always  number 600      number 601  1      0         open
demo.test  night   extension 1001  ivr main    1      0         X
demo.test  office  ivr main        number 601  2      2         X"
got=$(echo "$OUT" | sed -E 's/(open|closed)$/X/; 1s/X$/NOW/; 2s/X$/open/')
if [ "$RC" -eq 0 ] && [ "$got" = "$want" ]; then
	ok "timecond list: branches, counts, and 'always' open now"
else
	fail "timecond list $D (exit $RC) $ERR:
$OUT"
fi
ctl timecond list
if [ "$RC" -eq 0 ] && [ "$(echo "$OUT" | grep -c .)" = 5 ] &&
	[[ $OUT == *"other.test  office  extension 2000"* ]]; then
	ok "timecond list without a domain lists every tenant's"
else
	fail "timecond list (exit $RC):
$OUT"
fi
ctl timecond show "$D" always
if [ "$RC" -eq 0 ] && [[ $OUT == *"now       open (rule 5: mon-sun 00:00-24:00) at "* ]]; then
	ok "timecond show says an all-week condition is open now"
else
	fail "timecond show $D always (exit $RC):
$OUT"
fi

# ---- DIDs and routes to a condition -------------------------------------
says "DID +4930111 of $D goes to timecond office" did add "$D" +4930111 timecond office
ctl route add "$D" 700 timecond office
r700=$(echo "$OUT" | sed -n 's/^route \([0-9][0-9]*\) added to .*/\1/p')
if [ "$RC" -eq 0 ] && [ -n "$r700" ]; then
	ok "route add $D 700 timecond office: $OUT"
else
	fail "route add $D 700 timecond office: '$OUT' (exit $RC) $ERR"
fi
refuses 1 "ondoctl: no time condition 'lunch' in tenant $D" did add "$D" +4930112 timecond lunch
refuses 1 "ondoctl: no time condition 'lunch' in tenant $D (add it with ondoctl timecond add)" \
	route add "$D" 701 timecond lunch
refuses 1 "ondoctl: timecond takes the name of a time condition, not 'of\${EXTEN}' (1 to 32 characters: a-z, 0-9, _ and -)" \
	route add "$D" _70X timecond 'of${EXTEN}'
refuses 1 "ondoctl: timecond needs arguments: timecond NAME" route add "$D" 702 timecond
refuses 1 "ondoctl: no conference room 1001 in tenant demo.test" \
	did add "$D" +4930113 conference 1001
refuses 1 "ondoctl: invalid extension '10a' (1 to 31 digits)" did add "$D" +4930113 extension 10a

# In use: deleting is refused, naming the user.
refuses 1 "ondoctl: time condition 'office' is used by route $r700; delete that first" \
	timecond del "$D" office
setup route del "$D" "$r700"
refuses 1 "ondoctl: time condition 'office' is used by DID +4930111; point it elsewhere first (ondoctl did set)" \
	timecond del "$D" office

# ---- dialplan test --at --------------------------------------------------
# 2026-12-21 is a Monday, 12-25 a Friday (a holiday every year), 12-26 a
# Saturday.
dry() {
	local want=$1
	shift
	ctl dialplan test "$D" "$@"
	if [ "$RC" -eq 0 ] && [ "$OUT" = "$want" ] && [ -z "$ERR" ]; then
		ok "dialplan test $*: $(echo "$OUT" | sed -n 2p)"
	else
		fail "dialplan test $*: expected
$want
got (exit $RC) $ERR
$OUT"
	fi
}
dry "+4930111 -> DID of $D: timecond office
timecond office at 2026-12-21 10:00 Mon (Europe/Berlin): open (rule 1: mon-fri 08:00-17:30) -> ivr main" \
	+4930111 --at '2026-12-21 10:00'
dry "+4930111 -> DID of $D: timecond office
timecond office at 2026-12-21 17:30 Mon (Europe/Berlin): closed (no rule holds) -> number 601
601 -> route 2 (prio 100, pattern 601): hangup" \
	+4930111 --at '2026-12-21 17:30'
dry "+4930111 -> DID of $D: timecond office
timecond office at 2026-12-25 10:00 Fri (Europe/Berlin): closed (holiday 12-25 Christmas) -> number 601
601 -> route 2 (prio 100, pattern 601): hangup" \
	+4930111 --at '2026-12-25 10:00'
dry "+4930111 -> DID of $D: timecond office
timecond office at 2026-12-27 01:59 Sun (Europe/Berlin): open (rule 2: sat 22:00-02:00) -> ivr main" \
	+4930111 --at '2026-12-27 01:59'
dry "+4930111 -> DID of $D: timecond office
timecond office at 2026-12-31 23:00 Thu (Europe/Berlin): closed (holiday 2026-12-31) -> number 601
601 -> route 2 (prio 100, pattern 601): hangup" \
	+4930111 --at '2026-12-31 23:00'
# A route to the app: the same decision, then the branch's own route.
setup route add "$D" 700 timecond always
r_always=${OUT#route }
r_always=${r_always%% *}
dry "700 -> route $r_always (prio 100, pattern 700): timecond always
timecond always at 2027-01-01 00:00 Fri (Europe/Berlin): open (rule 5: mon-sun 00:00-24:00) -> number 600
600 -> route 1 (prio 100, pattern 600): echo" \
	700 --at '2027-01-01 00:00'
# The same local time is the same branch whatever the zone; a DID of
# another tenant is not this tenant's: routed as a plain number.
setup tenant timezone "$D" America/New_York
dry "+4930111 -> DID of $D: timecond office
timecond office at 2026-12-21 08:00 Mon (America/New_York): open (rule 1: mon-fri 08:00-17:30) -> ivr main" \
	+4930111 --at '2026-12-21 08:00'
ctl dialplan test other.test +4930111 --at '2026-12-21 08:00'
if [ "$RC" -eq 0 ] && [ "$OUT" = "+4930111 -> no route and no extension: the call gets 404" ]; then
	ok "another tenant's DID is a plain number in other.test"
else
	fail "dialplan test other.test +4930111: '$OUT' (exit $RC) $ERR"
fi
# Without --at: now, in the tenant's zone.
ctl dialplan test "$D" 700
if [ "$RC" -eq 0 ] && [[ $OUT == *"timecond always at "*" (America/New_York): open (rule 5: mon-sun 00:00-24:00) -> number 600"* ]]; then
	ok "dialplan test without --at decides by the tenant's time now"
else
	fail "dialplan test $D 700 (exit $RC): $OUT $ERR"
fi
for bad in '2026-12-32 10:00' '2026-12-21 24:00' '2026-12-21' '2026-12-21 10:00:00' 'tomorrow'; do
	refuses 1 "ondoctl: invalid time '$bad' for --at (YYYY-MM-DD HH:MM, local time of the tenant's zone)" \
		dialplan test "$D" +4930111 --at "$bad"
done

# ---- deleting -------------------------------------------------------------
setup did set "$D" +4930111 number 600
says "time condition office deleted from $D" timecond del "$D" office
refuses 1 "ondoctl: no time condition 'office' in tenant $D" timecond del "$D" office
refuses 1 "ondoctl: invalid time condition name 'a/b' (1 to 32 characters: a-z, 0-9, _ and -)" \
	timecond del "$D" a/b
ctl timecond show other.test office
if [ "$RC" -eq 0 ] && [[ $OUT == *"open      extension 2000"* ]]; then
	ok "other.test keeps its own condition of the same name"
else
	fail "other.test's office went with demo.test's: $OUT $ERR"
fi
setup tenant del other.test
ctl timecond list
if [ "$RC" -eq 0 ] && ! [[ $OUT == *other.test* ]]; then
	ok "deleting a tenant deletes its time conditions"
else
	fail "timecond list after tenant del: $OUT"
fi

echo "$((CHECKS - FAILS)) of $CHECKS checks passed"
[ "$FAILS" -eq 0 ]
