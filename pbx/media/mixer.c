/* mixer.c - conference rooms on media workers (see mixer.h): the members'
 * rings, the room's tick, and the commands that build and end a room. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/mixer_priv.h"
#include "media/mchan_priv.h"
#include "media/mrec.h"
#include "media/resample.h"
#include "core/log.h"

#define REC_RATE 16000

/* ---- rings (used by both sides) ------------------------------------------------------------ */

void mixer_fring_push(struct fring *r, const int16_t *pcm, int n, int rate)
{
	unsigned h = atomic_load_explicit(&r->head, memory_order_relaxed);
	unsigned t = atomic_load_explicit(&r->tail, memory_order_acquire);
	int k = h % FRING_SLOTS;

	if (h - t >= FRING_SLOTS)
		return; /* the reader is gone or stalled: drop, never wait */
	if (n > MIX_MAX_FRAME)
		n = MIX_MAX_FRAME;
	memcpy(r->f[k].pcm, pcm, sizeof(int16_t) * (size_t)n);
	r->f[k].n = n;
	r->f[k].rate = rate;
	atomic_store_explicit(&r->head, h + 1, memory_order_release);
}

/* Copies the next frame out; frames beyond FRING_KEEP waiting are
 * dropped first, so the two workers' clocks never build up delay. */
int mixer_fring_pop(struct fring *r, int16_t *pcm, int *rate)
{
	unsigned t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	unsigned h = atomic_load_explicit(&r->head, memory_order_acquire);
	int k, n;

	if (h == t)
		return 0;
	if (h - t > FRING_KEEP)
		t = h - FRING_KEEP;
	k = t % FRING_SLOTS;
	n = r->f[k].n;
	*rate = r->f[k].rate;
	memcpy(pcm, r->f[k].pcm, sizeof(int16_t) * (size_t)n);
	atomic_store_explicit(&r->tail, t + 1, memory_order_release);
	return n;
}

/* ---- ports ------------------------------------------------------------ */

void mport_unref(struct mport *p)
{
	if (atomic_fetch_sub(&p->refs, 1) == 1)
		free(p);
}

void mport_say(struct mport *p, const int16_t *pcm, int n, int rate)
{
	if (n > 0)
		mixer_fring_push(&p->said, pcm, n, rate);
	atomic_store_explicit(&p->rate_seen, rate, memory_order_relaxed);
}

int mport_hear(struct mport *p, int16_t *pcm, int n, int rate)
{
	int16_t f[MIX_MAX_FRAME];
	int fr = 0, k = mixer_fring_pop(&p->heard, f, &fr);

	if (k <= 0 || fr != rate)
		return 0;
	k = k < n ? k : n;
	memcpy(pcm, f, sizeof(int16_t) * (size_t)k);
	return k;
}

void mport_detach(struct mport *p)
{
	atomic_store(&p->gone, 1);
	mport_unref(p);
}

static int clamp_db(int db)
{
	return db < -12 ? -12 : db > 12 ? 12 : db;
}

static int q8_of_db(int db)
{
	return (int)lrint(MIX_GAIN_UNITY * pow(10.0, clamp_db(db) / 20.0));
}

void mport_set_mute(struct mport *p, int muted)
{
	atomic_store(&p->muted, !!muted);
}

void mport_set_gains(struct mport *p, int talk_db, int listen_db)
{
	atomic_store(&p->talk_gain, q8_of_db(talk_db));
	atomic_store(&p->listen_gain, q8_of_db(listen_db));
}

void mport_set_hold(struct mport *p, int held)
{
	atomic_store(&p->held, !!held);
}

int mport_speaking(const struct mport *p)
{
	return atomic_load(&((struct mport *)p)->speaking);
}

/* ---- control side ----------------------------------------------------- */

static struct mcmd *mix_cmd(struct mixer *mx, enum mcmd_type type)
{
	struct mcmd *x = calloc(1, sizeof(*x)); /* owned by the worker */

	if (x) {
		x->type = type;
		x->mixer = mx;
	}
	return x;
}

int mixer_alloc(struct mixer **mp, struct media *m, const char *tag)
{
	static atomic_uint next;
	struct mixer *mx;
	struct mcmd *x;

	if (!mp || !m)
		return -EINVAL;
	mx = calloc(1, sizeof(*mx)); /* owned by the worker once posted */
	if (!mx)
		return -ENOMEM;
	mx->m = m;
	mx->w = &m->w[atomic_fetch_add(&next, 1) % (unsigned)m->nworkers];
	snprintf(mx->tag, sizeof(mx->tag), "%s", tag ? tag : "");
	mx->sound = -1;
	mx->rate = 8000;
	mix_init(&mx->mix, 160);
	if (!(x = mix_cmd(mx, MCMD_MIX_ADD))) {
		free(mx);
		return -ENOMEM;
	}
	mworker_post(mx->w, x);
	*mp = mx;
	return 0;
}

void mixer_release(struct mixer *mx)
{
	struct mcmd *x;

	if (!mx)
		return;
	x = mix_cmd(mx, MCMD_MIX_DEL);
	if (!x) {
		/* Never leak a room the worker still mixes: wait for memory
		 * is not an option on a control thread either; log it. */
		LOGE("mixer", "[%s] out of memory: room left running", mx->tag);
		return;
	}
	mworker_post(mx->w, x);
}

int mixer_join(struct mixer *mx, struct mchan *c, struct mport **pp)
{
	struct mport *p;
	struct mcmd *x, *y;

	if (!mx || !c || !pp)
		return -EINVAL;
	p = calloc(1, sizeof(*p)); /* shared: three references */
	x = mix_cmd(mx, MCMD_MIX_JOIN);
	y = mchan_cmd(c, MCMD_CH_CONF);
	if (!p || !x || !y) {
		free(p);
		free(x);
		free(y);
		return -ENOMEM;
	}
	atomic_init(&p->refs, 3);
	atomic_init(&p->talk_gain, MIX_GAIN_UNITY);
	atomic_init(&p->listen_gain, MIX_GAIN_UNITY);
	p->chan = c;
	x->port = p;
	y->port = p;
	mworker_post(mx->w, x);
	mworker_post(c->w, y);
	*pp = p;
	return 0;
}

void mixer_leave(struct mport *p)
{
	struct mcmd *y;

	if (!p)
		return;
	atomic_store(&p->gone, 1);
	y = mchan_cmd(p->chan, MCMD_CH_CONF); /* port NULL: detach */
	if (y)
		mworker_post(p->chan->w, y);
	else
		LOGE("mixer", "out of memory: a channel keeps its room port");
	mport_unref(p);
}

int mixer_sound(struct mixer *mx, enum mixer_sound s)
{
	struct mcmd *x;

	if (!mx)
		return -EINVAL;
	if (!(x = mix_cmd(mx, MCMD_MIX_SOUND)))
		return -ENOMEM;
	x->on = (int)s;
	mworker_post(mx->w, x);
	return 0;
}

int mixer_set_moh(struct mixer *mx, int16_t *pcm, int n)
{
	struct mcmd *x;

	if (!mx || !pcm || n < 320) {
		free(pcm);
		return -EINVAL;
	}
	if (!(x = mix_cmd(mx, MCMD_MIX_MOH))) {
		free(pcm);
		return -ENOMEM;
	}
	x->pcm = pcm;
	x->npcm = n;
	mworker_post(mx->w, x);
	return 0;
}

int mixer_record(struct mixer *mx, const char *path)
{
	struct mcmd *x;
	struct mrec *r;
	int err;

	if (!mx || !path)
		return -EINVAL;
	if (mx->recording)
		return -EBUSY;
	if (!(x = mix_cmd(mx, MCMD_MIX_REC)))
		return -ENOMEM;
	if ((err = mrec_start(&r, path, REC_RATE, NULL))) {
		free(x);
		return err;
	}
	x->rec = r;
	mx->recording = 1;
	mworker_post(mx->w, x);
	return 0;
}

int mixer_record_stop(struct mixer *mx)
{
	struct mcmd *x;

	if (!mx || !mx->recording)
		return -EINVAL;
	if (!(x = mix_cmd(mx, MCMD_MIX_REC))) /* rec NULL: stop */
		return -ENOMEM;
	mx->recording = 0;
	mworker_post(mx->w, x);
	return 0;
}
