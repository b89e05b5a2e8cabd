/* db_park.c - a tenant's call park settings (db_park.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_priv.h"
#include "db_park.h"

/* A number is a slot when it is written as SQLite's CAST reads it back:
 * digits, no leading zero, short enough for an integer. */
/* clang-format off */
#define SLOT_SQL(col, first, last)                                             \
	"(" first " > 0 AND " col " NOT GLOB '*[^0-9]*' AND " col              \
	" NOT GLOB '0*' AND length(" col ") < 10 AND CAST(" col                \
	" AS INTEGER) BETWEEN " first " AND " last ")"

/* The tenant's (?1) numbers that the park number ?2 or the slots ?3..?4
 * would take, the park number's first. */
#define CLASH_SQL                                                              \
	"SELECT kind, number FROM ("                                           \
	"SELECT 'an extension' AS kind, number FROM extensions "               \
	"WHERE tenant_id = ?1 UNION ALL "                                      \
	"SELECT 'a conference room', number FROM rooms "                       \
	"WHERE tenant_id = ?1 UNION ALL "                                      \
	"SELECT 'a ring group', number FROM ringgroups "                       \
	"WHERE tenant_id = ?1) WHERE number = ?2 OR "                          \
	SLOT_SQL("number", "?3", "?4")                                         \
	" ORDER BY number = ?2 DESC, number LIMIT 1"
/* clang-format on */

void db_park_defaults(struct db_park *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->number, sizeof(p->number), "%s", DB_PARK_NUMBER_DEFAULT);
	p->first = DB_PARK_FIRST_DEFAULT;
	p->last = DB_PARK_LAST_DEFAULT;
	p->timeout = DB_PARK_TIMEOUT_DEFAULT;
}

static int bad(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	return -EINVAL;
}

int db_park_check(const struct db_park *p, char *err, size_t errlen)
{
	if (!p)
		return bad(err, errlen, "no settings");
	if (p->number[0] && !db_valid_number(p->number))
		return bad(err, errlen,
			   "number: digits only, or \"\" for none");
	if (p->first == 0 && p->last == 0)
		; /* no slots */
	else if (p->first < 1 || p->last > DB_PARK_SLOT_MAX ||
		 p->last < p->first)
		return bad(err, errlen,
			   "slots: FIRST-LAST, 1 to 99999999, FIRST <= LAST");
	else if (p->last - p->first >= DB_PARK_SLOTS_MAX)
		return bad(err, errlen, "slots: 1 to 100 of them");
	if (p->timeout < DB_PARK_TIMEOUT_MIN ||
	    p->timeout > DB_PARK_TIMEOUT_MAX)
		return bad(err, errlen, "timeout: 5 to 3600 seconds");
	if (p->number[0] && db_park_is_slot(p, p->number))
		return bad(err, errlen, "number: it is one of the slots");
	return 0;
}

/* A whole number of at most 8 digits, no sign, no leading zero. */
static int parse_slot(const char *s, size_t n, int *v)
{
	char buf[16];
	char *end;

	if (n == 0 || n > 8 || s[0] == '0')
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
	*v = (int)strtol(buf, &end, 10);
	return 0;
}

int db_park_parse_slots(const char *s, int *first, int *last)
{
	const char *dash;

	if (!s)
		return -EINVAL;
	if (!*s || !strcmp(s, "off")) {
		*first = *last = 0;
		return 0;
	}
	dash = strchr(s, '-');
	if (!dash) {
		if (parse_slot(s, strlen(s), first))
			return -EINVAL;
		*last = *first;
		return 0;
	}
	if (parse_slot(s, (size_t)(dash - s), first) ||
	    parse_slot(dash + 1, strlen(dash + 1), last))
		return -EINVAL;
	return 0;
}

void db_park_slots_str(const struct db_park *p, char *out, size_t len)
{
	if (!p->first)
		snprintf(out, len, "%s", "");
	else if (p->first == p->last)
		snprintf(out, len, "%d", p->first);
	else
		snprintf(out, len, "%d-%d", p->first, p->last);
}

static void row_park(sqlite3_stmt *st, void *out)
{
	struct db_park *p = out;

	db_col_text(st, 0, p->number, sizeof(p->number));
	p->first = sqlite3_column_int(st, 1);
	p->last = sqlite3_column_int(st, 2);
	p->timeout = sqlite3_column_int(st, 3);
}

int db_park_get(struct db *db, int64_t tenant_id, struct db_park *p)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !p)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->tenant_id = tenant_id;
	err = db_stmt(db, DB_ST_PARK_GET,
		      "SELECT park_number, park_first, park_last, park_timeout "
		      "FROM tenants WHERE id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	return db_fetch_row(db, st, row_park, p, "reading park settings");
}

/* The first number of the tenant that p would take from something else:
 * its kind and number into err. 0 none, -EEXIST, or -EIO. */
static int clash(struct db *db, const struct db_park *p, char *err,
		 size_t errlen)
{
	char kind[32] = "", number[DB_NUMBER_LEN] = "";
	sqlite3_stmt *st;
	int rc, e;

	e = db_stmt(db, DB_ST_PARK_CLASH, CLASH_SQL, &st);
	if (e)
		return e;
	sqlite3_bind_int64(st, 1, p->tenant_id);
	db_bind_text(st, 2, p->number);
	sqlite3_bind_int(st, 3, p->first);
	sqlite3_bind_int(st, 4, p->last);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		db_col_text(st, 0, kind, sizeof(kind));
		db_col_text(st, 1, number, sizeof(number));
	}
	db_done(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "checking park numbers");
	if (err && errlen)
		snprintf(err, errlen, "%s: %s is %s",
			 strcmp(number, p->number) ? "slots" : "number", number,
			 kind);
	return -EEXIST;
}

int db_park_set(struct db *db, const struct db_park *p, char *err,
		size_t errlen)
{
	sqlite3_stmt *st;
	int e;

	if (!db || db_park_check(p, err, errlen))
		return -EINVAL;
	e = clash(db, p, err, errlen);
	if (e)
		return e;
	e = db_stmt(db, DB_ST_PARK_SET,
		    "UPDATE tenants SET park_number = ?2, park_first = ?3, "
		    "park_last = ?4, park_timeout = ?5 WHERE id = ?1",
		    &st);
	if (e)
		return e;
	sqlite3_bind_int64(st, 1, p->tenant_id);
	db_bind_text(st, 2, p->number);
	sqlite3_bind_int(st, 3, p->first);
	sqlite3_bind_int(st, 4, p->last);
	sqlite3_bind_int(st, 5, p->timeout);
	return db_change_one(db, st, "changing park settings");
}

int db_park_takes(struct db *db, int64_t tenant_id, const char *number)
{
	struct db_park p;

	if (!number || db_park_get(db, tenant_id, &p))
		return 0;
	return (p.number[0] && !strcmp(p.number, number)) ||
	       db_park_is_slot(&p, number);
}

int db_park_is_slot(const struct db_park *p, const char *number)
{
	int v;

	if (!p || !p->first || !number ||
	    parse_slot(number, strlen(number), &v))
		return 0;
	return v >= p->first && v <= p->last;
}

int db_park_pick_slot(const struct db_park *p,
		      int (*taken)(const char *slot, void *arg), void *arg,
		      char *out, size_t len)
{
	char slot[16];

	if (!p || !p->first || !out || !len)
		return -ENOSPC;
	for (int n = p->first; n <= p->last; n++) {
		snprintf(slot, sizeof(slot), "%d", n);
		if (taken && taken(slot, arg))
			continue;
		if (strlen(slot) >= len)
			return -ENOSPC;
		memcpy(out, slot, strlen(slot) + 1);
		return 0;
	}
	return -ENOSPC;
}
