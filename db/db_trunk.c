/* db_trunk.c - SIP trunks: a tenant's (or the shared) carrier endpoints. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"

#define TRUNK_COLS                                                             \
	"SELECT id, tenant_id, name, host, port, transport, auth, username, "  \
	"password, expiry, ips, codecs, callerid, max_calls, out_strip, "      \
	"out_prefix, in_strip, in_prefix, max_per_hour FROM trunks "

/* A shared trunk is stored with tenant_id NULL (so the foreign key has
 * nothing to check) and read as 0; every lookup compares
 * ifnull(tenant_id, 0), which the unique index trunks_name serves. */
#define TRUNK_KEY "ifnull(tenant_id, 0) = ?1 AND name = ?2"

#define TRUNK_DEFAULT_PORT   5060
#define TRUNK_DEFAULT_EXPIRY 600
#define TRUNK_DEFAULT_CODECS "PCMU,PCMA,G722"

/* RFC 3261 user-unreserved and unreserved marks: what a user part of a
 * SIP URI may hold unescaped, and nothing that would need quoting in the
 * digest Authorization header. */
#define USER_CHARS "-_.!~*'()&=+$,;?/"

void db_trunk_defaults(struct db_trunk *t)
{
	memset(t, 0, sizeof(*t));
	t->port = TRUNK_DEFAULT_PORT;
	snprintf(t->transport, sizeof(t->transport), "udp");
	t->expiry = TRUNK_DEFAULT_EXPIRY;
	snprintf(t->codecs, sizeof(t->codecs), TRUNK_DEFAULT_CODECS);
	snprintf(t->callerid, sizeof(t->callerid), "did");
}

static bool one_of(const char *s, const char *const *words)
{
	if (!db_fits(s, DB_WORD_LEN))
		return false;
	for (; *words; words++)
		if (!strcmp(s, *words))
			return true;
	return false;
}

static bool in_range(int v, int min, int max)
{
	return v >= min && v <= max;
}

/* The account at the carrier; "" only where it is not needed. */
static bool valid_user(const char *s, bool needed)
{
	size_t len = strnlen(s, DB_TRUNK_USER_LEN);

	if (len >= DB_TRUNK_USER_LEN || (needed && len == 0))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || strchr(USER_CHARS, s[i])))
			return false;
	return true;
}

/* Printable ASCII: it only ever goes into the digest hash, but a carrier
 * that counts bytes differently than the admin typed them would refuse
 * every REGISTER with no clue why. */
static bool valid_secret(const char *s, bool needed)
{
	size_t len = strnlen(s, DB_TRUNK_PASS_LEN);

	if (len >= DB_TRUNK_PASS_LEN || (needed && len == 0))
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

const char *db_trunk_check(const struct db_trunk *t)
{
	static const char *const transports[] = {"udp", "tcp", NULL};
	static const char *const auths[] = {"register", "ip", NULL};
	static const char *const callerids[] = {"did", "main", "anonymous",
						NULL};
	bool reg;

	if (!t || !db_valid_trunk_name(t->name))
		return "name";
	if (!db_valid_domain(t->host))
		return "host";
	if (!in_range(t->port, 1, 65535))
		return "port";
	if (!one_of(t->transport, transports))
		return "transport";
	if (!one_of(t->auth, auths))
		return "auth";
	reg = !strcmp(t->auth, "register");
	if (!valid_user(t->username, reg))
		return "username";
	if (!valid_secret(t->password, reg))
		return "password";
	if (!in_range(t->expiry, DB_TRUNK_EXPIRY_MIN, DB_TRUNK_EXPIRY_MAX))
		return "expiry";
	if (!db_valid_ip_list(t->ips))
		return "ips";
	if (!db_valid_codecs(t->codecs))
		return "codecs";
	if (!one_of(t->callerid, callerids))
		return "callerid";
	if (!in_range(t->max_calls, 0, DB_TRUNK_MAX_CALLS))
		return "max-calls";
	if (!in_range(t->max_per_hour, 0, DB_TRUNK_MAX_PER_HOUR))
		return "max-per-hour";
	if (!in_range(t->out_strip, 0, DB_TRUNK_STRIP_MAX))
		return "out-strip";
	if (!db_valid_prefix(t->out_prefix))
		return "out-prefix";
	if (!in_range(t->in_strip, 0, DB_TRUNK_STRIP_MAX))
		return "in-strip";
	if (!db_valid_prefix(t->in_prefix))
		return "in-prefix";
	return NULL;
}

static void row_trunk(sqlite3_stmt *st, struct db_trunk *t)
{
	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(st, 0);
	t->tenant_id = sqlite3_column_int64(st, 1); /* NULL reads as 0 */
	db_col_text(st, 2, t->name, sizeof(t->name));
	db_col_text(st, 3, t->host, sizeof(t->host));
	t->port = sqlite3_column_int(st, 4);
	db_col_text(st, 5, t->transport, sizeof(t->transport));
	db_col_text(st, 6, t->auth, sizeof(t->auth));
	db_col_text(st, 7, t->username, sizeof(t->username));
	db_col_text(st, 8, t->password, sizeof(t->password));
	t->expiry = sqlite3_column_int(st, 9);
	db_col_text(st, 10, t->ips, sizeof(t->ips));
	db_col_text(st, 11, t->codecs, sizeof(t->codecs));
	db_col_text(st, 12, t->callerid, sizeof(t->callerid));
	t->max_calls = sqlite3_column_int(st, 13);
	t->out_strip = sqlite3_column_int(st, 14);
	db_col_text(st, 15, t->out_prefix, sizeof(t->out_prefix));
	t->in_strip = sqlite3_column_int(st, 16);
	db_col_text(st, 17, t->in_prefix, sizeof(t->in_prefix));
	t->max_per_hour = sqlite3_column_int(st, 18);
}

/* Binds the settings as ?1..?18 in the order of the trunks columns after
 * id, the codec list (`codecs`, canonical) included. The strings are
 * borrowed until db_done. */
static void bind_trunk(sqlite3_stmt *st, const struct db_trunk *t,
		       const char *codecs)
{
	if (t->tenant_id)
		sqlite3_bind_int64(st, 1, t->tenant_id);
	else
		sqlite3_bind_null(st, 1);
	db_bind_text(st, 2, t->name);
	db_bind_text(st, 3, t->host);
	sqlite3_bind_int(st, 4, t->port);
	db_bind_text(st, 5, t->transport);
	db_bind_text(st, 6, t->auth);
	db_bind_text(st, 7, t->username);
	db_bind_text(st, 8, t->password);
	sqlite3_bind_int(st, 9, t->expiry);
	db_bind_text(st, 10, t->ips);
	db_bind_text(st, 11, codecs);
	db_bind_text(st, 12, t->callerid);
	sqlite3_bind_int(st, 13, t->max_calls);
	sqlite3_bind_int(st, 14, t->out_strip);
	db_bind_text(st, 15, t->out_prefix);
	sqlite3_bind_int(st, 16, t->in_strip);
	db_bind_text(st, 17, t->in_prefix);
	sqlite3_bind_int(st, 18, t->max_per_hour);
}

/* What add and update both check: the fields, the tenant id, and the
 * codec list in its stored spelling. */
static int prepare_trunk(const struct db_trunk *t, char codecs[DB_CODECS_LEN])
{
	if (!t || t->tenant_id < 0 || db_trunk_check(t) ||
	    db_codecs_canon(t->codecs, codecs))
		return -EINVAL;
	return 0;
}

int db_trunk_add(struct db *db, const struct db_trunk *t, int64_t *idp)
{
	char codecs[DB_CODECS_LEN];
	sqlite3_stmt *st;
	int err;

	if (!db || prepare_trunk(t, codecs))
		return -EINVAL;
	err = db_stmt(db, DB_ST_TRUNK_ADD,
		      "INSERT INTO trunks (tenant_id, name, host, port, "
		      "transport, auth, username, password, expiry, ips, "
		      "codecs, callerid, max_calls, out_strip, out_prefix, "
		      "in_strip, in_prefix, max_per_hour) VALUES (?1, ?2, ?3, "
		      "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
		      "?16, ?17, ?18)",
		      &st);
	if (err)
		return err;
	bind_trunk(st, t, codecs);
	err = db_exec_step(db, st, "adding a trunk");
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return err;
}

int db_trunk_update(struct db *db, const struct db_trunk *t)
{
	char codecs[DB_CODECS_LEN];
	sqlite3_stmt *st;
	int err;

	if (!db || prepare_trunk(t, codecs))
		return -EINVAL;
	err = db_stmt(db, DB_ST_TRUNK_UPDATE,
		      "UPDATE trunks SET tenant_id = ?1, name = ?2, host = ?3, "
		      "port = ?4, transport = ?5, auth = ?6, username = ?7, "
		      "password = ?8, expiry = ?9, ips = ?10, codecs = ?11, "
		      "callerid = ?12, max_calls = ?13, out_strip = ?14, "
		      "out_prefix = ?15, in_strip = ?16, in_prefix = ?17, "
		      "max_per_hour = ?18 WHERE id = ?19",
		      &st);
	if (err)
		return err;
	bind_trunk(st, t, codecs);
	sqlite3_bind_int64(st, 19, t->id);
	return db_change_one(db, st, "changing a trunk");
}

/* Steps a statement expected to return at most one trunk. */
static int fetch_one(struct db *db, sqlite3_stmt *st, struct db_trunk *t)
{
	int rc = sqlite3_step(st);
	int err = 0;

	if (rc == SQLITE_ROW)
		row_trunk(st, t);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = db_fail(db, rc, "looking up a trunk");
	db_done(st);
	return err;
}

int db_trunk_get(struct db *db, int64_t tenant_id, const char *name,
		 struct db_trunk *t)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !t || !db_fits(name, DB_TRUNK_NAME_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_TRUNK_GET, TRUNK_COLS "WHERE " TRUNK_KEY, &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, name);
	return fetch_one(db, st, t);
}

int db_trunk_by_id(struct db *db, int64_t id, struct db_trunk *t)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !t)
		return -EINVAL;
	err = db_stmt(db, DB_ST_TRUNK_BY_ID, TRUNK_COLS "WHERE id = ?1", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, id);
	return fetch_one(db, st, t);
}

int db_trunk_del(struct db *db, int64_t tenant_id, const char *name)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !db_fits(name, DB_TRUNK_NAME_LEN))
		return -EINVAL;
	/* The tenant in the key: one tenant naming another's trunk finds
	 * nothing, as with routes. */
	err = db_stmt(db, DB_ST_TRUNK_DEL,
		      "DELETE FROM trunks WHERE " TRUNK_KEY, &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, name);
	return db_change_one(db, st, "deleting a trunk");
}

int db_trunk_list(struct db *db, int64_t tenant_id,
		  int (*h)(const struct db_trunk *t, void *arg), void *arg)
{
	struct db_trunk t;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	/* One statement for one tenant and for all: a PBX has a handful of
	 * trunks, and the index's order is the order wanted either way. */
	err = db_stmt(db, DB_ST_TRUNK_LIST,
		      TRUNK_COLS "WHERE ?1 < 0 OR ifnull(tenant_id, 0) = ?1 "
				 "ORDER BY ifnull(tenant_id, 0), name",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_trunk(st, &t);
		err = h(&t, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing trunks");
	db_done(st);
	return err;
}

/* What a good value of each field db_trunk_check names is, for the
 * admin's error message (ondoctl, the REST API). */
static const struct {
	const char *field, *rule;
} rules[] = {
    {"name", "1 to 32 characters: a-z, 0-9, _ and -"},
    {"host", "a DNS name or an IPv4 address"},
    {"port", "1 to 65535"},
    {"transport", "udp or tcp"},
    {"auth", "register or ip"},
    {"username", "the account at the carrier: 1 to 63 of letters, digits "
		 "and - _ . ! ~ * ' ( ) & = + $ , ; ? /"},
    {"password", "1 to 127 printable ASCII characters"},
    {"expiry", "60 to 86400 seconds"},
    {"ips", "IPv4 or IPv6 addresses, prefixes (10.0.0.0/24, "
	    "2001:db8::/32) or host names, separated by commas"},
    {"codecs", "a comma-separated list of G722, PCMU, PCMA"},
    {"callerid", "did, main or anonymous"},
    {"max-calls", "0 (no limit) to 100000"},
    {"max-per-hour", "0 (no limit) to 1000000 outbound calls an hour"},
    {"out-strip", "0 to 15"},
    {"out-prefix", "at most 15 of 0-9 + * #"},
    {"in-strip", "0 to 15"},
    {"in-prefix", "at most 15 of 0-9 + * #"},
};

const char *db_trunk_rule(const char *field)
{
	for (size_t i = 0; field && i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].field, field))
			return rules[i].rule;
	return "";
}
