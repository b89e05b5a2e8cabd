/* vm_reconcile.c - start-up check that the spool and vm_messages agree. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "core/fsutil.h"
#include "vm/vm_priv.h"

/* The recorder's temporary files: FINAL.part-XXXXXX (media/recorder.h). */
#define PART_MARK ".part-"

static const char *const folders[] = {"new", "saved"};

struct walk {
	struct db *db;
	const char *spool;
	time_t now;
	int min_age;
	vm_log_h *log;
	void *arg;
	struct vm_reconcile_counts *c;
	/* the box being walked */
	int64_t tenant_id; /* 0: no tenant of that domain */
	int64_t ext_id;	   /* 0: no such extension */
	char box[PATH_MAX];
};

static void say(struct walk *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(struct walk *w, const char *fmt, ...)
{
	char line[PATH_MAX + 256];
	va_list ap;

	if (!w->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	w->log(w->arg, line);
}

/* ---- rows without files ---- */

struct rows {
	const char *spool;
	struct db_vm_msg *v;
	size_t n, cap;
};

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Keeps the rows that need a look: flagged, or their file is missing.
 * Only those are copied (most rows are fine, and a row is ~1 KiB), and
 * they are changed after the walk: its statement must not be stepped
 * while the rows it reads are being changed. */
static int collect_h(const struct db_vm_msg *m, void *arg)
{
	struct rows *r = arg;
	char path[PATH_MAX];

	if (!m->missing &&
	    (vm_msg_path(path, sizeof(path), r->spool, m) || exists(path)))
		return 0;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct db_vm_msg *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *m;
	return 0;
}

/* `file` with its folder swapped (new <-> saved) into buf; false if it
 * has no such folder. */
static bool other_folder(const struct db_vm_msg *m, char *buf, size_t len,
			 const char **folderp)
{
	const char *name = strrchr(m->file, '/');
	const char *other = strcmp(m->folder, "new") ? "new" : "saved";
	size_t flen = strlen(m->folder), dlen;

	if (!name || (size_t)(name - m->file) < flen + 1)
		return false;
	dlen = (size_t)(name - m->file) - flen;
	if (strncmp(m->file + dlen, m->folder, flen))
		return false;
	*folderp = other;
	return snprintf(buf, len, "%.*s%s%s", (int)dlen, m->file, other, name) <
	       (int)len;
}

static int check_row(struct walk *w, const struct db_vm_msg *m)
{
	char path[PATH_MAX], rel[DB_URI_LEN], alt[PATH_MAX];
	struct db_vm_msg taken;
	const char *folder;
	int err;

	if ((err = vm_msg_path(path, sizeof(path), w->spool, m)))
		return err;
	if (exists(path)) {
		if (!m->missing)
			return 0;
		w->c->unflagged++;
		say(w, "message %lld: %s is there again, unflagged",
		    (long long)m->id, m->file);
		return db_vm_msg_set_missing(w->db, m->id, 0);
	}
	/* A mark-heard that renamed the file but died before the row. */
	if (other_folder(m, rel, sizeof(rel), &folder) &&
	    snprintf(alt, sizeof(alt), "%s/%s", w->spool, rel) <
		(int)sizeof(alt) &&
	    exists(alt) && db_vm_msg_by_file(w->db, rel, &taken) == -ENOENT) {
		w->c->repaired++;
		say(w, "message %lld: its file is in %s/, row repaired",
		    (long long)m->id, folder);
		return db_vm_msg_move(w->db, m->id, folder, rel);
	}
	if (m->missing)
		return 0;
	w->c->flagged++;
	say(w, "message %lld: %s is missing, flagged", (long long)m->id,
	    m->file);
	return db_vm_msg_set_missing(w->db, m->id, 1);
}

static int check_rows(struct walk *w)
{
	struct rows r = {.spool = w->spool};
	int err = db_vm_msg_walk(w->db, collect_h, &r);

	for (size_t i = 0; !err && i < r.n; i++)
		err = check_row(w, &r.v[i]);
	free(r.v);
	return err;
}

/* ---- files without rows ---- */

/* Moves `path` (in folder `folder` of the box) to the box's quarantine/,
 * never over a file already there. */
static void quarantine(struct walk *w, const char *path, const char *folder,
		       const char *name, const char *why)
{
	char dir[PATH_MAX], to[PATH_MAX];
	int err, i;

	if (snprintf(dir, sizeof(dir), "%s/quarantine", w->box) >=
		(int)sizeof(dir) ||
	    (err = fs_mkdirs(dir, 0750, 0))) {
		say(w, "cannot quarantine %s: no folder %s", path, dir);
		return;
	}
	for (i = 0; i < 100; i++) {
		if (snprintf(to, sizeof(to), i ? "%s/%s-%s.%d" : "%s/%s-%s",
			     dir, folder, name, i) >= (int)sizeof(to))
			break;
		/* link() refuses to replace, where rename() would not. */
		if (link(path, to) == 0 || errno != EEXIST)
			break;
	}
	if (i == 100 || !exists(to) || unlink(path) < 0) {
		say(w, "cannot quarantine %s: %s", path, strerror(errno));
		return;
	}
	fs_sync_parent(to);
	fs_sync_parent(path);
	w->c->quarantined++;
	say(w, "quarantined %s (%s) as %s", path, why, to);
}

static void remove_left(struct walk *w, const char *path, const char *why)
{
	if (unlink(path) < 0 && errno != ENOENT) {
		say(w, "cannot remove %s: %s", path, strerror(errno));
		return;
	}
	fs_sync_parent(path);
	w->c->removed++;
	say(w, "removed %s (%s)", path, why);
}

static bool is_wav_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && name[0] != '.' && !strcmp(name + n - 4, ".wav");
}

static int index_file(struct walk *w, const char *path, const char *rel,
		      const char *folder, const struct stat *st)
{
	struct db_vm_msg m = {0};
	int64_t ms = vm_wav_ms(path);
	int err;

	if (ms < 0) {
		quarantine(w, path, folder, strrchr(path, '/') + 1,
			   "not audio");
		return 0;
	}
	if (ms < VM_MIN_MS) {
		remove_left(w, path, "shorter than a message");
		return 0;
	}
	m.tenant_id = w->tenant_id;
	m.ext_id = w->ext_id;
	snprintf(m.folder, sizeof(m.folder), "%s", folder);
	snprintf(m.caller, sizeof(m.caller), "unknown");
	m.received_at = st->st_mtime;
	m.duration_ms = ms;
	snprintf(m.file, sizeof(m.file), "%s", rel);
	err = db_vm_msg_add(w->db, &m, NULL);
	if (err)
		return err;
	w->c->indexed++;
	say(w, "indexed %s (%.1f s, caller unknown)", rel, ms / 1000.0);
	return 0;
}

static int check_file(struct walk *w, const char *folder, const char *name)
{
	char path[PATH_MAX];
	struct db_vm_msg m;
	const char *rel;
	struct stat st;
	int err;

	if (snprintf(path, sizeof(path), "%s/%s/%s", w->box, folder, name) >=
		(int)sizeof(path) ||
	    lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	/* Possibly being written or committed right now. min_age 0 (the
	 * daemon's start: nothing is being written) takes every file, even
	 * one whose time is a second ahead of `now`: file times may come
	 * from a finer clock than time(), and the clock may have been set
	 * back. (The unit test saw exactly that at a second's turn.) */
	if (w->min_age > 0 && w->now - st.st_mtime < w->min_age)
		return 0;
	if (strstr(name, PART_MARK)) {
		remove_left(w, path, "an unfinished recording");
		return 0;
	}
	if (!folder[0] || !strcmp(folder, "greetings"))
		return 0;
	if (vm_rel_path(w->spool, path, &rel))
		return 0;
	err = db_vm_msg_by_file(w->db, rel, &m);
	if (err != -ENOENT)
		return err;
	if (!w->ext_id)
		quarantine(w, path, folder, name, "no such mailbox");
	else if (!is_wav_name(name))
		quarantine(w, path, folder, name, "not a message file");
	else
		return index_file(w, path, rel, folder, &st);
	return 0;
}

/* Calls check_file for each entry of the box's `folder`. */
static int walk_folder(struct walk *w, const char *folder)
{
	char dir[PATH_MAX + 16];
	struct dirent *d;
	DIR *dp;
	int err = 0;

	snprintf(dir, sizeof(dir), "%s/%s", w->box, folder);
	dp = opendir(dir);
	if (!dp)
		return 0;
	while (!err && (d = readdir(dp)))
		if (d->d_name[0] != '.')
			err = check_file(w, folder, d->d_name);
	closedir(dp);
	return err;
}

static int walk_box(struct walk *w, const char *ext)
{
	struct db_ext e;
	int err = 0;

	w->ext_id = 0;
	if (w->tenant_id && db_valid_number(ext) &&
	    db_ext_get(w->db, w->tenant_id, ext, &e) == 0)
		w->ext_id = e.id;
	for (size_t i = 0; !err && i < 2; i++)
		err = walk_folder(w, folders[i]);
	if (!err)
		err = walk_folder(w, "greetings");
	return err;
}

/* Calls h(w, name) for each folder in `dir` (not starting with '.'). */
static int each_dir(struct walk *w, const char *dir,
		    int (*h)(struct walk *w, const char *dir, const char *name))
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int err = 0;

	if (!dp)
		return errno == ENOENT ? 0 : -errno;
	while (!err && (d = readdir(dp))) {
		char path[PATH_MAX];
		struct stat st;

		if (d->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, d->d_name) >=
			(int)sizeof(path) ||
		    lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		err = h(w, path, d->d_name);
	}
	closedir(dp);
	return err;
}

static int box_h(struct walk *w, const char *dir, const char *name)
{
	snprintf(w->box, sizeof(w->box), "%s", dir);
	return walk_box(w, name);
}

static int tenant_h(struct walk *w, const char *dir, const char *domain)
{
	char vm[PATH_MAX + 4];
	struct db_tenant t;
	int err = db_tenant_by_domain(w->db, domain, &t);

	if (err && err != -ENOENT && err != -EINVAL)
		return err;
	w->tenant_id = err ? 0 : t.id;
	if (snprintf(vm, sizeof(vm), "%s/vm", dir) >= (int)sizeof(vm))
		return 0;
	return each_dir(w, vm, box_h);
}

int vm_reconcile(struct db *db, const char *spool, int min_age, vm_log_h *log,
		 void *arg, struct vm_reconcile_counts *c)
{
	struct walk w = {.db = db,
			 .spool = spool,
			 .now = time(NULL),
			 .min_age = min_age,
			 .log = log,
			 .arg = arg,
			 .c = c};
	char tenants[PATH_MAX];
	int err;

	if (!db || !spool || !c)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	/* Rows first: a row repaired here must not see its file indexed a
	 * second time by the walk over the files. */
	err = check_rows(&w);
	if (err)
		return err;
	snprintf(tenants, sizeof(tenants), "%s/tenants", spool);
	return each_dir(&w, tenants, tenant_h);
}

void vm_reconcile_summary(char *buf, size_t len,
			  const struct vm_reconcile_counts *c)
{
	snprintf(buf, len,
		 "%d indexed, %d quarantined, %d removed, %d repaired, "
		 "%d flagged, %d unflagged",
		 c->indexed, c->quarantined, c->removed, c->repaired,
		 c->flagged, c->unflagged);
}
