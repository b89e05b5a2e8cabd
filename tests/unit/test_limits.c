/* test_limits.c - limits against runaway use and toll fraud: a tenant's
 * limits read, checked and written, an extension's calls at once, the
 * tenant's maximum of extensions holding in the insert itself, a trunk's
 * calls per hour stored, and the hour window that counts a trunk's
 * outbound calls (db/db_limits.c, db/db_ext.c, db/db_trunk.c,
 * pbx/sip/limits.c, migrations/0018_limits.sql). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "db_priv.h"
#include "tmpdb.h"
#include "db_limits.h"
#include "db_trunk.h"
#include "sip/limits.h"
#include "sip/rate.h"

struct fix {
	struct tmpdb tmp;
	struct db *db;
	struct db_tenant t, other;
};

static int setup(void **state)
{
	static struct fix f;

	memset(&f, 0, sizeof(f));
	if (tmpdb_open(&f.tmp, "limits", &f.db))
		return -1;
	if (db_tenant_add(f.db, "acme", "acme.test", NULL) ||
	    db_tenant_by_domain(f.db, "acme.test", &f.t) ||
	    db_tenant_add(f.db, "other", "other.test", NULL) ||
	    db_tenant_by_domain(f.db, "other.test", &f.other))
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	tmpdb_close(&f->tmp, f->db);
	return 0;
}

static void test_defaults_and_checks(void **state)
{
	struct fix *f = *state;
	struct db_limits l;
	char err[160];

	assert_int_equal(db_limits_get(f->db, f->t.id, &l), 0);
	assert_int_equal(l.max_calls, 0);
	assert_int_equal(l.max_extensions, 0);
	assert_int_equal(l.max_call_secs, DB_LIMIT_CALL_SECS_DEF);
	assert_int_equal(db_limits_get(f->db, 999999, &l), -ENOENT);

	l.max_calls = -1;
	assert_int_equal(db_limits_check(&l, err, sizeof(err)), -EINVAL);
	assert_memory_equal(err, "max_calls:", 10);
	l.max_calls = DB_LIMIT_CALLS_MAX + 1;
	assert_int_equal(db_limits_check(&l, err, sizeof(err)), -EINVAL);
	l.max_calls = 0;
	l.max_extensions = DB_LIMIT_EXTS_MAX + 1;
	assert_int_equal(db_limits_check(&l, err, sizeof(err)), -EINVAL);
	assert_memory_equal(err, "max_extensions:", 15);
	l.max_extensions = 0;
	/* 0 is "none"; a limit shorter than 10 s would cut every call. */
	l.max_call_secs = 0;
	assert_int_equal(db_limits_check(&l, err, sizeof(err)), 0);
	l.max_call_secs = DB_LIMIT_CALL_SECS_MIN - 1;
	assert_int_equal(db_limits_check(&l, err, sizeof(err)), -EINVAL);
	assert_memory_equal(err, "max_call_secs:", 14);
	l.max_call_secs = DB_LIMIT_CALL_SECS_MAX + 1;
	assert_int_equal(db_limits_set(f->db, f->t.id, &l, err, sizeof(err)),
			 -EINVAL);
	/* Nothing was written by the refusal. */
	assert_int_equal(db_limits_get(f->db, f->t.id, &l), 0);
	assert_int_equal(l.max_call_secs, DB_LIMIT_CALL_SECS_DEF);
}

static void test_set_is_per_tenant(void **state)
{
	struct fix *f = *state;
	struct db_limits l = {.max_calls = 5, .max_extensions = 7,
			      .max_call_secs = 60};
	char err[160];

	assert_int_equal(db_limits_set(f->db, f->t.id, &l, err, sizeof(err)),
			 0);
	memset(&l, 0, sizeof(l));
	assert_int_equal(db_limits_get(f->db, f->t.id, &l), 0);
	assert_int_equal(l.max_calls, 5);
	assert_int_equal(l.max_extensions, 7);
	assert_int_equal(l.max_call_secs, 60);
	assert_int_equal(db_limits_get(f->db, f->other.id, &l), 0);
	assert_int_equal(l.max_calls, 0);
	assert_int_equal(db_limits_set(f->db, 999999, &l, err, sizeof(err)),
			 -ENOENT);
}

/* The count is taken in the INSERT itself: the third of two is refused,
 * the other tenant is not touched, and a freed place can be taken. */
static void test_max_extensions(void **state)
{
	struct fix *f = *state;
	struct db_limits l = {.max_extensions = 2,
			      .max_call_secs = DB_LIMIT_CALL_SECS_DEF};

	assert_int_equal(db_limits_set(f->db, f->t.id, &l, NULL, 0), 0);
	assert_int_equal(db_ext_add(f->db, f->t.id, "1001", "", "pw-1001-lim",
				    NULL), 0);
	assert_int_equal(db_ext_add(f->db, f->t.id, "1002", "", "pw-1002-lim",
				    NULL), 0);
	assert_int_equal(db_ext_add(f->db, f->t.id, "1003", "", "pw-1003-lim",
				    NULL), -EDQUOT);
	/* A number taken is still "taken", not "full". */
	assert_int_equal(db_ext_add(f->db, f->other.id, "1003", "",
				    "pw-1003-lim", NULL), 0);
	assert_int_equal(db_ext_del(f->db, f->t.id, "1001"), 0);
	assert_int_equal(db_ext_add(f->db, f->t.id, "1003", "", "pw-1003-lim",
				    NULL), 0);
	/* Lowering the limit below what the tenant has keeps them all. */
	l.max_extensions = 1;
	assert_int_equal(db_limits_set(f->db, f->t.id, &l, NULL, 0), 0);
	assert_int_equal(db_ext_max_calls(f->db, f->t.id, "1002"), 0);
	assert_int_equal(db_ext_add(f->db, f->t.id, "1004", "", "pw-1004-lim",
				    NULL), -EDQUOT);
}

static void test_ext_max_calls(void **state)
{
	struct fix *f = *state;

	assert_int_equal(db_ext_add(f->db, f->t.id, "1001", "", "pw-1001-lim",
				    NULL), 0);
	assert_int_equal(db_ext_max_calls(f->db, f->t.id, "1001"), 0);
	assert_int_equal(db_ext_set_max_calls(f->db, f->t.id, "1001", 2), 0);
	assert_int_equal(db_ext_max_calls(f->db, f->t.id, "1001"), 2);
	assert_int_equal(db_ext_max_calls(f->db, f->other.id, "1001"),
			 -ENOENT);
	assert_int_equal(db_ext_set_max_calls(f->db, f->t.id, "1999", 2),
			 -ENOENT);
	assert_int_equal(db_ext_set_max_calls(f->db, f->t.id, "1001", -1),
			 -EINVAL);
	assert_int_equal(db_ext_set_max_calls(f->db, f->t.id, "1001",
					      DB_LIMIT_CALLS_MAX + 1),
			 -EINVAL);
}

static void test_trunk_per_hour(void **state)
{
	struct fix *f = *state;
	struct db_trunk t, back;

	db_trunk_defaults(&t);
	t.tenant_id = f->t.id;
	snprintf(t.name, sizeof(t.name), "carrier");
	snprintf(t.host, sizeof(t.host), "192.0.2.1");
	snprintf(t.auth, sizeof(t.auth), "ip");
	t.max_per_hour = 30;
	assert_null(db_trunk_check(&t));
	assert_int_equal(db_trunk_add(f->db, &t, &t.id), 0);
	assert_int_equal(db_trunk_get(f->db, f->t.id, "carrier", &back), 0);
	assert_int_equal(back.max_per_hour, 30);
	t.max_per_hour = -1;
	assert_string_equal(db_trunk_check(&t), "max-per-hour");
	t.max_per_hour = DB_TRUNK_MAX_PER_HOUR + 1;
	assert_string_equal(db_trunk_check(&t), "max-per-hour");
}

/* Calls leave the count an hour after they started, a minute at a
 * time; a clock that jumps back or far ahead empties the window rather
 * than counting the wrong minutes. */
static void test_hour_window(void **state)
{
	struct lim_hour h;
	int64_t t0 = 1700000000; /* 20 s into minute 28333333 */

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(lim_hour_count(&h, t0), 0);
	lim_hour_add(&h, t0);
	lim_hour_add(&h, t0 + 10);
	lim_hour_add(&h, t0 + 600);
	assert_int_equal(lim_hour_count(&h, t0 + 600), 3);
	assert_int_equal(lim_hour_count(&h, t0 + 3599 - 40), 3);
	/* t0's minute is 60 minutes old: its two calls drop out. */
	assert_int_equal(lim_hour_count(&h, t0 + 3600), 1);
	assert_int_equal(lim_hour_count(&h, t0 + 600 + 3600), 0);
	lim_hour_add(&h, t0 + 5000);
	assert_int_equal(lim_hour_count(&h, t0 + 5000 + 3 * 3600), 0);
	lim_hour_add(&h, t0 + 20000);
	assert_int_equal(lim_hour_count(&h, t0 + 100), 0);
	for (int i = 0; i < 1000; i++)
		lim_hour_add(&h, t0 + 30000 + i);
	assert_int_equal(lim_hour_count(&h, t0 + 30000 + 999), 1000);
}

/* Token buckets: a burst, then the rate; keys apart; a flood logged on
 * its first refusal and then every 10 s, not per packet. */
static void test_rates(void **state)
{
	struct rates *r;
	int log_due, ok = 0, logs = 0;

	(void)state;
	assert_int_equal(rates_alloc(&r, 0, 1), -EINVAL);
	assert_int_equal(rates_alloc(&r, 1, 0.5), -EINVAL);
	assert_int_equal(rates_alloc(&r, 10, 20), 0);
	for (int i = 0; i < 100; i++) {
		ok += rate_take(r, "192.0.2.1", 1000, &log_due);
		logs += log_due;
	}
	assert_int_equal(ok, 20);
	assert_int_equal(logs, 1);
	logs = 0;
	assert_int_equal(rate_take(r, "192.0.2.2", 1000, &log_due), 1);
	assert_int_equal(rates_count(r), 2);
	/* 10 a second: after 0.5 s, 5 more. */
	ok = 0;
	for (int i = 0; i < 100; i++)
		ok += rate_take(r, "192.0.2.1", 1500, &log_due);
	assert_int_equal(ok, 5);
	/* Refused every 100 ms until 27 s: the flood's first refusal (at
	 * 1 s, above) was logged; then at 11 and 21 s only. */
	for (int64_t t = 2000; t < 27000; t += 100) {
		while (rate_take(r, "192.0.2.1", t, &log_due))
			;
		logs += log_due;
	}
	assert_int_equal(logs, 2);
	/* A long quiet fills the bucket up to the burst only. */
	ok = 0;
	for (int i = 0; i < 100; i++)
		ok += rate_take(r, "192.0.2.1", 1000000, &log_due);
	assert_int_equal(ok, 20);
	rates_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_defaults_and_checks, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_set_is_per_tenant, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_max_extensions, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ext_max_calls, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_trunk_per_hour, setup,
					    teardown),
	    cmocka_unit_test(test_hour_window),
	    cmocka_unit_test(test_rates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
