/* db_move.c - a tenant's rows out of the database, table by table, in
 * one read transaction (db_move.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db_move_priv.h"

struct db_mv_export {
	struct db *db; /* borrowed */
	struct mv_plan plan;
	int64_t tenant_id;
	char domain[DB_DOMAIN_LEN];
	int64_t counts[MV_TABLES_MAX];
	bool in_tx;
};

static int say(char *why, size_t wlen, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, wlen, fmt, ap);
	va_end(ap);
	return err;
}

/* SELECT of table t's rows (what = NULL) or their count, into *stp. */
static int select_sql(struct db_mv_export *x, const struct mv_table *t,
		      bool count, sqlite3_stmt **stp)
{
	char sql[MV_WHERE_LEN + MV_COLS_MAX * (MV_NAME_LEN + 4) + 128];
	size_t k;

	k = (size_t)snprintf(sql, sizeof(sql), "SELECT ");
	if (count)
		k += (size_t)snprintf(sql + k, sizeof(sql) - k, "count(*)");
	for (int c = 0; !count && c < t->ncols; c++)
		k += (size_t)snprintf(sql + k, sizeof(sql) - k, "%s\"%s\"",
				      c ? ", " : "", t->cols[c]);
	k += (size_t)snprintf(sql + k, sizeof(sql) - k,
			      " FROM \"%s\" WHERE %s%s", t->name, t->where,
			      count ? "" : " ORDER BY rowid");
	if (k >= sizeof(sql) ||
	    sqlite3_prepare_v2(x->db->sql, sql, -1, stp, NULL) != SQLITE_OK) {
		LOGE("db", "export of %s: %s", t->name,
		     sqlite3_errmsg(x->db->sql));
		return -EIO;
	}
	if (mv_bind_keys(*stp, x->tenant_id, x->domain)) {
		sqlite3_finalize(*stp);
		return -EIO;
	}
	return 0;
}

static int count_rows(struct db_mv_export *x, int i)
{
	sqlite3_stmt *st;
	int err = select_sql(x, &x->plan.t[i], true, &st);

	if (err)
		return err;
	if (sqlite3_step(st) == SQLITE_ROW)
		x->counts[i] = sqlite3_column_int64(st, 0);
	else
		err = -EIO;
	sqlite3_finalize(st);
	return err;
}

int db_mv_export_begin(struct db *db, const char *domain,
		       struct db_mv_export **xp, char *why, size_t wlen)
{
	struct db_mv_export *x = calloc(1, sizeof(*x)); /* freed by _end */
	struct db_tenant t;
	int err;

	*xp = NULL;
	if (!x)
		return say(why, wlen, -ENOMEM, "out of memory");
	x->db = db;
	/* A read transaction: every SELECT below sees one snapshot, while
	 * the daemon goes on writing (WAL). */
	x->in_tx =
	    sqlite3_exec(db->sql, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	err = x->in_tx ? mv_plan_build(db, &x->plan, why, wlen)
		       : say(why, wlen, -EIO, "cannot begin a transaction");
	if (!err) {
		err = db_tenant_by_domain(db, domain, &t);
		if (err == -ENOENT || err == -EINVAL)
			say(why, wlen, -ENOENT, "no tenant %s", domain);
		else if (err)
			say(why, wlen, err, "cannot read tenant %s", domain);
	}
	if (!err) {
		x->tenant_id = t.id;
		snprintf(x->domain, sizeof(x->domain), "%s", t.domain);
	}
	for (int i = 0; !err && i < x->plan.n; i++)
		if ((err = count_rows(x, i)))
			say(why, wlen, err, "cannot count the rows of %s",
			    x->plan.t[i].name);
	if (err) {
		db_mv_export_end(x);
		return err;
	}
	*xp = x;
	return 0;
}

int db_mv_export_ntables(const struct db_mv_export *x)
{
	return x->plan.n;
}

const char *db_mv_export_table(const struct db_mv_export *x, int i,
			       int64_t *nrows)
{
	*nrows = x->counts[i];
	return x->plan.t[i].name;
}

int db_mv_export_schema(const struct db_mv_export *x)
{
	return x->plan.schema;
}

static void read_val(sqlite3_stmt *st, int c, struct db_mv_val *v)
{
	memset(v, 0, sizeof(*v));
	switch (sqlite3_column_type(st, c)) {
	case SQLITE_INTEGER:
		v->type = DB_MV_INT;
		v->i = sqlite3_column_int64(st, c);
		break;
	case SQLITE_FLOAT:
		v->type = DB_MV_REAL;
		v->r = sqlite3_column_double(st, c);
		break;
	case SQLITE_NULL:
		v->type = DB_MV_NULL;
		break;
	default: /* text; the schema has no BLOB column (STRICT tables) */
		v->type = DB_MV_TEXT;
		v->s = (const char *)sqlite3_column_text(st, c);
		if (!v->s)
			v->type = DB_MV_NULL;
	}
}

int db_mv_export_rows(struct db_mv_export *x, int i,
		      const struct db_mv_sink *sink, void *arg)
{
	const struct mv_table *t = &x->plan.t[i];
	const char *cols[MV_COLS_MAX];
	struct db_mv_val v[MV_COLS_MAX];
	sqlite3_stmt *st;
	int rc, err;

	for (int c = 0; c < t->ncols; c++)
		cols[c] = t->cols[c];
	if ((err = select_sql(x, t, false, &st)))
		return err;
	err = sink->columns(arg, t->name, cols, t->ncols);
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < t->ncols; c++)
			read_val(st, c, &v[c]);
		err = sink->row(arg, v, t->ncols);
	}
	if (!err && rc != SQLITE_DONE) {
		LOGE("db", "export of %s: %s", t->name,
		     sqlite3_errmsg(x->db->sql));
		err = -EIO;
	}
	sqlite3_finalize(st);
	return err;
}

void db_mv_export_end(struct db_mv_export *x)
{
	if (!x)
		return;
	/* Nothing was written: the end of a read transaction. */
	if (x->in_tx)
		sqlite3_exec(x->db->sql, "COMMIT", NULL, NULL, NULL);
	free(x);
}
