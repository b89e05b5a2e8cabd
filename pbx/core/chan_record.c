/* chan_record.c - recording what the caller says, never losing it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/chan_priv.h"
#include "core/log.h"
#include "media/recorder.h"

#define SILENCE_LEVEL 300 /* mean absolute sample value below = silence */

static int mean_abs(const int16_t *pcm, int n)
{
	long sum = 0;

	for (int i = 0; i < n; i++)
		sum += labs((long)pcm[i]);
	return n ? (int)(sum / n) : 0;
}

/* Takes what the worker queued (under the lock); returns samples. */
static int take_in(struct chan *c, int16_t *pcm, int max)
{
	int k = c->in_len < max ? c->in_len : max;

	for (int i = 0; i < k; i++)
		pcm[i] = c->in[(c->in_head + i) % c->in_cap];
	c->in_head = (c->in_head + k) % c->in_cap;
	c->in_len -= k;
	return k;
}

int chan_record(struct chan *c, const char *path, int max_ms,
		int silence_ms, const char *stop, char *pressed, int *ms)
{
	struct recorder *rec;
	int64_t total = 0, quiet = 0, samples;
	int16_t pcm[1600];
	char err[256];
	int r, fin;

	r = recorder_open(&rec, path, c->rate, err, sizeof(err));
	if (r) {
		LOGC(LOGL_ERROR, "app", c->domain, c->call_id, "%s", err);
		return r;
	}
	pthread_mutex_lock(&c->lock);
	c->in_on = 1;
	c->in_len = 0;
	for (r = 0; r == 0;) {
		int k = take_in(c, pcm, (int)(sizeof(pcm) / sizeof(pcm[0])));

		if (k) {
			/* The file is written without the lock held. */
			pthread_mutex_unlock(&c->lock);
			r = recorder_write(rec, pcm, k);
			total += k;
			quiet = mean_abs(pcm, k) < SILENCE_LEVEL ? quiet + k : 0;
			pthread_mutex_lock(&c->lock);
			if (r)
				break;
		}
		if (max_ms > 0 && total * 1000 >= (int64_t)max_ms * c->rate)
			break;
		if (silence_ms > 0 &&
		    quiet * 1000 >= (int64_t)silence_ms * c->rate)
			break;
		if (c->hungup || (stop && *stop && c->ndigits &&
				  strchr(stop, c->digits[0]))) {
			if (!c->hungup && pressed)
				*pressed = c->digits[0];
			if (!c->hungup)
				memmove(c->digits, c->digits + 1,
					(size_t)--c->ndigits);
			break;
		}
		if (!k)
			pthread_cond_wait(&c->cond, &c->lock);
	}
	c->in_on = 0;
	pthread_mutex_unlock(&c->lock);
	/* A hang-up ends the recording but keeps it: what the caller said
	 * before hanging up is the message. So does a full disk (r): what
	 * was written before it is kept, and the caller is told. */
	fin = recorder_finish(rec, &samples);
	if (ms)
		*ms = fin ? 0 : (int)(samples * 1000 / c->rate);
	return r ? r : fin;
}
