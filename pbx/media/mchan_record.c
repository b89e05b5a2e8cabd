/* mchan_record.c - recording a joined pair of media channels: both parties
 * mixed into one WAV, always or toggled by a feature code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "media/mchan_priv.h"
#include "media/mrec.h"
#include "core/log.h"

int mchan_record(struct mchan *c, const char *path, int on_demand,
		 const char *code, const struct mrec_notify *nf)
{
	struct mcmd *x;

	if (!c || !path || (on_demand && (!code || !*code ||
					  strlen(code) >= sizeof(c->rec_code))))
		return -EINVAL;
	x = mchan_cmd(c, MCMD_CH_RECORD);
	if (!x)
		return -ENOMEM;
	x->path = strdup(path);
	if (!x->path) {
		free(x);
		return -ENOMEM;
	}
	x->on = on_demand;
	if (nf)
		x->nf = *nf;
	snprintf(x->digits, sizeof(x->digits), "%s", on_demand ? code : "");
	mworker_post(c->w, x);
	return 0;
}

int mchan_record_stop(struct mchan *c)
{
	struct mcmd *x = c ? mchan_cmd(c, MCMD_CH_RECORD) : NULL;

	if (!x)
		return c ? -ENOMEM : -EINVAL;
	mworker_post(c->w, x); /* no path: stop */
	return 0;
}

int mchan_recorded(const struct mchan *c)
{
	return c && c->rec_started;
}

/* ---- worker side ---- */

int mchan_rec_on(const struct mchan *c)
{
	return c->rec_active || (c->peer && c->peer->rec_active);
}

static void rec_begin(struct mchan *c)
{
	int own = c->ci->rate, peer = c->peer ? c->peer->ci->rate : own;

	if (!c->rec) {
		c->rec_rate = own > peer ? own : peer;
		if (mrec_start(&c->rec, c->rec_path, c->rec_rate,
			       &c->rec_nf)) {
			LOGE("rec", "[%s] cannot start recording", c->tag);
			return;
		}
		if (own != c->rec_rate)
			resample_alloc(&c->rec_rs[0], own, c->rec_rate);
		if (peer != c->rec_rate)
			resample_alloc(&c->rec_rs[1], peer, c->rec_rate);
	}
	c->rec_active = 1;
	c->rec_started = 1;
	LOGI("rec", "[%s] recording to %s", c->tag, c->rec_path);
}

void mchan_rec_end(struct mchan *c)
{
	mrec_stop(c->rec);
	c->rec = NULL;
	c->rec_active = 0;
	for (int i = 0; i < 2; i++) {
		resample_free(c->rec_rs[i]);
		c->rec_rs[i] = NULL;
	}
}

void mchan_record_h(struct mchan *c, struct mcmd *x)
{
	mchan_rec_end(c);
	free(c->rec_path);
	c->rec_path = x->path; /* taken from the command */
	x->path = NULL;
	c->rec_on_demand = x->on;
	c->rec_nf = x->nf;
	snprintf(c->rec_code, sizeof(c->rec_code), "%.7s", x->digits);
	/* mchan_recorded() speaks of the newest recording: a second one,
	 * on demand and never started, has no file for the CDR to name. */
	if (c->rec_path)
		c->rec_started = 0;
	if (c->rec_path && !c->rec_on_demand)
		rec_begin(c);
}

/* The channel that owns the pair's recording, if it is on demand. */
static struct mchan *on_demand_owner(struct mchan *c)
{
	struct mchan *o = c->rec_path ? c : c->peer;

	return o && o->rec_path && o->rec_on_demand ? o : NULL;
}

static void rec_toggle(struct mchan *o)
{
	if (o->rec_active) {
		o->rec_active = 0;
		LOGI("rec", "[%s] recording paused", o->tag);
	} else {
		rec_begin(o);
	}
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Keys from c's phone on to the peer's; keys it sent in-band are in its
 * audio already. */
static void pass_on(struct mchan *c, const char *keys)
{
	if (*keys && c->te_seen && c->peer)
		mchan_dtmf_queue(c->peer, keys);
}

/* Only a pair recorded on demand holds keys back: any other call's keys
 * (an IVR or voicemail behind the callee) go on at once, as before. Each
 * phone's keys are matched on their own, so the other phone's keys in
 * between neither complete nor break a code. A held key costs the other
 * party at most KEYHOLD_MS per key of the code, and only when the key
 * could begin it ("*" for "*1"). */
void mchan_rec_key(struct mchan *c, char digit, int relay)
{
	struct mchan *o = on_demand_owner(c);
	char out[KEYHOLD_MAX + 2];

	if (!o) {
		/* no code (any more): what was held goes first */
		if (keyhold_expire(&c->hold, INT64_MAX, out))
			pass_on(c, out);
		if (relay && c->peer)
			mchan_dtmf_queue(c->peer, (char[]){digit, '\0'});
		return;
	}
	if (keyhold_feed(&c->hold, o->rec_code, digit, mono_ms(), out)) {
		pass_on(c, out);
		rec_toggle(o);
		return;
	}
	pass_on(c, out);
}

void mchan_rec_hold_tick(struct mchan *c)
{
	char out[KEYHOLD_MAX + 2];

	if (c->hold.held[0] && keyhold_expire(&c->hold, mono_ms(), out))
		pass_on(c, out);
}

/* Up to `rate` if need be, into out (at least MCHAN_MAX_FRAME + 16). */
static int at_rate(struct resampler *rs, const int16_t *in, int n,
		   int16_t *out)
{
	if (!rs) {
		memcpy(out, in, sizeof(int16_t) * (size_t)n);
		return n;
	}
	n = resample_process(rs, in, n, out, MCHAN_MAX_FRAME + 16);
	return n < 0 ? 0 : n;
}

void mchan_rec_tick(struct mchan *c)
{
	int16_t a[MCHAN_MAX_FRAME + 16], b[MCHAN_MAX_FRAME + 16] = {0};
	int na, nb = 0, n;

	if (!c->rec || !c->rec_active)
		return;
	na = at_rate(c->rec_rs[0], c->last_rx, c->last_n, a);
	if (c->peer)
		nb = at_rate(c->rec_rs[1], c->peer->last_rx, c->peer->last_n,
			     b);
	n = c->rec_rate / 50; /* one 20 ms frame, whatever came in */
	for (int i = 0; i < n; i++) {
		int v = (i < na ? a[i] : 0) + (i < nb ? b[i] : 0);
		a[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
	mrec_push(c->rec, a, n);
}
