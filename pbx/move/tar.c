/* tar.c - the ustar writer and the strict reader of tar.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "move/tar.h"

#define BLK 512
/* The ustar size field holds 11 octal digits. */
#define SIZE_MAX_USTAR ((UINT64_C(1) << 33) - 1)
/* A pax header we read is a few records, never this much. */
#define PAX_MAX 65536

/* ---- shared ---- */

int tar_path_ok(const char *path)
{
	const char *c = path;
	size_t n;

	if (!path || !*path || *path == '/' || strlen(path) >= TAR_PATH_MAX)
		return 0;
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	while (*c) {
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += n;
		if (*c == '/' && !*++c)
			return 0; /* a trailing slash is an empty component */
	}
	return 1;
}

static unsigned checksum(const unsigned char *h)
{
	unsigned sum = 0;

	for (int i = 0; i < BLK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum;
}

/* ---- writing ---- */

struct tar_w {
	FILE *f;       /* borrowed */
	bool open;     /* an entry is being written */
	off_t hdr_at;  /* where its header is */
	uint64_t size; /* bytes written into it */
	int64_t mtime;
	char name[100], prefix[155];
	size_t name_len, prefix_len;
};

int tar_w_alloc(struct tar_w **wp, FILE *f)
{
	*wp = calloc(1, sizeof(**wp)); /* caller frees: tar_w_free */
	if (!*wp)
		return -ENOMEM;
	(*wp)->f = f;
	return 0;
}

void tar_w_free(struct tar_w *w)
{
	free(w);
}

static int put(struct tar_w *w, const void *buf, size_t len)
{
	if (len && fwrite(buf, 1, len, w->f) != len)
		return errno ? -errno : -EIO;
	return 0;
}

static int pad(struct tar_w *w, uint64_t size)
{
	static const unsigned char zero[BLK];
	size_t n = (size_t)((BLK - size % BLK) % BLK);

	return put(w, zero, n);
}

/* An octal number in the `width`-byte field at `dst`, NUL-terminated;
 * the callers keep it in range (sizes below 8 GiB, times since 1970). */
static void octal(unsigned char *dst, size_t width, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%0*llo", (int)width - 1,
		 (unsigned long long)v);
	memcpy(dst, buf, width - 1);
	dst[width - 1] = '\0';
}

static void header(unsigned char *h, const struct tar_w *w, uint64_t size,
		   char type)
{
	memset(h, 0, BLK);
	memcpy(h, w->name, w->name_len);
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 108, "0000000", 7);
	memcpy(h + 116, "0000000", 7);
	octal(h + 124, 12, size);
	octal(h + 136, 12, (uint64_t)(w->mtime > 0 ? w->mtime : 0));
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memcpy(h + 265, "ondo", 4);
	memcpy(h + 297, "ondo", 4);
	memcpy(h + 345, w->prefix, w->prefix_len);
	snprintf((char *)h + 148, 8, "%06o", checksum(h));
	h[155] = ' ';
}

/* name, or prefix "/" name, as ustar holds up to 255 bytes; else false. */
static bool split(struct tar_w *w, const char *path)
{
	size_t len = strlen(path);

	w->prefix_len = 0;
	if (len <= sizeof(w->name)) {
		memcpy(w->name, path, len);
		w->name_len = len;
		return true;
	}
	for (size_t p = len - 1; p > 0; p--) {
		if (path[p] != '/')
			continue;
		if (len - p - 1 > sizeof(w->name))
			return false;
		if (p > sizeof(w->prefix))
			continue;
		memcpy(w->prefix, path, p);
		w->prefix_len = p;
		memcpy(w->name, path + p + 1, len - p - 1);
		w->name_len = len - p - 1;
		return true;
	}
	return false;
}

/* A pax 'x' entry "LEN path=PATH\n" for a path ustar cannot hold. */
static int pax_path(struct tar_w *w, const char *path)
{
	unsigned char h[BLK];
	char rec[TAR_PATH_MAX + 32];
	size_t body = strlen(" path=\n") + strlen(path), len = body + 1;
	int err;

	/* The length counts its own digits. */
	while ((size_t)snprintf(NULL, 0, "%zu", len) + body != len)
		len = (size_t)snprintf(NULL, 0, "%zu", len) + body;
	snprintf(rec, sizeof(rec), "%zu path=%s\n", len, path);
	memcpy(w->name, "././@PaxHeader", 14);
	w->name_len = 14;
	w->prefix_len = 0;
	header(h, w, len, 'x');
	err = put(w, h, BLK);
	if (!err)
		err = put(w, rec, len);
	if (!err)
		err = pad(w, len);
	/* What a reader without pax sees: the last component, cut short. */
	{
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		w->name_len = strnlen(base, sizeof(w->name));
		memcpy(w->name, base, w->name_len);
	}
	return err;
}

int tar_w_begin(struct tar_w *w, const char *path, int64_t mtime)
{
	unsigned char h[BLK];
	int err = 0;

	if (w->open)
		return -EBUSY;
	if (!tar_path_ok(path))
		return -EINVAL;
	w->mtime = mtime;
	if (!split(w, path))
		err = pax_path(w, path);
	if (err)
		return err;
	w->hdr_at = ftello(w->f);
	if (w->hdr_at < 0)
		return -errno;
	header(h, w, 0, '0'); /* written again by tar_w_end */
	if ((err = put(w, h, BLK)))
		return err;
	w->open = true;
	w->size = 0;
	return 0;
}

int tar_w_write(struct tar_w *w, const void *buf, size_t len)
{
	if (!w->open)
		return -EINVAL;
	w->size += len;
	return put(w, buf, len);
}

int tar_w_end(struct tar_w *w)
{
	unsigned char h[BLK];
	off_t end;
	int err;

	if (!w->open)
		return -EINVAL;
	w->open = false;
	if (w->size > SIZE_MAX_USTAR)
		return -EFBIG;
	if ((err = pad(w, w->size)))
		return err;
	end = ftello(w->f);
	header(h, w, w->size, '0');
	if (end < 0 || fseeko(w->f, w->hdr_at, SEEK_SET))
		return -errno;
	if ((err = put(w, h, BLK)))
		return err;
	return fseeko(w->f, end, SEEK_SET) ? -errno : 0;
}

int tar_w_file(struct tar_w *w, const char *path, const void *buf, size_t len,
	       int64_t mtime)
{
	int err = tar_w_begin(w, path, mtime);

	if (!err)
		err = tar_w_write(w, buf, len);
	if (!err)
		err = tar_w_end(w);
	return err;
}

int tar_w_finish(struct tar_w *w)
{
	static const unsigned char zero[2 * BLK];

	if (w->open)
		return -EBUSY;
	return put(w, zero, sizeof(zero));
}
