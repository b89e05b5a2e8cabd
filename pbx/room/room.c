/* room.c - the live rooms: opening and closing, and what the control side
 * sees and does (room.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "room/room_priv.h"
#include "core/log.h"

int rooms_alloc(struct rooms **rsp, struct media *m)
{
	struct rooms *rs;

	if (!rsp || !m)
		return -EINVAL;
	rs = calloc(1, sizeof(*rs)); /* caller frees with rooms_free */
	if (!rs)
		return -ENOMEM;
	rs->m = m;
	pthread_mutex_init(&rs->lock, NULL);
	*rsp = rs;
	return 0;
}

void rooms_free(struct rooms *rs)
{
	if (!rs)
		return;
	if (rs->rooms) {
		LOGW("room", "rooms still open at exit; left to the OS");
		return;
	}
	pthread_mutex_destroy(&rs->lock);
	free(rs);
}

struct room *room_find(struct rooms *rs, const char *domain,
		       const char *number)
{
	for (struct room *r = rs->rooms; r; r = r->next)
		if (!strcmp(r->domain, domain) && !strcmp(r->cfg.number, number))
			return r;
	return NULL;
}

void room_update_holds(struct room *r)
{
	int hold = r->cfg.wait_moderator && r->moderators == 0;

	for (struct room_member *m = r->members; m; m = m->next) {
		int h = hold && !m->info.moderator;
		if (h != m->info.held) {
			m->info.held = h;
			if (m->port)
				mport_set_hold(m->port, h || m->kicked);
		}
	}
}

static struct room_member *member_by_id(struct room *r, int id)
{
	for (struct room_member *m = r->members; m; m = m->next)
		if (m->info.id == id)
			return m;
	return NULL;
}

static void info_of(const struct room *r, struct room_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	snprintf(ri->domain, sizeof(ri->domain), "%s", r->domain);
	snprintf(ri->number, sizeof(ri->number), "%s", r->cfg.number);
	ri->members = r->count;
	ri->locked = r->locked;
	ri->recording = r->rec_rel[0] != '\0';
	ri->opened = r->opened;
}

/* Lists under the lock into a copy, then calls h without it: a handler
 * may be slow (a socket) and must never hold up a member. */
int rooms_list(struct rooms *rs, const char *domain,
	       int (*h)(const struct room_info *ri, void *arg), void *arg)
{
	struct room_info *v = NULL;
	int n = 0, cap = 0, err = 0;

	if (!rs || !h)
		return -EINVAL;
	pthread_mutex_lock(&rs->lock);
	for (struct room *r = rs->rooms; r; r = r->next) {
		if (domain && strcmp(domain, r->domain))
			continue;
		if (n == cap) {
			struct room_info *nv;
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, sizeof(*v) * (size_t)cap);
			if (!nv) {
				err = -ENOMEM;
				break;
			}
			v = nv;
		}
		info_of(r, &v[n++]);
	}
	pthread_mutex_unlock(&rs->lock);
	for (int i = 0; !err && i < n; i++)
		err = h(&v[i], arg);
	free(v);
	return err;
}

int rooms_members(struct rooms *rs, const char *domain, const char *number,
		  struct room_info *ri,
		  int (*h)(const struct room_member_info *mi, void *arg),
		  void *arg)
{
	struct room_member_info *v = NULL;
	struct room *r;
	int n = 0, err = 0;

	if (!rs || !domain || !number)
		return -EINVAL;
	pthread_mutex_lock(&rs->lock);
	r = room_find(rs, domain, number);
	if (!r) {
		err = -ENOENT;
	} else {
		if (ri)
			info_of(r, ri);
		v = calloc((size_t)r->count + 1, sizeof(*v));
		if (!v)
			err = -ENOMEM;
		for (struct room_member *m = r->members; v && m; m = m->next) {
			v[n] = m->info;
			v[n++].speaking = mport_speaking(m->port);
		}
	}
	pthread_mutex_unlock(&rs->lock);
	for (int i = 0; !err && h && i < n; i++)
		err = h(&v[i], arg);
	free(v);
	return err;
}

int rooms_mute(struct rooms *rs, const char *domain, const char *number,
	       int member_id, int muted)
{
	struct room_member *m = NULL;
	struct room *r;

	if (!rs || !domain || !number)
		return -EINVAL;
	pthread_mutex_lock(&rs->lock);
	if ((r = room_find(rs, domain, number)) &&
	    (m = member_by_id(r, member_id))) {
		m->info.muted = !!muted;
		if (m->port)
			mport_set_mute(m->port, m->info.muted);
	}
	pthread_mutex_unlock(&rs->lock);
	return m ? 0 : -ENOENT;
}

int rooms_kick(struct rooms *rs, const char *domain, const char *number,
	       int member_id)
{
	struct room_member *m = NULL;
	struct room *r;

	if (!rs || !domain || !number)
		return -EINVAL;
	pthread_mutex_lock(&rs->lock);
	if ((r = room_find(rs, domain, number)) &&
	    (m = member_by_id(r, member_id))) {
		/* Its thread sees this within a key wait, says so and
		 * hangs up; until then nobody hears it. */
		m->kicked = 1;
		if (m->port)
			mport_set_hold(m->port, 1);
	}
	pthread_mutex_unlock(&rs->lock);
	return m ? 0 : -ENOENT;
}

int rooms_lock(struct rooms *rs, const char *domain, const char *number,
	       int locked)
{
	struct room *r;

	if (!rs || !domain || !number)
		return -EINVAL;
	pthread_mutex_lock(&rs->lock);
	if ((r = room_find(rs, domain, number)))
		r->locked = !!locked;
	pthread_mutex_unlock(&rs->lock);
	return r ? 0 : -ENOENT;
}
