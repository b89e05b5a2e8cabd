/* trunk.h - the SIP thread's live trunks: registration, keep-alive, limits,
 * and which trunk an incoming request came through. */
#ifndef ONDO_TRUNK_H
#define ONDO_TRUNK_H

#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "sip/sip_priv.h"
#include "db_trunk.h"
#include "sip/limits.h"

#define TRUNK_MAX_ADDRS 8
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
	/* The addresses the carrier sends from (cfg.ips; for an "ip"
	 * trunk without them, the host when it is an IP literal). */
	struct sockaddr_storage addrs[TRUNK_MAX_ADDRS];
	int naddrs;
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

/* trunk_in.c: an INVITE that came through trunk tr. */
void trunk_on_invite(struct sip *s, struct trunk *tr, nua_handle_t *nh,
		     const sip_t *sip);

#endif
