/* test_db.c - the database layer: tenants and their codec preference,
 * extensions, registrations, migrations and input checks, on a fresh SQLite
 * file per test. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem; config.h usually defines it */
#endif
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "db_priv.h"
#include "dbcheck.h"
#include "tmpdb.h"

/* MD5("1001:demo.localhost:secret123"), computed with md5sum(1). */
#define HA1_DEMO_1001 "75952baee1ca44cf6932cd5650a8a402"
/* MD5("1001:demo.localhost:newsecret9") */
#define HA1_DEMO_1001_NEW "84ca074a41901b9a0bb82c7b2ebcebf7"
/* MD5("1001:acme.test:secret123") */
#define HA1_ACME_1001 "805ea9db71dc88f335b7e4ace2241558"

struct fx {
	struct tmpdb tmp;
	struct db *db;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (tmpdb_open(&fx->tmp, "db", &fx->db)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	tmpdb_close(&fx->tmp, fx->db);
	free(fx);
	return 0;
}

static int collect_tenant_h(const struct db_tenant *t, void *arg)
{
	char *out = arg;

	strcat(out, t->domain);
	strcat(out, " ");
	return 0;
}

static int count_ext_h(const struct db_ext *e, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int count_reg_h(const struct db_reg *r, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int count_cdr_h(const struct db_cdr *c, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/* db_tenant_list fills codecs too: demo.localhost's must be PCMA. */
static int find_codecs_h(const struct db_tenant *t, void *arg)
{
	if (!strcmp(t->domain, "demo.localhost") && strcmp(t->codecs, "PCMA"))
		fail_msg("db_tenant_list reads demo's codecs as '%s', not "
			 "'PCMA'",
			 t->codecs);
	if (!strcmp(t->domain, "acme.test") &&
	    strcmp(t->codecs, DB_CODECS_DEFAULT))
		fail_msg("db_tenant_list reads acme's codecs as '%s'",
			 t->codecs);
	return 0;
}

static void test_tenant_add_list_del(void **state)
{
	struct fx *fx = *state;
	struct db_tenant t;
	char list[512] = "";
	int64_t id = 0;

	OK(db_tenant_add(fx->db, "Demo", "Demo.LOCALHOST", &id));
	if (id <= 0)
		fail_msg("a new tenant got no id");
	OK(db_tenant_by_domain(fx->db, "demo.localhost", &t));
	if (strcmp(t.domain, "demo.localhost") || strcmp(t.name, "Demo"))
		fail_msg("tenant read back as '%s' '%s', not 'Demo' "
			 "'demo.localhost' (domains are stored lower case)",
			 t.name, t.domain);
	FAILS_WITH(db_tenant_add(fx->db, "Again", "DEMO.localhost", NULL),
		   -EEXIST, "adding a domain twice (other case)");
	FAILS_WITH(db_tenant_add(fx->db, "Bad", "a..b", NULL), -EINVAL,
		   "adding tenant 'a..b'");
	OK(db_tenant_add(fx->db, "Acme", "acme.test", NULL));
	OK(db_tenant_list(fx->db, collect_tenant_h, list));
	if (strcmp(list, "acme.test demo.localhost "))
		fail_msg("tenant list is '%s', expected both, in domain order",
			 list);
	OK(db_tenant_del(fx->db, "ACME.test"));
	FAILS_WITH(db_tenant_del(fx->db, "acme.test"), -ENOENT,
		   "deleting a tenant twice");
	FAILS_WITH(db_tenant_by_domain(fx->db, "acme.test", &t), -ENOENT,
		   "looking up a deleted tenant");
	OK(db_tenant_by_id(fx->db, id, &t));
	if (strcmp(t.domain, "demo.localhost"))
		fail_msg("tenant %lld is '%s' after deleting another one",
			 (long long)id, t.domain);
}

/* True if `needle` occurs anywhere in the file at `path` (missing: no). */
static bool file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;
	bool found;

	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len > 0 ? (size_t)len : 1);
	assert_non_null(buf);
	len = (long)fread(buf, 1, (size_t)len, f);
	fclose(f);
	found = memmem(buf, (size_t)len, needle, strlen(needle)) != NULL;
	free(buf);
	return found;
}

static bool db_files_contain(const char *path, const char *needle)
{
	char side[320];

	snprintf(side, sizeof(side), "%s-wal", path);
	return file_contains(path, needle) || file_contains(side, needle);
}

static void test_ext_ha1_no_cleartext(void **state)
{
	struct fx *fx = *state;
	struct db_ext e;
	char ha1[DB_HA1_LEN];
	int64_t tid;

	OK(db_tenant_add(fx->db, "Demo", "demo.localhost", &tid));
	OK(db_ext_add(fx->db, tid, "1001", "Alice", "secret123", NULL));
	FAILS_WITH(db_ext_add(fx->db, tid, "1001", "", "secret123", NULL),
		   -EEXIST, "adding extension 1001 twice");
	FAILS_WITH(db_ext_add(fx->db, tid + 99, "1002", "", "secret123", NULL),
		   -ENOENT, "adding an extension to a missing tenant");
	OK(db_ext_get(fx->db, tid, "1001", &e));
	if (strcmp(e.ha1, HA1_DEMO_1001))
		fail_msg("phones would fail to log in: stored HA1 %s, "
			 "MD5(1001:demo.localhost:secret123) is %s",
			 e.ha1, HA1_DEMO_1001);
	db_ha1(ha1, "1001", "demo.localhost", "secret123");
	if (strcmp(ha1, HA1_DEMO_1001))
		fail_msg("db_ha1 gives %s, expected %s", ha1, HA1_DEMO_1001);
	if (strcmp(e.name, "Alice") || e.ring_timeout != 30)
		fail_msg("extension read back as '%s' ring %d, expected "
			 "'Alice' ring 30",
			 e.name, e.ring_timeout);

	OK(db_ext_set_ring_timeout(fx->db, tid, "1001", 45));
	FAILS_WITH(db_ext_set_ring_timeout(fx->db, tid, "1001", 1), -EINVAL,
		   "a 1-second ring timeout");
	OK(db_ext_get(fx->db, tid, "1001", &e));
	if (e.ring_timeout != 45)
		fail_msg("ring timeout is %d after setting 45", e.ring_timeout);

	/* Make SQLite write everything into the main file and the WAL. */
	db_close(fx->db);
	fx->db = NULL;
	if (!db_files_contain(fx->tmp.path, HA1_DEMO_1001))
		fail_msg("the HA1 is not in the database file: the scan "
			 "below would prove nothing");
	if (db_files_contain(fx->tmp.path, "secret123"))
		fail_msg("the clear password 'secret123' is stored in %s",
			 fx->tmp.path);
	OK(db_open(&fx->db, fx->tmp.path));

	OK(db_ext_passwd(fx->db, tid, "1001", "newsecret9"));
	OK(db_ext_get(fx->db, tid, "1001", &e));
	if (strcmp(e.ha1, HA1_DEMO_1001_NEW))
		fail_msg("after a password change the HA1 is %s, expected %s",
			 e.ha1, HA1_DEMO_1001_NEW);
	FAILS_WITH(db_ext_passwd(fx->db, tid, "1009", "newsecret9"), -ENOENT,
		   "changing the password of a missing extension");
	FAILS_WITH(db_ext_passwd(fx->db, tid, "1001", "short"), -EINVAL,
		   "a 5-character password");
}

static void test_same_number_two_tenants(void **state)
{
	struct fx *fx = *state;
	struct db_ext a, b;
	int64_t demo, acme;
	int n = 0;

	OK(db_tenant_add(fx->db, "Demo", "demo.localhost", &demo));
	OK(db_tenant_add(fx->db, "Acme", "acme.test", &acme));
	OK(db_ext_add(fx->db, demo, "1001", NULL, "secret123", NULL));
	OK(db_ext_add(fx->db, acme, "1001", NULL, "secret123", NULL));
	OK(db_ext_get(fx->db, demo, "1001", &a));
	OK(db_ext_get(fx->db, acme, "1001", &b));
	if (a.id == b.id || a.tenant_id != demo || b.tenant_id != acme)
		fail_msg("1001@demo.localhost and 1001@acme.test are not two "
			 "separate extensions");
	if (strcmp(b.ha1, HA1_ACME_1001))
		fail_msg("1001@acme.test has HA1 %s, expected %s (realm must "
			 "be the tenant's domain)",
			 b.ha1, HA1_ACME_1001);
	OK(db_ext_list(fx->db, acme, count_ext_h, &n));
	if (n != 1)
		fail_msg("acme.test lists %d extensions, expected 1", n);
	OK(db_ext_del(fx->db, acme, "1001"));
	FAILS_WITH(db_ext_del(fx->db, acme, "1001"), -ENOENT,
		   "deleting 1001@acme.test twice");
	OK(db_ext_get(fx->db, demo, "1001", &a));
}

static struct db_reg make_reg(const struct db_ext *e, const char *contact,
			      int64_t expires, uint32_t cseq)
{
	struct db_reg r = {.ext_id = e->id,
			   .tenant_id = e->tenant_id,
			   .cseq = cseq,
			   .expires = expires};

	snprintf(r.contact, sizeof(r.contact), "%s", contact);
	snprintf(r.route, sizeof(r.route), "sip:192.0.2.10:5062;transport=udp");
	snprintf(r.call_id, sizeof(r.call_id), "reg-%s", contact);
	snprintf(r.user_agent, sizeof(r.user_agent), "Linphone/5.2");
	return r;
}

static void test_cascade_delete(void **state)
{
	struct fx *fx = *state;
	struct db_cdr c = {.start_us = 1, .end_us = 2};
	struct db_ext e;
	struct db_reg r;
	int64_t tid;
	int n = 0;

	OK(db_tenant_add(fx->db, "Demo", "demo.localhost", &tid));
	OK(db_ext_add(fx->db, tid, "1001", NULL, "secret123", NULL));
	OK(db_ext_get(fx->db, tid, "1001", &e));
	r = make_reg(&e, "sip:1001@192.0.2.10:5062", 2000000000, 1);
	OK(db_reg_save(fx->db, &r));
	c.tenant_id = tid;
	strcpy(c.call_id, "call-1");
	strcpy(c.disposition, "ANSWERED");
	OK(db_cdr_insert(fx->db, &c));

	OK(db_tenant_del(fx->db, "demo.localhost"));
	FAILS_WITH(db_ext_get(fx->db, tid, "1001", &e), -ENOENT,
		   "extension of a deleted tenant");
	OK(db_reg_list(fx->db, 0, 0, count_reg_h, &n));
	OK(db_cdr_list(fx->db, 0, 0, count_cdr_h, &n));
	if (n)
		fail_msg("%d registrations or call records of a deleted "
			 "tenant remain",
			 n);
}

/* Remembers contacts in walk order, and the cseq of the first. */
struct regs_seen {
	char contacts[1024];
	uint32_t first_cseq;
	int n;
};

static int seen_reg_h(const struct db_reg *r, void *arg)
{
	struct regs_seen *s = arg;

	if (strcmp(r->number, "1001") || strcmp(r->domain, "demo.localhost"))
		fail_msg("a registration row names %s@%s, not "
			 "1001@demo.localhost",
			 r->number, r->domain);
	if (s->n++ == 0)
		s->first_cseq = r->cseq;
	strcat(s->contacts, r->contact);
	strcat(s->contacts, " ");
	return 0;
}

static void test_registrations(void **state)
{
	struct fx *fx = *state;
	struct regs_seen seen = {0};
	struct db_ext e;
	struct db_reg a, b;
	int64_t tid, now = 1700000000;

	OK(db_tenant_add(fx->db, "Demo", "demo.localhost", &tid));
	OK(db_ext_add(fx->db, tid, "1001", NULL, "secret123", NULL));
	OK(db_ext_get(fx->db, tid, "1001", &e));
	a = make_reg(&e, "sip:a@192.0.2.10", now + 60, 1);
	b = make_reg(&e, "sip:b@192.0.2.11", now + 3600, 1);
	OK(db_reg_save(fx->db, &a));
	OK(db_reg_save(fx->db, &b));
	a.cseq = 2;
	a.expires = now + 120;
	OK(db_reg_save(fx->db, &a)); /* a refresh replaces, not adds */
	OK(db_reg_load(fx->db, e.id, now, seen_reg_h, &seen));
	if (seen.n != 2 ||
	    strcmp(seen.contacts, "sip:b@192.0.2.11 sip:a@192.0.2.10 "))
		fail_msg("after a refresh the phone has contacts '%s', "
			 "expected b then a (latest expiry first)",
			 seen.contacts);

	memset(&seen, 0, sizeof(seen));
	OK(db_reg_list(fx->db, tid, now + 200, seen_reg_h, &seen));
	if (seen.n != 1 || strcmp(seen.contacts, "sip:b@192.0.2.11 "))
		fail_msg("at now+200 the live contacts are '%s', expected "
			 "only b (a expired at now+120)",
			 seen.contacts);

	memset(&seen, 0, sizeof(seen));
	OK(db_reg_expire(fx->db, now + 120));
	OK(db_reg_list(fx->db, 0, 0, seen_reg_h, &seen));
	if (seen.n != 1)
		fail_msg("expiring at now+120 left %d rows, expected 1",
			 seen.n);
	OK(db_reg_del(fx->db, e.id, b.contact));
	FAILS_WITH(db_reg_del(fx->db, e.id, b.contact), -ENOENT,
		   "removing a contact twice");
	a.ext_id = e.id + 50;
	FAILS_WITH(db_reg_save(fx->db, &a), -ENOENT,
		   "registering a missing extension");
}

static void test_version_survives_reopen(void **state)
{
	struct fx *fx = *state;
	int want = 1 + db_nmigrations;

	if (db_schema_version(fx->db) != want)
		fail_msg("a new database is at schema version %d, expected %d",
			 db_schema_version(fx->db), want);
	db_close(fx->db);
	OK(db_open(&fx->db, fx->tmp.path));
	if (db_schema_version(fx->db) != want)
		fail_msg("re-opening moved the schema version to %d",
			 db_schema_version(fx->db));
}

static void test_migrations(void **state)
{
	static const struct db_migration good[] = {
	    {2, "CREATE TABLE m2 (x INTEGER) STRICT;"
		"INSERT INTO m2 VALUES (7);"},
	    {3, "CREATE TABLE m3 (x INTEGER);"
		"SELECT no_such_function();"},
	};
	struct fx *fx = *state;

	/* A new file: setup's is already at the embedded migrations'
	 * version, which these test steps would number over. */
	db_close(fx->db);
	tmpdb_unlink(&fx->tmp);
	OK(db_open_with(&fx->db, fx->tmp.path, good, 1));
	db_close(fx->db);
	OK(db_open_with(&fx->db, fx->tmp.path, good, 1));
	if (db_schema_version(fx->db) != 2 ||
	    count_rows(fx->db, "SELECT count(*) FROM m2") != 1)
		fail_msg("migration 2 was not applied exactly once (version "
			 "%d)",
			 db_schema_version(fx->db));
	db_close(fx->db);
	fx->db = NULL;

	fprintf(stderr, "(an ERR line about version 3 is expected next)\n");
	FAILS_WITH(db_open_with(&fx->db, fx->tmp.path, good, 2), -EIO,
		   "opening with a broken migration 3");
	OK(db_open_with(&fx->db, fx->tmp.path, good, 1));
	if (db_schema_version(fx->db) != 2)
		fail_msg("a failed migration moved the version to %d",
			 db_schema_version(fx->db));
	if (count_rows(fx->db, "SELECT count(*) FROM sqlite_schema "
			       "WHERE name = 'm3'") != 0)
		fail_msg("a failed migration left its table m3 behind");
	db_close(fx->db);
	fx->db = NULL;

	fprintf(stderr,
		"(an ERR line about a newer schema is expected next)\n");
	FAILS_WITH(db_open_with(&fx->db, fx->tmp.path, NULL, 0), -EIO,
		   "an old build opening a newer database");
	OK(db_open_with(&fx->db, fx->tmp.path, good, 1));
}

/* Joins what db_codecs_parse() gave into "A B C" for messages. */
static void join_names(char names[DB_CODECS_MAX][DB_CODEC_NAME_LEN], int n,
		       char *out, size_t len)
{
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i)
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, names[i], len - strlen(out) - 1);
	}
}

static void test_codecs_parse(void **state)
{
	static const struct {
		const char *in, *want; /* names joined by spaces */
	} good[] = {
	    {"G722,PCMU,PCMA", "G722 PCMU PCMA"},
	    {"pcmu", "PCMU"},
	    {"PcMa,g722", "PCMA G722"},
	    {" G722 , pcmu\t", "G722 PCMU"},
	    {"PCMA,PCMU,G722", "PCMA PCMU G722"},
	    {DB_CODECS_DEFAULT, "G722 PCMU PCMA"},
	};
	static const char *const bad[] = {"",
					  "G729",
					  "PCMU,",
					  ",PCMU",
					  "PCMU,,PCMA",
					  "PCMU,PCMU",
					  "pcmu,PCMU",
					  "G722 PCMU",
					  "PCMU;PCMA",
					  "G722,PCMU,PCMA,PCMU",
					  "G7221",
					  "PCM",
					  " ",
					  "opus",
					  "PCMU,G722,G729"};
	char names[DB_CODECS_MAX][DB_CODEC_NAME_LEN], got[64], longlist[80];
	int n;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		n = -1;
		if (db_codecs_parse(good[i].in, names, &n))
			fail_msg("codec list '%s' is refused; a tenant could "
				 "not choose it",
				 good[i].in);
		join_names(names, n, got, sizeof(got));
		if (strcmp(got, good[i].want))
			fail_msg("codec list '%s' reads as '%s', expected "
				 "'%s'",
				 good[i].in, got, good[i].want);
		if (!db_valid_codecs(good[i].in))
			fail_msg("db_valid_codecs refuses '%s', which "
				 "db_codecs_parse takes",
				 good[i].in);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = -1;
		if (db_codecs_parse(bad[i], names, &n) != -EINVAL || n != 0)
			fail_msg("codec list '%s' is accepted (%d names); "
				 "calls would offer nonsense",
				 bad[i], n);
		if (db_valid_codecs(bad[i]))
			fail_msg("db_valid_codecs accepts '%s'", bad[i]);
	}
	/* Valid names, but too long a string to store. */
	snprintf(longlist, sizeof(longlist), "%70s", "PCMU");
	if (db_valid_codecs(longlist))
		fail_msg("a 70-byte codec list is accepted");
	if (db_valid_codecs(NULL) || db_codecs_parse(NULL, names, &n) == 0 ||
	    db_codecs_parse("PCMU", names, NULL) == 0)
		fail_msg("the codec parser accepts NULL");
}

static void test_tenant_codecs(void **state)
{
	struct fx *fx = *state;
	struct db_tenant t;
	int64_t id;

	OK(db_tenant_add(fx->db, "Demo", "demo.localhost", &id));
	OK(db_tenant_add(fx->db, "Acme", "acme.test", NULL));
	OK(db_tenant_by_id(fx->db, id, &t));
	if (strcmp(t.codecs, DB_CODECS_DEFAULT))
		fail_msg("a new tenant prefers '%s', not the default '%s'",
			 t.codecs, DB_CODECS_DEFAULT);
	OK(db_tenant_set_codecs(fx->db, "DEMO.localhost", " pcmu,g722 "));
	OK(db_tenant_by_domain(fx->db, "demo.localhost", &t));
	if (strcmp(t.codecs, "PCMU,G722"))
		fail_msg("codecs set to ' pcmu,g722 ' read back as '%s', not "
			 "'PCMU,G722'",
			 t.codecs);
	OK(db_tenant_by_id(fx->db, id, &t));
	if (strcmp(t.codecs, "PCMU,G722"))
		fail_msg("db_tenant_by_id reads codecs '%s'", t.codecs);
	OK(db_tenant_by_domain(fx->db, "acme.test", &t));
	if (strcmp(t.codecs, DB_CODECS_DEFAULT))
		fail_msg("setting demo's codecs changed acme's to '%s'",
			 t.codecs);
	FAILS_WITH(db_tenant_set_codecs(fx->db, "demo.localhost", "G729"),
		   -EINVAL, "setting codec G729");
	FAILS_WITH(db_tenant_set_codecs(fx->db, "demo.localhost", "PCMU,PCMU"),
		   -EINVAL, "setting a codec twice");
	FAILS_WITH(db_tenant_set_codecs(fx->db, "nope.test", "PCMU"), -ENOENT,
		   "setting the codecs of a missing tenant");
	FAILS_WITH(db_tenant_set_codecs(fx->db, NULL, "PCMU"), -EINVAL,
		   "setting codecs without a domain");
	OK(db_tenant_by_domain(fx->db, "demo.localhost", &t));
	if (strcmp(t.codecs, "PCMU,G722"))
		fail_msg("a refused codec list changed the stored one to '%s'",
			 t.codecs);
	OK(db_tenant_set_codecs(fx->db, "demo.localhost", "PCMA"));
	OK(db_tenant_list(fx->db, find_codecs_h, &t));
}

/* A database made by the build before codec preferences (schema version
 * 4): opening it keeps its tenants and gives each the default list. */
static void test_migrate_tenant_codecs(void **state)
{
	struct fx *fx = *state;
	struct db_tenant t;
	int64_t id;

	db_close(fx->db);
	fx->db = NULL;
	tmpdb_unlink(&fx->tmp);
	/* db_migrations[0..2] are 0002 to 0004: version 4. */
	OK(db_open_with(&fx->db, fx->tmp.path, db_migrations, 3));
	if (db_schema_version(fx->db) != 4)
		fail_msg("the old database is at version %d, not 4",
			 db_schema_version(fx->db));
	if (count_rows(fx->db, "SELECT count(*) FROM pragma_table_info"
			       "('tenants') WHERE name = 'codecs'") != 0)
		fail_msg("version 4 already has tenants.codecs");
	OK(db_tenant_add(fx->db, "Old", "old.test", &id));
	/* By hand: db_ext_add reads the tenant, whose query this build
	 * writes for the new schema. */
	if (sqlite3_exec(
		fx->db->sql,
		"INSERT INTO extensions (tenant_id, number, name, ha1) "
		"SELECT id, '1001', '', '" HA1_DEMO_1001 "' FROM tenants",
		NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("cannot add an extension to the old database: %s",
			 sqlite3_errmsg(fx->db->sql));
	db_close(fx->db);
	fx->db = NULL;

	OK(db_open(&fx->db, fx->tmp.path));
	if (db_schema_version(fx->db) != 1 + db_nmigrations)
		fail_msg("after the upgrade the database is at version %d, "
			 "expected %d",
			 db_schema_version(fx->db), 1 + db_nmigrations);
	OK(db_tenant_by_domain(fx->db, "old.test", &t));
	if (t.id != id || strcmp(t.name, "Old"))
		fail_msg("the upgrade changed tenant old.test");
	if (strcmp(t.codecs, DB_CODECS_DEFAULT))
		fail_msg("an upgraded tenant prefers '%s', not the default "
			 "'%s'",
			 t.codecs, DB_CODECS_DEFAULT);
	if (count_rows(fx->db, "SELECT count(*) FROM extensions") != 1)
		fail_msg("the upgrade lost the tenant's extension");
	OK(db_tenant_set_codecs(fx->db, "old.test", "PCMA,PCMU"));
	OK(db_tenant_by_id(fx->db, id, &t));
	if (strcmp(t.codecs, "PCMA,PCMU"))
		fail_msg("an upgraded tenant's codecs read back as '%s'",
			 t.codecs);
}

static void test_validators(void **state)
{
	static const char *const good_dom[] = {
	    "demo.localhost", "Acme.TEST", "a",		  "x-1.example.com",
	    "192.0.2.1",      "0.0.0.0",   "1001.example"};
	static const char *const bad_dom[] = {
	    "",		 "a..b",     ".a",    "a.",	 "-a.b",
	    "a-.b",	 "a_b.c",    "a b",   "1.2.3",	 "1.2.3.4.5",
	    "256.1.1.1", "01.2.3.4", "a.123", "sip:a.b", "a.b:5060"};
	static const char *const good_num[] = {
	    "1", "1001", "1234567890123456789012345678901"};
	static const char *const bad_num[] = {
	    "", "+1001", "10a1", " 1001", "12345678901234567890123456789012"};
	static const char *const good_name[] = {"", "Alice", "Zoë Müller",
						"O'Brien (desk)"};
	static const char *const bad_name[] = {"Al\"ice", "tab\there",
					       "back\\slash", "bad\xff"};
	static const char *const good_pw[] = {"secret12", "with space 1",
					      "!@#$%^&*()"};
	static const char *const bad_pw[] = {"", "short", "nötascii1",
					     "new\nline12"};
	char longdom[300], longname[200];

	CHECK_VALID(db_valid_domain, good_dom, true);
	CHECK_VALID(db_valid_domain, bad_dom, false);
	CHECK_VALID(db_valid_number, good_num, true);
	CHECK_VALID(db_valid_number, bad_num, false);
	CHECK_VALID(db_valid_name, good_name, true);
	CHECK_VALID(db_valid_name, bad_name, false);
	CHECK_VALID(db_valid_password, good_pw, true);
	CHECK_VALID(db_valid_password, bad_pw, false);

	memset(longdom, 'a', sizeof(longdom));
	for (int i = 50; i < 260; i += 50)
		longdom[i] = '.';
	longdom[253] = '\0';
	if (!db_valid_domain(longdom))
		fail_msg("a 253-character domain is refused");
	longdom[253] = 'a';
	longdom[254] = '\0';
	if (db_valid_domain(longdom))
		fail_msg("a 254-character domain is accepted");
	memset(longname, 'n', sizeof(longname));
	longname[128] = '\0';
	if (db_valid_name(longname))
		fail_msg("a 128-byte display name is accepted");
	if (db_valid_domain(NULL) || db_valid_name(NULL) ||
	    db_valid_number(NULL) || db_valid_password(NULL))
		fail_msg("a validator accepts NULL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_tenant_add_list_del),
	    T(test_ext_ha1_no_cleartext),
	    T(test_same_number_two_tenants),
	    T(test_cascade_delete),
	    T(test_registrations),
	    T(test_version_survives_reopen),
	    T(test_migrations),
	    T(test_tenant_codecs),
	    T(test_migrate_tenant_codecs),
	    cmocka_unit_test(test_codecs_parse),
	    cmocka_unit_test(test_validators),
#undef T
	};

	return cmocka_run_group_tests_name("database", tests, NULL, NULL);
}
