#!/bin/bash
# test_tenant_media.sh - ondoctl tenant codecs and prompt upload | list |
# del against a throw-away database and spool: a tenant's codec preference
# reads back as set, an uploaded recording becomes a 16 kHz mono WAV of the
# same length under that tenant's own folder (where the daemon looks before
# the stock prompt), and a file that is not audio is refused in one clear
# line with nothing written. Needs sox (soxi). No daemon needed.
#
#   tests/cli/test_tenant_media.sh            after make (uses ./ondoctl)
#   ONDO_BUILD=build-asan tests/cli/test_tenant_media.sh
#
# One "ok" or "FAIL" line per check; exit status 1 if any check failed.

set -euo pipefail

# shellcheck source=../lib/cli.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../lib/cli.sh"
for tool in sox soxi; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL $tool is missing (apt-get install sox)"
		exit 1
	fi
done

cli_tmpdir media
SPOOL=$T_DIR/spool
cli_conf "[spool]" "dir = $SPOOL"

# snapshot: the tenants as listed, and every file in the spool with its
# size and checksum.
snapshot() {
	"$ONDOCTL" -c "$T_DIR/ondo.conf" tenant list 2>&1
	if [ -d "$SPOOL" ]; then
		(cd "$SPOOL" && find . -print0 | sort -z |
			xargs -0 -r ls -ld --time-style=+ |
			awk '{print $1, $5, $NF}')
		(cd "$SPOOL" && find . -type f -print0 | sort -z |
			xargs -0 -r md5sum)
	fi
}

# What refuses (tests/lib/cli.sh) says changed when snapshot differs.
SNAPSHOT_OF="the tenants or the spool"

# codecs_of DOMAIN: the CODECS column of the tenant's row in tenant list.
codecs_of() {
	"$ONDOCTL" -c "$T_DIR/ondo.conf" tenant list |
		awk -v d="$1" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "CODECS") c = i}
			NR > 1 && $1 == d {print $c}'
}

# is_prompt FILE SECONDS WHAT: FILE is a 16-bit mono 16 kHz WAV lasting
# SECONDS (to 10 ms).
is_prompt() {
	local file=$1 secs=$2 what=$3 fmt dur
	if [ ! -f "$file" ]; then
		fail "$what: no file $file"
		return
	fi
	fmt="$(soxi -t "$file") $(soxi -r "$file") $(soxi -c "$file") $(soxi -b "$file") $(soxi -e "$file")"
	dur=$(soxi -D "$file")
	if [ "$fmt" = "wav 16000 1 16 Signed Integer PCM" ] &&
		awk -v a="$dur" -v b="$secs" 'BEGIN {d = a - b; exit !(d < 0.01 && d > -0.01)}'; then
		ok "$what: a 16 kHz mono WAV of $dur s"
	else
		fail "$what: got '$fmt' lasting $dur s, expected 'wav 16000 1 16 Signed Integer PCM' lasting $secs s"
	fi
}

D=demo.test
DIR_D=$SPOOL/tenants/$D/prompts
DIR_O=$SPOOL/tenants/other.test/prompts
setup tenant add Demo "$D"
setup tenant add Other other.test

# ---- codecs ----------------------------------------------------------------
ctl tenant list
header=$(echo "$OUT" | sed -n 1p | tr -s ' ')
if [ "$RC" -eq 0 ] && [ "$header" = "DOMAIN NAME EXTENSIONS CODECS MAIN NUMBER EMERGENCY RECORD CODE" ]; then
	ok "tenant list shows a CODECS column"
else
	fail "tenant list header: '$header' (exit $RC) $ERR"
fi
if [ "$(codecs_of "$D")" = G722,PCMU,PCMA ]; then
	ok "a new tenant prefers G722,PCMU,PCMA"
else
	fail "a new tenant's codecs are '$(codecs_of "$D")', not G722,PCMU,PCMA"
fi
says "codecs of $D: PCMU,G722" tenant codecs "$D" 'pcmu, G722'
says "codecs of $D: PCMA" tenant codecs DEMO.test PCMA
says "codecs of $D: G722,PCMA,PCMU" tenant codecs "$D" G722,PCMA,PCMU
if [ "$(codecs_of "$D")" = G722,PCMA,PCMU ] &&
	[ "$(codecs_of other.test)" = G722,PCMU,PCMA ]; then
	ok "tenant list shows the codecs as set, and other.test's unchanged"
else
	fail "tenant list: $D '$(codecs_of "$D")', other.test '$(codecs_of other.test)'"
fi
WANT="a comma-separated list of G722, PCMU and PCMA, most preferred first, each at most once"
refuses 1 "ondoctl: invalid codecs 'G729' ($WANT)" tenant codecs "$D" G729
refuses 1 "ondoctl: invalid codecs 'PCMU,pcmu' ($WANT)" tenant codecs "$D" PCMU,pcmu
refuses 1 "ondoctl: invalid codecs 'PCMU,' ($WANT)" tenant codecs "$D" PCMU,
refuses 1 "ondoctl: invalid codecs '' ($WANT)" tenant codecs "$D" ''
refuses 1 "ondoctl: invalid codecs 'G722,PCMU,PCMA,G722' ($WANT)" tenant codecs "$D" G722,PCMU,PCMA,G722
refuses 1 "ondoctl: no tenant nope.test" tenant codecs nope.test PCMU
refuses 2 "ondoctl: usage: ondoctl tenant codecs DOMAIN LIST" tenant codecs "$D"
says "name of $D: Demo Two" tenant name "$D" "Demo Two"
refuses 1 "ondoctl: invalid name 'a\"b' (1 to 127 characters, no control characters, quotes or backslashes)" tenant name "$D" 'a"b'

# ---- upload ----------------------------------------------------------------
sox -n -r 8000 -c 1 "$T_DIR/hello8k.wav" synth 2.5 sine 440 vol 0.5
sox -n -r 44100 -c 2 "$T_DIR/hello44k.wav" synth 3.2 sine 440 vol 0.5
sox -n -r 48000 -c 1 "$T_DIR/menu.flac" synth 1.5 sine 300 vol 0.5
echo "Welcome to Demo Company" >"$T_DIR/notes.txt"
: >"$T_DIR/empty.wav"
head -c 20 "$T_DIR/hello8k.wav" >"$T_DIR/cut.wav"

refuses 1 "ondoctl: $T_DIR/notes.txt is not an audio file" prompt upload "$D" welcome "$T_DIR/notes.txt"
refuses 1 "ondoctl: $T_DIR/empty.wav is empty, not an audio file" prompt upload "$D" welcome "$T_DIR/empty.wav"
refuses 1 "ondoctl: $T_DIR/cut.wav is not an audio file" prompt upload "$D" welcome "$T_DIR/cut.wav"
refuses 1 "ondoctl: no file $T_DIR/nope.wav" prompt upload "$D" welcome "$T_DIR/nope.wav"
refuses 1 "ondoctl: $T_DIR is a folder, not an audio file" prompt upload "$D" welcome "$T_DIR"
refuses 1 "ondoctl: invalid prompt id 'Welcome' (a-z, 0-9 and _, at most 63 characters)" prompt upload "$D" Welcome "$T_DIR/hello8k.wav"
refuses 1 "ondoctl: invalid prompt id '../x' (a-z, 0-9 and _, at most 63 characters)" prompt upload "$D" ../x "$T_DIR/hello8k.wav"
refuses 1 "ondoctl: no tenant nope.test" prompt upload nope.test welcome "$T_DIR/hello8k.wav"
refuses 2 "ondoctl: usage: ondoctl prompt upload DOMAIN ID FILE" prompt upload "$D" welcome
if [ ! -e "$SPOOL" ]; then
	ok "refused uploads created no folders"
else
	fail "refused uploads left $(cd "$SPOOL" && find . | paste -sd' ')"
fi

says "prompt welcome stored for $D (2.5 s)" prompt upload "$D" welcome "$T_DIR/hello8k.wav"
is_prompt "$DIR_D/welcome.wav" 2.5 "an 8 kHz mono upload"
says "prompt welcome replaced for $D (3.2 s)" prompt upload "$D" welcome "$T_DIR/hello44k.wav"
is_prompt "$DIR_D/welcome.wav" 3.2 "a 44.1 kHz stereo upload replacing it"
says "prompt main_menu stored for $D (1.5 s)" prompt upload DEMO.TEST main_menu "$T_DIR/menu.flac"
is_prompt "$DIR_D/main_menu.wav" 1.5 "a 48 kHz FLAC upload, domain given in capitals"
perms=$(stat -c '%a' "$SPOOL" "$SPOOL/tenants" "$SPOOL/tenants/$D" "$DIR_D" | paste -sd' ')
if [ "$perms" = "750 750 750 750" ]; then
	ok "the spool folders are created with mode 0750"
else
	fail "the spool folders have modes $perms, not 750"
fi

# A bad file leaves the tenant's existing prompt as it was.
refuses 1 "ondoctl: $T_DIR/notes.txt is not an audio file" prompt upload "$D" welcome "$T_DIR/notes.txt"
is_prompt "$DIR_D/welcome.wav" 3.2 "the prompt after a refused replacement"

# At most 10 minutes.
sox -n -r 8000 -c 1 "$T_DIR/long.wav" synth 601 sine 300 vol 0.5
refuses 1 "ondoctl: $T_DIR/long.wav is longer than 10 minutes" prompt upload "$D" long "$T_DIR/long.wav"
left=$(find "$DIR_D" -name "long*" | paste -sd" ")
if [ -n "$left" ]; then
	fail "a refused long upload left $left"
else
	ok "a refused long upload left no file behind"
fi

# Tenants are apart: demo.test's uploads are under its folder only.
files=$(cd "$SPOOL" && find . -type f | sort | paste -sd' ')
if [ "$files" = "./tenants/$D/prompts/main_menu.wav ./tenants/$D/prompts/welcome.wav" ] &&
	[ ! -e "$DIR_O" ]; then
	ok "uploads land under $D's own folder only"
else
	fail "files in the spool: $files"
fi
says "prompt welcome stored for other.test (2.5 s)" prompt upload other.test welcome "$T_DIR/hello8k.wav"
is_prompt "$DIR_O/welcome.wav" 2.5 "other.test's own welcome"
is_prompt "$DIR_D/welcome.wav" 3.2 "$D's welcome after other.test uploaded one"

# ---- list ------------------------------------------------------------------
ctl prompt list "$D"
rows=$(echo "$OUT" | awk 'NR > 1 {print $1, $2, $3}' | paste -sd,)
want="main_menu 1.5 $(stat -c %s "$DIR_D/main_menu.wav"),welcome 3.2 $(stat -c %s "$DIR_D/welcome.wav")"
header=$(echo "$OUT" | sed -n 1p | tr -s ' ')
if [ "$RC" -eq 0 ] && [ "$header" = "ID SECONDS BYTES UPLOADED" ] && [ "$rows" = "$want" ]; then
	ok "prompt list shows each upload with its seconds and bytes"
else
	fail "prompt list: header '$header', rows '$rows', expected '$want' (exit $RC) $ERR"
fi
# A half-written upload (the recorder's temporary file) is not a prompt.
: >"$DIR_D/greeting.wav.part-abc123"
ctl prompt list "$D"
if [ "$(echo "$OUT" | awk 'NR > 1 {print $1}' | paste -sd' ')" = "main_menu welcome" ]; then
	ok "prompt list skips temporary files"
else
	fail "prompt list with a .part file: $OUT"
fi
rm -f "$DIR_D/greeting.wav.part-abc123"
setup tenant add Third third.test
says "no prompts of third.test yet (callers hear the stock ones; upload one with ondoctl prompt upload)" prompt list third.test
refuses 1 "ondoctl: no tenant nope.test" prompt list nope.test

# ---- del -------------------------------------------------------------------
says "prompt welcome deleted from $D" prompt del "$D" welcome
if [ ! -e "$DIR_D/welcome.wav" ] && [ -f "$DIR_O/welcome.wav" ]; then
	ok "prompt del removed $D's welcome and kept other.test's"
else
	fail "after prompt del: $(cd "$SPOOL" && find . -type f | paste -sd' ')"
fi
refuses 1 "ondoctl: $D has no prompt 'welcome' of its own" prompt del "$D" welcome
refuses 1 "ondoctl: third.test has no prompt 'welcome' of its own" prompt del third.test welcome
refuses 1 "ondoctl: invalid prompt id 'main_menu.wav' (a-z, 0-9 and _, at most 63 characters)" prompt del "$D" main_menu.wav
ctl prompt list "$D"
if [ "$(echo "$OUT" | awk 'NR > 1 {print $1}' | paste -sd' ')" = "main_menu" ]; then
	ok "prompt list after del shows the rest"
else
	fail "prompt list after del: $OUT"
fi

# Deleting a tenant takes its files with it; other tenants keep theirs.
ctl tenant del "$D"
if [ ! -e "$SPOOL/tenants/$D" ] && [ -e "$DIR_O" ]; then
	ok "tenant del removed $D's prompts and left other.test's"
else
	fail "after tenant del: $(cd "$SPOOL" && find . | paste -sd' ')"
fi

echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
