/* db_did.c - DIDs: the public numbers a tenant owns and where calls to
 * them go. */
#include <errno.h>
#include <string.h>

#include "db_priv.h"

#define DID_COLS "SELECT id, tenant_id, number, dest_type, dest FROM dids "

static void row_did(sqlite3_stmt *st, struct db_did *d)
{
	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(st, 0);
	d->tenant_id = sqlite3_column_int64(st, 1);
	db_col_text(st, 2, d->number, sizeof(d->number));
	db_col_text(st, 3, d->dest_type, sizeof(d->dest_type));
	db_col_text(st, 4, d->dest, sizeof(d->dest));
}

int db_did_dest_check(struct db *db, const struct db_did *d)
{
	if (!db || !d || !db_fits(d->dest_type, sizeof(d->dest_type)) ||
	    !db_fits(d->dest, sizeof(d->dest)))
		return -EINVAL;
	return db_dest_check(db, d->tenant_id, d->dest_type, d->dest,
			     DB_DEST_DID, NULL, 0);
}

/* Checks the destination and runs the bound write `st` in one
 * transaction, so that the extension or menu cannot go between the
 * check and the write. Resets `st`. */
static int checked_write(struct db *db, const struct db_did *d,
			 sqlite3_stmt *st, const char *what)
{
	int err = db_tx_begin(db);

	if (err) {
		db_done(st);
		return err;
	}
	err = db_did_dest_check(db, d);
	if (err)
		db_done(st);
	else
		err = db_change_one(db, st, what);
	return db_tx_end(db, err);
}

static void bind_did(sqlite3_stmt *st, const struct db_did *d)
{
	sqlite3_bind_int64(st, 1, d->tenant_id);
	db_bind_text(st, 2, d->number);
	db_bind_text(st, 3, d->dest_type);
	db_bind_text(st, 4, d->dest);
}

int db_did_add(struct db *db, const struct db_did *d, int64_t *idp)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !d || !db_valid_e164(d->number))
		return -EINVAL;
	err = db_stmt(db, DB_ST_DID_ADD,
		      "INSERT INTO dids (tenant_id, number, dest_type, dest) "
		      "VALUES (?1, ?2, ?3, ?4)",
		      &st);
	if (err)
		return err;
	bind_did(st, d);
	err = checked_write(db, d, st, "adding a DID");
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	return err;
}

int db_did_set_dest(struct db *db, const struct db_did *d)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !d || !db_fits(d->number, sizeof(d->number)))
		return -EINVAL;
	err = db_stmt(db, DB_ST_DID_SET,
		      "UPDATE dids SET dest_type = ?3, dest = ?4 "
		      "WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	bind_did(st, d);
	return checked_write(db, d, st, "changing a DID");
}

int db_did_get(struct db *db, const char *number, struct db_did *d)
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !d || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_DID_GET, DID_COLS "WHERE number = ?1", &st);
	if (err)
		return err;
	db_bind_text(st, 1, number);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row_did(st, d);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = db_fail(db, rc, "looking up a DID");
	db_done(st);
	return err;
}

int db_did_del(struct db *db, int64_t tenant_id, const char *number)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	/* The tenant in the WHERE clause: a number is global, but only its
	 * owner may give it up. */
	err = db_stmt(db, DB_ST_DID_DEL,
		      "DELETE FROM dids WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	return db_change_one(db, st, "deleting a DID");
}

int db_did_list(struct db *db, int64_t tenant_id,
		int (*h)(const struct db_did *d, void *arg), void *arg)
{
	struct db_did d;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_DID_LIST,
		      DID_COLS "WHERE ?1 = 0 OR tenant_id = ?1 ORDER BY number",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_did(st, &d);
		err = h(&d, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing DIDs");
	db_done(st);
	return err;
}
