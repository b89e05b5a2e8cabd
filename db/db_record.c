/* db_record.c - when extensions' and routes' calls are recorded. */
#include <errno.h>
#include <string.h>

#include "db_priv.h"
#include "db_record.h"

/* In enum db_record order. */
static const char *const names[] = {"never", "on-demand", "always"};
#define NMODES (int)(sizeof(names) / sizeof(names[0]))

int db_record_parse(const char *word)
{
	for (int i = 0; word && i < NMODES; i++)
		if (!strcmp(word, names[i]))
			return i;
	return -EINVAL;
}

const char *db_record_name(enum db_record mode)
{
	return (int)mode >= 0 && (int)mode < NMODES ? names[mode] : NULL;
}

int db_ext_set_record(struct db *db, int64_t tenant_id, const char *number,
		      const char *mode)
{
	if (!db || !db_fits(number, DB_NUMBER_LEN) || db_record_parse(mode) < 0)
		return -EINVAL;
	return db_ext_set_text(db, DB_ST_EXT_SET_RECORD,
			       "UPDATE extensions SET record = ?3 "
			       "WHERE tenant_id = ?1 AND number = ?2",
			       tenant_id, number, mode,
			       "setting an extension's recording");
}

int db_route_set_record(struct db *db, int64_t tenant_id, int64_t id,
			const char *mode)
{
	if (!db || db_record_parse(mode) < 0)
		return -EINVAL;
	/* The tenant in the WHERE clause, as in db_route_del. */
	return db_route_set_text(db, DB_ST_ROUTE_SET_RECORD,
				 "UPDATE routes SET record = ?3 "
				 "WHERE tenant_id = ?1 AND id = ?2",
				 tenant_id, id, mode,
				 "setting a route's recording");
}

static enum db_record mode_of(struct db *db, sqlite3_stmt *st)
{
	char word[DB_WORD_LEN];
	int m;

	if (db_fetch_text(db, st, word, sizeof(word), "reading a recording mode"))
		return DB_REC_NEVER;
	m = db_record_parse(word);
	return m < 0 ? DB_REC_NEVER : (enum db_record)m;
}

enum db_record db_ext_record(struct db *db, int64_t tenant_id,
			     const char *number)
{
	sqlite3_stmt *st;

	if (!db || !db_fits(number, DB_NUMBER_LEN) ||
	    db_stmt(db, DB_ST_EXT_RECORD,
		    "SELECT record FROM extensions "
		    "WHERE tenant_id = ?1 AND number = ?2",
		    &st))
		return DB_REC_NEVER;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	return mode_of(db, st);
}

enum db_record db_route_record(struct db *db, int64_t tenant_id, int64_t id)
{
	sqlite3_stmt *st;

	if (!db || db_stmt(db, DB_ST_ROUTE_RECORD,
			   "SELECT record FROM routes "
			   "WHERE tenant_id = ?1 AND id = ?2",
			   &st))
		return DB_REC_NEVER;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	return mode_of(db, st);
}
