/* call_bridge_group.c - chan_bridge_group: an app rings a ring group's
 * members in one bridge, all at once or one after the other.
 *
 * The bridge is chan_bridge's (call_bridge.c): one media channel offered
 * to every phone, ringback to the caller, the first 2xx joined and every
 * other leg cancelled. What this file adds is which legs ring when: each
 * B leg carries the member it rings (leg->ring_tag), so that one member's
 * phones can stop on its own ring time and the next member's start, while
 * a phone of an earlier member that answers as it is being cancelled
 * still gets the call (same offer, same channel), which a new chan_bridge
 * per member could not give. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/call.h"
#include "sip/limits.h"
#include "db_fwd.h"
#include "db_record.h"
#include "sip/reg.h"
#include "core/chan_priv.h"
#include "core/log.h"

#define HUNT_MAX 64 /* members a bridge takes; a group has at most 50 */
#define TAG_SPAN 64 /* ring_tag = hunt id * TAG_SPAN + member + 1 */

enum outcome { M_WAITING, M_RINGING, M_BUSY, M_FAILED, M_TIMEDOUT };

struct hunt_member {
	char ext[DB_NUMBER_LEN];
	int ring_s;
	int64_t deadline_us; /* while M_RINGING */
	enum outcome outcome;
};

struct hunt {
	int id; /* tells this hunt's legs from older ones */
	int sequential;
	int cur;       /* sequential: the member ringing now */
	int full_ring; /* sequential: a member of this round rang
			* its whole time (another round may help) */
	int n;
	struct hunt_member m[];
};

/* SIP thread only. */
static int hunt_seq;

struct ring_req {
	struct chan *ch; /* one reference, dropped by the job */
	int sequential, timeout_s, n;
	struct {
		char ext[DB_NUMBER_LEN];
		int ring_s;
	} m[];
};

int hunt_ringing(const struct call *c, const char **exts, int max)
{
	const struct hunt *h = c->hunt;
	int n = 0;

	for (int i = 0; h && i < h->n && n < max; i++)
		if (h->m[i].outcome == M_RINGING)
			exts[n++] = h->m[i].ext;
	return n;
}

void hunt_free(struct call *c)
{
	free(c->hunt);
	c->hunt = NULL;
}

/* The member leg l rings in hunt h, or -1 (none, or an older hunt's). */
static int member_of(const struct hunt *h, const struct leg *l)
{
	int i = l->ring_tag % TAG_SPAN - 1;

	if (l->ring_tag / TAG_SPAN != h->id || i < 0 || i >= h->n)
		return -1;
	return i;
}

static int live_legs(const struct call *c, const struct hunt *h, int i)
{
	int n = 0;

	for (const struct leg *l = c->b; l; l = l->next)
		if (member_of(h, l) == i && !l->final && l->nh)
			n++;
	return n;
}

/* Stops member i's phones (its time is up). */
static void member_stop(struct call *c, struct hunt *h, int i)
{
	for (struct leg *l = c->b; l; l = l->next) {
		if (member_of(h, l) != i || l->final || !l->nh)
			continue;
		if (l->up)
			leg_bye(l);
		else
			nua_cancel(l->nh, TAG_END());
	}
}

/* Every phone member i registered is called; the count that were. */
static int member_ring(struct call *c, struct hunt *h, int i)
{
	struct db_reg contacts[REG_MAX_CONTACTS];
	struct hunt_member *m = &h->m[i];
	struct db_fwd f;
	struct db_ext e;
	int n, started = 0;

	if (db_ext_get(c->sip->db, c->tenant_id, m->ext, &e))
		return 0; /* deleted since the app read the group */
	if (!db_fwd_get(c->sip->db, c->tenant_id, m->ext, &f) && f.dnd) {
		/* Do-not-disturb: never rung, counted as busy. A member's
		 * forwards are not followed: the group decides where an
		 * unanswered call goes. */
		m->outcome = M_BUSY;
		LOGC(LOGL_DEBUG, "call", c->domain, c->call_id,
		     "ring group: %s is on do-not-disturb", m->ext);
		return 0;
	}
	if (lim_ext_full(c->sip, c->tenant_id, m->ext, c->call_id)) {
		m->outcome = M_BUSY; /* its own limit of calls (limits.h) */
		LOGC(LOGL_INFO, "limit", c->domain, c->call_id,
		     "ring group: %s has its maximum of calls", m->ext);
		return 0;
	}
	n = reg_table_get(c->sip->regs, e.id, time(NULL), contacts,
			  REG_MAX_CONTACTS);
	call_b_from_to(c, e.number);
	for (int k = 0; k < n; k++) {
		if (leg_b_start(c, contacts[k].contact, contacts[k].route, 0))
			continue;
		c->b->ring_tag = h->id * TAG_SPAN + i + 1; /* the new leg */
		started++;
	}
	if (started) {
		m->outcome = M_RINGING;
		m->deadline_us = now_us() + (int64_t)m->ring_s * 1000000;
		LOGC(LOGL_DEBUG, "call", c->domain, c->call_id,
		     "ring group: %s rings (%d phone%s, %d s)", m->ext, started,
		     started == 1 ? "" : "s", m->ring_s);
	} else {
		m->outcome = M_FAILED;
	}
	return started;
}

/* What the app hears when nobody took the call. */
static int result_of(const struct hunt *h)
{
	int busy = 0;

	for (int i = 0; i < h->n; i++) {
		if (h->m[i].outcome == M_TIMEDOUT)
			return -ETIMEDOUT;
		if (h->m[i].outcome == M_BUSY)
			busy = 1;
	}
	return busy ? -EBUSY : -EHOSTUNREACH;
}

/* Sequential: the next member that can be rung rings; after the last,
 * the first again if some member of this round rang its whole time (a
 * round of busy and unreachable members only would spin). 1 if the
 * bridge ended. */
static int ring_next(struct call *c, struct hunt *h)
{
	if (c->state == CALL_ENDED) {
		/* The caller is gone (its phones were cancelled with it):
		 * nobody else may start ringing. */
		bridge_end(c, -ECONNRESET);
		return 1;
	}
	for (int tried = 0; tried <= h->n; tried++) {
		if (++h->cur >= h->n) {
			if (!h->full_ring)
				break;
			h->cur = 0;
			h->full_ring = 0;
		}
		if (member_ring(c, h, h->cur))
			return 0;
	}
	bridge_end(c, result_of(h));
	return 1;
}

/* Simultaneous: once no phone of any member rings, the bridge ends. */
static int maybe_done(struct call *c, struct hunt *h)
{
	for (int i = 0; i < h->n; i++)
		if (live_legs(c, h, i))
			return 0;
	bridge_end(c, result_of(h));
	return 1;
}

void hunt_response(struct call *c, struct leg *l, int status, const sip_t *sip)
{
	struct hunt *h = c->hunt;
	int i = member_of(h, l);
	struct hunt_member *m;
	int busy = 1;

	if (status < 200)
		return; /* the caller hears ringback already */
	if (status < 300) {
		if (i < 0) {
			/* A phone of an earlier bridge answers late. */
			l->up = 1;
			leg_bye(l);
			return;
		}
		if (c->bridging && !c->bridged) {
			sip_strlcpy(c->bridge_to, h->m[i].ext,
				    sizeof(c->bridge_to));
			c->bridge_rec = db_ext_record(c->sip->db, c->tenant_id,
						      h->m[i].ext);
		}
		bridge_answered(c, l, sip);
		return;
	}
	l->final = status;
	if (i < 0 || c->bridged || !c->bridging || live_legs(c, h, i))
		return; /* not ours, over, or another phone still rings */
	m = &h->m[i];
	if (m->outcome == M_RINGING) {
		for (struct leg *x = c->b; x; x = x->next)
			if (member_of(h, x) == i && x->final != 486 &&
			    x->final != 600)
				busy = 0;
		m->outcome = busy ? M_BUSY : M_FAILED;
		LOGC(LOGL_DEBUG, "call", c->domain, c->call_id,
		     "ring group: %s %s", m->ext,
		     busy ? "is busy" : "did not take the call");
	}
	if (!h->sequential)
		maybe_done(c, h);
	else if (i == h->cur)
		ring_next(c, h);
}

int hunt_tick(struct call *c, int64_t now)
{
	struct hunt *h = c->hunt;

	for (int i = 0; i < h->n; i++) {
		struct hunt_member *m = &h->m[i];

		if (m->outcome != M_RINGING || now < m->deadline_us)
			continue;
		m->outcome = M_TIMEDOUT;
		member_stop(c, h, i);
		LOGC(LOGL_DEBUG, "call", c->domain, c->call_id,
		     "ring group: %s did not answer in %d s", m->ext,
		     m->ring_s);
		if (h->sequential && i == h->cur) {
			h->full_ring = 1;
			return ring_next(c, h);
		}
	}
	/* Simultaneous: the stopped phones' 487s end the bridge
	 * (hunt_response), or the group's own timeout does. */
	return 0;
}

/* The member list of the request, without the caller's own extension
 * (it would ring the phone that is calling). */
static struct hunt *hunt_new(const struct call *c, const struct ring_req *r)
{
	struct hunt *h = calloc(1, sizeof(*h) + (size_t)r->n * sizeof(h->m[0]));
	if (!h)
		return NULL;
	h->id = hunt_seq = hunt_seq % 1000000 + 1;
	h->sequential = r->sequential;
	h->cur = -1;
	for (int i = 0; i < r->n; i++) {
		if (!c->trunk_id && !strcmp(r->m[i].ext, c->caller))
			continue;
		sip_strlcpy(h->m[h->n].ext, r->m[i].ext,
			    sizeof(h->m[h->n].ext));
		h->m[h->n].ring_s = r->m[i].ring_s;
		h->n++;
	}
	return h;
}

/* 0 while phones ring, 1 if the app has its answer already, or -errno. */
static int group_start(struct call *c, const struct ring_req *r)
{
	struct hunt *h;
	int err, rang = 0;

	if (c->state == CALL_ENDED || !c->mc)
		return -ECONNRESET;
	if (c->bridging)
		return -EBUSY;
	c->nbpref = 0; /* the tenant's codecs */
	c->bridge_rec = DB_REC_NEVER;
	c->b_headers[0] = '\0';
	/* As bridge_start: not a bridge to one extension (its no answer is
	 * the group's, not a forward's), and phones of an earlier bridge
	 * of this call are of another generation. */
	c->bridge_is_ext = 0;
	c->gen++;
	h = hunt_new(c, r);
	if (!h)
		return -ENOMEM;
	err = bridge_begin(c, "ring group", r->timeout_s);
	if (err) {
		free(h);
		return err;
	}
	c->hunt = h;
	LOGC(LOGL_INFO, "call", c->domain, c->call_id,
	     "%s: ringing a group of %d (%s, %d s)", c->caller, h->n,
	     h->sequential ? "in turn" : "all at once", r->timeout_s);
	if (h->sequential)
		return ring_next(c, h);
	for (int i = 0; i < h->n; i++)
		rang += member_ring(c, h, i) > 0;
	if (!rang) {
		bridge_end(c, -EHOSTUNREACH);
		return 1;
	}
	return 0;
}

static void group_job(struct sip *s, void *arg)
{
	struct ring_req *r = arg;
	int err = group_start(r->ch->sip_arg, r);

	(void)s;
	if (err < 0)
		chan_op_done(r->ch, err);
	chan_unref(r->ch);
	free(r);
}

int call_app_bridge_group(struct chan *ch, const struct chan_ring *m, int n,
			  int sequential, int timeout_s)
{
	struct call *c = ch->sip_arg;
	struct ring_req *r;

	if (!m || n < 1 || n > HUNT_MAX || timeout_s < 1)
		return -EINVAL;
	r = calloc(1, sizeof(*r) + (size_t)n * sizeof(r->m[0]));
	if (!r) /* freed by group_job */
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		if (!m[i].ext || !db_valid_number(m[i].ext) ||
		    m[i].ring_s < 1) {
			free(r);
			return -EINVAL;
		}
		snprintf(r->m[i].ext, sizeof(r->m[i].ext), "%s", m[i].ext);
		r->m[i].ring_s = m[i].ring_s;
	}
	r->n = n;
	r->sequential = !!sequential;
	r->timeout_s = timeout_s;
	r->ch = ch;
	chan_ref(ch);
	chan_op_begin(ch);
	if (sip_post(c->sip, group_job, r)) {
		chan_unref(ch);
		free(r);
		chan_op_done(ch, -ENOMEM);
	}
	return chan_op_wait(ch);
}
