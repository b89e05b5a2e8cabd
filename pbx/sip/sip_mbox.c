/* sip_mbox.c - other threads hand work to the SIP thread through here. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
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

void sip_mbox_close(struct sip *s)
{
	struct sip_mbox *m = s->mbox;

	if (!m)
		return;
	if (m->reg >= 0)
		su_root_deregister(s->root, m->reg);
	close(m->fd);
	/* Jobs still queued would touch a stack that is gone: drop them. */
	while (m->head) {
		struct job *j = m->head;
		m->head = j->next;
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
