/* codec.h - G.711 u-law/A-law and G.722 encode/decode with loss concealment. */
#ifndef ONDO_CODEC_H
#define ONDO_CODEC_H

#include <stddef.h>
#include <stdint.h>

enum codec_id { CODEC_PCMU, CODEC_PCMA, CODEC_G722, CODEC_COUNT };

/* Static facts about a codec. G.722 is the odd one: it carries 16 kHz audio
 * but RFC 3551 fixes its RTP clock at 8000 (a historic error kept for
 * interoperability), so RTP timestamps advance by 160 per 20 ms for all
 * three, while a G.722 frame decodes to 320 samples. */
struct codec_info {
	enum codec_id id;
	const char *name;  /* "PCMU", "PCMA", "G722" as in an SDP rtpmap */
	int pt;		   /* static RTP payload type: 0, 8, 9 */
	int rate;	   /* PCM sample rate: 8000 or 16000 */
	int clock;	   /* RTP clock rate: 8000 for all three */
	int frame_samples; /* PCM samples per 20 ms at `rate` */
	int frame_bytes;   /* encoded bytes per 20 ms: 160 */
};

/* The table entry for id, or NULL if id is out of range. Static storage. */
const struct codec_info *codec_info(enum codec_id id);
/* Looks a codec up by its SDP name, case-insensitively. NULL if unknown
 * (or name is NULL). Static storage. */
const struct codec_info *codec_by_name(const char *name);

/* One encoder, one decoder and a packet loss concealer for one direction
 * pair of one leg. Owned by one media worker thread; no locking inside. */
struct codec;

/* Allocates a codec instance. Caller frees with codec_free().
 * Returns 0, -EINVAL for an unknown id, or -ENOMEM. */
int codec_alloc(struct codec **cp, enum codec_id id);
/* Frees c and its SpanDSP states. NULL is fine. */
void codec_free(struct codec *c);
/* The static facts of c's codec. */
const struct codec_info *codec_get_info(const struct codec *c);

/* Encodes nsamples of PCM at the codec's rate into out.
 * Returns the bytes written, -EINVAL (bad arguments, or an odd sample count
 * for G.722, which codes pairs) or -ENOSPC if outlen is too small. */
int codec_encode(struct codec *c, const int16_t *pcm, int nsamples,
		 uint8_t *out, size_t outlen);

/* Decodes len bytes into pcm and feeds the result to the concealer's
 * history. Returns the samples written (len for G.711, 2 * len for G.722),
 * -EINVAL or -ENOSPC if maxsamples is too small. */
int codec_decode(struct codec *c, const uint8_t *in, size_t len, int16_t *pcm,
		 int maxsamples);

/* Fills pcm with nsamples synthesised from the recent decoded audio, for a
 * frame that was lost (the jitter buffer said JBUF_LOST). Successive calls
 * fade to silence within about 50 ms (8 kHz) or 25 ms (16 kHz).
 * Returns nsamples or -EINVAL. */
int codec_conceal(struct codec *c, int16_t *pcm, int nsamples);

#endif
