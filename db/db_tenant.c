/* db_tenant.c - tenants: one domain each, the root of all their rows. */
#include <errno.h>
#include <string.h>

#include "db_priv.h"

#define TENANT_COLS "SELECT id, name, domain, codecs FROM tenants "

static void row_tenant(sqlite3_stmt *st, struct db_tenant *t)
{
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(st, 0);
	db_col_text(st, 1, t->name, sizeof(t->name));
	db_col_text(st, 2, t->domain, sizeof(t->domain));
	db_col_text(st, 3, t->codecs, sizeof(t->codecs));
}

int db_tenant_add(struct db *db, const char *name, const char *domain,
		  int64_t *idp)
{
	char dom[DB_DOMAIN_LEN];
	sqlite3_stmt *st;
	int err;

	if (!db || !name || !*name || !db_valid_name(name) ||
	    !db_valid_domain(domain))
		return -EINVAL;
	db_domain_lower(dom, domain);
	err =
	    db_stmt(db, DB_ST_TENANT_ADD,
		    "INSERT INTO tenants (name, domain) VALUES (?1, ?2)", &st);
	if (err)
		return err;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, dom);
	err = db_exec_step(db, st, "adding a tenant");
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return err;
}

int db_tenant_del(struct db *db, const char *domain)
{
	char dom[DB_DOMAIN_LEN];
	sqlite3_stmt *st;
	int err;

	if (!db || db_domain_lower(dom, domain))
		return -EINVAL;
	err = db_stmt(db, DB_ST_TENANT_DEL,
		      "DELETE FROM tenants WHERE domain = ?1", &st);
	if (err)
		return err;
	db_bind_text(st, 1, dom);
	return db_change_one(db, st, "deleting a tenant");
}

/* Steps a statement expected to return at most one tenant. */
static int fetch_one(struct db *db, sqlite3_stmt *st, struct db_tenant *t)
{
	int rc = sqlite3_step(st);
	int err = 0;

	if (rc == SQLITE_ROW)
		row_tenant(st, t);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = db_fail(db, rc, "looking up a tenant");
	db_done(st);
	return err;
}

int db_tenant_by_domain(struct db *db, const char *domain, struct db_tenant *t)
{
	char dom[DB_DOMAIN_LEN];
	sqlite3_stmt *st;
	int err;

	if (!db || !t || db_domain_lower(dom, domain))
		return -EINVAL;
	err = db_stmt(db, DB_ST_TENANT_BY_DOMAIN,
		      TENANT_COLS "WHERE domain = ?1", &st);
	if (err)
		return err;
	db_bind_text(st, 1, dom);
	return fetch_one(db, st, t);
}

int db_tenant_by_id(struct db *db, int64_t id, struct db_tenant *t)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !t)
		return -EINVAL;
	err = db_stmt(db, DB_ST_TENANT_BY_ID, TENANT_COLS "WHERE id = ?1", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	return fetch_one(db, st, t);
}

int db_tenant_list(struct db *db,
		   int (*h)(const struct db_tenant *t, void *arg), void *arg)
{
	struct db_tenant t;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	err =
	    db_stmt(db, DB_ST_TENANT_LIST, TENANT_COLS "ORDER BY domain", &st);
	if (err)
		return err;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_tenant(st, &t);
		err = h(&t, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing tenants");
	db_done(st);
	return err;
}

int db_tenant_set_codecs(struct db *db, const char *domain, const char *codecs)
{
	char dom[DB_DOMAIN_LEN], list[DB_CODECS_LEN];
	sqlite3_stmt *st;
	int err;

	/* Canonical form, so the daemon and the web API read back one
	 * spelling whatever the admin typed. */
	if (!db || db_domain_lower(dom, domain) ||
	    db_codecs_canon(codecs, list))
		return -EINVAL;
	err = db_stmt(db, DB_ST_TENANT_CODECS,
		      "UPDATE tenants SET codecs = ?2 WHERE domain = ?1", &st);
	if (err)
		return err;
	db_bind_text(st, 1, dom);
	db_bind_text(st, 2, list);
	return db_change_one(db, st, "setting a tenant's codecs");
}
