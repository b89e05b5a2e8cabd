/* db_timecond.c - time conditions, their rules and holidays, and the
 * tenant's time zone. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"

#define TC_COLS                                                                \
	"SELECT id, tenant_id, name, open_type, open_dest, closed_type, "      \
	"closed_dest FROM timeconds "

int db_tenant_set_timezone(struct db *db, const char *domain, const char *tz)
{
	if (!db || !db_valid_timezone(tz))
		return -EINVAL;
	return db_set_tenant_text(db, DB_ST_TENANT_TZ_SET,
				  "UPDATE tenants SET timezone = ?2 "
				  "WHERE domain = ?1",
				  domain, tz, "setting a time zone");
}

int db_tenant_timezone(struct db *db, int64_t tenant_id, char tz[DB_TZ_LEN])
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !tz)
		return -EINVAL;
	err = db_stmt(db, DB_ST_TENANT_TZ,
		      "SELECT timezone FROM tenants WHERE id = ?1", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		db_col_text(st, 0, tz, DB_TZ_LEN);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = db_fail(db, rc, "reading a tenant's time zone");
	db_done(st);
	return err;
}

/* ---- conditions --------------------------------------------------------- */

static void row_tc(sqlite3_stmt *st, struct db_timecond *tc)
{
	memset(tc, 0, sizeof(*tc));
	tc->id = sqlite3_column_int64(st, 0);
	tc->tenant_id = sqlite3_column_int64(st, 1);
	db_col_text(st, 2, tc->name, sizeof(tc->name));
	db_col_text(st, 3, tc->open_type, sizeof(tc->open_type));
	db_col_text(st, 4, tc->open_dest, sizeof(tc->open_dest));
	db_col_text(st, 5, tc->closed_type, sizeof(tc->closed_type));
	db_col_text(st, 6, tc->closed_dest, sizeof(tc->closed_dest));
}

/* One branch: "open: no extension 1009 in tenant acme.test". */
static int check_branch(struct db *db, const struct db_timecond *tc,
			const char *field, const char *type, const char *dest,
			char *err, size_t errlen)
{
	char why[160];
	int rc = db_dest_check(db, tc->tenant_id, type, dest, DB_DEST_BRANCH,
			       why, sizeof(why));

	if (rc && err && errlen)
		snprintf(err, errlen, "%s: %s", field, why);
	return rc;
}

int db_timecond_check(struct db *db, const struct db_timecond *tc, char *err,
		      size_t errlen)
{
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!db || !tc)
		return -EINVAL;
	if (!db_valid_tc_name(tc->name)) {
		if (err && errlen)
			snprintf(err, errlen,
				 "name: invalid name '%s' (1 to 32 "
				 "characters: a-z, 0-9, _ and -)",
				 tc->name);
		return -EINVAL;
	}
	rc = check_branch(db, tc, "open", tc->open_type, tc->open_dest, err,
			  errlen);
	return rc ? rc
		  : check_branch(db, tc, "closed", tc->closed_type,
				 tc->closed_dest, err, errlen);
}

static void bind_tc(sqlite3_stmt *st, const struct db_timecond *tc)
{
	sqlite3_bind_int64(st, 1, tc->tenant_id);
	db_bind_text(st, 2, tc->name);
	db_bind_text(st, 3, tc->open_type);
	db_bind_text(st, 4, tc->open_dest);
	db_bind_text(st, 5, tc->closed_type);
	db_bind_text(st, 6, tc->closed_dest);
}

/* Checks tc and runs the bound write `st` in one transaction, so that an
 * extension or menu cannot go between the check and the write. Resets
 * `st`; the new row's id in *idp (may be NULL). */
static int checked_write(struct db *db, const struct db_timecond *tc,
			 sqlite3_stmt *st, const char *what, int64_t *idp)
{
	int err = db_tx_begin(db);

	if (!err)
		err = db_timecond_check(db, tc, NULL, 0);
	if (!err)
		err = db_change_one(db, st, what);
	else
		db_done(st);
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	return db_tx_end(db, err);
}

int db_timecond_add(struct db *db, const struct db_timecond *tc, int64_t *idp)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !tc)
		return -EINVAL;
	err = db_stmt(db, DB_ST_TC_ADD,
		      "INSERT INTO timeconds (tenant_id, name, open_type, "
		      "open_dest, closed_type, closed_dest) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		      &st);
	if (err)
		return err;
	bind_tc(st, tc);
	return checked_write(db, tc, st, "adding a time condition", idp);
}

int db_timecond_update(struct db *db, const struct db_timecond *tc)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !tc)
		return -EINVAL;
	err = db_stmt(db, DB_ST_TC_UPDATE,
		      "UPDATE timeconds SET open_type = ?3, open_dest = ?4, "
		      "closed_type = ?5, closed_dest = ?6 "
		      "WHERE tenant_id = ?1 AND name = ?2",
		      &st);
	if (err)
		return err;
	bind_tc(st, tc);
	return checked_write(db, tc, st, "changing a time condition", NULL);
}

int db_timecond_get(struct db *db, int64_t tenant_id, const char *name,
		    struct db_timecond *tc)
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !tc || !db_fits(name, DB_TC_NAME_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_TC_GET,
		      TC_COLS "WHERE tenant_id = ?1 AND name = ?2", &st);
	if (err)
		return err;
	rc = db_named_row(db, st, tenant_id, name,
			  "looking up a time condition");
	if (rc == 1)
		row_tc(st, tc);
	db_done(st);
	return rc == 1 ? 0 : rc ? rc : -ENOENT;
}

int db_timecond_ref(struct db *db, int64_t tenant_id, const char *name,
		    struct db_tc_ref *ref)
{
	sqlite3_stmt *st;
	int rc;

	if (!db || !ref || !db_fits(name, DB_TC_NAME_LEN))
		return -EINVAL;
	memset(ref, 0, sizeof(*ref));
	/* ondoctl stores a timecond route's args as the bare name, as it
	 * does for ivr routes, so equality finds every one. */
	rc = db_route_running(db, tenant_id, "timecond", name, &ref->route_id);
	if (rc != -ENOENT)
		return rc;
	rc = db_stmt(db, DB_ST_TC_REF_DID,
		     "SELECT number FROM dids WHERE tenant_id = ?1 AND "
		     "dest_type = 'timecond' AND dest = ?2 "
		     "ORDER BY number LIMIT 1",
		     &st);
	if (rc)
		return rc;
	rc = db_named_row(db, st, tenant_id, name,
			  "finding DIDs to a time condition");
	if (rc == 1)
		db_col_text(st, 0, ref->did, sizeof(ref->did));
	db_done(st);
	if (rc)
		return rc < 0 ? rc : 0;
	return -ENOENT;
}

static int tc_id(struct db *db, int64_t tenant_id, const char *name,
		 int64_t *idp)
{
	struct db_timecond tc;
	int err = db_timecond_get(db, tenant_id, name, &tc);

	if (!err)
		*idp = tc.id;
	return err;
}

static int tc_in_use(struct db *db, int64_t tenant_id, const char *name)
{
	struct db_tc_ref ref;
	int err = db_timecond_ref(db, tenant_id, name, &ref);

	return err == -ENOENT ? 0 : err ? err : -EBUSY;
}

int db_timecond_del(struct db *db, int64_t tenant_id, const char *name)
{
	static const struct db_named timecond = {
	    tc_id, tc_in_use, DB_ST_TC_DEL,
	    "DELETE FROM timeconds WHERE id = ?1", "deleting a time condition"};

	if (!db || !db_fits(name, DB_TC_NAME_LEN))
		return -EINVAL;
	return db_del_named(db, &timecond, tenant_id, name);
}

int db_timecond_list(struct db *db, int64_t tenant_id,
		     int (*h)(const struct db_timecond *tc, void *arg),
		     void *arg)
{
	struct db_timecond tc;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_TC_LIST,
		      TC_COLS "WHERE ?1 = 0 OR tenant_id = ?1 "
			      "ORDER BY tenant_id, name",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_tc(st, &tc);
		err = h(&tc, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing time conditions");
	db_done(st);
	return err;
}

/* ---- rules and holidays ------------------------------------------------- */

/* The first column of statement `id` (`sql`, a count with the condition's
 * id as ?1) into *n. */
static int count_of(struct db *db, enum db_stmt_id id, const char *sql,
		    int64_t tc_id, int *n)
{
	sqlite3_stmt *st;
	int rc, err = db_stmt(db, id, sql, &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tc_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(st, 0);
	db_done(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, rc, "counting");
}

/* Runs the bound INSERT `st` while the condition has fewer than `max`
 * rows of its kind (counted by `count_sql`), in one transaction. Resets
 * `st`; the new id in *idp (may be NULL). */
static int insert_below(struct db *db, sqlite3_stmt *st, enum db_stmt_id cid,
			const char *count_sql, int64_t tc_id, int max,
			const char *what, int64_t *idp)
{
	int n = 0, err = db_tx_begin(db);

	if (!err)
		err = count_of(db, cid, count_sql, tc_id, &n);
	if (!err && n >= max)
		err = -ENOSPC;
	if (!err)
		err = db_exec_step(db, st, what);
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return db_tx_end(db, err);
}

static bool rule_ok(const struct db_tc_rule *r)
{
	return r->days >= 1 && r->days <= DB_TC_ALL_DAYS && r->start_min >= 0 &&
	       r->start_min < 24 * 60 && r->end_min > 0 &&
	       r->end_min <= 24 * 60 && r->start_min != r->end_min;
}

int db_tc_rule_add(struct db *db, int64_t tc_id, const struct db_tc_rule *r,
		   int64_t *idp)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !r || !rule_ok(r))
		return -EINVAL;
	err = db_stmt(db, DB_ST_TC_RULE_ADD,
		      "INSERT INTO timecond_rules (timecond_id, days, "
		      "start_min, end_min) VALUES (?1, ?2, ?3, ?4)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tc_id);
	sqlite3_bind_int(st, 2, (int)r->days);
	sqlite3_bind_int(st, 3, r->start_min);
	sqlite3_bind_int(st, 4, r->end_min);
	return insert_below(db, st, DB_ST_TC_RULE_COUNT,
			    "SELECT count(*) FROM timecond_rules "
			    "WHERE timecond_id = ?1",
			    tc_id, DB_TC_RULES_MAX, "adding a rule", idp);
}

/* Deletes with a bound statement `sql` of ?1 the condition and ?2. */
static int del_in(struct db *db, enum db_stmt_id id, const char *sql,
		  int64_t tc_id, int64_t key, const char *text,
		  const char *what)
{
	sqlite3_stmt *st;
	int err = db_stmt(db, id, sql, &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tc_id);
	if (text)
		db_bind_text(st, 2, text);
	else
		sqlite3_bind_int64(st, 2, key);
	return db_change_one(db, st, what);
}

int db_tc_rule_del(struct db *db, int64_t tc_id, int64_t id)
{
	if (!db)
		return -EINVAL;
	return del_in(db, DB_ST_TC_RULE_DEL,
		      "DELETE FROM timecond_rules "
		      "WHERE timecond_id = ?1 AND id = ?2",
		      tc_id, id, NULL, "deleting a rule");
}

int db_tc_rule_list(struct db *db, int64_t tc_id,
		    int (*h)(const struct db_tc_rule *r, void *arg), void *arg)
{
	struct db_tc_rule r;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_TC_RULE_LIST,
		      "SELECT id, days, start_min, end_min FROM timecond_rules "
		      "WHERE timecond_id = ?1 ORDER BY id",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tc_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(st, 0);
		r.days = (unsigned)sqlite3_column_int(st, 1);
		r.start_min = sqlite3_column_int(st, 2);
		r.end_min = sqlite3_column_int(st, 3);
		err = h(&r, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing rules");
	db_done(st);
	return err;
}

/* The date of h as stored, after checking it is one. */
static int date_text(const struct db_tc_holiday *h, char out[DB_TC_DATE_LEN])
{
	struct db_tc_holiday back;

	db_tc_date_format(h, out);
	if (db_tc_date_parse(out, &back) || back.year != h->year ||
	    back.month != h->month || back.day != h->day)
		return -EINVAL;
	return 0;
}

int db_tc_holiday_add(struct db *db, int64_t tc_id,
		      const struct db_tc_holiday *h, int64_t *idp)
{
	char date[DB_TC_DATE_LEN];
	sqlite3_stmt *st;
	int err;

	if (!db || !h || date_text(h, date) ||
	    !db_fits(h->name, sizeof(h->name)) || !db_valid_name(h->name))
		return -EINVAL;
	err = db_stmt(db, DB_ST_TC_HOL_ADD,
		      "INSERT INTO timecond_holidays (timecond_id, date, name) "
		      "VALUES (?1, ?2, ?3)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tc_id);
	db_bind_text(st, 2, date);
	db_bind_text(st, 3, h->name);
	return insert_below(db, st, DB_ST_TC_HOL_COUNT,
			    "SELECT count(*) FROM timecond_holidays "
			    "WHERE timecond_id = ?1",
			    tc_id, DB_TC_HOLIDAYS_MAX, "adding a holiday", idp);
}

int db_tc_holiday_del(struct db *db, int64_t tc_id,
		      const struct db_tc_holiday *h)
{
	char date[DB_TC_DATE_LEN];

	if (!db || !h || date_text(h, date))
		return -EINVAL;
	return del_in(db, DB_ST_TC_HOL_DEL,
		      "DELETE FROM timecond_holidays "
		      "WHERE timecond_id = ?1 AND date = ?2",
		      tc_id, 0, date, "deleting a holiday");
}

int db_tc_holiday_list(struct db *db, int64_t tc_id,
		       int (*h)(const struct db_tc_holiday *hd, void *arg),
		       void *arg)
{
	struct db_tc_holiday hd;
	char date[DB_TC_DATE_LEN];
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	/* MM-DD sorts before YYYY-MM-DD by length: every-year ones first. */
	err = db_stmt(db, DB_ST_TC_HOL_LIST,
		      "SELECT id, date, name FROM timecond_holidays "
		      "WHERE timecond_id = ?1 ORDER BY length(date), date",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tc_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		db_col_text(st, 1, date, sizeof(date));
		/* A date written by hand that does not parse is skipped: it
		 * could never match a day. */
		if (db_tc_date_parse(date, &hd))
			continue;
		hd.id = sqlite3_column_int64(st, 0);
		db_col_text(st, 2, hd.name, sizeof(hd.name));
		err = h(&hd, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing holidays");
	db_done(st);
	return err;
}
