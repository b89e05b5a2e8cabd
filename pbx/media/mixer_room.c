/* mixer_room.c - a room's tick on its worker: gather what each member
 * said, mix, hand each member what it hears; and the room's commands. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "media/mixer_priv.h"
#include "media/media_priv.h"
#include "media/mrec.h"
#include "media/resample.h"
#include "core/log.h"

#define REC_RATE 16000
#define SOUND_MS 100 /* each of a join or leave sound's two notes */
#define SOUND_AMP 3000.0

/* Converts n samples at rate `from` to exactly `want` samples at `to`
 * through *rs (made, or remade when the rates changed); short output is
 * padded with silence. */
static void convert(struct resampler **rs, int *made_for, const int16_t *in,
		    int n, int from, int to, int16_t *out, int want)
{
	int16_t tmp[MIX_MAX_FRAME * 2 + 16];
	int k;

	if (from == to) {
		k = n < want ? n : want;
		memcpy(out, in, sizeof(int16_t) * (size_t)k);
	} else {
		if (*made_for != from * 100000 + to) {
			resample_free(*rs);
			*rs = NULL;
			*made_for = 0;
			if (resample_alloc(rs, from, to))
				k = 0;
			else
				*made_for = from * 100000 + to;
		}
		k = *rs ? resample_process(*rs, in, n, tmp,
					   (int)(sizeof(tmp) / sizeof(tmp[0])))
			: 0;
		k = k < 0 ? 0 : k < want ? k : want;
		memcpy(out, tmp, sizeof(int16_t) * (size_t)k);
	}
	if (k < want)
		memset(out + k, 0, sizeof(int16_t) * (size_t)(want - k));
}

/* The room lets go of a port: its resamplers, and its reference. */
static void drop_port(struct mixer *mx, struct mport *p)
{
	resample_free(p->up);
	resample_free(p->down);
	p->up = p->down = NULL;
	atomic_store(&p->speaking, 0);
	mx->nports--;
	mport_unref(p);
}

/* Members who left are dropped; the mix rate follows the members. */
static void prune(struct mixer *mx)
{
	int wide = 0;

	for (struct mport **pp = &mx->ports; *pp;) {
		struct mport *p = *pp;
		if (atomic_load(&p->gone)) {
			*pp = p->next;
			drop_port(mx, p);
			continue;
		}
		if (atomic_load_explicit(&p->rate_seen,
					 memory_order_relaxed) == 16000)
			wide = 1;
		pp = &p->next;
	}
	if ((wide ? 16000 : 8000) != mx->rate) {
		mx->rate = wide ? 16000 : 8000;
		mix_init(&mx->mix, mx->rate / 50);
		for (struct mport *p = mx->ports; p; p = p->next)
			mix_member_init(&p->mm);
		LOGI("mixer", "[%s] mixing at %d Hz", mx->tag, mx->rate);
	}
}

/* This tick's note of the join or leave sound, or NULL. */
static const int16_t *sound(struct mixer *mx, int16_t *buf)
{
	int n = mx->mix.n, total = 2 * SOUND_MS * mx->rate / 1000;
	static const double f[2][2] = {{600, 900}, {900, 600}};

	if (mx->sound < 0)
		return NULL;
	for (int i = 0; i < n; i++, mx->sound_pos++) {
		int note = mx->sound_pos * 2 >= total;
		if (mx->sound_pos >= total) {
			buf[i] = 0;
			continue;
		}
		mx->phase += 2.0 * M_PI * f[mx->sound][note] / mx->rate;
		buf[i] = (int16_t)lrint(SOUND_AMP * sin(mx->phase));
	}
	if (mx->sound_pos >= total)
		mx->sound = -1;
	return buf;
}

/* This tick's music for held members at the mix rate (pairs averaged
 * down to 8 kHz: music on hold is soft, a plain average is filter
 * enough), or NULL when there is none. */
static const int16_t *moh_frame(struct mixer *mx, int16_t *buf)
{
	int n = mx->mix.n, step = mx->rate == 16000 ? 1 : 2;

	if (!mx->moh)
		return NULL;
	for (int i = 0; i < n; i++) {
		int32_t v = 0;
		for (int k = 0; k < step; k++) {
			v += mx->moh[mx->moh_pos];
			mx->moh_pos = (mx->moh_pos + 1) % mx->moh_n;
		}
		buf[i] = (int16_t)(v / step);
	}
	return buf;
}

static void record(struct mixer *mx)
{
	int16_t up[MIX_MAX_FRAME];

	if (!mx->rec)
		return;
	if (mx->rate == REC_RATE) {
		mrec_push(mx->rec, mx->mix.shared, mx->mix.n);
		return;
	}
	convert(&mx->rec_up, &mx->rec_made, mx->mix.shared, mx->mix.n,
		mx->rate, REC_RATE, up, REC_RATE / 50);
	mrec_push(mx->rec, up, REC_RATE / 50);
}

static void tick_one(struct mixer *mx)
{
	int16_t f[MIX_MAX_FRAME], snd[MIX_MAX_FRAME], moh[MIX_MAX_FRAME];
	const int16_t *music = NULL;
	int i = 0, n, any_held = 0;

	prune(mx);
	n = mx->mix.n;
	for (struct mport *p = mx->ports; p; p = p->next, i++) {
		int rate = 0, held, k = mixer_fring_pop(&p->said, f, &rate);
		p->mm.have_in = k > 0;
		if (k > 0)
			convert(&p->up, &p->up_from, f, k, rate, mx->rate,
				p->mm.in, n);
		held = atomic_load_explicit(&p->held, memory_order_relaxed);
		any_held |= held;
		p->mm.muted = held || atomic_load_explicit(
					  &p->muted, memory_order_relaxed);
		p->mm.talk_gain = atomic_load_explicit(&p->talk_gain,
						       memory_order_relaxed);
		p->mm.listen_gain = held ? 0
					 : atomic_load_explicit(
					       &p->listen_gain,
					       memory_order_relaxed);
		mx->mm[i] = &p->mm;
	}
	mix_run(&mx->mix, mx->mm, mx->nports, sound(mx, snd));
	if (any_held)
		music = moh_frame(mx, moh);
	for (struct mport *p = mx->ports; p; p = p->next) {
		int rate = atomic_load_explicit(&p->rate_seen,
						memory_order_relaxed);
		const int16_t *out = p->mm.out;
		if (rate != 8000 && rate != 16000)
			continue; /* its channel has not ticked yet */
		if (music && atomic_load_explicit(&p->held,
						  memory_order_relaxed))
			out = music;
		convert(&p->down, &p->down_to, out, n, mx->rate, rate, f,
			rate / 50);
		mixer_fring_push(&p->heard, f, rate / 50, rate);
		atomic_store_explicit(&p->speaking, p->mm.speaking,
				      memory_order_relaxed);
	}
	record(mx);
}

void mixer_tick_all(struct mworker *w, int phase)
{
	for (struct mixer *mx = w->mixers; mx; mx = mx->next)
		if (mx->tick_phase == phase)
			tick_one(mx);
}

/* ---- commands --------------------------------------------------------- */

static void join_h(struct mixer *mx, struct mport *p)
{
	if (mx->nports + 1 > mx->mm_cap) {
		int cap = mx->mm_cap ? mx->mm_cap * 2 : 8;
		struct mix_member **mm =
		    realloc(mx->mm, sizeof(*mm) * (size_t)cap);
		if (!mm) {
			LOGE("mixer", "[%s] out of memory: member not joined",
			     mx->tag);
			mport_unref(p);
			return;
		}
		mx->mm = mm;
		mx->mm_cap = cap;
	}
	mix_member_init(&p->mm);
	p->next = mx->ports;
	mx->ports = p;
	mx->nports++;
}

static void free_mixer(struct mixer *mx)
{
	while (mx->ports) {
		struct mport *p = mx->ports;
		mx->ports = p->next;
		drop_port(mx, p);
	}
	if (mx->rec)
		mrec_stop(mx->rec);
	resample_free(mx->rec_up);
	free(mx->moh);
	free(mx->mm);
	free(mx);
}

static void del_h(struct mworker *w, struct mixer *mx)
{
	for (struct mixer **pp = &w->mixers; *pp; pp = &(*pp)->next) {
		if (*pp == mx) {
			*pp = mx->next;
			break;
		}
	}
	free_mixer(mx);
	if (!w->chans && !w->mixers)
		mworker_tick(w, 0);
}

void mixer_cmd_h(struct mworker *w, struct mcmd *x)
{
	struct mixer *mx = x->mixer;

	switch (x->type) {
	case MCMD_MIX_ADD:
		if (!w->chans && !w->mixers)
			mworker_tick(w, 1);
		mx->tick_phase = (int)(w->next_phase++ % TICK_PHASES);
		mx->next = w->mixers;
		w->mixers = mx;
		break;
	case MCMD_MIX_DEL:
		del_h(w, mx);
		break;
	case MCMD_MIX_JOIN:
		join_h(mx, x->port);
		x->port = NULL;
		break;
	case MCMD_MIX_SOUND:
		mx->sound = x->on == MIXER_LEAVE ? 1 : 0;
		mx->sound_pos = 0;
		break;
	case MCMD_MIX_MOH:
		free(mx->moh);
		mx->moh = x->pcm;
		mx->moh_n = x->npcm;
		mx->moh_pos = 0;
		x->pcm = NULL;
		break;
	case MCMD_MIX_REC:
		if (mx->rec)
			mrec_stop(mx->rec);
		mx->rec = x->rec;
		x->rec = NULL;
		break;
	default:
		break;
	}
}

void mixer_free_all(struct mworker *w)
{
	while (w->mixers) {
		struct mixer *mx = w->mixers;
		w->mixers = mx->next;
		free_mixer(mx);
	}
}
