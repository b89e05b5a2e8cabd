/* move_files.c - which files in the spool are a tenant's. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "move/move_priv.h"

/* Deeper than any folder the PBX makes (tenants/D/vm/EXT/new is 5). */
#define DEPTH_MAX 16

struct walk {
	const char *spool;
	struct move_file *files; /* owned until handed over */
	long n, cap;
};

/* Writes in progress: recorder.c's ".part-XXXXXX", prompt uploads'
 * ".upload-XXXXXX". They are not whole files yet. */
static bool temporary(const char *name)
{
	return name[0] == '.' || strstr(name, ".part-") != NULL;
}

static int add(struct walk *w, const char *rel, const struct stat *st)
{
	if (w->n == w->cap) {
		long cap = w->cap ? w->cap * 2 : 64;
		struct move_file *f =
		    realloc(w->files, (size_t)cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		w->files = f;
		w->cap = cap;
	}
	snprintf(w->files[w->n].rel, TAR_PATH_MAX, "%s", rel);
	w->files[w->n].size = (uint64_t)st->st_size;
	w->files[w->n].mtime = st->st_mtime;
	w->n++;
	return 0;
}

static int walk_dir(struct walk *w, const char *rel, int depth)
{
	char path[PATH_MAX], sub[TAR_PATH_MAX];
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int err = 0;

	if (snprintf(path, sizeof(path), "%s/%s", w->spool, rel) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	if (!(dir = opendir(path)))
		return errno == ENOENT && depth == 0 ? 0 : -errno;
	while (!err && (d = readdir(dir))) {
		if (temporary(d->d_name))
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", rel, d->d_name) >=
			(int)sizeof(sub) ||
		    snprintf(path, sizeof(path), "%s/%s", w->spool, sub) >=
			(int)sizeof(path)) {
			err = -ENAMETOOLONG;
			break;
		}
		/* lstat: a link is not followed out of the spool. */
		if (lstat(path, &st))
			err = errno == ENOENT ? 0 : -errno;
		else if (S_ISDIR(st.st_mode))
			err = depth < DEPTH_MAX ? walk_dir(w, sub, depth + 1)
						: -ELOOP;
		else if (S_ISREG(st.st_mode))
			err = add(w, sub, &st);
	}
	closedir(dir);
	return err;
}

static int by_rel(const void *a, const void *b)
{
	return strcmp(((const struct move_file *)a)->rel,
		      ((const struct move_file *)b)->rel);
}

int move_files_list(const char *spool, const char *domain,
		    struct move_file **filesp, long *np)
{
	static const char *const tops[] = {"tenants", "rooms"};
	struct walk w = {.spool = spool};
	char rel[TAR_PATH_MAX];
	int err = 0;

	for (size_t i = 0; !err && i < 2; i++) {
		snprintf(rel, sizeof(rel), "%s/%s", tops[i], domain);
		err = walk_dir(&w, rel, 0);
	}
	if (err) {
		free(w.files);
		return err;
	}
	if (w.n)
		qsort(w.files, (size_t)w.n, sizeof(*w.files), by_rel);
	*filesp = w.files; /* caller frees */
	*np = w.n;
	return 0;
}

bool move_file_ours(const char *rel, const char *domain)
{
	static const char *const tops[] = {"tenants/", "rooms/"};
	size_t dl = strlen(domain);

	for (size_t i = 0; i < 2; i++) {
		size_t tl = strlen(tops[i]);
		if (!strncmp(rel, tops[i], tl) &&
		    !strncmp(rel + tl, domain, dl) && rel[tl + dl] == '/' &&
		    rel[tl + dl + 1])
			return true;
	}
	return false;
}
