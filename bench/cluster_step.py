#!/usr/bin/env python3
"""Ondo bench (cluster.sh): one load step measured on several servers.

usage: cluster_step.py --proc NAME=PID [--proc NAME=PID ...] --out FILE.jsonl
                       -- <run_step.py arguments, with its own --out FILE>

Runs run_step.py (which runs the SIPp step and judges it clean or not, with
its own definition: 0 failed, 0 retransmissions/timeouts, 0 drops on the
watched sockets, 0 RcvbufErrors, not late) and, around it, reads the
schedstat of every thread of each named server process and its children
(the front is Kamailio: a process tree). It then rewrites the step's JSON
line of run_step.py's --out with these fields added:

  procs      {NAME: % of one core over the step}
  us_per_op  {NAME: CPU microseconds per successful SIPp call}
  other_cpu_excl  run_step.py's "other load" minus the named servers that
             were not its --server-pid (those count as "other" there)

  all_drops  {ADDR:PORT: drops} of every UDP socket whose count grew
  foreign_drops  those of them held by processes that are not ours
  clean_but_foreign  not clean for run_step.py only because of UDP
             RcvbufErrors (machine-wide) that drops on foreign sockets
             account for: another program on this shared machine

The exit status is run_step.py's, but 0 for a clean_but_foreign step.
"""
import json, os, signal, subprocess, sys, time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_step import thread_ns, tree, udp_drops  # noqa: E402


def ns_of(pid):
    return sum(ns for _, ns in thread_ns(tree(pid)).values())


def udp_socket_drops():
    """{"addr:port": drops} of every UDP socket"""
    d = {}
    for path in ('/proc/net/udp', '/proc/net/udp6'):
        try:
            lines = open(path).readlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            ip, port = f[1].rsplit(':', 1)
            if len(ip) == 8:
                ip = '.'.join(str(int(ip[i:i + 2], 16)) for i in (6, 4, 2, 0))
            k = f'{ip}:{int(port, 16)}'
            d[k] = (d.get(k, (0, None))[0] + int(f[-1]), f[9])
    return d


def socket_owners(inodes):
    """{inode: pid} of the processes holding these socket inodes now"""
    want = {f'socket:[{i}]': i for i in inodes}
    r = {}
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            for fd in os.listdir(f'/proc/{p}/fd'):
                try:
                    t = os.readlink(f'/proc/{p}/fd/{fd}')
                except OSError:
                    continue
                if t in want:
                    r[want[t]] = int(p)
        except OSError:
            pass
    return r


def main():
    args = sys.argv[1:]
    if '--' not in args:
        sys.exit(__doc__)
    mine, rest = args[:args.index('--')], args[args.index('--') + 1:]
    procs = {}
    i = 0
    while i < len(mine):
        if mine[i] == '--proc':
            n, _, p = mine[i + 1].partition('=')
            procs[n] = int(p)
            i += 2
        else:
            sys.exit('cluster_step.py: unknown argument ' + mine[i])
    out = rest[rest.index('--out') + 1]
    primary = int(rest[rest.index('--server-pid') + 1])
    n0 = {n: ns_of(p) for n, p in procs.items()}
    u0 = udp_socket_drops()
    w0 = time.time()
    p = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), 'run_step.py')] + rest)

    def on_signal(signum, frame):
        p.terminate()
        sys.exit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    rc = p.wait()
    w = time.time() - w0
    n1 = {n: ns_of(p) for n, p in procs.items()}
    u1 = udp_socket_drops()
    try:
        lines = open(out).read().splitlines()
        res = json.loads(lines[-1])
    except (OSError, IndexError, ValueError):
        return rc
    used = {n: max(0, n1[n] - n0[n]) for n in procs}
    ok = res.get('ok') or 0
    res['procs'] = {n: round(100.0 * v / 1e9 / w, 1) for n, v in used.items()}
    res['us_per_op'] = {n: (round(v / 1e3 / ok, 1) if ok else None) for n, v in used.items()}
    res['step_wall'] = round(w, 2)
    res['other_cpu_excl'] = round(res.get('other_cpu', 0) - sum(
        100.0 * v / 1e9 / w for n, v in used.items() if procs[n] != primary), 1)
    # every UDP socket of the machine whose drop count grew (RcvbufErrors is
    # machine-wide: this says whose socket it was); sockets that closed
    # during the step are not seen
    grown = {k: (v - u0.get(k, (0, None))[0], ino) for k, (v, ino) in u1.items()
             if v > u0.get(k, (0, None))[0]}
    res['all_drops'] = {k: v for k, (v, _) in grown.items()}
    # Drops on sockets held by a process that is none of ours (another
    # program on this shared machine): run_step.py counts the machine-wide
    # RcvbufErrors, which then include them. A socket whose owner is gone
    # (SIPp's after it exits) counts as ours.
    ours = set()
    for pid in list(procs.values()) + ([int(rest[rest.index('--uas-pid') + 1])] if '--uas-pid' in rest else []):
        ours.update(tree(pid))
    owners = socket_owners([ino for _, ino in grown.values()])
    foreign = {k: v for k, (v, ino) in grown.items() if ino in owners and owners[ino] not in ours}
    res['foreign_drops'] = foreign
    # clean but for RcvbufErrors that other programs' sockets account for
    bad_ours = (res.get('failed', 0) + res.get('retrans', 0) + res.get('timeouts', 0) +
                sum(res.get('drops', {}).values()))
    res['clean_but_foreign'] = (not res.get('clean') and bad_ours == 0 and not res.get('late')
                                and res.get('created') == res.get('total') == res.get('ok')
                                and 0 < res.get('rcvbuf_errors', 0) <= sum(foreign.values()))
    ctl = os.environ.get('CL_FRONT_CTL')
    if ctl and 'front' in procs:
        try:
            o = subprocess.run(['kamcmd', '-s', 'unix:' + ctl, 'core.shmmem', 'm'],
                               capture_output=True, text=True, timeout=5).stdout
            kv = dict(l.split(':', 1) for l in o.replace('{', '').replace('}', '').splitlines() if ':' in l)
            res['front_shm_mb'] = {k.strip(): int(v.strip()) for k, v in kv.items()}
        except Exception:
            pass
    lines[-1] = json.dumps(res)
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('    cpu %: ' + ' '.join(f'{n}={v}' for n, v in res['procs'].items()) +
          '   us/op: ' + ' '.join(f'{n}={v}' for n, v in res['us_per_op'].items()) +
          f"   other={res['other_cpu_excl']}%" +
          (f"   socket drops: {res['all_drops']}" if res['all_drops'] else '') +
          (f"   front shm: {res['front_shm_mb']}" if 'front_shm_mb' in res else ''), flush=True)
    if rc == 1 and res['clean_but_foreign']:
        print('    clean but for RcvbufErrors of other programs\' sockets: counted clean', flush=True)
        return 0
    return rc


if __name__ == '__main__':
    sys.exit(main())
