/* rate.c - token buckets per key (rate.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sip/rate.h"

#define BUCKETS	    4096
#define MAX_ENTRIES 65536
#define KEY_LEN	    96
#define LOG_EVERY_MS 10000

struct entry {
	struct entry *next;
	char key[KEY_LEN];
	double tokens;
	int64_t last_ms;     /* tokens were counted up to then */
	int64_t logged_ms;   /* the last refusal reported, 0 none */
};

struct rates {
	double per_s, burst;
	struct entry *b[BUCKETS];
	int n;
};

int rates_alloc(struct rates **rp, double per_s, double burst)
{
	struct rates *r;

	if (!rp || per_s <= 0 || burst < 1)
		return -EINVAL;
	r = calloc(1, sizeof(*r)); /* caller frees: rates_free */
	if (!r)
		return -ENOMEM;
	r->per_s = per_s;
	r->burst = burst;
	*rp = r;
	return 0;
}

void rates_free(struct rates *r)
{
	if (!r)
		return;
	for (int i = 0; i < BUCKETS; i++)
		while (r->b[i]) {
			struct entry *e = r->b[i];
			r->b[i] = e->next;
			free(e);
		}
	free(r);
}

static unsigned bucket(const char *key)
{
	uint32_t h = 2166136261u;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h % BUCKETS;
}

static void refill(const struct rates *r, struct entry *e, int64_t now_ms)
{
	if (now_ms > e->last_ms) {
		e->tokens += (double)(now_ms - e->last_ms) * r->per_s / 1000.0;
		if (e->tokens > r->burst)
			e->tokens = r->burst;
	}
	e->last_ms = now_ms;
}

/* Drops the keys whose bucket is full again: they are idle, and a new
 * entry for them would start full anyway. */
static void sweep(struct rates *r, int64_t now_ms)
{
	for (int i = 0; i < BUCKETS; i++)
		for (struct entry **pp = &r->b[i]; *pp;) {
			struct entry *e = *pp;
			refill(r, e, now_ms);
			if (e->tokens >= r->burst) {
				*pp = e->next;
				free(e);
				r->n--;
			} else {
				pp = &e->next;
			}
		}
}

static struct entry *find_or_add(struct rates *r, const char *key,
				 int64_t now_ms)
{
	unsigned h = bucket(key);
	struct entry *e;

	for (e = r->b[h]; e; e = e->next)
		if (!strcmp(e->key, key))
			return e;
	if (r->n >= MAX_ENTRIES)
		sweep(r, now_ms);
	if (r->n >= MAX_ENTRIES)
		return NULL;
	e = calloc(1, sizeof(*e)); /* owned by the table */
	if (!e)
		return NULL;
	strncpy(e->key, key, sizeof(e->key) - 1);
	e->tokens = r->burst;
	e->last_ms = now_ms;
	e->next = r->b[h];
	r->b[h] = e;
	r->n++;
	return e;
}

int rate_take(struct rates *r, const char *key, int64_t now_ms, int *log_due)
{
	struct entry *e = find_or_add(r, key, now_ms);

	*log_due = 0;
	if (!e)
		return 1; /* full of busy keys, or no memory: let it be */
	refill(r, e, now_ms);
	if (e->tokens >= 1) {
		e->tokens -= 1;
		return 1;
	}
	if (!e->logged_ms || now_ms - e->logged_ms >= LOG_EVERY_MS) {
		e->logged_ms = now_ms;
		*log_due = 1;
	}
	return 0;
}

int rates_count(const struct rates *r)
{
	return r ? r->n : 0;
}
