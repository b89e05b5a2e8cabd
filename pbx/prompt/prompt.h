/* prompt.h - a tenant's own prompts, the files
 * SPOOL/tenants/DOMAIN/prompts/ID.wav: stored, listed and deleted the
 * same way by ondoctl and the REST API. */
#ifndef ONDO_PROMPT_H
#define ONDO_PROMPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/*
 * An upload is converted once, on upload, to 16-bit mono WAV at 16 kHz:
 * the player resamples at play time, so one file serves 8 and 16 kHz
 * legs, and a call never pays for decoding an OGG or mixing down stereo.
 */
#define PROMPT_RATE    16000
#define PROMPT_MAX_SEC 600 /* 10 minutes */
#define PROMPT_ID_RULE "a-z, 0-9 and _, at most 63 characters"
#define PROMPT_ID_LEN  DB_IVR_PROMPT_LEN

struct prompt_info {
	char id[PROMPT_ID_LEN];
	double seconds;	  /* -1 if the file does not read as audio */
	int64_t bytes;	  /* of the stored WAV */
	int64_t uploaded; /* its modification time, seconds since the epoch */
};

/* SPOOL/tenants/DOMAIN/prompts into `out`. `domain` is the stored,
 * lower-case one: the folder the daemon looks in. 0 or -ENAMETOOLONG. */
int prompt_dir(char *out, size_t len, const char *spool, const char *domain);

/* The file of prompt `id` into `out`. 0, -EINVAL for an id that is not
 * a prompt id (never a path), -ENAMETOOLONG. */
int prompt_path(char *out, size_t len, const char *spool, const char *domain,
		const char *id);

/*
 * Converts the sound file `src` (anything player_open reads) into prompt
 * `id` of `domain`, creating its folder (mode 0750) once the file has
 * proved to be audio. The new file is written beside the old one, fsynced
 * and renamed over it: a call plays the old prompt or the whole new one.
 * `what` names the source in `why` ("/tmp/x.wav", "the upload"); `why`
 * always gets a sentence for an admin on failure. *samples (may be NULL)
 * gets the length at PROMPT_RATE, *replaced (may be NULL) whether a
 * prompt of that id was there. Returns 0; for a source that is not
 * usable -EINVAL (not audio; also a bad id or argument: check the id
 * first), -ENODATA (empty, no audio), -ENOTSUP (more than two channels,
 * an odd rate), -EMSGSIZE (longer than PROMPT_MAX_SEC), -ENOENT, -EACCES,
 * -EISDIR; for the store -ENOSPC, -EDQUOT, -EIO, ... Blocks on the disk:
 * not for the SIP thread or a media worker.
 */
int prompt_import(const char *spool, const char *domain, const char *id,
		  const char *src, const char *what, int64_t *samples,
		  bool *replaced, char *why, size_t whylen);

/* prompt_import of `len` bytes at `buf` (borrowed), e.g. an HTTP body:
 * they go to a temporary file in the prompt folder first, deleted
 * afterwards. The same returns. */
int prompt_import_mem(const char *spool, const char *domain, const char *id,
		      const void *buf, size_t len, int64_t *samples,
		      bool *replaced, char *why, size_t whylen);

/* What is known of prompt `id` into *info: 0, -EINVAL (bad id or no
 * info), -ENOENT. */
int prompt_stat(const char *spool, const char *domain, const char *id,
		struct prompt_info *info);

/* Calls fn for each prompt of `domain` in id order (a folder not made
 * yet has none). Files that are not ID.wav with a valid id, such as a
 * half-written upload, are skipped. Stops at fn's first non-zero return
 * and returns it; else 0, or -errno if the folder cannot be read. */
int prompt_list(const char *spool, const char *domain,
		int (*fn)(const struct prompt_info *info, void *arg),
		void *arg);

/* Deletes prompt `id` (callers hear the stock one again). 0, -EINVAL
 * (bad id), -ENOENT (none of the tenant's own), -errno. */
int prompt_delete(const char *spool, const char *domain, const char *id);

#endif
