/* db_vm_mail.c - the voicemail email queue: what is due, tries, removal. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "db_vm_mail.h"

/* The message's columns first, in db_vm_msg_read's order, then the
 * queue's, the box's and the tenant's (columns 10 to 22). */
#define MAIL_COLS                                                              \
	"SELECT m.id, m.tenant_id, m.ext_id, m.folder, m.caller, "             \
	"m.caller_name, m.received_at, m.duration_ms, m.file, "                \
	"m.flagged_missing, "                                                  \
	"q.id, q.tenant_id, q.msg_id, q.rcpt, q.attach, q.attempts, "          \
	"q.next_at, q.created, q.last_error, t.domain, e.number, e.name, "     \
	"t.timezone "                                                          \
	"FROM vm_mail_queue q JOIN vm_messages m ON m.id = q.msg_id "          \
	"JOIN extensions e ON e.id = m.ext_id "                                \
	"JOIN tenants t ON t.id = q.tenant_id "

static void row_mail(sqlite3_stmt *st, void *out)
{
	struct db_vm_mail *q = out;

	memset(q, 0, sizeof(*q));
	db_vm_msg_read(st, &q->msg);
	q->id = sqlite3_column_int64(st, 10);
	q->tenant_id = sqlite3_column_int64(st, 11);
	q->msg_id = sqlite3_column_int64(st, 12);
	db_col_text(st, 13, q->rcpt, sizeof(q->rcpt));
	q->attach = sqlite3_column_int(st, 14);
	q->attempts = sqlite3_column_int(st, 15);
	q->next_at = sqlite3_column_int64(st, 16);
	q->created = sqlite3_column_int64(st, 17);
	db_col_text(st, 18, q->last_error, sizeof(q->last_error));
	db_col_text(st, 19, q->domain, sizeof(q->domain));
	db_col_text(st, 20, q->ext, sizeof(q->ext));
	db_col_text(st, 21, q->ext_name, sizeof(q->ext_name));
	db_col_text(st, 22, q->timezone, sizeof(q->timezone));
}

int db_vm_mail_add(struct db *db, int64_t msg_id, int64_t now)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	/* The address is copied now: a box whose address changes later
	 * does not send a message left before to the new one. A box with
	 * no address selects no row and inserts nothing. */
	err = db_stmt(db, DB_ST_VM_MAIL_ADD,
		      "INSERT INTO vm_mail_queue (tenant_id, msg_id, rcpt, "
		      "attach, next_at, created) "
		      "SELECT m.tenant_id, m.id, b.email, b.email_attach, ?2, "
		      "?2 FROM vm_messages m "
		      "JOIN vm_boxes b ON b.ext_id = m.ext_id "
		      "WHERE m.id = ?1 AND b.email <> ''",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, msg_id);
	sqlite3_bind_int64(st, 2, now);
	err = db_exec_step(db, st, "queueing a voicemail email");
	db_done(st);
	return err;
}

int db_vm_mail_next(struct db *db, int64_t now, struct db_vm_mail *m)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !m)
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_MAIL_NEXT,
		      MAIL_COLS "WHERE q.next_at <= ?1 "
				"ORDER BY q.next_at, q.id LIMIT 1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, now);
	return db_fetch_row(db, st, row_mail, m, "reading the email queue");
}

int db_vm_mail_next_at(struct db *db, int64_t *atp)
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !atp)
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_MAIL_NEXT_AT,
		      "SELECT min(next_at) FROM vm_mail_queue", &st);
	if (err)
		return err;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		err = db_fail(db, rc, "reading the email queue");
	else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		err = -ENOENT;
	else
		*atp = sqlite3_column_int64(st, 0);
	db_done(st);
	return err;
}

int db_vm_mail_retry(struct db *db, int64_t id, int attempts, int64_t next_at,
		     const char *error)
{
	char why[DB_VM_MAIL_ERR_LEN];
	sqlite3_stmt *st;
	int err;

	if (!db || attempts < 0)
		return -EINVAL;
	/* Cut, not refused: a long server answer is still worth keeping. */
	snprintf(why, sizeof(why), "%s", error ? error : "");
	err = db_stmt(db, DB_ST_VM_MAIL_RETRY,
		      "UPDATE vm_mail_queue SET attempts = ?2, next_at = ?3, "
		      "last_error = ?4 WHERE id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, attempts);
	sqlite3_bind_int64(st, 3, next_at);
	db_bind_text(st, 4, why);
	return db_change_one(db, st, "rescheduling a voicemail email");
}

int db_vm_mail_del(struct db *db, int64_t id)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_MAIL_DEL,
		      "DELETE FROM vm_mail_queue WHERE id = ?1", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	return db_change_one(db, st, "removing a voicemail email");
}

int db_vm_mail_list(struct db *db, int64_t tenant_id,
		    int (*h)(const struct db_vm_mail *m, void *arg), void *arg)
{
	struct db_vm_mail m;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	/* ?1 0: every tenant. */
	err = db_stmt(db, DB_ST_VM_MAIL_LIST,
		      MAIL_COLS "WHERE ?1 = 0 OR q.tenant_id = ?1 "
				"ORDER BY q.next_at, q.id",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_mail(st, &m);
		err = h(&m, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing the email queue");
	db_done(st);
	return err;
}

int db_vm_mail_boxes(struct db *db, int *np)
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !np)
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_MAIL_BOXES,
		      "SELECT count(*) FROM vm_boxes WHERE email <> ''", &st);
	if (err)
		return err;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*np = sqlite3_column_int(st, 0);
	else
		err = db_fail(db, rc, "counting mailboxes with email");
	db_done(st);
	return err;
}
