/* db_ringgroup.c - ring groups and their members, and call pickup groups
 * (db_ringgroup.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "db_ringgroup.h"

#define RG_COLS                                                                \
	"SELECT id, tenant_id, number, name, strategy, ring_time, timeout, "   \
	"fallback_type, fallback FROM ringgroups "

static const char *const strategies[] = {"simultaneous", "sequential"};

void db_rg_defaults(struct db_rg *r)
{
	memset(r, 0, sizeof(*r));
	r->strategy = DB_RG_SIMULTANEOUS;
	r->ring_time = DB_RG_RING_DEFAULT;
	r->timeout = DB_RG_TIMEOUT_DEFAULT;
}

int db_rg_strategy_parse(const char *s)
{
	for (int i = 0; s && i < 2; i++)
		if (!strcmp(s, strategies[i]))
			return i;
	return -1;
}

const char *db_rg_strategy_name(int strategy)
{
	return strategy == DB_RG_SEQUENTIAL ? strategies[1] : strategies[0];
}

__attribute__((format(printf, 3, 4))) static int say(char *err, size_t len,
						     const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* The fallback: its shape always, with a database that it exists and is
 * not this very group. */
static int check_fallback(struct db *db, const struct db_rg *r, char *err,
			  size_t errlen)
{
	char why[200];
	int rc;

	if (!r->fallback_type[0]) {
		if (r->fallback[0])
			return say(err, errlen,
				   "fallback_type: needed with a fallback");
		return 0;
	}
	if (!strcmp(r->fallback_type, "timecond"))
		return say(err, errlen,
			   "fallback_type: a time condition is reached by a "
			   "number whose route runs timecond");
	if (!strcmp(r->fallback_type, "ringgroup") &&
	    !strcmp(r->fallback, r->number))
		return say(err, errlen,
			   "fallback: a group cannot fall back to itself");
	if (!db) {
		/* The shape only: db_dest_check needs no row for that. */
		if (strlen(r->fallback) == 0)
			return say(err, errlen,
				   "fallback: needed with a "
				   "fallback_type");
		return 0;
	}
	rc = db_dest_check(db, r->tenant_id, r->fallback_type, r->fallback,
			   DB_DEST_BRANCH, why, sizeof(why));
	if (rc) {
		/* "unknown destination ..." is about the kind, the rest
		 * about its argument. */
		say(err, errlen, "%s: %s",
		    strstr(why, "unknown destination") ? "fallback_type"
						       : "fallback",
		    why);
		return rc == -ENOENT ? -ENOENT : rc == -EIO ? -EIO : -EINVAL;
	}
	return 0;
}

int db_rg_check(struct db *db, const struct db_rg *r, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (!r)
		return -EINVAL;
	if (!db_valid_number(r->number))
		return say(err, errlen, "number: 1 to 31 digits");
	if (!db_valid_name(r->name))
		return say(err, errlen,
			   "name: at most 127 characters, no "
			   "quotes or backslashes");
	if (r->strategy != DB_RG_SIMULTANEOUS &&
	    r->strategy != DB_RG_SEQUENTIAL)
		return say(err, errlen, "strategy: simultaneous or sequential");
	if (r->ring_time < DB_RG_RING_MIN || r->ring_time > DB_RG_RING_MAX)
		return say(err, errlen, "ring_time: %d to %d seconds",
			   DB_RG_RING_MIN, DB_RG_RING_MAX);
	if (r->timeout < DB_RG_TIMEOUT_MIN || r->timeout > DB_RG_TIMEOUT_MAX)
		return say(err, errlen, "timeout: %d to %d seconds",
			   DB_RG_TIMEOUT_MIN, DB_RG_TIMEOUT_MAX);
	if (!db_fits(r->fallback_type, sizeof(r->fallback_type)) ||
	    !db_fits(r->fallback, sizeof(r->fallback)))
		return say(err, errlen, "fallback: too long");
	return check_fallback(db, r, err, errlen);
}

static void row_rg(sqlite3_stmt *st, struct db_rg *r)
{
	char strategy[DB_WORD_LEN];

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->tenant_id = sqlite3_column_int64(st, 1);
	db_col_text(st, 2, r->number, sizeof(r->number));
	db_col_text(st, 3, r->name, sizeof(r->name));
	db_col_text(st, 4, strategy, sizeof(strategy));
	r->strategy = db_rg_strategy_parse(strategy) == DB_RG_SEQUENTIAL
			  ? DB_RG_SEQUENTIAL
			  : DB_RG_SIMULTANEOUS;
	r->ring_time = sqlite3_column_int(st, 5);
	r->timeout = sqlite3_column_int(st, 6);
	db_col_text(st, 7, r->fallback_type, sizeof(r->fallback_type));
	db_col_text(st, 8, r->fallback, sizeof(r->fallback));
}

static void bind_rg(sqlite3_stmt *st, const struct db_rg *r)
{
	sqlite3_bind_int64(st, 1, r->tenant_id);
	db_bind_text(st, 2, r->number);
	db_bind_text(st, 3, r->name);
	db_bind_text(st, 4, db_rg_strategy_name(r->strategy));
	sqlite3_bind_int(st, 5, r->ring_time);
	sqlite3_bind_int(st, 6, r->timeout);
	db_bind_text(st, 7, r->fallback_type);
	db_bind_text(st, 8, r->fallback);
}

int db_rg_add(struct db *db, const struct db_rg *r, int64_t *idp)
{
	sqlite3_stmt *st;
	int err;

	if (!db || db_rg_check(NULL, r, NULL, 0))
		return -EINVAL;
	err = db_stmt(db, DB_ST_RG_ADD,
		      "INSERT INTO ringgroups (tenant_id, number, name, "
		      "strategy, ring_time, timeout, fallback_type, fallback) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		      &st);
	if (err)
		return err;
	bind_rg(st, r);
	err = db_exec_step(db, st, "adding a ring group");
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return err;
}

int db_rg_update(struct db *db, const struct db_rg *r)
{
	sqlite3_stmt *st;
	int err;

	if (!db || db_rg_check(NULL, r, NULL, 0))
		return -EINVAL;
	err = db_stmt(db, DB_ST_RG_UPDATE,
		      "UPDATE ringgroups SET name = ?3, strategy = ?4, "
		      "ring_time = ?5, timeout = ?6, fallback_type = ?7, "
		      "fallback = ?8 WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	bind_rg(st, r);
	return db_change_one(db, st, "changing a ring group");
}

int db_rg_get(struct db *db, int64_t tenant_id, const char *number,
	      struct db_rg *r)
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !r || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_RG_GET,
		      RG_COLS "WHERE tenant_id = ?1 AND number = ?2", &st);
	if (err)
		return err;
	rc = db_named_row(db, st, tenant_id, number, "looking up a ring group");
	if (rc == 1)
		row_rg(st, r);
	db_done(st);
	return rc == 1 ? 0 : rc ? rc : -ENOENT;
}

int db_rg_del(struct db *db, int64_t tenant_id, const char *number)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_RG_DEL,
		      "DELETE FROM ringgroups "
		      "WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	return db_change_one(db, st, "deleting a ring group");
}

int db_rg_list(struct db *db, int64_t tenant_id,
	       int (*h)(const struct db_rg *r, void *arg), void *arg)
{
	struct db_rg r;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_RG_LIST,
		      RG_COLS "WHERE ?1 = 0 OR tenant_id = ?1 "
			      "ORDER BY tenant_id, length(number), number",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_rg(st, &r);
		if ((err = h(&r, arg)))
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing ring groups");
	db_done(st);
	return err;
}

/* ---- members ------------------------------------------------------------ */

int db_rg_members(struct db *db, int64_t tenant_id, const char *number,
		  struct db_rg_member *m, int max, int *n)
{
	struct db_rg r;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !n || (max > 0 && !m))
		return -EINVAL;
	*n = 0;
	/* The group first: an empty list and no group differ. */
	err = db_rg_get(db, tenant_id, number, &r);
	if (err)
		return err;
	err = db_stmt(db, DB_ST_RG_MEMBERS,
		      "SELECT e.number, m.ring_time, e.name "
		      "FROM ringgroup_members m "
		      "JOIN extensions e ON e.id = m.ext_id "
		      "WHERE m.group_id = ?1 ORDER BY m.position",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, r.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		struct db_rg_member *x = &m[(*n)++];
		memset(x, 0, sizeof(*x));
		db_col_text(st, 0, x->ext, sizeof(x->ext));
		x->ring_time = sqlite3_column_int(st, 1);
		db_col_text(st, 2, x->name, sizeof(x->name));
	}
	err = rc == SQLITE_ROW || rc == SQLITE_DONE
		  ? 0
		  : db_fail(db, rc, "reading a ring group's members");
	db_done(st);
	return err;
}

/* The shape of a member list, before anything is written. */
static int check_members(const struct db_rg_member *m, int n, char *err,
			 size_t errlen)
{
	if (n < 0 || n > DB_RG_MAX_MEMBERS)
		return say(err, errlen, "members: at most %d",
			   DB_RG_MAX_MEMBERS);
	for (int i = 0; i < n; i++) {
		if (!db_valid_number(m[i].ext))
			return say(err, errlen,
				   "members: '%.31s' is not an extension "
				   "number (1 to 31 digits)",
				   m[i].ext);
		if (m[i].ring_time != 0 && (m[i].ring_time < DB_RG_RING_MIN ||
					    m[i].ring_time > DB_RG_RING_MAX))
			return say(err, errlen,
				   "members: %s rings %d to %d seconds (or 0: "
				   "the group's time)",
				   m[i].ext, DB_RG_RING_MIN, DB_RG_RING_MAX);
		for (int j = 0; j < i; j++)
			if (!strcmp(m[i].ext, m[j].ext))
				return say(err, errlen,
					   "members: %s is listed twice",
					   m[i].ext);
	}
	return 0;
}

static int insert_member(struct db *db, int64_t group_id, int pos,
			 int64_t ext_id, int ring_time)
{
	sqlite3_stmt *st;
	int err;

	err = db_stmt(db, DB_ST_RG_MEMBER_ADD,
		      "INSERT INTO ringgroup_members (group_id, position, "
		      "ext_id, ring_time) VALUES (?1, ?2, ?3, ?4)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, group_id);
	sqlite3_bind_int(st, 2, pos);
	sqlite3_bind_int64(st, 3, ext_id);
	sqlite3_bind_int(st, 4, ring_time);
	err = db_exec_step(db, st, "adding a ring group member");
	db_done(st);
	return err;
}

static int clear_members(struct db *db, int64_t group_id)
{
	sqlite3_stmt *st;
	int err;

	err = db_stmt(db, DB_ST_RG_MEMBERS_CLEAR,
		      "DELETE FROM ringgroup_members WHERE group_id = ?1", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, group_id);
	err = db_exec_step(db, st, "clearing a ring group's members");
	db_done(st);
	return err;
}

int db_rg_set_members(struct db *db, int64_t tenant_id, const char *number,
		      const struct db_rg_member *m, int n, char *err,
		      size_t errlen)
{
	struct db_tenant t;
	struct db_ext e;
	struct db_rg r;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!db || (n > 0 && !m))
		return -EINVAL;
	if ((rc = check_members(m, n, err, errlen)))
		return rc;
	if ((rc = db_tx_begin(db)))
		return rc;
	rc = db_rg_get(db, tenant_id, number, &r);
	if (rc == -ENOENT)
		say(err, errlen, "members: no ring group %s", number);
	if (!rc)
		rc = clear_members(db, r.id);
	for (int i = 0; !rc && i < n; i++) {
		rc = db_ext_get(db, tenant_id, m[i].ext, &e);
		if (rc == -ENOENT) {
			if (db_tenant_by_id(db, tenant_id, &t))
				t.domain[0] = '\0';
			say(err, errlen,
			    "members: no extension %s in tenant %s", m[i].ext,
			    t.domain);
		}
		if (!rc)
			rc = insert_member(db, r.id, i, e.id, m[i].ring_time);
	}
	if (rc && err && errlen && !err[0])
		say(err, errlen, "members: %s",
		    rc == -EIO ? "database error" : strerror(-rc));
	return db_tx_end(db, rc);
}

/* ---- call pickup groups ------------------------------------------------- */

int db_ext_set_pickup_group(struct db *db, int64_t tenant_id,
			    const char *number, const char *group)
{
	if (!db || !db_fits(number, DB_NUMBER_LEN) || !group ||
	    (group[0] && !db_valid_ivr_name(group)))
		return -EINVAL;
	return db_ext_set_text(db, DB_ST_EXT_SET_PICKUP,
			       "UPDATE extensions SET pickup_group = ?3 "
			       "WHERE tenant_id = ?1 AND number = ?2",
			       tenant_id, number, group,
			       "setting an extension's pickup group");
}

int db_ext_pickup_group(struct db *db, int64_t tenant_id, const char *number,
			char out[DB_PICKUP_GROUP_LEN])
{
	sqlite3_stmt *st;
	int err;

	out[0] = '\0';
	if (!db || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_EXT_PICKUP,
		      "SELECT pickup_group FROM extensions "
		      "WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	return db_fetch_text(db, st, out, DB_PICKUP_GROUP_LEN,
			     "reading an extension's pickup group");
}
