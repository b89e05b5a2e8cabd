/* ctl_prompt.c - ondoctl prompt upload | list | del: a tenant's own prompts. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sndfile.h>

#include "media/player.h"
#include "media/recorder.h"
#include "ondoctl/ondoctl.h"
#include "core/fsutil.h"

/*
 * A tenant's prompt ID lives in SPOOL/tenants/DOMAIN/prompts/ID.wav, where
 * the daemon looks before the stock SOUNDS/RATE/ID.wav (chan_prompt_path).
 * An upload is converted once, here, to 16-bit mono WAV at 16 kHz: the
 * player resamples at play time, so one file serves 8 and 16 kHz legs, and
 * a call never pays for decoding an OGG or mixing down stereo.
 */

#define PROMPT_RATE    16000
#define PROMPT_MAX_SEC 600 /* 10 minutes */
/* The resampler may round a file of exactly the limit up by a few
 * samples; one 20 ms frame of slack keeps "10:00" accepted. */
#define PROMPT_MAX_SAMPLES                                                     \
	((int64_t)PROMPT_MAX_SEC * PROMPT_RATE + PROMPT_RATE / 50)
#define CHUNK	    (PROMPT_RATE / 50)
#define PROMPT_RULE "a-z, 0-9 and _, at most 63 characters"
#define DIR_MODE    0750
/* A prompt's folder (at most PATH_MAX) and "/ID.wav". */
#define PROMPT_PATH_LEN (PATH_MAX + DB_IVR_PROMPT_LEN + 8)

/* Looks up the tenant of `domain` and puts the folder of its prompts,
 * SPOOL/tenants/DOMAIN/prompts, into `dir`. OCTL_OK or OCTL_ERR
 * (printed). */
static int tenant_dir(struct octl *o, const char *domain, struct db_tenant *t,
		      char *dir, size_t len)
{
	int n;

	if (octl_tenant(o, domain, t))
		return OCTL_ERR;
	/* The stored domain, lower case: the folder the daemon looks in. */
	n = snprintf(dir, len, "%s/tenants/%s/prompts", o->conf.spool_dir,
		     t->domain);
	if (n < 0 || (size_t)n >= len)
		return octl_err("the spool folder %s is too long a path",
				o->conf.spool_dir);
	return OCTL_OK;
}

/* tenant_dir, then checks the prompt id and puts its file's name into
 * `path` (PROMPT_PATH_LEN). OCTL_OK or OCTL_ERR (printed). */
static int prompt_target(struct octl *o, const char *domain, const char *id,
			 struct db_tenant *t, char *dir, char *path)
{
	if (tenant_dir(o, domain, t, dir, PATH_MAX))
		return OCTL_ERR;
	if (!db_valid_prompt(id))
		return octl_err("invalid prompt id '%s' (%s)", id, PROMPT_RULE);
	snprintf(path, PROMPT_PATH_LEN, "%s/%s.wav", dir, id);
	return OCTL_OK;
}

/* One line for an admin on why `file` cannot be uploaded; `why` is
 * player_open's sentence, "cannot play FILE: REASON". */
static int bad_file(const char *file, int err, const char *why)
{
	size_t len = strlen(file);
	struct stat st;

	switch (err) {
	case -ENOENT:
		return octl_err("no file %s", file);
	case -EACCES:
		return octl_err("cannot read %s: permission denied", file);
	case -EISDIR:
		return octl_err("%s is a folder, not an audio file", file);
	case -EINVAL:
		return octl_err("%s is not an audio file", file);
	case -ENODATA:
		if (!stat(file, &st) && st.st_size == 0)
			return octl_err("%s is empty, not an audio file", file);
		return octl_err("%s has no audio in it", file);
	default:
		/* e.g. more than two channels: keep player_open's reason. */
		if (!strncmp(why, "cannot play ", 12) &&
		    !strncmp(why + 12, file, len) &&
		    !strncmp(why + 12 + len, ": ", 2))
			return octl_err("cannot use %s%s", file,
					why + 12 + len);
		return octl_err("%s", why);
	}
}

/* Converts what `p` plays into a new `path`. *samples gets the length.
 * OCTL_OK or OCTL_ERR (printed); on error nothing is left at `path`. */
static int convert(struct player *p, const char *file, const char *path,
		   int64_t *samples)
{
	struct recorder *r;
	int16_t pcm[CHUNK];
	int64_t total = 0;
	char why[256];
	int n, err;

	err = recorder_open(&r, path, PROMPT_RATE, why, sizeof(why));
	if (err)
		return octl_err("%s", why);
	while ((n = player_read(p, pcm, CHUNK)) > 0) {
		total += n;
		if (total > PROMPT_MAX_SAMPLES) {
			recorder_abort(r);
			return octl_err("%s is longer than %d minutes", file,
					PROMPT_MAX_SEC / 60);
		}
		err = recorder_write(r, pcm, n);
		if (err) {
			recorder_abort(r);
			return octl_err("cannot write %s: %s", path,
					strerror(-err));
		}
	}
	/* fsync and rename: the daemon sees the old file or the whole new
	 * one, never part of it. */
	err = recorder_finish(r, samples);
	if (err)
		return octl_err("cannot store %s: %s", path, strerror(-err));
	return OCTL_OK;
}

int octl_prompt_upload(struct octl *o, int argc, char **argv)
{
	char dir[PATH_MAX], path[PROMPT_PATH_LEN], why[PATH_MAX + 128];
	struct player *p = NULL;
	const char *id, *file;
	struct db_tenant t;
	struct stat st;
	int64_t samples = 0;
	int n, err, replaced, status;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	id = argv[1];
	file = argv[2];
	if (prompt_target(o, argv[0], id, &t, dir, path))
		return OCTL_ERR;
	/* Checked before anything is created: a bad file leaves no empty
	 * folders behind. */
	err = player_open(&p, file, PROMPT_RATE, why, sizeof(why));
	if (err)
		return bad_file(file, err, why);
	err = fs_mkdirs(dir, DIR_MODE, 0);
	if (err) {
		player_close(p);
		return octl_err("cannot create the folder %s: %s", dir,
				strerror(-err));
	}
	replaced = stat(path, &st) == 0;
	status = convert(p, file, path, &samples);
	player_close(p);
	if (status)
		return status;
	printf("prompt %s %s for %s (%.1f s)\n", id,
	       replaced ? "replaced" : "stored", t.domain,
	       (double)samples / PROMPT_RATE);
	return OCTL_OK;
}

/* Keeps ID.wav entries whose ID is a valid prompt id: not the recorder's
 * .part files, nor anything else put there by hand. */
static int is_prompt_file(const struct dirent *d)
{
	char id[DB_IVR_PROMPT_LEN];
	size_t len = strlen(d->d_name);

	if (len < 5 || len - 4 >= sizeof(id) ||
	    strcmp(d->d_name + len - 4, ".wav"))
		return 0;
	memcpy(id, d->d_name, len - 4);
	id[len - 4] = '\0';
	return db_valid_prompt(id);
}

/* Seconds of audio in `path` with one decimal, or "?" if it does not read
 * as audio (then the daemon plays the stock prompt instead). */
static void fmt_seconds(const char *path, char *out, size_t len)
{
	SF_INFO info = {0};
	SNDFILE *sf = sf_open(path, SFM_READ, &info);

	if (sf && info.samplerate > 0 && info.frames >= 0)
		snprintf(out, len, "%.1f",
			 (double)info.frames / info.samplerate);
	else
		snprintf(out, len, "?");
	if (sf)
		sf_close(sf);
}

static int add_row(struct octl_table *table, const char *dir, const char *name)
{
	char path[PROMPT_PATH_LEN], id[DB_IVR_PROMPT_LEN], secs[32], size[32],
	    when[32];
	struct stat st;
	struct tm tm;

	snprintf(id, sizeof(id), "%.*s", (int)(strlen(name) - 4), name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	/* Deleted since the folder was read: not there any more. */
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	fmt_seconds(path, secs, sizeof(secs));
	snprintf(size, sizeof(size), "%lld", (long long)st.st_size);
	localtime_r(&st.st_mtime, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	return octl_table_add(table, id, secs, size, when);
}

int octl_prompt_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"ID", "SECONDS", "BYTES",
					     "UPLOADED"};
	char dir[PATH_MAX];
	struct octl_table *table = NULL;
	struct dirent **names = NULL;
	struct db_tenant t;
	int n, count, err = 0;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (tenant_dir(o, argv[0], &t, dir, sizeof(dir)))
		return OCTL_ERR;
	count = scandir(dir, &names, is_prompt_file, alphasort);
	if (count < 0 && errno != ENOENT)
		return octl_err("cannot read the folder %s: %s", dir,
				strerror(errno));
	if (count <= 0) {
		free(names);
		printf("no prompts of %s yet (callers hear the stock ones; "
		       "upload one with ondoctl prompt upload)\n",
		       t.domain);
		return OCTL_OK;
	}
	if (octl_table_alloc(&table, 4, header))
		err = -ENOMEM;
	for (int i = 0; i < count; i++) {
		if (!err)
			err = add_row(table, dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	if (err)
		octl_err("out of memory");
	else if (octl_table_rows(table) == 0)
		printf("no prompts of %s yet (callers hear the stock ones; "
		       "upload one with ondoctl prompt upload)\n",
		       t.domain);
	else
		octl_table_print(table, stdout);
	octl_table_free(table);
	return err ? OCTL_ERR : OCTL_OK;
}

int octl_prompt_del(struct octl *o, int argc, char **argv)
{
	char dir[PATH_MAX], path[PATH_MAX + 80];
	struct db_tenant t;
	int n;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (prompt_target(o, argv[0], argv[1], &t, dir, path))
		return OCTL_ERR;
	if (unlink(path) < 0) {
		if (errno == ENOENT)
			return octl_err("%s has no prompt '%s' of its own",
					t.domain, argv[1]);
		return octl_err("cannot delete %s: %s", path, strerror(errno));
	}
	printf("prompt %s deleted from %s\n", argv[1], t.domain);
	return OCTL_OK;
}
