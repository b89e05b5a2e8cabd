/* mchan_tick.c - every 20 ms: decode what came in, produce and send what goes
 * out. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "media/mchan_priv.h"
#include "media/mixer_priv.h"
#include "media/rtcp.h"
#include "core/log.h"

#define EVENT_TICKS 5	/* an RFC 4733 digit lasts 100 ms */
#define EVENT_GAP   3	/* then 60 ms of audio before the next */
#define RTCP_TICKS  250 /* a report every 5 s */
#define PKT_MAX	    MCHAN_PKT_MAX

void mchan_send(struct mchan *c, int kind, const uint8_t *buf, size_t len)
{
	if (!c->end.have_dst || c->end.sock[kind].fd < 0)
		return;
	/* Real time: a full socket buffer loses the packet, never waits. */
	(void)sendto(c->end.sock[kind].fd, buf, len, MSG_DONTWAIT,
		     (const struct sockaddr *)&c->end.dst[kind],
		     mend_addr_len(&c->end.dst[kind]));
}

int mchan_busy_out(const struct mchan *c)
{
	return c->tone || c->moh || c->dout.cur || c->dout.nq;
}

void mchan_dtmf_queue(struct mchan *c, const char *digits)
{
	if (c->te_pt < 0) {
		/* No events agreed: the digits go in-band. */
		if (dtmf_gen_digits(c->gen, digits) < 0)
			LOGW("media", "[%s] in-band digits dropped", c->tag);
		return;
	}
	for (; *digits && c->dout.nq < (int)sizeof(c->dout.queue); digits++)
		c->dout.queue[c->dout.nq++] = *digits;
}

/* Sends this tick's packet of an RFC 4733 digit in place of audio;
 * returns 1 if it did. All packets of one event share its timestamp; the
 * last one is sent three times (RFC 4733 2.5.1.4). */
static int dtmf_tick(struct mchan *c)
{
	struct dtmf_out *d = &c->dout;
	struct dtmf_event ev = {.volume = 10};
	uint8_t pl[4], pkt[64];
	struct rtp_hdr h;
	int n, step = c->ci->frame_samples * c->ci->clock / c->ci->rate;

	if (!d->cur) {
		if (d->gap > 0) {
			d->gap--;
			return 0;
		}
		if (!d->nq)
			return 0;
		d->cur = d->queue[0];
		memmove(d->queue, d->queue + 1, (size_t)--d->nq);
		d->ticks = 0;
		d->ts = c->tx.ts;
	}
	d->ticks++;
	ev.digit = d->cur;
	ev.duration = d->ticks * step;
	ev.end = d->ticks >= EVENT_TICKS;
	if (dtmf_4733_pack(pl, sizeof(pl), &ev) < 0) {
		d->cur = 0;
		return 0;
	}
	h.pt = (uint8_t)c->te_pt;
	h.marker = d->ticks == 1;
	h.ts = d->ts;
	h.ssrc = c->tx.ssrc;
	for (int i = 0; i < (ev.end ? 3 : 1); i++) {
		h.seq = c->tx.seq++;
		n = rtp_pack(pkt, sizeof(pkt), &h, pl, sizeof(pl));
		if (n > 0)
			mchan_send(c, MKIND_RTP, pkt, (size_t)n);
	}
	c->tx.ts += (uint32_t)step;
	if (ev.end) {
		d->cur = 0;
		d->gap = EVENT_GAP;
	}
	return 1;
}

static void tick_rx(struct mchan *c)
{
	uint8_t pl[PKT_MAX];
	size_t len = 0;
	int n = c->ci->frame_samples, heard = 1;

	switch (jbuf_get(c->jb, pl, sizeof(pl), &len)) {
	case JBUF_FRAME:
		n = codec_decode(c->codec, pl, len, c->last_rx,
				 MCHAN_MAX_FRAME);
		break;
	case JBUF_LOST:
		n = codec_conceal(c->codec, c->last_rx, c->ci->frame_samples);
		break;
	default:
		heard = 0;
		memset(c->last_rx, 0, sizeof(c->last_rx));
		break;
	}
	c->last_n = n > 0 ? n : 0;
	if (heard && !c->te_seen && c->last_n) {
		if (c->to8k) {
			int16_t nb[MCHAN_MAX_FRAME];
			int k = resample_process(c->to8k, c->last_rx, c->last_n,
						 nb, MCHAN_MAX_FRAME);
			if (k > 0)
				dtmf_det_feed(c->det, nb, k);
		} else {
			dtmf_det_feed(c->det, c->last_rx, c->last_n);
		}
	}
	if (c->conf)
		mport_say(c->conf, c->last_rx, heard ? c->last_n : 0,
			  c->ci->rate);
	if (c->ops && c->ops->rx)
		c->ops->rx(c->arg, c->last_rx, c->last_n);
}

/* In a room: what the room says, with what the app plays on top. */
static int hear_room(struct mchan *c, int16_t *pcm, int n)
{
	int16_t app[MCHAN_MAX_FRAME];
	int k = mport_hear(c->conf, pcm, n, c->ci->rate), a = 0;

	if (c->ops && c->ops->tx)
		a = c->ops->tx(c->arg, app, n);
	for (int i = 0; i < a; i++) {
		int32_t v = (int32_t)pcm[i] + app[i];
		pcm[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
	return k > a ? k : a;
}

/* The frame to send this tick, from wherever this channel's audio comes. */
static int produce(struct mchan *c, int16_t *pcm, int n)
{
	int k = 0;

	memset(pcm, 0, sizeof(int16_t) * (size_t)n);
	if (c->tone) {
		if (c->ci->rate == 8000) {
			k = tone_fill(c->tone, pcm, n);
		} else {
			/* Narrowband tone on a wideband leg: each sample
			 * twice is plenty for 425 Hz cadences. */
			int16_t nb[MCHAN_MAX_FRAME / 2];
			int h = tone_fill(c->tone, nb, n / 2);
			for (int i = 0; i < h; i++)
				pcm[2 * i] = pcm[2 * i + 1] = nb[i];
			k = 2 * h;
		}
	} else if (c->moh) {
		const int16_t *moh = c->moh;

		for (k = 0; k < n && c->moh; k++) {
			pcm[k] = moh[c->moh_pos];
			c->moh_pos = (c->moh_pos + 1) % c->moh_n;
			if (c->moh_once && c->moh_pos == 0) {
				c->moh = NULL; /* a notice played once: over */
				c->moh_once = 0;
			}
		}
		k = n; /* after a notice, the rest of the frame is silence */
	} else if (c->echo) {
		k = c->last_n < n ? c->last_n : n;
		memcpy(pcm, c->last_rx, sizeof(int16_t) * (size_t)k);
	} else if (c->peer) {
		if (c->from_peer) {
			/* The resampler wants a little headroom beyond one
			 * frame; it yields one frame per frame over time. */
			int16_t tmp[MCHAN_MAX_FRAME + 16];
			k = resample_process(c->from_peer, c->peer->last_rx,
					     c->peer->last_n, tmp,
					     MCHAN_MAX_FRAME + 16);
			k = k < 0 ? 0 : k < n ? k : n;
			memcpy(pcm, tmp, sizeof(int16_t) * (size_t)k);
		} else {
			k = c->peer->last_n < n ? c->peer->last_n : n;
			memcpy(pcm, c->peer->last_rx,
			       sizeof(int16_t) * (size_t)k);
		}
	} else if (c->conf) {
		k = hear_room(c, pcm, n);
	} else if (c->ops && c->ops->tx) {
		k = c->ops->tx(c->arg, pcm, n);
	}
	if (c->te_pt < 0 && c->ci->rate == 8000) {
		int16_t tone[MCHAN_MAX_FRAME];
		int t = dtmf_gen_fill(c->gen, tone, n);
		/* In-band digits replace the audio while they play. */
		if (t > 0)
			memcpy(pcm, tone, sizeof(int16_t) * (size_t)t);
	}
	return k;
}

static void tick_tx(struct mchan *c)
{
	int16_t pcm[MCHAN_MAX_FRAME];
	uint8_t enc[PKT_MAX], pkt[PKT_MAX];
	int n = c->ci->frame_samples, len, plen;
	int step = n * c->ci->clock / c->ci->rate;

	if (dtmf_tick(c))
		return;
	if (c->peer && c->peer->passthru && !c->tone && !c->moh &&
	    !mchan_rec_on(c))
		return; /* the peer's packets come through as they are */
	produce(c, pcm, n);
	len = codec_encode(c->codec, pcm, n, enc, sizeof(enc));
	if (len <= 0)
		return;
	plen = rtp_tx_pack(&c->tx, pkt, sizeof(pkt), (uint8_t)c->pt, 0,
			   (uint32_t)step, enc, (size_t)len);
	if (plen > 0) {
		mchan_send(c, MKIND_RTP, pkt, (size_t)plen);
		c->tx_pkts++;
		/* The peer's forwarded packets go into this stream: they
		 * must carry on after this one, not where they left off
		 * (a phone drops a stream whose numbers go back). */
		if (c->peer)
			c->peer->fwd_on = 0;
	}
}

static void tick_rtcp(struct mchan *c)
{
	uint8_t buf[256];
	uint64_t now;
	uint32_t dlsr = 0;
	int n;

	if (++c->rtcp_ticks < RTCP_TICKS)
		return;
	c->rtcp_ticks = 0;
	now = rtcp_ntp_now();
	if (c->lsr)
		dlsr = (uint32_t)((now - c->lsr_at) >> 16);
	n = rtcp_pack_report(buf, sizeof(buf), &c->tx, c->tx.ssrc,
			     c->have_rx ? &c->rxs : NULL, c->rx_ssrc, now,
			     c->tx.ts, c->lsr, dlsr, "ondo");
	if (n > 0)
		mchan_send(c, MKIND_RTCP, buf, (size_t)n);
}

/* The channels and rooms of this tick's phase (media_priv.h), in passes:
 * every channel decodes first, so that a channel joined to another sends
 * the audio its peer received in this same tick, and a room mixes what
 * its members of this phase just said. */
void mchan_tick_all(struct mworker *w)
{
	int ph = w->phase;

	w->phase = (ph + 1) % TICK_PHASES;
	for (struct mchan *c = w->chans; c; c = c->next)
		if (c->phase == ph)
			tick_rx(c);
	for (struct mchan *c = w->chans; c; c = c->next)
		if (c->phase == ph)
			mchan_rec_tick(c);
	mixer_tick_all(w, ph);
	for (struct mchan *c = w->chans; c; c = c->next) {
		if (c->phase != ph)
			continue;
		mchan_rec_hold_tick(c);
		tick_tx(c);
		tick_rtcp(c);
	}
}
