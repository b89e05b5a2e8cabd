#!/bin/bash
# test_ivr.sh - ondoctl ivr add | set | list | show | del | option |
# option-del, and `route add ... ivr MENU`, against a throw-away database:
# menus and their options read back as an admin set them, and every
# mistake is one clear line that changes nothing. No daemon needed.
#
#   tests/cli/test_ivr.sh            after make (uses ./ondoctl)
#   ONDO_BUILD=build-asan tests/cli/test_ivr.sh
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.
#
# ${EXTEN} below is a dialplan variable, single-quoted on purpose.
# shellcheck disable=SC2016

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"

cli_tmpdir ivr
cli_conf

# snapshot: everything the database says about demo.test's menus.
snapshot() {
	{
		"$ONDOCTL" -c "$T_DIR/ondo.conf" ivr list "$D"
		for m in main sales support; do
			"$ONDOCTL" -c "$T_DIR/ondo.conf" ivr show "$D" "$m" 2>&1 || :
		done
		"$ONDOCTL" -c "$T_DIR/ondo.conf" route list "$D"
	} 2>&1
}

# What refuses (tests/lib/cli.sh) says changed when snapshot differs.
SNAPSHOT_OF="the menus"

D=demo.test
setup tenant add Demo "$D"
setup tenant add Other other.test
setup ext add "$D" 1001 --password secret123
setup ext add "$D" 1002 --password secret123
setup ext add other.test 2000 --password secret123

# ---- menus ---------------------------------------------------------------
ctl ivr list "$D"
if [ "$RC" -eq 0 ] && [[ $OUT == "no IVR menus in $D yet"* ]]; then
	ok "an empty menu list says so: $OUT"
else
	fail "ivr list without menus: '$OUT' (exit $RC) $ERR"
fi
says "menu main added to $D" ivr add "$D" main --greeting welcome
says "menu sales added to $D" ivr add "$D" sales --greeting please_enter \
	--timeout 8000 --retries 2 --invalid goodbye --timeout-prompt welcome \
	--fallback extension:1001 --direct-dial
says "menu support added to $D" ivr add "$D" support --greeting welcome \
	--fallback=menu:sales
# Same name, other tenant: a menu of its own.
says "menu main added to other.test" ivr add other.test main --greeting goodbye

ctl ivr show "$D" sales
want="menu            sales
greeting        please_enter
timeout         8000 ms
retries         2
invalid prompt  goodbye
timeout prompt  welcome
fallback        extension:1001
direct dial     yes

no options yet (add one with ondoctl ivr option)"
if [ "$RC" -eq 0 ] && [ "$OUT" = "$want" ]; then
	ok "ivr show prints every field of a menu as it was added"
else
	fail "ivr show $D sales (exit $RC) $ERR:
$OUT"
fi
ctl ivr show "$D" main
if [ "$RC" -eq 0 ] && [[ $OUT == *"timeout         5000 ms"* ]] &&
	[[ $OUT == *"retries         3"* ]] &&
	[[ $OUT == *"invalid prompt  invalid_option"* ]] &&
	[[ $OUT == *"timeout prompt  please_try_again"* ]] &&
	[[ $OUT == *"fallback        hangup"* ]] &&
	[[ $OUT == *"direct dial     no"* ]]; then
	ok "a menu added with only a greeting has the documented defaults"
else
	fail "defaults of menu main (exit $RC) $ERR:
$OUT"
fi

# ---- options -------------------------------------------------------------
says "option 1 of menu main in $D: extension 1001" ivr option "$D" main 1 extension 1001
says "option 2 of menu main in $D: menu sales" ivr option "$D" main 2 menu sales
says "option 3 of menu main in $D: number +4930123" ivr option "$D" main 3 number +4930123
says "option 9 of menu main in $D: playback hello&goodbye" ivr option "$D" main 9 playback 'hello&goodbye'
says "option 0 of menu main in $D: repeat" ivr option "$D" main 0 repeat
says "option # of menu main in $D: hangup" ivr option "$D" main '#' hangup
says "option * of menu main in $D: menu main" ivr option "$D" main '*' menu main
# Setting a digit again replaces what it did.
says "option 1 of menu main in $D: extension 1002" ivr option "$D" main 1 extension 1002

ctl ivr show "$D" main
table=$(echo "$OUT" | sed -n '/^DIGIT/,$p' | tr -s ' ' | sed 's/ $//')
want="DIGIT ACTION ARG
1 extension 1002
2 menu sales
3 number +4930123
9 playback hello&goodbye
0 repeat
* menu main
# hangup"
if [ "$RC" -eq 0 ] && [ "$table" = "$want" ]; then
	ok "ivr show lists the options in keypad order, digit 1 replaced"
else
	fail "options of main (exit $RC) $ERR:
$table"
fi

ctl ivr list "$D"
header=$(echo "$OUT" | sed -n 1p | tr -s ' ')
main_row=$(echo "$OUT" | grep '^main ' | tr -s ' ')
sales_row=$(echo "$OUT" | grep '^sales ' | tr -s ' ')
if [ "$RC" -eq 0 ] &&
	[ "$header" = "NAME GREETING OPTIONS TIMEOUT RETRIES FALLBACK DIRECT" ] &&
	[ "$main_row" = "main welcome 1 2 3 9 0 * # 5000ms 3 hangup no" ] &&
	[ "$sales_row" = "sales please_enter - 8000ms 2 extension:1001 yes" ] &&
	[ "$(echo "$OUT" | wc -l)" -eq 4 ]; then
	ok "ivr list: one row per menu of $D, with its digits"
else
	fail "ivr list $D (exit $RC) $ERR:
$OUT"
fi

says "option 3 deleted from menu main in $D" ivr option-del "$D" main 3

# ---- ivr set -------------------------------------------------------------
says "menu sales of $D changed" ivr set "$D" sales --timeout 3000 \
	--fallback hangup --no-direct-dial
ctl ivr show "$D" sales
if [[ $OUT == *"timeout         3000 ms"* ]] &&
	[[ $OUT == *"fallback        hangup"* ]] &&
	[[ $OUT == *"direct dial     no"* ]] &&
	[[ $OUT == *"greeting        please_enter"* ]] &&
	[[ $OUT == *"retries         2"* ]]; then
	ok "ivr set changes what it is given and keeps the rest"
else
	fail "after ivr set (exit $RC) $ERR:
$OUT"
fi

# ---- routes --------------------------------------------------------------
setup route add "$D" 500 ivr main
r_main=$(echo "$OUT" | sed -n 's/^route \([0-9][0-9]*\) added to .*/\1/p')
says "500 -> route $r_main (prio 100, pattern 500): ivr main" dialplan test "$D" 500
refuses 1 "ondoctl: no menu 'nope' in tenant $D (add it with ondoctl ivr add)" \
	route add "$D" 501 ivr nope
refuses 1 "ondoctl: no menu 'sales' in tenant other.test (add it with ondoctl ivr add)" \
	route add other.test 501 ivr sales
refuses 1 "ondoctl: ivr takes the name of a menu, not 'm\${EXTEN}' (1 to 32 characters: a-z, 0-9, _ and -)" \
	route add "$D" '_5XX' ivr 'm${EXTEN}'
refuses 1 "ondoctl: ivr needs arguments: ivr MENU" route add "$D" 502 ivr

# ---- what keeps a menu ---------------------------------------------------
refuses 1 "ondoctl: menu 'main' is used by route $r_main; delete that first" \
	ivr del "$D" main
refuses 1 "ondoctl: menu 'sales' is used by option 2 of menu 'main'; delete that first" \
	ivr del "$D" sales
says "option 2 deleted from menu main in $D" ivr option-del "$D" main 2
refuses 1 "ondoctl: menu 'sales' is the fallback of menu 'support'; change that first" \
	ivr del "$D" sales
says "menu support deleted from $D" ivr del "$D" support
says "menu sales deleted from $D" ivr del "$D" sales
setup route del "$D" "$r_main"
# Its own option * -> main does not keep it.
says "menu main deleted from $D" ivr del "$D" main
ctl ivr show other.test main
if [ "$RC" -eq 0 ] && [[ $OUT == *"greeting        goodbye"* ]]; then
	ok "other.test's menu main outlives demo.test's"
else
	fail "other.test main after deleting demo.test main (exit $RC) $ERR"
fi

# ---- mistakes ------------------------------------------------------------
setup ivr add "$D" main --greeting welcome
setup ivr add "$D" sales --greeting welcome
refuses 1 "ondoctl: no extension 1009 in tenant $D for option 1" \
	ivr option "$D" main 1 extension 1009
refuses 1 "ondoctl: no extension 2000 in tenant $D for option 1" \
	ivr option "$D" main 1 extension 2000
refuses 1 "ondoctl: no menu 'billing' in tenant $D for option 2" \
	ivr option "$D" main 2 menu billing
refuses 1 "ondoctl: unknown action 'dance' (known: extension, menu, number, voicemail, conference, ringgroup, playback, repeat, hangup) for option 3" \
	ivr option "$D" main 3 dance
refuses 1 "ondoctl: no extension 1009 in tenant $D for option 4" \
	ivr option "$D" main 4 voicemail 1009
refuses 1 "ondoctl: no conference room 1 in tenant demo.test for option 4" \
	ivr option "$D" main 4 conference 1
refuses 1 "ondoctl: invalid number '12 3' (1 to 31 characters: digits, letters, * # + . _ -) for option 5" \
	ivr option "$D" main 5 number '12 3'
refuses 1 "ondoctl: invalid prompt 'Hello' (a-z, 0-9 and _, at most 63 characters) for option 6" \
	ivr option "$D" main 6 playback 'welcome&Hello'
refuses 1 "ondoctl: empty prompt id in 'welcome&&goodbye' for option 6" \
	ivr option "$D" main 6 playback 'welcome&&goodbye'
refuses 1 "ondoctl: repeat takes no argument (got 'twice') for option 7" \
	ivr option "$D" main 7 repeat twice
refuses 1 "ondoctl: extension needs an extension number for option 8" \
	ivr option "$D" main 8 extension
refuses 1 "ondoctl: invalid digit '12' (one of 0-9, * and #)" \
	ivr option "$D" main 12 hangup
refuses 1 "ondoctl: invalid digit 'a' (one of 0-9, * and #)" \
	ivr option "$D" main a hangup
refuses 1 "ondoctl: no menu 'nope' in tenant $D" \
	ivr option "$D" nope 1 hangup
refuses 1 "ondoctl: menu 'main' in $D has no option 5" \
	ivr option-del "$D" main 5
refuses 1 "ondoctl: $D already has a menu 'main'" \
	ivr add "$D" main --greeting welcome
refuses 1 "ondoctl: ivr add needs --greeting PROMPT (what callers hear first)" \
	ivr add "$D" support
refuses 1 "ondoctl: invalid menu name 'Support' (1 to 32 characters: a-z, 0-9, _ and -)" \
	ivr add "$D" Support --greeting welcome
refuses 1 "ondoctl: invalid prompt id 'Hello' for --greeting (a-z, 0-9 and _, at most 63 characters)" \
	ivr add "$D" support --greeting Hello
refuses 1 "ondoctl: invalid prompt id '../x' for --invalid (a-z, 0-9 and _, at most 63 characters)" \
	ivr add "$D" support --greeting welcome --invalid ../x
refuses 1 "ondoctl: invalid timeout '500' (1000 to 60000 milliseconds)" \
	ivr add "$D" support --greeting welcome --timeout 500
refuses 1 "ondoctl: invalid number of retries 'many' (0 to 10)" \
	ivr add "$D" support --greeting welcome --retries many
refuses 1 "ondoctl: repeat cannot be a fallback: it returns to the menu, which would never end (use hangup, extension, menu or number)" \
	ivr add "$D" support --greeting welcome --fallback repeat
refuses 1 "ondoctl: no menu 'billing' in tenant $D for the fallback" \
	ivr add "$D" support --greeting welcome --fallback menu:billing
refuses 1 "ondoctl: menu 'main' cannot fall back to itself (it would never end)" \
	ivr set "$D" main --fallback menu:main
refuses 1 "ondoctl: give --direct-dial or --no-direct-dial, not both" \
	ivr set "$D" main --direct-dial --no-direct-dial
refuses 1 "ondoctl: no menu 'nope' in tenant $D" ivr set "$D" nope --timeout 3000
refuses 1 "ondoctl: no menu 'nope' in tenant $D" ivr del "$D" nope
refuses 1 "ondoctl: no menu 'sales' in tenant other.test" ivr del other.test sales
refuses 1 "ondoctl: no tenant nope.test" ivr list nope.test
refuses 2 "ondoctl: usage: ondoctl ivr set DOMAIN NAME [the options of ivr add] [--no-direct-dial]" \
	ivr set "$D" main
refuses 2 "ondoctl: --direct-dial takes no value" \
	ivr set "$D" main --direct-dial=yes
refuses 2 "ondoctl: usage: ondoctl ivr option DOMAIN NAME DIGIT ACTION [ARG]" \
	ivr option "$D" main 1

echo "$((CHECKS - FAILS)) of $CHECKS checks passed"
[ "$FAILS" -eq 0 ]
