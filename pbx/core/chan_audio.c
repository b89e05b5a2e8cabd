/* chan_audio.c - the app API's audio: prompts, tones, recording, echo. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/chan_priv.h"
#include "core/log.h"
#include "media/mchan.h"
#include "media/player.h"
#include "media/recorder.h"
#include "media/tone.h"

#define CHUNK_MS 20

static void deadline_in(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* With the lock held: takes the first queued digit that is in `stop`
 * (and drops the queued audio, so the caller is not kept listening).
 * Digits not in `stop` stay queued for a later read. */
static int stop_pressed(struct chan *c, const char *stop, char *pressed)
{
	if (!stop || !*stop)
		return 0;
	for (int i = 0; i < c->ndigits; i++) {
		if (!strchr(stop, c->digits[i]))
			continue;
		if (pressed)
			*pressed = c->digits[i];
		memmove(c->digits + i, c->digits + i + 1,
			(size_t)(c->ndigits - i - 1));
		c->ndigits--;
		c->out_len = 0;
		return 1;
	}
	return 0;
}

/* Queues n samples for the worker to send, waiting for room. Returns 0,
 * 1 if a stop digit ended it, or -ECONNRESET. */
static int push_audio(struct chan *c, const int16_t *pcm, int n,
		      const char *stop, char *pressed)
{
	int r = 0;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		if (c->hungup) {
			r = -ECONNRESET;
			break;
		}
		if (stop_pressed(c, stop, pressed)) {
			r = 1;
			break;
		}
		if (c->out_cap - c->out_len >= n)
			break;
		pthread_cond_wait(&c->cond, &c->lock);
	}
	if (r == 0) {
		for (int i = 0; i < n; i++)
			c->out[(c->out_head + c->out_len + i) % c->out_cap] =
				pcm[i];
		c->out_len += n;
	}
	pthread_mutex_unlock(&c->lock);
	return r;
}

/* Waits until the queued audio has been sent (the caller heard all of
 * it), a stop digit, or a hang-up. */
static int drain_audio(struct chan *c, const char *stop, char *pressed)
{
	int r = 0;

	pthread_mutex_lock(&c->lock);
	while (c->out_len && !c->hungup && !(r = stop_pressed(c, stop, pressed)))
		pthread_cond_wait(&c->cond, &c->lock);
	if (c->hungup)
		r = -ECONNRESET;
	pthread_mutex_unlock(&c->lock);
	return r;
}

int chan_play(struct chan *c, const char *what, const char *stop,
	      char *pressed)
{
	char path[PATH_MAX], stock[PATH_MAX], err[256];
	int16_t pcm[320];
	int n = c->rate * CHUNK_MS / 1000, r = 0, k;
	struct player *p;

	if (!what || !*what)
		return -EINVAL;
	r = chan_prompt_path(c, what, 0, path, sizeof(path));
	if (r) {
		LOGC(LOGL_WARN, "app", c->domain, c->call_id,
		     "no prompt or file '%s'", what);
		return r;
	}
	r = player_open(&p, path, c->rate, err, sizeof(err));
	if (r && what[0] != '/' &&
	    !chan_prompt_path(c, what, 1, stock, sizeof(stock)) &&
	    strcmp(stock, path)) {
		/* A tenant's upload that cannot be played: the caller hears
		 * the stock prompt rather than silence. */
		LOGC(LOGL_WARN, "app", c->domain, c->call_id, "%s", err);
		r = player_open(&p, stock, c->rate, err, sizeof(err));
	}
	if (r) {
		LOGC(LOGL_WARN, "app", c->domain, c->call_id, "%s", err);
		return r;
	}
	/* File reads happen here, on the app thread, never on the worker. */
	while (r == 0 && (k = player_read(p, pcm, n)) > 0)
		r = push_audio(c, pcm, k, stop, pressed);
	player_close(p);
	if (r == 0)
		r = drain_audio(c, stop, pressed);
	return r < 0 ? r : 0;
}

int chan_play_tone(struct chan *c, const char *name, int ms)
{
	static const struct {
		const char *name;
		enum tone_kind kind;
	} tones[] = {{"ringback", TONE_RINGBACK}, {"busy", TONE_BUSY},
		     {"beep", TONE_BEEP},	  {"dial", TONE_DIAL},
		     {"congestion", TONE_CONGESTION}};
	int16_t pcm[320];
	int n = c->rate * CHUNK_MS / 1000, left, r = 0, k;
	struct tone *t = NULL;

	for (size_t i = 0; i < sizeof(tones) / sizeof(tones[0]); i++)
		if (!strcmp(tones[i].name, name))
			r = tone_alloc(&t, tones[i].kind, c->rate);
	if (!t)
		return r ? r : -EINVAL;
	left = ms > 0 ? ms * c->rate / 1000 : c->rate * 10;
	while (r == 0 && left > 0 &&
	       (k = tone_fill(t, pcm, n < left ? n : left)) > 0) {
		r = push_audio(c, pcm, k, NULL, NULL);
		left -= k;
	}
	tone_free(t);
	if (r == 0)
		r = drain_audio(c, NULL, NULL);
	return r < 0 ? r : 0;
}

int chan_echo(struct chan *c, const char *stop)
{
	char pressed;
	int r = 0;

	mchan_set_echo(c->mc, 1);
	pthread_mutex_lock(&c->lock);
	while (!c->hungup && !stop_pressed(c, stop, &pressed))
		pthread_cond_wait(&c->cond, &c->lock);
	if (c->hungup)
		r = -ECONNRESET;
	pthread_mutex_unlock(&c->lock);
	mchan_set_echo(c->mc, 0);
	return r;
}

int chan_read_digits(struct chan *c, char *buf, size_t len, int max,
		     int timeout_ms, char term)
{
	struct timespec dl;
	int n = 0, r = 0;

	if (!buf || !len || max <= 0)
		return -EINVAL;
	if ((size_t)max >= len)
		max = (int)len - 1;
	pthread_mutex_lock(&c->lock);
	deadline_in(&dl, timeout_ms);
	while (n < max) {
		if (c->hungup) {
			r = -ECONNRESET;
			break;
		}
		if (c->ndigits) {
			char d = c->digits[0];
			memmove(c->digits, c->digits + 1, (size_t)--c->ndigits);
			if (term && d == term)
				break;
			buf[n++] = d;
			/* Each digit gives the caller a fresh timeout. */
			deadline_in(&dl, timeout_ms);
			continue;
		}
		if (pthread_cond_timedwait(&c->cond, &c->lock, &dl) ==
		    ETIMEDOUT) {
			if (!n)
				r = -ETIMEDOUT;
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
	buf[n] = '\0';
	return r;
}
