/* test_codec.c - G.711/G.722 round trips, concealment, names (pbx/media/). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "media/codec.h"

#define SECONDS	  1
#define MAX_RATE  16000
#define MAX_DELAY 64 /* samples searched when aligning G.722 output */
/* The telephony "1 kHz" test tone is 1004 Hz: at exactly 1000 Hz an 8 kHz
 * sampler hits the same 8 points of the wave over and over, and the SNR
 * says more about those 8 values than about the quantiser. */
#define TEST_HZ 1004

static void sine(int16_t *pcm, int n, int rate, double freq, double amp)
{
	int i;

	for (i = 0; i < n; i++)
		pcm[i] = (int16_t)lrint(amp * sin(2 * M_PI * freq * i / rate));
}

/* SNR of out against in delayed by `delay` samples, skipping `skip`
 * samples of start-up at the beginning. */
static double snr_db(const int16_t *in, const int16_t *out, int n, int delay,
		     int skip)
{
	double sig = 0, err = 0, d;
	int i;

	for (i = skip; i < n; i++) {
		sig += (double)in[i - delay] * in[i - delay];
		d = (double)out[i] - in[i - delay];
		err += d * d;
	}
	if (err == 0)
		return 200;
	return 10 * log10(sig / err);
}

/* Encodes and decodes pcm frame by frame; returns samples decoded. */
static int round_trip(enum codec_id id, const int16_t *in, int16_t *out, int n)
{
	const struct codec_info *ci = codec_info(id);
	struct codec *c;
	uint8_t buf[400];
	int off, len, got, total = 0;

	assert_int_equal(codec_alloc(&c, id), 0);
	for (off = 0; off + ci->frame_samples <= n; off += ci->frame_samples) {
		len = codec_encode(c, in + off, ci->frame_samples, buf,
				   sizeof(buf));
		assert_int_equal(len, ci->frame_bytes);
		got = codec_decode(c, buf, (size_t)len, out + off, n - off);
		assert_int_equal(got, ci->frame_samples);
		total += got;
	}
	codec_free(c);
	return total;
}

static void g711_law(enum codec_id id)
{
	static int16_t in[8000 * SECONDS], out[8000 * SECONDS];
	double snr;

	sine(in, 8000 * SECONDS, 8000, TEST_HZ, 10000);
	assert_int_equal(round_trip(id, in, out, 8000 * SECONDS),
			 8000 * SECONDS);
	snr = snr_db(in, out, 8000 * SECONDS, 0, 0);
	print_message("%s 1004 Hz sine round trip: SNR %.1f dB\n",
		      codec_info(id)->name, snr);
	if (snr <= 30)
		fail_msg("callers on %s would hear distorted audio: SNR %.1f "
			 "dB (want > 30)",
			 codec_info(id)->name, snr);
}

static void test_pcmu_round_trip(void **state)
{
	(void)state;
	g711_law(CODEC_PCMU);
}

static void test_pcma_round_trip(void **state)
{
	(void)state;
	g711_law(CODEC_PCMA);
}

/* A 200 Hz to 6 kHz sweep: unlike a sine, it has one best alignment, so it
 * measures the codec's delay without the ambiguity of a sine's period. */
static void sweep(int16_t *pcm, int n, int rate, double amp)
{
	double f0 = 200, f1 = 6000, t, dur = (double)n / rate;
	int i;

	for (i = 0; i < n; i++) {
		t = (double)i / rate;
		pcm[i] = (int16_t)lrint(
		    amp *
		    sin(2 * M_PI * (f0 * t + (f1 - f0) * t * t / (2 * dur))));
	}
}

/* The delay (samples) at which out best matches in, and the SNR there. */
static int best_delay(const int16_t *in, const int16_t *out, int n, double *snr)
{
	int d, best_d = 0;
	double s, best = -1000;

	for (d = 0; d <= MAX_DELAY; d++) {
		s = snr_db(in, out, n, d, 640);
		if (s > best) {
			best = s;
			best_d = d;
		}
	}
	*snr = best;
	return best_d;
}

static void test_g722_round_trip(void **state)
{
	static int16_t in[MAX_RATE * SECONDS], out[MAX_RATE * SECONDS];
	int n = MAX_RATE * SECONDS, delay, d;
	double snr, sweep_snr;

	(void)state;
	sweep(in, n, 16000, 10000);
	assert_int_equal(round_trip(CODEC_G722, in, out, n), n);
	delay = best_delay(in, out, n, &sweep_snr);

	sine(in, n, 16000, TEST_HZ, 10000);
	assert_int_equal(round_trip(CODEC_G722, in, out, n), n);
	snr = snr_db(in, out, n, delay, 640);
	print_message("G722 round trip: delay %d samples (%.2f ms); SNR %.1f "
		      "dB for a 1004 Hz sine, %.1f dB for a 0.2-6 kHz sweep\n",
		      delay, delay / 16.0, snr, sweep_snr);
	if (snr <= 15)
		fail_msg("callers on G.722 would hear distorted audio: SNR "
			 "%.1f dB at delay %d (want > 15)",
			 snr, delay);
	/* The sine alone matches at every period (about 16 samples) too;
	 * the sweep's delay must be one of those, or the measurement is
	 * wrong. */
	d = best_delay(in, out, n, &sweep_snr);
	assert_true(abs(delay - d) % 16 <= 1 || abs(delay - d) % 16 == 15);
}

static void test_conceal_after_voice(void **state)
{
	static const enum codec_id ids[] = {CODEC_PCMU, CODEC_PCMA, CODEC_G722};
	int16_t in[320], out[320], fill[320];
	uint8_t buf[160];
	const struct codec_info *ci;
	struct codec *c;
	double energy;
	unsigned i;
	int k, len;

	(void)state;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		ci = codec_info(ids[i]);
		assert_int_equal(codec_alloc(&c, ids[i]), 0);
		/* Three voiced frames build the concealer's history. */
		for (k = 0; k < 3; k++) {
			sine(in, ci->frame_samples, ci->rate, 300, 8000);
			len = codec_encode(c, in, ci->frame_samples, buf,
					   sizeof(buf));
			assert_int_equal(
			    codec_decode(c, buf, (size_t)len, out, 320),
			    ci->frame_samples);
		}
		memset(fill, 0, sizeof(fill));
		assert_int_equal(codec_conceal(c, fill, ci->frame_samples),
				 ci->frame_samples);
		energy = 0;
		for (k = 0; k < ci->frame_samples; k++)
			energy += (double)fill[k] * fill[k];
		energy /= ci->frame_samples;
		if (sqrt(energy) < 1000)
			fail_msg("a lost %s frame after speech became a gap "
				 "of silence (rms %.0f)",
				 ci->name, sqrt(energy));
		codec_free(c);
	}
}

static void test_by_name(void **state)
{
	const struct codec_info *ci;

	(void)state;
	ci = codec_by_name("pcmu");
	assert_non_null(ci);
	assert_int_equal(ci->id, CODEC_PCMU);
	assert_int_equal(ci->pt, 0);
	ci = codec_by_name("PCMA");
	assert_non_null(ci);
	assert_int_equal(ci->pt, 8);
	ci = codec_by_name("G722");
	assert_non_null(ci);
	assert_int_equal(ci->pt, 9);
	assert_int_equal(ci->rate, 16000);
	assert_int_equal(ci->clock, 8000);
	assert_int_equal(ci->frame_samples, 320);
	assert_int_equal(ci->frame_bytes, 160);
	assert_ptr_equal(codec_by_name("g722"), ci);
	assert_null(codec_by_name("opus"));
	assert_null(codec_by_name("G722.1"));
	assert_null(codec_by_name(""));
	assert_null(codec_by_name(NULL));
	assert_null(codec_info(CODEC_COUNT));
	assert_null(codec_info((enum codec_id) - 1));
}

static void test_bad_arguments(void **state)
{
	int16_t pcm[320] = {0};
	uint8_t buf[160];
	struct codec *c;

	(void)state;
	assert_int_equal(codec_alloc(&c, CODEC_COUNT), -EINVAL);
	assert_int_equal(codec_alloc(&c, CODEC_G722), 0);
	assert_int_equal(codec_encode(c, pcm, 319, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(codec_encode(c, pcm, 320, buf, 159), -ENOSPC);
	assert_int_equal(codec_decode(c, buf, 160, pcm, 319), -ENOSPC);
	codec_free(c);
	assert_int_equal(codec_alloc(&c, CODEC_PCMU), 0);
	assert_int_equal(codec_encode(c, pcm, 160, buf, 159), -ENOSPC);
	assert_int_equal(codec_decode(c, buf, 160, pcm, 159), -ENOSPC);
	codec_free(c);
	codec_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pcmu_round_trip),
	    cmocka_unit_test(test_pcma_round_trip),
	    cmocka_unit_test(test_g722_round_trip),
	    cmocka_unit_test(test_conceal_after_voice),
	    cmocka_unit_test(test_by_name),
	    cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
