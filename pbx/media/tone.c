/* tone.c - call progress tones: SpanDSP tone_gen at 8 kHz, DDS at 16 kHz. */
#include <errno.h>
#include <stdlib.h>
#include <spandsp.h>

#include "media/tone.h"

#define TONE_LEVEL -13 /* dBm0: E.180 allows -10 to -20 */

struct tone_def {
	int freq;   /* Hz */
	int on_ms;  /* tone */
	int off_ms; /* silence after it; 0 for a continuous tone */
	int repeat;
};

static const struct tone_def defs[TONE_COUNT] = {
    [TONE_RINGBACK] = {425, 1000, 4000, 1},
    [TONE_BUSY] = {425, 500, 500, 1},
    [TONE_BEEP] = {1000, 250, 0, 0},
    [TONE_DIAL] = {425, 1000, 0, 1}, /* 1 s sections, back to back */
    [TONE_CONGESTION] = {425, 250, 250, 1},
};

/*
 * SpanDSP 0.0.6 tone_gen is fixed at 8 kHz (SAMPLE_RATE in telephony.h
 * sets both its phase steps and its ms-to-samples conversion). At 16 kHz
 * this file runs the same cadence itself and takes each sample from
 * SpanDSP's DDS oscillator, the one tone_gen uses, at half the phase step:
 * a clean 16 kHz sine, where upsampling the 8 kHz output would leave an
 * image near 7.6 kHz.
 */
struct tone {
	const struct tone_def *def;
	int rate;
	tone_gen_state_t *tg; /* 8 kHz */
	/* 16 kHz */
	uint32_t phase;
	int32_t phase_rate;
	int16_t scale;
	int section; /* 0: on, 1: off, -1: done */
	int pos;     /* samples into the section */
	int len[2];  /* section lengths in samples */
};

int tone_alloc(struct tone **tp, enum tone_kind kind, int rate)
{
	const struct tone_def *def;
	tone_gen_descriptor_t *desc;
	struct tone *t;

	if (!tp || (int)kind < 0 || kind >= TONE_COUNT ||
	    (rate != 8000 && rate != 16000))
		return -EINVAL;
	def = &defs[kind];
	/* Caller frees with tone_free(). */
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->def = def;
	t->rate = rate;
	if (rate == 8000) {
		desc = tone_gen_descriptor_init(NULL, def->freq, TONE_LEVEL, 0,
						0, def->on_ms, def->off_ms, 0,
						0, def->repeat);
		if (desc)
			t->tg = tone_gen_init(NULL, desc);
		/* tone_gen_init copies what it needs from the descriptor. */
		if (desc)
			tone_gen_descriptor_free(desc);
		if (!t->tg) {
			free(t);
			return -ENOMEM;
		}
	} else {
		t->phase_rate = dds_phase_rate((float)def->freq * 8000 / rate);
		t->scale = dds_scaling_dbm0((float)TONE_LEVEL);
		t->len[0] = def->on_ms * rate / 1000;
		t->len[1] = def->off_ms * rate / 1000;
	}
	*tp = t;
	return 0;
}

static int fill16k(struct tone *t, int16_t *pcm, int n)
{
	int i = 0, run, k;

	while (i < n && t->section >= 0) {
		run = t->len[t->section] - t->pos;
		if (run > n - i)
			run = n - i;
		for (k = 0; k < run; k++)
			pcm[i + k] = t->section
					 ? 0
					 : dds_mod(&t->phase, t->phase_rate,
						   t->scale, 0);
		i += run;
		t->pos += run;
		if (t->pos < t->len[t->section])
			continue;
		t->pos = 0;
		if (t->section == 0 && t->len[1])
			t->section = 1;
		else if (t->def->repeat)
			t->section = 0;
		else
			t->section = -1;
	}
	return i;
}

int tone_fill(struct tone *t, int16_t *pcm, int n)
{
	if (!t || !pcm || n <= 0)
		return 0;
	if (t->tg)
		return tone_gen(t->tg, pcm, n);
	return fill16k(t, pcm, n);
}

void tone_free(struct tone *t)
{
	if (!t)
		return;
	if (t->tg)
		tone_gen_free(t->tg);
	free(t);
}
