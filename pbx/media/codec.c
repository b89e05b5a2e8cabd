/* codec.c - G.711 and G.722 through SpanDSP, with SpanDSP's PLC on decode. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <spandsp.h>

#include "media/codec.h"

static const struct codec_info codecs[CODEC_COUNT] = {
    [CODEC_PCMU] = {CODEC_PCMU, "PCMU", 0, 8000, 8000, 160, 160},
    [CODEC_PCMA] = {CODEC_PCMA, "PCMA", 8, 8000, 8000, 160, 160},
    [CODEC_G722] = {CODEC_G722, "G722", 9, 16000, 8000, 320, 160},
};

struct codec {
	const struct codec_info *info;
	/* G.711 states only hold the law; G.722 states carry ADPCM history,
	 * which is why encoder and decoder are separate instances. */
	g711_state_t *g711_enc;
	g711_state_t *g711_dec;
	g722_encode_state_t *g722_enc;
	g722_decode_state_t *g722_dec;
	/* SpanDSP's concealer is tuned for 8 kHz; at 16 kHz its pitch search
	 * covers 133-400 Hz instead of 66-200 Hz and it fades out twice as
	 * fast. Good enough to bridge a lost frame of wideband speech. */
	plc_state_t plc;
};

const struct codec_info *codec_info(enum codec_id id)
{
	if ((int)id < 0 || id >= CODEC_COUNT)
		return NULL;
	return &codecs[id];
}

const struct codec_info *codec_by_name(const char *name)
{
	int i;

	if (!name)
		return NULL;
	for (i = 0; i < CODEC_COUNT; i++)
		if (!strcasecmp(name, codecs[i].name))
			return &codecs[i];
	return NULL;
}

int codec_alloc(struct codec **cp, enum codec_id id)
{
	struct codec *c;
	int law;

	if (!cp || !codec_info(id))
		return -EINVAL;
	/* Caller frees with codec_free(). */
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->info = &codecs[id];
	if (id == CODEC_G722) {
		c->g722_enc = g722_encode_init(NULL, 64000, 0);
		c->g722_dec = g722_decode_init(NULL, 64000, 0);
		if (!c->g722_enc || !c->g722_dec)
			goto nomem;
	} else {
		law = id == CODEC_PCMU ? G711_ULAW : G711_ALAW;
		c->g711_enc = g711_init(NULL, law);
		c->g711_dec = g711_init(NULL, law);
		if (!c->g711_enc || !c->g711_dec)
			goto nomem;
	}
	plc_init(&c->plc);
	*cp = c;
	return 0;
nomem:
	codec_free(c);
	return -ENOMEM;
}

void codec_free(struct codec *c)
{
	if (!c)
		return;
	if (c->g711_enc)
		g711_free(c->g711_enc);
	if (c->g711_dec)
		g711_free(c->g711_dec);
	if (c->g722_enc)
		g722_encode_free(c->g722_enc);
	if (c->g722_dec)
		g722_decode_free(c->g722_dec);
	free(c);
}

const struct codec_info *codec_get_info(const struct codec *c)
{
	return c ? c->info : NULL;
}

int codec_encode(struct codec *c, const int16_t *pcm, int nsamples,
		 uint8_t *out, size_t outlen)
{
	size_t need;

	if (!c || !pcm || !out || nsamples < 0)
		return -EINVAL;
	if (c->info->id == CODEC_G722) {
		/* SpanDSP reads samples in pairs: an odd count would read one
		 * past the end of pcm. */
		if (nsamples & 1)
			return -EINVAL;
		need = (size_t)nsamples / 2;
		if (outlen < need)
			return -ENOSPC;
		return g722_encode(c->g722_enc, out, pcm, nsamples);
	}
	need = (size_t)nsamples;
	if (outlen < need)
		return -ENOSPC;
	return g711_encode(c->g711_enc, out, pcm, nsamples);
}

int codec_decode(struct codec *c, const uint8_t *in, size_t len, int16_t *pcm,
		 int maxsamples)
{
	size_t need;
	int n;

	if (!c || !in || !pcm || maxsamples < 0 || len > INT32_MAX / 2)
		return -EINVAL;
	need = c->info->id == CODEC_G722 ? len * 2 : len;
	if (need > (size_t)maxsamples)
		return -ENOSPC;
	if (c->info->id == CODEC_G722)
		n = g722_decode(c->g722_dec, pcm, in, (int)len);
	else
		n = g711_decode(c->g711_dec, pcm, in, (int)len);
	/* The concealer needs the latest good audio to extrapolate from. */
	plc_rx(&c->plc, pcm, n);
	return n;
}

int codec_conceal(struct codec *c, int16_t *pcm, int nsamples)
{
	if (!c || !pcm || nsamples < 0)
		return -EINVAL;
	plc_fillin(&c->plc, pcm, nsamples);
	return nsamples;
}
