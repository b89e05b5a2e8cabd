/* rtp_worker.c - a media worker: an epoll loop relaying RTP/RTCP it owns. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>

#include "media/mchan_priv.h"
#include "media/mixer_priv.h"
#include "media/mrec.h"
#include "core/log.h"

#define MAX_EVENTS 64
#define PKT_MAX 2048
#define BURST 16 /* packets read per socket per wake, bounds unfairness */

/* Loss and jitter of a relayed stream, for the CDR: only the header is
 * read, the payload is never touched. RTP clock 8000 holds for PCMU, PCMA
 * and G.722; other codecs' jitter figure is scaled wrong, not their
 * audio. */
static void count(struct msess *s, int side, const void *buf, size_t len)
{
	struct mend *e = &s->end[side];
	struct timespec ts;
	const uint8_t *pl;
	struct rtp_hdr h;
	size_t plen;

	if (rtp_parse(buf, len, &h, &pl, &plen) || (h.pt >= 72 && h.pt <= 76))
		return;
	if (s->watch_id && h.pt == s->te[side])
		msess_key_h(s, side, &h, pl, plen);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	rtp_rxstats_update(&e->rxs, &h,
			   (uint32_t)(ts.tv_sec * 8000 + ts.tv_nsec / 125000));
}

/* A packet from `side`'s phone: admitted and latched, it is forwarded out
 * of the other side to where that side's phone really is. */
static void relay(struct msess *s, int side, int kind, const void *buf,
		  size_t len, const struct sockaddr_storage *src)
{
	struct mend *in = &s->end[side], *out = &s->end[!side];

	if (!in->have_dst || !mend_admit(in, kind, src)) {
		s->dropped[side]++;
		return;
}
	s->rx_pkts[side]++;
	if (kind == MKIND_RTP)
		count(s, side, buf, len);
	if (!out->have_dst)
		return;
	/* A full socket buffer loses this packet, as the network would;
	 * RTP is real time and is never queued. */
	(void)sendto(out->sock[kind].fd, buf, len, MSG_DONTWAIT,
		     (const struct sockaddr *)&out->dst[kind],
		     mend_addr_len(&out->dst[kind]));
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
		if (ms->type == MOWNER_SESS)
			relay(ms->sess, ms->side, ms->kind, buf, (size_t)n,
			      &src);
	else
			mchan_rx(ms->chan, ms->kind, buf, (size_t)n, &src);
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

/* Closes the sockets at once (freeing the ports) but frees the memory
 * only after the current batch of events: one of them may still point at
 * this session. */
void msess_del_h(struct mworker *w, struct msess *s)
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
			mend_set_remote(&c->sess->end[c->side], &c->sdp,
					c->have_sig ? &c->sig : NULL);
			break;
		case MCMD_DEL:
			msess_del_h(w, c->sess);
			break;
		case MCMD_WATCH:
			msess_watch_h(c->sess, c);
			break;
		case MCMD_QUIT:
			quit = 1;
			break;
		case MCMD_MIX_ADD:
		case MCMD_MIX_DEL:
		case MCMD_MIX_JOIN:
		case MCMD_MIX_SOUND:
		case MCMD_MIX_REC:
		case MCMD_MIX_MOH:
			mixer_cmd_h(w, c);
			break;
		default:
			mchan_cmd_h(w, c);
			break;
}
		free(c->path); /* a recording path no handler took */
		if (c->rec)
			mrec_stop(c->rec);
		free(c->pcm);
		if (c->port)
			mport_unref(c->port);
		free(c);
}
	return quit;
}

static int owner_dead(const struct msock *ms)
{
	return ms->type == MOWNER_SESS ? ms->sess->dead : ms->chan->dead;
}

/* The clock of the media channels: a tick every 20 / TICK_PHASES ms, each
 * running one phase of them. A late wake-up (a loaded
 * machine) runs the missed ticks at once, at most a few, so that the
 * phones' jitter buffers see steady audio rather than a gap. */
static void on_tick(struct mworker *w)
{
	uint64_t n = 0;

	if (read(w->tfd, &n, sizeof(n)) != sizeof(n))
		return;
	if (n > 5 * TICK_PHASES)
		n = 5 * TICK_PHASES;
	while (n--) {
		struct timespec a, b;
		long us;
		clock_gettime(CLOCK_MONOTONIC, &a);
		mchan_tick_all(w);
		clock_gettime(CLOCK_MONOTONIC, &b);
		us = (b.tv_sec - a.tv_sec) * 1000000L +
		     (b.tv_nsec - a.tv_nsec) / 1000;
		/* For media_tick_stats(): racy reads of these are fine. */
		w->tick_hist[us / TICK_BUCKET_US < TICK_BUCKETS
				 ? us / TICK_BUCKET_US
				 : TICK_BUCKETS - 1]++;
		if (us > w->tick_max_us)
			w->tick_max_us = us;
	}
}

static void *worker_main(void *arg)
{
	struct mworker *w = arg;
	struct epoll_event ev[MAX_EVENTS];

	for (;;) {
		int n = epoll_wait(w->epfd, ev, MAX_EVENTS, -1), quit = 0;
		int tick = 0;

		if (n < 0 && errno != EINTR) {
			LOGE("rtp", "epoll_wait: %s", strerror(errno));
			break;
}
		for (int i = 0; i < n; i++)
			if (ev[i].data.ptr == NULL)
				quit = drain_mailbox(w);
		for (int i = 0; i < n; i++) {
			struct msock *ms = ev[i].data.ptr;
			if (ev[i].data.ptr == &w->tfd)
				tick = 1;
			else if (ms && !owner_dead(ms))
				on_readable(ms);
}
		if (tick)
			on_tick(w);
		bury(w);
		mchan_bury(w);
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
	struct epoll_event tev = {.events = EPOLLIN, .data.ptr = &w->tfd};

	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	w->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	w->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (w->epfd < 0 || w->evfd < 0 || w->tfd < 0)
		return -errno;
	if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->evfd, &ev) < 0 ||
	    epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->tfd, &tev) < 0)
		return -errno;
	err = pthread_create(&w->thr, NULL, worker_main, w);
	return -err;
}

/* The tick runs only while the worker owns media channels: a worker that
 * only relays never wakes up for nothing. */
void mworker_tick(struct mworker *w, int on)
{
	struct itimerspec its = {{0, 0}, {0, 0}};

	if (on)
		its.it_interval.tv_nsec = its.it_value.tv_nsec =
			20000000 / TICK_PHASES;
	if (timerfd_settime(w->tfd, 0, &its, NULL) < 0)
		LOGE("rtp", "timerfd: %s", strerror(errno));
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
	mixer_free_all(w);
	bury(w);
	mchan_bury(w);
	close(w->epfd);
	close(w->tfd);
	close(w->evfd);
	pthread_mutex_destroy(&w->lock);
}
