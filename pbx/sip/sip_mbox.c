/* sip_mbox.c - other threads hand work to the SIP thread through here. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "sip/sip_priv.h"
#include "core/log.h"

struct job {
	void (*fn)(struct sip *s, void *arg);
	void *arg;
	struct job *next;
};

struct sip_mbox {
	int fd;			/* eventfd the SIP loop waits on */
	int reg;		/* su_root registration */
	su_wait_t wait[1];
	pthread_mutex_t lock;	/* guards head and tail */
	struct job *head, *tail;
};

static int drain_h(void *magic, su_wait_t *w, void *arg)
{
	struct sip *s = arg;
	struct job *j, *next;
	uint64_t v;

	if (read(s->mbox->fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		LOGW("sip", "mailbox read: %s", strerror(errno));
	pthread_mutex_lock(&s->mbox->lock);
	j = s->mbox->head;
	s->mbox->head = s->mbox->tail = NULL;
	pthread_mutex_unlock(&s->mbox->lock);
	for (; j; j = next) {
		next = j->next;
		j->fn(s, j->arg);
		free(j);
	}
	return 0;
}

int sip_mbox_open(struct sip *s)
{
	struct sip_mbox *m = calloc(1, sizeof(*m)); /* freed: sip_mbox_close */

	if (!m)
		return -ENOMEM;
	m->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (m->fd < 0) {
		free(m);
		return -errno;
	}
	pthread_mutex_init(&m->lock, NULL);
	su_wait_create(m->wait, m->fd, SU_WAIT_IN);
	m->reg = su_root_register(s->root, m->wait, drain_h, s, 0);
	s->mbox = m;
	return m->reg < 0 ? -EIO : 0;
}

static void sync_run(struct sip *s, void *arg);
static void sync_drop(void *arg);

void sip_mbox_close(struct sip *s)
{
	struct sip_mbox *m = s->mbox;

	if (!m)
		return;
	if (m->reg >= 0)
		su_root_deregister(s->root, m->reg);
	close(m->fd);
	/* Jobs still queued would touch a stack that is gone: drop them.
	 * A sip_sync() job gives back its reference (its waiter has given
	 * up or will), so that nothing is left behind. */
	while (m->head) {
		struct job *j = m->head;
		m->head = j->next;
		if (j->fn == sync_run)
			sync_drop(j->arg);
		free(j);
	}
	pthread_mutex_destroy(&m->lock);
	free(m);
	s->mbox = NULL;
}

int sip_post(struct sip *s, void (*fn)(struct sip *s, void *arg), void *arg)
{
	struct job *j = malloc(sizeof(*j)); /* freed by drain_h */
	uint64_t one = 1;

	if (!j)
		return -ENOMEM;
	j->fn = fn;
	j->arg = arg;
	j->next = NULL;
	pthread_mutex_lock(&s->mbox->lock);
	if (s->mbox->tail)
		s->mbox->tail->next = j;
	else
		s->mbox->head = j;
	s->mbox->tail = j;
	pthread_mutex_unlock(&s->mbox->lock);
	if (write(s->mbox->fd, &one, sizeof(one)) < 0)
		LOGE("sip", "mailbox write: %s", strerror(errno));
	return 0;
}

/* A sip_sync() call: shared by the waiting thread and the job, freed by
 * whichever lets go last. */
struct sync_call {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int (*fn)(struct sip *s, void *arg);
	void *arg;
	int refs, running, done, abandoned, result;
};

static void sync_unref(struct sync_call *c)
{
	int last;

	pthread_mutex_lock(&c->lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&c->lock);
	if (!last)
		return;
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static void sync_drop(void *arg)
{
	struct sync_call *c = arg;

	pthread_mutex_lock(&c->lock);
	c->abandoned = 1;
	pthread_mutex_unlock(&c->lock);
	sync_unref(c);
}

static void sync_run(struct sip *s, void *arg)
{
	struct sync_call *c = arg;
	int go;

	pthread_mutex_lock(&c->lock);
	go = !c->abandoned;
	c->running = go;
	pthread_mutex_unlock(&c->lock);
	if (go) {
		int r = c->fn(s, c->arg);
		pthread_mutex_lock(&c->lock);
		c->result = r;
		c->done = 1;
		pthread_cond_signal(&c->cond);
		pthread_mutex_unlock(&c->lock);
	}
	sync_unref(c);
}

int sip_sync(struct sip *s, int (*fn)(struct sip *s, void *arg), void *arg)
{
	struct sync_call *c = calloc(1, sizeof(*c)); /* sync_unref */
	struct timespec dl;
	int r;

	if (!s || !c) {
		free(c);
		return -ENOMEM;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->fn = fn;
	c->arg = arg;
	c->refs = 2;
	if (sip_post(s, sync_run, c)) {
		c->refs = 1;
		sync_unref(c);
		return -ENOMEM;
	}
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 2;
	pthread_mutex_lock(&c->lock);
	/* Once fn runs it uses `arg`, which lives on the caller's stack:
	 * then wait for it to end, however long it takes. */
	while (!c->done) {
		if (c->running) {
			pthread_cond_wait(&c->cond, &c->lock);
			continue;
		}
		if (pthread_cond_timedwait(&c->cond, &c->lock, &dl) ==
			ETIMEDOUT &&
		    !c->running && !c->done) {
			c->abandoned = 1;
			break;
		}
	}
	r = c->done ? c->result : -ETIMEDOUT;
	pthread_mutex_unlock(&c->lock);
	sync_unref(c);
	return r;
}
