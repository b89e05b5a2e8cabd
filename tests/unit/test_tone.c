/* test_tone.c - call progress tone cadence, frequency, level (pbx/media/). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "media/tone.h"

#define MAX_SECONDS 11
#define CHUNK	    37 /* an odd size, so section ends fall inside a chunk */

static int16_t buf[16000 * MAX_SECONDS];

static const char *kind_name[] = {"ringback", "busy", "beep", "dial tone",
				  "congestion"};

/* Generates `ms` of a tone in odd-sized chunks; returns samples made. */
static int render(enum tone_kind kind, int rate, int ms)
{
	struct tone *t;
	int total = rate / 1000 * ms, got = 0, n, want;

	assert_int_equal(tone_alloc(&t, kind, rate), 0);
	while (got < total) {
		want = total - got < CHUNK ? total - got : CHUNK;
		n = tone_fill(t, buf + got, want);
		assert_true(n >= 0 && n <= want);
		got += n;
		if (n < want)
			break;
	}
	tone_free(t);
	return got;
}

/* Splits [0, n) into 1 ms blocks, each silent (all zero) or not, and
 * returns the lengths in ms of the alternating runs, starting with a
 * sounding one. */
static int runs(int rate, int n, int *run, int maxruns)
{
	int per = rate / 1000, blocks = n / per, b, i, silent, cur = 0, nr = 0;

	run[0] = 0;
	for (b = 0; b < blocks; b++) {
		silent = 1;
		for (i = 0; i < per; i++)
			if (buf[b * per + i])
				silent = 0;
		if (silent != cur) {
			assert_true(++nr < maxruns);
			run[nr] = 0;
			cur = silent;
		}
		run[nr]++;
	}
	return nr + 1;
}

/* Zero crossings per second over [from, from + n): twice the frequency. */
static double freq_of(int rate, int from, int n)
{
	int i, zc = 0;

	for (i = from + 1; i < from + n; i++)
		if ((buf[i - 1] < 0) != (buf[i] < 0))
			zc++;
	return zc / 2.0 * rate / n;
}

static double rms(int from, int n)
{
	double e = 0;
	int i;

	for (i = from; i < from + n; i++)
		e += (double)buf[i] * buf[i];
	return sqrt(e / n);
}

static void check_cadence(enum tone_kind kind, int rate, int on_ms, int off_ms,
			  int total_ms, int freq)
{
	int run[64], nr, i, n;
	double f;

	n = render(kind, rate, total_ms);
	if (n != rate / 1000 * total_ms)
		fail_msg("%s at %d Hz stopped after %d ms", kind_name[kind],
			 rate, n * 1000 / rate);
	nr = runs(rate, n, run, 64);
	if (!off_ms) {
		if (nr != 1)
			fail_msg("%s at %d Hz has a gap at %d ms",
				 kind_name[kind], rate, run[0]);
	} else {
		assert_true(nr >= 3);
		/* Whole runs only: the last one is cut by the window. */
		for (i = 0; i < nr - 1; i++) {
			int want = i % 2 ? off_ms : on_ms;

			if (abs(run[i] - want) > 1)
				fail_msg("%s at %d Hz: %s %d lasts %d ms, "
					 "callers expect %d ms",
					 kind_name[kind], rate,
					 i % 2 ? "pause" : "tone", i / 2 + 1,
					 run[i], want);
		}
	}
	f = freq_of(rate, 0, rate / 1000 * on_ms);
	if (fabs(f - freq) > 3)
		fail_msg("%s at %d Hz sounds at %.1f Hz, not %d Hz",
			 kind_name[kind], rate, f, freq);
	/* -13 dBm0 is a sine of amplitude about 5000: clearly audible,
	 * well below clipping. */
	if (rms(0, rate / 10) < 2500 || rms(0, rate / 10) > 5000)
		fail_msg("%s at %d Hz plays at rms %.0f", kind_name[kind], rate,
			 rms(0, rate / 10));
}

static void test_ringback(void **state)
{
	(void)state;
	/* Two full cycles and the start of a third. */
	check_cadence(TONE_RINGBACK, 8000, 1000, 4000, 10500, 425);
	check_cadence(TONE_RINGBACK, 16000, 1000, 4000, 10500, 425);
}

static void test_ringback_frames(void **state)
{
	struct tone *t;
	int16_t frame[320];
	int rate, f, i, loud;
	double e;

	(void)state;
	/* What the caller hears, 20 ms frame by frame: 50 frames of tone,
	 * 200 of silence, then tone again. */
	for (rate = 8000; rate <= 16000; rate += 8000) {
		assert_int_equal(tone_alloc(&t, TONE_RINGBACK, rate), 0);
		for (f = 0; f < 300; f++) {
			assert_int_equal(tone_fill(t, frame, rate / 50),
					 rate / 50);
			e = 0;
			for (i = 0; i < rate / 50; i++)
				e += (double)frame[i] * frame[i];
			loud = e > 0;
			if (loud != (f < 50 || f >= 250))
				fail_msg("ringback at %d Hz: frame %d (%d ms) "
					 "is %s",
					 rate, f, f * 20,
					 loud ? "ringing during the pause"
					      : "silent during the ring");
		}
		tone_free(t);
	}
}

static void test_busy_congestion_dial(void **state)
{
	(void)state;
	check_cadence(TONE_BUSY, 8000, 500, 500, 3000, 425);
	check_cadence(TONE_BUSY, 16000, 500, 500, 3000, 425);
	check_cadence(TONE_CONGESTION, 8000, 250, 250, 2000, 425);
	check_cadence(TONE_CONGESTION, 16000, 250, 250, 2000, 425);
	check_cadence(TONE_DIAL, 8000, 3000, 0, 3000, 425);
	check_cadence(TONE_DIAL, 16000, 3000, 0, 3000, 425);
}

static void test_beep_ends(void **state)
{
	struct tone *t;
	int16_t pcm[160];
	int rate, n;
	double f;

	(void)state;
	for (rate = 8000; rate <= 16000; rate += 8000) {
		n = render(TONE_BEEP, rate, 1000);
		if (n != rate / 4)
			fail_msg("the beep at %d Hz lasted %d ms, not 250",
				 rate, n * 1000 / rate);
		f = freq_of(rate, 0, n);
		if (fabs(f - 1000) > 5)
			fail_msg("the beep at %d Hz sounds at %.1f Hz", rate,
				 f);
		/* Once over, it stays over. */
		assert_int_equal(tone_alloc(&t, TONE_BEEP, rate), 0);
		while (tone_fill(t, pcm, 160) == 160)
			;
		assert_int_equal(tone_fill(t, pcm, 160), 0);
		assert_int_equal(tone_fill(t, pcm, 160), 0);
		tone_free(t);
	}
}

static void test_bad_arguments(void **state)
{
	struct tone *t;

	(void)state;
	assert_int_equal(tone_alloc(&t, TONE_BUSY, 44100), -EINVAL);
	assert_int_equal(tone_alloc(&t, TONE_COUNT, 8000), -EINVAL);
	assert_int_equal(tone_alloc(NULL, TONE_BUSY, 8000), -EINVAL);
	tone_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ringback),
	    cmocka_unit_test(test_ringback_frames),
	    cmocka_unit_test(test_busy_congestion_dial),
	    cmocka_unit_test(test_beep_ends),
	    cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
