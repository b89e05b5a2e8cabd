/* db_limits.h - limits against runaway use and toll fraud
 * (migrations/0018_limits.sql, docs/security.md "Limits"): a tenant's
 * calls at once, extensions and call length; an extension's calls at
 * once. A trunk's outbound calls per hour live with the trunk
 * (db_trunk.h, max_per_hour). 0 is "no limit" everywhere. */
#ifndef ONDO_DB_LIMITS_H
#define ONDO_DB_LIMITS_H

#include "db.h"

#define DB_LIMIT_CALLS_MAX	 100000	 /* calls at once */
#define DB_LIMIT_EXTS_MAX	 1000000 /* extensions of a tenant */
#define DB_LIMIT_CALL_SECS_MIN	 10	 /* a call's length, when limited */
#define DB_LIMIT_CALL_SECS_MAX	 604800	 /* a week */
#define DB_LIMIT_CALL_SECS_DEF	 14400	 /* four hours */
#define DB_LIMIT_PER_HOUR_MAX	 1000000 /* a trunk's outbound calls */

struct db_limits {
	int max_calls;	    /* the tenant's calls at once */
	int max_extensions; /* its extensions */
	int max_call_secs;  /* how long one answered call may last */
};

/* Checks every field: 0, or -EINVAL with one line in err that starts
 * with the field's name ("max_calls: 0 (none) to 100000"). */
int db_limits_check(const struct db_limits *l, char *err, size_t errlen);
/* Tenant tenant_id's limits into *l; -ENOENT if there is no tenant. */
int db_limits_get(struct db *db, int64_t tenant_id, struct db_limits *l);
/* Stores l (checked first: -EINVAL with err); -ENOENT if there is no
 * tenant. A lower max_extensions than the tenant has is stored: it only
 * stops new ones. */
int db_limits_set(struct db *db, int64_t tenant_id, const struct db_limits *l,
		  char *err, size_t errlen);

/* Extension `number`'s calls at once: >= 0, or -ENOENT, -EIO. */
int db_ext_max_calls(struct db *db, int64_t tenant_id, const char *number);
/* Sets it (0: none, up to DB_LIMIT_CALLS_MAX); -EINVAL, -ENOENT. */
int db_ext_set_max_calls(struct db *db, int64_t tenant_id, const char *number,
			 int max_calls);

#endif
