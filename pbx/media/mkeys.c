/* mkeys.c - key presses of watched calls, queued for the control thread
 * (media.h: msess_watch, mchan_watch, media_keys_take). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "media/mchan_priv.h"
#include "media/dtmf.h"

/*
 * In-call feature codes (## to transfer, *70 to park) are keyed on a
 * phone in a call the PBX may only relay. The worker that sees an RFC
 * 4733 event of a watched session or channel queues the key here with the
 * call's watch id; the SIP thread takes the queue on its timer. Nothing
 * here points at a call, so a call that ends while its keys wait is no
 * hazard: its id is simply not found any more.
 */

void media_key_push(struct media *m, uint64_t id, int side, char digit)
{
	pthread_mutex_lock(&m->klock);
	if (m->nkeys < MEDIA_KEYS_MAX) {
		struct media_key *k = &m->keys[(m->khead + m->nkeys) %
					      MEDIA_KEYS_MAX];
		k->id = id;
		k->side = side;
		k->digit = digit;
		m->nkeys++;
	}
	pthread_mutex_unlock(&m->klock);
}

int media_keys_take(struct media *m, struct media_key *out, int max)
{
	int n = 0;

	pthread_mutex_lock(&m->klock);
	while (n < max && m->nkeys) {
		out[n++] = m->keys[m->khead];
		m->khead = (m->khead + 1) % MEDIA_KEYS_MAX;
		m->nkeys--;
	}
	pthread_mutex_unlock(&m->klock);
	return n;
}

/* An event packet of a watched relay: a new key press is queued. */
void msess_key_h(struct msess *s, int side, const struct rtp_hdr *h,
		 const uint8_t *pl, size_t plen)
{
	struct dtmf_event ev;
	char digit;

	if (dtmf_4733_parse(pl, plen, &ev) ||
	    dtmf_4733_rx_feed(&s->krx[side], h->ts, &ev, &digit) != 1)
		return;
	media_key_push(s->m, s->watch_id, side, digit);
}

int msess_watch(struct msess *s, uint64_t id, int te_a, int te_b)
{
	struct mcmd *x = calloc(1, sizeof(*x)); /* owned by the worker */

	if (!x)
		return -ENOMEM;
	x->type = MCMD_WATCH;
	x->sess = s;
	x->watch_id = id;
	x->pt = te_a;
	x->te_pt = te_b;
	mworker_post(s->w, x);
	return 0;
}

void msess_watch_h(struct msess *s, const struct mcmd *x)
{
	s->watch_id = x->watch_id;
	s->te[MSIDE_A] = x->pt;
	s->te[MSIDE_B] = x->te_pt;
	dtmf_4733_rx_init(&s->krx[MSIDE_A]);
	dtmf_4733_rx_init(&s->krx[MSIDE_B]);
}

int mchan_watch(struct mchan *c, uint64_t id, int side)
{
	struct mcmd *x = mchan_cmd(c, MCMD_CH_WATCH);

	if (!x)
		return -ENOMEM;
	x->watch_id = id;
	x->side = side;
	mworker_post(c->w, x);
	return 0;
}
