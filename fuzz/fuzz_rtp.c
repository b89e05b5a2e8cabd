/* fuzz_rtp.c - libFuzzer target: a stream of packets arriving on a media
 * channel's public RTP port, through what the worker does with each
 * (mchan_rx.c, mchan_tick.c): rtp_parse, RFC 4733 events
 * (dtmf_4733_parse, dtmf_4733_rx_feed), receive statistics, the jitter
 * buffer and the decoder with loss concealment, then an RTCP report built
 * from those statistics, read back.
 *
 * Input: one byte of set-up (codec, telephone-event payload type, jitter
 * buffer delay), then packets, each a 2-byte big-endian length and that
 * many bytes (cut at the end of the input). */
#include "fuzz/fuzz_util.h"
#include "media/codec.h"
#include "media/dtmf.h"
#include "media/jbuf.h"
#include "media/rtcp.h"
#include "media/rtp.h"

#define PKT_MAX	  1500
#define FRAME_MAX 2048 /* samples; a G.722 frame of 640 bytes is 1280 */

static void check_parsed(const uint8_t *buf, size_t len,
			 const struct rtp_hdr *h, const uint8_t *payload,
			 size_t plen)
{
	uint8_t again[PKT_MAX + RTP_HDR_LEN];
	const uint8_t *p2;
	struct rtp_hdr h2;
	size_t plen2;
	int n;

	FUZZ_CHECK(payload >= buf + RTP_HDR_LEN && payload <= buf + len &&
		       plen <= (size_t)(buf + len - payload),
		   "payload of %zu bytes at offset %td outside a %zu-byte "
		   "packet",
		   plen, payload - buf, len);
	FUZZ_CHECK(h->pt <= 127, "payload type %u", h->pt);
	/* What forward() sends on must read back as the same packet. */
	n = rtp_pack(again, sizeof(again), h, payload, plen);
	FUZZ_CHECK(n == (int)(RTP_HDR_LEN + plen), "rtp_pack gave %d", n);
	FUZZ_CHECK(rtp_parse(again, (size_t)n, &h2, &p2, &plen2) == 0 &&
		       h2.pt == h->pt && h2.seq == h->seq && h2.ts == h->ts &&
		       h2.ssrc == h->ssrc && h2.marker == h->marker &&
		       plen2 == plen && !memcmp(p2, payload, plen),
		   "a forwarded packet does not read back as it was");
}

static void tick(struct jbuf *jb, struct codec *c, int frame_samples)
{
	uint8_t pl[JBUF_FRAME_MAX];
	int16_t pcm[FRAME_MAX];
	size_t len = 0;
	int n;

	switch (jbuf_get(jb, pl, sizeof(pl), &len)) {
	case JBUF_FRAME:
		FUZZ_CHECK(len <= sizeof(pl), "jbuf frame of %zu bytes", len);
		n = codec_decode(c, pl, len, pcm, FRAME_MAX);
		FUZZ_CHECK(n <= FRAME_MAX, "decoded %d samples", n);
		break;
	case JBUF_LOST:
		n = codec_conceal(c, pcm, frame_samples);
		FUZZ_CHECK(n == frame_samples, "concealed %d samples", n);
		break;
	default:
		break;
	}
}

static void report(struct rtp_rxstats *rxs)
{
	struct rtcp_report rep;
	uint8_t buf[512];
	uint32_t ext = rtp_rxstats_ext_seq(rxs);
	int n;

	n = rtcp_pack_report(buf, sizeof(buf), NULL, 0x1234, rxs, rxs->ssrc, 0,
			     0, 0, 0, "fuzz@ondo");
	FUZZ_CHECK(n > 0, "no RTCP report (%d)", n);
	FUZZ_CHECK(rtcp_parse(buf, (size_t)n, &rep) == 0,
		   "our own RTCP report does not parse");
	if (rxs->active)
		FUZZ_CHECK(rep.nblocks == 1 && rep.blocks[0].ext_seq == ext,
			   "our report block lost the extended sequence");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum codec_id ids[] = {CODEC_PCMU, CODEC_PCMA, CODEC_G722};
	struct dtmf_4733_rx d4733;
	struct rtp_rxstats rxs;
	struct codec *c = NULL;
	struct jbuf *jb = NULL;
	const struct codec_info *ci;
	size_t off = 1;
	uint32_t now = 0;
	int te_pt;

	if (size < 1)
		return 0;
	ci = codec_info(ids[(data[0] & 3) % 3]);
	te_pt = data[0] & 4 ? 101 : 96;
	if (codec_alloc(&c, ci->id) ||
	    jbuf_alloc(&jb, 1 + (data[0] >> 3) % JBUF_DELAY_MAX, 0))
		abort();
	dtmf_4733_rx_init(&d4733);
	rtp_rxstats_init(&rxs);
	while (off + 2 <= size) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];
		const uint8_t *payload;
		struct rtp_hdr h;
		size_t plen;

		off += 2;
		if (len > size - off)
			len = size - off;
		if (len > PKT_MAX)
			len = PKT_MAX;
		/* A copy of its exact size, so ASan sees any read past it. */
		uint8_t *pkt = malloc(len ? len : 1);
		if (!pkt)
			abort();
		memcpy(pkt, data + off, len);
		off += len;
		now += 160;
		if (rtp_parse(pkt, len, &h, &payload, &plen) == 0) {
			check_parsed(pkt, len, &h, payload, plen);
			if (h.pt == te_pt) {
				struct dtmf_event ev;
				char digit = 0;

				if (dtmf_4733_parse(payload, plen, &ev) == 0) {
					FUZZ_CHECK(strchr("0123456789*#ABCD",
							  ev.digit) &&
						       ev.digit,
						   "event digit %d", ev.digit);
					if (dtmf_4733_rx_feed(&d4733, h.ts, &ev,
							      &digit) == 1)
						FUZZ_CHECK(digit == ev.digit,
							   "digit %c reported "
							   "for %c",
							   digit, ev.digit);
				}
			} else if (h.pt == ci->pt) {
				if (rxs.active && h.ssrc != rxs.ssrc)
					jbuf_reset(jb);
				rtp_rxstats_update(&rxs, &h, now);
				jbuf_put(jb, h.seq, h.ts, payload, plen);
			}
		}
		free(pkt);
		tick(jb, c, ci->frame_samples);
	}
	report(&rxs);
	jbuf_free(jb);
	codec_free(c);
	return 0;
}
