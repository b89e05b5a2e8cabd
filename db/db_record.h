/* db_record.h - call recording settings (migrations/0007_recording.sql). */
#ifndef ONDO_DB_RECORD_H
#define ONDO_DB_RECORD_H

#include "db.h"

/*
 * Each extension and each route says when its calls are recorded. A call
 * is recorded by the strongest mode among its caller's, its callee's (an
 * extension dialled directly) and its route's: always > on-demand > never.
 * On demand, a feature code pressed during the call starts and stops it.
 */
enum db_record { DB_REC_NEVER, DB_REC_ON_DEMAND, DB_REC_ALWAYS };

/* "never", "on-demand", "always" -> the mode, else -EINVAL. */
int db_record_parse(const char *word);
const char *db_record_name(enum db_record mode);

/* -EINVAL for a bad mode, -ENOENT if there is no such extension/route. */
int db_ext_set_record(struct db *db, int64_t tenant_id, const char *number,
		      const char *mode);
int db_route_set_record(struct db *db, int64_t tenant_id, int64_t id,
			const char *mode);
/* The mode, or DB_REC_NEVER when there is no such row (a caller from a
 * trunk is no extension). Never fails: a database error is logged and
 * reads as "never". */
enum db_record db_ext_record(struct db *db, int64_t tenant_id,
			     const char *number);
enum db_record db_route_record(struct db *db, int64_t tenant_id, int64_t id);

/*
 * The feature code that starts, pauses and resumes an on-demand
 * recording, per tenant (migrations/0019_recordings.sql): 2 to
 * DB_REC_CODE_LEN - 1 of 0-9 * #, "*1" by default. It must not clash
 * with the in-call codes every call has (pbx/sip/call_keys.c: "##"
 * transfer, "*2" consult, "*70" park): neither may begin with the
 * other, or one of them could never be keyed.
 */
#define DB_REC_CODE_LEN	    5
#define DB_REC_CODE_DEFAULT "*1"
/* True if `code` may be a tenant's recording code; else false, and why
 * in words in `why` (may be NULL): "'*7' is the start of the in-call
 * code *70 (park)". */
bool db_record_code_why(const char *code, char *why, size_t len);
/* -EINVAL for a bad code (db_record_code_why), -ENOENT for no such
 * tenant. */
int db_tenant_set_record_code(struct db *db, const char *domain,
			      const char *code);
/* The tenant's code into `code`; DB_REC_CODE_DEFAULT when there is no
 * such tenant or its stored code is unusable (logged), so that it never
 * fails a call. */
void db_tenant_record_code(struct db *db, int64_t tenant_id,
			   char code[DB_REC_CODE_LEN]);

/*
 * The recordings of a call (migrations/0019_recordings.sql): one per
 * bridge that wrote audio, each its own WAV, listed with the call's CDR
 * in the order they began. cdr.recording names the first.
 */
#define DB_REC_MAX 16 /* recordings kept per call */
struct db_recording {
	int64_t id;
	int64_t tenant_id;
	int64_t cdr_id;
	int seq;	       /* 1, 2, ... */
	char path[DB_URI_LEN]; /* relative to the spool folder */
	int64_t started_us;
};

struct db_cdr;
/* Stores call record c and its recordings recs[0..n-1] (0 <= n <=
 * DB_REC_MAX; numbered 1..n in that order, tenant and CDR id taken from
 * c) in one transaction: a crash leaves both or neither. c->recording
 * should be recs[0]'s path (the caller sets it). 0, -EINVAL, -EIO. */
int db_cdr_insert_recs(struct db *db, const struct db_cdr *c,
		       const struct db_recording *recs, int n);
/* Calls h for each recording of CDR cdr_id of the tenant, by seq (none
 * for another tenant's record). A non-zero return stops the walk and is
 * returned. */
int db_recording_list(struct db *db, int64_t tenant_id, int64_t cdr_id,
		      int (*h)(const struct db_recording *r, void *arg),
		      void *arg);
/* Recording `seq` of CDR cdr_id of the tenant; -ENOENT if none. */
int db_recording_get(struct db *db, int64_t tenant_id, int64_t cdr_id, int seq,
		     struct db_recording *r);

#endif
