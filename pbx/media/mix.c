/* mix.c - the conference mix of one tick (see mix.h). */
#include <errno.h>
#include <string.h>

#include "media/mix.h"

#define CLIP_KNEE 24576	 /* below this a sample passes unchanged */
#define HANG_TICKS 15	 /* 300 ms: a pause between words keeps the floor */
#define FLOOR_RMS 180	 /* about -45 dBFS: quieter is line noise */

int16_t mix_clip(int32_t x)
{
	int32_t a = x < 0 ? -x : x, over, room = 32767 - CLIP_KNEE;

	if (a <= CLIP_KNEE)
		return (int16_t)x;
	/* Past the knee the curve flattens toward full scale: a peak twice
	 * too loud still stays under it, with no wrap-around click. */
	over = a - CLIP_KNEE;
	a = CLIP_KNEE + (int32_t)((int64_t)over * room / (over + room));
	return (int16_t)(x < 0 ? -a : a);
}

int mix_init(struct mix *mx, int n)
{
	if (!mx || n <= 0 || n > MIX_MAX_FRAME)
		return -EINVAL;
	memset(mx, 0, sizeof(*mx));
	mx->n = n;
	mx->floor = (int64_t)FLOOR_RMS * FLOOR_RMS;
	return 0;
}

void mix_member_init(struct mix_member *mm)
{
	mm->have_in = 0;
	mm->speaking = 0;
	mm->level = 0;
	mm->hang = 0;
	mm->out = mm->own;
	memset(mm->own, 0, sizeof(mm->own));
}

/* Energy per sample of what the member says this tick (after its gain). */
static void measure(struct mix *mx, struct mix_member *m)
{
	int64_t e = 0;

	if (!m->have_in || m->muted || m->talk_gain <= 0) {
		e = 0;
	} else {
		for (int i = 0; i < mx->n; i++)
			e += (int32_t)m->in[i] * m->in[i];
		e /= mx->n;
		e = e * m->talk_gain / MIX_GAIN_UNITY * m->talk_gain /
		    MIX_GAIN_UNITY;
	}
	if (e >= mx->floor)
		m->hang = HANG_TICKS;
	else if (m->hang > 0)
		m->hang--;
	/* Smoothed over about 8 ticks, so one loud click does not take the
	 * floor from someone talking. */
	m->level += (e - m->level) / 8;
}

/* Picks up to MIX_SPEAKERS active members by level; those who spoke last
 * tick count double, so the floor does not flap between close voices. */
static int choose(struct mix_member **mm, int count,
		  struct mix_member **sel)
{
	int64_t score[MIX_SPEAKERS];
	int k = 0;

	for (int i = 0; i < count; i++) {
		struct mix_member *m = mm[i];
		int64_t s;
		int j;

		if (m->hang <= 0 || m->muted || !m->have_in)
			continue;
		s = m->level * (m->speaking ? 2 : 1) + 1;
		if (k == MIX_SPEAKERS && s <= score[k - 1])
			continue;
		j = k < MIX_SPEAKERS ? k++ : k - 1;
		for (; j > 0 && score[j - 1] < s; j--) {
			score[j] = score[j - 1];
			sel[j] = sel[j - 1];
		}
		score[j] = s;
		sel[j] = m;
	}
	return k;
}

/* What member m hears: the sum without its own voice if it is a speaker,
 * at its listening gain. */
static void hear(struct mix *mx, struct mix_member *m, const int16_t *extra)
{
	int n = mx->n, g = m->listen_gain;

	if (!m->speaking && g == MIX_GAIN_UNITY) {
		m->out = mx->shared;
		return;
	}
	for (int i = 0; i < n; i++) {
		int32_t v = mx->sum[i];
		if (m->speaking)
			v -= (int32_t)m->in[i] * m->talk_gain / MIX_GAIN_UNITY;
		if (extra)
			v += extra[i];
		if (g != MIX_GAIN_UNITY)
			v = (int32_t)((int64_t)v * g / MIX_GAIN_UNITY);
		m->own[i] = mix_clip(v);
	}
	m->out = m->own;
}

int mix_run(struct mix *mx, struct mix_member **mm, int count,
	    const int16_t *extra)
{
	struct mix_member *sel[MIX_SPEAKERS];
	int k, n = mx->n;

	for (int i = 0; i < count; i++)
		measure(mx, mm[i]);
	k = choose(mm, count, sel);
	for (int i = 0; i < count; i++)
		mm[i]->speaking = 0;
	memset(mx->sum, 0, sizeof(int32_t) * (size_t)n);
	for (int j = 0; j < k; j++) {
		const int16_t *in = sel[j]->in;
		int g = sel[j]->talk_gain;
		sel[j]->speaking = 1;
		if (g == MIX_GAIN_UNITY)
			for (int i = 0; i < n; i++)
				mx->sum[i] += in[i];
		else
			for (int i = 0; i < n; i++)
				mx->sum[i] += (int32_t)in[i] * g /
					      MIX_GAIN_UNITY;
	}
	for (int i = 0; i < n; i++)
		mx->shared[i] =
		    mix_clip(mx->sum[i] + (extra ? extra[i] : 0));
	for (int i = 0; i < count; i++)
		hear(mx, mm[i], extra);
	return k;
}
