/* db_live.h - answered calls that are still up (migrations/0020_live_calls
 * .sql), so that a crash loses none of their call records. */
#ifndef ONDO_DB_LIVE_H
#define ONDO_DB_LIVE_H

#include <stdint.h>

struct db;
struct db_cdr;
struct db_recording;

/* Notes an answered call: its tenant_id, call_id, caller, callee,
 * start_us and answer_us are read from `c`. */
int db_live_add(struct db *db, const struct db_cdr *c);
/* Stamps the time the daemon was last seen alive with calls up. */
int db_live_seen(struct db *db, int64_t now_us);
/* The call's CDR and recordings (as db_cdr_insert_recs) and the removal
 * of its live row (by call_id and start_us), in one transaction: a crash
 * leaves one or the other, never both or neither. */
int db_cdr_insert_live(struct db *db, const struct db_cdr *c,
		       const struct db_recording *recs, int n);
/* At start, before calls are taken: every row left by a daemon that did
 * not stop (a crash) becomes a CDR with disposition INTERRUPTED, ended at
 * the last alive stamp (never before its answer), and the table is
 * emptied. *np gets the number of CDRs written. */
int db_live_recover(struct db *db, int *np);

#endif
