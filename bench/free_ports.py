#!/usr/bin/env python3
"""free_ports.py N [--udp] - prints the first of N consecutive ports on
127.0.0.1 that are free for UDP and TCP (with --udp: UDP only), from a
random base in 41000-60000 aligned to 8, so that the bench scripts never
assume a port is free. Prints nothing (exit 1) if none is found in 500
tries."""
import random
import socket
import sys


def free(p, kinds):
    for t in kinds:
        s = socket.socket(socket.AF_INET, t)
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            return False
        finally:
            s.close()
    return True


def main():
    n = int(sys.argv[1])
    kinds = [socket.SOCK_DGRAM]
    if "--udp" not in sys.argv[2:]:
        kinds.append(socket.SOCK_STREAM)
    for _ in range(500):
        b = random.randrange(41000, 60000, 8)
        if all(free(b + i, kinds) for i in range(n)):
            print(b)
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
