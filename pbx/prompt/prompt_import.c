/* prompt_import.c - a sound file made into a tenant's prompt: checked as
 * audio, converted to 16-bit mono 16 kHz WAV, put in place only whole. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "media/player.h"
#include "media/recorder.h"
#include "prompt/prompt.h"

/* The resampler may round a file of exactly the limit up by a few
 * samples; one 20 ms frame of slack keeps "10:00" accepted. */
#define MAX_SAMPLES ((int64_t)PROMPT_MAX_SEC * PROMPT_RATE + PROMPT_RATE / 50)
#define CHUNK	    (PROMPT_RATE / 50)
#define DIR_MODE    0750

/* Why `src`, called `what` for the admin, is not a prompt, from
 * player_open's error and its sentence `pw`, "cannot play SRC: REASON". */
static void source_why(int err, const char *src, const char *what,
		       const char *pw, char *why, size_t len)
{
	size_t n = strlen(src);
	struct stat st;

	switch (err) {
	case -ENOENT:
		snprintf(why, len, "no file %s", what);
		break;
	case -EACCES:
		snprintf(why, len, "cannot read %s: permission denied", what);
		break;
	case -EISDIR:
		snprintf(why, len, "%s is a folder, not an audio file", what);
		break;
	case -EINVAL:
		snprintf(why, len, "%s is not an audio file", what);
		break;
	case -ENODATA:
		if (!stat(src, &st) && st.st_size == 0)
			snprintf(why, len, "%s is empty, not an audio file",
				 what);
		else
			snprintf(why, len, "%s has no audio in it", what);
		break;
	default:
		/* e.g. more than two channels: keep the player's reason. */
		if (!strncmp(pw, "cannot play ", 12) &&
		    !strncmp(pw + 12, src, n) && !strncmp(pw + 12 + n, ": ", 2))
			snprintf(why, len, "cannot use %s%s", what,
				 pw + 12 + n);
		else
			snprintf(why, len, "%s", pw);
	}
}

/* Converts what `p` plays into a new `path`. *samples gets the length.
 * 0 or -errno with `why`; on error nothing is left at `path`. */
static int convert(struct player *p, const char *what, const char *path,
		   int64_t *samples, char *why, size_t len)
{
	struct recorder *r;
	int16_t pcm[CHUNK];
	int64_t total = 0;
	int n, err;

	err = recorder_open(&r, path, PROMPT_RATE, why, len);
	if (err)
		return err;
	while ((n = player_read(p, pcm, CHUNK)) > 0) {
		total += n;
		if (total > MAX_SAMPLES) {
			recorder_abort(r);
			snprintf(why, len, "%s is longer than %d minutes", what,
				 PROMPT_MAX_SEC / 60);
			return -EMSGSIZE;
		}
		err = recorder_write(r, pcm, n);
		if (err) {
			recorder_abort(r);
			snprintf(why, len, "cannot write %s: %s", path,
				 strerror(-err));
			return err;
		}
	}
	/* fsync and rename: the daemon sees the old file or the whole new
	 * one, never part of it. */
	err = recorder_finish(r, samples);
	if (err)
		snprintf(why, len, "cannot store %s: %s", path, strerror(-err));
	return err;
}

int prompt_import(const char *spool, const char *domain, const char *id,
		  const char *src, const char *what, int64_t *samples,
		  bool *replaced, char *why, size_t whylen)
{
	char dir[PATH_MAX], path[PATH_MAX], pw[PATH_MAX + 128];
	struct player *p = NULL;
	struct stat st;
	int64_t n = 0;
	int err;

	if (!spool || !domain || !id || !src || !what || !why || !whylen)
		return -EINVAL;
	if ((err = prompt_dir(dir, sizeof(dir), spool, domain)) ||
	    (err = prompt_path(path, sizeof(path), spool, domain, id))) {
		snprintf(why, whylen, "invalid prompt id '%s' (%s)", id,
			 PROMPT_ID_RULE);
		return err;
	}
	/* Checked before anything is created: a bad file leaves no empty
	 * folders behind. */
	err = player_open(&p, src, PROMPT_RATE, pw, sizeof(pw));
	if (err) {
		source_why(err, src, what, pw, why, whylen);
		return err;
	}
	err = fs_mkdirs(dir, DIR_MODE, 0);
	if (err)
		snprintf(why, whylen, "cannot create the folder %s: %s", dir,
			 strerror(-err));
	if (!err && replaced)
		*replaced = stat(path, &st) == 0;
	if (!err)
		err = convert(p, what, path, &n, why, whylen);
	player_close(p);
	if (!err && samples)
		*samples = n;
	return err;
}

static int write_all(int fd, const char *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

int prompt_import_mem(const char *spool, const char *domain, const char *id,
		      const void *buf, size_t len, int64_t *samples,
		      bool *replaced, char *why, size_t whylen)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	int fd, err;

	if (!spool || !domain || !id || (!buf && len) || !why || !whylen)
		return -EINVAL;
	if (!db_valid_prompt(id) ||
	    prompt_dir(dir, sizeof(dir), spool, domain) ||
	    snprintf(tmp, sizeof(tmp), "%s/.upload-XXXXXX", dir) >=
		(int)sizeof(tmp)) {
		snprintf(why, whylen, "invalid prompt id '%s' (%s)", id,
			 PROMPT_ID_RULE);
		return -EINVAL;
	}
	/* An empty body is refused before a folder is made for it. */
	if (!len) {
		snprintf(why, whylen, "the upload is empty, not an audio file");
		return -ENODATA;
	}
	/* The player reads files: the bytes go beside the prompt, on the
	 * disk the prompt goes to, and never count as one (a dot name). */
	err = fs_mkdirs(dir, DIR_MODE, 0);
	if (err) {
		snprintf(why, whylen, "cannot create the folder %s: %s", dir,
			 strerror(-err));
		return err;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, whylen, "cannot create %s: %s", tmp,
			 strerror(errno));
		return err;
	}
	err = write_all(fd, buf, len);
	if (close(fd) && !err)
		err = -errno;
	if (err)
		snprintf(why, whylen, "cannot write %s: %s", tmp,
			 strerror(-err));
	else
		err = prompt_import(spool, domain, id, tmp, "the upload",
				    samples, replaced, why, whylen);
	unlink(tmp);
	return err;
}
