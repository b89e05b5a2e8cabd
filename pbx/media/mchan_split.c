/* mchan_split.c - a relay session becomes two joined media channels. */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>

#include "media/mchan_priv.h"
#include "core/log.h"

/*
 * A call between two phones starts as a plain relay. When their SDP shows
 * they share no codec, the PBX must decode one side and encode for the
 * other. The phones already know the relay's ports, so the channels take
 * over the session's sockets (and what it learned of the phones'
 * addresses) rather than open new ones and send re-INVITEs.
 */

int mchan_split(struct msess *s, const struct mchan_params p[2],
		struct mchan *out[2])
{
	struct mchan *c[2] = {NULL, NULL};
	struct mcmd *x = NULL;

	if (!s || !p || !out)
		return -EINVAL;
	for (int i = 0; i < 2; i++) {
		/* ops NULL: no app listens; the channels only talk to each
		 * other. */
		c[i] = mchan_new(s->m, &p[i], NULL, NULL);
		if (!c[i])
			goto fail;
		c[i]->w = s->w;
		/* Read by mchan_port() on this thread; the worker fills the
		 * rest of the endpoint when it takes the command. */
		c[i]->end.port = s->end[i].port;
	}
	x = mchan_cmd(c[0], MCMD_CH_SPLIT);
	if (!x)
		goto fail;
	x->peer = c[1];
	x->sess = s;
	mworker_post(s->w, x);
	out[0] = c[0];
	out[1] = c[1];
	return 0;
fail:
	mchan_free_new(c[0]);
	mchan_free_new(c[1]);
	return -ENOMEM;
}

/* Moves one side's endpoint, sockets included, into a channel. */
static void take_end(struct mworker *w, struct mchan *c, struct mend *e)
{
	c->end = *e;
	for (int k = 0; k < 2; k++) {
		struct msock *ms = &c->end.sock[k];
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = ms};

		ms->type = MOWNER_CHAN;
		ms->chan = c;
		ms->sess = NULL;
		if (ms->fd >= 0 &&
		    epoll_ctl(w->epfd, EPOLL_CTL_MOD, ms->fd, &ev) < 0)
			LOGE("media", "[%s] epoll mod: %s", c->tag,
			     strerror(errno));
		e->sock[k].fd = -1; /* the session must not close it */
	}
	e->port = 0; /* nor give the port pair back */
	/* The relay had no codec: the channel measures from here on. */
	memset(&c->end.rxs, 0, sizeof(c->end.rxs));
	mchan_link_h(w, c);
}

/* Phone of channel c heard the other phone's packets as the relay passed
 * them on (`heard`: what the relay received from that other phone): c
 * carries on with that stream's SSRC, numbers and timestamps, so the
 * phone's jitter buffer sees no jump (baresip drops every packet after a
 * timestamp that goes backwards). */
static void continue_stream(struct mchan *c, const struct rtp_rxstats *heard)
{
	if (!heard->active)
		return;
	c->tx.ssrc = heard->ssrc;
	c->tx.seq = (uint16_t)(heard->max_seq + 1);
	c->tx.ts = heard->last_ts +
		   (uint32_t)(c->ci->frame_samples * c->ci->clock / c->ci->rate);
}

void mchan_split_h(struct mworker *w, struct mcmd *x)
{
	struct mchan *a = x->chan, *b = x->peer;

	/* Keys watched on the relay stay watched on its channels. */
	a->watch_id = b->watch_id = x->sess->watch_id;
	a->watch_side = MSIDE_A;
	b->watch_side = MSIDE_B;
	if (x->sess->watch_id) {
		/* A key held down across the split is one press. */
		a->d4733 = x->sess->krx[MSIDE_A];
		b->d4733 = x->sess->krx[MSIDE_B];
	}
	continue_stream(a, &x->sess->end[MSIDE_B].rxs);
	continue_stream(b, &x->sess->end[MSIDE_A].rxs);
	take_end(w, a, &x->sess->end[MSIDE_A]);
	take_end(w, b, &x->sess->end[MSIDE_B]);
	mchan_set_peer(a, b);
	mchan_set_peer(b, a);
	/* Events of this batch that still point at the session's sockets
	 * are skipped (it is dead); the packets wait in the sockets. */
	msess_del_h(w, x->sess);
}
