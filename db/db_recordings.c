/* db_recordings.c - every recording of a call, stored with its CDR. */
#include <errno.h>
#include <string.h>

#include "db_priv.h"
#include "db_record.h"

#define REC_COLS                                                               \
	"SELECT id, tenant_id, cdr_id, seq, path, started_us FROM recordings "

static void row_rec(sqlite3_stmt *st, void *out)
{
	struct db_recording *r = out;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->tenant_id = sqlite3_column_int64(st, 1);
	r->cdr_id = sqlite3_column_int64(st, 2);
	r->seq = sqlite3_column_int(st, 3);
	db_col_text(st, 4, r->path, sizeof(r->path));
	r->started_us = sqlite3_column_int64(st, 5);
}

static int add_one(struct db *db, const struct db_cdr *c, int64_t cdr_id,
		   int seq, const struct db_recording *r)
{
	sqlite3_stmt *st;
	int err;

	if (!r->path[0] || !db_fits(r->path, sizeof(r->path)))
		return -EINVAL;
	err = db_stmt(db, DB_ST_REC_ADD,
		      "INSERT INTO recordings (tenant_id, cdr_id, seq, path, "
		      "started_us) VALUES (?1, ?2, ?3, ?4, ?5)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, c->tenant_id);
	sqlite3_bind_int64(st, 2, cdr_id);
	sqlite3_bind_int(st, 3, seq);
	db_bind_text(st, 4, r->path);
	sqlite3_bind_int64(st, 5, r->started_us);
	err = db_exec_step(db, st, "writing a recording of a call");
	db_done(st);
	return err;
}

int db_cdr_insert_recs(struct db *db, const struct db_cdr *c,
		       const struct db_recording *recs, int n)
{
	int err;

	if (!db || !c || n < 0 || n > DB_REC_MAX || (n && !recs))
		return -EINVAL;
	if (!n) /* the common case: no transaction of its own */
		return db_cdr_insert(db, c);
	err = db_tx_begin(db);
	if (err)
		return err;
	return db_tx_end(db, db_cdr_insert_rows(db, c, recs, n));
}

int db_cdr_insert_rows(struct db *db, const struct db_cdr *c,
		       const struct db_recording *recs, int n)
{
	int64_t cdr_id;
	int err = db_cdr_insert(db, c);

	cdr_id = sqlite3_last_insert_rowid(db->sql);
	for (int i = 0; !err && i < n; i++)
		err = add_one(db, c, cdr_id, i + 1, &recs[i]);
	return err;
}

int db_recording_list(struct db *db, int64_t tenant_id, int64_t cdr_id,
		      int (*h)(const struct db_recording *r, void *arg),
		      void *arg)
{
	struct db_recording r;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	/* The tenant in the WHERE clause: another tenant's CDR id lists
	 * nothing. */
	err = db_stmt(db, DB_ST_REC_LIST,
		      REC_COLS "WHERE cdr_id = ?1 AND tenant_id = ?2 "
			       "ORDER BY seq",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, cdr_id);
	sqlite3_bind_int64(st, 2, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_rec(st, &r);
		if ((err = h(&r, arg)))
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing the recordings of a call");
	db_done(st);
	return err;
}

int db_recording_get(struct db *db, int64_t tenant_id, int64_t cdr_id, int seq,
		     struct db_recording *r)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !r)
		return -EINVAL;
	err = db_stmt(
	    db, DB_ST_REC_GET,
	    REC_COLS "WHERE cdr_id = ?1 AND seq = ?2 AND tenant_id = ?3", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, cdr_id);
	sqlite3_bind_int(st, 2, seq);
	sqlite3_bind_int64(st, 3, tenant_id);
	return db_fetch_row(db, st, row_rec, r,
			    "reading a recording of a call");
}
