/* trunk_dns.c - the host names trunks list, resolved off the SIP thread:
 * the resolver thread, and the SIP thread's last good addresses. */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sip/trunk.h"
#include "core/log.h"

/* ---- the cache: SIP thread only ---------------------------------------- */

struct dns_entry {
	char name[DB_DOMAIN_LEN];
	struct ipnet addrs[TRUNK_DNS_ADDRS];
	int n;
	int resolved; /* 1 once a lookup gave addresses */
	int failing;  /* the last lookup failed (logged once a streak) */
};

struct dns_cache {
	struct dns_entry *e; /* owned */
	int n;
};

int dns_cache_alloc(struct dns_cache **cp)
{
	if (!cp)
		return -EINVAL;
	*cp = calloc(1, sizeof(**cp)); /* caller frees: dns_cache_free */
	return *cp ? 0 : -ENOMEM;
}

void dns_cache_free(struct dns_cache *c)
{
	if (!c)
		return;
	free(c->e);
	free(c);
}

static struct dns_entry *find(const struct dns_cache *c, const char *name)
{
	for (int i = 0; c && name && i < c->n; i++)
		if (!strcasecmp(c->e[i].name, name))
			return &c->e[i];
	return NULL;
}

int dns_cache_keep(struct dns_cache *c, const char *const *names, int n)
{
	struct dns_entry *e;
	struct dns_cache next = {0};

	if (!c || n < 0 || (n && !names))
		return -EINVAL;
	e = n ? calloc((size_t)n, sizeof(*e)) : NULL;
	if (n && !e)
		return -ENOMEM;
	next.e = e;
	for (int i = 0; i < n; i++) {
		const struct dns_entry *old;

		if (!names[i] || find(&next, names[i]))
			continue;
		old = find(c, names[i]);
		if (old)
			e[next.n] = *old;
		else
			snprintf(e[next.n].name, sizeof(e[next.n].name), "%s",
				 names[i]);
		next.n++;
	}
	free(c->e);
	*c = next;
	return 0;
}

static bool same_list(const struct dns_entry *e, const struct ipnet *addrs,
		      int n)
{
	if (e->n != n)
		return false;
	for (int i = 0; i < n; i++)
		if (e->addrs[i].family != addrs[i].family ||
		    memcmp(e->addrs[i].addr, addrs[i].addr, 16))
			return false;
	return true;
}

int dns_cache_update(struct dns_cache *c, const char *name, int err,
		     const struct ipnet *addrs, int n)
{
	struct dns_entry *e = find(c, name);

	if (!e)
		return -ENOENT;
	if (err || n <= 0 || !addrs)
		return e->resolved ? DNS_KEPT : DNS_NONE;
	if (n > TRUNK_DNS_ADDRS)
		n = TRUNK_DNS_ADDRS;
	if (e->resolved && same_list(e, addrs, n))
		return DNS_SAME;
	memcpy(e->addrs, addrs, (size_t)n * sizeof(*addrs));
	e->n = n;
	e->resolved = 1;
	return DNS_CHANGED;
}

int dns_cache_get(const struct dns_cache *c, const char *name,
		  const struct ipnet **addrs)
{
	const struct dns_entry *e = find(c, name);

	if (!e || !addrs)
		return -ENOENT;
	*addrs = e->addrs;
	return e->n;
}

/* ---- the resolver thread ------------------------------------------------ */

/* What one lookup found: a name, and its addresses or why none. */
struct dns_answer {
	char name[DB_DOMAIN_LEN];
	int gai; /* 0, or getaddrinfo's EAI_ error */
	int n;
	struct ipnet addrs[TRUNK_DNS_ADDRS];
};

/* A round of lookups, handed to the SIP thread. */
struct dns_round {
	int n;
	struct dns_answer a[]; /* n of them */
};

struct trunk_dns {
	struct sip *s; /* borrowed: only to post to its mailbox */
	pthread_t thread;
	int started;
	pthread_mutex_t lock; /* guards want, gen, stop and done */
	pthread_cond_t cond;  /* want or stop changed (CLOCK_MONOTONIC) */
	char *want;	      /* owned: the names, each NUL-ended, then "" */
	unsigned gen;	      /* counts changes of want */
	int stop;
	struct dns_round *done;	 /* owned: a round the SIP thread has not
				  * taken yet (a newer one replaces it) */
	struct dns_cache *cache; /* owned; SIP thread only */
};

/* The addresses of one name: IPv4 and IPv6 alike, since the carrier may
 * send from either; duplicates (one per socket type) once. */
static void lookup(struct dns_answer *a)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_DGRAM};
	struct addrinfo *res = NULL;

	a->n = 0;
	a->gai = getaddrinfo(a->name, NULL, &hints, &res);
	for (struct addrinfo *ai = a->gai ? NULL : res;
	     ai && a->n < TRUNK_DNS_ADDRS; ai = ai->ai_next) {
		struct ipnet net;
		bool dup = false;

		if (ipnet_from_sockaddr(ai->ai_addr, &net))
			continue;
		for (int i = 0; i < a->n && !dup; i++)
			dup = ipnet_contains(&a->addrs[i], &net);
		if (!dup)
			a->addrs[a->n++] = net;
	}
	if (res)
		freeaddrinfo(res);
	if (!a->gai && !a->n)
		a->gai = EAI_NODATA;
}

static int count_names(const char *list)
{
	int n = 0;

	for (const char *p = list; p && *p; p += strlen(p) + 1)
		n++;
	return n;
}

/* Looks up every name of `list` (owned, freed here); NULL if there are
 * none, or no memory (then the next round tries again). */
static struct dns_round *resolve(char *list)
{
	int n = count_names(list), i = 0;
	struct dns_round *r;

	r = n ? calloc(1, sizeof(*r) + (size_t)n * sizeof(r->a[0])) : NULL;
	for (const char *p = list; r && *p; p += strlen(p) + 1, i++) {
		snprintf(r->a[i].name, sizeof(r->a[i].name), "%s", p);
		lookup(&r->a[i]);
	}
	if (r)
		r->n = n;
	free(list);
	return r;
}

static bool any_failed(const struct dns_round *r)
{
	for (int i = 0; r && i < r->n; i++)
		if (r->a[i].gai)
			return true;
	return false;
}

static void take_h(struct sip *s, void *arg);

static void *resolver_main(void *arg)
{
	struct trunk_dns *d = arg;
	struct timespec next;
	unsigned seen = 0;

	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		struct timespec now;
		struct dns_round *r, *old;
		char *list;
		size_t len = 0;

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (d->gen == seen && (now.tv_sec < next.tv_sec ||
				       (now.tv_sec == next.tv_sec &&
					now.tv_nsec < next.tv_nsec))) {
			pthread_cond_timedwait(&d->cond, &d->lock, &next);
			continue;
		}
		seen = d->gen;
		for (const char *p = d->want; p && *p; p += strlen(p) + 1)
			len += strlen(p) + 1;
		list = calloc(1, len + 1); /* resolve() frees it */
		if (list && d->want)
			memcpy(list, d->want, len);
		/* The lookups block for as long as DNS takes: never under
		 * the lock, which trunk_dns_want takes on the SIP thread. */
		pthread_mutex_unlock(&d->lock);
		r = list ? resolve(list) : NULL;
		clock_gettime(CLOCK_MONOTONIC, &next);
		next.tv_sec +=
		    any_failed(r) ? TRUNK_DNS_RETRY_S : TRUNK_DNS_REFRESH_S;
		pthread_mutex_lock(&d->lock);
		if (!r)
			continue;
		old = d->done;
		d->done = r;
		pthread_mutex_unlock(&d->lock);
		free(old);
		/* Outside the lock: sip_post takes the mailbox's. The SIP
		 * thread joins this thread before its mailbox closes. */
		sip_post(d->s, take_h, NULL);
		pthread_mutex_lock(&d->lock);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

/* ---- the SIP thread's side ---------------------------------------------- */

/* A trunk that lists `name`, for the log line. */
static const char *user_of(struct sip *s, const char *name)
{
	for (struct trunk *t = s->trunks; t; t = t->next)
		for (int i = 0; i < t->nnames; i++)
			if (!strcasecmp(t->names[i], name))
				return t->cfg.name;
	return "?";
}

static void list_text(const struct ipnet *addrs, int n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && used + IPNET_TEXT_LEN + 2 < len; i++) {
		char one[IPNET_TEXT_LEN];
		ipnet_format(&addrs[i], one, sizeof(one));
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? ", " : "", one);
	}
}

static void apply(struct sip *s, const struct dns_answer *a)
{
	struct dns_entry *e = find(s->dns->cache, a->name);
	char list[TRUNK_DNS_ADDRS * (IPNET_TEXT_LEN + 2) + 1];
	int was_failing = e ? e->failing : 0;
	int r =
	    dns_cache_update(s->dns->cache, a->name, a->gai, a->addrs, a->n);

	if (r < 0)
		return; /* no trunk lists it since the lookup began */
	e->failing = r == DNS_KEPT || r == DNS_NONE;
	list_text(e->addrs, e->n, list, sizeof(list));
	switch (r) {
	case DNS_CHANGED:
		LOGI("trunk", "%s: %s resolves to %s", user_of(s, a->name),
		     a->name, list);
		break;
	case DNS_SAME:
		if (was_failing)
			LOGI("trunk", "%s: %s resolves again, to %s",
			     user_of(s, a->name), a->name, list);
		break;
	case DNS_KEPT:
		if (!was_failing)
			LOGW("trunk",
			     "%s: cannot resolve %s (%s): keeping its "
			     "last addresses %s; retrying in %d s",
			     user_of(s, a->name), a->name, gai_strerror(a->gai),
			     list, TRUNK_DNS_RETRY_S);
		break;
	default:
		if (!was_failing)
			LOGW("trunk",
			     "%s: cannot resolve %s (%s): no request "
			     "matches it until it does; retrying "
			     "in %d s",
			     user_of(s, a->name), a->name, gai_strerror(a->gai),
			     TRUNK_DNS_RETRY_S);
	}
}

static void take_h(struct sip *s, void *arg)
{
	struct trunk_dns *d = s->dns;
	struct dns_round *r;

	(void)arg;
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	r = d->done;
	d->done = NULL;
	pthread_mutex_unlock(&d->lock);
	for (int i = 0; r && i < r->n; i++)
		apply(s, &r->a[i]);
	free(r);
}

int trunk_dns_start(struct sip *s)
{
	struct trunk_dns *d = calloc(1, sizeof(*d)); /* trunk_dns_stop */
	pthread_condattr_t ca;
	int err;

	if (!d)
		return -ENOMEM;
	d->s = s;
	err = dns_cache_alloc(&d->cache);
	if (err) {
		free(d);
		return err;
	}
	pthread_mutex_init(&d->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cond, &ca);
	pthread_condattr_destroy(&ca);
	s->dns = d;
	err = pthread_create(&d->thread, NULL, resolver_main, d);
	if (err) {
		LOGE("trunk", "cannot start the resolver thread: %s",
		     strerror(err));
		return -err;
	}
	d->started = 1;
	return 0;
}

void trunk_dns_stop(struct sip *s)
{
	struct trunk_dns *d = s->dns;

	if (!d)
		return;
	if (d->started) {
		pthread_mutex_lock(&d->lock);
		d->stop = 1;
		pthread_cond_signal(&d->cond);
		pthread_mutex_unlock(&d->lock);
		pthread_join(d->thread, NULL);
	}
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	dns_cache_free(d->cache);
	free(d->done);
	free(d->want);
	free(d);
	s->dns = NULL;
}

void trunk_dns_want(struct sip *s)
{
	struct trunk_dns *d = s->dns;
	const char **names;
	char *want, *p;
	size_t len = 1;
	int n = 0;

	if (!d)
		return;
	for (struct trunk *t = s->trunks; t; t = t->next)
		for (int i = 0; i < t->nnames; i++) {
			len += strlen(t->names[i]) + 1;
			n++;
		}
	names = calloc((size_t)n + 1, sizeof(*names));
	want = calloc(1, len); /* handed to the resolver */
	if (!names || !want) {
		LOGE("trunk", "out of memory: host names of trunks not "
			      "resolved anew");
		free(names);
		free(want);
		return;
	}
	n = 0;
	p = want;
	for (struct trunk *t = s->trunks; t; t = t->next)
		for (int i = 0; i < t->nnames; i++) {
			names[n++] = t->names[i];
			p += sprintf(p, "%s", t->names[i]) + 1;
		}
	if (dns_cache_keep(d->cache, names, n))
		LOGE("trunk", "out of memory: host names of trunks not kept");
	free(names);
	pthread_mutex_lock(&d->lock);
	free(d->want);
	d->want = want;
	d->gen++;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

bool trunk_dns_match(struct sip *s, const char *name, const struct sockaddr *sa)
{
	const struct ipnet *addrs;
	int n;

	if (!s->dns)
		return false;
	n = dns_cache_get(s->dns->cache, name, &addrs);
	return n > 0 && ipnet_match_any(addrs, n, sa);
}
