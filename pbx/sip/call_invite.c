/* call_invite.c - a new INVITE: authenticate, route, anchor media, fork. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/call.h"
#include "sip/limits.h"
#include "db_record.h"
#include "sip/reg.h"
#include "sip/sdp_rewrite.h"
#include "sip/sdp_oa.h"
#include "sip/tenant.h"
#include "sip/trunk.h"
#include "media/media.h"
#include "dialplan/dialplan.h"
#include "apps/apps.h"
#include "core/log.h"

/* A call that never reached the point of having a call object still gets
 * a CDR row once the caller is authenticated. */
static void reject(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		   const struct db_tenant *t, const struct db_ext *caller,
		   const char *callee, int status, const char *phrase)
{
	LOGC(LOGL_INFO, "call", t->domain, sip->sip_call_id->i_id,
	     "%s -> %s rejected: %d %s", caller->number, callee, status,
	     phrase);
	cdr_post(s, t->id, sip->sip_call_id->i_id, caller->number, callee,
		 now_us(), status, status == 486 ? "BUSY" : "FAILED");
	sip_reply(s, nh, status, phrase);
}

/* The PBX's own offer for a callee that turns out to share no codec with
 * the caller, made only if the caller offers a codec the PBX decodes. */
static int prepare_transcoding(struct call *c, const sip_t *sip)
{
	struct sdp_offer o;
	char sdp[1024];
	int n;

	if (sdp_offer_parse(sip->sip_payload->pl_data, sip->sip_payload->pl_len,
			    &o) ||
	    sdp_offer_choose(&o, c->pref, c->npref, &c->xa.codec, &c->xa.pt))
		return 0; /* relayed as offered, or refused by the callee */
	c->xa.te_pt = o.te_pt;
	n = sdp_offer_build(sdp, sizeof(sdp), c->sip->host,
			    msess_port(c->media, MSIDE_B), c->pref, c->npref,
			    c->sdp_id);
	if (n < 0)
		return n;
	c->offer_x = strdup(sdp);
	return c->offer_x ? 0 : -ENOMEM;
}

static int anchor_media(struct call *c, const sip_t *sip,
			const struct sockaddr_storage *src)
{
	struct sip *s = c->sip;
	struct sockaddr_storage remote;
	int err;

	if (!sip->sip_payload || !sip->sip_payload->pl_len)
		return -ENOMSG;
	err = msess_alloc(&c->media, s->media, c->call_id);
	if (err)
		return err;
	/* Kept for voicemail: a call the callee does not take is answered
	 * by the PBX with the caller's offer. */
	c->offer_a = strndup(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
	if (!c->offer_a)
		return -ENOMEM;
	err = sdp_rewrite(sip->sip_payload->pl_data, sip->sip_payload->pl_len,
			  s->host, msess_port(c->media, MSIDE_B), &c->offer_b,
			  &remote);
	if (!err)
		err = prepare_transcoding(c, sip);
	if (err)
		return err;
	return msess_set_remote(c->media, MSIDE_A, &remote, src);
}

/* Rings the extension st->ext for a call to `dialled` (the same number,
 * or an extension it is forwarded to): the direct path, relayed, no app
 * thread. */
static void start_call(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		       const struct db_tenant *t, const struct db_ext *caller,
		       const char *dialled, const struct fwd_chain *ch,
		       const struct fwd_step *st)
{
	struct sockaddr_storage src;
	struct call *c;
	int err;

	if (call_alloc(&c, s, t, sip->sip_call_id->i_id)) {
		sip_reply(s, nh, SIP_500_INTERNAL_SERVER_ERROR);
		return;
	}
	sip_strlcpy(c->caller, caller->number, sizeof(c->caller));
	sip_strlcpy(c->caller_name, caller->name, sizeof(c->caller_name));
	sip_strlcpy(c->callee, dialled, sizeof(c->callee));
	c->fwd = *ch;
	c->a.nh = nh;
	nua_handle_bind(nh, &c->a);
	if (sip_request_source(s, &src, c->a.route, sizeof(c->a.route)) == 0)
		c->a.sig = src;
	err = anchor_media(c, sip, &src);
	if (err == -ENOMSG) {
		/* Late offer (INVITE without SDP) is not handled yet. */
		call_fail(c, 488, "SDP Offer Required", "FAILED");
		return;
	}
	if (err == -EAGAIN) {
		call_fail(c, SIP_503_SERVICE_UNAVAILABLE, "FAILED");
		return;
	}
	if (err) {
		call_fail(c, SIP_488_NOT_ACCEPTABLE, "FAILED");
		return;
	}
	c->rec_mode = s->inbound_trunk ? DB_REC_NEVER
				       : (int)db_ext_record(s->db, t->id,
							    caller->number);
	if (call_fwd_ring(c, st))
		/* Registered a moment ago, no INVITE went: as if its phones
		 * failed (its noanswer forward, its mailbox, or 480). */
		call_fwd_direct(c, FWD_EV_FAILED);
}

/* A call to an extension, decided by its forwards and DND
 * (pbx/dialplan/fwd.h): ring it or the extension it forwards to, or
 * leave a message, or run a forward's route, or refuse. */
void call_dial_extension(struct sip *s, nua_handle_t *nh, const sip_t *sip,
			 const struct db_tenant *t,
			 const struct db_ext *caller, const char *number)
{
	const struct app *app;
	struct call_fwd_ctx x;
	struct fwd_chain ch;
	struct fwd_step st;
	struct fwd_ops ops;
	struct call *c;
	char args[DB_NUMBER_LEN + 16];
	const char *phrase, *disp;
	int err;

	fwd_chain_reset(&ch);
	call_fwd_ops(&x, &ops, s, t, caller->number, sip->sip_call_id->i_id,
		     1);
	err = fwd_arrive(&ops, &ch, number, &st);
	if (err) {
		reject(s, nh, sip, t, caller, number, err == -ENOENT ? 404 : 500,
		       err == -ENOENT ? "Not Found" : "Server Internal Error");
		return;
	}
	switch (st.action) {
	case FWD_RING:
		start_call(s, nh, sip, t, caller, number, &ch, &st);
		return;
	case FWD_VOICEMAIL:
		snprintf(args, sizeof(args), "%s,%s", st.ext,
			 st.busy ? "busy" : "unavail");
		if (!(app = app_find("voicemail")))
			break;
		call_start_app(s, nh, sip, t, caller, number, app, args, 0);
		return;
	case FWD_ROUTE:
		if (!(app = app_find(st.app)))
			break;
		c = call_start_app(s, nh, sip, t, caller, number, app, st.args,
				   0);
		if (c) {
			c->fwd = ch;
			c->fwd_nested = 1; /* its bridges go on with the chain */
		}
		return;
	default:
		break;
	}
	if (st.action != FWD_REFUSE) {
		reject(s, nh, sip, t, caller, number, 500,
		       "Server Internal Error");
		return;
	}
	err = call_fwd_status(st.result, &phrase, &disp);
	reject(s, nh, sip, t, caller, number, err, phrase);
}

/* The tenant's dialplan decides: a route's app, or the extension. */
void call_route(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		const struct db_tenant *t, const struct db_ext *caller,
		const char *dialled, int cos)
{
	const struct app *app;
	struct dp_result r;
	int err = dialled ? dp_lookup(s->db, t, dialled, caller->number, &r)
			  : -ENOENT;

	if (err == -ENOENT || err == -EINVAL) {
		reject(s, nh, sip, t, caller, dialled ? dialled : "", 404,
		       "Not Found");
		return;
	}
	if (err) {
		reject(s, nh, sip, t, caller, dialled, 500,
		       "Server Internal Error");
		return;
	}
	if (!dp_cos_allows(s->db, t, caller->number, cos, &r, dialled)) {
		LOGC(LOGL_INFO, "call", t->domain, sip->sip_call_id->i_id,
		     "%s may not call %s: route %lld needs a higher class of "
		     "service",
		     caller->number, dialled, (long long)r.route_id);
		reject(s, nh, sip, t, caller, dialled, 403, "Forbidden");
		return;
	}
	if (!strcmp(r.app, "dial") && r.route_id == 0) {
		/* An extension dialled as it is: relayed, no app thread. */
		call_dial_extension(s, nh, sip, t, caller, r.args);
		return;
	}
	app = app_find(r.app);
	if (!app) {
		/* ondoctl refuses such routes; one could only come from a
		 * database edited by hand, or an app removed since. */
		LOGC(LOGL_ERROR, "call", t->domain, sip->sip_call_id->i_id,
		     "route %lld names app '%s' which does not exist",
		     (long long)r.route_id, r.app);
		reject(s, nh, sip, t, caller, dialled, 500,
		       "Server Internal Error");
		return;
	}
	call_start_app(s, nh, sip, t, caller, dialled, app, r.args,
		       r.route_id ? (int)db_route_record(s->db, t->id,
							 r.route_id)
				  : DB_REC_NEVER);
}

/* call_on_invite, the INVITE past its first checks. */
static void dispatch_invite(struct sip *s, nua_handle_t *nh, const sip_t *sip,
			    const char *host)
{
	struct sockaddr_storage src;
	struct db_tenant t;
	struct db_ext caller;
	struct trunk *tr;

	tr = sip_request_source(s, &src, NULL, 0) == 0
		 ? trunk_match(s, sip, &src)
		 : NULL;
	if (tr) {
		/* A carrier: trusted by its address or token, not digest. */
		trunk_on_invite(s, tr, nh, sip);
		return;
	}
	if (!host || tenant_lookup(s->db, host, s->conf->default_tenant, &t)) {
		LOGC(LOGL_INFO, "call", host, sip->sip_call_id->i_id,
		     "INVITE for a domain not served here");
		sip_reply(s, nh, 404, "Domain Not Served Here");
		return;
	}
	if (auth_request(s, nh, sip, &t, 1, &caller))
		return;
	if (!lim_emergency(s, t.id, sip->sip_request->rq_url->url_user) &&
	    flood_invite(s, t.domain, caller.number, sip->sip_call_id->i_id)) {
		reject(s, nh, sip, &t, &caller,
		       sip->sip_request->rq_url->url_user, 403,
		       "Call Rate Exceeded");
		return;
	}
	if (lim_new_call(s, nh, sip, &t, &caller, NULL,
			 sip->sip_request->rq_url->url_user))
		return;
	/* *8 and **EXT are feature codes, and park slots are the tenant's
	 * own numbers: both before any route. */
	if (call_pickup(s, nh, sip, &t, &caller,
			sip->sip_request->rq_url->url_user) ||
	    call_park_retrieve(s, nh, sip, &t, &caller,
			       sip->sip_request->rq_url->url_user))
		return;
	call_route(s, nh, sip, &t, &caller, sip->sip_request->rq_url->url_user,
		   -1);
}

void call_on_invite(struct sip *s, nua_handle_t *nh, const sip_t *sip)
{
	const char *host = sip->sip_request->rq_url->url_host;

	if (!sip->sip_call_id || !sip->sip_from || !sip->sip_to) {
		sip_reply(s, nh, SIP_400_BAD_REQUEST);
		return;
	}
	if (s->shutting_down) {
		sip_reply(s, nh, SIP_503_SERVICE_UNAVAILABLE);
		return;
	}
	/* A call going round in a loop (two PBXes forwarding to each other)
	 * ends here, before any work (RFC 3261 16.3 step 2). */
	if (sip->sip_max_forwards && sip->sip_max_forwards->mf_count == 0) {
		LOGC(LOGL_WARN, "call", host, sip->sip_call_id->i_id,
		     "INVITE with Max-Forwards 0 (a call loop?): 483");
		sip_reply(s, nh, 483, "Too Many Hops");
		return;
	}
	s->inbound_mf = sip->sip_max_forwards
			    ? (int)(sip->sip_max_forwards->mf_count > 256
					? 255
					: sip->sip_max_forwards->mf_count - 1)
			    : CALL_MAX_FORWARDS;
	dispatch_invite(s, nh, sip, host);
	s->inbound_mf = -1;
}

