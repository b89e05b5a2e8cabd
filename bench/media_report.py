#!/usr/bin/env python3
"""Ondo bench: turn a media run's data (media.sh's temp dir) into a dated
Markdown section appended to RESULTS.md.

usage: media_report.py WORKDIR RESULTS.md
reads WORKDIR/media_meta.txt, media_steps.jsonl, problems.txt,
*_log_summary.txt
"""
import json, os, re, sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import sh  # noqa: E402

UB = re.compile(r'relay: (\d+) packets in ([\d.]+)s = (\d+) pps, cpu ([\d.]+)s '
                r'\((\d+)% of one core\), ([\d.]+) us cpu/packet')


def fmt_threads(t):
    return ' '.join(f'{k} {v:g}' for k, v in t.items() if v >= 0.1) or '-'


def why_text(s):
    return '; '.join(s.get('why') or []) or 'clean'


def main():
    wd, results = sys.argv[1], sys.argv[2]
    meta = {}
    for line in open(os.path.join(wd, 'media_meta.txt')):
        k, _, v = line.rstrip('\n').partition('=')
        meta[k] = v
    rows = [json.loads(l) for l in open(os.path.join(wd, 'media_steps.jsonl')) if l.strip()]
    steps = {m: [r for r in rows if r['label'] == m and not r.get('summary')]
             for m in ('relay', 'transcode')}
    summ = {r['label']: r for r in rows if r.get('summary')}
    problems = []
    pf = os.path.join(wd, 'problems.txt')
    if os.path.exists(pf):
        problems = [l.rstrip() for l in open(pf) if l.strip()]

    o = []
    o.append(f"\n## {meta.get('started', '?')} — media: relayed and transcoded calls, git "
             f"{meta.get('git', '?')}"
             f"{' (+%s modified files)' % meta['git_dirty_files'] if meta.get('git_dirty_files', '0') != '0' else ''}\n")
    o.append('**Command:** `' + meta.get('command', 'bench/media.sh') + '` (from the work tree root; '
             f"whole stage {meta.get('elapsed_s', '?')} s)\n")
    o.append('**Machine:** `nproc` = ' + sh('nproc') + ', kernel ' + sh('uname -r') + ', ' +
             sh("free -m | awk '/^Mem:/ {print $2 \" MB RAM\"}'") + ', ' +
             sh("lscpu | sed -n 's/^Model name: *//p'") + '; perf: ' + meta.get('perf', '?') +
             '; before the run: ' + meta.get('idle_check', '?') + '\n')
    o.append(f"Daemon pinned to CPU 1 (`taskset -c 1`, `[rtp] workers = {meta.get('rtp_workers')}`, "
             f"`[rtp] ports = {meta.get('rtp_ports')}`, `[log] level = warn`); the driver "
             "(`media_ramp.py`: SIP in Python) and the RTP generator (`rtpgen.c`: sendmmsg/"
             "recvmmsg, one thread) on CPU 0; loopback. Every call carries one RTP stream per "
             "direction, 50 packets/s, 172-byte packets (12 + 160), phases spread over the 20 ms. "
             f"Calls are added at {meta.get('rate')}/s and stay up; each step is measured over a "
             f"{meta.get('secs')} s window starting {meta.get('settle')} s after its last call "
             "was set up (no signalling in the window). Binary sha256 "
             f"{meta.get('ondo_sha256')}, built {meta.get('ondo_built', '?')}.\n")
    o.append('Clean step = every call set up, loss < 0.1%, daemon CPU < 90% of one core, no '
             'misrouted/corrupt packet, no silent stream, and for transcoded calls the peer\'s '
             'tone heard in every monitored stream. **Relayed loss** = packets missing at the '
             'receivers (RTP sequence gaps, plus whole silent streams); "sent − recv" '
             '(packets sent in the window minus received) also counts what is still queued '
             'when the window closes. '
             '**Transcoded loss** = the larger of: packets the PBX\'s 20 ms clock owed a '
             'receiver and it did not get (output), and kernel drops on the daemon\'s RTP '
             'sockets (input). "CPU" = schedstat of all daemon threads, % of one core; '
             '"other" = every other process on the machine (foreign load makes the figures '
             'pessimistic). Drops: daemon RTP sockets (found by inode in /proc/net/udp) / '
             'generator sockets / machine-wide UDP RcvbufErrors.\n')

    # ---- floor ----
    floor = {}
    o.append('### UDP relay floor (`' + meta.get('udpbench_src', '?') + '`)\n')
    if any(k in meta for k in ('udpbench_plain', 'udpbench_mmsg')):
        o.append('One relay process on CPU 1 (gen and sink on CPU 0, gen 5 s at full speed with '
                 'sendmmsg, 172-byte packets): what one socket pair costs per relayed packet '
                 'without any PBX logic. The relay runs 6 s, from 0.3 s before the generator: '
                 'its "% of one core" is over those 6 s; its µs per packet is the figure.\n')
        o.append('| relay mode | packets relayed | relay CPU % of one core | µs CPU per packet | '
                 'packets/s per core at that cost |')
        o.append('|---|---|---|---|---|')
        for mode, label in (('plain', 'recvfrom + sendto (as the daemon)'),
                            ('mmsg', 'recvmmsg + sendmmsg, 64 per call')):
            m = UB.search(meta.get(f'udpbench_{mode}', ''))
            if m:
                us = float(m.group(6))
                floor[mode] = us
                o.append(f'| {label} | {int(m.group(1)):,} in {m.group(2)} s | {m.group(5)} | '
                         f'{us:.2f} | {1e6 / us:,.0f} |')
            else:
                o.append(f"| {label} | {meta.get(f'udpbench_{mode}', 'no result')} | | | |")
        o.append('')
    else:
        o.append('not run: ' + meta.get('udpbench_src', '?') + '\n')

    # ---- relay ----
    if steps['relay']:
        o.append('### Relayed calls (extension dialled directly: raw relay, no decode, PCMU)\n')
        o.append('| calls | pkts relayed/s (expected) | daemon CPU % | per thread % | µs CPU per '
                 'relayed pkt (× floor) | loss % | sent − recv % | max gap ms | drops rtp/gen/rcvbuf | '
                 'misrouted/corrupt/silent | gen CPU % | other % | RSS MB | clean |')
        o.append('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
        for s in steps['relay']:
            g = s['gen']['side']
            bad = '/'.join(str(g[0][k] + g[1][k]) for k in ('misrouted', 'corrupt', 'silent'))
            x = f" ({s['us_per_pkt'] / floor['plain']:.1f}×)" if floor.get('plain') else ''
            o.append(f"| {s['calls']}{' (again)' if s['attempt'] > 1 else ''} | "
                     f"{s['pps_out']:,} ({s['expected_pps']:,}) | {s['srv_cpu']} | "
                     f"{fmt_threads(s['srv_threads'])} | {s['us_per_pkt']}{x} | "
                     f"{s['loss_pct']:.4f} | {s.get('sent_minus_received_pct', 0):.4f} | "
                     f"{max(g[0]['max_gap_ms'], g[1]['max_gap_ms'])} | "
                     f"{s['rtp_sock_drops']}/{s['gen_sock_drops']}/{s['rcvbuf_errors']} | {bad} | "
                     f"{s['gen_cpu']} | {s['other_cpu']} | {(s['rss_kb'] or 0) // 1024} | "
                     f"{'yes' if s['clean'] else '**no**: ' + why_text(s)} |")
        o.append('')

    # ---- transcode ----
    if steps['transcode']:
        o.append('### Transcoded calls (route `_7XXXXXX` → `dial ${EXTEN:1}`: caller G.722 '
                 '16 kHz, callee PCMU 8 kHz; decode, resample, encode every 20 ms)\n')
        o.append('| calls | pkts in/s | pkts out/s | daemon CPU % | per thread % | CPU ms per call-s '
                 '| loss % (out/in) | late >50 ms | max gap ms | tone heard | drops rtp/gen/rcvbuf | '
                 'gen CPU % | other % | RSS MB | threads | clean |')
        o.append('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
        for s in steps['transcode']:
            g = s['gen']['side']
            wall = s['gen']['wall']
            rx = g[0]['rx'] + g[1]['rx']
            out_loss = 100.0 * (g[0]['deficit'] + g[1]['deficit']) / max(1, rx + g[0]['deficit'] + g[1]['deficit'])
            tone = (f"{g[0]['tone_ok'] + g[1]['tone_ok']}/{g[0]['mon'] + g[1]['mon']} "
                    f"({g[1]['level_dbfs']:.0f}/{g[0]['level_dbfs']:.0f} dBFS)")
            o.append(f"| {s['calls']}{' (again)' if s['attempt'] > 1 else ''} | {s['pps_in']:,} | "
                     f"{s['pps_out']:,} | {s['srv_cpu']} | {fmt_threads(s['srv_threads'])} | "
                     f"{s['cpu_ms_per_call_s']:.2f} | {out_loss:.4f}/{s['in_loss_pct']:.4f} | "
                     f"{g[0]['late'] + g[1]['late']} | {max(g[0]['max_gap_ms'], g[1]['max_gap_ms'])} | "
                     f"{tone} | {s['rtp_sock_drops']}/{s['gen_sock_drops']}/{s['rcvbuf_errors']} | "
                     f"{s['gen_cpu']} | {s['other_cpu']} | {(s['rss_kb'] or 0) // 1024} | "
                     f"{s['threads']} | {'yes' if s['clean'] else '**no**: ' + why_text(s)} |")
        o.append('')
        o.append('"CPU ms per call-s" = daemon CPU time per second per transcoded call (two '
                 'legs). "tone heard": monitored streams (first 32 calls, both directions) where '
                 'the peer\'s tone (caller 1000 Hz → callee, callee 700 Hz → caller) carries more '
                 'than half the received energy (Goertzel), with its level at the callee / at '
                 'the caller (sent at −10 dBFS). "late >50 ms": interarrival gaps above 50 ms '
                 'at the receivers.\n')

    # ---- summary ----
    o.append('### Summary\n')
    o.append('| benchmark | highest clean N | daemon CPU there | packets/s there (in + out) | '
             'CPU per call | N at 90% CPU (linear) | first unclean N (why) | after hang-up |')
    o.append('|---|---|---|---|---|---|---|---|')
    for m, label in (('relay', 'relayed calls'), ('transcode', 'transcoded calls')):
        sm = summ.get(m)
        if not sm and not steps[m]:
            continue
        best = (sm or {}).get('best', 0)
        at = [s for s in steps[m] if s['calls'] == best and s['clean']]
        at = at[-1] if at else None
        final = {}                      # the last attempt at each N
        for s in steps[m]:
            final[s['calls']] = s
        bad = [s for n, s in sorted(final.items()) if not s['clean']]
        first_bad = (f"{bad[0]['calls']} ({why_text(bad[0])})" if bad
                     else 'none (' + (sm or {}).get('stop_reason', '?') + ')')
        after = (f"{sm.get('calls_left_after_hangup')} calls left, fds "
                 f"{sm.get('fds_before')}→{sm.get('fds_after')}, threads "
                 f"{sm.get('threads_before')}→{sm.get('threads_after')}") if sm else '?'
        if at:
            per_call = f"{at['cpu_ms_per_call_s']:.2f} ms/s ({at['srv_cpu'] / max(1, at['live']):.3f}%)"
            n90 = f"{best * 90 / max(0.1, at['srv_cpu']):,.0f}"
            o.append(f"| {label} | **{best}** | {at['srv_cpu']}% | {at['pps_in'] + at['pps_out']:,} | "
                     f"{per_call} | {n90} | {first_bad} | {after} |")
        else:
            o.append(f"| {label} | **0** | | | | | {first_bad} | {after} |")
    o.append('')
    if floor.get('plain') and steps['relay']:
        best = (summ.get('relay') or {}).get('best', 0)
        at = [s for s in steps['relay'] if s['calls'] == best and s['clean']]
        if at:
            at = at[-1]
            o.append(f"Relay vs the floor at {best} calls: {at['us_per_pkt']} µs of daemon CPU per "
                     f"relayed packet against {floor['plain']:.2f} µs for udpbench's plain "
                     f"recvfrom+sendto loop ({at['us_per_pkt'] / floor['plain']:.1f}×); "
                     f"{1e6 / at['us_per_pkt']:,.0f} packets/s per core at the daemon's cost "
                     f"= {1e6 / at['us_per_pkt'] / 100:,.0f} relayed calls per core at 100% "
                     f"(a call is 100 packets/s).\n")

    for m in ('relay', 'transcode'):
        sm = summ.get(m) or {}
        p = sm.get('perf')
        if p and p.get('top'):
            o.append(f"**Where the daemon's CPU goes, {m}, {p['calls']} calls "
                     f"({p['cpu']}% CPU)** — `perf record -e cpu-clock -F 499 --call-graph "
                     f"dwarf -p PID` for {meta.get('perf_secs', 'a few')} s right after the "
                     "window (same calls), `perf report --children --sort sym` (first column: "
                     "with callees; second: self), then the flat self top by library:\n")
            o.append('```\n' + p['top'] + '\n```\n')

    # ---- daemon state ----
    o.append('### Daemon state and logs\n')
    for k, v in meta.items():
        if k.startswith(('relay_', 'transcode_')) or k.startswith('udpbench_') and k.endswith('_sink'):
            o.append(f'- `{k}`: {v}')
    for m in ('relay', 'transcode'):
        sm = summ.get(m)
        if sm:
            o.append(f"- {m}: {sm.get('registered')} callees registered; SIP events over the "
                     f"whole ramp: {json.dumps(sm.get('sip', {})) or '{}'}; hang-up took "
                     f"{sm.get('hangup_secs')} s; callee legs the PBX never hung up: "
                     f"{sm.get('callee_legs_not_ended')}")
    for m in ('relay', 'transcode'):
        f = os.path.join(wd, f'{m}_log_summary.txt')
        if os.path.exists(f):
            o.append(f'\n{m}: daemon log lines (besides `ready:`), most frequent first '
                     '(numbers replaced by N):\n```\n' + open(f).read().rstrip() + '\n```')
    if problems:
        o.append('\n**Problems:**\n')
        o.extend(f'- {p}' for p in problems)
    o.append('')
    with open(results, 'a') as f:
        f.write('\n'.join(o) + '\n')


if __name__ == '__main__':
    main()
