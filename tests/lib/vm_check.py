#!/usr/bin/env python3
"""vm_check.py - do the voicemail spool and its index agree, message by message?

  vm_check.py DB SPOOL

The rule of docs/voicemail.md ("Crash safety"): every message is either
whole and listed, or absent. Checks, and prints one line per problem:

  - every row of vm_messages: not flagged missing, its file is there, in
    the folder the row names;
  - every file in a box's new/ and saved/ folder has a row;
  - every message file is whole: a 16-bit mono WAV whose header agrees with
    the file's size (RIFF and data lengths), readable to the last frame, at
    least one second long, its length the row's duration_ms, and not
    silence (the caller's tone is in it);
  - no recorder temporary file (*.part-*) and nothing in quarantine/.

Exit status 0 and one summary line ("12 messages, 20.3 s ...") when all
is well; 1 and the problems otherwise. Python 3 standard library only.
"""
import array
import os
import sqlite3
import struct
import sys
import wave

BLOCK_MS = 20
SILENCE_MEAN_ABS = 300  # the voicemail app's own silence level
MIN_MS = 1000


def wav_problems(path):
    """(problems, frames ms, fraction of non-silent 20 ms blocks)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return ["not a RIFF/WAVE file"], 0, 0.0
        riff_len = struct.unpack("<I", head[4:8])[0]
        data_len = None
        while True:
            ch = f.read(8)
            if len(ch) < 8:
                break
            cid, clen = ch[:4], struct.unpack("<I", ch[4:])[0]
            if cid == b"data":
                data_len = clen
                break
            f.seek(clen + (clen & 1), 1)
    probs = []
    if riff_len + 8 != size:
        probs.append(f"header says {riff_len + 8} bytes, file has {size}"
                     " (header not final: a half-written file)")
    if data_len is None:
        return probs + ["no data chunk"], 0, 0.0
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            probs.append(f"{w.getnchannels()} channels of"
                         f" {8 * w.getsampwidth()} bits, want 16-bit mono")
            return probs, 0, 0.0
        rate, frames = w.getframerate(), w.getnframes()
        raw = w.readframes(frames)
    if len(raw) != frames * 2 or data_len != frames * 2:
        probs.append(f"header promises {frames} frames, only"
                     f" {len(raw) // 2} could be read")
    ms = frames * 1000 // rate if rate else 0
    pcm = array.array("h")
    pcm.frombytes(raw[: len(raw) // 2 * 2])
    if sys.byteorder == "big":
        pcm.byteswap()
    n = rate * BLOCK_MS // 1000 or 1
    blocks = [pcm[i:i + n] for i in range(0, len(pcm) - n + 1, n)]
    loud = sum(1 for b in blocks
               if sum(abs(x) for x in b) / len(b) >= SILENCE_MEAN_ABS)
    return probs, ms, (loud / len(blocks) if blocks else 0.0)


def main():
    db_path, spool = sys.argv[1], sys.argv[2]
    probs = []
    db = sqlite3.connect(db_path, timeout=5)
    rows = db.execute("SELECT id, folder, file, duration_ms, flagged_missing"
                      " FROM vm_messages ORDER BY id").fetchall()
    db.close()
    by_file = {}
    total_ms = 0
    folders = {"new": 0, "saved": 0}
    for mid, folder, rel, dur, missing in rows:
        by_file[rel] = mid
        what = f"message {mid} ({rel})"
        if missing:
            probs.append(f"{what}: flagged missing (a row whose file was"
                         " lost)")
        path = os.path.join(spool, rel)
        if os.path.basename(os.path.dirname(rel)) != folder:
            probs.append(f"{what}: row says folder {folder}")
        if not os.path.isfile(path):
            probs.append(f"{what}: listed, but its file is not there")
            continue
        p, ms, loud = wav_problems(path)
        probs += [f"{what}: {x}" for x in p]
        if ms < MIN_MS:
            probs.append(f"{what}: only {ms} ms long (under a second is"
                         " never kept)")
        if abs(ms - dur) > 1:
            probs.append(f"{what}: the row says {dur} ms, the file holds"
                         f" {ms} ms")
        if loud < 0.5:
            probs.append(f"{what}: mostly silence ({loud:.0%} of it has"
                         " the caller's tone)")
        total_ms += ms
        folders[folder] = folders.get(folder, 0) + 1

    tenants = os.path.join(spool, "tenants")
    for dirpath, dirnames, filenames in os.walk(tenants):
        rel_dir = os.path.relpath(dirpath, spool)
        kind = os.path.basename(dirpath)
        for name in filenames:
            rel = os.path.join(rel_dir, name)
            if ".part-" in name:
                probs.append(f"{rel}: an unfinished recording was left"
                             " behind")
            elif kind == "quarantine":
                probs.append(f"{rel}: quarantined (a message file that was"
                             " not audio)")
            elif kind in ("new", "saved") and rel not in by_file:
                probs.append(f"{rel}: a message file no row lists")
    if probs:
        print("\n".join(probs))
        return 1
    print(f"{len(rows)} messages ({folders['new']} new, {folders['saved']}"
          f" saved), {total_ms / 1000:.1f} s of audio, each whole and"
          " listed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
