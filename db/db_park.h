/* db_park.h - a tenant's call park settings: the park number, the slots
 * and the timeout (migrations/0017_park.sql, docs/park.md). */
#ifndef ONDO_DB_PARK_H
#define ONDO_DB_PARK_H

#include "db.h"

#define DB_PARK_NUMBER_DEFAULT	"70"
#define DB_PARK_FIRST_DEFAULT	71
#define DB_PARK_LAST_DEFAULT	79
#define DB_PARK_TIMEOUT_DEFAULT 60
#define DB_PARK_TIMEOUT_MIN	5 /* seconds a call waits in its slot */
#define DB_PARK_TIMEOUT_MAX	3600
#define DB_PARK_SLOTS_MAX	100	 /* slots a tenant may have */
#define DB_PARK_SLOT_MAX	99999999 /* the highest slot number */

struct db_park {
	int64_t tenant_id;
	/* what a phone transfers a call to, to park it; "" none */
	char number[DB_NUMBER_LEN];
	/* the slots are the numbers first..last; first 0: no slots */
	int first, last;
	int timeout; /* seconds before the parker is rung back */
};

/* The defaults: park number 70, slots 71-79, 60 s. */
void db_park_defaults(struct db_park *p);
/* Checks the shape of every field: 0, or -EINVAL with one line in err
 * that starts with the field's name ("slots: 1 to 100 of them"). */
int db_park_check(const struct db_park *p, char *err, size_t errlen);
/* "71-79" (or "71", one slot; "" or "off": none) into *first, *last.
 * 0 or -EINVAL; the range itself is judged by db_park_check. */
int db_park_parse_slots(const char *s, int *first, int *last);
/* The slots as "71-79", "71" or "" into out. */
void db_park_slots_str(const struct db_park *p, char *out, size_t len);

/* Tenant tenant_id's settings into *p; -ENOENT if there is no tenant. */
int db_park_get(struct db *db, int64_t tenant_id, struct db_park *p);
/* Stores p (checked first: -EINVAL with err). -EEXIST, with the clash in
 * err ("slots: 75 is an extension"), if the park number or a slot is an
 * extension, a conference room or a ring group of the tenant, or the park
 * number is one of the slots; -ENOENT if there is no such tenant. */
int db_park_set(struct db *db, const struct db_park *p, char *err,
		size_t errlen);

/* 1 if `number` is tenant tenant_id's park number or one of its slots
 * (what refused an extension, room or ring group of that number), else
 * 0 (also when the settings cannot be read). */
int db_park_takes(struct db *db, int64_t tenant_id, const char *number);
/* 1 if `number` is one of p's slots (written as plain decimal: "71",
 * never "071"), else 0. */
int db_park_is_slot(const struct db_park *p, const char *number);
/* The first of p's slots for which taken(slot, arg) says 0, as a string
 * into out. 0, or -ENOSPC when every slot is taken (or there are none). */
int db_park_pick_slot(const struct db_park *p,
		      int (*taken)(const char *slot, void *arg), void *arg,
		      char *out, size_t len);

#endif
