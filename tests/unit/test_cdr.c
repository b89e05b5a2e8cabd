/* test_cdr.c - call detail records: written as the daemon writes them,
 * read back as ondoctl and the web panel show them. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_answered_and_unanswered),
	    T(test_tenant_filter_and_limit),
	    T(test_bad_rows_and_early_stop),
#undef T
	};

	return cmocka_run_group_tests_name("call records", tests, NULL, NULL);
}
