/* mrec.c - the writer thread of a call recording. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "media/mrec.h"
#include "media/recorder.h"
#include "core/fsutil.h"
#include "core/log.h"

#define CHUNK 1600 /* samples written per loop, at most */

/* Writers still running, so that the daemon's exit waits for their files
 * to be complete (mrec_wait_all). */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t live_cond = PTHREAD_COND_INITIALIZER;
static int live;

struct mrec {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int16_t *ring; /* owned; cap samples */
	int cap, head, len;
	int stop;
	uint64_t dropped;
	int rate;
	char *path; /* owned */
	struct mrec_notify nf; /* fn NULL: nobody */
};

static void tell(struct mrec *r, int err)
{
	if (r->nf.fn)
		r->nf.fn(r->nf.ctx, r->nf.key, err);
}

static void drain_to(struct mrec *r, struct recorder *rec, int *werr)
{
	int16_t buf[CHUNK];

	for (;;) {
		int n, first;

		pthread_mutex_lock(&r->lock);
		while (!r->len && !r->stop)
			pthread_cond_wait(&r->cond, &r->lock);
		n = r->len < CHUNK ? r->len : CHUNK;
		first = r->cap - r->head < n ? r->cap - r->head : n;
		memcpy(buf, r->ring + r->head, sizeof(int16_t) * (size_t)first);
		memcpy(buf + first, r->ring, sizeof(int16_t) * (size_t)(n - first));
		r->head = (r->head + n) % r->cap;
		r->len -= n;
		pthread_mutex_unlock(&r->lock);
		if (!n)
			return; /* stopped and drained */
		/* After a write error (a full disk) the rest is dropped: what
		 * was written stays (recorder.h). */
		if (rec && !*werr && (*werr = recorder_write(rec, buf, n)))
			tell(r, *werr); /* while the call goes on */
	}
}

static void free_rec(struct mrec *r)
{
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r->ring);
	free(r->path);
	free(r);
}

static void *writer(void *arg)
{
	struct mrec *r = arg;
	struct recorder *rec = NULL;
	char why[160] = "";
	int64_t samples = 0;
	int err = fs_mkdirs(r->path, 0750, 1), werr = 0;

	if (!err)
		err = recorder_open(&rec, r->path, r->rate, why, sizeof(why));
	if (err) {
		LOGE("rec", "cannot record %s: %s", r->path,
		     why[0] ? why : strerror(-err));
		tell(r, err);
	}
	drain_to(r, rec, &werr);
	if (rec && recorder_finish(rec, &samples) == 0)
		LOGI("rec", "recorded %s: %.1f s%s%s", r->path,
		     (double)samples / r->rate, werr ? ", cut short: " : "",
		     werr ? strerror(-werr) : "");
	if (r->dropped)
		LOGW("rec", "%s: %llu samples dropped (the disk was too slow)",
		     r->path, (unsigned long long)r->dropped);
	free_rec(r);
	pthread_mutex_lock(&live_lock);
	live--;
	pthread_cond_broadcast(&live_cond);
	pthread_mutex_unlock(&live_lock);
	return NULL;
}

int mrec_wait_all(int timeout_ms)
{
	struct timespec until;
	int left;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&live_lock);
	while (live &&
	       pthread_cond_timedwait(&live_cond, &live_lock, &until) == 0)
		;
	left = live;
	pthread_mutex_unlock(&live_lock);
	return left;
}

int mrec_start(struct mrec **rp, const char *final_path, int rate,
	       const struct mrec_notify *nf)
{
	struct mrec *r = calloc(1, sizeof(*r)); /* freed by its writer */
	pthread_t thr;
	int err;

	if (!r)
		return -ENOMEM;
	r->rate = rate;
	if (nf)
		r->nf = *nf;
	r->cap = rate * MREC_QUEUE_MS / 1000;
	r->ring = calloc((size_t)r->cap, sizeof(int16_t));
	r->path = strdup(final_path);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (!r->ring || !r->path) {
		free_rec(r);
		return -ENOMEM;
	}
	pthread_mutex_lock(&live_lock);
	live++;
	pthread_mutex_unlock(&live_lock);
	err = pthread_create(&thr, NULL, writer, r);
	if (err) {
		pthread_mutex_lock(&live_lock);
		live--;
		pthread_mutex_unlock(&live_lock);
		free_rec(r);
		return -err;
	}
	pthread_detach(thr);
	*rp = r;
	return 0;
}

void mrec_push(struct mrec *r, const int16_t *pcm, int n)
{
	pthread_mutex_lock(&r->lock);
	for (int i = 0; i < n; i++) {
		if (r->len == r->cap) {
			r->dropped += (uint64_t)(n - i);
			break;
		}
		r->ring[(r->head + r->len++) % r->cap] = pcm[i];
	}
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

void mrec_stop(struct mrec *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
}
