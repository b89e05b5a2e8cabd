/* mchan_rx.c - packets from a media channel's phone: RTP, events, RTCP. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "media/mchan_priv.h"
#include "media/rtcp.h"

/* The arrival time in RTP clock units, for the interarrival jitter. */
static uint32_t arrival(const struct mchan *c)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)((uint64_t)ts.tv_sec * (uint64_t)c->ci->clock +
			  (uint64_t)ts.tv_nsec * (uint64_t)c->ci->clock /
			      1000000000ULL);
}

static void on_rtcp(struct mchan *c, const uint8_t *buf, size_t len)
{
	struct rtcp_report rep;

	if (rtcp_parse(buf, len, &rep))
		return;
	if (rep.has_sr) {
		c->lsr = (uint32_t)(rep.ntp >> 16);
		c->lsr_at = rtcp_ntp_now();
	}
	for (int i = 0; i < rep.nblocks; i++) {
		const struct rtcp_block *b = &rep.blocks[i];
		int rtt;

		if (b->ssrc != c->tx.ssrc)
			continue;
		rtt = rtcp_rtt_ms(b, rtcp_ntp_now());
		if (rtt >= 0)
			c->rtt_ms = rtt;
		c->remote_loss = b->fraction_lost / 256.0;
	}
}

static void on_event(struct mchan *c, const struct rtp_hdr *h, const uint8_t *p,
		     size_t len)
{
	struct dtmf_event ev;
	char digit;

	c->te_seen = 1;
	if (dtmf_4733_parse(p, len, &ev))
		return;
	if (dtmf_4733_rx_feed(&c->d4733, h->ts, &ev, &digit) != 1)
		return;
	if (c->echo)
		mchan_dtmf_queue(c, (char[]){digit, '\0'});
	/* A bridged call passes key presses on (voicemail or an IVR behind
	 * the callee). In-band digits need no such help: they are in the
	 * audio the peer already gets. */
	if (c->peer)
		mchan_dtmf_queue(c->peer, (char[]){digit, '\0'});
	if (c->ops && c->ops->digit)
		c->ops->digit(c->arg, digit);
}

void mchan_rx(struct mchan *c, int kind, const uint8_t *buf, size_t len,
	      const struct sockaddr_storage *src)
{
	const uint8_t *payload;
	struct rtp_hdr h;
	size_t plen;

	if (!c->end.have_dst || !mend_admit(&c->end, kind, src))
		return;
	if (kind == MKIND_RTCP) {
		on_rtcp(c, buf, len);
		return;
	}
	if (rtp_parse(buf, len, &h, &payload, &plen))
		return;
	c->rx_pkts++;
	if (c->te_pt >= 0 && h.pt == c->te_pt) {
		on_event(c, &h, payload, plen);
		return;
	}
	if (h.pt != c->pt)
		return; /* comfort noise and the like: not decoded */
	if (!c->have_rx || h.ssrc != c->rx_ssrc) {
		/* A new stream (the phone restarted it): start over rather
		 * than wait for its numbers to meet the old ones. */
		jbuf_reset(c->jb);
		memset(&c->rxs, 0, sizeof(c->rxs));
		c->rx_ssrc = h.ssrc;
		c->have_rx = 1;
	}
	rtp_rxstats_update(&c->rxs, &h, arrival(c));
	jbuf_put(c->jb, h.seq, h.ts, payload, plen);
}
