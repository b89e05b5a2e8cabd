/* db_reg.c - registered contacts, as the registrar saves and expires them. */
#include <errno.h>
#include <string.h>

#include "db_priv.h"

/* Joined with the extension and tenant so callers get "1001@domain"
 * without a lookup per row. */
#define REG_COLS                                                               \
	"SELECT r.ext_id, r.tenant_id, r.contact, r.route, r.call_id, "        \
	"r.cseq, r.expires, r.user_agent, e.number, t.domain "                 \
	"FROM registrations r "                                                \
	"JOIN extensions e ON e.id = r.ext_id "                                \
	"JOIN tenants t ON t.id = r.tenant_id "
#define REG_ORDER "ORDER BY t.domain, length(e.number), e.number, r.contact"

static void row_reg(sqlite3_stmt *st, struct db_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->ext_id = sqlite3_column_int64(st, 0);
	r->tenant_id = sqlite3_column_int64(st, 1);
	db_col_text(st, 2, r->contact, sizeof(r->contact));
	db_col_text(st, 3, r->route, sizeof(r->route));
	db_col_text(st, 4, r->call_id, sizeof(r->call_id));
	r->cseq = (uint32_t)sqlite3_column_int64(st, 5);
	r->expires = sqlite3_column_int64(st, 6);
	db_col_text(st, 7, r->user_agent, sizeof(r->user_agent));
	db_col_text(st, 8, r->number, sizeof(r->number));
	db_col_text(st, 9, r->domain, sizeof(r->domain));
}

static bool reg_valid(const struct db_reg *r)
{
	return r && db_fits(r->contact, sizeof(r->contact)) && r->contact[0] &&
	       db_fits(r->route, sizeof(r->route)) &&
	       db_fits(r->call_id, sizeof(r->call_id)) &&
	       db_fits(r->user_agent, sizeof(r->user_agent));
}

int db_reg_save(struct db *db, const struct db_reg *r)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !reg_valid(r))
		return -EINVAL;
	/* An upsert, not INSERT OR REPLACE: a refresh updates the row in
	 * place instead of deleting and re-inserting it. */
	err = db_stmt(db, DB_ST_REG_SAVE,
		      "INSERT INTO registrations (ext_id, tenant_id, contact, "
		      "route, call_id, cseq, expires, user_agent) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
		      "ON CONFLICT (ext_id, contact) DO UPDATE SET "
		      "tenant_id = excluded.tenant_id, route = excluded.route, "
		      "call_id = excluded.call_id, cseq = excluded.cseq, "
		      "expires = excluded.expires, "
		      "user_agent = excluded.user_agent",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, r->ext_id);
	sqlite3_bind_int64(st, 2, r->tenant_id);
	db_bind_text(st, 3, r->contact);
	db_bind_text(st, 4, r->route);
	db_bind_text(st, 5, r->call_id);
	sqlite3_bind_int64(st, 6, r->cseq);
	sqlite3_bind_int64(st, 7, r->expires);
	db_bind_text(st, 8, r->user_agent);
	err = db_exec_step(db, st, "saving a registration");
	db_done(st);
	return err;
}

int db_reg_del(struct db *db, int64_t ext_id, const char *contact)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !db_fits(contact, DB_URI_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_REG_DEL,
		      "DELETE FROM registrations "
		      "WHERE ext_id = ?1 AND contact = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, ext_id);
	db_bind_text(st, 2, contact);
	err = db_exec_step(db, st, "deleting a registration");
	if (!err && sqlite3_changes(db->sql) == 0)
		err = -ENOENT;
	db_done(st);
	return err;
}

/* Runs a DELETE bound to one integer; deleting nothing is not an error. */
static int del_where(struct db *db, enum db_stmt_id id, const char *sql,
		     int64_t value, const char *what)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	err = db_stmt(db, id, sql, &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, value);
	err = db_exec_step(db, st, what);
	db_done(st);
	return err;
}

int db_reg_del_ext(struct db *db, int64_t ext_id)
{
	return del_where(db, DB_ST_REG_DEL_EXT,
			 "DELETE FROM registrations WHERE ext_id = ?1", ext_id,
			 "deleting an extension's registrations");
}

int db_reg_expire(struct db *db, int64_t now)
{
	return del_where(db, DB_ST_REG_EXPIRE,
			 "DELETE FROM registrations WHERE expires <= ?1", now,
			 "expiring registrations");
}

/* Steps a bound statement of REG_COLS, calling `h` per row. */
static int walk(struct db *db, sqlite3_stmt *st,
		int (*h)(const struct db_reg *r, void *arg), void *arg)
{
	struct db_reg r;
	int rc, err = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_reg(st, &r);
		err = h(&r, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing registrations");
	db_done(st);
	return err;
}

int db_reg_list(struct db *db, int64_t tenant_id, int64_t now,
		int (*h)(const struct db_reg *r, void *arg), void *arg)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !h)
		return -EINVAL;
	/* Two statements rather than "?1 = 0 OR tenant_id = ?1", which
	 * would keep SQLite from using the tenant index. */
	if (tenant_id)
		err = db_stmt(db, DB_ST_REG_LIST,
			      REG_COLS "WHERE r.tenant_id = ?1 "
				       "AND r.expires > ?2 " REG_ORDER,
			      &st);
	else
		err = db_stmt(db, DB_ST_REG_LIST_ALL,
			      REG_COLS "WHERE r.expires > ?2 " REG_ORDER, &st);
	if (err)
		return err;
	if (tenant_id)
		sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, now);
	return walk(db, st, h, arg);
}

int db_reg_load(struct db *db, int64_t ext_id, int64_t now,
		int (*h)(const struct db_reg *r, void *arg), void *arg)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_REG_LOAD,
		      REG_COLS "WHERE r.ext_id = ?1 AND r.expires > ?2 "
			       "ORDER BY r.expires DESC, r.contact",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, ext_id);
	sqlite3_bind_int64(st, 2, now);
	return walk(db, st, h, arg);
}
