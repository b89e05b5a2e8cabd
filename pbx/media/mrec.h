/* mrec.h - a call's recording: both parties mixed into one WAV, written by a
 * thread of its own so that no media worker ever touches the disk. */
#ifndef ONDO_MREC_H
#define ONDO_MREC_H

#include <stdint.h>

struct mrec;

/* Who hears of a recording that fails (the file cannot be made, the disk
 * fills up): fn(ctx, key, err) runs once, on the writer thread, so it
 * must only hand the news on (sip_post). Copied by mrec_start. */
struct mrec_notify {
	void (*fn)(void *ctx, uint64_t key, int err);
	void *ctx;
	uint64_t key;
};

/* Starts the writer thread for a 16-bit mono WAV at `rate` that will be
 * final_path (its folder is created; the file appears under that name
 * only when complete: recorder.h); nf may be NULL. Returns 0, -ENOMEM or
 * the thread's errno. The recording is ended by mrec_stop(), and only
 * so. */
int mrec_start(struct mrec **rp, const char *final_path, int rate,
	       const struct mrec_notify *nf);
/* Worker side: queues n samples; never blocks. When the writer falls
 * behind by more than MREC_QUEUE_MS, the newest audio is dropped and
 * counted (logged at the end) rather than the tick delayed. */
void mrec_push(struct mrec *r, const int16_t *pcm, int n);
/* Any thread: the writer drains the queue, completes the file (fsync,
 * rename) and frees everything itself. r must not be used afterwards. */
void mrec_stop(struct mrec *r);

/* Waits up to timeout_ms for every stopped recording to be complete on
 * disk (the daemon's exit); returns how many are still being written. */
int mrec_wait_all(int timeout_ms);

#define MREC_QUEUE_MS 4000

#endif
