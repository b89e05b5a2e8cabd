/* keyhold.h - holding back the keys of an in-call feature code: a key
 * that may begin the code waits (KEYHOLD_MS after the key before it)
 * instead of reaching the other phone at once; if the code completes its
 * keys are never passed on, otherwise they go on late but in order. Pure
 * and allocation-free; one per direction of a call, owned by its media
 * worker. */
#ifndef ONDO_KEYHOLD_H
#define ONDO_KEYHOLD_H

#include <stdint.h>

#define KEYHOLD_MAX 4	 /* the longest code */
#define KEYHOLD_MS  1500 /* the most a held key waits for the next */

struct keyhold {
	char held[KEYHOLD_MAX + 1]; /* a proper prefix of the code, or "" */
	int64_t deadline_ms;	    /* when held goes on unfinished */
};

/* A key `digit` pressed at now_ms, the code being `code` (1 to
 * KEYHOLD_MAX characters; anything else holds nothing back). Writes to
 * out the keys to pass on now, in the order they were pressed (NUL-ended,
 * possibly ""), and returns 1 if the key completed the code (then none of
 * its keys is in out), else 0. */
int keyhold_feed(struct keyhold *k, const char *code, char digit,
		 int64_t now_ms, char out[KEYHOLD_MAX + 2]);
/* At now_ms: the held keys whose wait is over go to out (NUL-ended);
 * returns how many. */
int keyhold_expire(struct keyhold *k, int64_t now_ms,
		   char out[KEYHOLD_MAX + 2]);

#endif
