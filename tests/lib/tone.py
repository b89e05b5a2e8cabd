#!/usr/bin/env python3
"""tone.py - is a sine tone of a given frequency in a WAV recording?

  tone.py [--absent] [--min-fraction F] [--threshold R] FILE.wav HZ

Cuts the file into 20 ms blocks. For each block with more than a whisper of
energy, a Goertzel filter measures the power at HZ relative to the block's
total energy: 1.0 for a pure tone at HZ, ~0 for silence or another tone.
A block "has the tone" when that ratio is at least R (default 0.5).

Prints one line: the fraction of all blocks that have the tone, the mean
ratio over non-silent blocks, and the file's length. Exit status:
  default    0 if at least F (default 0.3) of the blocks have the tone
  --absent   0 if at most 0.05 of the blocks have the tone
  2          the file cannot be read
Python 3 standard library only (wave, math, array).
"""
import array
import math
import sys
import wave

BLOCK_MS = 20
SILENCE_RMS = 100.0  # of 32767: about -50 dBFS


def blocks_of(path):
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: want 16-bit PCM, got "
                             f"{8 * w.getsampwidth()}-bit")
        rate, chans = w.getframerate(), w.getnchannels()
        raw = w.readframes(w.getnframes())
    pcm = array.array("h")
    pcm.frombytes(raw)
    if sys.byteorder == "big":
        pcm.byteswap()
    if chans > 1:  # first channel only
        pcm = pcm[::chans]
    n = rate * BLOCK_MS // 1000
    return rate, n, [pcm[i:i + n] for i in range(0, len(pcm) - n + 1, n)]


def goertzel_ratio(block, rate, hz):
    """Power at hz over total energy; 1.0 for a pure tone at hz."""
    n = len(block)
    k = round(n * hz / rate)  # 20 ms blocks: 50 Hz bins, 700/1100 exact
    coeff = 2.0 * math.cos(2.0 * math.pi * k / n)
    s1 = s2 = 0.0
    energy = 0.0
    for x in block:
        s0 = x + coeff * s1 - s2
        s2, s1 = s1, s0
        energy += x * x
    power = s1 * s1 + s2 * s2 - coeff * s1 * s2
    if energy <= 0.0:
        return 0.0, 0.0
    return 2.0 * power / (n * energy), math.sqrt(energy / n)


def main(argv):
    absent = False
    min_fraction, threshold = 0.3, 0.5
    args = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--absent":
            absent = True
        elif a == "--min-fraction":
            i += 1
            min_fraction = float(argv[i])
        elif a == "--threshold":
            i += 1
            threshold = float(argv[i])
        else:
            args.append(a)
        i += 1
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    path, hz = args[0], float(args[1])
    try:
        rate, n, blocks = blocks_of(path)
    except (OSError, EOFError, ValueError, wave.Error) as e:
        print(f"cannot read {path}: {e}")
        return 2
    if not blocks:
        print(f"{path}: empty recording (no 20 ms block of audio)")
        return 1 if not absent else 0
    with_tone = 0
    voiced = 0
    ratio_sum = 0.0
    for b in blocks:
        ratio, rms = goertzel_ratio(b, rate, hz)
        if rms < SILENCE_RMS:
            continue
        voiced += 1
        ratio_sum += ratio
        if ratio >= threshold:
            with_tone += 1
    fraction = with_tone / len(blocks)
    mean = ratio_sum / voiced if voiced else 0.0
    seconds = len(blocks) * BLOCK_MS / 1000.0
    print(f"{hz:g} Hz: ratio {mean:.2f} in non-silent blocks, present in "
          f"{100 * fraction:.0f}% of {seconds:.1f} s "
          f"({100 * voiced / len(blocks):.0f}% non-silent)")
    if absent:
        return 0 if fraction <= 0.05 else 1
    return 0 if fraction >= min_fraction else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
