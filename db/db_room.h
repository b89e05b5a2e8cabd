/* db_room.h - conference rooms and their recordings
 * (migrations/0013_rooms.sql). */
#ifndef ONDO_DB_ROOM_H
#define ONDO_DB_ROOM_H

#include "db.h"

#define DB_ROOM_PIN_LEN 13	   /* 0 to 12 digits; "" for none */
#define DB_ROOM_MAX_MEMBERS 500
#define DB_ROOM_DEFAULT_MEMBERS 50

struct db_room {
	int64_t id, tenant_id;
	char number[DB_NUMBER_LEN];	/* db_valid_number; not an extension */
	char name[DB_NAME_LEN];		/* db_valid_name; may be "" */
	char pin[DB_ROOM_PIN_LEN];	/* members' PIN */
	char mod_pin[DB_ROOM_PIN_LEN];	/* moderators' PIN */
	int max_members;		/* 2..DB_ROOM_MAX_MEMBERS */
	int wait_moderator;		/* members hear nothing until one is in */
	int announce_count;		/* "there are N people" on join */
	int record;			/* record the mix while anyone is in */
};

/* Sets the defaults: no PINs, 50 members, announce on, the rest off. */
void db_room_defaults(struct db_room *r);
/* Checks every field as db_room_add will: 0 or -EINVAL, with one line in
 * err ("pin: 1 to 12 digits", "mod_pin: must differ from pin", ...). A
 * moderator-only wait needs a moderator PIN. */
int db_room_check(const struct db_room *r, char *err, size_t errlen);
/* -EEXIST if the tenant has a room or an extension of that number;
 * -ENOENT if there is no such tenant. */
int db_room_add(struct db *db, const struct db_room *r, int64_t *idp);
/* Changes every field but the number; -ENOENT if there is no such room. */
int db_room_update(struct db *db, const struct db_room *r);
int db_room_get(struct db *db, int64_t tenant_id, const char *number,
		struct db_room *r);
int db_room_del(struct db *db, int64_t tenant_id, const char *number);
/* The tenant's rooms by number (tenant_id 0: every tenant's); h returning
 * non-zero stops the walk and is returned. */
int db_room_list(struct db *db, int64_t tenant_id,
		 int (*h)(const struct db_room *r, void *arg), void *arg);

/* A recording of a room's mix, complete on disk. */
struct db_room_rec {
	int64_t id, tenant_id;
	char room[DB_NUMBER_LEN];
	char path[256]; /* spool-relative */
	int64_t started;
	int duration_s;
};
int db_room_rec_add(struct db *db, const struct db_room_rec *rec,
		    int64_t *idp);
int db_room_rec_get(struct db *db, int64_t tenant_id, int64_t id,
		    struct db_room_rec *rec);
/* Deletes the row (the caller deletes the file). */
int db_room_rec_del(struct db *db, int64_t tenant_id, int64_t id);
/* Newest first; room NULL or "" for all rooms of the tenant. */
int db_room_rec_list(struct db *db, int64_t tenant_id, const char *room,
		     int (*h)(const struct db_room_rec *rec, void *arg),
		     void *arg);

#endif
