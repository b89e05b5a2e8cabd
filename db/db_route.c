/* db_route.c - dialplan routes: per-tenant patterns and what they run. */
#include <errno.h>
#include <string.h>

#include "db_priv.h"

#define ROUTE_COLS                                                             \
	"SELECT id, tenant_id, priority, pattern, app, args, cos FROM routes "

static void row_route(sqlite3_stmt *st, struct db_route *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->tenant_id = sqlite3_column_int64(st, 1);
	r->priority = sqlite3_column_int(st, 2);
	db_col_text(st, 3, r->pattern, sizeof(r->pattern));
	db_col_text(st, 4, r->app, sizeof(r->app));
	db_col_text(st, 5, r->args, sizeof(r->args));
	db_col_text(st, 6, r->cos, sizeof(r->cos));
}

/* The storage limits and the class; whether the pattern compiles and the
 * app exists is the dialplan's business, which the db layer does not
 * link. */
static bool valid_route(const struct db_route *r)
{
	return r->pattern[0] && db_fits(r->pattern, DB_ROUTE_PATTERN_LEN) &&
	       r->app[0] && db_fits(r->app, DB_ROUTE_APP_LEN) &&
	       db_fits(r->args, DB_ROUTE_ARGS_LEN) &&
	       r->priority >= DB_ROUTE_PRIO_MIN &&
	       r->priority <= DB_ROUTE_PRIO_MAX &&
	       (!r->cos[0] || db_cos_parse(r->cos) >= 0);
}

int db_route_add(struct db *db, const struct db_route *r, int64_t *idp)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !r || !valid_route(r))
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROUTE_ADD,
		      "INSERT INTO routes (tenant_id, priority, pattern, app, "
		      "args, cos) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, r->tenant_id);
	sqlite3_bind_int(st, 2, r->priority);
	db_bind_text(st, 3, r->pattern);
	db_bind_text(st, 4, r->app);
	db_bind_text(st, 5, r->args);
	/* db.h: "" is the default; the column's own DEFAULT is not used
	 * because the statement names the column either way. */
	db_bind_text(st, 6, r->cos[0] ? r->cos : DB_COS_ROUTE_DEFAULT);
	err = db_exec_step(db, st, "adding a route");
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return err;
}

int db_route_del(struct db *db, int64_t tenant_id, int64_t id)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	/* The tenant in the WHERE clause: an admin of one tenant naming
	 * another tenant's route id must not delete it. */
	err =
	    db_stmt(db, DB_ST_ROUTE_DEL,
		    "DELETE FROM routes WHERE tenant_id = ?1 AND id = ?2", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	return db_change_one(db, st, "deleting a route");
}

int db_route_list(struct db *db, int64_t tenant_id,
		  int (*h)(const struct db_route *r, void *arg), void *arg)
{
	struct db_route r;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROUTE_LIST,
		      ROUTE_COLS "WHERE tenant_id = ?1 ORDER BY priority, id",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_route(st, &r);
		err = h(&r, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing routes");
	db_done(st);
	return err;
}

int db_route_running(struct db *db, int64_t tenant_id, const char *app,
		     const char *args, int64_t *idp)
{
	sqlite3_stmt *st;
	int rc = db_stmt(db, DB_ST_ROUTE_RUNNING,
			 "SELECT id FROM routes WHERE tenant_id = ?1 AND "
			 "args = ?2 AND app = ?3 ORDER BY id LIMIT 1",
			 &st);

	if (rc)
		return rc;
	db_bind_text(st, 3, app);
	rc = db_named_row(db, st, tenant_id, args, "finding routes to a name");
	if (rc == 1)
		*idp = sqlite3_column_int64(st, 0);
	db_done(st);
	return rc == 1 ? 0 : rc ? rc : -ENOENT;
}
