/* test_mix.c - the conference mix: N-1 sums on known tones, soft
 * clipping, speaker selection with hangover, mute and gains (mix.c). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "media/mix.h"

#define RATE 8000
#define N 160
#define TICKS 10

static const double freqs[] = {500, 900, 1300, 1700, 2100, 2500, 2900};

/* Fills member m's frame for tick t with a sine of freq at amp. */
static void tone_in(struct mix_member *m, int t, double freq, double amp)
{
	for (int i = 0; i < N; i++)
		m->in[i] = (int16_t)lrint(
		    amp * sin(2.0 * M_PI * freq * (t * N + i) / RATE));
	m->have_in = 1;
}

static void member(struct mix_member *m)
{
	memset(m, 0, sizeof(*m));
	mix_member_init(m);
	m->talk_gain = m->listen_gain = MIX_GAIN_UNITY;
}

/* Amplitude of freq in what a member heard over the ticks (Goertzel). */
static double amp_of(const int16_t *buf, int n, double freq)
{
	double k = 2.0 * cos(2.0 * M_PI * freq / RATE), s0, s1 = 0, s2 = 0;

	for (int i = 0; i < n; i++) {
		s0 = buf[i] + k * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	return 2.0 * sqrt(s1 * s1 + s2 * s2 - k * s1 * s2) / n;
}

/* Runs TICKS ticks: member i < talkers sends freqs[i] at amps[i]; the
 * others send silence. heard[i] collects what member i heard. */
static void run(struct mix *mx, struct mix_member *m, int count,
		int talkers, const double *amps, int16_t heard[][N * TICKS])
{
	struct mix_member *p[8];

	for (int i = 0; i < count; i++)
		p[i] = &m[i];
	for (int t = 0; t < TICKS; t++) {
		for (int i = 0; i < count; i++) {
			if (i < talkers)
				tone_in(&m[i], t, freqs[i], amps[i]);
			else {
				memset(m[i].in, 0, sizeof(m[i].in));
				m[i].have_in = 1;
			}
		}
		mix_run(mx, p, count, NULL);
		for (int i = 0; i < count; i++)
			memcpy(heard[i] + t * N, m[i].out, sizeof(int16_t) * N);
	}
}

static void test_n_minus_one(void **state)
{
	struct mix mx;
	struct mix_member m[4];
	static int16_t heard[4][N * TICKS];
	const double amps[] = {4000, 4000, 4000};

	(void)state;
	assert_int_equal(mix_init(&mx, N), 0);
	for (int i = 0; i < 4; i++)
		member(&m[i]);
	run(&mx, m, 4, 3, amps, heard);
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 3; j++) {
			double a = amp_of(heard[i], N * TICKS, freqs[j]);
			if (i == j)
				assert_true(a < 40);	/* not its own */
			else
				assert_true(fabs(a - 4000) < 200);
		}
		assert_int_equal(m[i].speaking, 1);
	}
	/* The listener who says nothing hears all three. */
	for (int j = 0; j < 3; j++)
		assert_true(fabs(amp_of(heard[3], N * TICKS, freqs[j]) - 4000) <
			    200);
	assert_int_equal(m[3].speaking, 0);
}

static void test_mute_and_gain(void **state)
{
	struct mix mx;
	struct mix_member m[3];
	static int16_t heard[3][N * TICKS];
	const double amps[] = {4000, 4000};

	(void)state;
	assert_int_equal(mix_init(&mx, N), 0);
	for (int i = 0; i < 3; i++)
		member(&m[i]);
	m[0].muted = 1;
	m[1].talk_gain = MIX_GAIN_UNITY / 2;
	m[2].listen_gain = MIX_GAIN_UNITY * 2;
	run(&mx, m, 3, 2, amps, heard);
	/* Nobody hears the muted member; its own speaker is heard. */
	assert_true(amp_of(heard[2], N * TICKS, freqs[0]) < 40);
	assert_true(amp_of(heard[1], N * TICKS, freqs[0]) < 40);
	assert_true(fabs(amp_of(heard[0], N * TICKS, freqs[1]) - 2000) < 150);
	/* Member 2 listens twice as loud: 1's tone at 2 x 2000. */
	assert_true(fabs(amp_of(heard[2], N * TICKS, freqs[1]) - 4000) < 250);
	assert_int_equal(m[0].speaking, 0);
}

static void test_clip(void **state)
{
	struct mix mx;
	struct mix_member m[3];
	static int16_t heard[3][N * TICKS];
	const double amps[] = {30000, 30000};
	int prev = 0;

	(void)state;
	/* Soft clip: odd, monotone, never past full scale. */
	assert_int_equal(mix_clip(1000), 1000);
	assert_int_equal(mix_clip(-1000), -1000);
	for (int32_t x = 0; x <= 200000; x += 7) {
		int y = mix_clip(x);
		assert_true(y >= prev);
		assert_true(y <= 32767);
		assert_int_equal(mix_clip(-x), -y);
		prev = y;
	}
	assert_true(mix_clip(40000) > 29000);
	assert_true(mix_clip(1 << 30) <= 32767);
	/* Two loud talkers heard by a third: peaks stay on the right side
	 * of zero where both tones push the same way. */
	assert_int_equal(mix_init(&mx, N), 0);
	for (int i = 0; i < 3; i++)
		member(&m[i]);
	run(&mx, m, 3, 2, amps, heard);
	for (int t = 0; t < N * TICKS; t++) {
		int a = (int)lrint(30000 * sin(2.0 * M_PI * 500 * t / RATE));
		int b = (int)lrint(30000 * sin(2.0 * M_PI * 900 * t / RATE));
		if (a + b > 40000)
			assert_true(heard[2][t] > 24576);
		if (a + b < -40000)
			assert_true(heard[2][t] < -24576);
	}
}

static void test_selection(void **state)
{
	struct mix mx;
	struct mix_member m[7], *p[7];
	int16_t quiet[N] = {0};

	(void)state;
	assert_int_equal(mix_init(&mx, N), 0);
	for (int i = 0; i < 7; i++) {
		member(&m[i]);
		p[i] = &m[i];
	}
	/* Six talk at rising levels, one is silent: the four loudest are
	 * summed, the rest not. */
	for (int t = 0; t < TICKS; t++) {
		for (int i = 0; i < 6; i++)
			tone_in(&m[i], t, freqs[i], 1000.0 * (i + 1));
		memcpy(m[6].in, quiet, sizeof(quiet));
		m[6].have_in = 1;
		assert_int_equal(mix_run(&mx, p, 7, NULL), MIX_SPEAKERS);
	}
	for (int i = 0; i < 7; i++)
		assert_int_equal(m[i].speaking, i >= 2 && i < 6);
	/* The silent one hears the four, not the two quietest. */
	assert_true(amp_of(m[6].out, N, freqs[0]) < 100);
	assert_true(amp_of(m[6].out, N, freqs[5]) > 5000);
	/* A speaker who stops keeps the floor through the hangover, then
	 * loses it; nobody sending anything counts as silence. */
	for (int i = 0; i < 6; i++)
		m[i].have_in = 0;
	tone_in(&m[5], TICKS, freqs[5], 6000);
	assert_int_equal(mix_run(&mx, p, 7, NULL), 1);
	m[5].have_in = 0;
	for (int t = 0; t < 10; t++)
		mix_run(&mx, p, 7, NULL);
	assert_int_equal(m[5].speaking, 0); /* no input: not summed */
	memset(m[5].in, 0, sizeof(m[5].in));
	m[5].have_in = 1;
	mix_run(&mx, p, 7, NULL);
	assert_int_equal(m[5].speaking, 1); /* silent, but in hangover */
	for (int t = 0; t < 20; t++)
		mix_run(&mx, p, 7, NULL);
	assert_int_equal(m[5].speaking, 0);
}

static void test_extra(void **state)
{
	struct mix mx;
	struct mix_member m[2], *p[2] = {&m[0], &m[1]};
	int16_t beep[N];

	(void)state;
	assert_int_equal(mix_init(&mx, N), 0);
	assert_int_equal(mix_init(&mx, 0), -EINVAL);
	assert_int_equal(mix_init(&mx, MIX_MAX_FRAME + 1), -EINVAL);
	assert_int_equal(mix_init(&mx, N), 0);
	member(&m[0]);
	member(&m[1]);
	for (int i = 0; i < N; i++)
		beep[i] = (int16_t)lrint(3000 * sin(2.0 * M_PI * 1000 * i / RATE));
	tone_in(&m[0], 0, 500, 4000);
	m[1].have_in = 0;
	mix_run(&mx, p, 2, beep);
	/* Everyone hears the tone, the speaker too. */
	assert_true(fabs(amp_of(m[0].out, N, 1000) - 3000) < 300);
	assert_true(fabs(amp_of(m[1].out, N, 1000) - 3000) < 300);
	assert_true(amp_of(m[0].out, N, 500) < 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_n_minus_one),
		cmocka_unit_test(test_mute_and_gain),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_extra),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
