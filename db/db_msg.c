/* db_msg.c - SIP MESSAGEs waiting for their recipient (db_msg.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "db_msg.h"

int db_msg_count(struct db *db, int64_t tenant_id, const char *to_ext, int *n)
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !n || !db_fits(to_ext, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_MSG_COUNT,
		      "SELECT count(*) FROM sip_messages "
		      "WHERE tenant_id = ?1 AND to_ext = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, to_ext);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(st, 0);
	else
		err = db_fail(db, rc, "counting waiting messages");
	db_done(st);
	return err;
}

int db_msg_add(struct db *db, const struct db_msg *m, int max)
{
	sqlite3_stmt *st;
	int n = 0, err;

	if (!db || !m || !db_valid_number(m->to_ext) ||
	    strlen(m->body) > DB_MSG_BODY_MAX || !m->content_type[0])
		return -EINVAL;
	if ((err = db_tx_begin(db)))
		return err;
	err = db_msg_count(db, m->tenant_id, m->to_ext, &n);
	if (!err && n >= max)
		err = -ENOSPC;
	if (!err)
		err = db_stmt(db, DB_ST_MSG_ADD,
			      "INSERT INTO sip_messages (tenant_id, to_ext, "
			      "from_ext, from_name, content_type, body, "
			      "created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			      &st);
	if (!err) {
		sqlite3_bind_int64(st, 1, m->tenant_id);
		db_bind_text(st, 2, m->to_ext);
		db_bind_text(st, 3, m->from_ext);
		db_bind_text(st, 4, m->from_name);
		db_bind_text(st, 5, m->content_type);
		db_bind_text(st, 6, m->body);
		sqlite3_bind_int64(st, 7, m->created);
		err = db_exec_step(db, st, "storing a message");
		db_done(st);
	}
	return db_tx_end(db, err);
}

int db_msg_list(struct db *db, int64_t tenant_id, const char *to_ext,
		int (*h)(const struct db_msg *m, void *arg), void *arg)
{
	struct db_msg m;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h || !db_fits(to_ext, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_MSG_LIST,
		      "SELECT id, tenant_id, to_ext, from_ext, from_name, "
		      "content_type, body, created FROM sip_messages "
		      "WHERE tenant_id = ?1 AND to_ext = ?2 ORDER BY id",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, to_ext);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		m.id = sqlite3_column_int64(st, 0);
		m.tenant_id = sqlite3_column_int64(st, 1);
		db_col_text(st, 2, m.to_ext, sizeof(m.to_ext));
		db_col_text(st, 3, m.from_ext, sizeof(m.from_ext));
		db_col_text(st, 4, m.from_name, sizeof(m.from_name));
		db_col_text(st, 5, m.content_type, sizeof(m.content_type));
		db_col_text(st, 6, m.body, sizeof(m.body));
		m.created = sqlite3_column_int64(st, 7);
		if ((err = h(&m, arg)))
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing waiting messages");
	db_done(st);
	return err;
}

int db_msg_del(struct db *db, int64_t id)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	err = db_stmt(db, DB_ST_MSG_DEL, "DELETE FROM sip_messages WHERE id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	return db_change_one(db, st, "deleting a delivered message");
}

int db_msg_expire(struct db *db, int64_t before, int *n)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	err = db_stmt(db, DB_ST_MSG_EXPIRE,
		      "DELETE FROM sip_messages WHERE created < ?1", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, before);
	err = db_exec_step(db, st, "dropping old messages");
	if (!err && n)
		*n = sqlite3_changes(db->sql);
	db_done(st);
	return err;
}
