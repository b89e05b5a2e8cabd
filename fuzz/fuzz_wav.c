/* fuzz_wav.c - libFuzzer target: an uploaded sound file (a greeting PUT
 * through the REST API, a prompt given to ondoctl, a recording in the
 * spool), read as the PBX reads it: vm_wav_ms() (the greeting check),
 * player_open() (every check on what libsndfile reports: channels, rate,
 * length), player_read() to the end through the resampler, and
 * player_rewind(). libsndfile itself is the system's, uninstrumented: the
 * coverage that guides this run is ours, but ASan still sees our buffers.
 *
 * Input: the file's bytes (read from memory through /proc/self/fd). */
#include "fuzz/fuzz_util.h"
#include "media/player.h"
#include "vm/vm_priv.h" /* vm_wav_ms: the greeting upload check */

#define CHUNK	    480
#define MAX_SECONDS 120 /* a bound on the work per input, not a check */

static void play(const char *path, int rate)
{
	struct player *p = NULL;
	int16_t pcm[CHUNK];
	long total = 0;
	char err[256];
	int n, rc;

	rc = player_open(&p, path, rate, err, sizeof(err));
	FUZZ_CHECK(memchr(err, '\0', sizeof(err)), "error not terminated");
	if (rc) {
		FUZZ_CHECK(!p && err[0], "failure %d without a reason", rc);
		return;
	}
	while ((n = player_read(p, pcm, CHUNK)) > 0 &&
	       total < (long)MAX_SECONDS * rate) {
		FUZZ_CHECK(n <= CHUNK, "read %d samples of %d", n, CHUNK);
		total += n;
	}
	FUZZ_CHECK(n >= 0, "player_read returned %d", n);
	if (player_rewind(p) == 0) {
		n = player_read(p, pcm, CHUNK);
		FUZZ_CHECK(n >= 0 && n <= CHUNK, "read %d after a rewind", n);
	}
	player_close(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_memfile(data, size, path, sizeof(path));

	(void)vm_wav_ms(path);
	play(path, size & 1 ? 16000 : 8000);
	close(fd);
	return 0;
}
