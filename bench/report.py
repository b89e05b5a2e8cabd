#!/usr/bin/env python3
"""Ondo bench: turn a run's data (run.sh's temp dir) into a dated Markdown
section appended to RESULTS.md.

usage: report.py WORKDIR RESULTS.md
reads WORKDIR/meta.txt, steps.jsonl, problems.txt, *_log_summary.txt,
logs/*_uas_screen.txt
"""
import glob, json, os, re, subprocess, sys

PHASES = [
    ('ondo_reg', 'Ondo: REGISTER + digest (401, qop=auth), users in SQLite', 'reg/s'),
    ('ondo_call', 'Ondo: call set-up with INVITE digest (407) + media anchored, '
                  '1 s hold, BYE', 'calls/s'),
    ('kam_reg', 'Kamailio anchor: REGISTER + digest, auth_db on SQLite, usrloc in memory',
     'reg/s'),
    ('kam_call', 'Kamailio anchor: call via record-routing stateful proxy, '
                 '407 digest on SQLite + dialog module (no media relay)', 'calls/s'),
]


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except Exception:
        return '?'


def thread_names(workers):
    """Ondo's threads in start order (see README): main = SIP application
    thread, then the DB writer, the media workers, the sofia NUA stack"""
    names = {'main': 'app', 't2': 'db'}
    for i in range(workers):
        names[f't{3 + i}'] = 'rtp' if workers == 1 else f'rtp{i + 1}'
    names[f't{3 + workers}'] = 'sip-stack'
    return names


def main():
    wd, results = sys.argv[1], sys.argv[2]
    meta = {}
    for line in open(os.path.join(wd, 'meta.txt')):
        k, _, v = line.rstrip('\n').partition('=')
        meta[k] = v
    steps = [json.loads(l) for l in open(os.path.join(wd, 'steps.jsonl')) if l.strip()]
    problems = []
    pf = os.path.join(wd, 'problems.txt')
    if os.path.exists(pf):
        problems = [l.rstrip() for l in open(pf) if l.strip()]
    workers = int(meta.get('rtp_workers', '1') or 1)
    if workers == 0:
        workers = os.cpu_count()
    tn = thread_names(workers)

    o = []
    o.append(f"\n## {meta.get('started', '?')} — git {meta.get('git', '?')}"
             f"{' (+%s modified files)' % meta['git_dirty_files'] if meta.get('git_dirty_files', '0') != '0' else ''}, "
             f"{meta.get('users')} users" +
             (f" in {meta['tenants']} tenants" if meta.get('tenants', '1') != '1' else '') + "\n")
    o.append('**Command:** `' + meta.get('command', 'bench/run.sh') + '` (from the work tree root; '
             f"whole run {meta.get('elapsed_s', '?')} s)\n")
    o.append('**Machine:** `nproc` = ' + sh('nproc') + ', kernel ' + sh('uname -r') +
             ', ' + sh("free -m | awk '/^Mem:/ {print $2 \" MB RAM\"}'") + ', ' +
             sh('sipp -v 2>&1 | grep -o "SIPp v[^ ]*"') +
             (', ' + meta['kamailio'] if meta.get('kamailio') else '') + '\n')
    o.append('```\n' + sh('lscpu | head -n 14') + '\n```\n')
    o.append(f"Daemon pinned to CPU 1 (`taskset -c 1`, `[rtp] workers = {meta.get('rtp_workers')}`, "
             f"`[log] level = warn`), SIPp UAC and UAS pinned to CPU 0, loopback. "
             f"Steps of {meta.get('secs')} s; calls hold {meta.get('hold_ms')} ms; "
             f"{meta.get('pairs')} callers call {meta.get('pairs')} other extensions registered by "
             f"the SIPp UAS. Binary sha256 {meta.get('ondo_sha256')}.\n")
    o.append('Clean step = every call created in time and completed, 0 failed, 0 SIPp '
             'retransmissions/timeouts (unexpected messages are shown but allowed, as in '
             'shared/anchors), 0 socket drops (server, UAC and UAS '
             'sockets in /proc/net/udp, and 0 UDP RcvbufErrors machine-wide). "srv CPU" is % of '
             'one core (schedstat of all server threads/processes); "other load" is the CPU (% of '
             'one core, either CPU) every other process on the machine used during the step: '
             'above a few % the step competed with foreign load and its figures are pessimistic.\n')

    summary = []
    for key, title, unit in PHASES:
        ph = [s for s in steps if s.get('label') == key]
        sus = [s for s in steps if s.get('label') == key + '_sustain']
        if not ph:
            continue
        o.append(f'\n### {title}\n')
        o.append(f'| {unit} | created | ok | failed | retrans | timeouts | unexp | drops srv/uac/uas '
                 '| rcvbuf err | srv CPU % | per thread % | other load % | SIPp uac/uas CPU % '
                 '| RSS MB | wall s | clean |')
        o.append('|' + '---|' * 16)
        for s in ph + sus:
            rl = f"{s['rate']}" + (' (again)' if s.get('attempt', 1) > 1 else '')
            if s in sus:
                rl = f"**{s['rate']} for {s.get('secs', '?')} s**"
            if s.get('skipped'):
                o.append(f"| {rl} | skipped: {s['skipped']} |" + ' |' * 14)
                continue
            d = s['drops']
            drops = '/'.join(str(v) for v in d.values())
            thr = ''
            if key.startswith('ondo'):
                thr = ' '.join(f"{tn.get(k, k)} {v:g}" for k, v in s['srv_threads'].items() if v >= 0.5)
            else:
                thr = f"{len(s['srv_threads'])} threads"
            uas = '' if s.get('uas_cpu') is None else f"/{s['uas_cpu']:g}"
            rss = '' if not key.startswith('ondo') or s.get('rss_kb') is None else f"{s['rss_kb'] / 1024:.0f}"
            flag = 'yes' if s['clean'] else ('**LATE**' if s.get('late') else 'no')
            cpu = f"{s['srv_cpu']:g}"
            if s.get('srv_cpu_tail10s') is not None:
                cpu += f" (last 10 s: {s['srv_cpu_tail10s']:g})"
            o.append(f"| {rl} | {s['created']} | {s['ok']} | {s['failed']} | {s['retrans']} "
                     f"| {s['timeouts']} | {s['unexpected']} | {drops} | {s['rcvbuf_errors']} "
                     f"| {cpu} | {thr} | {s.get('other_cpu', '?')} "
                     f"| {s['sipp_cpu']:g}{uas} | {rss} | {s['wall']:g} | {flag} |")
        ran = [s for s in ph if not s.get('skipped')]
        rates = sorted({s['rate'] for s in ran})
        best = first_bad = None
        for r in rates:
            att = [s for s in ran if s['rate'] == r]
            ok = [s for s in att if s['clean']]
            if ok:
                if first_bad is None:
                    best = ok[-1]
            elif first_bad is None:
                first_bad = att[-1]
        hwm = max((s.get('hwm_kb') or 0) for s in ran) if ran else 0
        sus_ran = [s for s in sus if not s.get('skipped')]
        hwm = max([hwm] + [(s.get('hwm_kb') or 0) for s in sus_ran])
        summary.append((key, title, unit, best, first_bad, hwm, sus_ran[-1] if sus_ran else None))
        retried = [s['rate'] for s in ran if s.get('attempt', 1) > 1]
        if retried:
            o.append(f"\nRun again after an unclean first try: {', '.join(map(str, retried))} {unit}.")

    o.append('\n### Summary\n')
    o.append(f"| benchmark | highest clean rate ({meta.get('secs')} s steps) | server CPU there | first unclean rate (why) "
             '| same rate sustained | peak RSS (VmHWM) |')
    o.append('|---|---|---|---|---|---|')
    best_of = {}
    for key, title, unit, best, bad, hwm, su in summary:
        why = ''
        if bad:
            bits = []
            for k in ('failed', 'retrans', 'timeouts', 'unexpected'):
                if bad.get(k):
                    bits.append(f"{bad[k]} {k}")
            nd = sum(bad['drops'].values())
            if nd:
                bits.append(f'{nd} drops')
            if bad.get('rcvbuf_errors'):
                bits.append(f"{bad['rcvbuf_errors']} rcvbuf errors")
            if bad.get('late'):
                bits.append(f"late: {bad['wall']} s wall")
            why = f"{bad['rate']} {unit} ({', '.join(bits) or 'incomplete'})"
        else:
            why = 'none in the ramp (raise the rates)'
        best_of[key] = best['rate'] if best else 0
        mem = f'{hwm / 1024:.0f} MB' if key.startswith('ondo') else 'n/a (shm pool)'
        if su:
            sustained = (f"{su['secs']} s: {'clean' if su['clean'] else '**not clean**'} "
                         f"({su['failed']} failed, {su['retrans']} retrans, "
                         f"{sum(su['drops'].values())} drops), CPU {su['srv_cpu']:g}%"
                         + (f", last 10 s {su['srv_cpu_tail10s']:g}%"
                            if su.get('srv_cpu_tail10s') is not None else ''))
        else:
            sustained = 'not run' if key.startswith('ondo') else 'n/a'
        o.append(f"| {title.split(':')[0]}: {key.split('_')[1]} | "
                 f"{'**%d %s**' % (best['rate'], unit) if best else 'none'} | "
                 f"{'%g%%' % best['srv_cpu'] if best else ''} | {why} | {sustained} | {mem} |")
    for what in ('reg', 'call'):
        a, b = best_of.get('ondo_' + what), best_of.get('kam_' + what)
        if a and b:
            o.append(f'\nOndo / Kamailio highest clean {what} rate: {a} / {b} = **{a / b:.2f}**'
                     + (' (Kamailio not pushed to its limit: its ramp ended clean)'
                        if not any(s for s in steps if s.get('label') == 'kam_' + what
                                   and not s.get('skipped') and not s['clean']) else ''))

    o.append('\n### Daemon state and logs\n')
    for k in ('idle_check', 'ondo_reg_start_mem', 'ondo_reg_end_mem', 'ondo_reg_db_registrations',
              'ondo_reg_exit', 'ondo_call_start_mem', 'ondo_call_end_mem',
              'ondo_call_calls_left_3s', 'ondo_call_fds_3s', 'ondo_call_calls_left_end',
              'ondo_call_drained_fds', 'ondo_call_sustain_calls_left_3s',
              'ondo_call_start_fds', 'ondo_call_end_fds', 'ondo_call_exit', 'ondo_call_stop_secs',
              'ondo_reg_log_lines', 'ondo_call_log_lines', 'kam_reg_log_lines', 'kam_call_log_lines'):
        if k in meta:
            o.append(f'- `{k}`: {meta[k]}')
    for f in sorted(glob.glob(os.path.join(wd, '*_log_summary.txt'))):
        name = os.path.basename(f).replace('_log_summary.txt', '')
        o.append(f'\n{name}: most frequent log lines (numbers → N, quoted values → …):\n```\n'
                 + open(f).read().rstrip()[:3000] + '\n```')
    for f in sorted(glob.glob(os.path.join(wd, 'logs', '*_uas_screen.txt'))):
        txt = open(f, errors='replace').read()
        m = re.findall(r'Successful call\s*\|[^|]*\|\s*(\d+)', txt)
        m2 = re.findall(r'Failed call\s*\|[^|]*\|\s*(\d+)', txt)
        if m:
            o.append(f"- SIPp UAS ({os.path.basename(f).replace('_uas_screen.txt', '')}): "
                     f"{m[-1]} calls ok, {m2[-1] if m2 else '?'} failed")
    if problems:
        o.append('\n**Problems seen by run.sh:**\n')
        o.extend(f'- {p}' for p in problems)
    text = '\n'.join(o) + '\n'
    new = not os.path.exists(results)
    with open(results, 'a') as f:
        if new:
            f.write('# Ondo PBX benchmark results\n\nAppended by `bench/run.sh` (see '
                    '`bench/README.md`). Newest section last.\n')
        f.write(text)
    print(text)


if __name__ == '__main__':
    main()
