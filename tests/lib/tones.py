#!/usr/bin/env python3
"""tones.py - which tones are in a window of a WAV recording?

  tones.py FILE.wav START_S END_S [--has HZ[,HZ...]] [--lacks HZ[,HZ...]]

For the 20 ms blocks from START_S to END_S (seconds from the file's start)
that hold more than a whisper, measures with a Goertzel filter (tone.py)
the share of each block's energy at each frequency, and averages it. A
tone of --has must carry at least 0.15 of the energy (two equal tones
carry about 0.5 each), one of --lacks at most 0.02 (codec noise and
resampling leave less than 0.01). Prints one line with every share;
exit 0 if all hold, 1 if not, 2 if the file cannot be read or the window
holds no audio.
"""
import sys
import wave

from tone import BLOCK_MS, SILENCE_RMS, blocks_of, goertzel_ratio

HAS_MIN, LACKS_MAX = 0.15, 0.02


def freqs(s):
    return [float(x) for x in s.split(",") if x]


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    path, start, end = argv[1], float(argv[2]), float(argv[3])
    has, lacks = [], []
    i = 4
    while i + 1 < len(argv):
        if argv[i] == "--has":
            has = freqs(argv[i + 1])
        elif argv[i] == "--lacks":
            lacks = freqs(argv[i + 1])
        i += 2
    try:
        rate, _, blocks = blocks_of(path)
    except (OSError, EOFError, ValueError, wave.Error) as e:
        print(f"cannot read {path}: {e}")
        return 2
    first, last = int(start * 1000 / BLOCK_MS), int(end * 1000 / BLOCK_MS)
    window = blocks[max(first, 0):max(last, 0)]
    share = {hz: 0.0 for hz in has + lacks}
    voiced = 0
    for b in window:
        if goertzel_ratio(b, rate, 1000)[1] < SILENCE_RMS:
            continue
        voiced += 1
        for hz in share:
            share[hz] += goertzel_ratio(b, rate, hz)[0]
    if not voiced:
        print(f"no audio from {start:.1f} s to {end:.1f} s "
              f"(the file has {len(blocks) * BLOCK_MS / 1000:.1f} s)")
        return 2
    ok = True
    parts = []
    for hz in share:
        share[hz] /= voiced
        want = "want >= %.2f" % HAS_MIN if hz in has else \
            "want <= %.2f" % LACKS_MAX
        good = share[hz] >= HAS_MIN if hz in has else share[hz] <= LACKS_MAX
        ok = ok and good
        parts.append(f"{hz:g} Hz {share[hz]:.3f} ({want})")
    print(f"{start:.1f}-{end:.1f} s, {voiced} blocks with audio: " +
          ", ".join(parts))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
