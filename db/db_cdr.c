/* db_cdr.c - call detail records: one row per finished call. */
#include <errno.h>
#include <string.h>

#include "db_priv.h"

#define CDR_COLS                                                               \
	"SELECT tenant_id, call_id, caller, callee, start_us, answer_us, "     \
	"end_us, duration, disposition, sip_status, caller_lost, "           \
	"caller_jitter_ms, caller_rtt_ms, callee_lost, callee_jitter_ms, "     \
	"callee_rtt_ms, recording, id FROM cdr "
/* id breaks ties between calls started in the same microsecond. */
#define CDR_ORDER "ORDER BY start_us DESC, id DESC LIMIT ?2"

static void row_cdr(sqlite3_stmt *st, struct db_cdr *c)
{
	memset(c, 0, sizeof(*c));
	c->tenant_id = sqlite3_column_int64(st, 0);
	db_col_text(st, 1, c->call_id, sizeof(c->call_id));
	db_col_text(st, 2, c->caller, sizeof(c->caller));
	db_col_text(st, 3, c->callee, sizeof(c->callee));
	c->start_us = sqlite3_column_int64(st, 4);
	c->answer_us = sqlite3_column_int64(st, 5);
	c->end_us = sqlite3_column_int64(st, 6);
	c->duration = sqlite3_column_int(st, 7);
	db_col_text(st, 8, c->disposition, sizeof(c->disposition));
	c->sip_status = sqlite3_column_int(st, 9);
	for (int i = 0; i < 2; i++) {
		int k = 10 + 3 * i;
		c->lost[i] = sqlite3_column_type(st, k) == SQLITE_NULL
				     ? -1
				     : sqlite3_column_int64(st, k);
		c->jitter_ms[i] = sqlite3_column_type(st, k + 1) == SQLITE_NULL
					  ? -1
					  : sqlite3_column_double(st, k + 1);
		c->rtt_ms[i] = sqlite3_column_type(st, k + 2) == SQLITE_NULL
				       ? -1
				       : sqlite3_column_int(st, k + 2);
	}
	db_col_text(st, 16, c->recording, sizeof(c->recording));
	c->id = sqlite3_column_int64(st, 17);
}

/* Binds a measurement, or NULL for "not measured" (negative). */
static void bind_quality(sqlite3_stmt *st, int k, const struct db_cdr *c,
			 int i)
{
	if (c->lost[i] >= 0)
		sqlite3_bind_int64(st, k, c->lost[i]);
	else
		sqlite3_bind_null(st, k);
	if (c->jitter_ms[i] >= 0)
		sqlite3_bind_double(st, k + 1, c->jitter_ms[i]);
	else
		sqlite3_bind_null(st, k + 1);
	if (c->rtt_ms[i] >= 0)
		sqlite3_bind_int(st, k + 2, c->rtt_ms[i]);
	else
		sqlite3_bind_null(st, k + 2);
}

static bool cdr_valid(const struct db_cdr *c)
{
	return c && c->tenant_id > 0 && db_fits(c->call_id, DB_CALLID_LEN) &&
	       c->call_id[0] && db_fits(c->caller, DB_NUMBER_LEN) &&
	       db_fits(c->callee, DB_NUMBER_LEN) &&
	       db_fits(c->disposition, sizeof(c->disposition)) &&
	       c->disposition[0] && c->duration >= 0 &&
	       db_fits(c->recording, sizeof(c->recording));
}

int db_cdr_insert(struct db *db, const struct db_cdr *c)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !cdr_valid(c))
		return -EINVAL;
	err = db_stmt(db, DB_ST_CDR_INSERT,
		      "INSERT INTO cdr (tenant_id, call_id, caller, callee, "
		      "start_us, answer_us, end_us, duration, disposition, "
		      "sip_status, caller_lost, caller_jitter_ms, caller_rtt_ms, "
		      "callee_lost, callee_jitter_ms, callee_rtt_ms, recording) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
		      "?12, ?13, ?14, ?15, ?16, ?17)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, c->tenant_id);
	db_bind_text(st, 2, c->call_id);
	db_bind_text(st, 3, c->caller);
	db_bind_text(st, 4, c->callee);
	sqlite3_bind_int64(st, 5, c->start_us);
	sqlite3_bind_int64(st, 6, c->answer_us);
	sqlite3_bind_int64(st, 7, c->end_us);
	sqlite3_bind_int(st, 8, c->duration);
	db_bind_text(st, 9, c->disposition);
	sqlite3_bind_int(st, 10, c->sip_status);
	bind_quality(st, 11, c, 0);
	bind_quality(st, 14, c, 1);
	db_bind_text(st, 17, c->recording);
	err = db_exec_step(db, st, "writing a call record");
	db_done(st);
	return err;
}

int db_cdr_list(struct db *db, int64_t tenant_id, int limit,
		int (*h)(const struct db_cdr *c, void *arg), void *arg)
{
	struct db_cdr c;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	if (tenant_id)
		err = db_stmt(db, DB_ST_CDR_LIST,
			      CDR_COLS "WHERE tenant_id = ?1 " CDR_ORDER, &st);
	else
		err = db_stmt(db, DB_ST_CDR_LIST_ALL, CDR_COLS CDR_ORDER, &st);
	if (err)
		return err;
	if (tenant_id)
		sqlite3_bind_int64(st, 1, tenant_id);
	/* A negative LIMIT is no limit in SQLite. */
	sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_cdr(st, &c);
		err = h(&c, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing call records");
	db_done(st);
	return err;
}

/* The page's conditions but the extension: the range of start_us (the
 * cursor folded into its upper end, so the index serves it as a range),
 * the disposition, and the rows of the cursor's own microsecond already
 * shown. */
#define CDR_PAGE_WHERE                                                         \
	"tenant_id = ?1 AND start_us >= ?2 AND start_us <= ?3 "                \
	"AND (?5 = '' OR disposition = ?5) "                                   \
	"AND NOT (start_us = ?6 AND id >= ?7) "

static int cdr_search_stmt(struct db *db, bool ext, sqlite3_stmt **st)
{
	/* With an extension: its calls as caller and as callee, each read
	 * in order from its own index (migration 0012), then merged. An OR
	 * of the two would walk the tenant's whole history. */
	if (ext)
		return db_stmt(db, DB_ST_CDR_SEARCH_EXT,
			       "SELECT * FROM (" CDR_COLS "WHERE caller = ?4 "
			       "AND " CDR_PAGE_WHERE "UNION ALL " CDR_COLS
			       "WHERE callee = ?4 AND caller != ?4 "
			       "AND " CDR_PAGE_WHERE
			       ") ORDER BY start_us DESC, id DESC LIMIT ?8",
			       st);
	return db_stmt(db, DB_ST_CDR_SEARCH,
		       CDR_COLS "WHERE " CDR_PAGE_WHERE
				"ORDER BY start_us DESC, id DESC LIMIT ?8",
		       st);
}

int db_cdr_search(struct db *db, const struct db_cdr_filter *f,
		  int (*h)(const struct db_cdr *c, void *arg), void *arg)
{
	bool ext = f && f->ext && f->ext[0];
	int64_t upper = INT64_MAX;
	struct db_cdr c;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !f || !h || f->limit < 1 || !f->tenant_id)
		return -EINVAL;
	if (f->to_us > 0)
		upper = f->to_us - 1;
	if (f->before_start_us > 0 && f->before_start_us < upper)
		upper = f->before_start_us;
	if ((err = cdr_search_stmt(db, ext, &st)))
		return err;
	sqlite3_bind_int64(st, 1, f->tenant_id);
	sqlite3_bind_int64(st, 2, f->from_us);
	sqlite3_bind_int64(st, 3, upper);
	if (ext)
		db_bind_text(st, 4, f->ext);
	db_bind_text(st, 5, f->disposition);
	/* No cursor: start_us = -1 matches no row. */
	sqlite3_bind_int64(st, 6, f->before_start_us > 0 ? f->before_start_us
							 : -1);
	sqlite3_bind_int64(st, 7, f->before_id);
	sqlite3_bind_int(st, 8, f->limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_cdr(st, &c);
		if ((err = h(&c, arg)))
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "searching call records");
	db_done(st);
	return err;
}

static void row_cdr_void(sqlite3_stmt *st, void *out)
{
	row_cdr(st, out);
}

int db_cdr_get(struct db *db, int64_t tenant_id, int64_t id, struct db_cdr *c)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !c)
		return -EINVAL;
	/* The tenant in the WHERE clause: another tenant's id is no row. */
	err = db_stmt(db, DB_ST_CDR_GET,
		      CDR_COLS "WHERE id = ?1 AND tenant_id = ?2", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, tenant_id);
	return db_fetch_row(db, st, row_cdr_void, c, "reading a call record");
}
