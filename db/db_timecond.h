/* db_timecond.h - time conditions, their weekly rules and holidays, the
 * tenant's time zone, and the destinations DIDs and time conditions share
 * (migrations/0008_timecond.sql). */
#ifndef ONDO_DB_TIMECOND_H
#define ONDO_DB_TIMECOND_H

#include "db.h"
#include "db_trunk.h"

/*
 * Destinations: where a DID or a branch of a time condition sends a call.
 *   extension  an extension number of the tenant (must exist when stored)
 *   ivr        an IVR menu of the tenant (must exist when stored)
 *   voicemail  the mailbox of an extension of the tenant (must exist)
 *   conference a conference room of the tenant (must exist)
 *   ringgroup  a ring group of the tenant (must exist)
 *   number     a number dialled through the tenant's dialplan
 *              (db_valid_dialable)
 *   timecond   a time condition of the tenant (must exist): DIDs only; a
 *              branch of a condition cannot be another condition (use a
 *              number and a route, whose app timecond is bounded)
 */
#define DB_DEST_LEN                                                            \
	(DB_NUMBER_LEN + 32) /* a menu or condition name, a number */
/* Which kinds a caller of db_dest_check accepts. DB_DEST_BRANCH:
 * extension, ivr, voicemail, conference, ringgroup and number;
 * DB_DEST_DID: those and timecond. */
#define DB_DEST_BRANCH 0
#define DB_DEST_DID    1

/* Checks that `type` with `dest` may be stored as a destination in the
 * tenant: 0; -EINVAL for a kind not accepted by `kinds` or a dest of the
 * wrong shape; -ENOENT if the extension, menu or condition does not exist
 * in the tenant; -EIO (logged). `err` (may be NULL) gets one line saying
 * what is wrong: "unknown destination 'conference' (extension, ivr,
 * voicemail or number)", "invalid extension '10a' (1 to 31 digits)", "no extension 1009
 * in tenant acme.test", "no time condition 'office' in tenant acme.test";
 * "" on success. db_did_dest_check is this with DB_DEST_DID. */
int db_dest_check(struct db *db, int64_t tenant_id, const char *type,
		  const char *dest, int kinds, char *err, size_t errlen);

/* A tenant's time zone: an IANA name, "UTC" by default. */
#define DB_TZ_LEN     64
#define DB_TZ_DEFAULT "UTC"
/* A zone that can be loaded (tz_check in pbx/core/tz.h). */
bool db_valid_timezone(const char *s);
/* -EINVAL for a zone that does not load or a bad domain, -ENOENT if there
 * is no such tenant. */
int db_tenant_set_timezone(struct db *db, const char *domain, const char *tz);
int db_tenant_timezone(struct db *db, int64_t tenant_id, char tz[DB_TZ_LEN]);

/*
 * A time condition: open while one of its rules holds (weekdays and a
 * time range, local time of the tenant's zone) and the local date is not
 * one of its holidays; closed otherwise. Calls go to the open or the
 * closed destination.
 */
#define DB_TC_NAME_LEN	       33 /* a-z 0-9 _ -, 1..32, as IVR menus */
#define DB_TC_RULES_MAX	       32 /* per condition */
#define DB_TC_HOLIDAYS_MAX     100
#define DB_TC_RULE_TEXT_LEN    40 /* "mon,tue,wed,thu,fri,sat,sun 08:00-17:30" */
#define DB_TC_DATE_LEN	       11 /* "YYYY-MM-DD" */
#define DB_TC_HOLIDAY_NAME_LEN 64

struct db_timecond {
	int64_t id, tenant_id;
	char name[DB_TC_NAME_LEN];
	char open_type[DB_WORD_LEN], open_dest[DB_DEST_LEN];
	char closed_type[DB_WORD_LEN], closed_dest[DB_DEST_LEN];
};

/* Weekdays of a rule: bit 0 Monday .. bit 6 Sunday. */
#define DB_TC_ALL_DAYS 0x7f

/* Open on `days` from start_min to end_min (minutes of the local day,
 * 0..1439 and 1..1440, not equal). end_min < start_min spans midnight:
 * "sat 22:00-02:00" holds Saturday from 22:00 and Sunday until 02:00. */
struct db_tc_rule {
	int64_t id;
	unsigned days;
	int start_min, end_min;
};

/* A day the condition is closed: year 0 for every year. */
struct db_tc_holiday {
	int64_t id;
	int year, month, day;
	char name[DB_TC_HOLIDAY_NAME_LEN]; /* db_valid_name, may be "" */
};

/* What still points at a condition (db_timecond_ref). */
struct db_tc_ref {
	int64_t route_id;	 /* > 0: a route runs `timecond NAME` */
	char did[DB_NUMBER_LEN]; /* else this DID goes to it */
};

/* A name: 1 to DB_TC_NAME_LEN - 1 of a-z 0-9 _ -. */
bool db_valid_tc_name(const char *s);

/* "mon-fri 08:00-17:30", "sat 22:00-02:00", "mon,wed,fri-sun" (all day):
 * days are mon..sun, ranges (which may wrap: "fri-mon") and commas; the
 * time range HH:MM-HH:MM is optional (00:00-24:00), 24:00 may end it.
 * Pure. 0, or -EINVAL with one line in `err` (may be NULL), e.g. "unknown
 * day 'mo' (mon, tue, wed, thu, fri, sat, sun)". */
int db_tc_rule_parse(const char *text, struct db_tc_rule *r, char *err,
		     size_t errlen);
/* The rule as db_tc_rule_parse reads it back, days from Monday, runs of
 * two days or more as ranges: "mon-fri 08:00-17:30", "mon,sat-sun
 * 00:00-24:00". */
void db_tc_rule_format(const struct db_tc_rule *r,
		       char out[DB_TC_RULE_TEXT_LEN]);
/* "2026-12-25" (once) or "12-25" (every year), a real date (02-29 every
 * year is one). Pure. 0 or -EINVAL. */
int db_tc_date_parse(const char *text, struct db_tc_holiday *h);
void db_tc_date_format(const struct db_tc_holiday *h, char out[DB_TC_DATE_LEN]);

/* Checks every field of `tc` as db_timecond_add will (tc->tenant_id, the
 * name, both destinations with DB_DEST_BRANCH): 0, or -EINVAL / -ENOENT
 * with one line in `err` naming the field: "open: no extension 1009 in
 * tenant acme.test", "name: invalid ...". -EIO (logged). */
int db_timecond_check(struct db *db, const struct db_timecond *tc, char *err,
		      size_t errlen);
/* Stores tc (its id ignored) and puts the new id in *idp (may be NULL).
 * -EINVAL or -ENOENT as db_timecond_check; -EEXIST if the tenant has a
 * condition of that name. */
int db_timecond_add(struct db *db, const struct db_timecond *tc, int64_t *idp);
/* Replaces both destinations of the tenant's condition tc->name; errors
 * as add, and -ENOENT if there is no such condition. */
int db_timecond_update(struct db *db, const struct db_timecond *tc);
/* -ENOENT if the tenant has no condition `name`. */
int db_timecond_get(struct db *db, int64_t tenant_id, const char *name,
		    struct db_timecond *tc);
/* Deletes the condition with its rules and holidays. -EBUSY while a DID
 * or a route of the tenant uses it (db_timecond_ref says which); -ENOENT
 * if there is none. */
int db_timecond_del(struct db *db, int64_t tenant_id, const char *name);
/* One thing that uses condition `name`: routes first (lowest id), then
 * DIDs (by number). 0 with *ref filled, -ENOENT if nothing does. */
int db_timecond_ref(struct db *db, int64_t tenant_id, const char *name,
		    struct db_tc_ref *ref);
/* Calls h for each condition of the tenant (0: every tenant, by tenant id)
 * by name; a non-zero return stops the walk and is returned. */
int db_timecond_list(struct db *db, int64_t tenant_id,
		     int (*h)(const struct db_timecond *tc, void *arg),
		     void *arg);

/* Adds a rule to condition `tc_id` (r->id ignored); the new id in *idp
 * (may be NULL). -EINVAL for a bad rule, -ENOSPC when the condition has
 * DB_TC_RULES_MAX, -ENOENT if there is no such condition. */
int db_tc_rule_add(struct db *db, int64_t tc_id, const struct db_tc_rule *r,
		   int64_t *idp);
/* -ENOENT if condition `tc_id` has no rule `id`. */
int db_tc_rule_del(struct db *db, int64_t tc_id, int64_t id);
/* The condition's rules in the order they were added. */
int db_tc_rule_list(struct db *db, int64_t tc_id,
		    int (*h)(const struct db_tc_rule *r, void *arg), void *arg);

/* Adds a holiday (h->id ignored). -EINVAL for a bad date or name, -EEXIST
 * if the condition has that date, -ENOSPC at DB_TC_HOLIDAYS_MAX, -ENOENT
 * if there is no such condition. */
int db_tc_holiday_add(struct db *db, int64_t tc_id,
		      const struct db_tc_holiday *h, int64_t *idp);
/* Deletes the holiday of that date (h's year, month, day); -ENOENT if the
 * condition has none. */
int db_tc_holiday_del(struct db *db, int64_t tc_id,
		      const struct db_tc_holiday *h);
/* The condition's holidays, every-year ones (MM-DD) first, then by date. */
int db_tc_holiday_list(struct db *db, int64_t tc_id,
		       int (*h)(const struct db_tc_holiday *hd, void *arg),
		       void *arg);

#endif
