/* room.h - conference rooms while people are in them: who is in, locks,
 * mute and kick, for the conference app, ondoctl and the web API. */
#ifndef ONDO_ROOM_H
#define ONDO_ROOM_H

#include <stdint.h>
#include <time.h>

#include "db.h"
#include "db_room.h"

struct media;
struct mchan;

/*
 * A room exists here from its first member's entry to its last one's
 * leaving: a mixer on a media worker (mixer.h), its members in the order
 * they came, its lock. Rooms are keyed by tenant domain and number.
 *
 * Threads: every function takes the registry's one lock briefly; none
 * waits for a member or a worker. A member is entered and left by its
 * own app thread (apps/conference.c), which polls room_member_kicked()
 * between keys; the control side (ondoctl through the SIP thread, the
 * web API's threads) acts on a live room by domain, number and member id.
 */
struct rooms;
struct room_member;

/* m is borrowed for the registry's life. Caller frees with rooms_free(). */
int rooms_alloc(struct rooms **rsp, struct media *m);
/* Frees the registry; rooms still live (an app thread not yet done) are
 * logged and left alone rather than freed under their members. */
void rooms_free(struct rooms *rs);

/* ---- a member's side (its app thread) ---- */

struct room_enter {
	const struct db_room *cfg; /* copied when the room opens */
	const char *domain, *caller, *name, *call_id;
	struct mchan *mc;	   /* the member's channel, borrowed until
				    * rooms_leave() */
	int moderator;
};
/* Enters the room (opening it, and starting its recording if the room
 * says so, for the first member): -EBUSY if it is locked and this is not
 * a moderator, -ENOSPC if it is full. *others gets how many were already
 * in; *mp the member, until rooms_leave(). rec_path (spool-relative,
 * "rooms/DOMAIN/NUMBER-TIME.wav") is where the recording goes, or NULL
 * for none. */
int rooms_enter(struct rooms *rs, const struct room_enter *e,
		const char *spool_dir, struct room_member **mp, int *others);
/* Leaves; the last one out closes the room. If that ended a recording,
 * *rec gets its row (0 id, path spool-relative) for the caller to store
 * and the function returns 1; else 0. rec may be NULL. */
int rooms_leave(struct room_member *m, struct db_room_rec *rec);

int room_member_kicked(struct room_member *m);
/* Held: the room waits for a moderator; the member hears nothing and is
 * not heard. */
int room_member_held(struct room_member *m);
int room_member_recording(struct room_member *m);
/* For a room that waits for its moderator: 1 for the first member who
 * asks, who then gives the room its music with room_member_set_moh()
 * (pcm: 16 kHz, taken over); 0 for everyone else. */
int room_member_claim_moh(struct room_member *m);
int room_member_set_moh(struct room_member *m, int16_t *pcm, int n);
/* Toggles its own mute; returns the new state. */
int room_member_toggle_mute(struct room_member *m);
/* Steps its talking and listening gain by 3 dB (+1/-1/0 each). */
void room_member_step_gain(struct room_member *m, int talk, int listen);
/* Moderators: toggles the lock (returns the new state, or -EPERM), kicks
 * the member who came last (0, -ENOENT if nobody else, -EPERM). */
int room_member_toggle_lock(struct room_member *m);
int room_member_kick_last(struct room_member *m);

/* ---- the control side ---- */

struct room_member_info {
	int id; /* unique in the room while it is open */
	char caller[DB_NUMBER_LEN];
	char name[DB_NAME_LEN];
	char call_id[DB_CALLID_LEN];
	int moderator, muted, speaking, held;
	time_t joined;
};
struct room_info {
	char domain[DB_DOMAIN_LEN];
	char number[DB_NUMBER_LEN];
	int members, locked, recording;
	time_t opened;
};
/* Live rooms of a tenant (domain NULL: all), by domain and number. */
int rooms_list(struct rooms *rs, const char *domain,
	       int (*h)(const struct room_info *ri, void *arg), void *arg);
/* The members of a live room in the order they came; -ENOENT if the room
 * is not open (nobody in). ri may be NULL. */
int rooms_members(struct rooms *rs, const char *domain, const char *number,
		  struct room_info *ri,
		  int (*h)(const struct room_member_info *mi, void *arg),
		  void *arg);
/* -ENOENT: no such open room or member. */
int rooms_mute(struct rooms *rs, const char *domain, const char *number,
	       int member_id, int muted);
int rooms_kick(struct rooms *rs, const char *domain, const char *number,
	       int member_id);
int rooms_lock(struct rooms *rs, const char *domain, const char *number,
	       int locked);

#endif
