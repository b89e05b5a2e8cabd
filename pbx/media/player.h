/* player.h - plays a sound file as 16-bit mono frames at a leg's rate. */
#ifndef ONDO_PLAYER_H
#define ONDO_PLAYER_H

#include <stddef.h>
#include <stdint.h>

struct player;

/*
 * Opens the sound file at path for playing at rate (8000 or 16000 Hz). Any
 * file libsndfile reads will do: WAV with PCM, u-law, A-law or GSM 6.10,
 * FLAC, OGG; mono or stereo (mixed down); any sample rate (resampled). The
 * path is borrowed. On failure err gets a sentence for an admin, e.g.
 * "cannot play /x.wav: no such file", and nothing is allocated.
 * Caller frees *pp with player_close(). Returns 0, or -EINVAL for bad
 * arguments or a file that is not audio, -ENOENT, -EACCES, -EISDIR,
 * -ENODATA for a file with no audio in it, -ENOTSUP for more than two
 * channels, -ENOMEM.
 *
 * It reads the file (an open and a header read) on the calling thread.
 */
int player_open(struct player **pp, const char *path, int rate, char *err,
		size_t errlen);

/*
 * Fills pcm with up to n samples at the player's rate. Returns n until the
 * end of the file, then fewer (nothing is padded), then 0; -EINVAL for bad
 * arguments. A read error in the middle of a file ends it early.
 */
int player_read(struct player *p, int16_t *pcm, int n);

/* Starts again from the beginning, e.g. to loop music on hold. 0 or -EIO. */
int player_rewind(struct player *p);

/* Closes the file and frees p; NULL is allowed. */
void player_close(struct player *p);

#endif
