/* keyhold.c - which keys of an in-call feature code to hold back. */
#include <string.h>

#include "media/keyhold.h"

int keyhold_feed(struct keyhold *k, const char *code, char digit,
		 int64_t now_ms, char out[KEYHOLD_MAX + 2])
{
	size_t clen = code ? strlen(code) : 0, n, i;
	char cand[KEYHOLD_MAX + 2];

	n = strlen(k->held);
	memcpy(cand, k->held, n);
	cand[n++] = digit;
	cand[n] = '\0';
	if (clen == 0 || clen > KEYHOLD_MAX) {
		memcpy(out, cand, n + 1);
		k->held[0] = '\0';
		return 0;
	}
	/* The longest tail of the keys so far that can still become the
	 * code stays; what is before it can no longer be part of it. (The
	 * code "*1": "**" passes the first '*' on and holds the second.) */
	for (i = 0; i < n; i++)
		if (n - i <= clen && !strncmp(cand + i, code, n - i))
			break;
	memcpy(out, cand, i);
	out[i] = '\0';
	if (n - i == clen) {
		k->held[0] = '\0';
		return 1;
	}
	memcpy(k->held, cand + i, n - i + 1);
	if (k->held[0])
		k->deadline_ms = now_ms + KEYHOLD_MS;
	return 0;
}

int keyhold_expire(struct keyhold *k, int64_t now_ms, char out[KEYHOLD_MAX + 2])
{
	size_t n = strlen(k->held);

	out[0] = '\0';
	if (!n || now_ms < k->deadline_ms)
		return 0;
	memcpy(out, k->held, n + 1);
	k->held[0] = '\0';
	return (int)n;
}
