/* room_priv.h - the registry's structures, shared by room.c (the rooms and
 * the control side) and room_member.c (a member's own operations). */
#ifndef ONDO_ROOM_PRIV_H
#define ONDO_ROOM_PRIV_H

#include <pthread.h>

#include "room/room.h"
#include "media/mixer.h"

struct room;

struct room_member {
	struct room *room;	/* the room it is in; registry lock */
	struct mport *port;	/* its handle on the mixer */
	struct room_member_info info; /* id, who, flags: registry lock */
	int kicked;		/* registry lock */
	int talk_db, listen_db; /* its own thread only */
	struct room_member *next;
};

struct room {
	struct rooms *rs;
	char domain[DB_DOMAIN_LEN];
	struct db_room cfg;	/* as when it opened */
	struct mixer *mx;
	struct room_member *members; /* in the order they came */
	int count, moderators, next_id, locked;
	int moh_claimed;
	time_t opened;
	/* the recording, if any */
	char rec_rel[256];
	time_t rec_started;
	struct room *next;
};

struct rooms {
	struct media *m;
	pthread_mutex_t lock; /* guards every room and member */
	struct room *rooms;
};

/* With rs->lock held: the open room, or NULL. */
struct room *room_find(struct rooms *rs, const char *domain,
		       const char *number);
/* With the lock held: who is held now, after a moderator came or left. */
void room_update_holds(struct room *r);

#endif
