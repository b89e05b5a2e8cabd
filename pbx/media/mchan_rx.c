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
	if (c->watch_id)
		media_key_push(c->m, c->watch_id, c->watch_side, digit);
	if (c->echo)
		mchan_dtmf_queue(c, (char[]){digit, '\0'});
	/* A bridged call passes key presses on (voicemail or an IVR behind
	 * the callee), but not those of an on-demand recording's code:
	 * mchan_rec_key decides. In-band digits need no such help: they are
	 * in the audio the peer already gets. */
	mchan_rec_key(c, digit, 1);
	if (c->ops && c->ops->digit)
		c->ops->digit(c->arg, digit);
}

/* Joined to a channel of the same codec (see mchan_set_peer): the packet
 * goes on to the peer's phone as it is, under the peer's SSRC, with the
 * peer's numbering carried on so its phone sees one steady stream. A
 * sequence gap stays a gap, for that phone to conceal. Returns 1 if the
 * packet was forwarded. */
static int forward(struct mchan *c, const struct rtp_hdr *h,
		   const uint8_t *payload, size_t plen)
{
	struct mchan *p = c->peer;
	uint8_t pkt[MCHAN_PKT_MAX];
	struct rtp_hdr o;
	int n, step;

	if (!c->passthru || !p || c->echo || mchan_busy_out(p) ||
	    mchan_rec_on(c)) {
		c->fwd_on = 0; /* resume later from where the peer is */
		return 0;
	}
	if (!c->fwd_on || h->ssrc != c->fwd_ssrc) {
		c->fwd_seq_off = (uint16_t)(p->tx.seq - h->seq);
		c->fwd_ts_off = p->tx.ts - h->ts;
		c->fwd_ssrc = h->ssrc;
		c->fwd_on = 1;
	}
	o = (struct rtp_hdr){.pt = (uint8_t)p->pt,
			     .marker = h->marker,
			     .seq = (uint16_t)(h->seq + c->fwd_seq_off),
			     .ts = h->ts + c->fwd_ts_off,
			     .ssrc = p->tx.ssrc};
	n = rtp_pack(pkt, sizeof(pkt), &o, payload, plen);
	if (n < 0)
		return 0;
	mchan_send(p, MKIND_RTP, pkt, (size_t)n);
	/* Where the peer's own packets (a digit, a tone) continue. */
	step = p->ci->frame_samples * p->ci->clock / p->ci->rate;
	if ((int16_t)(uint16_t)(o.seq + 1 - p->tx.seq) > 0)
		p->tx.seq = (uint16_t)(o.seq + 1);
	if ((int32_t)(o.ts + (uint32_t)step - p->tx.ts) > 0)
		p->tx.ts = o.ts + (uint32_t)step;
	p->tx.packets++;
	p->tx.octets += (uint32_t)plen;
	p->tx_pkts++;
	return 1;
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
	if (!forward(c, &h, payload, plen))
		jbuf_put(c->jb, h.seq, h.ts, payload, plen);
}
