/* ban.c - brute-force lockout (see ban.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip/ban.h"

#define BUCKETS 1024
#define MAX_ENTRIES 65536 /* about 10 MB at most */
#define KEY_LEN 160
#define MAX_BAN (24 * 3600)
#define FORGET (24 * 3600) /* a key quiet this long starts over */

struct entry {
	struct entry *next;
	char key[KEY_LEN];
	int fails;	     /* in the current window */
	time_t window_start;
	time_t until;	     /* blocked until then */
	int level;	     /* blocks so far: the next lasts 2^level x */
	time_t last;	     /* last failure */
};

struct bans {
	struct ban_cfg cfg;
	struct entry *b[BUCKETS];
	int n;
};

int bans_alloc(struct bans **bp, const struct ban_cfg *cfg)
{
	struct bans *b;

	if (!bp || !cfg || cfg->fail_max < 1 || cfg->fail_window < 1 ||
	    cfg->ban_time < 1)
		return -EINVAL;
	b = calloc(1, sizeof(*b)); /* caller frees: bans_free */
	if (!b)
		return -ENOMEM;
	b->cfg = *cfg;
	*bp = b;
	return 0;
}

int bans_set_cfg(struct bans *b, const struct ban_cfg *cfg)
{
	if (!b || !cfg || cfg->fail_max < 1 || cfg->fail_window < 1 ||
	    cfg->ban_time < 1)
		return -EINVAL;
	b->cfg = *cfg;
	return 0;
}

void bans_free(struct bans *b)
{
	if (!b)
		return;
	for (int i = 0; i < BUCKETS; i++) {
		while (b->b[i]) {
			struct entry *e = b->b[i];
			b->b[i] = e->next;
			free(e);
		}
	}
	free(b);
}

static unsigned bucket(const char *key)
{
	uint32_t h = 2166136261u;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h % BUCKETS;
}

static struct entry *find(struct bans *b, const char *key)
{
	for (struct entry *e = b->b[bucket(key)]; e; e = e->next)
		if (!strcmp(e->key, key))
			return e;
	return NULL;
}

/* Drops entries that no longer matter: not blocked, no failure within a
 * window (or, when `all`, no failure for a day). */
static void sweep(struct bans *b, time_t now, int all)
{
	for (int i = 0; i < BUCKETS; i++) {
		for (struct entry **pp = &b->b[i]; *pp;) {
			struct entry *e = *pp;
			int stale = e->until <= now &&
				    now - e->last > (all ? FORGET
							 : b->cfg.fail_window);
			if (!stale) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			free(e);
			b->n--;
		}
	}
}

long ban_left(struct bans *b, const char *key, time_t now)
{
	struct entry *e = b ? find(b, key) : NULL;

	return e && e->until > now ? (long)(e->until - now) : 0;
}

long ban_fail(struct bans *b, const char *key, time_t now)
{
	struct entry *e;
	long secs;

	if (!b || strlen(key) >= KEY_LEN)
		return 0;
	if (!(e = find(b, key))) {
		if (b->n >= MAX_ENTRIES)
			sweep(b, now, 0);
		if (b->n >= MAX_ENTRIES || !(e = calloc(1, sizeof(*e))))
			return 0; /* full of live entries: counted nowhere */
		strcpy(e->key, key);
		e->next = b->b[bucket(key)];
		b->b[bucket(key)] = e;
		b->n++;
	}
	if (e->last && now - e->last > FORGET)
		e->level = 0;
	e->last = now;
	if (now - e->window_start >= b->cfg.fail_window) {
		e->window_start = now;
		e->fails = 0;
	}
	if (e->until > now || ++e->fails < b->cfg.fail_max)
		return 0;
	secs = (long)b->cfg.ban_time << (e->level < 8 ? e->level : 8);
	if (secs > MAX_BAN)
		secs = MAX_BAN;
	e->level++;
	e->until = now + secs;
	e->fails = 0;
	return secs;
}

int ban_del(struct bans *b, const char *key)
{
	unsigned i = bucket(key);

	for (struct entry **pp = &b->b[i]; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->key, key))
			continue;
		struct entry *e = *pp;
		*pp = e->next;
		free(e);
		b->n--;
		return 0;
	}
	return -ENOENT;
}

void ban_print(struct bans *b, time_t now, FILE *out)
{
	sweep(b, now, 1);
	for (int i = 0; i < BUCKETS; i++)
		for (struct entry *e = b->b[i]; e; e = e->next)
			if (e->until > now)
				fprintf(out, "%s\t%ld\t%d\t%d\n", e->key,
					(long)(e->until - now), e->fails,
					e->level);
}
