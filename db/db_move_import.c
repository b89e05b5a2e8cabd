/* db_move_import.c - a tenant's rows into the database with new ids, in
 * one write transaction (db_move.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "db_move_priv.h"

struct db_mv_import {
	struct db *db; /* borrowed */
	struct mv_plan plan;
	char domain[DB_DOMAIN_LEN];
	int64_t tenant_id; /* the new one; 0 until the tenants row is in */
	bool done[MV_TABLES_MAX];
	bool in_tx;
	int err; /* the first error; everything after it fails with it */
	char why[512];
	/* the current table */
	int ti;		      /* plan index, -1 for none */
	int ncols;	      /* the archive's columns */
	int map[MV_COLS_MAX]; /* archive column -> table column */
	sqlite3_stmt *insert; /* owned */
	int64_t count;
	/* the id map, a temporary table: old id -> new id per table */
	sqlite3_stmt *map_put, *map_get; /* owned */
};

static int fail(struct db_mv_import *im, int err, const char *fmt, ...)
{
	va_list ap;

	if (im->err)
		return im->err;
	va_start(ap, fmt);
	vsnprintf(im->why, sizeof(im->why), fmt, ap);
	va_end(ap);
	im->err = err;
	return err;
}

const char *db_mv_import_why(const struct db_mv_import *im)
{
	return im->why;
}

int64_t db_mv_import_count(const struct db_mv_import *im)
{
	return im->count;
}

static int prepare(struct db_mv_import *im, const char *sql, sqlite3_stmt **stp)
{
	if (sqlite3_prepare_v2(im->db->sql, sql, -1, stp, NULL) == SQLITE_OK)
		return 0;
	return fail(im, -EIO, "database error: %s",
		    sqlite3_errmsg(im->db->sql));
}

static int exec(struct db_mv_import *im, const char *sql)
{
	if (sqlite3_exec(im->db->sql, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	return fail(im, -EIO, "database error: %s",
		    sqlite3_errmsg(im->db->sql));
}

static int tenant_exists(struct db_mv_import *im)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(im, "SELECT 1 FROM tenants WHERE domain = ?1", &st))
		return im->err;
	sqlite3_bind_text(st, 1, im->domain, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return fail(im, -EEXIST,
			    "tenant %s already exists on this "
			    "node",
			    im->domain);
	return rc == SQLITE_DONE ? 0 : fail(im, -EIO, "database error");
}

int db_mv_import_begin(struct db *db, const char *domain,
		       struct db_mv_import **ip, char *why, size_t wlen)
{
	struct db_mv_import *im = calloc(1, sizeof(*im)); /* freed by _end */
	int err;

	*ip = NULL;
	if (!im) {
		snprintf(why, wlen, "out of memory");
		return -ENOMEM;
	}
	im->db = db;
	im->ti = -1;
	snprintf(im->domain, sizeof(im->domain), "%s", domain);
	err = mv_plan_build(db, &im->plan, im->why, sizeof(im->why));
	if (err)
		im->err = err;
	/* The map lives in the connection's temp schema; rows of an
	 * earlier import on this connection are dropped first. */
	if (!err &&
	    !(err = exec(im, "CREATE TEMP TABLE IF NOT EXISTS mv_map ("
			     "tbl INTEGER, old INTEGER, new INTEGER, "
			     "PRIMARY KEY (tbl, old)) WITHOUT ROWID")) &&
	    !(err = exec(im, "DELETE FROM temp.mv_map")) &&
	    !(err = db_tx_begin(db) ? fail(im, -EIO, "the database is busy")
				    : 0)) {
		im->in_tx = true;
		err = tenant_exists(im);
	}
	if (!err)
		err = prepare(im, "INSERT INTO temp.mv_map VALUES (?1, ?2, ?3)",
			      &im->map_put);
	if (!err)
		err = prepare(im,
			      "SELECT new FROM temp.mv_map WHERE tbl = ?1 "
			      "AND old = ?2",
			      &im->map_get);
	if (err) {
		snprintf(why, wlen, "%s", im->why);
		db_mv_import_end(im, false);
		return err;
	}
	*ip = im;
	return 0;
}

int db_mv_import_end(struct db_mv_import *im, bool commit)
{
	int err;

	if (!im)
		return 0;
	if (commit && !im->err && !im->tenant_id)
		fail(im, -EBADMSG, "the archive has no tenant row");
	err = commit ? im->err : (im->err ? im->err : -ECANCELED);
	sqlite3_finalize(im->insert);
	sqlite3_finalize(im->map_put);
	sqlite3_finalize(im->map_get);
	if (im->in_tx)
		err = db_tx_end(im->db, err);
	sqlite3_exec(im->db->sql, "DELETE FROM temp.mv_map", NULL, NULL, NULL);
	free(im);
	return err;
}

static int local_col(const struct mv_table *t, const char *name)
{
	for (int c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c], name))
			return c;
	return -1;
}

/* INSERT INTO t (the archive's columns but the id this node gives). */
static int prepare_insert(struct db_mv_import *im, const struct mv_table *t)
{
	char sql[MV_COLS_MAX * (MV_NAME_LEN + 8) + 128];
	size_t k;
	int n = 0;

	k = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO \"%s\" (", t->name);
	for (int i = 0; i < im->ncols; i++)
		if (im->map[i] != t->rowid_col)
			k += (size_t)snprintf(sql + k, sizeof(sql) - k,
					      "%s\"%s\"", n++ ? ", " : "",
					      t->cols[im->map[i]]);
	k += (size_t)snprintf(sql + k, sizeof(sql) - k, ") VALUES (");
	for (int i = 0; i < n; i++)
		k += (size_t)snprintf(sql + k, sizeof(sql) - k, "%s?",
				      i ? ", " : "");
	k += (size_t)snprintf(sql + k, sizeof(sql) - k, ")");
	if (k >= sizeof(sql))
		return fail(im, -ENOTSUP, "table %s: too many columns",
			    t->name);
	return prepare(im, sql, &im->insert);
}

/* Rows the schema's triggers made for the new tenant (its feature-code
 * routes, a mailbox per extension) give way to the archive's own, which
 * carry what the old node had changed in them. */
static int drop_trigger_rows(struct db_mv_import *im, const struct mv_table *t)
{
	char sql[MV_NAME_LEN + 64];
	sqlite3_stmt *st;
	int rc;

	if (t->kind != MV_MOVE || t->tenant_col < 0)
		return 0;
	snprintf(sql, sizeof(sql), "DELETE FROM \"%s\" WHERE tenant_id = ?1",
		 t->name);
	if (prepare(im, sql, &st))
		return im->err;
	sqlite3_bind_int64(st, 1, im->tenant_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0
				 : fail(im, -EIO, "database error: %s",
					sqlite3_errmsg(im->db->sql));
}

int db_mv_import_table(struct db_mv_import *im, const char *table,
		       const char *const *cols, int ncols)
{
	const struct mv_table *t;
	int ti = mv_plan_find(&im->plan, table);
	bool seen[MV_COLS_MAX] = {false};

	if (im->err)
		return im->err;
	sqlite3_finalize(im->insert);
	im->insert = NULL;
	im->count = 0;
	if (ti < 0)
		return fail(im, -EBADMSG,
			    "the archive has a table '%s' that "
			    "this node does not move",
			    table);
	t = &im->plan.t[ti];
	if (im->done[ti])
		return fail(im, -EBADMSG, "table %s comes twice", table);
	if (t->kind != MV_ROOT && !im->tenant_id)
		return fail(im, -EBADMSG, "table %s comes before the tenant",
			    table);
	if (ncols < 1 || ncols > MV_COLS_MAX)
		return fail(im, -EBADMSG, "table %s: %d columns", table, ncols);
	for (int i = 0; i < ncols; i++) {
		int c = local_col(t, cols[i]);
		if (c < 0)
			return fail(im, -EBADMSG,
				    "column %s.%s is not one this "
				    "node has",
				    table, cols[i]);
		if (seen[c])
			return fail(im, -EBADMSG, "column %s.%s comes twice",
				    table, cols[i]);
		seen[c] = true;
		im->map[i] = c;
	}
	/* Children find their parents by the old id; a row without its
	 * tenant or parent columns would become a shared trunk, a
	 * superadmin, or an orphan. */
	if (t->rowid_col >= 0 && !seen[t->rowid_col])
		return fail(im, -EBADMSG, "table %s comes without its ids",
			    table);
	for (int f = 0; f < t->nfk; f++)
		if (!seen[t->fk[f].col])
			return fail(im, -EBADMSG,
				    "table %s comes without "
				    "column %s",
				    table, t->cols[t->fk[f].col]);
	if (t->domain_col >= 0 && !seen[t->domain_col])
		return fail(im, -EBADMSG, "table %s comes without column %s",
			    table, t->cols[t->domain_col]);
	im->ti = ti;
	im->ncols = ncols;
	im->done[ti] = true;
	if (drop_trigger_rows(im, t))
		return im->err;
	return prepare_insert(im, t);
}

static int map_get(struct db_mv_import *im, int ti, int64_t old, int64_t *newp)
{
	int rc;

	sqlite3_reset(im->map_get);
	sqlite3_bind_int(im->map_get, 1, ti);
	sqlite3_bind_int64(im->map_get, 2, old);
	rc = sqlite3_step(im->map_get);
	if (rc == SQLITE_ROW)
		*newp = sqlite3_column_int64(im->map_get, 0);
	sqlite3_reset(im->map_get);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -ENOENT : -EIO;
}

static int map_put(struct db_mv_import *im, int ti, int64_t old, int64_t new)
{
	int rc;

	sqlite3_reset(im->map_put);
	sqlite3_bind_int(im->map_put, 1, ti);
	sqlite3_bind_int64(im->map_put, 2, old);
	sqlite3_bind_int64(im->map_put, 3, new);
	rc = sqlite3_step(im->map_put);
	sqlite3_reset(im->map_put);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_CONSTRAINT)
		return fail(im, -EBADMSG, "table %s has id %lld twice",
			    im->plan.t[ti].name, (long long)old);
	return fail(im, -EIO, "database error: %s",
		    sqlite3_errmsg(im->db->sql));
}

static int bind(sqlite3_stmt *st, int idx, const struct db_mv_val *v)
{
	switch (v->type) {
	case DB_MV_INT:
		return sqlite3_bind_int64(st, idx, v->i);
	case DB_MV_REAL:
		return sqlite3_bind_double(st, idx, v->r);
	case DB_MV_TEXT:
		return sqlite3_bind_text(st, idx, v->s, -1, SQLITE_STATIC);
	default:
		return sqlite3_bind_null(st, idx);
	}
}

/* One value of a row: a foreign key mapped to its new id, the domain
 * checked, anything else as it is. */
static int bind_col(struct db_mv_import *im, const struct mv_table *t, int c,
		    int idx, const struct db_mv_val *v, int64_t old)
{
	const struct mv_fk *fk = mv_fk_of(t, c);
	struct db_mv_val mapped = {.type = DB_MV_INT};

	if (fk && v->type == DB_MV_NULL && c == t->tenant_col)
		return fail(im, -EBADMSG,
			    "a row of %s (id %lld) belongs to no "
			    "tenant",
			    t->name, (long long)old);
	if (fk && v->type != DB_MV_NULL) {
		if (v->type != DB_MV_INT ||
		    map_get(im, fk->parent, v->i, &mapped.i))
			return fail(im, -EBADMSG,
				    "%s.%s of row %lld points at "
				    "a row of %s that is not in the archive",
				    t->name, t->cols[c], (long long)old,
				    im->plan.t[fk->parent].name);
		v = &mapped;
	}
	if (c == t->domain_col &&
	    (v->type != DB_MV_TEXT ||
	     /* stored lower case, as the spool's folders are named */
	     (t->kind == MV_ROOT ? strcmp(v->s, im->domain)
				 : strcasecmp(v->s, im->domain))))
		return fail(im, -EBADMSG,
			    "a row of %s names another tenant "
			    "than %s",
			    t->name, im->domain);
	if (bind(im->insert, idx, v) != SQLITE_OK)
		return fail(im, -EIO, "database error: %s",
			    sqlite3_errmsg(im->db->sql));
	return 0;
}

static int insert_failed(struct db_mv_import *im, const struct mv_table *t,
			 int rc, int64_t old)
{
	int err = (rc & 0xff) != SQLITE_CONSTRAINT ? -EIO
		  : (rc == SQLITE_CONSTRAINT_UNIQUE ||
		     rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
		     rc == SQLITE_CONSTRAINT_TRIGGER)
		      ? -EEXIST
		      : -EINVAL;

	return fail(im, err, "row %lld of %s cannot go in here: %s",
		    (long long)old, t->name, sqlite3_errmsg(im->db->sql));
}

int db_mv_import_row(struct db_mv_import *im, const struct db_mv_val *v, int n)
{
	const struct mv_table *t;
	int64_t old = 0, new;
	int idx = 1, rc;

	if (im->err)
		return im->err;
	if (im->ti < 0)
		return fail(im, -EBADMSG, "a row before its table");
	t = &im->plan.t[im->ti];
	if (n != im->ncols)
		return fail(im, -EBADMSG, "a row of %s has %d values, not %d",
			    t->name, n, im->ncols);
	if (t->kind == MV_ROOT && im->tenant_id)
		return fail(im, -EBADMSG, "more than one tenant row");
	for (int i = 0; i < n; i++)
		if (im->map[i] == t->rowid_col) {
			if (v[i].type != DB_MV_INT)
				return fail(im, -EBADMSG,
					    "a row of %s has no "
					    "id",
					    t->name);
			old = v[i].i;
		}
	sqlite3_reset(im->insert);
	sqlite3_clear_bindings(im->insert);
	for (int i = 0; i < n; i++)
		if (im->map[i] != t->rowid_col &&
		    bind_col(im, t, im->map[i], idx++, &v[i], old))
			return im->err;
	rc = sqlite3_step(im->insert);
	if (rc != SQLITE_DONE)
		return insert_failed(
		    im, t, sqlite3_extended_errcode(im->db->sql), old);
	new = sqlite3_last_insert_rowid(im->db->sql);
	if (t->rowid_col >= 0 && map_put(im, im->ti, old, new))
		return im->err;
	if (t->kind == MV_ROOT)
		im->tenant_id = new;
	im->count++;
	return 0;
}
