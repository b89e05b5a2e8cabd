/* db_record.c - when extensions' and routes' calls are recorded. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "db_record.h"
#include "core/log.h"

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

/* What each in-call code does, for the admin's error message. */
static const char *incall_name(const char *code)
{
	return !strcmp(code, "##")   ? "blind transfer"
	       : !strcmp(code, "*2") ? "consult"
				     : "park";
}

bool db_record_code_why(const char *code, char *why, size_t len)
{
	/* pbx/sip/call_keys.c's */
	static const char *const incall[] = {"##", "*2", "*70"};
	size_t n = code ? strnlen(code, DB_REC_CODE_LEN) : 0;

	if (!code || n < 2 || n >= DB_REC_CODE_LEN ||
	    strspn(code, "0123456789*#") != n) {
		if (why)
			snprintf(why, len,
				 "'%s' is not 2 to %d of 0-9, * and #",
				 code ? code : "", DB_REC_CODE_LEN - 1);
		return false;
	}
	/* A code that begins another could never be keyed whole: the
	 * shorter one would act first (or, held back, eat its keys). */
	for (size_t i = 0; i < sizeof(incall) / sizeof(incall[0]); i++) {
		size_t k = strlen(incall[i]);
		if (strncmp(code, incall[i], n < k ? n : k))
			continue;
		if (why)
			snprintf(why, len, "'%s' %s the in-call code %s (%s)",
				 code,
				 n == k	 ? "is"
				 : n < k ? "is the start of"
					 : "begins with",
				 incall[i], incall_name(incall[i]));
		return false;
	}
	return true;
}

int db_tenant_set_record_code(struct db *db, const char *domain,
			      const char *code)
{
	if (!db || !db_record_code_why(code, NULL, 0))
		return -EINVAL;
	return db_set_tenant_text(db, DB_ST_TENANT_SET_REC_CODE,
				  "UPDATE tenants SET record_code = ?2 "
				  "WHERE domain = ?1",
				  domain, code, "setting a recording code");
}

void db_tenant_record_code(struct db *db, int64_t tenant_id,
			   char code[DB_REC_CODE_LEN])
{
	char stored[32]; /* room to see that a hand-edited one is too long */
	sqlite3_stmt *st;

	snprintf(code, DB_REC_CODE_LEN, "%s", DB_REC_CODE_DEFAULT);
	if (!db ||
	    db_stmt(db, DB_ST_TENANT_REC_CODE,
		    "SELECT record_code FROM tenants WHERE id = ?1", &st))
		return;
	sqlite3_bind_int64(st, 1, tenant_id);
	if (db_fetch_text(db, st, stored, sizeof(stored),
			  "reading a tenant's recording code"))
		return;
	if (db_record_code_why(stored, NULL, 0))
		memcpy(code, stored, strlen(stored) + 1); /* checked: fits */
	else
		LOGW("db",
		     "tenant %lld: recording code '%s' unusable, %s "
		     "used",
		     (long long)tenant_id, stored, DB_REC_CODE_DEFAULT);
}
