/* reg_lookup.c - the in-memory location table, hashed by extension id. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sip/reg.h"

#define NBUCKETS 4096 /* power of two; grows no further for now */

struct reg_entry {
	struct db_reg r;
	struct reg_entry *next;
};

struct reg_table {
	struct reg_entry *b[NBUCKETS];
	int count;
};

static unsigned bucket(int64_t ext_id)
{
	uint64_t x = (uint64_t)ext_id * 0x9E3779B97F4A7C15ULL;
	return (unsigned)(x >> 52) & (NBUCKETS - 1);
}

int reg_table_alloc(struct reg_table **tp)
{
	*tp = calloc(1, sizeof(**tp)); /* caller frees: reg_table_free */
	return *tp ? 0 : -ENOMEM;
}

void reg_table_free(struct reg_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < NBUCKETS; i++) {
		struct reg_entry *e = t->b[i], *n;
		for (; e; e = n) {
			n = e->next;
			free(e);
		}
	}
	free(t);
}

static int count_ext(struct reg_table *t, int64_t ext_id,
		     struct reg_entry **soonest)
{
	int n = 0;

	*soonest = NULL;
	for (struct reg_entry *e = t->b[bucket(ext_id)]; e; e = e->next) {
		if (e->r.ext_id != ext_id)
			continue;
		n++;
		if (!*soonest || e->r.expires < (*soonest)->r.expires)
			*soonest = e;
	}
	return n;
}

int reg_table_set(struct reg_table *t, const struct db_reg *r)
{
	struct reg_entry **head = &t->b[bucket(r->ext_id)], *e, *soonest;

	for (e = *head; e; e = e->next) {
		if (e->r.ext_id == r->ext_id &&
		    !strcmp(e->r.contact, r->contact)) {
			e->r = *r;
			return 0;
		}
	}
	if (count_ext(t, r->ext_id, &soonest) >= REG_MAX_CONTACTS) {
		soonest->r = *r;
		return 0;
	}
	e = malloc(sizeof(*e)); /* owned by the table */
	if (!e)
		return -ENOMEM;
	e->r = *r;
	e->next = *head;
	*head = e;
	t->count++;
	return 0;
}

int reg_table_del(struct reg_table *t, int64_t ext_id, const char *contact)
{
	struct reg_entry **pp = &t->b[bucket(ext_id)], *e;
	int n = 0;

	while ((e = *pp)) {
		if (e->r.ext_id == ext_id &&
		    (!contact || !strcmp(e->r.contact, contact))) {
			*pp = e->next;
			free(e);
			t->count--;
			n++;
		} else {
			pp = &e->next;
		}
	}
	return n;
}

int reg_table_get(struct reg_table *t, int64_t ext_id, int64_t now,
		  struct db_reg *out, int max)
{
	int n = 0;

	for (struct reg_entry *e = t->b[bucket(ext_id)]; e && n < max;
	     e = e->next)
		if (e->r.ext_id == ext_id && e->r.expires > now)
			out[n++] = e->r;
	return n;
}

int reg_table_expire(struct reg_table *t, int64_t now)
{
	int n = 0;

	for (int i = 0; i < NBUCKETS; i++) {
		struct reg_entry **pp = &t->b[i], *e;
		while ((e = *pp)) {
			if (e->r.expires <= now) {
				*pp = e->next;
				free(e);
				t->count--;
				n++;
			} else {
				pp = &e->next;
			}
		}
	}
	return n;
}

int reg_table_count(struct reg_table *t)
{
	return t->count;
}

void reg_table_walk(struct reg_table *t,
		    void (*h)(const struct db_reg *r, void *arg), void *arg)
{
	for (int i = 0; i < NBUCKETS; i++)
		for (struct reg_entry *e = t->b[i]; e; e = e->next)
			h(&e->r, arg);
}
