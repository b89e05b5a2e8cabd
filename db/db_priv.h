/* db_priv.h - the layout of struct db and helpers shared by the db/ code. */
#ifndef ONDO_DB_PRIV_H
#define ONDO_DB_PRIV_H

#include <sqlite3.h>

#include "db.h"
#include "db_trunk.h"
#include "db_timecond.h"

/* One slot per query. Each statement is compiled on first use and kept for
 * the life of the connection (SQLITE_PREPARE_PERSISTENT), so the hot
 * per-request lookups cost a bind and a step, not a parse. */
enum db_stmt_id {
	DB_ST_TENANT_ADD,
	DB_ST_TENANT_DEL,
	DB_ST_TENANT_BY_DOMAIN,
	DB_ST_TENANT_BY_ID,
	DB_ST_TENANT_LIST,
	DB_ST_TENANT_CODECS,
	DB_ST_TENANT_NAME,
	DB_ST_TENANT_CFG,
	DB_ST_EXT_ADD,
	DB_ST_EXT_DEL,
	DB_ST_EXT_PASSWD,
	DB_ST_EXT_RING,
	DB_ST_EXT_GET,
	DB_ST_EXT_LIST,
	DB_ST_REG_SAVE,
	DB_ST_REG_DEL,
	DB_ST_REG_DEL_EXT,
	DB_ST_REG_EXPIRE,
	DB_ST_REG_LIST,
	DB_ST_REG_LIST_ALL,
	DB_ST_REG_LOAD,
	DB_ST_CDR_INSERT,
	DB_ST_CDR_LIST,
	DB_ST_CDR_LIST_ALL,
	DB_ST_ROUTE_ADD,
	DB_ST_ROUTE_DEL,
	DB_ST_ROUTE_LIST,
	DB_ST_IVR_MENU_ADD,
	DB_ST_IVR_MENU_UPDATE,
	DB_ST_IVR_MENU_GET,
	DB_ST_IVR_MENU_DEL,
	DB_ST_IVR_MENU_LIST,
	DB_ST_IVR_MENU_TENANT,
	DB_ST_ROUTE_RUNNING,
	DB_ST_IVR_REF_OPTION,
	DB_ST_IVR_REF_FALLBACK,
	DB_ST_IVR_OPT_SET,
	DB_ST_IVR_OPT_DEL,
	DB_ST_IVR_OPT_LIST,
	DB_ST_TRUNK_ADD,
	DB_ST_TRUNK_UPDATE,
	DB_ST_TRUNK_GET,
	DB_ST_TRUNK_BY_ID,
	DB_ST_TRUNK_DEL,
	DB_ST_TRUNK_LIST,
	DB_ST_DID_ADD,
	DB_ST_DID_SET,
	DB_ST_DID_GET,
	DB_ST_DID_DEL,
	DB_ST_DID_LIST,
	DB_ST_EXT_COS,
	DB_ST_EXT_DID,
	DB_ST_EXT_OUT,
	DB_ST_TENANT_MAIN,
	DB_ST_TENANT_EMERGENCY,
	DB_ST_TENANT_OUT,
	DB_ST_ROUTE_SET_COS,
	DB_ST_ROUTE_COS,
	DB_ST_EXT_SET_RECORD,
	DB_ST_EXT_RECORD,
	DB_ST_ROUTE_SET_RECORD,
	DB_ST_ROUTE_RECORD,
	DB_ST_TENANT_TZ_SET,
	DB_ST_TENANT_TZ,
	DB_ST_TC_ADD,
	DB_ST_TC_UPDATE,
	DB_ST_TC_GET,
	DB_ST_TC_DEL,
	DB_ST_TC_LIST,
	DB_ST_TC_REF_DID,
	DB_ST_TC_RULE_ADD,
	DB_ST_TC_RULE_DEL,
	DB_ST_TC_RULE_LIST,
	DB_ST_TC_RULE_COUNT,
	DB_ST_TC_HOL_ADD,
	DB_ST_TC_HOL_DEL,
	DB_ST_TC_HOL_LIST,
	DB_ST_TC_HOL_COUNT,
	DB_ST_VM_BOX_GET,
	DB_ST_VM_BOX_SET,
	DB_ST_VM_COUNTS,
	DB_ST_VM_MSG_ADD,
	DB_ST_VM_MSG_GET,
	DB_ST_VM_MSG_BY_FILE,
	DB_ST_VM_MSG_LIST,
	DB_ST_VM_MSG_WALK,
	DB_ST_VM_MSG_MOVE,
	DB_ST_VM_MSG_MISSING,
	DB_ST_VM_MSG_DEL,
	DB_ST_VM_TENANT_GET,
	DB_ST_VM_TENANT_SET,
	DB_ST_VM_TENANT_BOXES,
	DB_ST_EXT_NAME,
	DB_ST_CDR_SEARCH,
	DB_ST_CDR_GET,
	DB_ST_CDR_SEARCH_EXT,
	DB_ST_EXT_COUNT,
	DB_ST_EXT_SEARCH,
	DB_ST_EXT_PAGE,
	DB_ST_WEB_USER_ADD,
	DB_ST_WEB_USER_BY_NAME,
	DB_ST_WEB_USER_BY_ID,
	DB_ST_WEB_USER_HASH,
	DB_ST_WEB_USER_DEL,
	DB_ST_WEB_USER_LIST,
	DB_ST_WEB_TOKEN_ADD,
	DB_ST_WEB_TOKEN_USER,
	DB_ST_WEB_AUDIT_ADD,
	DB_ST_WEB_AUDIT_LIST,
	DB_ST_VM_MAIL_ADD,
	DB_ST_VM_MAIL_NEXT,
	DB_ST_VM_MAIL_NEXT_AT,
	DB_ST_VM_MAIL_RETRY,
	DB_ST_VM_MAIL_DEL,
	DB_ST_VM_MAIL_LIST,
	DB_ST_VM_MAIL_BOXES,
	DB_ST_ROOM_ADD,
	DB_ST_ROOM_UPDATE,
	DB_ST_ROOM_GET,
	DB_ST_ROOM_DEL,
	DB_ST_ROOM_LIST,
	DB_ST_ROOM_REC_ADD,
	DB_ST_ROOM_REC_GET,
	DB_ST_ROOM_REC_DEL,
	DB_ST_ROOM_REC_LIST,
	DB_ST_MSG_COUNT,
	DB_ST_MSG_ADD,
	DB_ST_MSG_LIST,
	DB_ST_MSG_DEL,
	DB_ST_MSG_EXPIRE,
	DB_ST_FWD_EXT,
	DB_ST_FWD_LIST,
	DB_ST_FWD_SET,
	DB_ST_FWD_DEL,
	DB_ST_FWD_DND,
	DB_ST_RG_ADD,
	DB_ST_RG_UPDATE,
	DB_ST_RG_GET,
	DB_ST_RG_DEL,
	DB_ST_RG_LIST,
	DB_ST_RG_MEMBERS,
	DB_ST_RG_MEMBER_ADD,
	DB_ST_RG_MEMBERS_CLEAR,
	DB_ST_EXT_SET_PICKUP,
	DB_ST_EXT_PICKUP,
	DB_ST_PARK_GET,
	DB_ST_PARK_SET,
	DB_ST_PARK_CLASH,
	DB_ST_LIMITS_GET,
	DB_ST_LIMITS_SET,
	DB_ST_EXT_MAX_CALLS,
	DB_ST_EXT_SET_MAX_CALLS,
	DB_ST_REC_ADD,
	DB_ST_REC_LIST,
	DB_ST_REC_GET,
	DB_ST_TENANT_SET_REC_CODE,
	DB_ST_TENANT_REC_CODE,
	DB_ST_LIVE_ADD,
	DB_ST_LIVE_DEL,
	DB_ST_LIVE_SEEN,
	DB_ST_LIVE_RECOVER,
	DB_ST_LIVE_CLEAR,
	DB_ST_COUNT
};

struct db {
	sqlite3 *sql;		       /* owned; closed by db_close */
	sqlite3_stmt *st[DB_ST_COUNT]; /* owned; NULL until first use */
};

/* A step from schema version `version - 1` to `version`. */
struct db_migration {
	int version;
	const char *sql;
};

/* Generated into sql_embed.c by db/embed_sql.sh. db_migrations is sorted by
 * version and has db_nmigrations entries before a {0, NULL} terminator. */
extern const char *const db_sql_schema;
extern const struct db_migration db_migrations[];
extern const int db_nmigrations;

/* db_open with a given migration list instead of the embedded one: the
 * unit tests use it to check the mechanism while db/migrations is empty.
 * `migs` is borrowed for the duration of the call. */
int db_open_with(struct db **dbp, const char *path,
		 const struct db_migration *migs, int nmigs);

/* Returns in *stp the cached statement `id`, compiling `sql` on first use.
 * The statement is reset and unbound; the caller binds, steps and ends
 * with db_done(). 0 or -EIO (logged). */
int db_stmt(struct db *db, enum db_stmt_id id, const char *sql,
	    sqlite3_stmt **stp);

/* Resets `st` for its next use and releases its bindings. */
void db_done(sqlite3_stmt *st);

/* Maps a failed sqlite3_step() result to an errno: a taken unique or
 * primary key is -EEXIST, a missing parent row (foreign key) -ENOENT,
 * a too-long value -EINVAL; anything else is logged with `what` and is
 * -EIO. */
int db_fail(struct db *db, int rc, const char *what);

/* Steps a statement that returns no rows; 0 or db_fail()'s errno. */
int db_exec_step(struct db *db, sqlite3_stmt *st, const char *what);

/* Steps a bound UPDATE or DELETE meant for one row and resets it
 * (db_done): 0, -ENOENT if it matched no row, or db_fail()'s errno. */
int db_change_one(struct db *db, sqlite3_stmt *st, const char *what);

/* Runs `sql` (an UPDATE of one text column to ?3 in the extension of
 * tenant ?1 and number ?2) as statement `id`; -ENOENT if there is none. */
int db_ext_set_text(struct db *db, enum db_stmt_id id, const char *sql,
		    int64_t key1, const char *key2, const char *value,
		    const char *what);
/* The same for route ?2 of tenant ?1. */
int db_route_set_text(struct db *db, enum db_stmt_id id, const char *sql,
		      int64_t tenant_id, int64_t route_id, const char *value,
		      const char *what);
/* Steps a bound SELECT expected to return at most one row, lets `row`
 * read it into `out`, and resets it; -ENOENT for no row. */
int db_fetch_row(struct db *db, sqlite3_stmt *st,
		 void (*row)(sqlite3_stmt *st, void *out), void *out,
		 const char *what);
/* Steps a bound SELECT of one text column expected to return at most one
 * row into buf (len bytes) and resets it; -ENOENT for no row. */
int db_fetch_text(struct db *db, sqlite3_stmt *st, char *buf, size_t len,
		  const char *what);

/* Reads a row of db_vm.c's message columns (id, tenant_id, ext_id,
 * folder, caller, caller_name, received_at, duration_ms, file,
 * flagged_missing, in that order, from column 0) into a struct db_vm_msg
 * `out`. */
void db_vm_msg_read(sqlite3_stmt *st, void *out);

/* Copies column `col` of the current row into `buf` of `len` bytes,
 * truncating; NULL becomes "". */
void db_col_text(sqlite3_stmt *st, int col, char *buf, size_t len);

/* Binds `s` as text; NULL binds "". Returns sqlite's result code. */
int db_bind_text(sqlite3_stmt *st, int idx, const char *s);

/* True if `s` is a string that fits a buffer of `len` bytes. */
bool db_fits(const char *s, size_t len);

/* A write transaction around a check and the write it allows, so that no
 * other connection changes what was checked in between. db_tx_begin takes
 * the write lock at once (BEGIN IMMEDIATE; it waits up to the busy
 * timeout); db_tx_end commits if `err` is 0, else rolls back, and returns
 * `err`, or -EIO (logged) if the commit failed. Not nestable. */
int db_tx_begin(struct db *db);
int db_tx_end(struct db *db, int err);

/* A CDR row and its recordings (db_recordings.c), inside the caller's
 * transaction. */
struct db_recording;
int db_cdr_insert_rows(struct db *db, const struct db_cdr *c,
		       const struct db_recording *recs, int n);

/* Runs a statement bound here to (?1 tenant_id, ?2 name) that returns at
 * most one row: 1 if it did (left on that row for the caller to read), 0
 * if not, or an errno. The caller calls db_done(). */
int db_named_row(struct db *db, sqlite3_stmt *st, int64_t tenant_id,
		 const char *name, const char *what);

/* The oldest route of the tenant that runs `app` with exactly `args`
 * (ondoctl stores an ivr or timecond route's args as the bare name): 0
 * with its id in *idp, -ENOENT if there is none, or an errno. */
int db_route_running(struct db *db, int64_t tenant_id, const char *app,
		     const char *args, int64_t *idp);

/* A tenant's row that others point at by its name (an IVR menu, a time
 * condition), for db_del_named. */
struct db_named {
	/* 0 with the row's id in *idp, or -ENOENT */
	int (*find)(struct db *db, int64_t tenant_id, const char *name,
		    int64_t *idp);
	/* 0 if nothing points at it, -EBUSY if something does, or an errno */
	int (*in_use)(struct db *db, int64_t tenant_id, const char *name);
	enum db_stmt_id del_id;
	const char *del_sql; /* DELETE ... WHERE id = ?1 */
	const char *what;    /* "deleting an IVR menu", for the log */
};

/* Deletes the tenant's row `name` unless something points at it, the
 * check and the delete in one transaction. 0, -ENOENT, -EBUSY, -EIO. */
int db_del_named(struct db *db, const struct db_named *k, int64_t tenant_id,
		 const char *name);

/* A codec list (db_codecs_parse) in the one spelling that is stored:
 * upper case, no blanks ("pcmu, g722" is "PCMU,G722"). 0 or -EINVAL. */
int db_codecs_canon(const char *s, char out[DB_CODECS_LEN]);

/* Sets one text column of the tenant of `domain`: `sql` (statement `id`)
 * updates it to ?2 where the domain is ?1. -EINVAL for a bad domain,
 * -ENOENT if there is no such tenant. */
int db_set_tenant_text(struct db *db, enum db_stmt_id id, const char *sql,
		       const char *domain, const char *value, const char *what);

/* Copies `domain` lower-cased into `out` (DB_DOMAIN_LEN bytes); -EINVAL if
 * it is NULL or too long. */
int db_domain_lower(char out[DB_DOMAIN_LEN], const char *domain);

#endif
