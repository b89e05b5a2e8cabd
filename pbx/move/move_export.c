/* move_export.c - a tenant into one archive: manifest.json, then
 * rows/TABLE.jsonl parents first, then its files under spool/
 * (docs/tenant-move.md). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_move.h"
#include "move/move_priv.h"

struct exp {
	struct db_mv_export *x;
	struct tar_w *tw;
	struct move_report rep;
	const char *spool;
	struct move_file *files; /* owned */
	long nfiles;
	char *why;
	size_t wlen;
};

static int say(struct exp *e, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->why, e->wlen, fmt, ap);
	va_end(ap);
	return err;
}

static int manifest(struct exp *e, const char *name)
{
	json_t *m, *tables = json_object();
	char *text;
	int64_t n;
	int err;

	for (int i = 0; tables && i < db_mv_export_ntables(e->x); i++) {
		const char *t = db_mv_export_table(e->x, i, &n);
		json_object_set_new(tables, t, json_integer(n));
		e->rep.rows += n;
		if (!strcmp(t, "trunks"))
			e->rep.trunks = n;
	}
	for (long i = 0; i < e->nfiles; i++)
		e->rep.bytes += e->files[i].size;
	m = json_pack("{s:i, s:i, s:s, s:s, s:I, s:s, s:o, s:I, s:I}", "format",
		      MOVE_FORMAT, "schema", e->rep.schema, "domain",
		      e->rep.domain, "name", name, "exported",
		      (json_int_t)time(NULL), "ondo", ONDO_VERSION, "tables",
		      tables, "files", (json_int_t)e->nfiles, "file_bytes",
		      (json_int_t)e->rep.bytes);
	text = m ? json_dumps(m, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
	json_decref(m);
	if (!text)
		return say(e, -ENOMEM, "out of memory");
	err = tar_w_file(e->tw, MOVE_MANIFEST, text, strlen(text), time(NULL));
	free(text);
	return err ? say(e, err, "cannot write the archive: %s", strerror(-err))
		   : 0;
}

/* One line of JSON and its newline into the open entry. */
static int line(struct exp *e, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	int err;

	json_decref(j);
	if (!text)
		return -ENOMEM;
	err = tar_w_write(e->tw, text, strlen(text));
	if (!err)
		err = tar_w_write(e->tw, "\n", 1);
	free(text);
	return err;
}

static int columns_h(void *arg, const char *table, const char *const *cols,
		     int ncols)
{
	json_t *c = json_array();

	for (int i = 0; c && i < ncols; i++)
		json_array_append_new(c, json_string(cols[i]));
	return line(arg, json_pack("{s:s, s:o}", "table", table, "columns", c));
}

static int row_h(void *arg, const struct db_mv_val *v, int n)
{
	json_t *r = json_array();

	for (int i = 0; r && i < n; i++) {
		json_t *j = v[i].type == DB_MV_INT    ? json_integer(v[i].i)
			    : v[i].type == DB_MV_REAL ? json_real(v[i].r)
			    : v[i].type == DB_MV_TEXT ? json_string(v[i].s)
						      : json_null();
		/* A text that is not UTF-8 cannot be JSON: refused rather
		 * than changed. */
		if (!j || json_array_append_new(r, j)) {
			json_decref(r);
			return -EILSEQ;
		}
	}
	return line(arg, r);
}

static int rows(struct exp *e)
{
	static const struct db_mv_sink sink = {columns_h, row_h};
	char name[TAR_PATH_MAX];
	int64_t n;
	int err = 0;

	for (int i = 0; !err && i < db_mv_export_ntables(e->x); i++) {
		const char *t = db_mv_export_table(e->x, i, &n);
		snprintf(name, sizeof(name), MOVE_ROWS_DIR "%s.jsonl", t);
		err = tar_w_begin(e->tw, name, time(NULL));
		if (!err)
			err = db_mv_export_rows(e->x, i, &sink, e);
		if (!err)
			err = tar_w_end(e->tw);
		if (err)
			return say(e, err, "cannot write the rows of %s: %s", t,
				   strerror(-err));
	}
	return 0;
}

/* One spool file, exactly the size the listing saw: a file that changed
 * in between (a greeting replaced) fails the export rather than going
 * in half old, half new. */
static int one_file(struct exp *e, const struct move_file *f)
{
	char path[PATH_MAX], name[TAR_PATH_MAX], buf[65536];
	uint64_t left = f->size;
	struct stat st;
	int fd, err = 0;

	if (snprintf(path, sizeof(path), "%s/%s", e->spool, f->rel) >=
		(int)sizeof(path) ||
	    snprintf(name, sizeof(name), MOVE_SPOOL_DIR "%s", f->rel) >=
		(int)sizeof(name))
		return say(e, -ENAMETOOLONG, "%s: name too long", f->rel);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) || (uint64_t)st.st_size != f->size) {
		err = fd < 0 ? -errno : -EAGAIN;
		if (fd >= 0)
			close(fd);
		return say(e, err,
			   "%s changed while it was exported; "
			   "try again",
			   path);
	}
	err = tar_w_begin(e->tw, name, f->mtime);
	while (!err && left) {
		ssize_t k =
		    read(fd, buf, left < sizeof(buf) ? left : sizeof(buf));
		if (k <= 0) {
			err = k < 0 ? -errno : -EAGAIN;
			break;
		}
		err = tar_w_write(e->tw, buf, (size_t)k);
		left -= (uint64_t)k;
	}
	if (!err)
		err = tar_w_end(e->tw);
	close(fd);
	return err ? say(e, err, "cannot archive %s: %s", path, strerror(-err))
		   : 0;
}

/* Everything into the temporary file `f`. */
static int write_all(struct exp *e, struct db *db, const char *domain, FILE *f)
{
	struct db_tenant t;
	int err;

	err = db_mv_export_begin(db, domain, &e->x, e->why, e->wlen);
	if (err)
		return err;
	if ((err = db_tenant_by_domain(db, domain, &t)))
		return say(e, err, "cannot read tenant %s", domain);
	snprintf(e->rep.domain, sizeof(e->rep.domain), "%s", t.domain);
	e->rep.schema = db_mv_export_schema(e->x);
	err = move_files_list(e->spool, t.domain, &e->files, &e->nfiles);
	if (err)
		return say(e, err, "cannot list the files of %s in %s: %s",
			   t.domain, e->spool, strerror(-err));
	if ((err = tar_w_alloc(&e->tw, f)))
		return say(e, err, "out of memory");
	err = manifest(e, t.name);
	if (!err)
		err = rows(e);
	for (long i = 0; !err && i < e->nfiles; i++)
		err = one_file(e, &e->files[i]);
	if (!err && (err = tar_w_finish(e->tw)))
		say(e, err, "cannot write the archive: %s", strerror(-err));
	e->rep.files = e->nfiles;
	return err;
}

int move_export(struct db *db, const char *spool, const char *domain,
		const char *path, struct move_report *rep, char *why,
		size_t wlen)
{
	struct exp e = {.spool = spool, .why = why, .wlen = wlen};
	char tmp[PATH_MAX];
	FILE *f = NULL;
	int fd, err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >=
	    (int)sizeof(tmp))
		return say(&e, -ENAMETOOLONG, "%s: name too long", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0 || !(f = fdopen(fd, "w+"))) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		return say(&e, err, "cannot create %s: %s", tmp,
			   strerror(-err));
	}
	err = write_all(&e, db, domain, f);
	db_mv_export_end(e.x);
	tar_w_free(e.tw);
	free(e.files);
	/* The data on disk before the name: a crash leaves the old file or
	 * the whole new one under `path`, never a part. */
	if (!err && (fflush(f) || fsync(fileno(f))))
		err = say(&e, -errno, "cannot write %s: %s", tmp,
			  strerror(errno));
	if (fclose(f) && !err)
		err = say(&e, -errno, "cannot write %s: %s", tmp,
			  strerror(errno));
	if (!err && rename(tmp, path))
		err = say(&e, -errno, "cannot rename %s to %s: %s", tmp, path,
			  strerror(errno));
	if (err)
		unlink(tmp);
	else if (rep)
		*rep = e.rep;
	return err;
}
