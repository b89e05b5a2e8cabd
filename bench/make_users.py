#!/usr/bin/env python3
"""Ondo bench: create the bench tenant's extensions and the SIPp CSV files.

usage: make_users.py ONDOCTL CONF DB OUTDIR DOMAIN NUSERS NPAIRS

* Creates the tenant with `ondoctl tenant add` (which also creates the
  database with the daemon's own schema), then inserts NUSERS extensions
  100000.. straight into SQLite in one transaction:
  ha1 = md5("NUMBER:DOMAIN:secret123").
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
    if npairs * 2 > nusers:
        sys.exit('make_users.py: NPAIRS*2 must be <= NUSERS')
    subprocess.run([ondoctl, '-c', conf, 'tenant', 'add', 'Bench', domain],
                   check=True, stdout=subprocess.DEVNULL)
    c = sqlite3.connect(db)
    tid = c.execute('SELECT id FROM tenants WHERE domain = ?', (domain,)).fetchone()[0]
    nums = [str(FIRST + i) for i in range(nusers)]
    with c:
        c.executemany(
            'INSERT INTO extensions(tenant_id, number, name, ha1, ring_timeout) '
            'VALUES (?, ?, ?, ?, 30)',
            ((tid, n, 'Bench ' + n,
              hashlib.md5(f'{n}:{domain}:{PASSWORD}'.encode()).hexdigest())
             for n in nums))
    c.close()
    with open(os.path.join(outdir, 'users.csv'), 'w') as f:
        f.write('SEQUENTIAL\n')
        f.writelines(f'{n};{PASSWORD};{domain}\n' for n in nums)
    callers, callees = nums[:npairs], nums[nusers - npairs:]
    with open(os.path.join(outdir, 'callees.csv'), 'w') as f:
        f.write('SEQUENTIAL\n')
        f.writelines(f'{n};{PASSWORD};{domain}\n' for n in callees)
    with open(os.path.join(outdir, 'calls.csv'), 'w') as f:
        f.write('SEQUENTIAL\n')
        f.writelines(f'{a};{PASSWORD};{domain};{b}\n' for a, b in zip(callers, callees))
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
                          "VALUES (?, ?, ?, '', '')", ((n, domain, PASSWORD) for n in nums))
        k.close()
    print(f'{nusers} users, {npairs} call pairs in {outdir}')


if __name__ == '__main__':
    main()
