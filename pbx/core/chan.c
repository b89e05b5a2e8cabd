/* chan.c - a channel's life, its app thread, and the media callbacks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/chan_priv.h"
#include "core/log.h"
#include "media/mchan.h"

int chan_alloc(struct chan **cp, int rate)
{
	struct chan *c = calloc(1, sizeof(*c)); /* refcounted: chan_unref */

	if (!c)
		return -ENOMEM;
	c->rate = rate;
	c->out_cap = rate * CHAN_OUT_MS / 1000;
	c->in_cap = rate * CHAN_IN_MS / 1000;
	c->out = calloc((size_t)c->out_cap, sizeof(int16_t));
	c->in = calloc((size_t)c->in_cap, sizeof(int16_t));
	if (!c->out || !c->in) {
		free(c->out);
		free(c->in);
		free(c);
		return -ENOMEM;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->refs = 1;
	*cp = c;
	return 0;
}

void chan_ref(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	c->refs++;
	pthread_mutex_unlock(&c->lock);
}

void chan_unref(struct chan *c)
{
	int last;

	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&c->lock);
	if (!last)
		return;
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	db_close(c->db);
	free(c->out);
	free(c->in);
	free(c);
}

/* ---- SIP side ---- */

void chan_set_hungup(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	c->hungup = 1;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

void chan_set_answered(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	c->answered = 1;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

void chan_op_done(struct chan *c, int result)
{
	pthread_mutex_lock(&c->lock);
	c->op_pending = 0;
	c->op_result = result;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

void chan_op_begin(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	c->op_pending = 1;
	pthread_mutex_unlock(&c->lock);
}

int chan_op_wait(struct chan *c)
{
	int r;

	pthread_mutex_lock(&c->lock);
	while (c->op_pending && !c->hungup)
		pthread_cond_wait(&c->cond, &c->lock);
	r = c->hungup ? -ECONNRESET : c->op_result;
	pthread_mutex_unlock(&c->lock);
	return r;
}

int chan_take_digit(struct chan *c, char *digit)
{
	int got = 0;

	pthread_mutex_lock(&c->lock);
	if (c->ndigits) {
		*digit = c->digits[0];
		memmove(c->digits, c->digits + 1, (size_t)--c->ndigits);
		got = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return got;
}

/* ---- media worker callbacks: short, under the lock, then signal ---- */

static void digit_h(void *arg, char digit)
{
	struct chan *c = arg;

	pthread_mutex_lock(&c->lock);
	if (c->ndigits < CHAN_DIGITS)
		c->digits[c->ndigits++] = digit;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

static void rx_h(void *arg, const int16_t *pcm, int n)
{
	struct chan *c = arg;

	pthread_mutex_lock(&c->lock);
	if (c->in_on) {
		for (int i = 0; i < n; i++) {
			if (c->in_len == c->in_cap) {
				c->in_lost++; /* the app fell 2 s behind */
				break;
			}
			c->in[(c->in_head + c->in_len++) % c->in_cap] = pcm[i];
		}
		pthread_cond_broadcast(&c->cond);
	}
	pthread_mutex_unlock(&c->lock);
}

static int tx_h(void *arg, int16_t *pcm, int n)
{
	struct chan *c = arg;
	int k;

	pthread_mutex_lock(&c->lock);
	k = c->out_len < n ? c->out_len : n;
	for (int i = 0; i < k; i++)
		pcm[i] = c->out[(c->out_head + i) % c->out_cap];
	c->out_head = (c->out_head + k) % c->out_cap;
	c->out_len -= k;
	if (k)
		pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return k;
}

void chan_push_digit(struct chan *c, char digit)
{
	digit_h(c, digit);
}

const struct mchan_ops chan_media_ops = {
	.digit = digit_h,
	.rx = rx_h,
	.tx = tx_h,
};

/* ---- the app thread ---- */

int chan_app_status(int err)
{
	switch (err) {
	case -EBUSY:
	case -ETIMEDOUT:
	case -EHOSTUNREACH:
	case -ENETUNREACH:
	case -ENOENT:
	case -EACCES:
	case -EPROTONOSUPPORT:
		return 1;
	default:
		return 0;
	}
}

int chan_answered(const struct chan *c)
{
	int a;

	pthread_mutex_lock((pthread_mutex_t *)&c->lock);
	a = c->answered;
	pthread_mutex_unlock((pthread_mutex_t *)&c->lock);
	return a;
}

static void *app_main(void *arg)
{
	struct chan *c = arg;
	int err;

	LOGC(LOGL_INFO, "app", c->domain, c->call_id, "%s -> %s: app %s(%s)",
	     c->caller, c->exten, c->app->name, c->args);
	err = c->app->run(c, c->args);
	if (err && err != -ECONNRESET &&
	    !(chan_app_status(err) && !chan_answered(c))) {
		LOGC(LOGL_WARN, "app", c->domain, c->call_id,
		     "app %s ended with an error: %s", c->app->name,
		     strerror(-err));
		/* Never a silent dead call: the caller hears why it ends. */
		if (chan_answer(c) == 0)
			chan_play(c, "cannot_complete", NULL, NULL);
	}
	/* Unanswered, a call-outcome error becomes the caller's SIP status
	 * (486 busy, 480 no answer, ...): its phone shows why. */
	c->app_result = err;
	c->sip->app_done(c);
	chan_unref(c);
	return NULL;
}

int chan_start(struct chan *c)
{
	pthread_attr_t attr;
	pthread_t thr;
	int err;

	chan_ref(c); /* the app thread's */
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* Apps are sequential code with small frames: 256 KiB is plenty
	 * and keeps thousands of app calls affordable. */
	pthread_attr_setstacksize(&attr, 256 * 1024);
	err = pthread_create(&thr, &attr, app_main, c);
	pthread_attr_destroy(&attr);
	if (err) {
		chan_unref(c);
		return -err;
	}
	return 0;
}

/* ---- accessors ---- */

struct db *chan_db(struct chan *c)
{
	if (!c->db && db_open(&c->db, c->db_path))
		LOGC(LOGL_ERROR, "app", c->domain, c->call_id,
		     "cannot open the database %s", c->db_path);
	return c->db;
}

const char *chan_caller(const struct chan *c)
{
	return c->caller;
}

const char *chan_exten(const struct chan *c)
{
	return c->exten;
}

const char *chan_domain(const struct chan *c)
{
	return c->domain;
}

int64_t chan_tenant_id(const struct chan *c)
{
	return c->tenant_id;
}

const char *chan_caller_ext(const struct chan *c)
{
	return c->caller_local ? c->caller : NULL;
}

const char *chan_caller_name(const struct chan *c)
{
	return c->caller_name;
}

const char *chan_spool_dir(const struct chan *c)
{
	return c->spool_dir;
}

const char *chan_call_id(const struct chan *c)
{
	return c->call_id;
}

int chan_prompt_path(const struct chan *c, const char *id, int stock,
		     char *out, size_t len)
{
	struct stat st;

	if (id[0] == '/') {
		snprintf(out, len, "%s", id);
		return stat(out, &st) ? -ENOENT : 0;
	}
	/* Prompt ids are names, never paths: a route's argument must not
	 * reach files outside the sounds folders. */
	if (strchr(id, '/') || strstr(id, ".."))
		return -EINVAL;
	if (!stock) {
		snprintf(out, len, "%s/tenants/%s/prompts/%s.wav",
			 c->spool_dir, c->domain, id);
		if (!stat(out, &st))
			return 0;
	}
	snprintf(out, len, "%s/%d/%s.wav", c->sounds_dir, c->rate, id);
	return stat(out, &st) ? -ENOENT : 0;
}

int chan_sound_path(const struct chan *c, const char *id, char *out,
		    size_t len)
{
	return chan_prompt_path(c, id, 0, out, len);
}

struct mchan *chan_media(struct chan *c)
{
	return c->mc;
}

struct rooms *chan_rooms(struct chan *c)
{
	return c->rooms;
}
