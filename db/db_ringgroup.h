/* db_ringgroup.h - ring groups and their members, and call pickup groups
 * (migrations/0015_ringgroups.sql). */
#ifndef ONDO_DB_RINGGROUP_H
#define ONDO_DB_RINGGROUP_H

#include "db.h"
#include "db_timecond.h"

#define DB_RG_MAX_MEMBERS     50
#define DB_RG_RING_MIN	      5 /* seconds a member rings */
#define DB_RG_RING_MAX	      300
#define DB_RG_RING_DEFAULT    20
#define DB_RG_TIMEOUT_MIN     5 /* seconds before the fallback */
#define DB_RG_TIMEOUT_MAX     600
#define DB_RG_TIMEOUT_DEFAULT 60

/* simultaneous: every member rings at once, the first to answer takes
 * the call; sequential: one member after the other, each for its ring
 * time, round again while the group's timeout lasts. */
enum db_rg_strategy { DB_RG_SIMULTANEOUS, DB_RG_SEQUENTIAL };

struct db_rg {
	int64_t id, tenant_id;
	char number[DB_NUMBER_LEN]; /* db_valid_number; nothing else's */
	char name[DB_NAME_LEN];	    /* db_valid_name; may be "" */
	int strategy;		    /* enum db_rg_strategy */
	int ring_time;		    /* a member's, unless it has its own */
	int timeout;		    /* from the first ring to the fallback */
	/* "" none: the caller is told busy or no answer (486/480); else a
	 * destination kind of db_dest_check (DB_DEST_BRANCH: extension,
	 * ivr, voicemail, conference, ringgroup, number) and its argument */
	char fallback_type[DB_WORD_LEN];
	char fallback[DB_DEST_LEN];
};

struct db_rg_member {
	char ext[DB_NUMBER_LEN]; /* an extension of the group's tenant */
	int ring_time;		 /* 0: the group's ring_time */
	char name[DB_NAME_LEN];	 /* the extension's, when read */
};

/* Sets the defaults: simultaneous, 20 s a member, 60 s, no fallback. */
void db_rg_defaults(struct db_rg *r);
/* "simultaneous" / "sequential" and back; -1 for anything else. */
int db_rg_strategy_parse(const char *s);
const char *db_rg_strategy_name(int strategy);

/* Checks every field as db_rg_add will: 0 or -EINVAL with one line in
 * err that starts with the field's name ("ring_time: 5 to 300 seconds").
 * With a database, the fallback must also exist in the tenant ("fallback:
 * no extension 1009 in tenant acme.test", -ENOENT) and may not be the
 * group itself; without one (NULL) only its shape is checked. */
int db_rg_check(struct db *db, const struct db_rg *r, char *err, size_t errlen);
/* -EEXIST if the tenant has an extension, a room or a group of that
 * number; -ENOENT if there is no such tenant. */
int db_rg_add(struct db *db, const struct db_rg *r, int64_t *idp);
/* Changes every field but the number; -ENOENT if there is no such group. */
int db_rg_update(struct db *db, const struct db_rg *r);
int db_rg_get(struct db *db, int64_t tenant_id, const char *number,
	      struct db_rg *r);
/* Deletes the group and its member list. DIDs, IVR keys, conditions and
 * other groups' fallbacks that name it are left (calls there then hear
 * "cannot be completed"), as for rooms. */
int db_rg_del(struct db *db, int64_t tenant_id, const char *number);
/* The tenant's groups by number (tenant_id 0: every tenant's); h
 * returning non-zero stops the walk and is returned. h may read the
 * group's members (db_rg_members) on the same connection. */
int db_rg_list(struct db *db, int64_t tenant_id,
	       int (*h)(const struct db_rg *r, void *arg), void *arg);

/* The members of group `number` in ring order into m (max entries; a
 * group never has more than DB_RG_MAX_MEMBERS), their count in *n.
 * -ENOENT if there is no such group. */
int db_rg_members(struct db *db, int64_t tenant_id, const char *number,
		  struct db_rg_member *m, int max, int *n);
/* Replaces the member list with m[0..n) in that order, in one
 * transaction: each an extension of the tenant, none twice, ring_time 0
 * or DB_RG_RING_MIN..MAX, at most DB_RG_MAX_MEMBERS. -EINVAL or -ENOENT
 * (an extension or the group missing) with one line in err starting
 * "members: "; nothing is changed then. */
int db_rg_set_members(struct db *db, int64_t tenant_id, const char *number,
		      const struct db_rg_member *m, int n, char *err,
		      size_t errlen);

/*
 * Call pickup groups: a name per extension ("" none). *8 from an
 * extension answers a call ringing another extension of the same group
 * (pbx/sip/call_pickup.c). Names as IVR menus': 1 to 32 of a-z, 0-9, _, -.
 */
#define DB_PICKUP_GROUP_LEN 33
/* -EINVAL for a bad name or number, -ENOENT if there is no such
 * extension. "" takes the extension out of its group. */
int db_ext_set_pickup_group(struct db *db, int64_t tenant_id,
			    const char *number, const char *group);
/* The extension's group into out ("" none); -ENOENT if there is no such
 * extension. */
int db_ext_pickup_group(struct db *db, int64_t tenant_id, const char *number,
			char out[DB_PICKUP_GROUP_LEN]);

#endif
