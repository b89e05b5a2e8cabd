/* move_import.c - an archive of move_export() into this node: checked
 * entry by entry as it is read, rows into one transaction, files into a
 * staging folder in the spool, then linked into place before the commit
 * and unlinked again if anything fails (docs/tenant-move.md). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "db_move.h"
#include "move/move_priv.h"

struct staged {
	char rel[TAR_PATH_MAX]; /* where it goes, under the spool */
	bool placed;
};

struct imp {
	struct db *db;	   /* borrowed */
	const char *spool; /* borrowed */
	struct tar_r *tr;  /* owned */
	json_t *manifest;  /* owned */
	json_t *seen;	   /* owned: the tables read, with their counts */
	struct db_mv_import *im;
	char domain[DB_DOMAIN_LEN];
	char stage[PATH_MAX]; /* "" until made */
	struct staged *files; /* owned */
	long nfiles, cap;
	char (*dirs)[PATH_MAX]; /* owned: folders this import made */
	int ndirs, dcap;
	struct move_report rep;
	char *why;
	size_t wlen;
};

static int say(struct imp *p, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, p->wlen, fmt, ap);
	va_end(ap);
	return err;
}

/* The current entry, whole, into a new NUL-terminated buffer. */
static int slurp(struct imp *p, uint64_t size, char **bufp)
{
	char *buf = malloc((size_t)size + 1); /* caller frees */
	ssize_t k;

	if (!buf)
		return say(p, -ENOMEM, "out of memory");
	k = tar_r_read(p->tr, buf, (size_t)size);
	if (k != (ssize_t)size) {
		free(buf);
		return say(p, -EBADMSG, "%s", tar_r_why(p->tr));
	}
	buf[size] = '\0';
	*bufp = buf;
	return 0;
}

static int check_manifest(struct imp *p, json_t *m)
{
	json_t *tables = json_object_get(m, "tables"), *v;
	const char *dom = json_string_value(json_object_get(m, "domain"));
	json_int_t format = json_integer_value(json_object_get(m, "format"));
	json_int_t schema = json_integer_value(json_object_get(m, "schema"));
	const char *k;

	if (format != MOVE_FORMAT)
		return say(p, -EPROTO,
			   "archive format %lld, this node reads %d",
			   (long long)format, MOVE_FORMAT);
	if (schema < 1 || schema > db_schema_version(p->db))
		return say(p, -EPROTO,
			   "the archive is of database schema "
			   "%lld, this node has %d: upgrade this node first",
			   (long long)schema, db_schema_version(p->db));
	if (!dom || !db_valid_domain(dom) || strlen(dom) >= sizeof(p->domain))
		return say(p, -EBADMSG, "the manifest names no valid domain");
	/* As tenants.domain is stored, and as the spool's folders are named. */
	for (size_t i = 0; dom[i]; i++)
		p->domain[i] = (char)tolower((unsigned char)dom[i]);
	if (!json_is_object(tables) ||
	    !json_is_integer(json_object_get(m, "files")) ||
	    !json_is_integer(json_object_get(m, "file_bytes")))
		return say(p, -EBADMSG, "the manifest has no counts");
	json_object_foreach(tables, k, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return say(p, -EBADMSG,
				   "the manifest's count of %s "
				   "is not a number",
				   k);
	}
	p->rep.schema = (int)schema;
	snprintf(p->rep.domain, sizeof(p->rep.domain), "%s", p->domain);
	return 0;
}

static int read_manifest(struct imp *p)
{
	struct tar_entry e;
	json_error_t jerr;
	char *text = NULL;
	int rc = tar_r_next(p->tr, &e), err;

	if (rc)
		return say(p, rc > 0 ? -EBADMSG : rc, "%s",
			   rc > 0 ? "the archive is empty" : tar_r_why(p->tr));
	if (strcmp(e.path, MOVE_MANIFEST) || e.type != TAR_FILE)
		return say(p, -EBADMSG,
			   "the archive does not begin with " MOVE_MANIFEST
			   " (not a tenant archive?)");
	if (e.size > MOVE_MANIFEST_MAX)
		return say(p, -EFBIG, MOVE_MANIFEST " is %llu bytes",
			   (unsigned long long)e.size);
	if ((err = slurp(p, e.size, &text)))
		return err;
	p->manifest = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!json_is_object(p->manifest))
		return say(p, -EBADMSG, MOVE_MANIFEST ": %s", jerr.text);
	return check_manifest(p, p->manifest);
}

/* ---- rows/TABLE.jsonl ---- */

/* Lines of the current entry, each at most MOVE_LINE_MAX bytes. */
struct lines {
	struct tar_r *tr;
	char *buf; /* owned */
	size_t start, len;
};

/* The next line (NUL-terminated in place, no newline) into *linep: 1, 0
 * at the entry's end, or -EBADMSG / -EFBIG. */
static int next_line(struct lines *l, char **linep)
{
	for (;;) {
		char *nl = memchr(l->buf + l->start, '\n', l->len - l->start);
		ssize_t k;
		if (nl) {
			*nl = '\0';
			*linep = l->buf + l->start;
			l->start = (size_t)(nl - l->buf) + 1;
			return 1;
		}
		memmove(l->buf, l->buf + l->start, l->len - l->start);
		l->len -= l->start;
		l->start = 0;
		if (l->len == MOVE_LINE_MAX)
			return -EFBIG;
		k = tar_r_read(l->tr, l->buf + l->len, MOVE_LINE_MAX - l->len);
		if (k < 0)
			return (int)k;
		if (k == 0) {
			if (!l->len)
				return 0;
			/* the last line without its newline */
			l->buf[l->len] = '\0';
			*linep = l->buf;
			l->start = l->len;
			return 1;
		}
		l->len += (size_t)k;
	}
}

/* A row's JSON values into v[] (strings borrowed from `a`). */
static int row_vals(json_t *a, struct db_mv_val *v, int *n)
{
	size_t i;
	json_t *j;

	if (!json_is_array(a) || json_array_size(a) > 64)
		return -EBADMSG;
	json_array_foreach(a, i, j)
	{
		memset(&v[i], 0, sizeof(v[i]));
		if (json_is_integer(j)) {
			v[i].type = DB_MV_INT;
			v[i].i = json_integer_value(j);
		} else if (json_is_real(j)) {
			v[i].type = DB_MV_REAL;
			v[i].r = json_real_value(j);
		} else if (json_is_string(j)) {
			v[i].type = DB_MV_TEXT;
			v[i].s = json_string_value(j);
		} else if (json_is_null(j)) {
			v[i].type = DB_MV_NULL;
		} else {
			return -EBADMSG;
		}
	}
	*n = (int)json_array_size(a);
	return 0;
}

static int table_header(struct imp *p, const char *table, const char *text)
{
	json_t *h = json_loads(text, JSON_REJECT_DUPLICATES, NULL), *cols, *c;
	const char *names[64];
	size_t i;
	int err = 0;

	cols = json_object_get(h, "columns");
	if (!json_is_object(h) || !json_is_array(cols) ||
	    json_array_size(cols) > 64 ||
	    !json_is_string(json_object_get(h, "table")) ||
	    strcmp(json_string_value(json_object_get(h, "table")), table))
		err = say(p, -EBADMSG,
			  "rows of %s begin without their "
			  "columns",
			  table);
	json_array_foreach(cols, i, c)
	{
		if (err || !(names[i] = json_string_value(c))) {
			err = err ? err
				  : say(p, -EBADMSG,
					"a column of %s "
					"is not a name",
					table);
			break;
		}
	}
	if (!err &&
	    db_mv_import_table(p->im, table, names, (int)json_array_size(cols)))
		err = say(p, -EBADMSG, "%s", db_mv_import_why(p->im));
	json_decref(h);
	return err;
}

static int table_rows(struct imp *p, const char *table, struct lines *l)
{
	struct db_mv_val v[64];
	char *text;
	int rc, n, err;

	while ((rc = next_line(l, &text)) > 0) {
		json_t *a = json_loads(text, JSON_DECODE_ANY, NULL);
		if (!a || row_vals(a, v, &n))
			err = say(p, -EBADMSG,
				  "a row of %s is not a JSON list "
				  "of values",
				  table);
		else if ((err = db_mv_import_row(p->im, v, n)))
			say(p, err, "%s", db_mv_import_why(p->im));
		json_decref(a);
		if (err)
			return err;
	}
	if (rc < 0)
		return say(p, rc, "rows of %s: %s", table,
			   rc == -EFBIG ? "a line longer than 1 MiB"
					: tar_r_why(p->tr));
	return 0;
}

/* rows/TABLE.jsonl: the first line names the columns, each further line
 * is a row. */
static int rows_entry(struct imp *p, const char *name)
{
	char table[64], *text;
	const char *base = name + strlen(MOVE_ROWS_DIR);
	size_t len = strlen(base);
	struct lines l = {.tr = p->tr};
	json_int_t want;
	int rc, err;

	if (len <= 6 || len - 6 >= sizeof(table) ||
	    strcmp(base + len - 6, ".jsonl"))
		return say(p, -EBADMSG, "unexpected entry %s", name);
	snprintf(table, sizeof(table), "%.*s", (int)(len - 6), base);
	if (json_object_get(p->seen, table))
		return say(p, -EBADMSG, "rows of %s come twice", table);
	if (!(l.buf = malloc(MOVE_LINE_MAX + 1))) /* freed below */
		return say(p, -ENOMEM, "out of memory");
	rc = next_line(&l, &text);
	err = rc <= 0 ? say(p, -EBADMSG, "rows of %s without a header", table)
		      : table_header(p, table, text);
	if (!err)
		err = table_rows(p, table, &l);
	free(l.buf);
	if (err)
		return err;
	want = json_integer_value(
	    json_object_get(json_object_get(p->manifest, "tables"), table));
	if (!json_object_get(json_object_get(p->manifest, "tables"), table) ||
	    want != db_mv_import_count(p->im))
		return say(p, -EBADMSG,
			   "the archive has %lld rows of %s, its "
			   "manifest says %lld",
			   (long long)db_mv_import_count(p->im), table,
			   (long long)want);
	p->rep.rows += db_mv_import_count(p->im);
	if (!strcmp(table, "trunks"))
		p->rep.trunks = db_mv_import_count(p->im);
	json_object_set_new(p->seen, table,
			    json_integer(db_mv_import_count(p->im)));
	return 0;
}

/* ---- spool/... ---- */

static int stage_dir(struct imp *p)
{
	int err;

	if (p->stage[0])
		return 0;
	if ((err = fs_mkdirs(p->spool, 0750, 0)))
		return say(p, err, "cannot make the spool folder %s: %s",
			   p->spool, strerror(-err));
	snprintf(p->stage, sizeof(p->stage), "%s/.import-XXXXXX", p->spool);
	if (!mkdtemp(p->stage)) {
		err = -errno;
		p->stage[0] = '\0';
		return say(p, err, "cannot make a folder in %s: %s", p->spool,
			   strerror(-err));
	}
	return 0;
}

/* The entry's data into p->stage/N, synced: a crash after the commit
 * must not leave the rows with empty files. */
static int copy_out(struct imp *p, const char *path, uint64_t size)
{
	char buf[65536];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	int err = fd < 0 ? -errno : 0;

	while (!err && size) {
		ssize_t k = tar_r_read(p->tr, buf,
				       size < sizeof(buf) ? size : sizeof(buf));
		if (k <= 0) {
			err = say(p, -EBADMSG, "%s", tar_r_why(p->tr));
			break;
		}
		if (write(fd, buf, (size_t)k) != k)
			err =
			    say(p, errno ? -errno : -EIO, "cannot write %s: %s",
				path, strerror(errno ? errno : EIO));
		size -= (uint64_t)k;
	}
	if (fd >= 0 && !err && fsync(fd))
		err = say(p, -errno, "cannot write %s: %s", path,
			  strerror(errno));
	if (fd >= 0)
		close(fd);
	else
		say(p, err, "cannot create %s: %s", path, strerror(-err));
	return err;
}

static int spool_entry(struct imp *p, const struct tar_entry *e)
{
	const char *rel = e->path + strlen(MOVE_SPOOL_DIR);
	char path[PATH_MAX];
	int err;

	if (!move_file_ours(rel, p->domain))
		return say(p, -EPERM, "%s is not in the folders of tenant %s",
			   e->path, p->domain);
	if (e->type == TAR_DIR)
		return 0;
	if (e->size > MOVE_FILE_MAX)
		return say(p, -EFBIG,
			   "%s is %llu bytes, more than a file may "
			   "be",
			   e->path, (unsigned long long)e->size);
	if ((err = stage_dir(p)))
		return err;
	if (p->nfiles == p->cap) {
		long cap = p->cap ? p->cap * 2 : 64;
		struct staged *f = realloc(p->files, (size_t)cap * sizeof(*f));
		if (!f)
			return say(p, -ENOMEM, "out of memory");
		p->files = f;
		p->cap = cap;
	}
	snprintf(path, sizeof(path), "%s/%ld", p->stage, p->nfiles);
	if ((err = copy_out(p, path, e->size)))
		return err;
	snprintf(p->files[p->nfiles].rel, TAR_PATH_MAX, "%s", rel);
	p->files[p->nfiles++].placed = false;
	p->rep.files++;
	p->rep.bytes += e->size;
	return 0;
}

/* ---- placing the files ---- */

/* The folders above spool/REL, each one made here remembered so that a
 * failed import takes it away again. */
static int make_parents(struct imp *p, const char *rel)
{
	char dir[PATH_MAX];
	size_t base = strlen(p->spool) + 1;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/%s", p->spool, rel);
	for (char *s = dir + base; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (!mkdir(dir, 0750)) {
			if (p->ndirs == p->dcap) {
				int cap = p->dcap ? p->dcap * 2 : 16;
				void *d = realloc(
				    p->dirs, (size_t)cap * sizeof(*p->dirs));
				if (!d)
					return say(p, -ENOMEM, "out of memory");
				p->dirs = d;
				p->dcap = cap;
			}
			snprintf(p->dirs[p->ndirs++], PATH_MAX, "%s", dir);
		} else if (errno != EEXIST || lstat(dir, &st) ||
			   !S_ISDIR(st.st_mode)) {
			return say(p, -ENOTDIR, "cannot make folder %s: %s",
				   dir,
				   strerror(errno == EEXIST ? ENOTDIR : errno));
		}
		*s = '/';
	}
	return 0;
}

/* link(), not rename(): it never replaces a file that is there, so a
 * file of this node is never overwritten by one of the archive. */
static int place_files(struct imp *p)
{
	char from[PATH_MAX], to[PATH_MAX];
	int err;

	for (long i = 0; i < p->nfiles; i++) {
		snprintf(from, sizeof(from), "%s/%ld", p->stage, i);
		if (snprintf(to, sizeof(to), "%s/%s", p->spool,
			     p->files[i].rel) >= (int)sizeof(to))
			return say(p, -ENAMETOOLONG, "%s: name too long",
				   p->files[i].rel);
		if ((err = make_parents(p, p->files[i].rel)))
			return err;
		if (link(from, to))
			return say(
			    p, -errno,
			    errno == EEXIST
				? "%s is in the spool already (left from "
				  "an earlier tenant of that domain?)"
				: "cannot place %s",
			    to);
		p->files[i].placed = true;
		fs_sync_parent(to);
	}
	return 0;
}

static void unplace(struct imp *p)
{
	char to[PATH_MAX];

	for (long i = 0; i < p->nfiles; i++)
		if (p->files[i].placed) {
			snprintf(to, sizeof(to), "%s/%s", p->spool,
				 p->files[i].rel);
			unlink(to);
		}
	for (int i = p->ndirs - 1; i >= 0; i--)
		rmdir(p->dirs[i]);
}

static void remove_stage(struct imp *p)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	if (!p->stage[0] || !(dir = opendir(p->stage)))
		return;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", p->stage, d->d_name) <
			(int)sizeof(path))
			unlink(path);
	closedir(dir);
	rmdir(p->stage);
}

/* ---- the whole ---- */

static int entries(struct imp *p)
{
	struct tar_entry e;
	int rc, err = 0;

	while (!err && (rc = tar_r_next(p->tr, &e)) == 0) {
		if (!strncmp(e.path, MOVE_ROWS_DIR, strlen(MOVE_ROWS_DIR)) &&
		    e.type == TAR_FILE)
			err = rows_entry(p, e.path);
		else if (!strncmp(e.path, MOVE_SPOOL_DIR,
				  strlen(MOVE_SPOOL_DIR)))
			err = spool_entry(p, &e);
		else if (e.type != TAR_DIR ||
			 (strcmp(e.path, "rows") && strcmp(e.path, "spool")))
			err = say(p, -EBADMSG, "unexpected entry %s", e.path);
	}
	if (!err && rc < 0)
		err = say(p, rc, "%s", tar_r_why(p->tr));
	return err;
}

/* What the manifest promised is what came. */
static int complete(struct imp *p)
{
	json_t *tables = json_object_get(p->manifest, "tables"), *v;
	const char *k;

	if (json_integer_value(json_object_get(p->seen, "tenants")) != 1)
		return say(p, -EBADMSG, "the archive has no tenant row");
	json_object_foreach(tables, k, v)
	{
		if (!json_object_get(p->seen, k))
			return say(p, -EBADMSG,
				   "the rows of %s are missing "
				   "(the archive is truncated?)",
				   k);
	}
	if (json_integer_value(json_object_get(p->manifest, "files")) !=
		p->rep.files ||
	    (uint64_t)json_integer_value(
		json_object_get(p->manifest, "file_bytes")) != p->rep.bytes)
		return say(p, -EBADMSG,
			   "the archive has %ld files of %llu "
			   "bytes, its manifest says otherwise",
			   p->rep.files, (unsigned long long)p->rep.bytes);
	return 0;
}

static int run(struct imp *p, FILE *f)
{
	static const struct tar_limits lim = {
	    .entry_max = MOVE_ROWS_MAX,
	    .total_max = MOVE_TOTAL_MAX,
	    .entries_max = MOVE_ENTRIES_MAX,
	};
	int err;

	if (tar_r_alloc(&p->tr, f, &lim) || !(p->seen = json_object()))
		return say(p, -ENOMEM, "out of memory");
	if ((err = read_manifest(p)))
		return err;
	if ((err =
		 db_mv_import_begin(p->db, p->domain, &p->im, p->why, p->wlen)))
		return err;
	if (!(err = entries(p)) && !(err = complete(p)))
		err = place_files(p);
	/* The commit is the import's moment: before it nothing is there
	 * for the daemon to see but unreferenced files. */
	if (!err) {
		err = db_mv_import_end(p->im, true);
		if (err)
			say(p, err, "cannot commit the import: %s",
			    strerror(-err));
	} else {
		db_mv_import_end(p->im, false);
	}
	p->im = NULL;
	return err;
}

int move_import(struct db *db, const char *spool, const char *path,
		struct move_report *rep, char *why, size_t wlen)
{
	struct imp p = {.db = db, .spool = spool, .why = why, .wlen = wlen};
	FILE *f = fopen(path, "re");
	int err;

	if (!f)
		return say(&p, -errno, "cannot open %s: %s", path,
			   strerror(errno));
	err = run(&p, f);
	if (err)
		unplace(&p);
	remove_stage(&p);
	fclose(f);
	tar_r_free(p.tr);
	json_decref(p.manifest);
	json_decref(p.seen);
	free(p.files);
	free(p.dirs);
	if (!err && rep)
		*rep = p.rep;
	return err;
}
