/* fuzz_util.h - what the libFuzzer targets share: an invariant check that
 * stops the run with a sentence, cutting an input into fields, and a file
 * in memory for parsers that want a path. */
#ifndef ONDO_FUZZ_UTIL_H
#define ONDO_FUZZ_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A broken invariant is a finding like a crash: say what a user would
 * notice, then abort so libFuzzer saves the input. */
#define FUZZ_CHECK(cond, ...)                                                  \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz invariant broken: ");            \
			fprintf(stderr, __VA_ARGS__);                          \
			fprintf(stderr, " (%s:%d: %s)\n", __FILE__, __LINE__,  \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

/* Cuts the input at the separator byte `sep` into at most `max` fields,
 * each a fresh NUL-terminated copy (a field never holds a NUL of its own,
 * unless sep is not '\0'). The last field takes the rest. Caller frees
 * with fuzz_fields_free(). Returns the number of fields (>= 1). */
static inline int fuzz_fields(const uint8_t *data, size_t size, char sep,
			      char **out, int max)
{
	size_t start = 0;
	int n = 0;

	for (size_t i = 0; i <= size && n < max; i++) {
		if (i < size && (n == max - 1 || data[i] != (uint8_t)sep))
			continue;
		out[n] = malloc(i - start + 1);
		if (!out[n])
			abort();
		memcpy(out[n], data + start, i - start);
		out[n][i - start] = '\0';
		n++;
		start = i + 1;
	}
	for (int k = n; k < max; k++) {
		out[k] = strdup("");
		if (!out[k])
			abort();
	}
	return n;
}

static inline void fuzz_fields_free(char **f, int max)
{
	for (int i = 0; i < max; i++)
		free(f[i]);
}

/* An anonymous file holding data, and a path that opens it
 * ("/proc/self/fd/N"): parsers that take a path read it from memory,
 * without touching the disk. Returns the fd (close it when done) or
 * aborts. */
static inline int fuzz_memfile(const uint8_t *data, size_t size, char *path,
			       size_t pathlen)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		abort();
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	lseek(fd, 0, SEEK_SET);
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
