/* call_rec_fail.c - a call recording that fails (the spool is full, the
 * file cannot be made) is said to both parties: "sorry, this call cannot
 * be recorded", over the call, which goes on (docs/trunks.md, "Call
 * recording"). The news comes from the recording's writer thread
 * (mrec.h) and is handed to the SIP thread by its mailbox. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/call.h"
#include "media/media.h"
#include "media/mchan.h"
#include "media/codec.h"
#include "media/mrec.h"
#include "core/log.h"

/* The SIP side the writers may tell, NULL once it is being freed: a
 * writer still draining at the daemon's exit must not post to a freed
 * mailbox. One SIP stack a process. */
static pthread_mutex_t hub_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sip *hub;

struct rec_fail {
	uint64_t key;
	int err;
};

void call_rec_notify_open(struct sip *s)
{
	pthread_mutex_lock(&hub_lock);
	hub = s;
	pthread_mutex_unlock(&hub_lock);
}

void call_rec_notify_close(void)
{
	pthread_mutex_lock(&hub_lock);
	hub = NULL;
	pthread_mutex_unlock(&hub_lock);
}

static void say_to(struct call *c, struct mchan *mc)
{
	const int16_t *pcm;
	int n;

	if (!mc || call_prompt_pcm(c, "rec_failed",
				   codec_info(mchan_codec(mc))->rate, &pcm, &n))
		return;
	mchan_play_once(mc, pcm, n);
}

/* SIP thread: the call of key_id (if it is still up) hears why. */
static void rec_fail_job(struct sip *s, void *arg)
{
	struct rec_fail *f = arg; /* ours to free */

	for (struct call *c = s->calls; c; c = c->next) {
		if (c->key_id != f->key)
			continue;
		LOGC(LOGL_WARN, "rec", c->domain, c->call_id,
		     "%s -> %s: the recording failed (%s); both are told",
		     c->caller, c->callee, strerror(-f->err));
		if (c->state == CALL_ANSWERED) {
			say_to(c, c->mc);
			say_to(c, c->bmc);
		}
		break;
	}
	free(f);
}

/* Writer thread. */
static void rec_fail_cb(void *ctx, uint64_t key, int err)
{
	struct rec_fail *f;

	(void)ctx;
	pthread_mutex_lock(&hub_lock);
	if (hub && (f = malloc(sizeof(*f)))) { /* freed by the job */
		f->key = key;
		f->err = err;
		if (sip_post(hub, rec_fail_job, f))
			free(f);
	}
	pthread_mutex_unlock(&hub_lock);
}

void call_rec_notify(const struct call *c, struct mrec_notify *nf)
{
	nf->fn = rec_fail_cb;
	nf->ctx = NULL;
	nf->key = c->key_id;
}
