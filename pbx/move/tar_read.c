/* tar_read.c - the strict ustar reader of tar.h: every header checked,
 * every path checked, links and devices refused, sizes bounded, and a
 * short archive reported as such rather than taken as its end. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "move/tar.h"

#define BLK	512
#define PAX_MAX 65536

struct tar_r {
	FILE *f; /* borrowed */
	struct tar_limits lim;
	uint64_t left;	  /* data bytes of the current entry not yet read */
	uint64_t padding; /* and the padding after them */
	uint64_t total;
	long entries;
	int failed; /* the error every later call returns */
	char why[TAR_PATH_MAX + 128];
};

int tar_r_alloc(struct tar_r **rp, FILE *f, const struct tar_limits *lim)
{
	*rp = calloc(1, sizeof(**rp)); /* caller frees: tar_r_free */
	if (!*rp)
		return -ENOMEM;
	(*rp)->f = f;
	(*rp)->lim = *lim;
	return 0;
}

void tar_r_free(struct tar_r *r)
{
	free(r);
}

const char *tar_r_why(const struct tar_r *r)
{
	return r->why;
}

static int fail(struct tar_r *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	r->failed = err;
	return err;
}

static int get(struct tar_r *r, void *buf, size_t len)
{
	if (fread(buf, 1, len, r->f) != len)
		return fail(r, -EBADMSG, "the archive is truncated");
	return 0;
}

static int skip(struct tar_r *r, uint64_t n)
{
	char buf[4096];

	while (n) {
		size_t k = n > sizeof(buf) ? sizeof(buf) : (size_t)n;
		if (get(r, buf, k))
			return r->failed;
		n -= k;
	}
	return 0;
}

/* An octal field: optional leading blanks, digits, then NUL or blanks.
 * Base-256 (the high bit set) is refused: nothing we write needs it. */
static int octal(const unsigned char *p, size_t len, uint64_t *v)
{
	size_t i = 0;
	bool digits = false;

	*v = 0;
	if (p[0] & 0x80)
		return -1;
	while (i < len && p[i] == ' ')
		i++;
	for (; i < len && p[i] >= '0' && p[i] <= '7'; i++) {
		if (*v >> 60)
			return -1;
		*v = *v * 8 + (uint64_t)(p[i] - '0');
		digits = true;
	}
	for (; i < len; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return -1;
	return digits ? 0 : -1;
}

static bool zero_block(const unsigned char *h)
{
	for (int i = 0; i < BLK; i++)
		if (h[i])
			return false;
	return true;
}

static int check_header(struct tar_r *r, const unsigned char *h)
{
	uint64_t sum;
	unsigned mine = 0;

	if (memcmp(h + 257, "ustar", 6) || memcmp(h + 263, "00", 2))
		return fail(r, -EBADMSG, "not a POSIX ustar archive");
	if (octal(h + 148, 8, &sum))
		return fail(r, -EBADMSG, "a header has no checksum");
	for (int i = 0; i < BLK; i++)
		mine += (i >= 148 && i < 156) ? ' ' : h[i];
	if (sum != mine)
		return fail(r, -EBADMSG,
			    "a header's checksum is wrong "
			    "(the archive is damaged)");
	return 0;
}

/* The sentence for an entry type that is not a file or a folder. */
static const char *type_name(unsigned char t)
{
	switch (t) {
	case '1':
		return "a hard link";
	case '2':
		return "a symbolic link";
	case '3':
		return "a character device";
	case '4':
		return "a block device";
	case '6':
		return "a FIFO";
	case 'g':
		return "a global pax header";
	default:
		return "an entry of an unknown type";
	}
}

/* A pax header's records: only "path" is taken; "size" and "linkpath"
 * would change what the ustar header says, so they are refused; the rest
 * (times, owners) does not matter here. */
static int pax(struct tar_r *r, uint64_t size, char *path)
{
	char *buf, *p, *end;
	int err = 0;

	if (size > PAX_MAX)
		return fail(r, -EFBIG, "a pax header of %llu bytes",
			    (unsigned long long)size);
	buf = malloc((size_t)size + 1); /* freed below */
	if (!buf)
		return fail(r, -ENOMEM, "out of memory");
	if (get(r, buf, (size_t)size) || skip(r, (BLK - size % BLK) % BLK)) {
		free(buf);
		return r->failed;
	}
	buf[size] = '\0';
	for (p = buf, end = buf + size; p < end && !err;) {
		char *sp, *eq;
		unsigned long n = strtoul(p, &sp, 10);
		/* "LEN key=value\n", LEN counting all of it: every bound
		 * is checked before anything past the digits is read. */
		if (sp == p || *sp != ' ' || n < 5 || n > (size_t)(end - p) ||
		    (size_t)(sp - p) + 2 >= n || p[n - 1] != '\n' ||
		    !(eq = memchr(sp, '=', (size_t)(p + n - sp)))) {
			err = fail(r, -EBADMSG, "a pax header is malformed");
			break;
		}
		p[n - 1] = '\0';
		if (!strncmp(sp + 1, "path=", 5)) {
			if (strlen(eq + 1) >= TAR_PATH_MAX)
				err = fail(r, -EFBIG, "a path is too long");
			else
				strcpy(path, eq + 1);
		} else if (!strncmp(sp + 1, "size=", 5) ||
			   !strncmp(sp + 1, "linkpath=", 9)) {
			err = fail(r, -EPERM, "a pax header sets %.*s",
				   (int)(eq - sp - 1), sp + 1);
		}
		p += n;
	}
	free(buf);
	return err;
}

static void ustar_path(const unsigned char *h, char *out)
{
	size_t np = strnlen((const char *)h + 345, 155);
	size_t nn = strnlen((const char *)h, 100);
	size_t k = 0;

	if (np) {
		memcpy(out, h + 345, np);
		out[np] = '/';
		k = np + 1;
	}
	memcpy(out + k, h, nn);
	out[k + nn] = '\0';
}

int tar_r_next(struct tar_r *r, struct tar_entry *e)
{
	unsigned char h[BLK];
	char pax_path[TAR_PATH_MAX] = "";
	uint64_t size;
	size_t n;

	if (r->failed)
		return r->failed;
	if (skip(r, r->left + r->padding))
		return r->failed;
	r->left = r->padding = 0;
	for (;;) {
		if (get(r, h, BLK))
			return r->failed;
		/* One zero block ends it, as tar(1) reads it: what a second
		 * one would add is nothing. */
		if (zero_block(h))
			return 1;
		if (check_header(r, h))
			return r->failed;
		if (octal(h + 124, 12, &size))
			return fail(r, -EFBIG,
				    "an entry's size is not readable");
		if (h[156] != 'x')
			break;
		if (pax(r, size, pax_path))
			return r->failed;
	}
	if (pax_path[0])
		strcpy(e->path, pax_path);
	else
		ustar_path(h, e->path);
	if (h[156] == '0' || h[156] == '\0')
		e->type = TAR_FILE;
	else if (h[156] == '5')
		e->type = TAR_DIR;
	else
		return fail(r, -EPERM, "%s is %s, not a plain file", e->path,
			    type_name(h[156]));
	n = strlen(e->path);
	if (e->type == TAR_DIR && n > 1 && e->path[n - 1] == '/')
		e->path[n - 1] = '\0';
	if (!tar_path_ok(e->path))
		return fail(r, -EPERM,
			    "unsafe path '%s' (absolute, empty, "
			    "'..' or a control character)",
			    e->path);
	if (e->type == TAR_DIR)
		size = 0;
	if (++r->entries > r->lim.entries_max)
		return fail(r, -EFBIG, "more than %ld entries",
			    r->lim.entries_max);
	if (size > r->lim.entry_max)
		return fail(r, -EFBIG, "%s is %llu bytes, more than %llu",
			    e->path, (unsigned long long)size,
			    (unsigned long long)r->lim.entry_max);
	r->total += size;
	if (r->total > r->lim.total_max)
		return fail(r, -EFBIG, "the archive holds more than %llu bytes",
			    (unsigned long long)r->lim.total_max);
	e->size = size;
	r->left = size;
	r->padding = (BLK - size % BLK) % BLK;
	return 0;
}

ssize_t tar_r_read(struct tar_r *r, void *buf, size_t len)
{
	if (r->failed)
		return r->failed;
	if (len > r->left)
		len = (size_t)r->left;
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	if (len && get(r, buf, len))
		return r->failed;
	r->left -= len;
	return (ssize_t)len;
}
