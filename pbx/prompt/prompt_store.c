/* prompt_store.c - where a tenant's prompts live, and listing, describing
 * and deleting them. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#include "core/fsutil.h"
#include "prompt/prompt.h"

int prompt_dir(char *out, size_t len, const char *spool, const char *domain)
{
	int n = snprintf(out, len, "%s/tenants/%s/prompts", spool, domain);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int prompt_path(char *out, size_t len, const char *spool, const char *domain,
		const char *id)
{
	int n;

	/* The id is checked before it reaches a path: never "../x". */
	if (!db_valid_prompt(id))
		return -EINVAL;
	n = snprintf(out, len, "%s/tenants/%s/prompts/%s.wav", spool, domain,
		     id);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Seconds of audio in `path`, or -1 if it does not read as audio (then
 * the daemon plays the stock prompt instead). */
static double seconds_of(const char *path)
{
	SF_INFO sfi = {0};
	SNDFILE *sf = sf_open(path, SFM_READ, &sfi);
	double s = -1;

	if (sf && sfi.samplerate > 0 && sfi.frames >= 0)
		s = (double)sfi.frames / sfi.samplerate;
	if (sf)
		sf_close(sf);
	return s;
}

/* Fills `info` from the file at `path`; -ENOENT if it is not a file. */
static int describe(const char *path, const char *id, struct prompt_info *info)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOENT;
	snprintf(info->id, sizeof(info->id), "%s", id);
	info->bytes = (int64_t)st.st_size;
	info->uploaded = (int64_t)st.st_mtime;
	info->seconds = seconds_of(path);
	return 0;
}

int prompt_stat(const char *spool, const char *domain, const char *id,
		struct prompt_info *info)
{
	char path[PATH_MAX];
	int err;

	if (!info)
		return -EINVAL;
	err = prompt_path(path, sizeof(path), spool, domain, id);
	return err ? err : describe(path, id, info);
}

/* Keeps ID.wav entries whose ID is a valid prompt id: not the recorder's
 * .part files, an upload's temporary file, nor anything put there by
 * hand. */
static int is_prompt_file(const struct dirent *d)
{
	char id[PROMPT_ID_LEN];
	size_t len = strlen(d->d_name);

	if (len < 5 || len - 4 >= sizeof(id) ||
	    strcmp(d->d_name + len - 4, ".wav"))
		return 0;
	memcpy(id, d->d_name, len - 4);
	id[len - 4] = '\0';
	return db_valid_prompt(id);
}

int prompt_list(const char *spool, const char *domain,
		int (*fn)(const struct prompt_info *info, void *arg), void *arg)
{
	/* A name that passed is_prompt_file is at most an id and ".wav". */
	char dir[PATH_MAX], path[PATH_MAX + PROMPT_ID_LEN + 8],
	    id[PROMPT_ID_LEN];
	struct dirent **names = NULL;
	struct prompt_info info;
	int count, ret = 0;

	if (!fn)
		return -EINVAL;
	if (prompt_dir(dir, sizeof(dir), spool, domain))
		return -ENAMETOOLONG;
	count = scandir(dir, &names, is_prompt_file, alphasort);
	if (count < 0)
		return errno == ENOENT ? 0 : -errno;
	for (int i = 0; i < count; i++) {
		const char *name = names[i]->d_name;

		snprintf(id, sizeof(id), "%.*s", (int)(strlen(name) - 4), name);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		/* One deleted since the folder was read is not there any
		 * more: skipped, not an error. */
		if (!ret && !describe(path, id, &info))
			ret = fn(&info, arg);
		free(names[i]);
	}
	free(names);
	return ret;
}

int prompt_delete(const char *spool, const char *domain, const char *id)
{
	char path[PATH_MAX];
	int err = prompt_path(path, sizeof(path), spool, domain, id);

	if (err)
		return err;
	if (unlink(path) < 0)
		return -errno;
	/* Without it a crash could bring the deleted prompt back. */
	return fs_sync_parent(path);
}
