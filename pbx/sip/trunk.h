/* trunk.h - the SIP thread's live trunks: registration, keep-alive, limits,
 * and which trunk an incoming request came through. */
#ifndef ONDO_TRUNK_H
#define ONDO_TRUNK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "sip/sip_priv.h"
#include "core/ipnet.h"
#include "db_trunk.h"
#include "sip/limits.h"

#define TRUNK_MAX_NETS	DB_TRUNK_IPS_MAX
#define TRUNK_DNS_ADDRS 16 /* addresses kept per host name */
#define TRUNK_TOKEN_LEN 17 /* 16 hex digits */

enum trunk_reg {
	TRUNK_REG_NONE,	       /* an "ip" trunk: nothing to register */
	TRUNK_REG_WAIT,	       /* waiting to (re)try */
	TRUNK_REG_TRYING,      /* REGISTER sent */
	TRUNK_REG_OK,	       /* registered; the stack refreshes it */
	TRUNK_REG_FAILED       /* refused or unanswered; retried later */
};

/* One trunk as the SIP thread runs it. Only the SIP thread touches it. */
struct trunk {
	struct db_trunk cfg;
	char domain[DB_DOMAIN_LEN]; /* its tenant's domain; "" if shared */
	/* The Contact user it registers with: a random token, so that a
	 * request to it is known to come through this trunk even when two
	 * tenants use the same carrier. */
	char token[TRUNK_TOKEN_LEN];
	/* Where the carrier sends from: the addresses and prefixes of
	 * cfg.ips, and its host names, whose addresses the resolver keeps
	 * (trunk_dns.c). For an "ip" trunk without ips, its host: an
	 * address, or a name resolved the same way. */
	struct ipnet nets[TRUNK_MAX_NETS];
	int nnets;
	const char *names[TRUNK_MAX_NETS]; /* into name_buf, or cfg.host */
	int nnames;
	char name_buf[DB_TRUNK_IPS_LEN];
	nua_handle_t *reg_nh;
	enum trunk_reg reg;
	int reg_status;		/* last final answer to REGISTER */
	char reg_phrase[64];
	int reg_auths;		/* challenges answered since the last 200 */
	int64_t reg_retry_ms;	/* when to try again (monotonic) */
	int reg_backoff_s;
	nua_handle_t *opt_nh;	/* OPTIONS in flight */
	int64_t opt_next_ms;
	int reachable;		/* -1 unknown, 0 down, 1 up */
	int calls;		/* calls through it now */
	/* outbound calls started, for cfg.max_per_hour (limits.c); kept
	 * while the trunk's settings change, as the rest of its state */
	struct lim_hour out_hour;
	struct trunk *next;
};

/* Reads every trunk from the database and starts registering those that
 * register. Trunks already running keep their state when their settings
 * did not change (a reload must not drop a registration for nothing). */
int trunk_load(struct sip *s);
/* Frees every trunk, after nua_destroy() (nua_shutdown() ended their
 * registrations). */
void trunk_free_all(struct sip *s);
/* Once a second: registration retries, OPTIONS keep-alive. */
void trunk_tick(struct sip *s);
/* A response to a REGISTER or OPTIONS the trunk code sent; returns 1 if
 * nh was one of its handles. */
int trunk_on_response(struct sip *s, nua_event_t ev, int status,
		      const char *phrase, nua_handle_t *nh, const sip_t *sip);
/* One line per trunk (tenant domain or "shared", name, registration,
 * reachability, calls, detail), for `ondoctl trunk status`; `domain`
 * NULL or "" for all, else that tenant's and the shared ones. */
int trunk_status_print(struct sip *s, const char *domain, FILE *out);

/* The trunk an incoming request came through, or NULL: its Request-URI
 * user is a trunk's token, or its source address is one a trunk's carrier
 * sends from. With several trunks sending from that address (tenants
 * sharing a carrier), the one whose tenant owns the called DID wins, then
 * a shared one. */
struct trunk *trunk_match(struct sip *s, const sip_t *sip,
			  const struct sockaddr_storage *src);
/* Trunk with database id `id`, or NULL (deleted since). */
struct trunk *trunk_by_id(struct sip *s, int64_t id);
/* Trunk `name` usable by tenant_id (its own first, then shared). */
struct trunk *trunk_find(struct sip *s, int64_t tenant_id, const char *name);

/* The carrier's number as E.164 by the trunk's in_strip/in_prefix; -EINVAL
 * if the result is not E.164. Pure. */
int trunk_number_in(const struct db_trunk *t, const char *number, char *out,
		    size_t len);
/* The E.164 number as the carrier wants it (out_strip/out_prefix). */
int trunk_number_out(const struct db_trunk *t, const char *e164, char *out,
		     size_t len);

/*
 * trunk_dns.c: the host names of trunks' ips (and of "ip" trunks' hosts
 * without ips), resolved by a thread of their own so that DNS never
 * blocks the SIP thread: at each trunk load, and again every
 * TRUNK_DNS_REFRESH_S (sooner, TRUNK_DNS_RETRY_S, after a failure). The
 * addresses reach the SIP thread through its mailbox. A name that fails
 * to resolve keeps its last good addresses (logged).
 */
#define TRUNK_DNS_REFRESH_S 300
#define TRUNK_DNS_RETRY_S   30
/* Starts the resolver thread (s->dns). Before the first trunk_load. */
int trunk_dns_start(struct sip *s);
/* Stops and joins it (a lookup under way is waited for: the resolver's
 * own timeouts bound it), then frees what it kept. Before the mailbox
 * closes. */
void trunk_dns_stop(struct sip *s);
/* After a load: the names the trunks list now go to the resolver, which
 * looks them up at once; names no trunk lists any more are forgotten. */
void trunk_dns_want(struct sip *s);
/* True if sa is one of the last good addresses of host name `name`
 * (false while it has never resolved). SIP thread. */
bool trunk_dns_match(struct sip *s, const char *name,
		     const struct sockaddr *sa);

/* The last good addresses of each name, as the SIP thread keeps them;
 * pure, apart from memory (what trunk_dns.c builds on, and unit tests
 * test). */
struct dns_cache;
enum dns_update {
	DNS_CHANGED, /* resolved; the list is new or differs */
	DNS_SAME,    /* resolved to the list it had */
	DNS_KEPT,    /* failed; the last good list stays */
	DNS_NONE     /* failed, and it never resolved */
};
/* Caller frees with dns_cache_free. */
int dns_cache_alloc(struct dns_cache **cp);
void dns_cache_free(struct dns_cache *c);
/* Keeps the entries of names[0..n-1] (duplicates once, case ignored)
 * with what they had, adds the new ones unresolved, drops the rest.
 * 0 or -ENOMEM (then c is as it was). */
int dns_cache_keep(struct dns_cache *c, const char *const *names, int n);
/* A lookup of `name`: err 0 replaces its list by addrs[0..n-1] (at most
 * TRUNK_DNS_ADDRS kept; n 0 counts as a failure); any other err keeps
 * the last good list. An enum dns_update, or -ENOENT if c does not keep
 * that name (forgotten since the lookup began). */
int dns_cache_update(struct dns_cache *c, const char *name, int err,
		     const struct ipnet *addrs, int n);
/* The list of `name` (borrowed: valid until the next keep or update);
 * its length, or -ENOENT. */
int dns_cache_get(const struct dns_cache *c, const char *name,
		  const struct ipnet **addrs);

/* trunk_in.c: an INVITE that came through trunk tr. */
void trunk_on_invite(struct sip *s, struct trunk *tr, nua_handle_t *nh,
		     const sip_t *sip);

#endif
