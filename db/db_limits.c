/* db_limits.c - tenant and extension limits (db_limits.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "db_limits.h"

static int bad(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	return -EINVAL;
}

int db_limits_check(const struct db_limits *l, char *err, size_t errlen)
{
	if (!l)
		return bad(err, errlen, "no limits");
	if (l->max_calls < 0 || l->max_calls > DB_LIMIT_CALLS_MAX)
		return bad(err, errlen, "max_calls: 0 (none) to 100000");
	if (l->max_extensions < 0 || l->max_extensions > DB_LIMIT_EXTS_MAX)
		return bad(err, errlen, "max_extensions: 0 (none) to 1000000");
	if (l->max_call_secs &&
	    (l->max_call_secs < DB_LIMIT_CALL_SECS_MIN ||
	     l->max_call_secs > DB_LIMIT_CALL_SECS_MAX))
		return bad(err, errlen,
			   "max_call_secs: 0 (none) or 10 to 604800 seconds");
	return 0;
}

static void row_limits(sqlite3_stmt *st, void *out)
{
	struct db_limits *l = out;

	l->max_calls = sqlite3_column_int(st, 0);
	l->max_extensions = sqlite3_column_int(st, 1);
	l->max_call_secs = sqlite3_column_int(st, 2);
}

int db_limits_get(struct db *db, int64_t tenant_id, struct db_limits *l)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !l)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	err = db_stmt(db, DB_ST_LIMITS_GET,
		      "SELECT max_calls, max_extensions, max_call_secs "
		      "FROM tenants WHERE id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	return db_fetch_row(db, st, row_limits, l, "reading limits");
}

int db_limits_set(struct db *db, int64_t tenant_id, const struct db_limits *l,
		  char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int e;

	if (!db || db_limits_check(l, err, errlen))
		return -EINVAL;
	e = db_stmt(db, DB_ST_LIMITS_SET,
		    "UPDATE tenants SET max_calls = ?2, max_extensions = ?3, "
		    "max_call_secs = ?4 WHERE id = ?1",
		    &st);
	if (e)
		return e;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int(st, 2, l->max_calls);
	sqlite3_bind_int(st, 3, l->max_extensions);
	sqlite3_bind_int(st, 4, l->max_call_secs);
	return db_change_one(db, st, "storing limits");
}

static void row_int(sqlite3_stmt *st, void *out)
{
	*(int *)out = sqlite3_column_int(st, 0);
}

int db_ext_max_calls(struct db *db, int64_t tenant_id, const char *number)
{
	sqlite3_stmt *st;
	int err, n = 0;

	if (!db || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_EXT_MAX_CALLS,
		      "SELECT max_calls FROM extensions "
		      "WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	err = db_fetch_row(db, st, row_int, &n, "reading an extension's limit");
	return err ? err : n;
}

int db_ext_set_max_calls(struct db *db, int64_t tenant_id, const char *number,
			 int max_calls)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !db_fits(number, DB_NUMBER_LEN) || max_calls < 0 ||
	    max_calls > DB_LIMIT_CALLS_MAX)
		return -EINVAL;
	err = db_stmt(db, DB_ST_EXT_SET_MAX_CALLS,
		      "UPDATE extensions SET max_calls = ?3 "
		      "WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	sqlite3_bind_int(st, 3, max_calls);
	return db_change_one(db, st, "storing an extension's limit");
}
