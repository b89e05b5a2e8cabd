/* db_tenant_cfg.h - a tenant's settings as a table of named fields: what
 * `ondoctl tenant name|codecs|main-number|emergency|timezone` and
 * PATCH /api/v1/tenants/{t} change, each with the one check and the one
 * rule both of them apply and say. */
#ifndef ONDO_DB_TENANT_CFG_H
#define ONDO_DB_TENANT_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* The settings, in the order they are shown. Adding one: a key here, its
 * row in db_tenant_cfg.c's table and its column in the SELECT there;
 * ondoctl and the API then take it by its name. */
enum db_tenant_key {
	DB_TK_NAME,
	DB_TK_CODECS,
	DB_TK_MAIN_NUMBER,
	DB_TK_EMERGENCY,
	DB_TK_TIMEZONE,
	DB_TK_RECORD_CODE,
	DB_TK_COUNT
};

/* The longest value of any setting, NUL included (the name's). */
#define DB_TENANT_VAL_LEN DB_NAME_LEN

struct db_tenant_setting {
	const char *key;  /* the API's field name: "main_number" */
	const char *what; /* in sentences: "main number" */
	const char *rule; /* what a good value is, in words */
	size_t len;	  /* its stored value's buffer, NUL included */
	/* True if `s` may be stored. */
	bool (*valid)(const char *s);
	/* Stores `value` (valid) for the tenant of `domain`: 0, -EINVAL,
	 * -ENOENT if there is no such tenant, -EIO. */
	int (*set)(struct db *db, const char *domain, const char *value);
	/* NULL, or the same check saying what exactly is wrong with `s`
	 * (false, and why in words, the value quoted). */
	bool (*why)(const char *s, char *why, size_t len);
};

/* Setting `k` (static); NULL for a key out of range. */
const struct db_tenant_setting *db_tenant_setting(int k);
/* The key of the setting the API calls `name`; -ENOENT if none. */
int db_tenant_key(const char *name);

/* Every setting's value of one tenant: val[DB_TK_...], as stored (the
 * codecs in their canonical spelling). */
struct db_tenant_cfg {
	char val[DB_TK_COUNT][DB_TENANT_VAL_LEN];
};
/* -ENOENT if there is no tenant `tenant_id`. */
int db_tenant_cfg_get(struct db *db, int64_t tenant_id,
		      struct db_tenant_cfg *c);

/* A change of some settings: val[k] is the new value of setting k, or
 * NULL where it stays. The strings are borrowed. */
struct db_tenant_change {
	const char *val[DB_TK_COUNT];
};
/* The key of the first value its setting's check refuses (in key order),
 * or -ENOENT if every value given passes. Pure. */
int db_tenant_change_check(const struct db_tenant_change *c);
/* Checks every value, then stores them all in one transaction: all or
 * nothing. 0; -EINVAL if a check fails (db_tenant_change_check says
 * which) or the domain is bad; -ENOENT if there is no such tenant; -EIO.
 * A change of nothing only looks the tenant up. */
int db_tenant_change_apply(struct db *db, const char *domain,
			   const struct db_tenant_change *c);

/* The tenant's display name (the name setting's check); -EINVAL, -ENOENT. */
int db_tenant_set_name(struct db *db, const char *domain, const char *name);

#endif
