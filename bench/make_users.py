#!/usr/bin/env python3
"""Ondo bench: create the bench tenant's extensions and the SIPp CSV files.

usage: make_users.py ONDOCTL CONF DB OUTDIR DOMAIN NUSERS NPAIRS [NTENANTS]

* Creates the tenant with `ondoctl tenant add` (which also creates the
  database with the daemon's own schema), then inserts NUSERS extensions
  100000.. straight into SQLite in one transaction:
  ha1 = md5("NUMBER:DOMAIN:secret123").
* With NTENANTS > 1 (BENCH_TENANTS): that many tenants, tN.DOMAIN, each
  added with ondoctl; extension i belongs to tenant i % NTENANTS, and
  each caller calls a callee of its own tenant (NUSERS - NPAIRS must be a
  multiple of NTENANTS).
* OUTDIR/users.csv    number;password;domain        (all users, REGISTER)
* OUTDIR/callees.csv  the last NPAIRS users           (registered by the UAS)
* OUTDIR/calls.csv    caller;password;domain;callee (first NPAIRS users call
                      the last NPAIRS, pair i -> i)
* OUTDIR/kam_users.sqlite  the same users as a Kamailio auth_db
                      `subscriber` table (only if the kamailio schema
                      files are installed), for the anchor run.
"""
import hashlib, os, sqlite3, subprocess, sys

PASSWORD = 'secret123'
FIRST = 100000


def main():
    ondoctl, conf, db, outdir, domain = sys.argv[1:6]
    nusers, npairs = int(sys.argv[6]), int(sys.argv[7])
    ntenants = int(sys.argv[8]) if len(sys.argv) > 8 else 1
    if npairs * 2 > nusers:
        sys.exit('make_users.py: NPAIRS*2 must be <= NUSERS')
    if (nusers - npairs) % ntenants:
        sys.exit('make_users.py: NUSERS - NPAIRS must be a multiple of NTENANTS')
    domains = [domain] if ntenants == 1 else [f't{k}.{domain}' for k in range(ntenants)]
    for k, d in enumerate(domains):
        subprocess.run([ondoctl, '-c', conf, 'tenant', 'add', f'Bench {k}', d],
                       check=True, stdout=subprocess.DEVNULL)
    c = sqlite3.connect(db)
    tids = {d: c.execute('SELECT id FROM tenants WHERE domain = ?', (d,)).fetchone()[0]
            for d in domains}
    nums = [str(FIRST + i) for i in range(nusers)]
    dom = [domains[i % ntenants] for i in range(nusers)]
    with c:
        c.executemany(
            'INSERT INTO extensions(tenant_id, number, name, ha1, ring_timeout) '
            'VALUES (?, ?, ?, ?, 30)',
            ((tids[d], n, 'Bench ' + n,
              hashlib.md5(f'{n}:{d}:{PASSWORD}'.encode()).hexdigest())
             for n, d in zip(nums, dom)))
    c.close()
    with open(os.path.join(outdir, 'users.csv'), 'w') as f:
        f.write('SEQUENTIAL\n')
        f.writelines(f'{n};{PASSWORD};{d}\n' for n, d in zip(nums, dom))
    # Caller i and callee nusers - npairs + i share a tenant (checked above).
    first_callee = nusers - npairs
    with open(os.path.join(outdir, 'callees.csv'), 'w') as f:
        f.write('SEQUENTIAL\n')
        f.writelines(f'{nums[j]};{PASSWORD};{dom[j]}\n' for j in range(first_callee, nusers))
    with open(os.path.join(outdir, 'calls.csv'), 'w') as f:
        f.write('SEQUENTIAL\n')
        f.writelines(f'{nums[i]};{PASSWORD};{dom[i]};{nums[first_callee + i]}\n'
                     for i in range(npairs))
    schema = '/usr/share/kamailio/db_sqlite'
    if os.path.isdir(schema):
        kdb = os.path.join(outdir, 'kam_users.sqlite')
        if os.path.exists(kdb):
            os.remove(kdb)
        for s in ('standard-create.sql', 'auth_db-create.sql'):
            with open(os.path.join(schema, s)) as f:
                subprocess.run(['sqlite3', kdb], stdin=f, check=True)
        k = sqlite3.connect(kdb)
        with k:
            k.executemany("INSERT INTO subscriber(username, domain, password, ha1, ha1b) "
                          "VALUES (?, ?, ?, '', '')", ((n, d, PASSWORD) for n, d in zip(nums, dom)))
        k.close()
    print(f'{nusers} users in {ntenants} tenant(s), {npairs} call pairs in {outdir}')


if __name__ == '__main__':
    main()
