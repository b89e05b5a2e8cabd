#!/usr/bin/env python3
"""Ondo bench: the report of bench/cluster.sh.

usage: cluster_report.py WORKDIR RESULTS.md|-

Reads WORKDIR/steps.jsonl (one line per step, run_step.py's fields plus
cluster_step.py's procs / us_per_op) and WORKDIR/meta.txt, and appends a
dated Markdown section to RESULTS.md (or prints it with "-").
"""
import json, os, platform, subprocess, sys
from datetime import datetime, timezone

STAGES = [('direct', 'one node direct (SIPp → node 1)'),
          ('front1', 'through the front, one node (SIPp → front → node 1)'),
          ('front2', 'through the front, two nodes (SIPp → front → node 1 / node 2)')]
KINDS = [('reg', 'REGISTER + digest', 'reg/s'), ('call', 'authenticated call set-up, 1 s hold', 'calls/s')]
NODES = {'direct': 1, 'front1': 1, 'front2': 2}


def load(w):
    steps = []
    for line in open(os.path.join(w, 'steps.jsonl')):
        if line.strip():
            steps.append(json.loads(line))
    meta = {}
    for line in open(os.path.join(w, 'meta.txt')):
        k, _, v = line.rstrip('\n').partition('=')
        meta[k] = v
    return steps, meta


def per_node(s):
    st = s['label'].rsplit('_', 1)[0]
    return s.get('per_node') or s['rate'] // NODES.get(st, 1)


def node_us(s):
    """node CPU µs per op, all nodes together (ops = SIPp calls ok)"""
    u = s.get('us_per_op') or {}
    v = [x for k, x in u.items() if k.startswith('n') and x is not None]
    return sum(v) if v else None


def highest_clean(steps):
    best = None
    for s in steps:
        if 'skipped' in s:
            break
        if ok_(s):
            best = s
        elif s.get('attempt', 1) == 1 and any(t.get('attempt') == 2 and t['rate'] == s['rate'] for t in steps):
            continue
        else:
            break
    return best


def ok_(s):
    return s.get('clean') or s.get('clean_but_foreign')


def f(x, nd=1):
    return '' if x is None else (f'{x:.{nd}f}' if isinstance(x, float) else str(x))


def machine():
    try:
        model = [l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')][0]
    except (OSError, IndexError):
        model = '?'
    mem = [l.split()[1] for l in open('/proc/meminfo') if l.startswith('MemTotal')][0]
    return f'`nproc` = {os.cpu_count()}, {model}, kernel {platform.release()}, {int(mem) // 1024} MB RAM'


def main():
    w, out = sys.argv[1], sys.argv[2]
    steps, meta = load(w)
    L = []
    now = meta.get('started') or datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    dirty = meta.get('git_dirty_files', '0')
    L.append(f"## {now} — cluster: front + 1 and 2 nodes vs 1 node direct, git {meta.get('git', '?')}"
             + (f' (+{dirty} modified files)' if dirty not in ('', '0') else ''))
    L.append('')
    L.append(f"**Command:** `{meta.get('command', 'bench/cluster.sh')}` (from the work tree root; whole run {meta.get('elapsed_s', '?')} s)")
    L.append('')
    L.append(f"**Machine:** {machine()}; {meta.get('kamailio', '')}")
    L.append('')
    L.append('Loopback only: SIPp on 127.0.0.1 (CPU 0), the front (Kamailio, `deploy/kamailio/ondo-front.cfg` unchanged, '
             f"4 UDP children, `-m {meta.get('front_shm_mb', '?')}`"
             + (f" `{meta['front_opts']}`" if meta.get('front_opts') else '') +
             f") on 127.0.0.2, node 1 on 127.0.0.3 and node 2 on 127.0.0.4; pinning: {meta.get('pinning', 'front CPU 0, nodes CPU 1, SIPp CPU 0')} "
             '(in the two-node stage both nodes share one CPU). '
             f"Each node: one tenant (t1 / t2.bench.test), {meta.get('users')} extensions in SQLite, "
             f"{meta.get('pairs')} call pairs, `[rtp] workers = 1`, `[log] level = warn`, flood limits off, "
             "`[cluster] front/node/api` set; the front's table filled by `ondoctl tenant add` through its API "
             f"(`{meta.get('front_table', '')}`). Steps of {meta.get('secs')} s, no sustained step. "
             f"Binary sha256 {meta.get('ondo_sha256', '?')}. Before the run: {meta.get('idle_check', '?')}.")
    L.append('')
    L.append('Rates are **per node**: in the two-node stage one SIPp sends twice that rate, alternating the two '
             'domains. Clean step = run_step.py\'s (every call created in time and completed, 0 failed, '
             '0 retransmissions, 0 timeouts, 0 drops on the front, node, UAC and UAS sockets, 0 RcvbufErrors). '
             '† = clean but for machine-wide UDP RcvbufErrors that drops on sockets held by other programs '
             '(not SIPp, the front or a node: found by socket inode in /proc/*/fd) account for; counted clean. '
             'CPU % = schedstat of every thread (the front: all its processes), % of one core; µs/op = CPU '
             'microseconds per successful SIPp call (REGISTER: the 401 and 200 exchanges; call: the whole call '
             'INVITE/407/ACK/INVITE/200/ACK/BYE, with the B leg); "node µs/op" adds both nodes in the two-node '
             'stage. "other load" = what every process but SIPp, front and nodes used (% of one core).')
    L.append('')
    summary = {}
    names = dict(x.split('=') for x in meta.get('port_names', '').split() if '=' in x)
    shm_rows = []
    for kind, kname, unit in KINDS:
        for st, sname in STAGES:
            ss = [s for s in steps if s['label'] == f'{st}_{kind}']
            if not ss:
                continue
            L.append(f'### {kname}: {sname}')
            L.append('')
            L.append(f'| {unit} per node | SIPp {unit} | created | ok | failed | retrans | timeouts | unexp | drops | '
                     'rcvbuf err | front CPU % | node 1 CPU % | node 2 CPU % | front µs/op | node µs/op | '
                     'SIPp CPU % | other load % | wall s | clean |')
            L.append('|' + '---|' * 19)
            for s in ss:
                pn = per_node(s)
                again = ' (again)' if s.get('attempt', 1) > 1 else ''
                if 'skipped' in s:
                    L.append(f"| {pn}{again} | {s['rate']} | skipped: {s['skipped']} |" + ' |' * 16)
                    continue
                pr, us = s.get('procs', {}), s.get('us_per_op', {})
                dn_ = {names.get(k, k): v for k, v in s['drops'].items() if v}
                drops = ' '.join(f'{k} {v}' for k, v in dn_.items()) or '0'
                foreign = s.get('foreign_drops', {})
                if foreign:
                    drops += ' (foreign sockets: ' + ', '.join(f'{k} {v}' for k, v in foreign.items()) + ')'
                shm = s.get('front_shm_mb') or {}
                if shm:
                    shm_rows.append(f"{s['label']} {s['rate']}/s: used {shm.get('real_used', '?')} MB, "
                                    f"peak so far {shm.get('max_used', '?')} MB of {shm.get('total', '?')} MB")
                clean = 'yes' if s['clean'] else ('yes†' if s.get('clean_but_foreign') else
                                                  '**LATE**' if s.get('late') else 'no')
                L.append(f"| {pn}{again} | {s['rate']} | {s['created']} | {s['ok']} | {s['failed']} | {s['retrans']} | "
                         f"{s['timeouts']} | {s['unexpected']} | {drops} | {s['rcvbuf_errors']} | "
                         f"{f(pr.get('front'))} | {f(pr.get('n1'))} | {f(pr.get('n2'))} | "
                         f"{f(us.get('front'))} | {f(node_us(s))} | {f(s.get('sipp_cpu'))} | "
                         f"{f(s.get('other_cpu_excl', s.get('other_cpu')))} | {s['wall']} | {clean} |")
            L.append('')
            summary[(kind, st)] = (ss, highest_clean([s for s in ss]))

    # ---- summary and ratios ----
    L.append('### Summary')
    L.append('')
    L.append('| benchmark | stage | highest clean rate per node | in all | front CPU % there | node CPU % there | '
             'front µs/op | node µs/op | ops per node CPU-second |')
    L.append('|---|---|---|---|---|---|---|---|---|')
    for kind, kname, unit in KINDS:
        for st, sname in STAGES:
            if (kind, st) not in summary:
                continue
            ss, b = summary[(kind, st)]
            if not b:
                L.append(f'| {kname} | {st} | none clean | | | | | | |')
                continue
            nu = node_us(b)
            pr = b.get('procs', {})
            ncpu = '+'.join(f(pr[k]) for k in ('n1', 'n2') if k in pr)
            L.append(f"| {kname} | {st} | **{per_node(b)} {unit}** | {b['rate']} | {f(pr.get('front'))} | {ncpu} | "
                     f"{f(b['us_per_op'].get('front'))} | {f(nu)} | {f(1e6 / nu, 0) if nu else ''} |")
    L.append('')
    L.append('### Ratios (per CPU)')
    L.append('')
    L.append('Each ratio is taken at the same per-node rate in every stage: the highest per-node rate that was '
             'clean in all three stages (CPU per op at a low rate includes the idle cost of timers and the '
             "front's OPTIONS probes, so a higher common rate is the fairer one).")
    L.append('')
    verdicts = []
    for kind, kname, unit in KINDS:
        if not all((kind, st) in summary for st, _ in STAGES):
            continue
        # every per-node rate run in all three stages (the last attempt of each)
        last = {}
        for st, _ in STAGES:
            last[st] = {per_node(s): s for s in summary[(kind, st)][0] if 'skipped' not in s}
        rates = sorted(set.intersection(*(set(v) for v in last.values())))
        if rates:
            if L[-1] != '':
                L.append('')
            L.append(f'{kname}, CPU µs per op at each per-node rate run in all three stages '
                     '(* = that step was not clean):')
            L.append('')
            L.append(f'| {unit} per node | direct: node | front1: node | front1: front | (a) front1 front ÷ node | '
                     'front2: nodes | front2: front | (a) front2 front ÷ nodes | (b) front1 node ÷ front2 nodes |')
            L.append('|---|---|---|---|---|---|---|---|---|')
            for r in rates:
                d, g1, g2 = last['direct'][r], last['front1'][r], last['front2'][r]
                mark = lambda s, v: f(v) + ('' if ok_(s) else '*')
                dn, n1, n2 = node_us(d), node_us(g1), node_us(g2)
                fr1, fr2 = g1['us_per_op'].get('front'), g2['us_per_op'].get('front')
                if None in (dn, n1, n2, fr1, fr2):
                    continue
                L.append(f'| {r} | {mark(d, dn)} | {mark(g1, n1)} | {mark(g1, fr1)} | {fr1 / n1:.2f} | '
                         f'{mark(g2, n2)} | {mark(g2, fr2)} | {fr2 / n2:.2f} | {n1 / n2:.2f} |')
            L.append('')
        clean_by = {}
        for st, _ in STAGES:
            ss, _b = summary[(kind, st)]
            clean_by[st] = {per_node(s): s for s in ss if 'skipped' not in s and ok_(s)}
        common = sorted(set.intersection(*(set(v) for v in clean_by.values())))
        if not common:
            L.append(f'- **{kname}:** no per-node rate was clean in all three stages; no ratio.')
            continue
        r = common[-1]
        d, f1, f2 = clean_by['direct'][r], clean_by['front1'][r], clean_by['front2'][r]
        dn, n1, n2 = node_us(d), node_us(f1), node_us(f2)
        fr1, fr2 = f1['us_per_op']['front'], f2['us_per_op']['front']
        a1, a2 = fr1 / n1, fr2 / n2
        eq1 = dn / (n1 + fr1)
        lin_f = n1 / n2          # ops per node CPU-s, two nodes / one node, both via the front
        lin_d = dn / n2
        L.append(f'- **{kname}, at {r} {unit} per node** (direct {d["rate"]}, front1 {f1["rate"]}, front2 {f2["rate"]} {unit} in all):')
        L.append(f'  - node CPU per op: direct {dn:.1f} µs, behind the front {n1:.1f} µs (× {n1 / dn:.2f}), '
                 f'two nodes {n2:.1f} µs for both together');
        L.append(f'  - (a) front cost = front µs/op ÷ node µs/op: one node {fr1:.1f} / {n1:.1f} = **{a1:.2f}**, '
                 f'two nodes {fr2:.1f} / {n2:.1f} = **{a2:.2f}** (target ≤ 0.20: '
                 f"**{'met' if round(max(a1, a2), 2) <= 0.20 else 'not met'}**); "
                 f'so one front core serves about {n1 / fr1:.1f} node cores of this load')
        L.append(f"  - the node's own cost behind the front ÷ direct: {n1:.1f} / {dn:.1f} = **{n1 / dn:.2f}** "
                 '(the node itself pays nothing for the front if ≤ 1.0; within the noise of these runs, ±10%)')
        L.append(f'  - at equal CPU, ops through the front (node + front CPU) ÷ ops direct (node CPU) = '
                 f'{dn:.1f} / ({n1:.1f} + {fr1:.1f}) = **{eq1:.2f}** (target ≥ 0.8: '
                 f"**{'met' if round(eq1, 2) >= 0.8 else 'not met'}**)")
        L.append(f'  - (b) two nodes: ops per node CPU-second, two nodes ÷ one node through the front = '
                 f'{n1:.1f} / {n2:.1f} = **{lin_f:.2f}**; two nodes through the front ÷ one node direct = '
                 f"{dn:.1f} / {n2:.1f} = **{lin_d:.2f}** (linear = 1.0; judged ≥ 0.9: "
                 f"**{'met' if round(lin_f, 2) >= 0.9 else 'not met'}**)")
        verdicts.append((kname, max(a1, a2), eq1, lin_f))
    L.append('')
    raw = []
    for kind, kname, unit in KINDS:
        parts = []
        for st, _ in STAGES:
            if (kind, st) in summary:
                b = summary[(kind, st)][1]
                parts.append(f"{st} {b['rate'] if b else 0}")
        if parts:
            raw.append(f"- {kname}, highest clean rate in all ({unit}): " + ', '.join(parts))
    if raw:
        L.append('Raw rates (not a scaling figure on 2 CPUs: see below):')
        L.append('')
        L.extend(raw)
        L.append('')
    L.append('**What 2 CPUs can and cannot show.** SIPp and the front share CPU 0, and in the two-node stage both '
             'nodes share CPU 1, so the raw two-node rate cannot be twice the one-node rate: the nodes together '
             'have one core, as the single node had. What the run does show is the CPU each server spends per '
             'operation: if a node costs the same per op with a second node beside it, and the front\'s cost '
             'per op stays the same, N nodes on N cores (and a front with its own core) carry N times one. '
             'What it cannot show: contention that only appears with more cores (memory bandwidth, the '
             'front\'s shared-memory locks across more children), the front\'s own ceiling at N× the load '
             '(its CPU per op is measured, its saturation point with its own core is not), and network '
             'latency between hosts (loopback here).')
    L.append('')
    if shm_rows:
        L.append(f"The front's shared memory after each step (`kamcmd core.shmmem`; `-m {meta.get('front_shm_mb')}`; "
                 'one front for the whole run):')
        L.append('')
        L.extend('- ' + x for x in shm_rows)
        L.append('')
    for key in sorted(meta):
        if key.endswith('_log_lines') or key.startswith('front_log') or key == 'idle_check':
            L.append(f'- `{key}`: {meta[key]}')
    p = os.path.join(w, 'front_log_summary.txt')
    if os.path.exists(p) and os.path.getsize(p):
        L.append('')
        L.append('front: most frequent warning/error lines (numbers → N):')
        L.append('```')
        L.append(open(p).read().rstrip())
        L.append('```')
    p = os.path.join(w, 'problems.txt')
    if os.path.exists(p):
        L.append('')
        L.append('Problems:')
        L.append('```')
        L.append(open(p).read().rstrip())
        L.append('```')
    L.append('')
    text = '\n'.join(L) + '\n'
    if out == '-':
        sys.stdout.write(text)
    else:
        with open(out, 'a') as fh:
            fh.write('\n' + text)
        sys.stdout.write(text)


if __name__ == '__main__':
    main()
