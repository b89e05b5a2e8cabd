/* test_cdr.c - call detail records: written as the daemon writes them,
 * read back as ondoctl and the web panel show them; a call's recordings
 * (several when it bridged more than once), with its record in one
 * transaction, and those an older database had; calls up at a crash
 * recorded at the next start. */
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

#include "db.h"
#include "db_live.h"
#include "db_record.h"
#include "dbcheck.h"
#include "tmpdb.h"

#define SEC 1000000LL

struct fx {
	struct tmpdb tmp;
	struct db *db;
	int64_t demo, acme; /* tenant ids */
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (tmpdb_open(&fx->tmp, "cdr", &fx->db)) {
		free(fx);
		return -1;
	}
	if (db_tenant_add(fx->db, "Demo", "demo.localhost", &fx->demo) ||
	    db_tenant_add(fx->db, "Acme", "acme.test", &fx->acme)) {
		fprintf(stderr, "cannot create a database in %s\n",
			fx->tmp.dir);
		tmpdb_close(&fx->tmp, fx->db);
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

/* A call that rang 5 s and talked 60 s. */
static struct db_cdr answered(int64_t tenant, int64_t start_us)
{
	struct db_cdr c = {.tenant_id = tenant,
			   .start_us = start_us,
			   .answer_us = start_us + 5 * SEC,
			   .end_us = start_us + 65 * SEC,
			   .duration = 60,
			   .sip_status = 200};

	strcpy(c.call_id, "a84b4c76e66710@pc33.example");
	strcpy(c.caller, "1001");
	strcpy(c.callee, "1002");
	strcpy(c.disposition, "ANSWERED");
	return c;
}

/* A call the caller gave up on after 20 s of ringing. */
static struct db_cdr unanswered(int64_t tenant, int64_t start_us)
{
	struct db_cdr c = {.tenant_id = tenant,
			   .start_us = start_us,
			   .end_us = start_us + 20 * SEC,
			   .sip_status = 487};

	strcpy(c.call_id, "b9c2@10.0.0.7");
	strcpy(c.caller, "1002");
	strcpy(c.callee, "1003");
	strcpy(c.disposition, "NO ANSWER");
	return c;
}

#define MAX_ROWS 8
struct rows {
	struct db_cdr c[MAX_ROWS];
	int n;
};

static int collect_h(const struct db_cdr *c, void *arg)
{
	struct rows *r = arg;

	if (r->n == MAX_ROWS)
		fail_msg("more call records listed than were written");
	r->c[r->n++] = *c;
	return 0;
}

static void expect_same(const struct db_cdr *got, const struct db_cdr *want)
{
	if (got->tenant_id != want->tenant_id ||
	    strcmp(got->call_id, want->call_id) ||
	    strcmp(got->caller, want->caller) ||
	    strcmp(got->callee, want->callee))
		fail_msg("call record %s reads back as tenant %lld %s -> %s "
			 "(call %s)",
			 want->call_id, (long long)got->tenant_id, got->caller,
			 got->callee, got->call_id);
	if (got->start_us != want->start_us ||
	    got->answer_us != want->answer_us || got->end_us != want->end_us)
		fail_msg("call %s: times read back as %lld/%lld/%lld, wrote "
			 "%lld/%lld/%lld",
			 want->call_id, (long long)got->start_us,
			 (long long)got->answer_us, (long long)got->end_us,
			 (long long)want->start_us, (long long)want->answer_us,
			 (long long)want->end_us);
	if (got->duration != want->duration ||
	    strcmp(got->disposition, want->disposition) ||
	    got->sip_status != want->sip_status)
		fail_msg("call %s: read back %d s %s %d, wrote %d s %s %d",
			 want->call_id, got->duration, got->disposition,
			 got->sip_status, want->duration, want->disposition,
			 want->sip_status);
}

static void test_answered_and_unanswered(void **state)
{
	struct fx *fx = *state;
	int64_t t0 = 1700000000 * SEC;
	struct db_cdr a = answered(fx->demo, t0);
	struct db_cdr u = unanswered(fx->demo, t0 + 90 * SEC);
	struct rows rows = {0};

	OK(db_cdr_insert(fx->db, &a));
	OK(db_cdr_insert(fx->db, &u));
	OK(db_cdr_list(fx->db, fx->demo, 10, collect_h, &rows));
	if (rows.n != 2)
		fail_msg("demo.localhost shows %d calls, expected 2", rows.n);
	/* Newest first: the unanswered call started later. */
	expect_same(&rows.c[0], &u);
	expect_same(&rows.c[1], &a);
	if (rows.c[0].answer_us != 0)
		fail_msg("an unanswered call has an answer time");
}

static void test_tenant_filter_and_limit(void **state)
{
	struct fx *fx = *state;
	int64_t t0 = 1700000000 * SEC;
	struct db_cdr d1 = answered(fx->demo, t0);
	struct db_cdr x1 = unanswered(fx->acme, t0 + 10 * SEC);
	struct db_cdr d2 = unanswered(fx->demo, t0 + 20 * SEC);
	struct rows rows = {0};

	OK(db_cdr_insert(fx->db, &d1));
	OK(db_cdr_insert(fx->db, &x1));
	OK(db_cdr_insert(fx->db, &d2));
	OK(db_cdr_list(fx->db, fx->acme, 0, collect_h, &rows));
	if (rows.n != 1)
		fail_msg("acme.test shows %d calls, expected its 1 (tenants "
			 "see each other's calls?)",
			 rows.n);
	expect_same(&rows.c[0], &x1);

	memset(&rows, 0, sizeof(rows));
	OK(db_cdr_list(fx->db, 0, 0, collect_h, &rows));
	if (rows.n != 3)
		fail_msg("all tenants show %d calls, expected 3", rows.n);
	expect_same(&rows.c[0], &d2);
	expect_same(&rows.c[1], &x1);
	expect_same(&rows.c[2], &d1);

	memset(&rows, 0, sizeof(rows));
	OK(db_cdr_list(fx->db, fx->demo, 1, collect_h, &rows));
	if (rows.n != 1)
		fail_msg("a limit of 1 listed %d calls", rows.n);
	expect_same(&rows.c[0], &d2);
}

static int stop_h(const struct db_cdr *c, void *arg)
{
	(*(int *)arg)++;
	return 42;
}

static void test_bad_rows_and_early_stop(void **state)
{
	struct fx *fx = *state;
	struct db_cdr c = answered(fx->demo, 1);
	int n = 0, err;

	c.call_id[0] = '\0';
	if (db_cdr_insert(fx->db, &c) != -EINVAL)
		fail_msg("a call record without a Call-ID was accepted");
	c = answered(fx->demo + fx->acme + 1, 1);
	err = db_cdr_insert(fx->db, &c);
	if (err != -ENOENT)
		fail_msg("a call record of a missing tenant gave %s, not "
			 "ENOENT",
			 strerror(-err));
	c = answered(fx->demo, 1);
	OK(db_cdr_insert(fx->db, &c));
	OK(db_cdr_insert(fx->db, &c)); /* two records may share a Call-ID */
	err = db_cdr_list(fx->db, 0, 0, stop_h, &n);
	if (err != 42 || n != 1)
		fail_msg("a handler returning 42 did not stop the walk "
			 "(returned %d after %d rows)",
			 err, n);
	n = 0;
	if (db_cdr_list(fx->db, 0, 0, stop_h, &n) != 42)
		fail_msg("listing again after a walk stopped early failed");
	OK(db_tenant_del(fx->db, "demo.localhost"));
	n = 0;
	err = db_cdr_list(fx->db, 0, 0, stop_h, &n);
	if (err != 0 || n != 0)
		fail_msg("deleting a tenant kept %d of its call records", n);
}

#define MAX_RECS 4
struct recs {
	struct db_recording r[MAX_RECS];
	int n;
};

static int rec_h(const struct db_recording *r, void *arg)
{
	struct recs *l = arg;

	if (l->n == MAX_RECS)
		fail_msg("more recordings listed than were written");
	l->r[l->n++] = *r;
	return 0;
}

static struct db_recording rec(const char *path, int64_t started_us)
{
	struct db_recording r = {.started_us = started_us};

	snprintf(r.path, sizeof(r.path), "%s", path);
	return r;
}

/* The id of the newest call record (the one just written). */
static int64_t last_cdr(struct fx *fx, int64_t tenant)
{
	struct rows rows = {0};

	OK(db_cdr_list(fx->db, tenant, 1, collect_h, &rows));
	if (rows.n != 1)
		fail_msg("no call record was written");
	return rows.c[0].id;
}

/* A call that bridged twice keeps both recordings, numbered in order;
 * another tenant sees none of them; a bad one writes nothing at all. */
static void test_recordings(void **state)
{
	struct fx *fx = *state;
	int64_t t0 = 1700000000 * SEC, id;
	struct db_cdr c = answered(fx->demo, t0);
	struct db_recording two[2] = {
	    rec("tenants/demo.localhost/recordings/d/1-a-1.wav", t0 + 5 * SEC),
	    rec("tenants/demo.localhost/recordings/d/1-a-2.wav",
		t0 + 40 * SEC)};
	struct db_recording many[DB_REC_MAX + 1];
	struct db_recording got;
	struct recs l = {0};

	strcpy(c.recording, two[0].path);
	OK(db_cdr_insert_recs(fx->db, &c, two, 2));
	id = last_cdr(fx, fx->demo);
	OK(db_recording_list(fx->db, fx->demo, id, rec_h, &l));
	if (l.n != 2 || l.r[0].seq != 1 || l.r[1].seq != 2 ||
	    strcmp(l.r[0].path, two[0].path) ||
	    strcmp(l.r[1].path, two[1].path) ||
	    l.r[1].started_us != two[1].started_us || l.r[0].cdr_id != id ||
	    l.r[0].tenant_id != fx->demo)
		fail_msg("a call recorded twice lists %d recordings (%s, %s)",
			 l.n, l.n > 0 ? l.r[0].path : "-",
			 l.n > 1 ? l.r[1].path : "-");
	OK(db_recording_get(fx->db, fx->demo, id, 2, &got));
	if (strcmp(got.path, two[1].path))
		fail_msg("recording 2 reads back as %s", got.path);
	FAILS_WITH(db_recording_get(fx->db, fx->demo, id, 3, &got), -ENOENT,
		   "a third recording of a call recorded twice");
	FAILS_WITH(db_recording_get(fx->db, fx->acme, id, 1, &got), -ENOENT,
		   "another tenant's recording");
	memset(&l, 0, sizeof(l));
	OK(db_recording_list(fx->db, fx->acme, id, rec_h, &l));
	if (l.n)
		fail_msg("another tenant lists %d of demo's recordings", l.n);

	/* No recording: a plain record. Too many, or a bad one: nothing. */
	c = unanswered(fx->demo, t0 + 100 * SEC);
	OK(db_cdr_insert_recs(fx->db, &c, NULL, 0));
	for (int i = 0; i <= DB_REC_MAX; i++)
		many[i] = rec("tenants/demo.localhost/recordings/d/x.wav", t0);
	c = answered(fx->demo, t0 + 200 * SEC);
	FAILS_WITH(db_cdr_insert_recs(fx->db, &c, many, DB_REC_MAX + 1),
		   -EINVAL, "more recordings than a call keeps");
	many[1].path[0] = '\0';
	FAILS_WITH(db_cdr_insert_recs(fx->db, &c, many, 2), -EINVAL,
		   "a recording without a path");
	if (count_rows(fx->db, "SELECT count(*) FROM cdr") != 2 ||
	    count_rows(fx->db, "SELECT count(*) FROM recordings") != 2)
		fail_msg("a refused call record left rows behind");
	/* Deleting the tenant takes its recordings' rows along. */
	OK(db_tenant_del(fx->db, "demo.localhost"));
	if (count_rows(fx->db, "SELECT count(*) FROM recordings") != 0)
		fail_msg("deleting a tenant kept its recordings' rows");
}

/* A database from before 0019: each recorded call gets its one
 * recording listed. */
static void test_migrate_recordings(void **state)
{
	struct fx *fx = *state;
	struct db_recording got;
	struct recs l = {0};
	int64_t id;

	db_close(fx->db);
	fx->db = NULL;
	tmpdb_unlink(&fx->tmp);
	/* db_migrations[0..15] are 0002 to 0017: version 17. */
	OK(db_open_with(&fx->db, fx->tmp.path, db_migrations, 16));
	if (db_schema_version(fx->db) != 17)
		fail_msg("the old database is at version %d, not 17",
			 db_schema_version(fx->db));
	if (sqlite3_exec(fx->db->sql,
			 "INSERT INTO tenants (name, domain) VALUES "
			 "('Old', 'old.test');"
			 "INSERT INTO cdr (tenant_id, call_id, caller, callee, "
			 "start_us, answer_us, end_us, disposition, recording) "
			 "VALUES (1, 'c1', '1001', '1002', 10, 20, 30, "
			 "'ANSWERED', 'tenants/old.test/recordings/d/c1.wav'),"
			 "(1, 'c2', '1001', '1002', 40, 0, 50, 'BUSY', '')",
			 NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("cannot fill the old database: %s",
			 sqlite3_errmsg(fx->db->sql));
	db_close(fx->db);
	fx->db = NULL;
	OK(db_open(&fx->db, fx->tmp.path));
	id = count_rows(fx->db, "SELECT id FROM cdr WHERE call_id = 'c1'");
	OK(db_recording_list(fx->db, 1, id, rec_h, &l));
	if (l.n != 1 || l.r[0].seq != 1 || l.r[0].started_us != 20 ||
	    strcmp(l.r[0].path, "tenants/old.test/recordings/d/c1.wav"))
		fail_msg("an old recorded call lists %d recordings after the "
			 "upgrade",
			 l.n);
	if (count_rows(fx->db, "SELECT count(*) FROM recordings") != 1)
		fail_msg("an unrecorded old call got a recording");
	OK(db_recording_get(fx->db, 1, id, 1, &got));
}

/* Calls still up when the daemon died: the next start writes each an
 * INTERRUPTED record ending at the last alive stamp; a call that ended
 * normally left no live row and gets no second record. */
static void test_interrupted(void **state)
{
	struct fx *fx = *state;
	int64_t t0 = 1700000000 * SEC;
	struct db_cdr up = answered(fx->demo, t0), done, early;
	struct rows r = {0};
	int n = -1;

	OK(db_live_add(fx->db, &up));
	done = answered(fx->acme, t0 + SEC);
	strcpy(done.call_id, "done@x");
	OK(db_live_add(fx->db, &done));
	OK(db_cdr_insert_live(fx->db, &done, NULL, 0));
	/* Answered after the last stamp: it ends at its answer. */
	early = answered(fx->demo, t0 + 500 * SEC);
	strcpy(early.call_id, "late@x");
	OK(db_live_add(fx->db, &early));
	OK(db_live_seen(fx->db, t0 + 100 * SEC));
	if (count_rows(fx->db, "SELECT count(*) FROM live_calls") != 2)
		fail_msg("an ended call kept its live row");
	OK(db_live_recover(fx->db, &n));
	if (n != 2)
		fail_msg("%d interrupted call(s) recorded, want 2", n);
	OK(db_cdr_list(fx->db, fx->demo, 0, collect_h, &r));
	if (r.n != 2 || strcmp(r.c[1].disposition, "INTERRUPTED") ||
	    r.c[1].end_us != t0 + 100 * SEC || r.c[1].duration != 95 ||
	    r.c[1].answer_us != up.answer_us || strcmp(r.c[1].callee, "1002") ||
	    r.c[0].end_us != early.answer_us || r.c[0].duration != 0)
		fail_msg("interrupted calls read back as %d rows (%s, end "
			 "%lld, %d s)",
			 r.n, r.n ? r.c[r.n - 1].disposition : "-",
			 r.n ? (long long)(r.c[r.n - 1].end_us - t0) : 0LL,
			 r.n ? r.c[r.n - 1].duration : -1);
	if (count_rows(fx->db, "SELECT count(*) FROM cdr WHERE tenant_id = "
			       "(SELECT id FROM tenants WHERE domain = "
			       "'acme.test')") != 1)
		fail_msg("a call that ended normally was recorded twice");
	OK(db_live_recover(fx->db, &n));
	if (n != 0 || count_rows(fx->db, "SELECT count(*) FROM live_calls"))
		fail_msg("a second start recorded %d more", n);
	/* A live row without an answer is refused. */
	up.answer_us = 0;
	FAILS_WITH(db_live_add(fx->db, &up), -EINVAL, "an unanswered call");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_answered_and_unanswered), T(test_tenant_filter_and_limit),
	    T(test_bad_rows_and_early_stop), T(test_recordings),
	    T(test_migrate_recordings), T(test_interrupted),
#undef T
	};

	return cmocka_run_group_tests_name("call records", tests, NULL, NULL);
}
