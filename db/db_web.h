/* db_web.h - web panel users, API tokens and the audit log (migration
 * 0012). The HTTP side (web/) checks roles and tenants; these functions
 * only store and find. */
#ifndef ONDO_DB_WEB_H
#define ONDO_DB_WEB_H

#include <stdbool.h>
#include <stdint.h>
#include "db.h"

#define DB_WEB_USER_LEN 64   /* username */
#define DB_WEB_HASH_LEN 128  /* crypto_pwhash_STRBYTES */
#define DB_WEB_SHA_LEN	 65   /* SHA-256 in hex */
#define DB_WEB_AUDIT_LEN 256 /* object and detail */

enum db_web_role { DB_WEB_USER, DB_WEB_ADMIN, DB_WEB_SUPERADMIN };

struct db_web_user {
	int64_t id;
	char username[DB_WEB_USER_LEN];
	char pass_hash[DB_WEB_HASH_LEN];
	enum db_web_role role;
	int64_t tenant_id;		/* 0 for a superadmin */
	char domain[DB_DOMAIN_LEN];	/* "" for a superadmin */
	int64_t ext_id;			/* users only, else 0 */
	char ext[DB_NUMBER_LEN];	/* its number, "" */
};

/* "superadmin", "admin", "user" <-> the enum; -EINVAL. */
const char *db_web_role_name(enum db_web_role r);
int db_web_role_parse(const char *s);
/* 1 to 63 of a-z A-Z 0-9 . _ @ - */
bool db_web_valid_username(const char *s);

/* Adds a user; tenant_id 0 and ext_id 0 where the role has none.
 * -EEXIST for a taken name (any case), -EINVAL, -ENOENT (no tenant or
 * extension). */
int db_web_user_add(struct db *db, const struct db_web_user *u,
		    int64_t *idp);
int db_web_user_by_name(struct db *db, const char *username,
			struct db_web_user *u);
int db_web_user_by_id(struct db *db, int64_t id, struct db_web_user *u);
int db_web_user_set_hash(struct db *db, int64_t id, const char *hash);
/* Deletes user `id`; with tenant_id non-zero only a user of that tenant. */
int db_web_user_del(struct db *db, int64_t tenant_id, int64_t id);
/* Users of a tenant (tenant_id 0: all), by name. */
int db_web_user_list(struct db *db, int64_t tenant_id,
		     int (*h)(const struct db_web_user *u, void *arg),
		     void *arg);

int db_web_token_add(struct db *db, int64_t user_id, const char *name,
		     const char *sha256, int64_t *idp);
/* The user a token (by its SHA-256) belongs to; -ENOENT. */
int db_web_token_user(struct db *db, const char *sha256,
		      struct db_web_user *u);

struct db_web_audit {
	int64_t id;
	int64_t at;
	char username[DB_WEB_USER_LEN];
	char tenant[DB_DOMAIN_LEN];
	char action[DB_WEB_AUDIT_LEN];
	char object[DB_WEB_AUDIT_LEN];
	char detail[DB_WEB_AUDIT_LEN];
	char source[64];
};

/* Appends a row (id and at are set here); strings are cut to fit. */
int db_web_audit_add(struct db *db, const struct db_web_audit *a);
/* Newest first, rows with id < before (0: from the newest), at most
 * limit; tenant "" or NULL for all tenants. */
int db_web_audit_list(struct db *db, const char *tenant, int64_t before,
		      int limit,
		      int (*h)(const struct db_web_audit *a, void *arg),
		      void *arg);

#endif
