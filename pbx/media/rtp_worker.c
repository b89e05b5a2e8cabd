/* rtp_worker.c - a media worker: an epoll loop relaying RTP/RTCP it owns. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "media/media_priv.h"
#include "core/log.h"

#define MAX_EVENTS 64
#define PKT_MAX 2048
#define BURST 16 /* packets read per socket per wake, bounds unfairness */
#define RTP_LEARN_PKTS 4 /* in a row from an unexpected source: 80 ms */

static int same_ip(const struct sockaddr_storage *a,
		   const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr,
			       16);
	return 0;
}

static int port_of(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)a)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)a)->sin6_port);
}

static void set_port(struct sockaddr_storage *a, int port)
{
	if (a->ss_family == AF_INET)
		((struct sockaddr_in *)a)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)a)->sin6_port = htons((uint16_t)port);
}

static socklen_t addr_len(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET ? sizeof(struct sockaddr_in)
				       : sizeof(struct sockaddr_in6);
}

static int same_addr(const struct sockaddr_storage *a,
		     const struct sockaddr_storage *b)
{
	return same_ip(a, b) && port_of(a) == port_of(b);
}

static int expected_ip(const struct mend *e,
		       const struct sockaddr_storage *src)
{
	for (int i = 0; i < e->n_ok; i++)
		if (same_ip(&e->ok_ip[i], src))
			return 1;
	return 0;
}

/*
 * Which packets a side accepts (strict symmetric RTP):
 * - from the IP its SDP names or its signalling came from: always, and the
 *   source becomes the send address (NAT, port changes);
 * - from the source already latched: always;
 * - from any other source, only while nothing is latched yet and only once
 *   RTP_LEARN_PKTS packets in a row came from it: a phone whose media
 *   leaves from another of its addresses (a multi-homed host, a softphone
 *   on the PBX's own machine). Once a source is latched, a stranger can no
 *   longer take the stream over.
 */
static int admit(struct mend *e, int kind, const struct sockaddr_storage *src)
{
	if (expected_ip(e, src)) {
		e->latched[kind] = 1;
		e->dst[kind] = *src;
		return 1;
	}
	if (e->latched[kind])
		return same_addr(&e->dst[kind], src);
	if (e->learn_n[kind] && same_addr(&e->learn[kind], src)) {
		if (++e->learn_n[kind] < RTP_LEARN_PKTS)
			return 0;
		e->latched[kind] = 1;
		e->dst[kind] = *src;
		return 1;
	}
	e->learn[kind] = *src;
	e->learn_n[kind] = 1;
	return 0;
}

/* A packet from `side`'s phone: admitted and latched, it is forwarded out
 * of the other side to where that side's phone really is. */
static void relay(struct msess *s, int side, int kind, const void *buf,
		  size_t len, const struct sockaddr_storage *src)
{
	struct mend *in = &s->end[side], *out = &s->end[!side];

	if (!in->have_dst || !admit(in, kind, src)) {
		s->dropped[side]++;
		return;
	}
	s->rx_pkts[side]++;
	if (!out->have_dst)
		return;
	/* A full socket buffer loses this packet, as the network would;
	 * RTP is real time and is never queued. */
	(void)sendto(out->sock[kind].fd, buf, len, MSG_DONTWAIT,
		     (const struct sockaddr *)&out->dst[kind],
		     addr_len(&out->dst[kind]));
}

static void on_readable(struct msock *ms)
{
	unsigned char buf[PKT_MAX];
	struct sockaddr_storage src;

	for (int i = 0; i < BURST; i++) {
		socklen_t sl = sizeof(src);
		ssize_t n = recvfrom(ms->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&src, &sl);
		if (n < 0)
			return; /* EAGAIN, or an ICMP error: nothing to do */
		relay(ms->sess, ms->side, ms->kind, buf, (size_t)n, &src);
	}
}

static void sess_add(struct mworker *w, struct msess *s)
{
	for (int side = 0; side < 2; side++) {
		for (int k = 0; k < 2; k++) {
			struct msock *ms = &s->end[side].sock[k];
			struct epoll_event ev = {.events = EPOLLIN,
						 .data.ptr = ms};
			if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, ms->fd, &ev) < 0)
				LOGE("rtp", "epoll add: %s", strerror(errno));
		}
	}
	w->nsess++;
}

static void sess_remote(struct msess *s, struct mcmd *c)
{
	struct mend *e = &s->end[c->side];

	e->dst[MKIND_RTP] = c->sdp;
	e->dst[MKIND_RTCP] = c->sdp;
	set_port(&e->dst[MKIND_RTCP], port_of(&c->sdp) + 1);
	e->have_dst = 1;
	e->latched[0] = e->latched[1] = 0;
	e->learn_n[0] = e->learn_n[1] = 0;
	e->ok_ip[0] = c->sdp;
	e->n_ok = 1;
	if (c->have_sig && !same_ip(&c->sig, &c->sdp))
		e->ok_ip[e->n_ok++] = c->sig;
}

/* Closes the sockets at once (freeing the ports) but frees the memory
 * only after the current batch of events: one of them may still point at
 * this session. */
static void sess_del(struct mworker *w, struct msess *s)
{
	/* close() removes the fds from the epoll set */
	rtp_port_close(w->m, &s->end[0]);
	rtp_port_close(w->m, &s->end[1]);
	s->dead = 1;
	s->grave_next = w->grave;
	w->grave = s;
	w->nsess--;
}

static void bury(struct mworker *w)
{
	while (w->grave) {
		struct msess *s = w->grave;
		w->grave = s->grave_next;
		free(s);
	}
}

/* Runs before the socket events of a batch, so a packet never meets a
 * session whose addresses are still on their way. Returns 1 on QUIT. */
static int drain_mailbox(struct mworker *w)
{
	struct mcmd *c, *next;
	uint64_t v;
	int quit = 0;

	if (read(w->evfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		LOGW("rtp", "eventfd read: %s", strerror(errno));
	pthread_mutex_lock(&w->lock);
	c = w->head;
	w->head = w->tail = NULL;
	pthread_mutex_unlock(&w->lock);
	for (; c; c = next) {
		next = c->next;
		switch (c->type) {
		case MCMD_ADD:
			sess_add(w, c->sess);
			break;
		case MCMD_REMOTE:
			sess_remote(c->sess, c);
			break;
		case MCMD_DEL:
			sess_del(w, c->sess);
			break;
		case MCMD_QUIT:
			quit = 1;
			break;
		}
		free(c);
	}
	return quit;
}

static void *worker_main(void *arg)
{
	struct mworker *w = arg;
	struct epoll_event ev[MAX_EVENTS];

	for (;;) {
		int n = epoll_wait(w->epfd, ev, MAX_EVENTS, -1), quit = 0;

		if (n < 0 && errno != EINTR) {
			LOGE("rtp", "epoll_wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < n; i++)
			if (ev[i].data.ptr == NULL)
				quit = drain_mailbox(w);
		for (int i = 0; i < n; i++) {
			struct msock *ms = ev[i].data.ptr;
			if (ms && !ms->sess->dead)
				on_readable(ms);
		}
		bury(w);
		if (quit)
			break;
	}
	return NULL;
}

int mworker_start(struct mworker *w, struct media *m)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	int err;

	w->m = m;
	pthread_mutex_init(&w->lock, NULL);
	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	w->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->epfd < 0 || w->evfd < 0)
		return -errno;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->evfd, &ev) < 0)
		return -errno;
	err = pthread_create(&w->thr, NULL, worker_main, w);
	return -err;
}

/* Takes ownership of c. */
void mworker_post(struct mworker *w, struct mcmd *c)
{
	uint64_t one = 1;

	c->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (w->tail)
		w->tail->next = c;
	else
		w->head = c;
	w->tail = c;
	pthread_mutex_unlock(&w->lock);
	if (write(w->evfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		LOGE("rtp", "eventfd write: %s", strerror(errno));
}

/* Joins the thread, then frees what the mailbox still holds. Sessions
 * still owned are freed by media_free through its own list walk. */
void mworker_stop(struct mworker *w)
{
	struct mcmd *q = calloc(1, sizeof(*q));

	if (q) {
		q->type = MCMD_QUIT;
		mworker_post(w, q);
	}
	pthread_join(w->thr, NULL);
	drain_mailbox(w);
	bury(w);
	close(w->epfd);
	close(w->evfd);
	pthread_mutex_destroy(&w->lock);
}
