/* test_record.c - on-demand recording's feature code: which key presses
 * are held back from the other phone and for how long (keyhold.c), and
 * the tenant's own code: what may be one, how it is stored, and the
 * default every tenant has (db_record.c, migration 0019). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "media/keyhold.h"
#include "db.h"
#include "db_record.h"
#include "dbcheck.h"
#include "tmpdb.h"

/* Keys pressed at the given times (ms) on a phone, the code being
 * `code`: what the other phone gets and when, as "KEYS@MS" items, and
 * the times the code completed as "CODE@MS". `until` is when the call
 * ends (the last expiry check). */
static void play(const char *code, const char *keys, const int *at, int until,
		 char *got, size_t len)
{
	struct keyhold k = {0};
	char out[KEYHOLD_MAX + 2];
	size_t used = 0;

	got[0] = '\0';
	for (int t = 0, i = 0; t <= until; t += 20) {
		/* a tick every 20 ms, as the worker checks */
		if (keyhold_expire(&k, t, out))
			used += (size_t)snprintf(got + used, len - used,
						 "%s@%d ", out, t);
		for (; keys[i] && at[i] <= t; i++) {
			int done = keyhold_feed(&k, code, keys[i], t, out);
			if (out[0])
				used += (size_t)snprintf(got + used, len - used,
							 "%s@%d ", out, t);
			if (done)
				used += (size_t)snprintf(got + used, len - used,
							 "CODE@%d ", t);
		}
	}
	if (used)
		got[used - 1] = '\0';
}

#define PLAY(code, keys, want, ...)                                            \
	do {                                                                   \
		static const int at_[] = {__VA_ARGS__};                        \
		char got_[256];                                                \
		play(code, keys, at_, 6000, got_, sizeof(got_));               \
		if (strcmp(got_, want))                                        \
			fail_msg("code %s, keys %s: the other phone gets "     \
				 "'%s', expected '%s'",                        \
				 code, keys, got_, want);                      \
	} while (0)

static void test_hold_back(void **state)
{
	(void)state;
	/* The code: none of its keys reaches the other phone. */
	PLAY("*1", "*1", "CODE@500", 100, 500);
	/* A key that cannot begin the code goes on at once. */
	PLAY("*1", "5", "5@100", 100);
	PLAY("*1", "#", "#@100", 100);
	/* '*' then not '1': both go on, in order, at the second key. */
	PLAY("*1", "*2", "*2@600", 100, 600);
	/* '*' alone: released 1.5 s later (the bound), not before. */
	PLAY("*1", "*", "*@1600", 100);
	/* "**1": the first '*' goes on, the second begins the code. */
	PLAY("*1", "**1", "*@300 CODE@500", 100, 300, 500);
	/* Too slow: the '*' went on before the '1', which goes on too. */
	PLAY("*1", "*1", "*@1600 1@1700", 100, 1700);
	/* Two codes in a row: start, then pause. */
	PLAY("*1", "*1*1", "CODE@300 CODE@900", 100, 300, 700, 900);
	/* A four-key code: each key restarts the wait (feature digit
	 * timeout), and a false start keeps the tail that may still
	 * become the code. */
	PLAY("*#*9", "*#*9", "CODE@3400", 100, 1200, 2300, 3400);
	PLAY("*#*9", "*#*#*9", "*#@400 CODE@800", 100, 200, 300, 400, 600, 800);
	PLAY("*#*9", "*#*", "*#*@1800", 100, 200, 300);
	/* Digits in the code: "12" holds a '1', not a '2'. */
	PLAY("12", "2112", "2@100 1@300 CODE@400", 100, 200, 300, 400);
}

static void test_no_code(void **state)
{
	struct keyhold k = {0};
	char out[KEYHOLD_MAX + 2];

	(void)state;
	/* An empty or too long code holds nothing back. */
	assert_int_equal(keyhold_feed(&k, "", '*', 0, out), 0);
	assert_string_equal(out, "*");
	assert_int_equal(keyhold_feed(&k, "*1234", '*', 0, out), 0);
	assert_string_equal(out, "*");
	assert_int_equal(keyhold_feed(&k, NULL, '1', 0, out), 0);
	assert_string_equal(out, "1");
	assert_int_equal(keyhold_expire(&k, 1000000, out), 0);
	assert_string_equal(out, "");
}

static void test_code_rules(void **state)
{
	static const char *const good[] = {"*1",   "*9", "#1",	 "00",
					   "*#*9", "*3", "1234", "#*"};
	static const struct {
		const char *code, *why;
	} bad[] = {
	    {"", "is not 2 to 4 of"},
	    {"*", "is not 2 to 4 of"},
	    {"*1234", "is not 2 to 4 of"},
	    {"*a", "is not 2 to 4 of"},
	    {"* 1", "is not 2 to 4 of"},
	    {"##", "'##' is the in-call code ## (blind transfer)"},
	    {"*2", "'*2' is the in-call code *2 (consult)"},
	    {"*7", "'*7' is the start of the in-call code *70 (park)"},
	    {"*70", "'*70' is the in-call code *70 (park)"},
	    {"*701", "'*701' begins with the in-call code *70 (park)"},
	    {"##5", "'##5' begins with the in-call code ## (blind transfer)"},
	    {"*21", "'*21' begins with the in-call code *2 (consult)"},
	};
	char why[128];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!db_record_code_why(good[i], why, sizeof(why)))
			fail_msg("record code '%s' refused: %s", good[i], why);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (db_record_code_why(bad[i].code, why, sizeof(why)))
			fail_msg("record code '%s' accepted", bad[i].code);
		if (!strstr(why, bad[i].why))
			fail_msg("record code '%s': the admin reads '%s', not "
				 "'%s'",
				 bad[i].code, why, bad[i].why);
	}
	assert_false(db_record_code_why(NULL, NULL, 0));
}

static void test_tenant_code(void **state)
{
	struct tmpdb tmp;
	struct db *db;
	char code[DB_REC_CODE_LEN];
	int64_t a, b;

	(void)state;
	if (tmpdb_open(&tmp, "record", &db))
		fail_msg("cannot create a database");
	OK(db_tenant_add(db, "A", "a.test", &a));
	OK(db_tenant_add(db, "B", "b.test", &b));
	db_tenant_record_code(db, a, code);
	assert_string_equal(code, "*1");
	OK(db_tenant_set_record_code(db, "A.test", "*#9"));
	db_tenant_record_code(db, a, code);
	assert_string_equal(code, "*#9");
	db_tenant_record_code(db, b, code);
	if (strcmp(code, "*1"))
		fail_msg("setting a.test's code changed b.test's to %s", code);
	FAILS_WITH(db_tenant_set_record_code(db, "a.test", "*2"), -EINVAL,
		   "the consult code as a record code");
	FAILS_WITH(db_tenant_set_record_code(db, "c.test", "*3"), -ENOENT,
		   "the record code of no tenant");
	db_tenant_record_code(db, a, code);
	assert_string_equal(code, "*#9");
	/* A code edited by hand into something unusable, and no tenant at
	 * all: calls still get the default. */
	if (sqlite3_exec(db->sql,
			 "UPDATE tenants SET record_code = '*12345678' "
			 "WHERE domain = 'a.test'",
			 NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("cannot spoil the code: %s", sqlite3_errmsg(db->sql));
	fprintf(stderr, "(a WARN line about an unusable code is expected)\n");
	db_tenant_record_code(db, a, code);
	assert_string_equal(code, "*1");
	db_tenant_record_code(db, a + b + 1, code);
	assert_string_equal(code, "*1");
	tmpdb_close(&tmp, db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hold_back),
	    cmocka_unit_test(test_no_code),
	    cmocka_unit_test(test_code_rules),
	    cmocka_unit_test(test_tenant_code),
	};

	return cmocka_run_group_tests_name("on-demand recording code", tests,
					   NULL, NULL);
}
