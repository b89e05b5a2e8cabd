#!/usr/bin/env python3
"""Ondo bench: run one SIPp load step and measure the server under it.

Adapted from shared/anchors/run_step.py.

usage: run_step.py --label L --rate R --secs S --server-pid PID
                   --sip-port P [--watch-port P ...] [--uas-pid PID]
                   [--hold-ms MS] [--out FILE.jsonl] [--logdir DIR]
                   [--calls-cmd "CMD"] -- <sipp args without -r/-m>

Runs `taskset -c 0 sipp ... -r R -m R*S`, and reports for the step:
calls created / ok / failed, SIPp retransmissions, timeouts and unexpected
messages, the kernel drop counters of the server's UDP socket and of the
watched SIPp sockets (/proc/net/udp, sampled while SIPp runs since its
socket disappears when it exits), UDP RcvbufErrors (/proc/net/snmp,
whole machine), server CPU (schedstat of every thread of the server pid and
of its child processes, i.e. % of one core), the same per thread name, SIPp
CPU, and the server's VmRSS/VmHWM after the step.

One JSON object per step is appended to --out. Exit status: 0 clean step,
1 not clean (some failure, retransmission or drop), 2 overloaded (more than
1% failed, or SIPp could not create the calls in time), 3 SIPp did not run.
"""
import argparse, json, os, re, shlex, signal, subprocess, sys, threading, time


def children(pid):
    out = []
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                with open(f'/proc/{p}/stat') as f:
                    if int(f.read().rsplit(')', 1)[1].split()[1]) == pid:
                        out.append(int(p))
            except (OSError, ValueError, IndexError):
                pass
    return out


def tree(pid):
    """pid and all its descendants"""
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children(p))
    return seen


def thread_ns(pids):
    """{(pid, tid): (comm, on-cpu ns)} for every thread of the pids"""
    r = {}
    for p in pids:
        try:
            tids = os.listdir(f'/proc/{p}/task')
        except OSError:
            continue
        for t in tids:
            try:
                with open(f'/proc/{p}/task/{t}/schedstat') as f:
                    ns = int(f.read().split()[0])
                with open(f'/proc/{p}/task/{t}/comm') as f:
                    comm = f.read().strip()
                r[(p, int(t))] = (comm, ns)
            except (OSError, ValueError):
                pass
    return r


def proc_ticks(pids):
    """utime+stime of whole processes (includes threads that exited)"""
    t = 0
    for p in pids:
        try:
            with open(f'/proc/{p}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
            t += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            pass
    return t


def udp_drops():
    """{port: drops} of the loopback/any UDP sockets"""
    d = {}
    for path in ('/proc/net/udp', '/proc/net/udp6'):
        try:
            lines = open(path).readlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            port = int(f[1].rsplit(':', 1)[1], 16)
            d[port] = d.get(port, 0) + int(f[-1])
    return d


def cpu_busy():
    """per-CPU (busy, total) jiffies from /proc/stat"""
    r = []
    for line in open('/proc/stat'):
        if line.startswith('cpu') and line[3].isdigit():
            v = [int(x) for x in line.split()[1:]]
            r.append((sum(v) - v[3] - v[4], sum(v)))
    return r


def all_ticks():
    """{pid: utime+stime} of every process: what other programs on the
    machine used during the step (a lower bound: a process that exits
    before the end of the step is not counted)"""
    r = {}
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                with open(f'/proc/{p}/stat') as f:
                    v = f.read().rsplit(')', 1)[1].split()
                r[int(p)] = int(v[11]) + int(v[12])
            except (OSError, ValueError, IndexError):
                pass
    return r


def snmp_udp():
    lines = [l.split() for l in open('/proc/net/snmp') if l.startswith('Udp:')]
    return dict(zip(lines[0][1:], map(int, lines[1][1:])))


def status(pid):
    r = {}
    try:
        for line in open(f'/proc/{pid}/status'):
            k, _, v = line.partition(':')
            if k in ('VmRSS', 'VmHWM', 'Threads'):
                r[k] = int(v.split()[0])
    except OSError:
        pass
    return r


def parse_sipp(out):
    """counters from SIPp's final screens"""
    last = out[out.rfind('Statistics Screen'):]

    def cum(name):
        m = re.search(r'^\s*' + re.escape(name) + r'\s*\|[^|]*\|\s*([0-9.]+)', last, re.M)
        return float(m.group(1)) if m else None
    r = {'ok': cum('Successful call'), 'failed': cum('Failed call'),
         'created': cum('Outgoing calls created')}
    m = re.search(r'Call Rate\s*\|[^|]*\|\s*([0-9.]+) cps', last)
    r['sipp_cps'] = float(m.group(1)) if m else None
    retr = tmo = unexp = 0
    sect = out[out.rfind('Messages  Retrans'):]
    if 'Test Terminated' in sect:
        sect = sect[:sect.find('Test Terminated')]
    rows = []
    for line in sect.splitlines():
        m = re.match(r'\s*(\S+)\s+(-+>|<-+)\s+(?:[EB]-RTD\d\s+)?([0-9 ]+)$', line.rstrip())
        if m:
            nums = [int(x) for x in m.group(3).split()]
            rows.append((m.group(1), m.group(2).strip('-'), nums))
            if len(nums) > 1:
                retr += nums[1]
            if len(nums) > 2:
                tmo += nums[2]
            if len(nums) > 3:
                unexp += nums[3]
        m = re.match(r'\s*Pause \[.*\]\s+(\d+)\s+(\d+)', line)
        if m:
            unexp += int(m.group(2))
    r.update(retrans=retr, timeouts=tmo, unexpected=unexp, messages=rows)
    m = re.findall(r'(\d+)/(\d+)/(\d+) UDP errors', out)
    r['udp_errors'] = sum(int(x) for x in m[-1]) if m else 0
    m = re.findall(r'(\d+) dead call msg \(discarded\)\s+(\d+) out-of-call msg', out)
    r['dead_msgs'], r['out_of_call_msgs'] = (int(m[-1][0]), int(m[-1][1])) if m else (0, 0)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--label', required=True)
    ap.add_argument('--rate', type=int, required=True)
    ap.add_argument('--secs', type=int, required=True)
    ap.add_argument('--server-pid', type=int, required=True)
    ap.add_argument('--sip-port', type=int, required=True)
    ap.add_argument('--watch-port', type=int, action='append', default=[])
    ap.add_argument('--uas-pid', type=int, default=0)
    ap.add_argument('--hold-ms', type=int, default=0)
    ap.add_argument('--out', default=None)
    ap.add_argument('--logdir', default='.')
    ap.add_argument('--calls-cmd', default=None,
                    help='command printing calls in progress, one a line')
    ap.add_argument('--calls-settle', type=float, default=2.0)
    ap.add_argument('--attempt', type=int, default=1)
    ap.add_argument('sipp', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    sipp_args = a.sipp[1:] if a.sipp and a.sipp[0] == '--' else a.sipp

    srv = tree(a.server_pid)
    ports = [a.sip_port] + a.watch_port
    d0, s0, c0, o0 = udp_drops(), snmp_udp(), cpu_busy(), all_ticks()
    th0, tk0 = thread_ns(srv), proc_ticks(srv)
    uas0 = thread_ns([a.uas_pid]) if a.uas_pid else {}
    total = a.rate * a.secs
    tag = f'{a.label}_{a.rate}' + (f'_{a.attempt}' if a.attempt > 1 else '')
    errf = os.path.join(a.logdir, f'{tag}_errors.log')
    cmd = (['taskset', '-c', '0', 'sipp'] + sipp_args +
           ['-r', str(a.rate), '-m', str(total), '-nostdin',
            '-trace_err', '-error_file', errf, '-max_log_size', '2000000'])
    w0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def on_signal(signum, frame):      # run.sh's trap: take our SIPp down too
        p.kill()
        sys.exit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    deadline = w0 + a.secs * 2 + a.hold_ms / 1000 + 25   # never hang
    killed = False
    sipp_ns, dmax = 0, {}
    buf = []
    rd = threading.Thread(target=lambda: buf.append(p.stdout.read()), daemon=True)
    rd.start()
    samples = []                       # (time, server ns) for the tail CPU
    while p.poll() is None:
        samples.append((time.time() - w0, sum(ns for _, ns in thread_ns(srv).values())))
        sipp_ns = max(sipp_ns, sum(ns for _, ns in thread_ns([p.pid]).values()))
        d = udp_drops()
        for port in ports:
            if port in d:
                dmax[port] = max(dmax.get(port, 0), d[port] - d0.get(port, 0))
        time.sleep(0.25)
        if time.time() > deadline and not killed:
            p.terminate()
            killed = True
    w = time.time() - w0
    rd.join(5)
    out = buf[0] if buf else ''
    th1, tk1 = thread_ns(srv), proc_ticks(srv)
    uas1 = thread_ns([a.uas_pid]) if a.uas_pid else {}
    d1, s1, c1, o1 = udp_drops(), snmp_udp(), cpu_busy(), all_ticks()
    mine = set(srv) | {os.getpid(), p.pid, a.uas_pid}
    other_ticks = sum(t - o0.get(q, 0) for q, t in o1.items()
                      if q not in mine and t >= o0.get(q, 0))
    for port in ports:
        if port in d1:
            dmax[port] = max(dmax.get(port, 0), d1[port] - d0.get(port, 0))

    # threads by start order: "main" is the main thread of the server pid,
    # t2, t3 ... the others in tid order (see README for what they are)
    per_thread, order = {}, {}
    for k in sorted(th1):
        pid, tid = k
        n = order[pid] = order.get(pid, 0) + 1
        name = ('main' if n == 1 else f't{n}') if pid == a.server_pid else f'{pid}/{n}'
        per_thread[name] = per_thread.get(name, 0) + th1[k][1] - th0.get(k, ('', 0))[1]
    srv_ns = sum(per_thread.values())
    # CPU over the last 10 s of the load (before SIPp stopped creating calls):
    # the steady state of a long step, once transactions also expire
    tail_cpu = None
    end = min(a.secs, w)
    win = [x for x in samples if end - 10 <= x[0] <= end]
    if a.secs >= 20 and len(win) >= 2 and win[-1][0] > win[0][0]:
        tail_cpu = round(100.0 * (win[-1][1] - win[0][1]) / 1e9 / (win[-1][0] - win[0][0]), 1)
    uas_ns = sum(ns - uas0.get(k, ('', 0))[1] for k, (_, ns) in uas1.items())
    st = status(a.server_pid)
    calls_left = None
    if a.calls_cmd:
        time.sleep(a.calls_settle)
        try:
            p2 = subprocess.run(shlex.split(a.calls_cmd), capture_output=True, text=True, timeout=10)
            o = p2.stdout
            # A daemon too busy to answer is not one without calls.
            if p2.returncode == 0:
                calls_left = 0 if 'no calls' in o else max(0, len([l for l in o.splitlines() if l.strip()]) - 1)
            else:
                calls_left = 'no answer'
        except Exception:
            pass

    r = parse_sipp(out)
    if r['ok'] is None:
        r.update(ok=0, failed=0, created=0)
    r.pop('messages')
    res = dict(label=a.label, rate=a.rate, attempt=a.attempt, secs=a.secs, total=total, wall=round(w, 2),
               **{k: (int(v) if isinstance(v, float) and k != 'sipp_cps' else v) for k, v in r.items()},
               drops={str(p): dmax.get(p, 0) for p in ports},
               rcvbuf_errors=s1.get('RcvbufErrors', 0) - s0.get('RcvbufErrors', 0),
               srv_cpu=round(100.0 * srv_ns / 1e9 / w, 1),
               srv_cpu_tail10s=tail_cpu,
               srv_cpu_ticks=round(100.0 * (tk1 - tk0) / os.sysconf('SC_CLK_TCK') / w, 1),
               srv_threads={k: round(100.0 * v / 1e9 / w, 1) for k, v in
                            sorted(per_thread.items(), key=lambda kv: -kv[1]) if v > 0},
               sipp_cpu=round(100.0 * sipp_ns / 1e9 / w, 1),
               uas_cpu=round(100.0 * uas_ns / 1e9 / w, 1) if a.uas_pid else None,
               other_cpu=round(100.0 * other_ticks / os.sysconf('SC_CLK_TCK') / w, 1),
               cpu_busy=[round(100.0 * (b1 - b0) / max(1, t1 - t0), 1)
                         for (b0, t0), (b1, t1) in zip(c0, c1)],
               rss_kb=st.get('VmRSS'), hwm_kb=st.get('VmHWM'),
               server_alive=os.path.exists(f'/proc/{a.server_pid}/status'),
               calls_left=calls_left, sipp_rc=p.returncode, killed=killed)
    drops = sum(dmax.values())
    late = w > a.secs + a.hold_ms / 1000 + 3 + 0.1 * a.secs
    bad = res['failed'] + res['retrans'] + res['timeouts'] + drops + res['rcvbuf_errors']
    # As in shared/anchors: unexpected messages are reported but do not make
    # a step unclean (a multi-worker proxy may relay 180 after 200).
    res['clean'] = (bad == 0 and res['created'] == total and res['ok'] == total
                    and not late)
    res['late'] = late
    with open(os.path.join(a.logdir, f'{tag}.txt'), 'w') as f:
        f.write(' '.join(cmd) + '\n' + out)
    if a.out:
        with open(a.out, 'a') as f:
            f.write(json.dumps(res) + '\n')
    print(f"{a.label:10s} rate={a.rate:6d} created={res['created']:7d} ok={res['ok']:7d} "
          f"failed={res['failed']:5d} retrans={res['retrans']:6d} tmo={res['timeouts']} "
          f"unexp={res['unexpected']} drops={res['drops']} rcvbuf_err={res['rcvbuf_errors']} "
          f"srv_cpu={res['srv_cpu']}% sipp_cpu={res['sipp_cpu']}% "
          f"rss={res['rss_kb']}kB wall={res['wall']}s calls_left={calls_left} "
          f"{'CLEAN' if res['clean'] else 'not clean'}", flush=True)
    if not res['server_alive'] or res['sipp_rc'] is None:
        return 3
    if res['clean']:
        return 0
    if late or killed or res['failed'] > 0.01 * total or res['created'] < total:
        return 2
    return 1


if __name__ == '__main__':
    sys.exit(main())
