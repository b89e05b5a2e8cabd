/* test_resample.c - rate conversion keeps pitch, level and duration
 * (resample.c). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "media/resample.h"

#define AMP 10000.0

static void sine(int16_t *buf, int n, double freq, int rate, double amp)
{
	for (int i = 0; i < n; i++)
		buf[i] =
		    (int16_t)lrint(amp * sin(2.0 * M_PI * freq * i / rate));
}

static double rms(const int16_t *buf, int n)
{
	double sum = 0;

	for (int i = 0; i < n; i++)
		sum += (double)buf[i] * buf[i];
	return n ? sqrt(sum / n) : 0;
}

/* Amplitude of the freq component (Goertzel), in the units of the samples. */
static double goertzel(const int16_t *buf, int n, double freq, int rate)
{
	double k = 2.0 * cos(2.0 * M_PI * freq / rate), s0, s1 = 0, s2 = 0;

	for (int i = 0; i < n; i++) {
		s0 = buf[i] + k * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	return 2.0 * sqrt(s1 * s1 + s2 * s2 - k * s1 * s2) / n;
}

static int zero_crossings(const int16_t *buf, int n)
{
	int c = 0;

	for (int i = 1; i < n; i++)
		if ((buf[i - 1] < 0) != (buf[i] < 0))
			c++;
	return c;
}

/* Converts all of in, chunk samples at a time; returns samples in out. */
static int convert(struct resampler *r, const int16_t *in, int n, int chunk,
		   int16_t *out, int max_out)
{
	int done = 0, got;

	for (int i = 0; i < n; i += chunk) {
		int len = n - i < chunk ? n - i : chunk;

		got = resample_process(r, in + i, len, out + done,
				       max_out - done);
		assert_true(got >= 0);
		assert_true(got <= resample_out_max(r, len));
		done += got;
	}
	return done;
}

/*
 * Checks a 1 s piece of out (skipping the filter's start-up) is a clean
 * 1 kHz tone at the level we put in.
 */
static void expect_1k_tone(const int16_t *out, int n, int rate,
			   const char *what)
{
	const int16_t *mid = out + rate / 10; /* past the filter's delay */
	int len = n - rate / 5;
	double want_zc = 2.0 * 1000 * len / rate;
	double level = goertzel(mid, len, 1000, rate);

	if (abs(zero_crossings(mid, len) - (int)want_zc) > 4)
		fail_msg("%s: the tone changed pitch: %d zero crossings in "
			 "%d samples, want %.0f",
			 what, zero_crossings(mid, len), len, want_zc);
	if (fabs(20 * log10(level / AMP)) > 0.5)
		fail_msg("%s: the tone got %.1f dB louder or quieter", what,
			 20 * log10(level / AMP));
	/* Anything but the tone is distortion the caller would hear. */
	if (rms(mid, len) > 1.02 * level / sqrt(2.0))
		fail_msg("%s: noise or distortion added: rms %.0f for a tone "
			 "of rms %.0f",
			 what, rms(mid, len), level / sqrt(2.0));
}

static void test_8k_16k_8k_keeps_tone(void **state)
{
	int16_t in[8000], up[16100], down[8100];
	struct resampler *r_up, *r_down;
	int n_up, n_down;

	sine(in, 8000, 1000, 8000, AMP);
	assert_int_equal(resample_alloc(&r_up, 8000, 16000), 0);
	assert_int_equal(resample_alloc(&r_down, 16000, 8000), 0);

	n_up = convert(r_up, in, 8000, 160, up, 16100);
	if (abs(n_up - 16000) > 2)
		fail_msg("1 s at 8 kHz became %d samples at 16 kHz", n_up);
	expect_1k_tone(up, n_up, 16000, "8k->16k");

	n_down = convert(r_down, up, n_up, 320, down, 8100);
	if (abs(n_down - 8000) > 2)
		fail_msg("1 s at 16 kHz became %d samples at 8 kHz", n_down);
	expect_1k_tone(down, n_down, 8000, "8k->16k->8k");

	resample_free(r_up);
	resample_free(r_down);
}

static void test_44k1_to_8k(void **state)
{
	static int16_t in[44100], out[8100];
	struct resampler *r;
	int n;

	sine(in, 44100, 1000, 44100, AMP);
	assert_int_equal(resample_alloc(&r, 44100, 8000), 0);
	resample_skip_delay(r);
	n = convert(r, in, 44100, 882, out, 8100);
	n += resample_flush(r, out + n, 8100 - n);
	if (abs(n - 8000) > 2)
		fail_msg("1 s at 44.1 kHz became %d samples at 8 kHz", n);
	expect_1k_tone(out, n, 8000, "44.1k->8k");

	/* A 5 kHz tone is above the phone band: it must not alias into it. */
	sine(in, 44100, 5000, 44100, AMP);
	n = convert(r, in, 44100, 882, out, 8100);
	if (rms(out + 800, n - 1600) > AMP / 100)
		fail_msg("a 5 kHz tone aliased into the 8 kHz output at rms "
			 "%.0f (callers would hear a 3 kHz whistle)",
			 rms(out + 800, n - 1600));
	resample_free(r);
}

/* Deterministic chunk sizes, so a failure can be reproduced. */
static unsigned int lcg(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

/*
 * Streams (output lags) and whole files (start-up delay skipped, tail
 * flushed) both come out at exactly their length at the new rate.
 */
static void test_counts_over_many_chunks(void **state)
{
	static const int rates[][2] = {
	    {8000, 16000},  {16000, 8000}, {11025, 8000},
	    {22050, 16000}, {44100, 8000}, {48000, 16000},
	    {44100, 16000}, {48000, 8000}, {8000, 8000},
	};
	static int16_t in[4000], out[20000];
	unsigned int seed = 42;

	sine(in, 4000, 440, 8000, AMP);
	for (int whole_file = 0; whole_file < 2; whole_file++) {
		for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
			struct resampler *r;
			int64_t total_in = 0, total_out = 0, want;
			int in_rate = rates[i][0], out_rate = rates[i][1];

			assert_int_equal(resample_alloc(&r, in_rate, out_rate),
					 0);
			if (whole_file)
				resample_skip_delay(r);
			for (int k = 0; k < 500; k++) {
				int len = 1 + (int)(lcg(&seed) % 4000);
				int got =
				    resample_process(r, in, len, out, 20000);

				assert_true(got >= 0);
				if (got > resample_out_max(r, len))
					fail_msg("%d->%d: %d samples in gave "
						 "%d out, more than the %d "
						 "promised",
						 in_rate, out_rate, len, got,
						 resample_out_max(r, len));
				total_in += len;
				total_out += got;
			}
			if (whole_file)
				total_out += resample_flush(r, out, 20000);
			want = total_in * out_rate / in_rate;
			if (llabs(total_out - want) > 1)
				fail_msg("%d->%d%s: %lld samples in gave %lld "
					 "out, want %lld (playback would "
					 "drift)",
					 in_rate, out_rate,
					 whole_file ? " (file)" : "",
					 (long long)total_in,
					 (long long)total_out, (long long)want);
			resample_free(r);
		}
	}
}

/* A leg converting 20 ms at a time gets exactly 20 ms back every time. */
static void test_frames_stay_frames(void **state)
{
	static const int rates[][2] = {
	    {8000, 16000}, {16000, 8000}, {44100, 8000}, {48000, 16000}};
	int16_t in[960], out[1000];

	sine(in, 960, 1000, 48000, AMP);
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct resampler *r;
		int n_in = rates[i][0] / 50, n_out = rates[i][1] / 50;

		assert_int_equal(resample_alloc(&r, rates[i][0], rates[i][1]),
				 0);
		for (int k = 0; k < 100; k++) {
			int got = resample_process(r, in, n_in, out, 1000);

			if (got != n_out)
				fail_msg("%d->%d: frame %d of %d samples gave "
					 "%d, want %d (the leg would stutter)",
					 rates[i][0], rates[i][1], k, n_in, got,
					 n_out);
		}
		resample_free(r);
	}
}

static void test_same_rate_copies(void **state)
{
	int16_t in[320], out[320];
	struct resampler *r;

	sine(in, 320, 1000, 16000, AMP);
	assert_int_equal(resample_alloc(&r, 16000, 16000), 0);
	assert_int_equal(resample_process(r, in, 320, out, 320), 320);
	if (memcmp(in, out, sizeof(in)) != 0)
		fail_msg("16k->16k changed the audio instead of copying it");
	assert_int_equal(resample_delay(r), 0);
	assert_int_equal(resample_flush(r, out, 320), 0);
	resample_free(r);
}

static void test_reset_starts_afresh(void **state)
{
	int16_t in[441], a[120], b[120];
	struct resampler *r;
	int na, nb;

	sine(in, 441, 1000, 44100, AMP);
	assert_int_equal(resample_alloc(&r, 44100, 8000), 0);
	na = resample_process(r, in, 441, a, 120);
	resample_process(r, in, 200, b, 120);
	resample_reset(r);
	nb = resample_process(r, in, 441, b, 120);
	assert_int_equal(na, nb);
	if (memcmp(a, b, (size_t)na * sizeof(a[0])) != 0)
		fail_msg("after a reset the audio differs from a fresh start "
			 "(a looped prompt would click)");
	resample_free(r);
}

static void test_bad_arguments(void **state)
{
	int16_t in[160], out[400];
	struct resampler *r = NULL;

	assert_int_equal(resample_alloc(&r, 0, 8000), -EINVAL);
	assert_int_equal(resample_alloc(&r, 8000, -1), -EINVAL);
	assert_int_equal(resample_alloc(NULL, 8000, 8000), -EINVAL);
	assert_null(r);
	memset(in, 0, sizeof(in));
	assert_int_equal(resample_alloc(&r, 8000, 16000), 0);
	assert_int_equal(resample_process(r, in, 160, out, 320), -ENOBUFS);
	assert_int_equal(resample_process(r, in, -1, out, 400), -EINVAL);
	assert_int_equal(resample_process(r, in, 0, out, 400), 0);
	assert_int_equal(resample_process(NULL, in, 160, out, 400), -EINVAL);
	resample_free(r);
	resample_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_8k_16k_8k_keeps_tone),
		cmocka_unit_test(test_44k1_to_8k),
		cmocka_unit_test(test_counts_over_many_chunks),
		cmocka_unit_test(test_frames_stay_frames),
		cmocka_unit_test(test_same_rate_copies),
		cmocka_unit_test(test_reset_starts_afresh),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
