#!/usr/bin/env python3
"""kill_on_file.py - SIGKILL a process the moment a file event happens.

  kill_on_file.py DIR EVENT PATTERN PID [SECONDS]

Watches DIR with inotify and, on the first EVENT whose file name matches
the glob PATTERN, sends SIGKILL to PID at once (tens of microseconds after
the event, where a shell's `sleep; kill` takes milliseconds). EVENT is
  created   a file was created in DIR       (IN_CREATE)
  closed    a file open for writing closed  (IN_CLOSE_WRITE)
  renamed   a file was renamed into DIR     (IN_MOVED_TO)
Prints "watching" once the watch is in place (start the work after that),
then the name that matched. Exit status 0 when it killed, 1 when SECONDS
(default 20) passed without a match, 2 on a usage or inotify error.
Python 3 standard library only (ctypes for inotify).
"""
import ctypes
import ctypes.util
import fnmatch
import os
import select
import signal
import struct
import sys
import time

EVENTS = {"created": 0x100, "closed": 0x8, "renamed": 0x80}
IN_CLOEXEC = 0o2000000
HEADER = struct.Struct("iIII")  # wd, mask, cookie, len


def main():
    if len(sys.argv) not in (5, 6) or sys.argv[2] not in EVENTS:
        sys.stderr.write(__doc__)
        return 2
    folder, mask = sys.argv[1], EVENTS[sys.argv[2]]
    pattern, pid = sys.argv[3], int(sys.argv[4])
    limit = float(sys.argv[5]) if len(sys.argv) == 6 else 20.0
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    fd = libc.inotify_init1(IN_CLOEXEC)
    if fd < 0 or libc.inotify_add_watch(fd, folder.encode(), mask) < 0:
        sys.stderr.write(f"inotify on {folder}: "
                         f"{os.strerror(ctypes.get_errno())}\n")
        return 2
    print("watching", flush=True)
    end = time.monotonic() + limit
    while True:
        left = end - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return 1
        buf = os.read(fd, 65536)
        off = 0
        while off < len(buf):
            _, ev, _, n = HEADER.unpack_from(buf, off)
            name = buf[off + HEADER.size:off + HEADER.size + n]
            name = name.rstrip(b"\0").decode(errors="replace")
            off += HEADER.size + n
            if ev & mask and fnmatch.fnmatchcase(name, pattern):
                os.kill(pid, signal.SIGKILL)
                print(name, flush=True)
                return 0


if __name__ == "__main__":
    sys.exit(main())
