#!/usr/bin/env python3
"""tenant_rows.py DB DOMAIN: prints every row of tenant DOMAIN in DB, one
line a row, sorted, with row ids left out and each foreign key replaced by
what the row it points at holds (recursively), so that the same tenant on
two nodes prints the same lines whatever ids each node gave. Tables that
never move (registrations, live_calls, alive) are left out; audit_log rows
are printed with the prefix "audit".
"""
import sqlite3
import sys

SKIP = {"registrations", "live_calls", "alive"}


def main(path, domain):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    meta = {}
    for t in tables:
        info = list(con.execute(f'PRAGMA table_info("{t}")'))
        fks = {r[3]: r[2] for r in con.execute(
            f'PRAGMA foreign_key_list("{t}")')}
        pks = [r[1] for r in info if r[5]]
        rowid = pks[0] if len(pks) == 1 and pks[0] not in fks and \
            info[[r[1] for r in info].index(pks[0])][2].upper() == "INTEGER" \
            else None
        meta[t] = ([r[1] for r in info], fks, rowid)
    memo = {}

    def natural(t, rowid):
        key = (t, rowid)
        if key not in memo:
            cols = meta[t][0]
            row = con.execute(
                f'SELECT * FROM "{t}" WHERE rowid = ?', (rowid,)).fetchone()
            memo[key] = describe(t, cols, row)
        return memo[key]

    def describe(t, cols, row):
        _, fks, rowid = meta[t]
        out = []
        for c, v in zip(cols, row):
            if c == rowid:
                continue
            if c in fks and v is not None:
                out.append((c, natural(fks[c], v)))
            else:
                out.append((c, v))
        return tuple(out)

    lines = []
    for t in tables:
        if t in SKIP:
            continue
        cols = meta[t][0]
        for row in con.execute(f'SELECT * FROM "{t}"'):
            d = describe(t, cols, row)
            text = repr(d)
            if t == "audit_log":
                if dict(d).get("tenant") == domain:
                    lines.append("audit " + repr(d))
            elif t == "tenants":
                if dict(d).get("domain") == domain:
                    lines.append(f"{t} {text}")
            elif f"('domain', '{domain}')" in text:
                lines.append(f"{t} {text}")
    for line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
