/* db_tenant_cfg.c - the table of a tenant's settings (db_tenant_cfg.h):
 * their names, checks, rules, setters, and a change of several of them
 * written in one transaction. */
#include <errno.h>
#include <string.h>

#include "db_priv.h"
#include "db_tenant_cfg.h"
#include "db_timecond.h"
#include "db_trunk.h"
#include "db_record.h"

static bool valid_name(const char *s)
{
	return s && s[0] && db_valid_name(s);
}

static bool valid_record_code(const char *s)
{
	return s && db_record_code_why(s, NULL, 0);
}

static bool valid_main_number(const char *s)
{
	return s && (!s[0] || db_valid_e164(s));
}

/* Indexed by enum db_tenant_key. The rules are said as they stand after
 * "invalid WHAT 'VALUE' (" by ondoctl and after "KEY: " by the API. */
static const struct db_tenant_setting settings[DB_TK_COUNT] = {
    [DB_TK_NAME] = {"name", "name",
		    "1 to 127 characters, no control characters, quotes or "
		    "backslashes",
		    DB_NAME_LEN, valid_name, db_tenant_set_name},
    [DB_TK_CODECS] = {"codecs", "codecs",
		      "a comma-separated list of G722, PCMU and PCMA, most "
		      "preferred first, each at most once",
		      DB_CODECS_LEN, db_valid_codecs, db_tenant_set_codecs},
    [DB_TK_MAIN_NUMBER] = {"main_number", "main number",
			   "E.164: + and 2 to 15 digits, the first not 0; "
			   "\"\" for none",
			   DB_NUMBER_LEN, valid_main_number,
			   db_tenant_set_main_number},
    [DB_TK_EMERGENCY] = {"emergency", "emergency numbers",
			 "numbers separated by commas without blanks, each 1 "
			 "to 31 of digits, letters, * # + . _ -, 63 "
			 "characters in all at most",
			 DB_EMERGENCY_LEN, db_valid_emergency,
			 db_tenant_set_emergency},
    [DB_TK_TIMEZONE] = {"timezone", "time zone",
			"an IANA name such as Europe/Berlin or "
			"America/New_York, as in /usr/share/zoneinfo",
			DB_TZ_LEN, db_valid_timezone, db_tenant_set_timezone},
    [DB_TK_RECORD_CODE] = {"record_code", "record code",
			   "2 to 4 of 0-9 * #, neither one of the in-call "
			   "codes ## *2 *70 nor their start nor starting with "
			   "one of them",
			   DB_REC_CODE_LEN, valid_record_code,
			   db_tenant_set_record_code, db_record_code_why},
};

const struct db_tenant_setting *db_tenant_setting(int k)
{
	return k >= 0 && k < DB_TK_COUNT ? &settings[k] : NULL;
}

int db_tenant_key(const char *name)
{
	for (int k = 0; name && k < DB_TK_COUNT; k++)
		if (!strcmp(settings[k].key, name))
			return k;
	return -ENOENT;
}

static void row_cfg(sqlite3_stmt *st, void *out)
{
	struct db_tenant_cfg *c = out;

	for (int k = 0; k < DB_TK_COUNT; k++)
		db_col_text(st, k, c->val[k], sizeof(c->val[k]));
}

int db_tenant_cfg_get(struct db *db, int64_t tenant_id, struct db_tenant_cfg *c)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !c)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	/* The columns in the order of enum db_tenant_key. */
	err = db_stmt(db, DB_ST_TENANT_CFG,
		      "SELECT name, codecs, main_number, emergency, timezone, "
		      "record_code FROM tenants WHERE id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	return db_fetch_row(db, st, row_cfg, c, "reading a tenant's settings");
}

int db_tenant_change_check(const struct db_tenant_change *c)
{
	for (int k = 0; c && k < DB_TK_COUNT; k++) {
		const char *v = c->val[k];

		if (v &&
		    (!db_fits(v, settings[k].len) || !settings[k].valid(v)))
			return k;
	}
	return -ENOENT;
}

int db_tenant_change_apply(struct db *db, const char *domain,
			   const struct db_tenant_change *c)
{
	struct db_tenant t;
	bool any = false;
	int err;

	if (!db || !c || !db_valid_domain(domain) ||
	    db_tenant_change_check(c) >= 0)
		return -EINVAL;
	for (int k = 0; k < DB_TK_COUNT; k++)
		any = any || c->val[k];
	if (!any)
		return db_tenant_by_domain(db, domain, &t);
	/* One transaction: a setter failing half-way (the tenant deleted
	 * meanwhile, a full disk) leaves every setting as it was. */
	err = db_tx_begin(db);
	if (err)
		return err;
	for (int k = 0; !err && k < DB_TK_COUNT; k++)
		if (c->val[k])
			err = settings[k].set(db, domain, c->val[k]);
	return db_tx_end(db, err);
}

int db_tenant_set_name(struct db *db, const char *domain, const char *name)
{
	if (!db || !valid_name(name))
		return -EINVAL;
	return db_set_tenant_text(db, DB_ST_TENANT_NAME,
				  "UPDATE tenants SET name = ?2 "
				  "WHERE domain = ?1",
				  domain, name, "renaming a tenant");
}
