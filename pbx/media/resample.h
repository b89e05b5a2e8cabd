/* resample.h - sample-rate conversion of mono 16-bit audio (speexdsp). */
#ifndef ONDO_RESAMPLE_H
#define ONDO_RESAMPLE_H

#include <stdint.h>

struct resampler;

/*
 * Allocates a converter from in_rate to out_rate (Hz, 1000..384000; legs use
 * 8000 and 16000, uploaded files anything). When the rates are equal it only
 * copies. Caller frees with resample_free(). Returns 0, -EINVAL for a bad
 * rate, -ENOMEM.
 */
int resample_alloc(struct resampler **rp, int in_rate, int out_rate);

/* Frees r and its filter state; NULL is allowed. */
void resample_free(struct resampler *r);

/*
 * The most samples resample_process() can write for n_in input samples:
 * n_in * out_rate / in_rate rounded up, plus 2 for the filter's phase.
 * Size the out buffer with this.
 */
int resample_out_max(const struct resampler *r, int n_in);

/*
 * Converts n_in samples from in and writes the result to out. It always
 * consumes all of in; the filter keeps a few ms of history, so the output
 * lags the input by that much (nothing is dropped; see resample_flush() and
 * resample_skip_delay()). Returns the number of samples written (about n_in *
 * out_rate / in_rate), -EINVAL for bad arguments, or -ENOBUFS when max_out is
 * smaller than resample_out_max(r, n_in) (then nothing was consumed).
 */
int resample_process(struct resampler *r, const int16_t *in, int n_in,
		     int16_t *out, int max_out);

/*
 * Drops the filter's start-up delay, now and after every reset, so the
 * output lines up with the input: for a whole file, ended with
 * resample_flush(), which then comes out at exactly its length at the new
 * rate. A stream converted a frame at a time is better without it: then the
 * output lags by resample_delay() and every 20 ms frame converts to exactly
 * one 20 ms frame.
 */
void resample_skip_delay(struct resampler *r);

/*
 * How many input samples the filter holds back (0 when only copying): what
 * resample_flush() pushes out at the end of a stream.
 */
int resample_delay(const struct resampler *r);

/*
 * Ends a stream: writes the output still held in the filter (about
 * resample_delay() * out_rate / in_rate samples) to out and resets r.
 * Without resample_skip_delay() that is more than the stream's length: the
 * tail of the signal after the start-up delay. Size
 * out with resample_out_max(r, resample_delay(r)). Returns the number
 * written, -EINVAL, or -ENOBUFS.
 */
int resample_flush(struct resampler *r, int16_t *out, int max_out);

/* Forgets the history, e.g. before playing a file from the start again. */
void resample_reset(struct resampler *r);

#endif
