#!/bin/sh
# render.sh - renders the stock prompts and music on hold to WAV files.
#
# Usage: render.sh IN_TSV OUTDIR
#
# Writes OUTDIR/8000/ID.wav and OUTDIR/16000/ID.wav (16-bit mono PCM) for
# each line of IN_TSV, plus OUTDIR/{8000,16000}/moh.wav. Needs espeak-ng and
# sox, no network. Re-running renders only prompts whose text (or this
# script) changed; OUTDIR/.src/ID.txt records what each file was made from.
# See README.md.
set -eu

VOICE=en-us
SPEED=150	# words a minute; espeak's default 175 is hurried on a phone
RATES="8000 16000"
PEAK=-3		# dBFS: loud enough on G.711 without clipping its peaks
MOH_PEAK=-8	# music sits below speech so prompts over it stay clear

die() {
	echo "render.sh: $*" >&2
	exit 1
}

# Renders one prompt; run in parallel by xargs: --one OUTDIR ID TEXT.
# The key ($RENDER_KEY, the script's checksum) is written last, so an
# interrupted run is redone next time rather than trusted.
if [ "${1:-}" = "--one" ]; then
	out=$2 id=$3 text=$4
	src="$out/.src/$id.espeak.wav"
	printf '%s' "$text" |
		espeak-ng -v "$VOICE" -s "$SPEED" --stdin -w "$src"
	for rate in $RATES; do
		# Trim the silence at both ends (reverse, trim, reverse), a
		# short fade each side so the cut never clicks, then level.
		sox -D "$src" -t wav -c 1 -b 16 -e signed-integer \
			"$out/$rate/$id.wav.tmp" \
			silence 1 0.01 0.5% reverse silence 1 0.01 0.5% \
			fade q 0.03 reverse fade q 0.01 \
			rate "$rate" norm "$PEAK"
		mv -f "$out/$rate/$id.wav.tmp" "$out/$rate/$id.wav"
	done
	rm -f "$src"
	printf '%s\n' "$RENDER_KEY	$text" >"$out/.src/$id.txt"
	exit 0
fi

[ $# -eq 2 ] || die "usage: render.sh IN_TSV OUTDIR"
tsv=$1 out=$2
[ -r "$tsv" ] || die "cannot read $tsv"
for tool in espeak-ng sox xargs cksum; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "$tool not found; install espeak-ng and sox"
done

start=$(date +%s.%N)
RENDER_KEY=$(cksum <"$0" | cut -d' ' -f1)
export RENDER_KEY
for rate in $RATES; do
	mkdir -p "$out/$rate"
done
mkdir -p "$out/.src"

# Collect the prompts that need rendering as NUL-separated id/text pairs.
jobs="$out/.src/jobs"
: >"$jobs"
seen=" "
total=0 todo=0 lineno=0
tab=$(printf '\t')
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	case $line in
	'' | '#'*) continue ;;
	*"$tab"*) ;;
	*) die "$tsv:$lineno: want ID<TAB>TEXT" ;;
	esac
	id=${line%%"$tab"*}
	text=${line#*"$tab"}
	case $id in
	'' | [!a-z]* | *[!a-z0-9_]*)
		die "$tsv:$lineno: id '$id' is not lower_snake_case" ;;
	moh) die "$tsv:$lineno: 'moh' is the music on hold" ;;
	esac
	[ -n "$text" ] || die "$tsv:$lineno: no text for $id"
	case $seen in
	*" $id "*) die "$tsv:$lineno: $id is listed twice" ;;
	esac
	seen="$seen$id "
	total=$((total + 1))
	fresh=1
	for rate in $RATES; do
		[ -f "$out/$rate/$id.wav" ] || fresh=0
	done
	if [ $fresh = 1 ] && [ -f "$out/.src/$id.txt" ] &&
		[ "$(cat "$out/.src/$id.txt")" = "$RENDER_KEY	$text" ]; then
		continue
	fi
	printf '%s\0%s\0' "$id" "$text" >>"$jobs"
	todo=$((todo + 1))
done <"$tsv"

if [ $todo -gt 0 ]; then
	ncpu=$(nproc 2>/dev/null || echo 2)
	xargs -0 -n 2 -P "$ncpu" sh "$0" --one "$out" <"$jobs" ||
		die "rendering failed"
fi
rm -f "$jobs"

# Drop what this script rendered for ids no longer in the list.
for f in "$out/.src/"*.txt; do
	[ -f "$f" ] || continue
	id=${f##*/}
	id=${id%.txt}
	case $seen in
	*" $id "*) continue ;;
	esac
	for rate in $RATES; do
		rm -f "$out/$rate/$id.wav"
	done
	rm -f "$f"
done

# Music on hold: a 16 s cycle of plucked arpeggios over I-vi-IV-V chords,
# played twice (32 s). The notes ringing past the end are folded back onto
# the start, so the file loops without a seam or a click.
moh_made="up to date"
moh_fresh=1
for rate in $RATES; do
	[ -f "$out/$rate/moh.wav" ] || moh_fresh=0
done
[ -f "$out/.src/moh.key" ] &&
	[ "$(cat "$out/.src/moh.key")" = "$RENDER_KEY" ] || moh_fresh=0
if [ $moh_fresh = 0 ]; then
	moh_made="rendered"
	# Per chord: bass, then five notes a third of a second apart, in
	# semitones from A4 (C4 = -9). C Am F G C Em Dm G, G leading home.
	chords="-21 -9 -5 -2 3 -2
-24 -12 -9 -5 0 -5
-28 -16 -12 -9 -4 -9
-26 -14 -10 -7 -2 -7
-21 -9 -5 -2 3 -2
-29 -17 -14 -10 -5 -10
-19 -7 -4 0 5 0
-26 -14 -10 -7 -2 -7"
	tones="" delays="" n=0 c=0
	for notes in $(echo "$chords" | tr ' ' ','); do
		k=0
		for note in $(echo "$notes" | tr ',' ' '); do
			tones="$tones pluck %$note"
			# chord c starts at 2c s; note k at k/3 s into it
			delays="$delays $(echo "$c $k" |
				awk '{ printf "%.3f", $1 * 2 + $2 / 3 }')"
			k=$((k + 1))
			n=$((n + 1))
		done
		c=$((c + 1))
	done
	w="$out/.src/moh"
	# pluck only runs at 44.1-48 kHz; each note rings for 3.5 s. The
	# low-pass takes the edge off the attacks: bright plucks sound
	# harsh through G.711.
	# shellcheck disable=SC2086
	sox -r 44100 -c $n -n -c 1 "$w-raw.wav" synth 3.5 $tones \
		delay $delays remix - lowpass 2000 lowpass 2000 reverb 30 50 60 rate 16000
	sox "$w-raw.wav" "$w-body.wav" trim 0 16
	sox "$w-raw.wav" "$w-tail.wav" trim 16
	sox -m -v 1 "$w-body.wav" -v 1 "$w-tail.wav" "$w-loop.wav"
	for rate in $RATES; do
		sox -D "$w-loop.wav" -t wav -c 1 -b 16 -e signed-integer \
			"$out/$rate/moh.wav.tmp" repeat 1 rate "$rate" \
			norm "$MOH_PEAK"
		mv -f "$out/$rate/moh.wav.tmp" "$out/$rate/moh.wav"
	done
	rm -f "$w-raw.wav" "$w-body.wav" "$w-tail.wav" "$w-loop.wav"
	printf '%s\n' "$RENDER_KEY" >"$out/.src/moh.key"
fi

secs=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
echo "render.sh: $total prompts ($todo rendered), music on hold $moh_made," \
	"in $out/{8000,16000}, $secs s"
