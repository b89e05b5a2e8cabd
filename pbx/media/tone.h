/* tone.h - call progress tones (ringback, busy, dial, ...) and a beep. */
#ifndef ONDO_TONE_H
#define ONDO_TONE_H

#include <stdint.h>

/*
 * European/ITU-T E.180 style defaults, one table in tone.c (a per-tenant
 * country table can replace it later), all at -13 dBm0:
 *   RINGBACK    425 Hz, 1 s on, 4 s off, repeating
 *   BUSY        425 Hz, 0.5 s on, 0.5 s off, repeating
 *   DIAL        425 Hz, continuous
 *   CONGESTION  425 Hz, 0.25 s on, 0.25 s off, repeating
 *   BEEP        1000 Hz, 250 ms, once (voicemail "record after the beep")
 */
enum tone_kind {
	TONE_RINGBACK,
	TONE_BUSY,
	TONE_BEEP,
	TONE_DIAL,
	TONE_CONGESTION,
	TONE_COUNT
};

/* A tone generator, owned by one media worker thread. */
struct tone;

/* Allocates a generator of `kind` at `rate` (8000 or 16000), starting at
 * the beginning of its cadence. Caller frees with tone_free().
 * Returns 0, -EINVAL or -ENOMEM. */
int tone_alloc(struct tone **tp, enum tone_kind kind, int rate);
/* Writes the next n samples. Returns n while the tone plays (silent parts
 * of a cadence included); a finite tone (BEEP) returns fewer at its end,
 * then 0, and leaves the rest of pcm untouched. */
int tone_fill(struct tone *t, int16_t *pcm, int n);
void tone_free(struct tone *t);

#endif
