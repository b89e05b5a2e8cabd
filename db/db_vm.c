/* db_vm.c - voicemail rows: mailbox settings and the message index. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "db_priv.h"
#include "db_vm.h"
#include "db_vm_mail.h"

#define BOX_COLS                                                               \
	"SELECT b.ext_id, b.tenant_id, b.enabled, b.pin_hash, "                \
	"b.max_messages, b.max_minutes, b.email, b.email_attach "              \
	"FROM vm_boxes b JOIN extensions e ON e.id = b.ext_id "

#define MSG_COLS                                                               \
	"SELECT id, tenant_id, ext_id, folder, caller, caller_name, "          \
	"received_at, duration_ms, file, flagged_missing FROM vm_messages "

/* Row readers take void * so that db_fetch_row() can call either. */
static void row_box(sqlite3_stmt *st, void *out)
{
	struct db_vm_box *b = out;

	memset(b, 0, sizeof(*b));
	b->ext_id = sqlite3_column_int64(st, 0);
	b->tenant_id = sqlite3_column_int64(st, 1);
	b->enabled = sqlite3_column_int(st, 2);
	db_col_text(st, 3, b->pin_hash, sizeof(b->pin_hash));
	b->max_messages = sqlite3_column_int(st, 4);
	b->max_minutes = sqlite3_column_int(st, 5);
	db_col_text(st, 6, b->email, sizeof(b->email));
	b->email_attach = sqlite3_column_int(st, 7);
}

void db_vm_msg_read(sqlite3_stmt *st, void *out)
{
	struct db_vm_msg *m = out;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->tenant_id = sqlite3_column_int64(st, 1);
	m->ext_id = sqlite3_column_int64(st, 2);
	db_col_text(st, 3, m->folder, sizeof(m->folder));
	db_col_text(st, 4, m->caller, sizeof(m->caller));
	db_col_text(st, 5, m->caller_name, sizeof(m->caller_name));
	m->received_at = sqlite3_column_int64(st, 6);
	m->duration_ms = sqlite3_column_int64(st, 7);
	db_col_text(st, 8, m->file, sizeof(m->file));
	m->missing = sqlite3_column_int(st, 9);
}

static bool valid_folder(const char *f)
{
	return f && (!strcmp(f, "new") || !strcmp(f, "saved"));
}

int db_vm_box_get(struct db *db, int64_t tenant_id, const char *number,
		  struct db_vm_box *b)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !b || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_BOX_GET,
		      BOX_COLS "WHERE e.tenant_id = ?1 AND e.number = ?2", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	return db_fetch_row(db, st, row_box, b, "reading a mailbox");
}

static int box_set(struct db *db, const struct db_vm_box *b)
{
	sqlite3_stmt *st;
	int err;

	if (!db_fits(b->pin_hash, sizeof(b->pin_hash)) ||
	    !db_fits(b->email, sizeof(b->email)))
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_BOX_SET,
		      "UPDATE vm_boxes SET enabled = ?2, pin_hash = ?3, "
		      "max_messages = ?4, max_minutes = ?5, email = ?6, "
		      "email_attach = ?7 WHERE ext_id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, b->ext_id);
	sqlite3_bind_int(st, 2, b->enabled);
	db_bind_text(st, 3, b->pin_hash);
	sqlite3_bind_int(st, 4, b->max_messages);
	sqlite3_bind_int(st, 5, b->max_minutes);
	db_bind_text(st, 6, b->email);
	sqlite3_bind_int(st, 7, b->email_attach);
	return db_change_one(db, st, "changing a mailbox");
}

int db_vm_box_update(struct db *db, int64_t tenant_id, const char *number,
		     int (*edit)(struct db_vm_box *b, void *arg), void *arg)
{
	struct db_vm_box b;
	int err;

	if (!db || !edit || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_tx_begin(db);
	if (err)
		return err;
	err = db_vm_box_get(db, tenant_id, number, &b);
	if (!err)
		err = edit(&b, arg);
	if (!err)
		err = box_set(db, &b);
	return db_tx_end(db, err);
}

int db_vm_counts(struct db *db, int64_t ext_id, struct db_vm_counts *c)
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !c)
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_COUNTS,
		      "SELECT "
		      "count(*) FILTER (WHERE folder = 'new' AND "
		      "flagged_missing = 0), "
		      "count(*) FILTER (WHERE folder = 'saved' AND "
		      "flagged_missing = 0), "
		      "count(*) FILTER (WHERE flagged_missing = 1), "
		      "ifnull(sum(duration_ms) FILTER (WHERE "
		      "flagged_missing = 0), 0) "
		      "FROM vm_messages WHERE ext_id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, ext_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->new_msgs = sqlite3_column_int(st, 0);
		c->saved_msgs = sqlite3_column_int(st, 1);
		c->missing = sqlite3_column_int(st, 2);
		c->total_ms = sqlite3_column_int64(st, 3);
	} else {
		err = db_fail(db, rc, "counting messages");
	}
	db_done(st);
	return err;
}

/* The INSERT of db_vm_msg_add; the new id in *idp. */
static int insert_msg(struct db *db, const struct db_vm_msg *m, int64_t *idp)
{
	sqlite3_stmt *st;
	int err;

	err = db_stmt(db, DB_ST_VM_MSG_ADD,
		      "INSERT INTO vm_messages (tenant_id, ext_id, folder, "
		      "caller, caller_name, received_at, duration_ms, file) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, m->tenant_id);
	sqlite3_bind_int64(st, 2, m->ext_id);
	db_bind_text(st, 3, m->folder);
	db_bind_text(st, 4, m->caller);
	db_bind_text(st, 5, m->caller_name);
	sqlite3_bind_int64(st, 6, m->received_at);
	sqlite3_bind_int64(st, 7, m->duration_ms);
	db_bind_text(st, 8, m->file);
	err = db_exec_step(db, st, "adding a voicemail message");
	if (!err)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return err;
}

int db_vm_msg_add(struct db *db, const struct db_vm_msg *m, int64_t *idp)
{
	int64_t id = 0;
	int err;

	if (!db || !m || !valid_folder(m->folder) ||
	    !db_fits(m->caller, sizeof(m->caller)) ||
	    !db_fits(m->caller_name, sizeof(m->caller_name)) ||
	    !db_fits(m->file, sizeof(m->file)) || !m->file[0])
		return -EINVAL;
	/* The message and its mail in one transaction: a crash between two
	 * commits would leave a message whose mail nobody sends. */
	err = db_tx_begin(db);
	if (err)
		return err;
	err = insert_msg(db, m, &id);
	if (!err)
		err = db_vm_mail_add(db, id, time(NULL));
	err = db_tx_end(db, err);
	if (!err && idp)
		*idp = id;
	return err;
}

int db_vm_msg_get(struct db *db, int64_t tenant_id, int64_t ext_id, int64_t id,
		  struct db_vm_msg *m)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !m)
		return -EINVAL;
	/* Tenant and box in the WHERE clause: an id of another box is no
	 * message of this one. */
	err = db_stmt(
	    db, DB_ST_VM_MSG_GET,
	    MSG_COLS "WHERE id = ?3 AND tenant_id = ?1 AND ext_id = ?2", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, ext_id);
	sqlite3_bind_int64(st, 3, id);
	return db_fetch_row(db, st, db_vm_msg_read, m,
			    "reading a voicemail message");
}

int db_vm_msg_by_file(struct db *db, const char *file, struct db_vm_msg *m)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !m || !db_fits(file, DB_URI_LEN))
		return -EINVAL;
	err =
	    db_stmt(db, DB_ST_VM_MSG_BY_FILE, MSG_COLS "WHERE file = ?1", &st);
	if (err)
		return err;
	db_bind_text(st, 1, file);
	return db_fetch_row(db, st, db_vm_msg_read, m,
			    "looking up a voicemail file");
}

/* Steps a bound SELECT of MSG_COLS, calling h for each row. */
static int walk(struct db *db, sqlite3_stmt *st,
		int (*h)(const struct db_vm_msg *m, void *arg), void *arg,
		const char *what)
{
	struct db_vm_msg m;
	int rc, err = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		db_vm_msg_read(st, &m);
		err = h(&m, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, what);
	db_done(st);
	return err;
}

int db_vm_msg_list(struct db *db, int64_t tenant_id, int64_t ext_id,
		   const char *folder,
		   int (*h)(const struct db_vm_msg *m, void *arg), void *arg)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !h || (folder && !valid_folder(folder)))
		return -EINVAL;
	/* ?3 NULL: both folders. */
	err = db_stmt(db, DB_ST_VM_MSG_LIST,
		      MSG_COLS "WHERE tenant_id = ?1 AND ext_id = ?2 "
			       "AND (?3 IS NULL OR folder = ?3) "
			       "ORDER BY received_at DESC, id DESC",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, ext_id);
	if (folder)
		db_bind_text(st, 3, folder);
	return walk(db, st, h, arg, "listing voicemail messages");
}

int db_vm_msg_walk(struct db *db,
		   int (*h)(const struct db_vm_msg *m, void *arg), void *arg)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_MSG_WALK, MSG_COLS "ORDER BY id", &st);
	if (err)
		return err;
	return walk(db, st, h, arg, "walking voicemail messages");
}

int db_vm_msg_move(struct db *db, int64_t id, const char *folder,
		   const char *file)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !valid_folder(folder) || !db_fits(file, DB_URI_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_MSG_MOVE,
		      "UPDATE vm_messages SET folder = ?2, file = ?3, "
		      "flagged_missing = 0 WHERE id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, folder);
	db_bind_text(st, 3, file);
	return db_change_one(db, st, "moving a voicemail message");
}

int db_vm_msg_set_missing(struct db *db, int64_t id, int missing)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_MSG_MISSING,
		      "UPDATE vm_messages SET flagged_missing = ?2 "
		      "WHERE id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, missing ? 1 : 0);
	return db_change_one(db, st, "flagging a voicemail message");
}

int db_vm_msg_del(struct db *db, int64_t id)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_MSG_DEL,
		      "DELETE FROM vm_messages WHERE id = ?1", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	return db_change_one(db, st, "deleting a voicemail message");
}

int db_vm_tenant_boxes(struct db *db, int64_t tenant_id,
		       int (*h)(const struct db_vm_box_sum *b, void *arg),
		       void *arg)
{
	struct db_vm_box_sum b;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	/* From the messages to their extensions (vm_messages_tenant): the
	 * cost follows the messages kept, not the tenant's extensions. */
	err = db_stmt(db, DB_ST_VM_TENANT_BOXES,
		      "SELECT e.number, e.name, "
		      "count(*) FILTER (WHERE m.folder = 'new'), "
		      "count(*) FILTER (WHERE m.folder = 'saved') "
		      "FROM vm_messages m JOIN extensions e ON e.id = m.ext_id "
		      "WHERE m.tenant_id = ?1 AND m.flagged_missing = 0 "
		      "GROUP BY m.ext_id "
		      "ORDER BY length(e.number), e.number",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&b, 0, sizeof(b));
		db_col_text(st, 0, b.number, sizeof(b.number));
		db_col_text(st, 1, b.name, sizeof(b.name));
		b.new_msgs = sqlite3_column_int(st, 2);
		b.saved_msgs = sqlite3_column_int(st, 3);
		if ((err = h(&b, arg)))
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "summing a tenant's mailboxes");
	db_done(st);
	return err;
}
