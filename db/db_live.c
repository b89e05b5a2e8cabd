/* db_live.c - answered calls still up, and their CDRs after a crash. */
#include <errno.h>

#include "db_live.h"
#include "db_priv.h"
#include "db_record.h"

int db_live_add(struct db *db, const struct db_cdr *c)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !c || c->tenant_id <= 0 || !c->call_id[0] || !c->answer_us)
		return -EINVAL;
	/* OR REPLACE: a call that notes itself twice (a second answer after
	 * a transfer) keeps one row, with the later answer. */
	err = db_stmt(db, DB_ST_LIVE_ADD,
		      "INSERT OR REPLACE INTO live_calls (call_id, start_us, "
		      "tenant_id, caller, callee, answer_us) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		      &st);
	if (err)
		return err;
	db_bind_text(st, 1, c->call_id);
	sqlite3_bind_int64(st, 2, c->start_us);
	sqlite3_bind_int64(st, 3, c->tenant_id);
	db_bind_text(st, 4, c->caller);
	db_bind_text(st, 5, c->callee);
	sqlite3_bind_int64(st, 6, c->answer_us);
	err = db_exec_step(db, st, "noting a call that is up");
	db_done(st);
	return err;
}

int db_live_seen(struct db *db, int64_t now_us)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	err = db_stmt(db, DB_ST_LIVE_SEEN,
		      "INSERT OR REPLACE INTO alive (id, seen_us) VALUES (1, ?1)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, now_us);
	err = db_exec_step(db, st, "stamping the daemon alive");
	db_done(st);
	return err;
}

static int live_del(struct db *db, const struct db_cdr *c)
{
	sqlite3_stmt *st;
	int err;

	err = db_stmt(db, DB_ST_LIVE_DEL,
		      "DELETE FROM live_calls WHERE call_id = ?1 "
		      "AND start_us = ?2",
		      &st);
	if (err)
		return err;
	db_bind_text(st, 1, c->call_id);
	sqlite3_bind_int64(st, 2, c->start_us);
	err = db_exec_step(db, st, "ending a call that was up");
	db_done(st);
	return err;
}

int db_cdr_insert_live(struct db *db, const struct db_cdr *c,
		       const struct db_recording *recs, int n)
{
	int err;

	if (!db || !c || n < 0 || n > DB_REC_MAX || (n && !recs))
		return -EINVAL;
	err = db_tx_begin(db);
	if (err)
		return err;
	err = db_cdr_insert_rows(db, c, recs, n);
	if (!err)
		err = live_del(db, c);
	return db_tx_end(db, err);
}

/* The CDR of each row left over, unless the call has one (written but
 * not yet removed cannot happen in one transaction; this keeps a restore
 * from an older backup from doubling records). */
#define RECOVER_SQL                                                            \
	"INSERT INTO cdr (tenant_id, call_id, caller, callee, start_us, "     \
	"answer_us, end_us, duration, disposition, sip_status) "              \
	"SELECT l.tenant_id, l.call_id, l.caller, l.callee, l.start_us, "     \
	"l.answer_us, max(l.answer_us, ifnull(a.seen_us, 0)), "               \
	"(max(l.answer_us, ifnull(a.seen_us, 0)) - l.answer_us) / 1000000, " \
	"'INTERRUPTED', 200 FROM live_calls l LEFT JOIN alive a ON a.id = 1 " \
	"WHERE NOT EXISTS (SELECT 1 FROM cdr WHERE cdr.start_us = l.start_us " \
	"AND cdr.call_id = l.call_id)"

int db_live_recover(struct db *db, int *np)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !np)
		return -EINVAL;
	*np = 0;
	err = db_tx_begin(db);
	if (err)
		return err;
	err = db_stmt(db, DB_ST_LIVE_RECOVER, RECOVER_SQL, &st);
	if (!err) {
		err = db_exec_step(db, st, "recording interrupted calls");
		db_done(st);
	}
	if (!err)
		*np = sqlite3_changes(db->sql);
	if (!err)
		err = db_stmt(db, DB_ST_LIVE_CLEAR, "DELETE FROM live_calls", &st);
	if (!err) {
		err = db_exec_step(db, st, "recording interrupted calls");
		db_done(st);
	}
	err = db_tx_end(db, err);
	if (err)
		*np = 0;
	return err;
}
