/* db_dest.c - destinations of DIDs and of the branches of time conditions:
 * the kinds, the shape of each, and that what they name exists. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "db_room.h"
#include "db_ringgroup.h"

static int ext_exists(struct db *db, int64_t tenant_id, const char *number)
{
	struct db_ext e;

	return db_ext_get(db, tenant_id, number, &e);
}

static int room_exists(struct db *db, int64_t tenant_id, const char *number)
{
	struct db_room r;

	return db_room_get(db, tenant_id, number, &r);
}

static int rg_exists(struct db *db, int64_t tenant_id, const char *number)
{
	struct db_rg r;

	return db_rg_get(db, tenant_id, number, &r);
}

static int menu_exists(struct db *db, int64_t tenant_id, const char *name)
{
	struct db_ivr_menu m;

	return db_ivr_menu_get(db, tenant_id, name, &m);
}

static int tc_exists(struct db *db, int64_t tenant_id, const char *name)
{
	struct db_timecond tc;

	return db_timecond_get(db, tenant_id, name, &tc);
}

#define NAME_RULE "1 to 32 characters: a-z, 0-9, _ and -"

/* One kind a line. `accept` is the least DB_DEST_* that takes it. */
static const struct dest_kind {
	const char *type;
	int accept;
	bool (*valid)(const char *dest);
	const char *rule;
	const char *noun; /* "no NOUN DEST in tenant ...", NULL: no lookup */
	int (*exists)(struct db *db, int64_t tenant_id, const char *dest);
} kinds[] = {
    {"extension", DB_DEST_BRANCH, db_valid_number, "1 to 31 digits",
     "extension", ext_exists},
    {"ivr", DB_DEST_BRANCH, db_valid_ivr_name, "a menu name: " NAME_RULE,
     "menu", menu_exists},
    {"voicemail", DB_DEST_BRANCH, db_valid_number, "1 to 31 digits",
     "extension", ext_exists},
    {"conference", DB_DEST_BRANCH, db_valid_number, "1 to 31 digits",
     "conference room", room_exists},
    {"ringgroup", DB_DEST_BRANCH, db_valid_number, "1 to 31 digits",
     "ring group", rg_exists},
    {"number", DB_DEST_BRANCH, db_valid_dialable,
     "1 to 31 characters: digits, letters, * # + . _ -", NULL, NULL},
    {"timecond", DB_DEST_DID, db_valid_tc_name,
     "a time condition name: " NAME_RULE, "time condition", tc_exists},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

__attribute__((format(printf, 3, 4))) static void say(char *err, size_t len,
						      const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* "no extension 1009 in tenant acme.test"; names are quoted, numbers
 * not, as ondoctl says them elsewhere. */
static int missing(struct db *db, const struct dest_kind *k, int64_t tenant_id,
		   const char *dest, char *err, size_t len)
{
	const char *q = k->valid == db_valid_number ? "" : "'";
	struct db_tenant t;
	int rc = db_tenant_by_id(db, tenant_id, &t);

	if (rc == -ENOENT)
		say(err, len, "no tenant %" PRId64, tenant_id);
	else if (rc)
		say(err, len, "database error");
	else
		say(err, len, "no %s %s%s%s in tenant %s", k->noun, q, dest, q,
		    t.domain);
	return rc && rc != -ENOENT ? rc : -ENOENT;
}

int db_dest_check(struct db *db, int64_t tenant_id, const char *type,
		  const char *dest, int kinds_ok, char *err, size_t errlen)
{
	const struct dest_kind *k = NULL;
	int rc;

	say(err, errlen, "%s", "");
	if (!db || !type || !dest)
		return -EINVAL;
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].type, type))
			k = &kinds[i];
	if (k && k->accept > kinds_ok) {
		say(err, errlen,
		    "a time condition cannot go to another one (send it to a "
		    "number whose route runs timecond)");
		return -EINVAL;
	}
	if (!k) {
		say(err, errlen, "unknown destination '%s' (%s)", type,
		    kinds_ok >= DB_DEST_DID
			? "extension, ivr, voicemail, conference, ringgroup, "
			  "number or timecond"
			: "extension, ivr, voicemail, conference, ringgroup "
			  "or number");
		return -EINVAL;
	}
	if (!k->valid(dest)) {
		say(err, errlen, "invalid %s '%s' (%s)", type, dest, k->rule);
		return -EINVAL;
	}
	if (!k->exists)
		return 0;
	rc = k->exists(db, tenant_id, dest);
	if (rc == -ENOENT)
		return missing(db, k, tenant_id, dest, err, errlen);
	if (rc)
		say(err, errlen, "database error");
	return rc;
}
