/* recorder.h - records a leg to a WAV file that appears only when complete. */
#ifndef ONDO_RECORDER_H
#define ONDO_RECORDER_H

#include <stddef.h>
#include <stdint.h>

struct recorder;

/*
 * Starts recording 16-bit mono WAV at rate (Hz) for final_path. The audio
 * goes to final_path + ".part-XXXXXX" in the same folder (mode 0600), which
 * recorder_finish() renames, so no reader ever sees a half-written file
 * under the final name. The folder must exist. final_path is copied.
 * On failure err gets a sentence for an admin and nothing is left behind.
 * Caller ends *rp with recorder_finish() or recorder_abort(). Returns 0,
 * -EINVAL, -ENOMEM, or the errno of creating the file (-ENOENT, -EACCES,
 * -ENOSPC...).
 */
int recorder_open(struct recorder **rp, const char *final_path, int rate,
		  char *err, size_t errlen);

/*
 * Appends n samples. Returns 0, or -ENOSPC (-EDQUOT, -EFBIG, -EIO) when the
 * disk is full: what was written before stays and is kept by
 * recorder_finish(), and every later write returns the same error without
 * writing, so the recording never has a hole in it.
 *
 * This is a write(2) into the page cache, normally microseconds; under heavy
 * writeback it can block, so prefer calling it off the media tick.
 */
int recorder_write(struct recorder *r, const int16_t *pcm, int n);

/*
 * Completes the WAV header, flushes the file to disk, renames it to
 * final_path (replacing any file there) and flushes the folder. Sets
 * *nsamples (may be NULL) to the samples in the file. Frees r either way.
 * Returns 0; or a negative errno, and then the audio stays in the .part file
 * for an admin to rescue rather than being deleted. It waits for the disk
 * (fsync): do not call it on a media worker.
 */
int recorder_finish(struct recorder *r, int64_t *nsamples);

/* Stops recording, deletes the temporary file and frees r; NULL allowed. */
void recorder_abort(struct recorder *r);

#endif
