/* trunk_in.c - a call from a carrier: its DID decides the tenant and where
 * the call goes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sip/trunk.h"
#include "sip/call.h"
#include "sip/limits.h"
#include "apps/apps.h"
#include "core/log.h"
#include "dialplan/dialplan.h"

/* The number the carrier called: the Request-URI's user, unless that is
 * the trunk's own Contact token (a registered trunk), then the To user. */
static const char *called(const struct trunk *tr, const sip_t *sip)
{
	const char *ruser = sip->sip_request->rq_url->url_user;

	if (ruser && strcmp(ruser, tr->token))
		return ruser;
	return sip->sip_to->a_url->url_user;
}

/* Who calls, as the carrier says: a number the dialplan could dial back,
 * and a display name that is safe to pass on. Never an extension of the
 * tenant: the caller's rights come from the trunk, not from its From. */
static void caller_of(const sip_t *sip, struct db_ext *caller)
{
	const char *user = sip->sip_from->a_url->url_user;
	const char *name = sip->sip_from->a_display;

	memset(caller, 0, sizeof(*caller));
	if (user && db_valid_dialable(user))
		sip_strlcpy(caller->number, user, sizeof(caller->number));
	else
		sip_strlcpy(caller->number, "anonymous", sizeof(caller->number));
	if (name) {
		char plain[DB_NAME_LEN];
		size_t n = strlen(name);
		/* a quoted display name arrives with its quotes */
		if (n >= 2 && name[0] == '"' && name[n - 1] == '"')
			sip_strlcpy(plain, name + 1,
				    n - 1 < sizeof(plain) ? n - 1
							  : sizeof(plain));
		else
			sip_strlcpy(plain, name, sizeof(plain));
		if (db_valid_name(plain))
			sip_strlcpy(caller->name, plain, sizeof(caller->name));
	}
}

static void refuse(struct sip *s, struct trunk *tr, nua_handle_t *nh,
		   const sip_t *sip, int status, const char *phrase,
		   const char *why, const char *number)
{
	LOGC(LOGL_INFO, "trunk", tr->domain[0] ? tr->domain : "shared",
	     sip->sip_call_id->i_id, "%s: call to '%s' refused (%d): %s",
	     tr->cfg.name, number ? number : "", status, why);
	sip_reply(s, nh, status, phrase);
}

/* Sends the call to a destination of DID `did`: its own, or the branch
 * its time condition chose. */
static void start_app(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		      const struct db_tenant *t, const struct db_ext *caller,
		      const char *did, const char *name, const char *args)
{
	const struct app *app = app_find(name);

	if (app)
		call_start_app(s, nh, sip, t, caller, did, app, args, 0);
	else
		sip_reply(s, nh, SIP_500_INTERNAL_SERVER_ERROR);
}

static void dispatch(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		     const struct db_tenant *t, const struct db_ext *caller,
		     const char *did, const char *type, const char *dest)
{
	if (!strcmp(type, "extension")) {
		call_dial_extension(s, nh, sip, t, caller, dest);
	} else if (!strcmp(type, "ivr")) {
		start_app(s, nh, sip, t, caller, did, "ivr", dest);
	} else if (!strcmp(type, "conference") ||
		   !strcmp(type, "ringgroup")) {
		start_app(s, nh, sip, t, caller, did, type, dest);
	} else if (!strcmp(type, "voicemail")) {
		char args[DB_NUMBER_LEN + 16];
		snprintf(args, sizeof(args), "%s,unavail", dest);
		start_app(s, nh, sip, t, caller, did, "voicemail", args);
	} else {
		/* A number of the tenant's dialplan, with the rights of an
		 * internal caller: a carrier's call must never be routed
		 * back out to another carrier (toll fraud). */
		call_route(s, nh, sip, t, caller, dest, DB_COS_INTERNAL);
	}
}

static void to_destination(struct sip *s, nua_handle_t *nh, const sip_t *sip,
			   const struct db_tenant *t, const struct db_did *d)
{
	const char *cid = sip->sip_call_id->i_id;
	struct db_ext caller;
	struct tc_choice ch;
	char line[256];
	int err;

	caller_of(sip, &caller);
	if (strcmp(d->dest_type, "timecond")) {
		dispatch(s, nh, sip, t, &caller, d->number, d->dest_type,
			 d->dest);
		return;
	}
	/* Decided at the call, by the rules, holidays and zone in the
	 * database now: an ondoctl change counts from the next call. */
	err = tc_choose(s->db, t, d->dest, time(NULL), NULL, &ch);
	if (err) {
		LOGC(LOGL_WARN, "trunk", t->domain, cid,
		     "DID %s: time condition '%s': %s", d->number, d->dest,
		     err == -ENOENT ? "no such condition" : strerror(-err));
		sip_reply(s, nh, err == -ENOENT ? 404 : 500,
			  err == -ENOENT ? "Not Found"
					 : "Server Internal Error");
		return;
	}
	tc_choice_line(&ch, d->dest, line, sizeof(line));
	LOGC(LOGL_INFO, "trunk", t->domain, cid, "%s", line);
	dispatch(s, nh, sip, t, &caller, d->number, ch.type, ch.dest);
}

void trunk_on_invite(struct sip *s, struct trunk *tr, nua_handle_t *nh,
		     const sip_t *sip)
{
	const char *raw = called(tr, sip);
	char e164[DB_NUMBER_LEN];
	struct db_tenant t;
	struct db_did d;

	if (!raw || trunk_number_in(&tr->cfg, raw, e164, sizeof(e164))) {
		refuse(s, tr, nh, sip, 404, "Not Found", "not a number", raw);
		return;
	}
	if (db_did_get(s->db, e164, &d)) {
		refuse(s, tr, nh, sip, 404, "Not Found", "no tenant owns it",
		       e164);
		return;
	}
	if (tr->cfg.tenant_id && tr->cfg.tenant_id != d.tenant_id) {
		/* Never into another tenant through this tenant's trunk. */
		refuse(s, tr, nh, sip, 404, "Not Found",
		       "a DID of another tenant", e164);
		return;
	}
	if (tr->cfg.max_calls && tr->calls >= tr->cfg.max_calls) {
		refuse(s, tr, nh, sip, 503, "Service Unavailable",
		       "the trunk is at its call limit", e164);
		return;
	}
	if (db_tenant_by_id(s->db, d.tenant_id, &t)) {
		sip_reply(s, nh, SIP_500_INTERNAL_SERVER_ERROR);
		return;
	}
	if (lim_new_call(s, nh, sip, &t, NULL,
			 sip->sip_from->a_url->url_user
			     ? sip->sip_from->a_url->url_user
			     : "",
			 e164))
		return;
	LOGC(LOGL_INFO, "trunk", t.domain, sip->sip_call_id->i_id,
	     "%s: call to DID %s -> %s %s", tr->cfg.name, e164, d.dest_type,
	     d.dest);
	/* The call object made below counts itself on this trunk. */
	s->inbound_trunk = tr;
	to_destination(s, nh, sip, &t, &d);
	s->inbound_trunk = NULL;
}
