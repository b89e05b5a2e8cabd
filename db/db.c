/* db.c - opening a connection, migrating the schema, statement helpers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "db_priv.h"
#include "core/log.h"

/* Long enough for a writer to finish a transaction (the daemon's writes are
 * single rows), short enough that a stuck lock shows up as an error. */
#define BUSY_TIMEOUT_MS 5000

static int exec_sql(struct db *db, const char *sql)
{
	return sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
}

static int read_version(struct db *db, int *versionp)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*versionp = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Migrations run with foreign keys off (see open_conn), so a table rebuild
 * does not cascade-delete its children; this checks afterwards that the
 * result is still consistent. */
static int fk_check(struct db *db)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db->sql, "PRAGMA foreign_key_check", -1, &st,
				NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return SQLITE_CONSTRAINT_FOREIGNKEY;
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Body of one step; the caller holds the write transaction. */
static int apply_step(struct db *db, int version, const char *sql)
{
	char pragma[64];
	int rc;

	rc = exec_sql(db, sql);
	if (rc == SQLITE_OK)
		rc = fk_check(db);
	if (rc != SQLITE_OK)
		return rc;
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version);
	return exec_sql(db, pragma);
}

/* Takes the database from version - 1 to `version` in one transaction, so
 * a failure leaves it as it was. */
static int step_to(struct db *db, const char *path, int version,
		   const char *sql)
{
	int rc, cur = -1;

	/* IMMEDIATE takes the write lock before user_version is read: two
	 * processes opening a new database at once do not both apply it. */
	rc = exec_sql(db, "BEGIN IMMEDIATE");
	if (rc != SQLITE_OK)
		goto fail;
	rc = read_version(db, &cur);
	if (rc != SQLITE_OK)
		goto fail;
	if (cur >= version) {
		exec_sql(db, "ROLLBACK");
		return 0;
	}
	if (cur != version - 1) {
		LOGE("db", "%s: at schema version %d, cannot apply %d", path,
		     cur, version);
		exec_sql(db, "ROLLBACK");
		return -EIO;
	}
	rc = apply_step(db, version, sql);
	if (rc == SQLITE_OK)
		rc = exec_sql(db, "COMMIT");
	if (rc == SQLITE_OK)
		return 0;
fail:
	LOGE("db", "%s: upgrading the schema to version %d failed: %s", path,
	     version, sqlite3_errmsg(db->sql));
	if (!sqlite3_get_autocommit(db->sql))
		exec_sql(db, "ROLLBACK");
	return -EIO;
}

static int migrate(struct db *db, const char *path,
		   const struct db_migration *migs, int nmigs)
{
	int latest = nmigs > 0 ? migs[nmigs - 1].version : 1;
	int err, cur;

	if (read_version(db, &cur) != SQLITE_OK) {
		LOGE("db", "%s: cannot read the schema version: %s", path,
		     sqlite3_errmsg(db->sql));
		return -EIO;
	}
	/* An older build must not write rows a newer schema does not expect. */
	if (cur > latest) {
		LOGE("db",
		     "%s: schema version %d is newer than this build "
		     "knows (%d); upgrade Ondo",
		     path, cur, latest);
		return -EIO;
	}
	if (cur == latest)
		return 0;
	err = step_to(db, path, 1, db_sql_schema);
	for (int i = 0; !err && i < nmigs; i++)
		err = step_to(db, path, migs[i].version, migs[i].sql);
	return err;
}

static int open_conn(struct db *db, const char *path)
{
	/* NOMUTEX: a connection belongs to one thread (see db.h), so
	 * SQLite's per-connection mutex would only cost time. */
	int flags =
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	int rc;

	rc = sqlite3_open_v2(path, &db->sql, flags, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	sqlite3_extended_result_codes(db->sql, 1);
	sqlite3_busy_timeout(db->sql, BUSY_TIMEOUT_MS);
	/* WAL lets the daemon read while ondoctl writes; NORMAL only risks
	 * the last transactions on power loss, never corruption. Foreign
	 * keys stay off until the schema is migrated. */
	rc = exec_sql(db, "PRAGMA journal_mode = WAL;"
			  "PRAGMA synchronous = NORMAL");
	if (rc == SQLITE_OK)
		return 0;
fail:
	LOGE("db", "cannot open database %s: %s", path,
	     db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
	return -EIO;
}

int db_open_with(struct db **dbp, const char *path,
		 const struct db_migration *migs, int nmigs)
{
	struct db *db;
	int err;

	if (!dbp || !path || !*path || nmigs < 0 || (nmigs && !migs))
		return -EINVAL;
	*dbp = NULL;
	db = calloc(1, sizeof(*db));
	if (!db)
		return -ENOMEM;
	err = open_conn(db, path);
	if (!err)
		err = migrate(db, path, migs, nmigs);
	if (!err && exec_sql(db, "PRAGMA foreign_keys = ON") != SQLITE_OK) {
		LOGE("db", "%s: cannot enable foreign keys: %s", path,
		     sqlite3_errmsg(db->sql));
		err = -EIO;
	}
	if (err) {
		db_close(db);
		return err;
	}
	*dbp = db;
	return 0;
}

int db_open(struct db **dbp, const char *path)
{
	return db_open_with(dbp, path, db_migrations, db_nmigrations);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < DB_ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	/* With every statement finalized, close cannot be refused; the last
	 * connection to close also checkpoints and removes the WAL file. */
	if (db->sql && sqlite3_close(db->sql) != SQLITE_OK)
		LOGE("db", "closing the database: %s", sqlite3_errmsg(db->sql));
	free(db);
}

int db_schema_version(struct db *db)
{
	int version = 0;

	if (!db)
		return -EINVAL;
	if (read_version(db, &version) != SQLITE_OK)
		return db_fail(db, sqlite3_errcode(db->sql),
			       "reading the schema version");
	return version;
}

int db_stmt(struct db *db, enum db_stmt_id id, const char *sql,
	    sqlite3_stmt **stp)
{
	int rc;

	if (!db->st[id]) {
		rc = sqlite3_prepare_v3(db->sql, sql, -1,
					SQLITE_PREPARE_PERSISTENT, &db->st[id],
					NULL);
		if (rc != SQLITE_OK) {
			LOGE("db", "preparing \"%s\": %s", sql,
			     sqlite3_errmsg(db->sql));
			return -EIO;
		}
	}
	*stp = db->st[id];
	return 0;
}

void db_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int db_fail(struct db *db, int rc, const char *what)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_TRIGGER: /* a number both room and extension */
		return -EEXIST;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return -ENOENT;
	case SQLITE_CONSTRAINT_NOTNULL:
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_DATATYPE:
	case SQLITE_TOOBIG:
		return -EINVAL;
	}
	LOGE("db", "%s: %s", what, sqlite3_errmsg(db->sql));
	return -EIO;
}

int db_exec_step(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	return rc == SQLITE_DONE ? 0 : db_fail(db, rc, what);
}

int db_change_one(struct db *db, sqlite3_stmt *st, const char *what)
{
	int err = db_exec_step(db, st, what);

	if (!err && sqlite3_changes(db->sql) == 0)
		err = -ENOENT;
	db_done(st);
	return err;
}

int db_fetch_row(struct db *db, sqlite3_stmt *st,
		 void (*row)(sqlite3_stmt *st, void *out), void *out,
		 const char *what)
{
	int rc = sqlite3_step(st), err = 0;

	if (rc == SQLITE_ROW)
		row(st, out);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = db_fail(db, rc, what);
	db_done(st);
	return err;
}

void db_col_text(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(buf, len, "%s", s ? (const char *)s : "");
}

int db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	/* STATIC: every caller keeps the string alive until db_done(). */
	return sqlite3_bind_text(st, idx, s ? s : "", -1, SQLITE_STATIC);
}

int db_tx_begin(struct db *db)
{
	if (exec_sql(db, "BEGIN IMMEDIATE") == SQLITE_OK)
		return 0;
	return db_fail(db, sqlite3_extended_errcode(db->sql),
		       "starting a transaction");
}

int db_tx_end(struct db *db, int err)
{
	if (!err && exec_sql(db, "COMMIT") != SQLITE_OK)
		err = db_fail(db, sqlite3_extended_errcode(db->sql),
			      "committing");
	/* A failed COMMIT may leave the transaction open (SQLITE_BUSY). */
	if (!sqlite3_get_autocommit(db->sql))
		exec_sql(db, "ROLLBACK");
	return err;
}

bool db_fits(const char *s, size_t len)
{
	return s && strnlen(s, len) < len;
}

int db_domain_lower(char out[DB_DOMAIN_LEN], const char *domain)
{
	size_t i;

	if (!db_fits(domain, DB_DOMAIN_LEN))
		return -EINVAL;
	for (i = 0; domain[i]; i++)
		out[i] = (char)tolower((unsigned char)domain[i]);
	out[i] = '\0';
	return 0;
}

int db_named_row(struct db *db, sqlite3_stmt *st, int64_t tenant_id,
		 const char *name, const char *what)
{
	int rc;

	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, rc, what);
}

int db_del_named(struct db *db, const struct db_named *k, int64_t tenant_id,
		 const char *name)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	int err;

	/* In one transaction, so nothing starts pointing at the row between
	 * the check and the delete. */
	err = db_tx_begin(db);
	if (err)
		return err;
	err = k->find(db, tenant_id, name, &id);
	if (!err)
		err = k->in_use(db, tenant_id, name);
	if (!err)
		err = db_stmt(db, k->del_id, k->del_sql, &st);
	if (!err) {
		sqlite3_bind_int64(st, 1, id);
		err = db_change_one(db, st, k->what);
	}
	return db_tx_end(db, err);
}
