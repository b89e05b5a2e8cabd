#!/usr/bin/env python3
"""Ondo bench: turn a conference benchmark run (conf.sh's temp dir) into a
dated Markdown section, printed and appended to RESULTS.md.

usage: conf_report.py WORKDIR RESULTS.md|none
reads WORKDIR/meta.txt, conf.jsonl (confbench), codecbench.txt,
udpbench.txt, perf_*_children.txt, perf_*_self.txt, problems.txt
"""
import json, os, re, sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import sh  # noqa: E402

PUBLISHED_PCMU_MS = 0.09   # ms of CPU per second per PCMU member (issue 7)
TARGET = {'pcmu': 1000, 'g722': 400}   # members per core (issue 7)
RATE = {'pcmu': 8000, 'g722': 16000}   # the mix rate of an all-PCMU / all-G.722 room
NAME = {'pcmu': 'PCMU', 'g722': 'G.722'}
SCEN = {'a': 'one room of 200', 'b': '100 rooms of 4'}

G7 = re.compile(r'G\.711u enc\+dec ([\d.]+) us \| G\.722 enc ([\d.]+) us, dec ([\d.]+) us')
MIX = re.compile(r'mix N=\s*(\d+) @\s*(\d+) Hz: ([\d.]+) us per 20 ms frame.*?([\d.]+) ns per '
                 r'participant-sample')
UB = re.compile(r'relay: (\d+) packets in ([\d.]+)s = (\d+) pps, cpu ([\d.]+)s '
                r'\((\d+)% of one core\), ([\d.]+) us cpu/packet')


def read(path, default=''):
    try:
        return open(path).read()
    except OSError:
        return default


def floor_of(wd):
    """The floor per member from the anchors' micro-benchmarks, or None."""
    cb, ub = read(os.path.join(wd, 'codecbench.txt')), read(os.path.join(wd, 'udpbench.txt'))
    m, u = G7.search(cb), UB.search(ub)
    mix = {(int(n), int(r)): float(ns) for n, r, _, ns in MIX.findall(cb)}
    if not m or not u or not mix:
        return None
    g711, g722e, g722d = (float(x) for x in m.groups())
    io = float(u.group(6))
    f = dict(g711=g711, g722e=g722e, g722d=g722d, io=io, mix=mix, cb=cb.strip(), ub=ub.strip())
    for c, codec_us in (('pcmu', g711), ('g722', g722e + g722d)):
        # the largest N measured: the closest to a big room's cost per member
        ns = mix.get((200, RATE[c])) or max((v for (n, r), v in mix.items() if r == RATE[c]),
                                            default=0)
        parts = {'codec': 50 * codec_us, 'io': 50 * io, 'mix': RATE[c] * ns / 1000}
        f[c] = dict(parts=parts, ms=sum(parts.values()) / 1000, mix_ns=ns)
    return f


def fmt_tick(s):
    return '/'.join(f"{s[k] / 1000:.2f}" for k in ('tick_p50_us', 'tick_p99_us',
                                                    'tick_p999_us', 'tick_max_us'))


def ratios(s, floor):
    c = s['codec']
    x = s['cpu_ms_per_member_s']
    fl = f"{x / floor[c]['ms']:.1f}×" if floor else '?'
    pub = f"{x / PUBLISHED_PCMU_MS:.1f}×" if c == 'pcmu' else '—'
    return fl, pub


def row(s, floor, first_col):
    g = s['gen']['side']
    fl, pub = ratios(s, floor)
    mix = (f"{s['heard_share_min']:.2f}/{s['own_share_max']:.2f}" if s['monitors'] else '-')
    again = f" (window {s['attempt']})" if s.get('attempt', 1) > 1 else ''
    noisy = ' (noisy)' if s.get('noisy') else ''
    return (f"| {first_col}{again} | {s['members']} | "
            f"{s['cpu_pct']} | **{s['cpu_ms_per_member_s']:.3f}** | {s['members_per_core']:,.0f} | "
            f"{fl} | {pub} | {fmt_tick(s)} | {s['ticks']} | "
            f"{s['loss_out_pct']:.4f}/{s['loss_in_pct']:.4f} | "
            f"{max(g[0]['max_gap_ms'], g[1]['max_gap_ms'])} | "
            f"{s['drops_engine']}/{s['drops_gen']}/{s['rcvbuf_errors']} | {mix} | "
            f"{s['gen_cpu']} | {s['other_cpu_pct']}{noisy} | {s['rss_kb'] // 1024}/{s['hwm_kb'] // 1024} | "
            f"{'yes' if s['pass'] else '**no**: ' + s['why']} |")


HEAD = ('| {first} | members | engine CPU % | CPU ms/s per member | members per core (CPU) | '
        '× floor | × published | tick p50/p99/p99.9/max ms | ticks | loss % out/in | max gap ms | '
        'drops engine/gen/rcvbuf | mix check | gen CPU % | other % | RSS/peak MB | pass |')
SEP = '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|'


def main():
    wd, results = sys.argv[1], sys.argv[2]
    meta = {}
    for line in read(os.path.join(wd, 'meta.txt')).splitlines():
        k, _, v = line.partition('=')
        meta[k] = v
    rows = [json.loads(l) for l in read(os.path.join(wd, 'conf.jsonl')).splitlines() if l.strip()]
    wins = [r for r in rows if 'members_per_core' in r]
    skipped = [r for r in rows if 'skipped' in r]
    profiles = {}
    for r in rows:
        if 'profile' in r:
            profiles[r['name']] = r
    problems = [l for l in read(os.path.join(wd, 'problems.txt')).splitlines() if l.strip()]
    floor = floor_of(wd)

    o = []
    o.append(f"\n## {meta.get('started', '?')} — conference mixer (issue 7), git "
             f"{meta.get('git', '?')}"
             f"{' (+%s modified files)' % meta['git_dirty_files'] if meta.get('git_dirty_files', '0') != '0' else ''}\n")
    o.append('**Command:** `' + meta.get('command', 'bench/conf.sh') + '` (from the work tree root; '
             f"whole run {meta.get('elapsed_s', '?')} s)\n")
    o.append('**Machine:** `nproc` = ' + sh('nproc') + ', kernel ' + sh('uname -r') + ', ' +
             sh("free -m | awk '/^Mem:/ {print $2 \" MB RAM\"}'") + ', ' +
             sh("lscpu | sed -n 's/^Model name: *//p'") + '; perf: ' + meta.get('perf', 'not used') +
             '; before the run: ' + meta.get('idle_check', '?') + '\n')
    o.append('The engine is `bench/confbench` (sha256 ' + meta.get('confbench_sha256', '?') + '): '
             'the media engine of `libondo_core.a` in-process, 1 worker, bound to 127.0.0.1, '
             f"ports {meta.get('ports')}, pinned to CPU 1. Each member is a media channel "
             '(`mchan_alloc`, no app, telephone-event agreed as pt 101) joined to its room '
             '(`mixer_join`); its remote is the load generator `rtpgen.c` (one thread, '
             'sendmmsg/recvmmsg, pinned to CPU 0), which sends every member one pre-encoded 20 ms '
             'frame every 20 ms (phases spread over the 20 ms) and counts what the engine sends '
             'back. In each room 3 members talk (500, 900, 1300 Hz at −10 dBFS) and the rest send '
             'silence frames; all members of a run use one codec, so the mix runs at 8 kHz (PCMU) '
             f"or 16 kHz (G.722) with no resampling. Members join one by one over "
             f"{meta.get('join_spread')} s per batch (a scenario, a ramp step). Scenarios a and b: "
             f"{meta.get('warm')} s after the last join, one {meta.get('secs')} s window. Ramp: rooms of "
             f"{meta.get('ramp_room')} added per step, a {meta.get('ramp_secs')} s window "
             f"{meta.get('ramp_warm')} s after the step's last join; a failing step is measured "
             'once more with the same members, and the ramp ends when it fails again.\n')
    o.append(f"**Pass** = tick p99.9 < {meta.get('tick_limit_ms')} ms, loss < "
             f"{meta.get('loss_limit_pct')}%, no member hears nothing, the mix check holds, the "
             'generator kept its clock. **CPU** = utime + stime of the engine process '
             '(/proc/self/stat, every thread; its control thread only sleeps in the window), % of '
             'one core; "CPU ms/s per member" = CPU time per second per member; "members per core" '
             '= 1000 / that, i.e. the members one core would carry at 100% at that cost. **Tick** '
             '= `media_tick_stats()`: how long each 20 ms tick of the worker took (decode, mix, '
             'encode, send of every member; not the receiving of packets, which runs between '
             'ticks), to the 10 µs bucket; with fewer than 2000 ticks in a window p99.9 is the '
             'worst tick. **Loss** out = packets the engine\'s 20 ms clock owed the generator\'s '
             'members and they did not get (RTP sequence gaps or the deficit between first and '
             'last arrival, whichever is larger) / packets its clock owed (members × window / 20 ms); '
             'in = kernel drops on the '
             'engine\'s sockets / packets sent. **Mix check** (first 16 rooms): the smallest '
             'share of the first talker\'s tone in what a silent member of its room hears (three '
             'tones: about 0.33) / the largest share of a talker\'s own tone in what it hears '
             '(N−1: about 0). "other" = CPU of every other process on the machine in the window '
             '(% of one core, with the children they waited for); above '
             f"{meta.get('max_other')}% the window is \"noisy\" and measured again (a and b: up to "
             '3 windows, the last one counts; a failing ramp step: 3 windows instead of 2). Before '
             f"each window the engine waits up to {meta.get('quiet_wait')} s for a second with "
             'less foreign load than that.\n')

    # ---- floor ----
    o.append('### The floor (`' + meta.get('codecbench_src', '?') + '`, `' +
             meta.get('udpbench_src', '?') + '`, on CPU 1 in this run)\n')
    if floor:
        o.append('```\n' + floor['cb'] + '\n' + floor['ub'] + '\n```\n')
        o.append('Per member and second, a member costs at least one decode and one encode of a '
                 '20 ms frame 50 times, one packet in and one out 50 times (udpbench\'s '
                 'recvfrom + sendto per relayed packet, as the engine does them), and its share '
                 'of an N−1 mix (codecbench\'s N = 200 figure, ns per member-sample × samples '
                 'per second):\n')
        o.append('| codec | codec enc+dec µs/s | packet I/O µs/s | mix µs/s | floor ms CPU/s per '
                 'member | members per core at the floor | published bridge |')
        o.append('|---|---|---|---|---|---|---|')
        for c in ('pcmu', 'g722'):
            p = floor[c]['parts']
            o.append(f"| {NAME[c]} | {p['codec']:.1f} | {p['io']:.1f} | {p['mix']:.1f} "
                     f"({floor[c]['mix_ns']:.2f} ns × {RATE[c]}) | **{floor[c]['ms']:.3f}** | "
                     f"{1000 / floor[c]['ms']:,.0f} | "
                     f"{'%.2f ms/s (%s per core)' % (PUBLISHED_PCMU_MS, format(round(1000 / PUBLISHED_PCMU_MS), ',')) if c == 'pcmu' else '—'} |")
        o.append('')
    else:
        o.append('not measured (codecbench or udpbench missing or unreadable)\n')

    # ---- scenarios a and b ----
    fixed = [s for s in wins if s['scenario'] in SCEN]
    if fixed:
        o.append('### One room of 200 members, and 100 rooms of 4\n')
        o.append(HEAD.format(first='scenario'))
        o.append(SEP)
        for s in fixed:
            o.append(row(s, floor, f"{SCEN[s['scenario']]}, {NAME[s['codec']]}"))
        o.append('')

    # ---- ramps ----
    ramps = {}
    for c in ('pcmu', 'g722'):
        st = [s for s in wins if s['scenario'] == 'ramp' and s['codec'] == c]
        if not st:
            continue
        o.append(f"### Ramp, {NAME[c]}: rooms of {meta.get('ramp_room')} (3 talk)\n")
        o.append(HEAD.format(first='step'))
        o.append(SEP)
        for s in st:
            o.append(row(s, floor, f"{s['rooms']} rooms"))
        sk = [r for r in skipped if r['scenario'] == 'ramp' and r['codec'] == c]
        if sk:
            o.append('')
            o.append(f"Steps from {sk[0]['members']} members skipped: {sk[0]['skipped']}.")
        o.append('')
        final = {}
        for s in st:
            final[s['members']] = s
        best = 0
        for n, s in sorted(final.items()):
            if not s['pass']:
                break
            best = n
        bad = [s for n, s in sorted(final.items()) if not s['pass']]
        ramps[c] = dict(best=best, at=final.get(best), bad=bad[0] if bad else None)

    # ---- summary ----
    o.append('### Summary\n')
    o.append('| codec | target members per core | members per core from CPU (100 rooms of 4) | '
             'from CPU at the highest passing ramp step | highest passing ramp step (one worker, '
             'one core) | first failing step | CPU ms/s per member there × floor / × published | '
             'target met |')
    o.append('|---|---|---|---|---|---|---|---|')
    for c in ('pcmu', 'g722'):
        b = [s for s in fixed if s['scenario'] == 'b' and s['codec'] == c]
        b = b[-1] if b else None
        r = ramps.get(c, {})
        at, bad = r.get('at'), r.get('bad')
        fl, pub = ratios(at, floor) if at else ('?', '?')
        cpu_ok = at and at['members_per_core'] >= TARGET[c]
        ramp_ok = r.get('best', 0) >= TARGET[c]
        if not r:
            verdict = '?'
        elif cpu_ok and ramp_ok:
            verdict = 'yes'
        elif cpu_ok and bad:
            verdict = f"on CPU only: one worker stops at {r['best']} ({bad['why']})"
        elif cpu_ok:
            verdict = f"on CPU; the ramp's steps ended at {r['best']} without a failure"
        else:
            verdict = '**no**'
        o.append(f"| {NAME[c]} | {TARGET[c]:,} | "
                 f"{'%.0f (%.3f ms/s)' % (b['members_per_core'], b['cpu_ms_per_member_s']) if b else '?'} | "
                 f"{'%.0f (%.3f ms/s, %.1f%% CPU)' % (at['members_per_core'], at['cpu_ms_per_member_s'], at['cpu_pct']) if at else '?'} | "
                 f"**{r.get('best', '?')}**{' (tick p99.9 %.2f ms)' % (at['tick_p999_us'] / 1000) if at else ''} | "
                 f"{'%d (%s)' % (bad['members'], bad['why']) if bad else 'none'} | "
                 f"{fl} / {pub} | {verdict} |")
    o.append('')

    # ---- profiles ----
    for name, p in profiles.items():
        ch = read(os.path.join(wd, f'perf_{name}_children.txt'))
        fl = read(os.path.join(wd, f'perf_{name}_self.txt'))
        if not ch and not fl:
            continue
        w = [s for s in wins if s['members'] == p['members'] and s['codec'] == p['codec']
             and (s['scenario'] + '_' + s['codec'] == name or
                  (name.startswith('ramp') and s['scenario'] == 'ramp'))]
        cpu = f", {w[-1]['cpu_pct']}% CPU in its window" if w else ''

        def body(rep, n):
            return [l.rstrip() for l in rep.splitlines() if l.strip() and not l.startswith('#')][:n]
        o.append(f"**Where the engine's CPU goes: {name} ({p['rooms']} room"
                 f"{'s' if p['rooms'] != 1 else ''}, {p['members']} "
                 f"members{cpu})** — `perf record -e cpu-clock -F 999 --call-graph dwarf` of the "
                 f"engine for {p['secs']:g} s right after the window (same members), `perf report "
                 "--children --sort sym` (with callees; self), then self by library and symbol:\n")
        o.append('```\ninclusive (children) and self %, by symbol:\n' + '\n'.join(body(ch, 28)) +
                 '\n\nself only, by library and symbol:\n' + '\n'.join(body(fl, 14)) + '\n```\n')

    if problems or skipped:
        o.append('**Problems and skipped steps:**\n')
        o.extend(f'- {p}' for p in problems)
        o.extend(f"- {r['scenario']} {r['codec']}: {r['skipped']}" for r in skipped)
        o.append('')
    text = '\n'.join(o) + '\n'
    print(text)
    if results != 'none':
        with open(results, 'a') as f:
            f.write(text)


if __name__ == '__main__':
    main()
