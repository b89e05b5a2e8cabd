/* mchan.c - media channels: creation, commands, and their worker-side life. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "media/mchan_priv.h"
#include "media/mixer_priv.h"
#include "core/log.h"

static void dtmf_h(char digit, void *arg)
{
	struct mchan *c = arg;

	/* In-band tones are only trusted until the phone shows it sends
	 * events: otherwise one key press would count twice. */
	if (c->te_seen)
		return;
	mchan_rec_key(c, digit, 0);
	if (c->ops && c->ops->digit)
		c->ops->digit(c->arg, digit);
}

static int init_dsp(struct mchan *c, const struct mchan_params *p)
{
	int err;

	c->ci = codec_info(p->codec);
	if (!c->ci)
		return -EINVAL;
	c->pt = p->pt;
	c->te_pt = p->te_pt;
	if ((err = codec_alloc(&c->codec, p->codec)) ||
	    (err = jbuf_alloc(&c->jb, 3, 32)) ||
	    (err = dtmf_det_alloc(&c->det, dtmf_h, c)) ||
	    (err = dtmf_gen_alloc(&c->gen)))
		return err;
	if (c->ci->rate != 8000 &&
	    (err = resample_alloc(&c->to8k, c->ci->rate, 8000)))
		return err;
	rtp_tx_init(&c->tx);
	dtmf_4733_rx_init(&c->d4733);
	c->rtt_ms = -1;
	return 0;
}

static void free_dsp(struct mchan *c)
{
	codec_free(c->codec);
	jbuf_free(c->jb);
	dtmf_det_free(c->det);
	dtmf_gen_free(c->gen);
	resample_free(c->to8k);
	resample_free(c->from_peer);
	tone_free(c->tone);
	free(c->rec_path);
}

struct mchan *mchan_new(struct media *m, const struct mchan_params *p,
			const struct mchan_ops *ops, void *arg)
{
	struct mchan *c = calloc(1, sizeof(*c)); /* owned by the caller */

	if (!c)
		return NULL;
	c->m = m;
	c->ctl_codec = p->codec;
	c->ops = ops;
	c->arg = arg;
	snprintf(c->tag, sizeof(c->tag), "%s", p->tag ? p->tag : "");
	for (int k = 0; k < 2; k++) {
		c->end.sock[k].fd = -1;
		c->end.sock[k].kind = k;
		c->end.sock[k].type = MOWNER_CHAN;
		c->end.sock[k].chan = c;
	}
	if (init_dsp(c, p)) {
		mchan_free_new(c);
		return NULL;
	}
	return c;
}

void mchan_free_new(struct mchan *c)
{
	if (!c)
		return;
	free_dsp(c);
	free(c);
}

struct mcmd *mchan_cmd(struct mchan *c, enum mcmd_type type)
{
	struct mcmd *x = calloc(1, sizeof(*x)); /* freed by the worker */

	if (x) {
		x->type = type;
		x->chan = c;
	}
	return x;
}

int mchan_alloc(struct mchan **cp, struct media *m,
		const struct mchan_params *p, const struct mchan_ops *ops,
		void *arg, struct mchan *near)
{
	struct mchan *c = mchan_new(m, p, ops, arg); /* owned by its worker */
	struct mcmd *x;
	int err;

	if (!c)
		return -ENOMEM;
	err = rtp_port_open(m, &c->end);
	x = err ? NULL : mchan_cmd(c, MCMD_CH_ADD);
	if (err || !x) {
		rtp_port_close(m, &c->end);
		mchan_free_new(c);
		return err ? err : -ENOMEM;
	}
	if (p->remote.ss_family)
		mend_set_remote(&c->end, &p->remote,
				p->sig.ss_family ? &p->sig : NULL);
	if (near) {
		c->w = near->w;
	} else {
		c->w = &m->w[m->next_worker];
		m->next_worker = (m->next_worker + 1) % m->nworkers;
	}
	mworker_post(c->w, x);
	*cp = c;
	return 0;
}

int mchan_port(const struct mchan *c)
{
	return c->end.port;
}

int mchan_set_remote(struct mchan *c, const struct sockaddr_storage *sdp)
{
	struct mcmd *x = mchan_cmd(c, MCMD_CH_REMOTE);

	if (!x)
		return -ENOMEM;
	x->sdp = *sdp;
	mworker_post(c->w, x);
	return 0;
}

static int set_moh(struct mchan *c, const int16_t *pcm, int n, int once)
{
	struct mcmd *x = mchan_cmd(c, MCMD_CH_MOH);

	if (!x)
		return -ENOMEM;
	x->moh = pcm;
	x->npcm = pcm ? n : 0;
	x->on = once;
	mworker_post(c->w, x);
	return 0;
}

int mchan_set_moh(struct mchan *c, const int16_t *pcm, int n)
{
	return set_moh(c, pcm, n, 0);
}

int mchan_play_once(struct mchan *c, const int16_t *pcm, int n)
{
	return pcm && n > 0 ? set_moh(c, pcm, n, 1) : -EINVAL;
}

enum codec_id mchan_codec(const struct mchan *c)
{
	return c->ctl_codec;
}

int mchan_set_ops(struct mchan *c, const struct mchan_ops *ops, void *arg)
{
	struct mcmd *x = mchan_cmd(c, MCMD_CH_OPS);

	if (!x)
		return -ENOMEM;
	x->ops = ops;
	x->ops_arg = arg;
	mworker_post(c->w, x);
	return 0;
}

int mchan_set_echo(struct mchan *c, int on)
{
	struct mcmd *x = mchan_cmd(c, MCMD_CH_ECHO);

	if (!x)
		return -ENOMEM;
	x->on = on;
	mworker_post(c->w, x);
	return 0;
}

int mchan_set_codec(struct mchan *c, enum codec_id codec, int pt, int te_pt,
		    const struct sockaddr_storage *remote)
{
	struct mcmd *x = mchan_cmd(c, MCMD_CH_CODEC);
	int err;

	if (!x)
		return -ENOMEM;
	c->ctl_codec = codec;
	x->ci = codec_info(codec);
	x->pt = pt;
	x->te_pt = te_pt;
	x->sdp = *remote;
	err = x->ci ? codec_alloc(&x->codec, codec) : -EINVAL;
	if (!err && x->ci->rate != 8000)
		err = resample_alloc(&x->to8k, x->ci->rate, 8000);
	if (err) {
		codec_free(x->codec);
		free(x);
		return err;
	}
	mworker_post(c->w, x);
	return 0;
}

int mchan_set_tone(struct mchan *c, int kind)
{
	struct mcmd *x = mchan_cmd(c, MCMD_CH_TONE);
	int err = 0;

	if (!x)
		return -ENOMEM;
	/* The tone is made at the rate the channel has when the command is
	 * posted; a codec change later keeps it (tones are narrowband). */
	if (kind >= 0)
		err = tone_alloc(&x->tone, (enum tone_kind)kind, 8000);
	if (err) {
		free(x);
		return err;
	}
	mworker_post(c->w, x);
	return 0;
}

int mchan_join(struct mchan *a, struct mchan *b)
{
	struct mcmd *x;

	if (b && a->w != b->w)
		return -EXDEV; /* allocate b with near = a */
	x = mchan_cmd(a, MCMD_CH_JOIN);
	if (!x)
		return -ENOMEM;
	x->peer = b;
	mworker_post(a->w, x);
	return 0;
}

int mchan_send_digits(struct mchan *c, const char *digits)
{
	struct mcmd *x = mchan_cmd(c, MCMD_CH_DIGITS);

	if (!x)
		return -ENOMEM;
	snprintf(x->digits, sizeof(x->digits), "%s", digits);
	mworker_post(c->w, x);
	return 0;
}

void mchan_release(struct mchan *c, void (*done)(void *arg), void *arg)
{
	struct mcmd *x;

	if (!c)
		return;
	x = mchan_cmd(c, MCMD_CH_DEL);
	if (!x) {
		LOGE("media", "out of memory releasing channel %s", c->tag);
		return;
	}
	x->done = done;
	x->done_arg = arg;
	mworker_post(c->w, x);
}

void mchan_stats(const struct mchan *c, struct mchan_stats *st)
{
	st->rx_pkts = c->rx_pkts;
	st->tx_pkts = c->tx_pkts;
	st->lost = (uint64_t)rtp_rxstats_lost(&c->rxs);
	st->jitter_ms =
	    c->ci ? rtp_rxstats_jitter_ms(&c->rxs, c->ci->clock) : 0;
	st->rtt_ms = c->rtt_ms;
	st->remote_loss = c->remote_loss;
}

/* ---- worker side ---- */

void mchan_set_peer(struct mchan *c, struct mchan *peer)
{
	resample_free(c->from_peer);
	c->from_peer = NULL;
	c->peer = peer;
	/* A channel sends what its peer heard in the same tick: both run
	 * in one phase (a join may so skip or repeat one frame, once). */
	if (peer)
		c->phase = peer->phase;
	/* Same codec both ways and digits as events (no in-band detection
	 * or generation needed): no reason to decode. */
	c->passthru = peer && peer->ci == c->ci && c->te_pt >= 0 &&
		      peer->te_pt >= 0 && !c->echo;
	c->fwd_on = 0;
	if (peer && peer->ci->rate != c->ci->rate &&
	    resample_alloc(&c->from_peer, peer->ci->rate, c->ci->rate))
		LOGE("media", "[%s] no resampler: the peer is not heard",
		     c->tag);
}

static void unjoin(struct mchan *c)
{
	if (c->peer && c->peer->peer == c)
		mchan_set_peer(c->peer, NULL);
	mchan_set_peer(c, NULL);
}

/* Swaps in the codec the phone answered with. */
static void codec_h(struct mchan *c, struct mcmd *x)
{
	struct mchan *peer = c->peer;

	codec_free(c->codec);
	resample_free(c->to8k);
	c->codec = x->codec;
	c->to8k = x->to8k;
	c->ci = x->ci;
	c->pt = x->pt;
	c->te_pt = x->te_pt;
	jbuf_reset(c->jb);
	c->have_rx = 0;
	mend_set_remote(&c->end, &x->sdp, NULL);
	if (peer) {
		/* Rates may have changed: both directions' resamplers too. */
		mchan_set_peer(c, peer);
		mchan_set_peer(peer, c);
	}
}

void mchan_add_h(struct mworker *w, struct mchan *c)
{
	for (int k = 0; k < 2; k++) {
		struct epoll_event ev = {.events = EPOLLIN,
					 .data.ptr = &c->end.sock[k]};
		if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, c->end.sock[k].fd, &ev))
			LOGE("media", "epoll add: %s", strerror(errno));
	}
	mchan_link_h(w, c);
}

void mchan_link_h(struct mworker *w, struct mchan *c)
{
	if (!w->chans && !w->mixers)
		mworker_tick(w, 1);
	c->phase = (int)(w->next_phase++ % TICK_PHASES);
	c->next = w->chans;
	w->chans = c;
}

static void del_h(struct mworker *w, struct mchan *c, struct mcmd *x)
{
	mchan_rec_end(c);
	unjoin(c);
	if (c->conf)
		mport_detach(c->conf);
	c->conf = NULL;
	rtp_port_close(w->m, &c->end);
	c->dead = 1;
	for (struct mchan **pp = &w->chans; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	if (!w->chans && !w->mixers)
		mworker_tick(w, 0);
	c->grave_next = w->chan_grave;
	w->chan_grave = c;
	if (x->done)
		x->done(x->done_arg);
}

void mchan_cmd_h(struct mworker *w, struct mcmd *x)
{
	struct mchan *c = x->chan;

	switch (x->type) {
	case MCMD_CH_ADD:
		mchan_add_h(w, c);
		break;
	case MCMD_CH_REMOTE:
		mend_set_remote(&c->end, &x->sdp, NULL);
		break;
	case MCMD_CH_ECHO:
		c->echo = x->on;
		break;
	case MCMD_CH_JOIN:
		unjoin(c);
		if (x->peer) {
			unjoin(x->peer);
			mchan_set_peer(c, x->peer);
			mchan_set_peer(x->peer, c);
		}
		break;
	case MCMD_CH_DIGITS:
		mchan_dtmf_queue(c, x->digits);
		break;
	case MCMD_CH_DEL:
		del_h(w, c, x);
		break;
	case MCMD_CH_CODEC:
		codec_h(c, x);
		break;
	case MCMD_CH_TONE:
		tone_free(c->tone);
		c->tone = x->tone;
		break;
	case MCMD_CH_SPLIT:
		mchan_split_h(w, x);
		break;
	case MCMD_CH_RECORD:
		mchan_record_h(c, x);
		break;
	case MCMD_CH_WATCH:
		c->watch_id = x->watch_id;
		c->watch_side = x->side;
		break;
	case MCMD_CH_MOH:
		c->moh = x->moh;
		c->moh_n = x->npcm;
		c->moh_pos = 0;
		c->moh_once = x->on;
		break;
	case MCMD_CH_OPS:
		c->ops = x->ops;
		c->arg = x->ops_arg;
		break;
	case MCMD_CH_CONF:
		/* A room it was in, if any, sees it gone. */
		if (c->conf)
			mport_detach(c->conf);
		c->conf = x->port;
		x->port = NULL;
		break;
	default:
		break;
	}
}

void mchan_bury(struct mworker *w)
{
	while (w->chan_grave) {
		struct mchan *c = w->chan_grave;
		w->chan_grave = c->grave_next;
		free_dsp(c);
		free(c);
	}
}
