/* db_ext.c - extensions: numbers, display names and digest HA1s. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <sofia-sip/su_md5.h>

#include "db_priv.h"

#define EXT_COLS                                                               \
	"SELECT id, tenant_id, number, name, ha1, ring_timeout "               \
	"FROM extensions "

static void row_ext(sqlite3_stmt *st, struct db_ext *e)
{
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->tenant_id = sqlite3_column_int64(st, 1);
	db_col_text(st, 2, e->number, sizeof(e->number));
	db_col_text(st, 3, e->name, sizeof(e->name));
	db_col_text(st, 4, e->ha1, sizeof(e->ha1));
	e->ring_timeout = sqlite3_column_int(st, 5);
}

void db_ha1(char out[DB_HA1_LEN], const char *user, const char *realm,
	    const char *password)
{
	su_md5_t md5;

	su_md5_init(&md5);
	SU_MD5_STRUPDATE(&md5, user);
	su_md5_update(&md5, ":", 1);
	SU_MD5_STRUPDATE(&md5, realm);
	su_md5_update(&md5, ":", 1);
	SU_MD5_STRUPDATE(&md5, password);
	su_md5_hexdigest(&md5, out);
	/* The context holds the password's bytes. */
	su_md5_deinit(&md5);
}

/* HA1 of `number` in the tenant's realm (its domain). */
static int tenant_ha1(struct db *db, int64_t tenant_id, const char *number,
		      const char *password, char ha1[DB_HA1_LEN])
{
	struct db_tenant t;
	int err = db_tenant_by_id(db, tenant_id, &t);

	if (!err)
		db_ha1(ha1, number, t.domain, password);
	return err;
}

int db_ext_add(struct db *db, int64_t tenant_id, const char *number,
	       const char *name, const char *password, int64_t *idp)
{
	char ha1[DB_HA1_LEN];
	sqlite3_stmt *st;
	int err;

	if (!db || !db_valid_number(number) || !db_valid_password(password) ||
	    (name && !db_valid_name(name)))
		return -EINVAL;
	err = tenant_ha1(db, tenant_id, number, password, ha1);
	if (!err)
		err =
		    db_stmt(db, DB_ST_EXT_ADD,
			    "INSERT INTO extensions (tenant_id, number, name, "
			    "ha1) SELECT ?1, ?2, ?3, ?4 FROM tenants t "
			    "WHERE t.id = ?1 AND (t.max_extensions = 0 OR "
			    "(SELECT count(*) FROM extensions "
			    "WHERE tenant_id = ?1) < t.max_extensions)",
			    &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, ha1);
	err = db_exec_step(db, st, "adding an extension");
	/* Nothing inserted and no error: the tenant has its maximum of
	 * extensions (db_limits.h), checked in the same statement so that
	 * two adders at once cannot both slip under it. */
	if (!err && sqlite3_changes(db->sql) == 0)
		err = -EDQUOT;
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return err;
}

int db_ext_del(struct db *db, int64_t tenant_id, const char *number)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_EXT_DEL,
		      "DELETE FROM extensions "
		      "WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	return db_change_one(db, st, "deleting an extension");
}

int db_ext_passwd(struct db *db, int64_t tenant_id, const char *number,
		  const char *password)
{
	char ha1[DB_HA1_LEN];
	sqlite3_stmt *st;
	int err;

	if (!db || !db_fits(number, DB_NUMBER_LEN) ||
	    !db_valid_password(password))
		return -EINVAL;
	err = tenant_ha1(db, tenant_id, number, password, ha1);
	if (!err)
		err = db_stmt(db, DB_ST_EXT_PASSWD,
			      "UPDATE extensions SET ha1 = ?3 "
			      "WHERE tenant_id = ?1 AND number = ?2",
			      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	db_bind_text(st, 3, ha1);
	return db_change_one(db, st, "changing a password");
}

int db_ext_set_ring_timeout(struct db *db, int64_t tenant_id,
			    const char *number, int seconds)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !db_fits(number, DB_NUMBER_LEN) ||
	    seconds < DB_RING_TIMEOUT_MIN || seconds > DB_RING_TIMEOUT_MAX)
		return -EINVAL;
	err = db_stmt(db, DB_ST_EXT_RING,
		      "UPDATE extensions SET ring_timeout = ?3 "
		      "WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	sqlite3_bind_int(st, 3, seconds);
	return db_change_one(db, st, "setting a ring timeout");
}

int db_ext_get(struct db *db, int64_t tenant_id, const char *number,
	       struct db_ext *e)
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !e || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_EXT_GET,
		      EXT_COLS "WHERE tenant_id = ?1 AND number = ?2", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row_ext(st, e);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = db_fail(db, rc, "looking up an extension");
	db_done(st);
	return err;
}

int db_ext_list(struct db *db, int64_t tenant_id,
		int (*h)(const struct db_ext *e, void *arg), void *arg)
{
	struct db_ext e;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	/* Shorter numbers first: 200 before 1001, as people read them. */
	err = db_stmt(db, DB_ST_EXT_LIST,
		      EXT_COLS "WHERE tenant_id = ?1 "
			       "ORDER BY length(number), number",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_ext(st, &e);
		err = h(&e, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing extensions");
	db_done(st);
	return err;
}

int db_ext_set_name(struct db *db, int64_t tenant_id, const char *number,
		    const char *name)
{
	if (!db || !db_fits(number, DB_NUMBER_LEN) || !db_valid_name(name))
		return -EINVAL;
	return db_ext_set_text(db, DB_ST_EXT_NAME,
			       "UPDATE extensions SET name = ?3 "
			       "WHERE tenant_id = ?1 AND number = ?2",
			       tenant_id, number, name,
			       "setting an extension's name");
}

/* "%q%" for LIKE, with the pattern characters of q escaped by '\'. */
static int like_pattern(const char *q, char *out, size_t len)
{
	size_t n = 0;

	out[n++] = '%';
	for (; *q; q++) {
		if (n + 3 >= len)
			return -EINVAL;
		if (*q == '%' || *q == '_' || *q == '\\')
			out[n++] = '\\';
		out[n++] = *q;
	}
	out[n++] = '%';
	out[n] = '\0';
	return 0;
}

/* How many match, for a page past the end (which has no row to carry
 * the window count). */
static int ext_count(struct db *db, int64_t tenant_id, const char *like,
		     long *total)
{
	sqlite3_stmt *st;
	int rc, err = db_stmt(db, DB_ST_EXT_COUNT,
			      "SELECT count(*) FROM extensions "
			      "WHERE tenant_id = ?1 AND (?2 = '%%' OR "
			      "number LIKE ?2 ESCAPE '\\' OR "
			      "name LIKE ?2 ESCAPE '\\')",
			      &st);

	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, like);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	else
		err = db_fail(db, rc, "counting extensions");
	db_done(st);
	return err;
}

int db_ext_search(struct db *db, int64_t tenant_id, const char *q,
		  long offset, int limit, long *total,
		  int (*h)(const struct db_ext *e, void *arg), void *arg)
{
	char like[2 * DB_NAME_LEN + 4];
	struct db_ext e;
	sqlite3_stmt *st;
	bool search;
	int rc, err;

	if (!db || !h || !total || offset < 0 || limit < 1 ||
	    like_pattern(q ? q : "", like, sizeof(like)))
		return -EINVAL;
	search = strcmp(like, "%%") != 0;
	*total = 0;
	/* A search counts in the same pass: the window count is taken
	 * over every matching row before LIMIT cuts the page out of them.
	 * The whole list instead walks its index (extensions_order) for
	 * the page and counts through the tenant index, which the window
	 * would prevent. */
	if (search)
		err = db_stmt(db, DB_ST_EXT_SEARCH,
			      "SELECT id, tenant_id, number, name, ha1, "
			      "ring_timeout, count(*) OVER () FROM extensions "
			      "WHERE tenant_id = ?1 AND "
			      "(number LIKE ?4 ESCAPE '\\' OR "
			      "name LIKE ?4 ESCAPE '\\') "
			      "ORDER BY length(number), number "
			      "LIMIT ?2 OFFSET ?3",
			      &st);
	else if (!(err = ext_count(db, tenant_id, like, total)))
		err = db_stmt(db, DB_ST_EXT_PAGE,
			      EXT_COLS "WHERE tenant_id = ?1 "
				       "ORDER BY length(number), number "
				       "LIMIT ?2 OFFSET ?3",
			      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int(st, 2, limit);
	sqlite3_bind_int64(st, 3, offset);
	if (search)
		db_bind_text(st, 4, like);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_ext(st, &e);
		if (search)
			*total = sqlite3_column_int64(st, 6);
		if ((err = h(&e, arg)))
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "searching extensions");
	db_done(st);
	/* A search's page past the end has no row to carry the count. */
	if (!err && search && !*total && offset)
		err = ext_count(db, tenant_id, like, total);
	return err;
}
