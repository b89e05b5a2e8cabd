/* dbcheck.h - the checks the database unit tests share: a db_* call that
 * must succeed, one that must fail with a given errno, a validator against
 * a table of strings, and a row count by SQL. Include after <cmocka.h>.
 *
 *   OK(db_tenant_add(db, "Demo", "demo.test", &id));
 *   FAILS_WITH(db_tenant_add(db, "Again", "demo.test", NULL), -EEXIST,
 *              "a second tenant demo.test");
 *   if (count_rows(db, "SELECT count(*) FROM tenants") != 1) ...
 */
#ifndef ONDO_TESTS_DBCHECK_H
#define ONDO_TESTS_DBCHECK_H

#include <string.h>

#include "db_priv.h"

/* Fails the test, naming the call and its errno, unless expr is 0. */
#define OK(expr)                                                               \
	do {                                                                   \
		int err_ = (expr);                                             \
		if (err_ != 0)                                                 \
			fail_msg("%s failed: %s", #expr, strerror(-err_));     \
	} while (0)

/* Fails the test with `why` unless expr is the negative errno `want`. */
#define FAILS_WITH(expr, want, why)                                            \
	do {                                                                   \
		int err_ = (expr);                                             \
		if (err_ != (want))                                            \
			fail_msg("%s: expected %s, got %s", why,               \
				 strerror(-(want)), strerror(-err_));          \
	} while (0)

/* Fails the test unless the validator fn says `want` (true: valid) of
 * every string of the array `list`. */
#define CHECK_VALID(fn, list, want)                                            \
	for (size_t i_ = 0; i_ < sizeof(list) / sizeof(list[0]); i_++)         \
		if (fn(list[i_]) != (want))                                    \
			fail_msg("%s('%s') says %s", #fn, list[i_],            \
				 (want) ? "invalid" : "valid");

/* The first column of the first row of `sql` (a count), or -1 if it does
 * not run. Bypasses the db API, to look at what it stored. */
static inline int count_rows(struct db *db, const char *sql)
{
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

#endif
