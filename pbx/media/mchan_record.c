/* mchan_record.c - recording a joined pair of media channels: both parties
 * mixed into one WAV, always or toggled by a feature code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/mchan_priv.h"
#include "media/mrec.h"
#include "core/log.h"

int mchan_record(struct mchan *c, const char *path, int on_demand,
		 const char *code)
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
		if (mrec_start(&c->rec, c->rec_path, c->rec_rate)) {
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
	snprintf(c->rec_code, sizeof(c->rec_code), "%.7s", x->digits);
	c->rec_keys[0] = '\0';
	/* mchan_recorded() speaks of the newest recording: a second one,
	 * on demand and never started, has no file for the CDR to name. */
	if (c->rec_path)
		c->rec_started = 0;
	if (c->rec_path && !c->rec_on_demand)
		rec_begin(c);
}

/* A key pressed on either phone of the pair: the last keys ending in the
 * code start, pause or resume the recording. */
void mchan_rec_digit(struct mchan *c, char digit)
{
	struct mchan *o = c->rec_path ? c : c->peer;
	size_t n, k;

	if (!o || !o->rec_path || !o->rec_on_demand)
		return;
	n = strlen(o->rec_keys);
	k = strlen(o->rec_code);
	if (n + 1 >= sizeof(o->rec_keys)) {
		memmove(o->rec_keys, o->rec_keys + 1, n);
		n--;
	}
	o->rec_keys[n] = digit;
	o->rec_keys[n + 1] = '\0';
	if (n + 1 < k || strcmp(o->rec_keys + n + 1 - k, o->rec_code))
		return;
	o->rec_keys[0] = '\0';
	if (o->rec_active) {
		o->rec_active = 0;
		LOGI("rec", "[%s] recording paused", o->tag);
	} else {
		rec_begin(o);
	}
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
