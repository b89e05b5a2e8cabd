/* db_out.c - settings for calls out: classes of service of extensions and
 * routes, caller ID (an extension's DID, the tenant's main number) and the
 * emergency numbers that are never blocked. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"

/* In enum db_cos order: a class reaches what every class before it does. */
static const char *const cos_names[] = {"internal", "local", "national",
					"international"};
#define NCOS (int)(sizeof(cos_names) / sizeof(cos_names[0]))

int db_cos_parse(const char *word)
{
	for (int i = 0; word && i < NCOS; i++)
		if (!strcmp(word, cos_names[i]))
			return i;
	return -EINVAL;
}

const char *db_cos_name(enum db_cos c)
{
	return (int)c >= 0 && (int)c < NCOS ? cos_names[c] : NULL;
}

bool db_emergency_match(const char *list, const char *number)
{
	size_t n, len;

	if (!list || !number || !*number)
		return false;
	len = strlen(number);
	for (const char *p = list;; p += n + 1) {
		n = strcspn(p, ",");
		if (n == len && !strncmp(p, number, len))
			return true;
		if (!p[n])
			return false;
	}
}

int db_ext_set_text(struct db *db, enum db_stmt_id id, const char *sql,
		    int64_t key1, const char *key2, const char *value,
		    const char *what)
{
	sqlite3_stmt *st;
	int err = db_stmt(db, id, sql, &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, key1);
	db_bind_text(st, 2, key2);
	db_bind_text(st, 3, value);
	return db_change_one(db, st, what);
}

int db_ext_set_cos(struct db *db, int64_t tenant_id, const char *number,
		   const char *cos)
{
	if (!db || !db_fits(number, DB_NUMBER_LEN) || db_cos_parse(cos) < 0)
		return -EINVAL;
	return db_ext_set_text(db, DB_ST_EXT_COS,
			    "UPDATE extensions SET cos = ?3 "
			    "WHERE tenant_id = ?1 AND number = ?2",
			    tenant_id, number, cos,
			    "setting a class of service");
}

int db_ext_set_did(struct db *db, int64_t tenant_id, const char *number,
		   const char *did)
{
	if (!db || !db_fits(number, DB_NUMBER_LEN) || !did ||
	    (did[0] && !db_valid_e164(did)))
		return -EINVAL;
	return db_ext_set_text(db, DB_ST_EXT_DID,
			    "UPDATE extensions SET did = ?3 "
			    "WHERE tenant_id = ?1 AND number = ?2",
			    tenant_id, number, did,
			    "setting an extension's DID");
}

/* Steps a bound SELECT of two text columns expected to return at most
 * one row, into a (alen bytes) and b (blen bytes); resets it. */
static int fetch_two(struct db *db, sqlite3_stmt *st, char *a, size_t alen,
		     char *b, size_t blen, const char *what)
{
	int rc = sqlite3_step(st);
	int err = 0;

	if (rc == SQLITE_ROW) {
		db_col_text(st, 0, a, alen);
		db_col_text(st, 1, b, blen);
	} else if (rc == SQLITE_DONE) {
		err = -ENOENT;
	} else {
		err = db_fail(db, rc, what);
	}
	db_done(st);
	return err;
}

int db_ext_out(struct db *db, int64_t tenant_id, const char *number,
	       char cos[DB_WORD_LEN], char did[DB_NUMBER_LEN])
{
	sqlite3_stmt *st;
	int err;

	if (!db || !cos || !did || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_EXT_OUT,
		      "SELECT cos, did FROM extensions "
		      "WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	return fetch_two(db, st, cos, DB_WORD_LEN, did, DB_NUMBER_LEN,
			 "reading an extension's calls-out settings");
}

int db_set_tenant_text(struct db *db, enum db_stmt_id id, const char *sql,
		       const char *domain, const char *value, const char *what)
{
	char dom[DB_DOMAIN_LEN];
	sqlite3_stmt *st;
	int err;

	if (db_domain_lower(dom, domain))
		return -EINVAL;
	err = db_stmt(db, id, sql, &st);
	if (err)
		return err;
	db_bind_text(st, 1, dom);
	db_bind_text(st, 2, value);
	return db_change_one(db, st, what);
}

int db_tenant_set_main_number(struct db *db, const char *domain,
			      const char *number)
{
	if (!db || !number || (number[0] && !db_valid_e164(number)))
		return -EINVAL;
	return db_set_tenant_text(db, DB_ST_TENANT_MAIN,
				  "UPDATE tenants SET main_number = ?2 "
				  "WHERE domain = ?1",
				  domain, number, "setting a main number");
}

int db_tenant_set_emergency(struct db *db, const char *domain,
			    const char *numbers)
{
	if (!db || !db_valid_emergency(numbers))
		return -EINVAL;
	return db_set_tenant_text(db, DB_ST_TENANT_EMERGENCY,
				  "UPDATE tenants SET emergency = ?2 "
				  "WHERE domain = ?1",
				  domain, numbers, "setting emergency numbers");
}

int db_tenant_out(struct db *db, int64_t tenant_id,
		  char main_number[DB_NUMBER_LEN],
		  char emergency[DB_EMERGENCY_LEN])
{
	sqlite3_stmt *st;
	int err;

	if (!db || !main_number || !emergency)
		return -EINVAL;
	err = db_stmt(db, DB_ST_TENANT_OUT,
		      "SELECT main_number, emergency FROM tenants "
		      "WHERE id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	return fetch_two(db, st, main_number, DB_NUMBER_LEN, emergency,
			 DB_EMERGENCY_LEN,
			 "reading a tenant's calls-out settings");
}

int db_route_set_text(struct db *db, enum db_stmt_id id, const char *sql,
		      int64_t tenant_id, int64_t route_id, const char *value,
		      const char *what)
{
	sqlite3_stmt *st;
	int err = db_stmt(db, id, sql, &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, route_id);
	db_bind_text(st, 3, value);
	return db_change_one(db, st, what);
}

int db_route_set_cos(struct db *db, int64_t tenant_id, int64_t id,
		     const char *cos)
{
	if (!db || db_cos_parse(cos) < 0)
		return -EINVAL;
	/* The tenant in the WHERE clause, as in db_route_del. */
	return db_route_set_text(db, DB_ST_ROUTE_SET_COS,
				 "UPDATE routes SET cos = ?3 "
				 "WHERE tenant_id = ?1 AND id = ?2",
				 tenant_id, id, cos,
				 "setting a route's class of service");
}

int db_route_cos(struct db *db, int64_t tenant_id, int64_t id,
		 char cos[DB_WORD_LEN])
{
	sqlite3_stmt *st;
	int err;

	if (!db || !cos)
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROUTE_COS,
		      "SELECT cos FROM routes WHERE tenant_id = ?1 AND id = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	return db_fetch_text(db, st, cos, DB_WORD_LEN,
			     "reading a route's class of service");
}

struct text_out {
	char *buf;
	size_t len;
};

static void text_row(sqlite3_stmt *st, void *out)
{
	struct text_out *t = out;

	db_col_text(st, 0, t->buf, t->len);
}

int db_fetch_text(struct db *db, sqlite3_stmt *st, char *buf, size_t len,
		  const char *what)
{
	struct text_out t = {buf, len};

	return db_fetch_row(db, st, text_row, &t, what);
}
