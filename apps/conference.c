/* conference.c - "conference ROOM": the caller enters a conference room
 * (by its PIN if it has one; the moderator PIN makes it a moderator),
 * hears who is there, and stays until it hangs up, presses # or is
 * removed. Its keys while in the room are a table (in_room_keys). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/apps.h"
#include "core/log.h"
#include "db_room.h"
#include "room/room.h"
#include "media/player.h"

#define PIN_TRIES 3
#define PIN_WAIT_MS 8000
#define KEY_POLL_MS 300 /* how soon a member sees that it was removed */

/* Compares without stopping at the first difference, so the time taken
 * says nothing about how much of a PIN was right. */
static int same_pin(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned diff = (unsigned)(la ^ lb);

	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned)(a[i] ^ b[i]);
	return diff == 0;
}

/* Who the caller is by the PIN it keys: 0 member, 1 moderator; -EACCES
 * after PIN_TRIES wrong ones. A room with no member PIN lets anyone in
 * as a member; the moderator PIN still makes a moderator. */
static int ask_pin(struct chan *c, const struct db_room *room, int *mod)
{
	char pin[DB_ROOM_PIN_LEN + 2];

	*mod = 0;
	if (!room->pin[0] && !room->mod_pin[0])
		return 0;
	for (int i = 0; i < PIN_TRIES; i++) {
		int r = chan_play(c, "conf_enter_pin", NULL, NULL);

		pin[0] = '\0';
		if (!r)
			r = chan_read_digits(c, pin, sizeof(pin),
					     (int)sizeof(pin) - 1, PIN_WAIT_MS,
					     '#');
		if (r && r != -ETIMEDOUT)
			return r;
		if (room->mod_pin[0] && same_pin(pin, room->mod_pin)) {
			*mod = 1;
			return 0;
		}
		if (!room->pin[0] || same_pin(pin, room->pin))
			return 0;
		if ((r = chan_play(c, "please_try_again", NULL, NULL)))
			return r;
	}
	LOGC(LOGL_WARN, "room", chan_domain(c), chan_call_id(c),
	     "room %s: %d wrong PINs from %s; call ended", room->number,
	     PIN_TRIES, chan_caller(c));
	return -EACCES;
}

#define MOH_MAX_S 60 /* of music kept in memory for a waiting room */

/* Gives a room that waits for its moderator its music on hold (the
 * tenant's "moh" prompt, else the stock one), read here on the app
 * thread: workers never touch files. Without it members wait in
 * silence. */
static void give_moh(struct chan *c, struct room_member *m)
{
	char path[1024], err[256];
	struct player *p;
	int16_t *pcm;
	int n = 0, k;

	if (!room_member_claim_moh(m) ||
	    chan_sound_path(c, "moh", path, sizeof(path)) ||
	    player_open(&p, path, 16000, err, sizeof(err)))
		return;
	pcm = malloc(sizeof(int16_t) * 16000 * MOH_MAX_S); /* to the mixer */
	while (pcm && n < 16000 * MOH_MAX_S &&
	       (k = player_read(p, pcm + n, 16000 * MOH_MAX_S - n)) > 0)
		n += k;
	player_close(p);
	if (pcm && room_member_set_moh(m, pcm, n) == 0)
		return;
	LOGC(LOGL_WARN, "room", chan_domain(c), chan_call_id(c),
	     "no music on hold for a waiting room (%s)", path);
}

/* "You are the only person" or "there are N people", and the room's
 * state. */
static int announce(struct chan *c, const struct db_room *room,
		    struct room_member *m, int others)
{
	int r = 0;

	if (room->announce_count) {
		if (others == 0) {
			r = chan_play(c, "conf_only_person", NULL, NULL);
		} else {
			r = chan_play(c, "conf_there_are", NULL, NULL);
			if (!r)
				r = chan_say_number(c, others + 1);
			if (!r)
				r = chan_play(c, "conf_people", NULL, NULL);
		}
	}
	if (!r && room_member_recording(m))
		r = chan_play(c, "conf_recording", NULL, NULL);
	if (!r && room_member_held(m))
		r = chan_play(c, "conf_wait_moderator", NULL, NULL);
	return r;
}

/* ---- keys in the room --------------------------------------------------- */

static int key_mute(struct chan *c, struct room_member *m)
{
	return chan_play(c, room_member_toggle_mute(m) ? "conf_muted"
						       : "conf_unmuted",
			 NULL, NULL);
}

static int gain(struct chan *c, struct room_member *m, int talk, int listen)
{
	room_member_step_gain(m, talk, listen);
	return chan_play_tone(c, "beep", 200);
}

static int key_listen_down(struct chan *c, struct room_member *m)
{
	return gain(c, m, 0, -1);
}

static int key_listen_up(struct chan *c, struct room_member *m)
{
	return gain(c, m, 0, 1);
}

static int key_talk_down(struct chan *c, struct room_member *m)
{
	return gain(c, m, -1, 0);
}

static int key_talk_up(struct chan *c, struct room_member *m)
{
	return gain(c, m, 1, 0);
}

static int key_lock(struct chan *c, struct room_member *m)
{
	int r = room_member_toggle_lock(m);

	if (r < 0)
		return chan_play(c, "invalid_option", NULL, NULL);
	return chan_play(c, r ? "conf_locked" : "conf_unlocked", NULL, NULL);
}

static int key_kick_last(struct chan *c, struct room_member *m)
{
	int r = room_member_kick_last(m);

	if (r == -EPERM)
		return chan_play(c, "invalid_option", NULL, NULL);
	return chan_play_tone(c, "beep", 200);
}

static int key_leave(struct chan *c, struct room_member *m)
{
	(void)m;
	(void)chan_play(c, "goodbye", NULL, NULL);
	return 1;
}

static const struct {
	char digit;
	int (*run)(struct chan *c, struct room_member *m);
} in_room_keys[] = {
	{'1', key_mute},	{'4', key_listen_down}, {'6', key_listen_up},
	{'7', key_talk_down},	{'9', key_talk_up},	{'2', key_lock},
	{'3', key_kick_last},	{'#', key_leave},
};

/* Until the caller hangs up (-ECONNRESET), leaves (0) or is removed. */
static int in_room(struct chan *c, struct room_member *m)
{
	for (;;) {
		char d[2];
		int r;

		if (room_member_kicked(m)) {
			(void)chan_play(c, "conf_removed", NULL, NULL);
			return 0;
		}
		r = chan_read_digits(c, d, sizeof(d), 1, KEY_POLL_MS, 0);
		if (r == -ETIMEDOUT)
			continue;
		if (r)
			return r;
		for (size_t i = 0; i < sizeof(in_room_keys) / sizeof(in_room_keys[0]); i++) {
			if (in_room_keys[i].digit != d[0])
				continue;
			r = in_room_keys[i].run(c, m);
			if (r)
				return r > 0 ? 0 : r;
			break;
		}
	}
}

/* The room's recording ended with this member: its row, so it is listed. */
static void keep_recording(struct chan *c, const struct db_room_rec *rec)
{
	struct db *db = chan_db(c);

	if (!db || db_room_rec_add(db, rec, NULL))
		LOGC(LOGL_ERROR, "room", chan_domain(c), chan_call_id(c),
		     "room %s: recording %s not listed", rec->room, rec->path);
}

static int refused(struct chan *c, int err)
{
	const char *why = err == -EBUSY ? "conf_locked" : "conf_full";
	int r = chan_play(c, err == -EBUSY || err == -ENOSPC ? why : "cannot_complete",
			  NULL, NULL);

	return r ? r : chan_play(c, "goodbye", NULL, NULL);
}

static int conference_run(struct chan *c, const char *args)
{
	struct room_enter e = {0};
	struct db_room room;
	struct db_room_rec rec;
	struct room_member *m;
	struct db *db = chan_db(c);
	int r, others = 0, mod = 0;

	if (!db || !chan_rooms(c))
		return -EIO;
	if ((r = db_room_get(db, chan_tenant_id(c), args, &room)))
		return r == -EINVAL ? -ENOENT : r;
	if ((r = chan_answer(c)))
		return r;
	r = ask_pin(c, &room, &mod);
	if (r == -EACCES)
		return chan_play(c, "goodbye", NULL, NULL);
	if (r)
		return r;
	e.cfg = &room;
	e.domain = chan_domain(c);
	e.caller = chan_caller(c);
	e.name = chan_caller_name(c);
	e.call_id = chan_call_id(c);
	e.mc = chan_media(c);
	e.moderator = mod;
	r = rooms_enter(chan_rooms(c), &e, chan_spool_dir(c), &m, &others);
	if (r)
		return refused(c, r);
	LOGC(LOGL_INFO, "room", chan_domain(c), chan_call_id(c),
	     "%s entered room %s%s (%d already in)", chan_caller(c),
	     room.number, mod ? " as moderator" : "", others);
	give_moh(c, m);
	r = announce(c, &room, m, others);
	if (!r)
		r = in_room(c, m);
	if (rooms_leave(m, &rec) == 1)
		keep_recording(c, &rec);
	LOGC(LOGL_INFO, "room", chan_domain(c), chan_call_id(c),
	     "%s left room %s", chan_caller(c), room.number);
	return r == -ECONNRESET ? 0 : r;
}

const struct app app_conference = {.name = "conference",
				   .run = conference_run};
