/* trunk.c - the live trunk list: loading, matching requests, numbers, status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/random.h>

#include "sip/trunk.h"
#include "core/log.h"

/* trunk_reg.c */
void trunk_reg_stop(struct sip *s, struct trunk *t);

static int random_token(char *out)
{
	unsigned char b[(TRUNK_TOKEN_LEN - 1) / 2];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -EIO;
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* The carrier's sources: the addresses, prefixes and host names of ips;
 * for an "ip" trunk without ips, its host (an address or a name). A
 * registering trunk is known by its Contact token and matches no address
 * unless ips are given (its carrier's address is often shared with
 * phones, or with other tenants' trunks). Names are only noted here:
 * trunk_dns.c resolves them on its own thread once the load is done. */
static void set_addrs(struct trunk *t)
{
	char *save = NULL;

	t->nnets = t->nnames = 0;
	snprintf(t->name_buf, sizeof(t->name_buf), "%s", t->cfg.ips);
	for (char *e = strtok_r(t->name_buf, ",", &save); e;
	     e = strtok_r(NULL, ",", &save)) {
		int err = t->nnets + t->nnames < TRUNK_MAX_NETS
			      ? ipnet_parse(e, &t->nets[t->nnets])
			      : -ENOSPC;
		if (!err)
			t->nnets++;
		else if (err == -EINVAL && db_valid_domain(e) &&
			 !strpbrk(e, ":/"))
			t->names[t->nnames++] = e;
		else /* db_trunk_check refuses it; a row edited by hand */
			LOGW("trunk", "%s: ips entry '%s' ignored", t->cfg.name,
			     e);
	}
	if (t->nnets || t->nnames || strcmp(t->cfg.auth, "ip"))
		return;
	if (ipnet_parse(t->cfg.host, &t->nets[0]) == 0)
		t->nnets = 1;
	else
		t->names[t->nnames++] = t->cfg.host;
}

struct load {
	struct sip *s;
	struct trunk *old;  /* the running list, consumed */
	struct trunk *list; /* the new one */
	int err;
};

static struct trunk *take_old(struct load *l, int64_t id)
{
	for (struct trunk **pp = &l->old; *pp; pp = &(*pp)->next) {
		struct trunk *t = *pp;
		if (t->cfg.id == id) {
			*pp = t->next;
			return t;
		}
	}
	return NULL;
}

static int load_h(const struct db_trunk *cfg, void *arg)
{
	struct load *l = arg;
	struct trunk *t = take_old(l, cfg->id);
	struct db_tenant tenant;

	if (t && !memcmp(&t->cfg, cfg, sizeof(*cfg))) {
		t->next = l->list; /* unchanged: keeps running as it is */
		l->list = t;
		return 0;
	}
	if (t) {
		/* Changed: register anew, but under the same Contact, so
		 * the carrier replaces its binding instead of keeping two. */
		trunk_reg_stop(l->s, t);
	} else {
		t = calloc(1, sizeof(*t)); /* owned by s->trunks */
		if (!t || random_token(t->token)) {
			free(t);
			return -ENOMEM;
		}
		t->reachable = -1;
	}
	t->cfg = *cfg;
	t->domain[0] = '\0';
	if (cfg->tenant_id &&
	    db_tenant_by_id(l->s->db, cfg->tenant_id, &tenant) == 0)
		sip_strlcpy(t->domain, tenant.domain, sizeof(t->domain));
	set_addrs(t);
	t->reg = strcmp(cfg->auth, "register") ? TRUNK_REG_NONE
					       : TRUNK_REG_WAIT;
	t->reg_retry_ms = 0;
	t->reg_backoff_s = 0;
	t->opt_next_ms = 0;
	t->next = l->list;
	l->list = t;
	return 0;
}

int trunk_load(struct sip *s)
{
	struct load l = {.s = s, .old = s->trunks};
	int err;

	s->trunks = NULL;
	err = db_trunk_list(s->db, -1, load_h, &l);
	/* What is left of the old list was deleted (or the load failed:
	 * then the old trunks are kept running rather than dropped). */
	if (err) {
		while (l.list) {
			struct trunk *t = l.list;
			l.list = t->next;
			t->next = l.old;
			l.old = t;
		}
		s->trunks = l.old;
		LOGE("trunk", "cannot load trunks: %s", strerror(-err));
		return err;
	}
	while (l.old) {
		struct trunk *t = l.old;
		l.old = t->next;
		LOGI("trunk", "%s: removed", t->cfg.name);
		trunk_reg_stop(s, t);
		free(t);
	}
	s->trunks = l.list;
	trunk_dns_want(s);
	return 0;
}

void trunk_free_all(struct sip *s)
{
	/* After nua_destroy(): nua_shutdown() already ended the
	 * registrations and the stack freed the handles. */
	while (s->trunks) {
		struct trunk *t = s->trunks;
		s->trunks = t->next;
		free(t);
	}
}

/* True if src is one of the carrier's sources (set_addrs): an address
 * or prefix, or the last good addresses of one of its host names. */
static int from_addr(struct sip *s, const struct trunk *t,
		     const struct sockaddr_storage *src)
{
	const struct sockaddr *sa = (const struct sockaddr *)src;

	if (!src)
		return 0;
	if (ipnet_match_any(t->nets, t->nnets, sa))
		return 1;
	for (int i = 0; i < t->nnames; i++)
		if (trunk_dns_match(s, t->names[i], sa))
			return 1;
	return 0;
}

/* A request to a registering trunk's token must also come from its
 * carrier, as far as the PBX can tell without resolving the host: from
 * the listed ips, else from the host when it is an address. Only a trunk
 * whose host is a name and has no ips trusts the token alone (64 random
 * bits, known only to the carrier). */
static int token_source_ok(struct sip *s, const struct trunk *t,
			   const struct sockaddr_storage *src)
{
	struct ipnet host;

	if (t->nnets || t->nnames)
		return from_addr(s, t, src);
	if (ipnet_parse(t->cfg.host, &host))
		return 1;
	return src && ipnet_match_any(&host, 1, (const struct sockaddr *)src);
}

/* The tenant owning the number a request through t calls, or -1. */
static int64_t did_owner(struct sip *s, const struct trunk *t,
			 const char *user)
{
	char e164[DB_NUMBER_LEN];
	struct db_did d;

	if (!user || trunk_number_in(&t->cfg, user, e164, sizeof(e164)) ||
	    db_did_get(s->db, e164, &d))
		return -1;
	return d.tenant_id;
}

struct trunk *trunk_match(struct sip *s, const sip_t *sip,
			  const struct sockaddr_storage *src)
{
	const char *user = sip->sip_request->rq_url->url_user;
	struct trunk *first = NULL;

	for (struct trunk *t = s->trunks; user && t; t = t->next)
		if (t->reg != TRUNK_REG_NONE && !strcmp(user, t->token) &&
		    token_source_ok(s, t, src))
			return t;
	for (struct trunk *t = s->trunks; t; t = t->next) {
		if (!from_addr(s, t, src))
			continue;
		if (t->cfg.tenant_id && did_owner(s, t, user) == t->cfg.tenant_id)
			return t;
		if (!first || (!t->cfg.tenant_id && first->cfg.tenant_id))
			first = t;
	}
	/* None of the DID owner's trunks sends from there: the first one
	 * that does (a shared one preferred); trunk_on_invite then takes
	 * the call or refuses it. */
	return first;
}

struct trunk *trunk_by_id(struct sip *s, int64_t id)
{
	for (struct trunk *t = s->trunks; t; t = t->next)
		if (t->cfg.id == id)
			return t;
	return NULL;
}

struct trunk *trunk_find(struct sip *s, int64_t tenant_id, const char *name)
{
	struct trunk *shared = NULL;

	for (struct trunk *t = s->trunks; t; t = t->next) {
		if (strcmp(t->cfg.name, name))
			continue;
		if (t->cfg.tenant_id == tenant_id)
			return t;
		if (!t->cfg.tenant_id)
			shared = t;
	}
	return shared;
}

static int rewrite(const char *in, int strip, const char *prefix, char *out,
		   size_t len)
{
	size_t n = strlen(in);
	int w;

	if ((size_t)strip > n)
		return -EINVAL;
	w = snprintf(out, len, "%s%s", prefix, in + strip);
	return w < 0 || (size_t)w >= len ? -ENOSPC : 0;
}

int trunk_number_in(const struct db_trunk *t, const char *number, char *out,
		    size_t len)
{
	int err = rewrite(number, t->in_strip, t->in_prefix, out, len);

	return err ? err : db_valid_e164(out) ? 0 : -EINVAL;
}

int trunk_number_out(const struct db_trunk *t, const char *e164, char *out,
		     size_t len)
{
	return rewrite(e164, t->out_strip, t->out_prefix, out, len);
}

static const char *reg_word(const struct trunk *t)
{
	static const char *const words[] = {"-", "waiting", "registering",
					    "registered", "failed"};
	return words[t->reg];
}

int trunk_status_print(struct sip *s, const char *domain, FILE *out)
{
	for (struct trunk *t = s->trunks; t; t = t->next) {
		char calls[64], detail[96] = "";

		/* A tenant's calls may use the shared trunks too: they are
		 * listed with its own (as ondoctl trunk list DOMAIN does). */
		if (domain && *domain && t->domain[0] &&
		    strcmp(domain, t->domain))
			continue;
		if (t->cfg.max_calls)
			snprintf(calls, sizeof(calls), "%d/%d", t->calls,
				 t->cfg.max_calls);
		else
			snprintf(calls, sizeof(calls), "%d", t->calls);
		if (t->cfg.max_per_hour)
			snprintf(calls + strlen(calls),
				 sizeof(calls) - strlen(calls),
				 ", %d/%d out this hour",
				 lim_hour_count(&t->out_hour, time(NULL)),
				 t->cfg.max_per_hour);
		if (t->reg_status)
			snprintf(detail, sizeof(detail), "%d %s", t->reg_status,
				 t->reg_phrase);
		fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\n",
			t->domain[0] ? t->domain : "shared", t->cfg.name,
			reg_word(t),
			t->reachable < 0 ? "unknown"
			: t->reachable	 ? "up"
					 : "down",
			calls, detail[0] ? detail : "-");
	}
	return 0;
}

int sip_trunks_print(struct sip *s, const char *domain, FILE *out)
{
	return trunk_status_print(s, domain, out);
}

int sip_trunks_reload(struct sip *s)
{
	LOGI("trunk", "reloading trunks");
	return trunk_load(s);
}
