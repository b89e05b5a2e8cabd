/* resample.c - converts mono int16 audio between rates with speexdsp. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <speex/speex_resampler.h>

#include "media/resample.h"

/*
 * Quality 3 (speexdsp's "VoIP" setting): its pass band ends at 88% of the
 * output Nyquist rate, 3.5 kHz at 8 kHz and 7 kHz at 16 kHz, so it keeps all
 * of what G.711 and G.722 carry; higher settings only sharpen the edge above
 * that, which the codec throws away, and cost a third more CPU per sample
 * (quality 4 is 64 taps, 3 is 48). Many legs may resample at once.
 */
#define RESAMPLE_QUALITY SPEEX_RESAMPLER_QUALITY_VOIP

#define RATE_MIN   1000
#define RATE_MAX   384000
#define ZERO_BLOCK 256

struct resampler {
	SpeexResamplerState *st; /* owned; NULL when the rates are equal */
	int in_rate;
	int out_rate;
	int skip_delay; /* resample_skip_delay() was called */
};

int resample_alloc(struct resampler **rp, int in_rate, int out_rate)
{
	struct resampler *r;
	int err = 0;

	if (!rp || in_rate < RATE_MIN || in_rate > RATE_MAX ||
	    out_rate < RATE_MIN || out_rate > RATE_MAX)
		return -EINVAL;
	r = calloc(1, sizeof(*r)); /* caller frees with resample_free() */
	if (!r)
		return -ENOMEM;
	r->in_rate = in_rate;
	r->out_rate = out_rate;
	if (in_rate != out_rate) {
		r->st = speex_resampler_init(1, (spx_uint32_t)in_rate,
					     (spx_uint32_t)out_rate,
					     RESAMPLE_QUALITY, &err);
		if (!r->st) {
			free(r);
			return err == RESAMPLER_ERR_ALLOC_FAILED ? -ENOMEM
								 : -EINVAL;
		}
	}
	*rp = r;
	return 0;
}

void resample_free(struct resampler *r)
{
	if (!r)
		return;
	if (r->st)
		speex_resampler_destroy(r->st);
	free(r);
}

int resample_out_max(const struct resampler *r, int n_in)
{
	int64_t n;

	if (!r || n_in < 0)
		return 0;
	n = ((int64_t)n_in * r->out_rate + r->in_rate - 1) / r->in_rate;
	return n + 2 > INT32_MAX ? INT32_MAX : (int)n + 2;
}

/* Runs the filter; out must have room for resample_out_max() samples. */
static int filter(struct resampler *r, const int16_t *in, int n_in,
		  int16_t *out, int max_out)
{
	spx_uint32_t in_len = (spx_uint32_t)n_in;
	spx_uint32_t out_len = (spx_uint32_t)max_out;

	if (speex_resampler_process_int(r->st, 0, in, &in_len, out, &out_len) !=
	    RESAMPLER_ERR_SUCCESS)
		return -EINVAL;
	/* Cannot happen with out sized as checked; say so loudly if it does. */
	if (in_len != (spx_uint32_t)n_in)
		return -ENOBUFS;
	return (int)out_len;
}

int resample_process(struct resampler *r, const int16_t *in, int n_in,
		     int16_t *out, int max_out)
{
	if (!r || n_in < 0 || max_out < 0 || (n_in && (!in || !out)))
		return -EINVAL;
	if (n_in == 0)
		return 0;
	if (!r->st) {
		if (max_out < n_in)
			return -ENOBUFS;
		memmove(out, in, (size_t)n_in * sizeof(*in));
		return n_in;
	}
	/*
	 * Checked up front so a too-small buffer is a clear caller bug rather
	 * than input silently left behind in the middle of a stream.
	 */
	if (max_out < resample_out_max(r, n_in))
		return -ENOBUFS;
	return filter(r, in, n_in, out, max_out);
}

int resample_delay(const struct resampler *r)
{
	if (!r || !r->st)
		return 0;
	return speex_resampler_get_input_latency(r->st);
}

int resample_flush(struct resampler *r, int16_t *out, int max_out)
{
	/* Silence pushed through the filter to move the real tail out. */
	static const int16_t zeros[ZERO_BLOCK];
	int left, done = 0, n, got;

	if (!r || !out || max_out < 0)
		return -EINVAL;
	left = resample_delay(r);
	if (max_out < resample_out_max(r, left))
		return -ENOBUFS;
	while (left > 0) {
		n = left < ZERO_BLOCK ? left : ZERO_BLOCK;
		got = filter(r, zeros, n, out + done, max_out - done);
		if (got < 0)
			return got;
		done += got;
		left -= n;
	}
	resample_reset(r);
	return done;
}

void resample_skip_delay(struct resampler *r)
{
	if (!r || !r->st)
		return;
	r->skip_delay = 1;
	speex_resampler_skip_zeros(r->st);
}

void resample_reset(struct resampler *r)
{
	if (!r || !r->st)
		return;
	speex_resampler_reset_mem(r->st);
	if (r->skip_delay)
		speex_resampler_skip_zeros(r->st);
}
