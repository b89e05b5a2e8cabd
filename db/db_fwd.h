/* db_fwd.h - an extension's call forwards and do-not-disturb
 * (migrations/0015_forward.sql, docs/forwarding.md). */
#ifndef ONDO_DB_FWD_H
#define ONDO_DB_FWD_H

#include "db.h"

/* When a forward applies. The words are what is stored and typed. */
enum db_fwd_kind {
	DB_FWD_ALWAYS,	 /* "always": every call, before any phone rings */
	DB_FWD_BUSY,	 /* "busy": every phone busy, or DND */
	DB_FWD_NOANSWER, /* "noanswer": nobody answered in time */
	DB_FWD_UNREG,	 /* "unregistered": no phone registered */
	DB_FWD_NKINDS
};

/* Where a forward goes. */
enum db_fwd_type {
	DB_FWD_NONE,	  /* not set */
	DB_FWD_EXT,	  /* "extension": an extension of the same tenant */
	DB_FWD_NUMBER,	  /* "number": a number of the tenant's dialplan */
	DB_FWD_VOICEMAIL, /* "voicemail": the mailbox of extension dest */
};

/* Seconds a noanswer forward may ring first: 0 (the extension's ring
 * timeout) or DB_RING_TIMEOUT_MIN..DB_RING_TIMEOUT_MAX. */
struct db_fwd_target {
	enum db_fwd_type type;
	char dest[DB_NUMBER_LEN];
	int after_s; /* noanswer only; 0 elsewhere */
};

/* An extension's whole forwarding state. */
struct db_fwd {
	int dnd;
	struct db_fwd_target t[DB_FWD_NKINDS]; /* by enum db_fwd_kind */
};

/* "always" <-> DB_FWD_ALWAYS...; -EINVAL / NULL for others. */
int db_fwd_kind_parse(const char *word);
const char *db_fwd_kind_name(enum db_fwd_kind k);
/* "extension", "number", "voicemail" <-> the types; -EINVAL / NULL ("none"
 * is not a stored type). */
int db_fwd_type_parse(const char *word);
const char *db_fwd_type_name(enum db_fwd_type t);

/* The forwards and DND of extension `number` of the tenant; kinds not set
 * have type DB_FWD_NONE. -ENOENT if there is no such extension. */
int db_fwd_get(struct db *db, int64_t tenant_id, const char *number,
	       struct db_fwd *f);
/* Sets forward `kind` of the extension to `t`, or removes it (t NULL or
 * type DB_FWD_NONE). Only the shape is checked here (a dialable dest, the
 * after range); whether the dest exists is fwd_target_check's
 * (pbx/dialplan/fwd.h). -ENOENT: no such extension; -EINVAL. */
int db_fwd_set(struct db *db, int64_t tenant_id, const char *number,
	       enum db_fwd_kind kind, const struct db_fwd_target *t);
/* Turns do-not-disturb on (1) or off (0). -ENOENT: no such extension. */
int db_ext_set_dnd(struct db *db, int64_t tenant_id, const char *number,
		   int on);

#endif
