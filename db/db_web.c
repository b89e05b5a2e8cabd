/* db_web.c - web users, API tokens, audit log. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db_priv.h"
#include "db_web.h"

static const char *const roles[] = {"user", "admin", "superadmin"};

#define USER_COLS                                                              \
	"SELECT u.id, u.username, u.pass_hash, u.role, "                       \
	"ifnull(u.tenant_id, 0), ifnull(t.domain, ''), ifnull(u.ext_id, 0), "  \
	"ifnull(e.number, '') FROM web_users u "                               \
	"LEFT JOIN tenants t ON t.id = u.tenant_id "                           \
	"LEFT JOIN extensions e ON e.id = u.ext_id "

const char *db_web_role_name(enum db_web_role r)
{
	return (unsigned)r < 3 ? roles[r] : "?";
}

int db_web_role_parse(const char *s)
{
	for (int i = 0; s && i < 3; i++)
		if (!strcmp(s, roles[i]))
			return i;
	return -EINVAL;
}

bool db_web_valid_username(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 1 || n >= DB_WEB_USER_LEN)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._@-", *s))
			return false;
	return true;
}

static void row_user(sqlite3_stmt *st, void *out)
{
	struct db_web_user *u = out;
	char role[16];

	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	db_col_text(st, 1, u->username, sizeof(u->username));
	db_col_text(st, 2, u->pass_hash, sizeof(u->pass_hash));
	db_col_text(st, 3, role, sizeof(role));
	u->role = (enum db_web_role)db_web_role_parse(role);
	u->tenant_id = sqlite3_column_int64(st, 4);
	db_col_text(st, 5, u->domain, sizeof(u->domain));
	u->ext_id = sqlite3_column_int64(st, 6);
	db_col_text(st, 7, u->ext, sizeof(u->ext));
}

static void bind_opt_id(sqlite3_stmt *st, int idx, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, idx, id);
	else
		sqlite3_bind_null(st, idx);
}

int db_web_user_add(struct db *db, const struct db_web_user *u, int64_t *idp)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !u || !db_web_valid_username(u->username) ||
	    !u->pass_hash[0] || !db_fits(u->pass_hash, sizeof(u->pass_hash)) ||
	    (unsigned)u->role > DB_WEB_SUPERADMIN ||
	    (u->role == DB_WEB_SUPERADMIN) != (u->tenant_id == 0) ||
	    (u->role == DB_WEB_USER) != (u->ext_id != 0))
		return -EINVAL;
	err = db_stmt(db, DB_ST_WEB_USER_ADD,
		      "INSERT INTO web_users (username, pass_hash, role, "
		      "tenant_id, ext_id) VALUES (?1, ?2, ?3, ?4, ?5)",
		      &st);
	if (err)
		return err;
	db_bind_text(st, 1, u->username);
	db_bind_text(st, 2, u->pass_hash);
	db_bind_text(st, 3, roles[u->role]);
	bind_opt_id(st, 4, u->tenant_id);
	bind_opt_id(st, 5, u->ext_id);
	err = db_exec_step(db, st, "adding a web user");
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return err;
}

int db_web_user_by_name(struct db *db, const char *username,
			struct db_web_user *u)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !u || !db_web_valid_username(username))
		return -ENOENT;
	err = db_stmt(db, DB_ST_WEB_USER_BY_NAME,
		      USER_COLS "WHERE u.username = ?1", &st);
	if (err)
		return err;
	db_bind_text(st, 1, username);
	return db_fetch_row(db, st, row_user, u, "reading a web user");
}

int db_web_user_by_id(struct db *db, int64_t id, struct db_web_user *u)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !u)
		return -EINVAL;
	err = db_stmt(db, DB_ST_WEB_USER_BY_ID, USER_COLS "WHERE u.id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	return db_fetch_row(db, st, row_user, u, "reading a web user");
}

int db_web_user_set_hash(struct db *db, int64_t id, const char *hash)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !hash || !hash[0] || !db_fits(hash, DB_WEB_HASH_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_WEB_USER_HASH,
		      "UPDATE web_users SET pass_hash = ?2 WHERE id = ?1", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, hash);
	return db_change_one(db, st, "setting a web password");
}

int db_web_user_del(struct db *db, int64_t tenant_id, int64_t id)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	err = db_stmt(db, DB_ST_WEB_USER_DEL,
		      "DELETE FROM web_users WHERE id = ?1 AND "
		      "(?2 = 0 OR tenant_id = ?2)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, tenant_id);
	return db_change_one(db, st, "deleting a web user");
}

int db_web_user_list(struct db *db, int64_t tenant_id,
		     int (*h)(const struct db_web_user *u, void *arg),
		     void *arg)
{
	struct db_web_user u;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_WEB_USER_LIST,
		      USER_COLS "WHERE ?1 = 0 OR u.tenant_id = ?1 "
				"ORDER BY u.username",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_user(st, &u);
		if ((err = h(&u, arg)))
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing web users");
	db_done(st);
	return err;
}

int db_web_token_add(struct db *db, int64_t user_id, const char *name,
		     const char *sha256, int64_t *idp)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !name || !*name || !db_fits(name, DB_WEB_USER_LEN) ||
	    !sha256 || strlen(sha256) != DB_WEB_SHA_LEN - 1)
		return -EINVAL;
	err = db_stmt(db, DB_ST_WEB_TOKEN_ADD,
		      "INSERT INTO api_tokens (user_id, name, token_sha256) "
		      "VALUES (?1, ?2, ?3)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, user_id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, sha256);
	err = db_exec_step(db, st, "adding an API token");
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return err;
}

int db_web_token_user(struct db *db, const char *sha256,
		      struct db_web_user *u)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !u || !sha256)
		return -EINVAL;
	err = db_stmt(db, DB_ST_WEB_TOKEN_USER,
		      USER_COLS "JOIN api_tokens k ON k.user_id = u.id "
				"WHERE k.token_sha256 = ?1",
		      &st);
	if (err)
		return err;
	db_bind_text(st, 1, sha256);
	return db_fetch_row(db, st, row_user, u, "reading an API token");
}

/* Binds s cut to fit len bytes (the audit log takes what it is given). */
static void bind_cut(sqlite3_stmt *st, int idx, const char *s, size_t len)
{
	size_t n = s ? strnlen(s, len - 1) : 0;

	sqlite3_bind_text(st, idx, s ? s : "", (int)n, SQLITE_TRANSIENT);
}

int db_web_audit_add(struct db *db, const struct db_web_audit *a)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !a)
		return -EINVAL;
	err = db_stmt(db, DB_ST_WEB_AUDIT_ADD,
		      "INSERT INTO audit_log (at, username, tenant, action, "
		      "object, detail, source) VALUES (?1, ?2, ?3, ?4, ?5, "
		      "?6, ?7)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, (int64_t)time(NULL));
	bind_cut(st, 2, a->username, sizeof(a->username));
	bind_cut(st, 3, a->tenant, sizeof(a->tenant));
	bind_cut(st, 4, a->action, sizeof(a->action));
	bind_cut(st, 5, a->object, sizeof(a->object));
	bind_cut(st, 6, a->detail, sizeof(a->detail));
	bind_cut(st, 7, a->source, sizeof(a->source));
	err = db_exec_step(db, st, "writing the audit log");
	db_done(st);
	return err;
}

static void row_audit(sqlite3_stmt *st, struct db_web_audit *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	a->at = sqlite3_column_int64(st, 1);
	db_col_text(st, 2, a->username, sizeof(a->username));
	db_col_text(st, 3, a->tenant, sizeof(a->tenant));
	db_col_text(st, 4, a->action, sizeof(a->action));
	db_col_text(st, 5, a->object, sizeof(a->object));
	db_col_text(st, 6, a->detail, sizeof(a->detail));
	db_col_text(st, 7, a->source, sizeof(a->source));
}

int db_web_audit_list(struct db *db, const char *tenant, int64_t before,
		      int limit,
		      int (*h)(const struct db_web_audit *a, void *arg),
		      void *arg)
{
	struct db_web_audit a;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h || limit < 1)
		return -EINVAL;
	err = db_stmt(db, DB_ST_WEB_AUDIT_LIST,
		      "SELECT id, at, username, tenant, action, object, "
		      "detail, source FROM audit_log "
		      "WHERE (?1 = '' OR tenant = ?1) AND (?2 = 0 OR id < ?2) "
		      "ORDER BY id DESC LIMIT ?3",
		      &st);
	if (err)
		return err;
	db_bind_text(st, 1, tenant ? tenant : "");
	sqlite3_bind_int64(st, 2, before);
	sqlite3_bind_int(st, 3, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_audit(st, &a);
		if ((err = h(&a, arg)))
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "reading the audit log");
	db_done(st);
	return err;
}
