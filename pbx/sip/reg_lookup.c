/* reg_lookup.c - the in-memory location table, hashed by extension id.
 *
 * An entry keeps its strings packed after it, each only as long as it
 * is: a registration costs about 250 bytes instead of the 1.7 KB of
 * struct db_reg's fixed buffers (bench/mem.sh measured 1,776 bytes of
 * heap per registration before). Callers still see struct db_reg: the
 * API copies in and out. The bucket array doubles as the table fills, so
 * a lookup walks a chain of about two entries at any size.
 *
 * Entries come from chunks of their own (CHUNK bytes, cut into size
 * classes of GRAIN bytes), not from the general heap: allocated one by
 * one during a REGISTER burst, each would sit between the burst's
 * short-lived transactions and keep its page from going back to the
 * system (bench/NOTES.md). A freed entry goes to its class's free list;
 * chunks are kept until the table is freed, so the memory follows the
 * most registrations ever held, not the current count. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sip/reg.h"

#define NB_MIN 1024 /* first bucket count; a power of two */
#define GRAIN 64	   /* entry sizes are rounded up to this */
#define NCLASS 32	   /* classes of GRAIN..NCLASS*GRAIN bytes */
#define CHUNK (256 * 1024) /* above malloc's mmap threshold: apart */

enum { S_CONTACT, S_ROUTE, S_CALLID, S_UA, S_NUMBER, S_DOMAIN, S_N };

struct reg_entry {
	struct reg_entry *next;
	int64_t ext_id, tenant_id, expires;
	uint32_t cseq;
	uint16_t off[S_N]; /* where each string starts in s[] */
	char s[];	   /* the S_N strings, each NUL-terminated */
};

struct chunk {
	struct chunk *next;
	size_t used; /* bytes of data[] handed out */
	char data[];
};

struct reg_table {
	struct reg_entry **b; /* owned */
	unsigned nb;	      /* buckets, a power of two */
	int count;
	struct chunk *chunks;		 /* owned; the newest first */
	struct reg_entry *free[NCLASS]; /* freed entries, by class */
};

static unsigned bucket(const struct reg_table *t, int64_t ext_id)
{
	uint64_t x = (uint64_t)ext_id * 0x9E3779B97F4A7C15ULL;

	return (unsigned)(x >> 32) & (t->nb - 1);
}

/* Where each string lives in struct db_reg, and its buffer's size. */
#define FIELD(f) {offsetof(struct db_reg, f), sizeof(((struct db_reg *)0)->f)}
static const struct {
	size_t off, cap;
} field[S_N] = {
    [S_CONTACT] = FIELD(contact), [S_ROUTE] = FIELD(route),
    [S_CALLID] = FIELD(call_id),  [S_UA] = FIELD(user_agent),
    [S_NUMBER] = FIELD(number),   [S_DOMAIN] = FIELD(domain),
};

static int class_of(size_t size)
{
	return (int)((size + GRAIN - 1) / GRAIN) - 1;
}

/* Room for an entry of `size` bytes: from its class's free list, else
 * cut from the newest chunk, else from a new chunk. */
static struct reg_entry *entry_alloc(struct reg_table *t, size_t size)
{
	int k = class_of(size);
	size_t need = (size_t)(k + 1) * GRAIN;
	struct reg_entry *e = t->free[k];
	struct chunk *c = t->chunks;

	if (e) {
		t->free[k] = e->next;
		return e;
	}
	if (!c || c->used + need > CHUNK - sizeof(*c)) {
		c = malloc(CHUNK); /* owned by t, freed in reg_table_free */
		if (!c)
			return NULL;
		c->next = t->chunks;
		c->used = 0;
		t->chunks = c;
	}
	e = (struct reg_entry *)(c->data + c->used);
	c->used += need;
	return e;
}

static size_t entry_size(const struct reg_entry *e)
{
	const char *last = e->s + e->off[S_N - 1];

	return (size_t)(last - (const char *)e) + strlen(last) + 1;
}

static void entry_free(struct reg_table *t, struct reg_entry *e)
{
	int k = class_of(entry_size(e));

	e->next = t->free[k];
	t->free[k] = e;
}

/* A new entry holding r; NULL when out of memory. Strings are cut to
 * their buffer (they always fit: they came from the same struct). */
static struct reg_entry *pack(struct reg_table *t, const struct db_reg *r)
{
	const char *src[S_N];
	size_t len[S_N], total = 0;
	struct reg_entry *e;

	for (int i = 0; i < S_N; i++) {
		src[i] = (const char *)r + field[i].off;
		len[i] = strnlen(src[i], field[i].cap - 1);
		total += len[i] + 1;
	}
	e = entry_alloc(t, offsetof(struct reg_entry, s) + total); /* table's */
	if (!e)
		return NULL;
	e->next = NULL;
	e->ext_id = r->ext_id;
	e->tenant_id = r->tenant_id;
	e->expires = r->expires;
	e->cseq = r->cseq;
	total = 0;
	for (int i = 0; i < S_N; i++) {
		e->off[i] = (uint16_t)total;
		memcpy(e->s + total, src[i], len[i]);
		e->s[total + len[i]] = '\0';
		total += len[i] + 1;
	}
	return e;
}

static void unpack(const struct reg_entry *e, struct db_reg *r)
{
	r->ext_id = e->ext_id;
	r->tenant_id = e->tenant_id;
	r->expires = e->expires;
	r->cseq = e->cseq;
	for (int i = 0; i < S_N; i++)
		memcpy((char *)r + field[i].off, e->s + e->off[i],
		       strlen(e->s + e->off[i]) + 1);
}

static const char *contact_of(const struct reg_entry *e)
{
	return e->s + e->off[S_CONTACT];
}

int reg_table_alloc(struct reg_table **tp)
{
	struct reg_table *t = calloc(1, sizeof(*t)); /* caller frees */

	if (t)
		t->b = calloc(NB_MIN, sizeof(*t->b));
	if (!t || !t->b) {
		free(t);
		return -ENOMEM;
	}
	t->nb = NB_MIN;
	*tp = t;
	return 0;
}

void reg_table_free(struct reg_table *t)
{
	if (!t)
		return;
	while (t->chunks) { /* every entry lives in one */
		struct chunk *c = t->chunks;
		t->chunks = c->next;
		free(c);
	}
	free(t->b);
	free(t);
}

/* Doubles the buckets once there are two entries a bucket. Out of
 * memory, the table stays as it is: slower, still right. */
static void grow(struct reg_table *t)
{
	struct reg_table n = {.nb = t->nb * 2};
	struct reg_entry **b;

	if ((unsigned)t->count < 2 * t->nb || n.nb > (1u << 24))
		return;
	b = n.b = calloc(n.nb, sizeof(*n.b));
	if (!b)
		return;
	for (unsigned i = 0; i < t->nb; i++) {
		struct reg_entry *e = t->b[i], *next;
		for (; e; e = next) {
			unsigned k = bucket(&n, e->ext_id);
			next = e->next;
			e->next = n.b[k];
			n.b[k] = e;
		}
	}
	free(t->b);
	t->b = b;
	t->nb = n.nb;
}

/* The link that points at the contact (ext_id, contact), or the one of
 * the extension's contact closest to expiry when the contact is new and
 * the extension has REG_MAX_CONTACTS; NULL if it is new and fits. */
static struct reg_entry **find_slot(struct reg_table *t,
				    const struct db_reg *r)
{
	struct reg_entry **pp, **soonest = NULL;
	int n = 0;

	for (pp = &t->b[bucket(t, r->ext_id)]; *pp; pp = &(*pp)->next) {
		if ((*pp)->ext_id != r->ext_id)
			continue;
		if (!strcmp(contact_of(*pp), r->contact))
			return pp;
		n++;
		if (!soonest || (*pp)->expires < (*soonest)->expires)
			soonest = pp;
	}
	return n >= REG_MAX_CONTACTS ? soonest : NULL;
}

int reg_table_set(struct reg_table *t, const struct db_reg *r)
{
	struct reg_entry **pp = find_slot(t, r), *e = pack(t, r);

	if (!e)
		return -ENOMEM;
	if (pp) { /* a refresh, or the replaced contact */
		struct reg_entry *old = *pp;
		e->next = old->next;
		*pp = e;
		entry_free(t, old);
		return 0;
	}
	pp = &t->b[bucket(t, r->ext_id)];
	e->next = *pp;
	*pp = e;
	t->count++;
	grow(t);
	return 0;
}

int reg_table_del(struct reg_table *t, int64_t ext_id, const char *contact)
{
	struct reg_entry **pp = &t->b[bucket(t, ext_id)], *e;
	int n = 0;

	while ((e = *pp)) {
		if (e->ext_id == ext_id &&
		    (!contact || !strcmp(contact_of(e), contact))) {
			*pp = e->next;
			entry_free(t, e);
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

	for (struct reg_entry *e = t->b[bucket(t, ext_id)]; e && n < max;
	     e = e->next)
		if (e->ext_id == ext_id && e->expires > now)
			unpack(e, &out[n++]);
	return n;
}

int reg_table_expire(struct reg_table *t, int64_t now)
{
	int n = 0;

	for (unsigned i = 0; i < t->nb; i++) {
		struct reg_entry **pp = &t->b[i], *e;
		while ((e = *pp)) {
			if (e->expires <= now) {
				*pp = e->next;
				entry_free(t, e);
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

size_t reg_table_mem(const struct reg_table *t)
{
	size_t n = t->nb * sizeof(*t->b);

	for (const struct chunk *c = t->chunks; c; c = c->next)
		n += CHUNK;
	return n;
}

void reg_table_walk(struct reg_table *t,
		    void (*h)(const struct db_reg *r, void *arg), void *arg)
{
	struct db_reg r;

	for (unsigned i = 0; i < t->nb; i++)
		for (struct reg_entry *e = t->b[i]; e; e = e->next) {
			unpack(e, &r);
			h(&r, arg);
		}
}
