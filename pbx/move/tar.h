/* tar.h - a small POSIX ustar writer and a strict reader, for the tenant
 * archive (docs/tenant-move.md). Regular files only; names longer than
 * ustar's 255 bytes go in a pax 'x' header with one "path" record. */
#ifndef ONDO_TAR_H
#define ONDO_TAR_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* The longest path either side handles, including the NUL. */
#define TAR_PATH_MAX 1024

/* ---- writing ---- */
struct tar_w;

/* A writer on `f` (borrowed; must be seekable: each entry's header is
 * written again with its size once the entry is complete). Caller frees
 * with tar_w_free(). 0 or -ENOMEM. */
int tar_w_alloc(struct tar_w **wp, FILE *f);
/* Starts a regular file `path` (mode 0644, mtime `mtime`). 0, -EINVAL for
 * a path tar_path_ok refuses, -EBUSY if an entry is open, or -errno. */
int tar_w_begin(struct tar_w *w, const char *path, int64_t mtime);
/* Appends to the open entry. 0 or -errno. */
int tar_w_write(struct tar_w *w, const void *buf, size_t len);
/* Pads and closes the open entry, writing its real size into its
 * header. 0, -EFBIG past 8 GiB (the ustar size field), or -errno. */
int tar_w_end(struct tar_w *w);
/* A whole entry from memory. */
int tar_w_file(struct tar_w *w, const char *path, const void *buf, size_t len,
	       int64_t mtime);
/* Writes the end-of-archive blocks. 0 or -errno. */
int tar_w_finish(struct tar_w *w);
void tar_w_free(struct tar_w *w);

/* ---- reading ---- */
struct tar_limits {
	uint64_t entry_max; /* bytes in one entry */
	uint64_t total_max; /* bytes of all entries */
	long entries_max;   /* entries */
};

enum tar_type { TAR_FILE, TAR_DIR };

struct tar_entry {
	char path[TAR_PATH_MAX];
	enum tar_type type;
	uint64_t size;
};

struct tar_r;

/* A reader on `f` (borrowed) within `lim` (copied). Caller frees with
 * tar_r_free(). 0 or -ENOMEM. */
int tar_r_alloc(struct tar_r **rp, FILE *f, const struct tar_limits *lim);
/* The next entry into *e (what was left of the last one is skipped).
 * 0 for an entry, 1 at the end of the archive, else an error with its
 * sentence in tar_r_why():
 *   -EBADMSG  not a ustar archive, a bad checksum, truncated
 *   -EPERM    a path that is absolute, holds "..", or a link, device or
 *             other entry type that is not a plain file or folder
 *   -EFBIG    an entry, the total or the count beyond `lim`
 * After an error the reader stays failed. */
int tar_r_next(struct tar_r *r, struct tar_entry *e);
/* Up to `len` bytes of the current entry's data: the count, 0 at its end,
 * or -EBADMSG if the archive ends first. */
ssize_t tar_r_read(struct tar_r *r, void *buf, size_t len);
const char *tar_r_why(const struct tar_r *r);
void tar_r_free(struct tar_r *r);

/* True if `path` may be an entry's name: relative, not empty, no empty,
 * "." or ".." component, no control character, shorter than
 * TAR_PATH_MAX. */
int tar_path_ok(const char *path);

#endif
