/* room_member.c - a member's side of a room: entering, leaving, and its
 * keys' operations (room.h). Calls into the mixer are made without the
 * registry's lock (no call path takes two locks); a member counted in a
 * room keeps the room, and its mixer, from closing meanwhile. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "room/room_priv.h"
#include "core/log.h"

#define GAIN_STEP_DB 3
#define GAIN_MAX_DB 12

/* A new room with its mixer, not yet in the registry. */
static int new_room(struct rooms *rs, const struct room_enter *e,
		    struct room **rp)
{
	struct room *r = calloc(1, sizeof(*r)); /* the registry's, once in */
	char tag[96];
	int err;

	if (!r)
		return -ENOMEM;
	snprintf(tag, sizeof(tag), "%s@%s", e->cfg->number, e->domain);
	if ((err = mixer_alloc(&r->mx, rs->m, tag))) {
		free(r);
		return err;
	}
	r->rs = rs;
	r->cfg = *e->cfg;
	snprintf(r->domain, sizeof(r->domain), "%s", e->domain);
	r->opened = time(NULL);
	*rp = r;
	return 0;
}

/* With the lock: whether m may come in, and if so counts it in. */
static int admit(struct room *r, struct room_member *m, int *others)
{
	struct room_member **pp = &r->members;

	if (r->locked && !m->info.moderator)
		return -EBUSY;
	if (r->count >= r->cfg.max_members)
		return -ENOSPC;
	while (*pp)
		pp = &(*pp)->next;
	*pp = m;
	m->room = r;
	m->info.id = ++r->next_id;
	*others = r->count++;
	if (m->info.moderator)
		r->moderators++;
	return 0;
}

/* The first member in starts the room's recording, if it records. */
static void start_recording(struct room *r, const char *spool_dir)
{
	char rel[512], abs[1024], when[32];
	struct tm tm;
	time_t now = time(NULL);

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	snprintf(rel, sizeof(rel), "rooms/%s/%s-%s.wav", r->domain,
		 r->cfg.number, when);
	snprintf(abs, sizeof(abs), "%s/%s", spool_dir, rel);
	if (strlen(rel) >= sizeof(r->rec_rel) || mixer_record(r->mx, abs)) {
		LOGC(LOGL_WARN, "room", r->domain, "", "room %s: cannot record",
		     r->cfg.number);
		return;
	}
	pthread_mutex_lock(&r->rs->lock);
	snprintf(r->rec_rel, sizeof(r->rec_rel), "%s", rel);
	r->rec_started = now;
	pthread_mutex_unlock(&r->rs->lock);
}

int rooms_enter(struct rooms *rs, const struct room_enter *e,
		const char *spool_dir, struct room_member **mp, int *others)
{
	struct room_member *m;
	struct room *r, *mine = NULL;
	struct mport *port;
	int err, created = 0;

	if (!rs || !e || !e->cfg || !e->domain || !e->mc || !mp || !others)
		return -EINVAL;
	m = calloc(1, sizeof(*m)); /* freed by rooms_leave */
	if (!m)
		return -ENOMEM;
	snprintf(m->info.caller, sizeof(m->info.caller), "%s",
		 e->caller ? e->caller : "");
	snprintf(m->info.name, sizeof(m->info.name), "%s", e->name ? e->name : "");
	snprintf(m->info.call_id, sizeof(m->info.call_id), "%s",
		 e->call_id ? e->call_id : "");
	m->info.moderator = !!e->moderator;
	m->info.joined = time(NULL);
	pthread_mutex_lock(&rs->lock);
	r = room_find(rs, e->domain, e->cfg->number);
	if (!r) {
		pthread_mutex_unlock(&rs->lock);
		if ((err = new_room(rs, e, &mine))) {
			free(m);
			return err;
		}
		pthread_mutex_lock(&rs->lock);
		/* Someone may have opened it meanwhile: theirs wins. */
		if (!(r = room_find(rs, e->domain, e->cfg->number))) {
			r = mine;
			mine = NULL;
			r->next = rs->rooms;
			rs->rooms = r;
			created = 1;
		}
	}
	err = admit(r, m, others);
	pthread_mutex_unlock(&rs->lock);
	if (mine) {
		mixer_release(mine->mx);
		free(mine);
	}
	if (err) {
		free(m);
		return err;
	}
	err = mixer_join(r->mx, e->mc, &port);
	pthread_mutex_lock(&rs->lock);
	m->port = err ? NULL : port;
	if (m->port) {
		/* What the control side set before the port was there. */
		mport_set_mute(port, m->info.muted);
		mport_set_hold(port, m->info.held || m->kicked);
	}
	room_update_holds(r);
	pthread_mutex_unlock(&rs->lock);
	if (err) {
		rooms_leave(m, NULL);
		return err;
	}
	if (created && r->cfg.record && spool_dir)
		start_recording(r, spool_dir);
	if (*others)
		mixer_sound(r->mx, MIXER_JOIN);
	*mp = m;
	return 0;
}

int rooms_leave(struct room_member *m, struct db_room_rec *rec)
{
	struct rooms *rs;
	struct room *r;
	int closing, recorded = 0;

	if (!m)
		return 0;
	r = m->room;
	rs = r->rs;
	pthread_mutex_lock(&rs->lock);
	for (struct room_member **pp = &r->members; *pp; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	}
	r->count--;
	if (m->info.moderator)
		r->moderators--;
	room_update_holds(r);
	closing = r->count == 0;
	if (closing) {
		for (struct room **pp = &rs->rooms; *pp; pp = &(*pp)->next) {
			if (*pp == r) {
				*pp = r->next;
				break;
			}
		}
	}
	pthread_mutex_unlock(&rs->lock);
	if (m->port)
		mixer_leave(m->port);
	if (closing) {
		if (r->rec_rel[0]) {
			mixer_record_stop(r->mx);
			if (rec) {
				memset(rec, 0, sizeof(*rec));
				snprintf(rec->room, sizeof(rec->room), "%s",
					 r->cfg.number);
				snprintf(rec->path, sizeof(rec->path), "%s",
					 r->rec_rel);
				rec->tenant_id = r->cfg.tenant_id;
				rec->started = r->rec_started;
				rec->duration_s =
				    (int)(time(NULL) - r->rec_started);
				recorded = 1;
			}
		}
		mixer_release(r->mx);
		free(r);
	} else {
		mixer_sound(r->mx, MIXER_LEAVE);
	}
	free(m);
	return recorded;
}

int room_member_kicked(struct room_member *m)
{
	int k;

	pthread_mutex_lock(&m->room->rs->lock);
	k = m->kicked;
	pthread_mutex_unlock(&m->room->rs->lock);
	return k;
}

int room_member_held(struct room_member *m)
{
	int h;

	pthread_mutex_lock(&m->room->rs->lock);
	h = m->info.held;
	pthread_mutex_unlock(&m->room->rs->lock);
	return h;
}

int room_member_recording(struct room_member *m)
{
	int rec;

	pthread_mutex_lock(&m->room->rs->lock);
	rec = m->room->rec_rel[0] != '\0';
	pthread_mutex_unlock(&m->room->rs->lock);
	return rec;
}

int room_member_claim_moh(struct room_member *m)
{
	int mine;

	pthread_mutex_lock(&m->room->rs->lock);
	mine = m->room->cfg.wait_moderator && !m->room->moh_claimed;
	if (mine)
		m->room->moh_claimed = 1;
	pthread_mutex_unlock(&m->room->rs->lock);
	return mine;
}

/* The room cannot close while m is in it, so its mixer is there. */
int room_member_set_moh(struct room_member *m, int16_t *pcm, int n)
{
	return mixer_set_moh(m->room->mx, pcm, n);
}

int room_member_toggle_mute(struct room_member *m)
{
	int muted;

	pthread_mutex_lock(&m->room->rs->lock);
	muted = m->info.muted = !m->info.muted;
	if (m->port)
		mport_set_mute(m->port, muted);
	pthread_mutex_unlock(&m->room->rs->lock);
	return muted;
}

static int step(int db, int dir)
{
	db += dir * GAIN_STEP_DB;
	return db < -GAIN_MAX_DB ? -GAIN_MAX_DB : db > GAIN_MAX_DB ? GAIN_MAX_DB : db;
}

void room_member_step_gain(struct room_member *m, int talk, int listen)
{
	m->talk_db = step(m->talk_db, talk);
	m->listen_db = step(m->listen_db, listen);
	if (m->port)
		mport_set_gains(m->port, m->talk_db, m->listen_db);
}

int room_member_toggle_lock(struct room_member *m)
{
	int r;

	pthread_mutex_lock(&m->room->rs->lock);
	if (!m->info.moderator)
		r = -EPERM;
	else
		r = m->room->locked = !m->room->locked;
	pthread_mutex_unlock(&m->room->rs->lock);
	return r;
}

int room_member_kick_last(struct room_member *m)
{
	struct room_member *last = NULL;

	pthread_mutex_lock(&m->room->rs->lock);
	if (m->info.moderator) {
		for (struct room_member *o = m->room->members; o; o = o->next)
			if (o != m && !o->kicked)
				last = o;
		if (last) {
			last->kicked = 1;
			if (last->port)
				mport_set_hold(last->port, 1);
		}
	}
	pthread_mutex_unlock(&m->room->rs->lock);
	return !m->info.moderator ? -EPERM : last ? 0 : -ENOENT;
}
