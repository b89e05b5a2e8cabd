/* media.c - the media engine: workers, and the session API the SIP side uses. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "media/media_priv.h"
#include "media/mrec.h"
#include "core/log.h"

int media_alloc(struct media **mp, const char *bind_ip, int port_min,
		int port_max, int nworkers)
{
	struct media *m;
	int err;

	if (!mp || !bind_ip)
		return -EINVAL;
	if (nworkers <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		nworkers = n > 0 ? (int)n : 1;
	}
	m = calloc(1, sizeof(*m)); /* owned by the caller via *mp */
	if (!m)
		return -ENOMEM;
	snprintf(m->bind_ip, sizeof(m->bind_ip), "%s", bind_ip);
	pthread_mutex_init(&m->moh_lock, NULL);
	pthread_mutex_init(&m->klock, NULL);
	err = rtp_ports_init(m, port_min, port_max);
	if (err) {
		pthread_mutex_destroy(&m->moh_lock);
		pthread_mutex_destroy(&m->klock);
		free(m);
		return err;
	}
	m->w = calloc((size_t)nworkers, sizeof(*m->w));
	if (!m->w) {
		media_free(m);
		return -ENOMEM;
	}
	for (int i = 0; i < nworkers; i++) {
		err = mworker_start(&m->w[i], m);
		if (err) {
			media_free(m);
			return err;
		}
		m->nworkers++;
	}
	LOGI("media", "%d media worker(s), RTP ports %d-%d on %s", nworkers,
	     port_min, port_max, bind_ip);
	*mp = m;
	return 0;
}

void media_free(struct media *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nworkers; i++)
		mworker_stop(&m->w[i]);
	/* The workers stopped every recording of the calls they ended;
	 * their files must be complete before the process goes. */
	if (mrec_wait_all(5000))
		LOGE("media", "recordings still being written at exit");
	free(m->w);
	rtp_ports_close(m);
	media_moh_free(m);
	pthread_mutex_destroy(&m->moh_lock);
	pthread_mutex_destroy(&m->klock);
	free(m);
}

static void post(struct msess *s, enum mcmd_type type, struct mcmd *c)
{
	c->type = type;
	c->sess = s;
	mworker_post(s->w, c);
}

int msess_alloc(struct msess **sp, struct media *m, const char *tag)
{
	struct msess *s;
	struct mcmd *c;
	int err;

	s = calloc(1, sizeof(*s)); /* owned by its worker once posted */
	c = calloc(1, sizeof(*c));
	if (!s || !c) {
		free(s);
		free(c);
		return -ENOMEM;
	}
	s->m = m;
	snprintf(s->tag, sizeof(s->tag), "%s", tag ? tag : "");
	for (int side = 0; side < 2; side++) {
		for (int k = 0; k < 2; k++) {
			s->end[side].sock[k].fd = -1;
			s->end[side].sock[k].side = side;
			s->end[side].sock[k].kind = k;
			s->end[side].sock[k].sess = s;
			s->end[side].sock[k].type = MOWNER_SESS;
		}
	}
	err = rtp_port_open(m, &s->end[0]);
	if (!err)
		err = rtp_port_open(m, &s->end[1]);
	if (err) {
		rtp_port_close(m, &s->end[0]);
		free(s);
		free(c);
		return err;
	}
	/* Both sides on one worker: relaying is one recv and one send with
	 * no hop between threads. */
	s->w = &m->w[m->next_worker];
	m->next_worker = (m->next_worker + 1) % m->nworkers;
	post(s, MCMD_ADD, c);
	*sp = s;
	return 0;
}

int msess_port(const struct msess *s, int side)
{
	return s->end[side].port;
}

int msess_set_remote(struct msess *s, int side,
		     const struct sockaddr_storage *sdp,
		     const struct sockaddr_storage *sig)
{
	struct mcmd *c;

	if (!s || (side != MSIDE_A && side != MSIDE_B) || !sdp)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->side = side;
	c->sdp = *sdp;
	if (sig) {
		c->sig = *sig;
		c->have_sig = 1;
	}
	post(s, MCMD_REMOTE, c);
	return 0;
}

void msess_release(struct msess *s)
{
	struct mcmd *c;

	if (!s)
		return;
	c = calloc(1, sizeof(*c));
	if (!c) {
		/* Without a command the worker cannot free it; leaking the
		 * session is better than a use-after-free. */
		LOGE("media", "out of memory releasing session %s", s->tag);
		return;
	}
	post(s, MCMD_DEL, c);
}

void msess_stats(const struct msess *s, struct msess_stats *st)
{
	for (int i = 0; i < 2; i++) {
		st->rx_pkts[i] = s->rx_pkts[i];
		st->dropped[i] = s->dropped[i];
		st->lost[i] = rtp_rxstats_lost(&s->end[i].rxs);
		st->jitter_ms[i] = rtp_rxstats_jitter_ms(&s->end[i].rxs, 8000);
	}
}

/* A percentile from the summed histogram: the upper edge of its bucket. */
static long percentile(const uint64_t *h, uint64_t total, double q)
{
	uint64_t want = (uint64_t)((double)total * q), seen = 0;

	for (int i = 0; i < TICK_BUCKETS; i++) {
		seen += h[i];
		if (seen > want)
			return (long)(i + 1) * TICK_BUCKET_US;
	}
	return (long)TICK_BUCKETS * TICK_BUCKET_US;
}

void media_tick_stats(struct media *m, struct media_tick_stats *st)
{
	static uint64_t h[TICK_BUCKETS]; /* callers are one control thread */

	memset(st, 0, sizeof(*st));
	memset(h, 0, sizeof(h));
	for (int w = 0; w < m->nworkers; w++) {
		for (int i = 0; i < TICK_BUCKETS; i++) {
			h[i] += m->w[w].tick_hist[i];
			st->ticks += m->w[w].tick_hist[i];
		}
		if (m->w[w].tick_max_us > st->max_us)
			st->max_us = m->w[w].tick_max_us;
	}
	if (!st->ticks)
		return;
	st->p50_us = percentile(h, st->ticks, 0.5);
	st->p99_us = percentile(h, st->ticks, 0.99);
	st->p999_us = percentile(h, st->ticks, 0.999);
}

void media_tick_stats_reset(struct media *m)
{
	for (int w = 0; w < m->nworkers; w++) {
		for (int i = 0; i < TICK_BUCKETS; i++)
			m->w[w].tick_hist[i] = 0;
		m->w[w].tick_max_us = 0;
	}
}
