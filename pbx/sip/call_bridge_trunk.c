/* call_bridge_trunk.c - chan_bridge out through a carrier's trunk: the
 * number as the carrier wants it, the caller ID its rules say, digest
 * answers, and results that tell the app whether to try the next trunk. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/call.h"
#include "sip/trunk.h"
#include "core/log.h"

#define REPLY_TIMEOUT_US 5000000 /* a carrier says 100 Trying at once */
#define MAX_AUTHS	 2

/* The number shown to the called party: the extension's own DID, the
 * tenant's main number, or none (anonymous). "" when there is none. */
static void caller_id(struct call *c, const struct trunk *t, char *out,
		      size_t len)
{
	char cos[DB_WORD_LEN], did[DB_NUMBER_LEN] = "";
	char main_no[DB_NUMBER_LEN] = "", emergency[DB_EMERGENCY_LEN];

	out[0] = '\0';
	(void)db_tenant_out(c->sip->db, c->tenant_id, main_no, emergency);
	if (!strcmp(t->cfg.callerid, "did") &&
	    db_ext_out(c->sip->db, c->tenant_id, c->caller, cos, did) == 0 &&
	    did[0])
		sip_strlcpy(out, did, len);
	else
		sip_strlcpy(out, main_no, len);
}

/* From, P-Asserted-Identity and Privacy the way carriers read them
 * (RFC 3325): the identity in PAI, and for a hidden number an anonymous
 * From with "Privacy: id" so the carrier withholds the PAI. */
static void identity(struct call *c, const struct trunk *t)
{
	char num[DB_NUMBER_LEN], shown[DB_NUMBER_LEN];
	int hide = !strcmp(t->cfg.callerid, "anonymous");

	caller_id(c, t, num, sizeof(num));
	if (num[0] &&
	    trunk_number_out(&t->cfg, num, shown, sizeof(shown)) != 0)
		sip_strlcpy(shown, num, sizeof(shown));
	if (hide || !num[0])
		snprintf(c->b_from, sizeof(c->b_from),
			 "\"Anonymous\" <sip:anonymous@anonymous.invalid>");
	else
		snprintf(c->b_from, sizeof(c->b_from), "<sip:%s@%s>", shown,
			 t->cfg.host);
	c->b_headers[0] = '\0';
	if (num[0])
		snprintf(c->b_headers, sizeof(c->b_headers),
			 "P-Asserted-Identity: <sip:%s@%s>%s", shown,
			 t->cfg.host, hide ? "\r\nPrivacy: id" : "");
	else if (hide)
		snprintf(c->b_headers, sizeof(c->b_headers), "Privacy: id");
}

/* The trunk's codec list, in the form tenant_codecs() reads. */
static void trunk_codecs(const struct trunk *t, enum codec_id *pref, int *n)
{
	struct db_tenant tc = {0};

	sip_strlcpy(tc.codecs, t->cfg.codecs, sizeof(tc.codecs));
	tenant_codecs(&tc, pref, n);
}

/* Can the trunk take one more call? Emergency calls always go. */
static int trunk_usable(const struct trunk *t, int emergency)
{
	if (t->reg != TRUNK_REG_NONE && t->reg != TRUNK_REG_OK)
		return 0; /* not registered: the carrier would refuse */
	if (t->reachable == 0)
		return 0;
	return emergency || !t->cfg.max_calls || t->calls < t->cfg.max_calls;
}

static int split_spec(const char *spec, char *name, size_t nlen, char *num,
		      size_t numlen)
{
	const char *slash = strchr(spec, '/');

	if (!slash || (size_t)(slash - spec) >= nlen)
		return -ENOENT;
	memcpy(name, spec, (size_t)(slash - spec));
	name[slash - spec] = '\0';
	sip_strlcpy(num, slash + 1, numlen);
	return db_valid_e164(num) ? 0 : -ENOENT;
}

static int is_emergency(struct call *c, const char *e164)
{
	char main_no[DB_NUMBER_LEN], emergency[DB_EMERGENCY_LEN];

	return db_tenant_out(c->sip->db, c->tenant_id, main_no, emergency) ==
		   0 &&
	       (db_emergency_match(emergency, e164) ||
		db_emergency_match(emergency, c->callee));
}

int bridge_trunk(struct call *c, const char *spec, int timeout_s)
{
	char name[DB_TRUNK_NAME_LEN], e164[DB_NUMBER_LEN], out[DB_NUMBER_LEN];
	char uri[DB_URI_LEN];
	struct trunk *t;
	int err, emergency;

	if (split_spec(spec, name, sizeof(name), e164, sizeof(e164)))
		return -ENOENT;
	t = trunk_find(c->sip, c->tenant_id, name);
	emergency = is_emergency(c, e164);
	if (!t || !trunk_usable(t, emergency)) {
		LOGC(LOGL_INFO, "call", c->domain, c->call_id,
		     "trunk %s %s", name, t ? "is down or full" : "unknown");
		return -ENETUNREACH;
	}
	/* Toll fraud runs up a bill by the hour: past the trunk's cap only
	 * emergency calls go out (and are not counted). */
	if (!emergency && t->cfg.max_per_hour &&
	    lim_hour_count(&t->out_hour, time(NULL)) >= t->cfg.max_per_hour) {
		LOGC(LOGL_WARN, "limit", c->domain, c->call_id,
		     "%s -> %s: trunk %s has started its %d calls of the hour",
		     c->caller, e164, name, t->cfg.max_per_hour);
		return -ENETUNREACH;
	}
	if (trunk_number_out(&t->cfg, e164, out, sizeof(out)))
		return -ENOENT;
	snprintf(uri, sizeof(uri), "sip:%s@%s:%d;transport=%s", out,
		 t->cfg.host, t->cfg.port, t->cfg.transport);
	trunk_codecs(t, c->bpref, &c->nbpref);
	err = bridge_begin(c, e164, timeout_s > 0 ? timeout_s : 60);
	if (err)
		return err;
	identity(c, t);
	snprintf(c->b_to, sizeof(c->b_to), "<sip:%s@%s>", out, t->cfg.host);
	c->bridge_trunk_id = t->cfg.id;
	t->calls++;
	c->bridge_reply_deadline_us = now_us() + REPLY_TIMEOUT_US;
	if (leg_b_start(c, uri, "", 0)) {
		bridge_end(c, -ENETUNREACH);
		return 1; /* already answered the app */
	}
	c->b->trunk_id = t->cfg.id;
	if (!emergency)
		lim_hour_add(&t->out_hour, time(NULL));
	LOGC(LOGL_INFO, "call", c->domain, c->call_id,
	     "%s -> %s via trunk %s as %s", c->caller, e164, t->cfg.name, out);
	return 0;
}

int bridge_trunk_auth(struct call *c, struct leg *l, int status,
		      const sip_t *sip)
{
	struct trunk *t = trunk_by_id(c->sip, l->trunk_id);
	const msg_auth_t *au;
	const char *realm;
	char cred[DB_TRUNK_USER_LEN + DB_TRUNK_PASS_LEN + DB_DOMAIN_LEN + 32];

	if ((status != 401 && status != 407) || !sip || !t ||
	    !t->cfg.username[0] || l->auths >= MAX_AUTHS)
		return -EACCES;
	au = status == 401 ? sip->sip_www_authenticate
			   : sip->sip_proxy_authenticate;
	realm = au ? msg_params_find(au->au_params, "realm=") : NULL;
	if (!realm || !au->au_scheme)
		return -EPROTO;
	snprintf(cred, sizeof(cred), "%s:%s:%s:%s", au->au_scheme, realm,
		 t->cfg.username, t->cfg.password);
	l->auths++;
	nua_authenticate(l->nh, NUTAG_AUTH(cred), TAG_END());
	return 0;
}

int bridge_trunk_result(int status)
{
	switch (status) {
	case 486:
	case 600:
		return -EBUSY;
	case 404:
	case 484:
	case 604:
		return -ENOENT; /* the number is wrong: no other trunk helps */
	case 480:
		return -ETIMEDOUT;
	case 488:
	case 606:
		return -EPROTONOSUPPORT;
	case 401:
	case 403:
	case 407:
		return -ENETUNREACH; /* this carrier refuses us; another may not */
	default:
		/* 408, 5xx and anything else from the carrier itself */
		return status == 408 || status >= 500 ? -ENETUNREACH
						      : -EHOSTUNREACH;
	}
}

void bridge_trunk_done(struct call *c)
{
	struct trunk *t;

	if (!c->bridge_trunk_id)
		return;
	t = trunk_by_id(c->sip, c->bridge_trunk_id);
	if (t && t->calls > 0)
		t->calls--;
	c->bridge_trunk_id = 0;
}
