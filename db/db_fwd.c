/* db_fwd.c - an extension's call forwards and do-not-disturb (db_fwd.h). */
#include <errno.h>
#include <string.h>

#include "db_priv.h"
#include "db_fwd.h"

/* In enum order: the stored and typed words. */
static const char *const kinds[DB_FWD_NKINDS] = {"always", "busy", "noanswer",
						 "unregistered"};
static const char *const types[] = {NULL, "extension", "number", "voicemail"};
#define NTYPES (int)(sizeof(types) / sizeof(types[0]))

int db_fwd_kind_parse(const char *word)
{
	for (int i = 0; word && i < DB_FWD_NKINDS; i++)
		if (!strcmp(word, kinds[i]))
			return i;
	return -EINVAL;
}

const char *db_fwd_kind_name(enum db_fwd_kind k)
{
	return (int)k >= 0 && k < DB_FWD_NKINDS ? kinds[k] : NULL;
}

int db_fwd_type_parse(const char *word)
{
	for (int i = 1; word && i < NTYPES; i++)
		if (!strcmp(word, types[i]))
			return i;
	return -EINVAL;
}

const char *db_fwd_type_name(enum db_fwd_type t)
{
	return (int)t > 0 && (int)t < NTYPES ? types[t] : NULL;
}

/* The extension's id and DND flag; -ENOENT if there is none. */
static int ext_row(struct db *db, int64_t tenant_id, const char *number,
		   int64_t *idp, int *dnd)
{
	sqlite3_stmt *st;
	int rc, err = db_stmt(db, DB_ST_FWD_EXT,
			      "SELECT id, dnd FROM extensions "
			      "WHERE tenant_id = ?1 AND number = ?2",
			      &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*idp = sqlite3_column_int64(st, 0);
		if (dnd)
			*dnd = sqlite3_column_int(st, 1);
	} else {
		err = rc == SQLITE_DONE ? -ENOENT
					: db_fail(db, rc, "reading forwards");
	}
	db_done(st);
	return err;
}

int db_fwd_get(struct db *db, int64_t tenant_id, const char *number,
	       struct db_fwd *f)
{
	sqlite3_stmt *st;
	int64_t id;
	int rc, err;

	if (!db || !f || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	err = ext_row(db, tenant_id, number, &id, &f->dnd);
	if (!err)
		err = db_stmt(db, DB_ST_FWD_LIST,
			      "SELECT kind, dest_type, dest, after_s "
			      "FROM ext_forwards WHERE ext_id = ?1",
			      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char word[DB_WORD_LEN];
		int k, t;

		db_col_text(st, 0, word, sizeof(word));
		k = db_fwd_kind_parse(word);
		db_col_text(st, 1, word, sizeof(word));
		t = db_fwd_type_parse(word);
		if (k < 0 || t < 0)
			continue; /* the table's CHECKs make this impossible */
		f->t[k].type = (enum db_fwd_type)t;
		db_col_text(st, 2, f->t[k].dest, sizeof(f->t[k].dest));
		f->t[k].after_s = sqlite3_column_int(st, 3);
	}
	if (rc != SQLITE_DONE)
		err = db_fail(db, rc, "reading forwards");
	db_done(st);
	return err;
}

static int check_target(enum db_fwd_kind kind, const struct db_fwd_target *t)
{
	if (!db_fwd_type_name(t->type) || !db_valid_dialable(t->dest))
		return -EINVAL;
	if (t->after_s &&
	    (kind != DB_FWD_NOANSWER || t->after_s < DB_RING_TIMEOUT_MIN ||
	     t->after_s > DB_RING_TIMEOUT_MAX))
		return -EINVAL;
	return 0;
}

int db_fwd_set(struct db *db, int64_t tenant_id, const char *number,
	       enum db_fwd_kind kind, const struct db_fwd_target *t)
{
	int off = !t || t->type == DB_FWD_NONE;
	sqlite3_stmt *st;
	int64_t id;
	int err;

	if (!db || !db_fits(number, DB_NUMBER_LEN) || !db_fwd_kind_name(kind) ||
	    (!off && check_target(kind, t)))
		return -EINVAL;
	if ((err = db_tx_begin(db)))
		return err;
	err = ext_row(db, tenant_id, number, &id, NULL);
	if (!err && off)
		err = db_stmt(db, DB_ST_FWD_DEL,
			      "DELETE FROM ext_forwards "
			      "WHERE ext_id = ?1 AND kind = ?2",
			      &st);
	else if (!err)
		err = db_stmt(db, DB_ST_FWD_SET,
			      "INSERT INTO ext_forwards (ext_id, kind, "
			      "dest_type, dest, after_s) "
			      "VALUES (?1, ?2, ?3, ?4, ?5) "
			      "ON CONFLICT (ext_id, kind) DO UPDATE SET "
			      "dest_type = ?3, dest = ?4, after_s = ?5",
			      &st);
	if (!err) {
		sqlite3_bind_int64(st, 1, id);
		db_bind_text(st, 2, kinds[kind]);
		if (!off) {
			db_bind_text(st, 3, types[t->type]);
			db_bind_text(st, 4, t->dest);
			sqlite3_bind_int(st, 5, t->after_s);
		}
		err = db_exec_step(db, st, "setting a forward");
		db_done(st);
	}
	return db_tx_end(db, err);
}

int db_ext_set_dnd(struct db *db, int64_t tenant_id, const char *number, int on)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_FWD_DND,
		      "UPDATE extensions SET dnd = ?3 "
		      "WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	sqlite3_bind_int(st, 3, on ? 1 : 0);
	return db_change_one(db, st, "setting do-not-disturb");
}
