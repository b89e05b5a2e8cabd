#!/bin/bash
# test_prompts.sh - a tenant's own prompts in the panel: a tenant admin
# uploads a WAV as welcome and a stereo FLAC as moh (the music on hold)
# in the page, after a bad id and a text file are refused; the daemon
# stores both as 16 kHz mono WAV where calls look for them; the page's
# player plays welcome; welcome is replaced (after a confirmation) and
# deleted; ondoctl prompt list agrees; the changes are in the audit log;
# an extension user has no such page.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
test_init "panel: a tenant's prompts uploaded, played, replaced and deleted"

DOM=acme.test
DIR=$T_DIR/ondo/spool/tenants/$DOM/prompts
web_start
web_has_endpoint GET "/api/v1/tenants/x.test/prompts" ||
	web_skip "this daemon has no prompt uploads in its API (GET /api/v1/tenants/{t}/prompts): the test waits for it"
provision tenant add Acme "$DOM"
provision ext add "$DOM" 1001 --password 'pw-1001-prompts'
provision user add adma --role admin --tenant "$DOM" --password adma-pass-1
provision user add ua --role user --tenant "$DOM" --ext 1001 --password ua-pass-123

sox -n -r 8000 -c 1 -b 16 "$T_DIR/hello.wav" synth 2.5 sine 440 vol 0.5
sox -n -r 44100 -c 2 "$T_DIR/music.flac" synth 3 sine 330 vol 0.5
echo "Welcome to Acme" >"$T_DIR/notes.txt"

# is_stored ID SECONDS: the prompt's file is 16-bit mono 16 kHz WAV of
# about SECONDS.
is_stored() {
	local f=$DIR/$1.wav got
	got=$(for o in -t -r -c -b; do sox --i "$o" "$f" 2>/dev/null; done | paste -sd' ')
	check "$1 is stored as a 16 kHz mono 16-bit WAV ($got)" [ "$got" = "wav 16000 1 16" ]
	got=$(sox --i -D "$f" 2>/dev/null)
	check "  $2 s long ($got)" awk -v d="$got" -v w="$2" 'BEGIN { exit !(d > w - 0.05 && d < w + 0.05) }'
}

web_step prompts.mjs upload "$T_DIR/hello.wav" "$T_DIR/music.flac" "$T_DIR/notes.txt" ||
	fatal "the prompts could not be uploaded in the page"
is_stored welcome 2.5
is_stored moh 3
check "the refused uploads left no file behind" \
	[ "$(cd "$DIR" && ls -A | paste -sd' ')" = "moh.wav welcome.wav" ]
web_step prompts.mjs play || true
web_step prompts.mjs replace "$T_DIR/music.flac" || true
is_stored welcome 3
web_step prompts.mjs remove || true
ids=$(ondoctl prompt list "$DOM" | awk 'NR > 1 {print $1}' | paste -sd' ')
check "ondoctl prompt list shows moh only ($ids)" [ "$ids" = moh ]
web_step prompts.mjs phone || true
web_step prompts.mjs user || true

audit=$(sql "SELECT action || ' ' || object || ' by ' || username FROM audit_log WHERE object LIKE 'prompt %' ORDER BY id")
want="PUT /api/v1/tenants/$DOM/prompts/welcome prompt welcome by adma
PUT /api/v1/tenants/$DOM/prompts/moh prompt moh by adma
PUT /api/v1/tenants/$DOM/prompts/welcome prompt welcome by adma
DELETE /api/v1/tenants/$DOM/prompts/welcome prompt welcome by adma"
check "the audit log has the three uploads and the deletion, by adma:$(echo; echo "$audit" | sed 's/^/       /')" \
	[ "$audit" = "$want" ]
stop_ondo
finish
