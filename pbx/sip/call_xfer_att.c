/* call_xfer_att.c - attended transfer: REFER with Replaces (RFC 3891).
 * B talks to A (call c), consults C (call y, which B placed), then asks
 * the PBX to join A and C; B's two legs end (docs/transfer.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sofia-sip/url.h>

#include "sip/call.h"
#include "sip/trunk.h"
#include "sip/sdp_oa.h"
#include "media/mchan.h"
#include "core/log.h"
#include "sip/xfer_priv.h"

#define SDP_TYPE "application/sdp"

/* The Call-ID of the dialog that Refer-To's Replaces names. */
static int replaces_call_id(const sip_t *sip, char *out, size_t len)
{
	const char *h = sip->sip_refer_to->r_url->url_headers;
	char esc[DB_CALLID_LEN * 3], raw[DB_CALLID_LEN * 3];
	const char *p = h ? strcasestr(h, "Replaces=") : NULL;
	size_t n;

	if (!p)
		return -EINVAL;
	p += strlen("Replaces=");
	n = strcspn(p, "&");
	if (n == 0 || n >= sizeof(esc))
		return -EINVAL;
	memcpy(esc, p, n);
	esc[n] = '\0';
	url_unescape(raw, esc);
	n = strcspn(raw, ";");
	if (n == 0 || n >= len)
		return -EINVAL;
	memcpy(out, raw, n);
	out[n] = '\0';
	return 0;
}

/* The consultation call: placed by `by` in c's tenant, with that
 * Call-ID, not over. */
static struct call *find_consult(const struct call *c, const char *cid,
				 const char *by)
{
	for (struct call *y = c->sip->calls; y; y = y->next)
		if (y != c && y->tenant_id == c->tenant_id &&
		    y->state != CALL_ENDED && !strcmp(y->call_id, cid) &&
		    !strcmp(y->caller, by))
			return y;
	return NULL;
}

/* Whether xfer_take_media() can give l's channel out of c. */
static int can_take(const struct call *c, const struct leg *l)
{
	if (c->chan)
		return l != &c->a && c->bmc && c->bridged;
	if (c->media)
		return c->can_split;
	return c->mc && c->bmc;
}

/* C's phone gets the PBX's new offer for a channel next to A's: the two
 * channels were on different media workers, and joined ones must share
 * one. */
static int reoffer(struct call *n, struct leg *l, struct mchan *old)
{
	enum codec_id codec = mchan_codec(old);
	struct mchan_params p = {.codec = codec, .te_pt = 101,
				 .tag = n->call_id};
	char sdp[1024];
	int err;

	p.pt = codec_info(codec)->pt;
	err = mchan_alloc(&n->bmc, n->sip->media, &p, NULL, NULL, n->mc);
	if (err)
		return err;
	err = sdp_offer_build(sdp, sizeof(sdp), n->sip->host,
			      mchan_port(n->bmc), &codec, 1, ++n->sdp_id);
	if (err < 0)
		return err;
	l->reoffer = 1;
	nua_invite(l->nh, SIP_DIALOG_ROUTE_TAG(l->route),
		   SIPTAG_CONTENT_TYPE_STR(SDP_TYPE), SIPTAG_PAYLOAD_STR(sdp),
		   TAG_END());
	return 0;
}

void xfer_reoffer_response(struct call *c, struct leg *l, int status,
			   const sip_t *sip)
{
	enum codec_id codec = mchan_codec(c->bmc), got;
	struct sdp_offer a;
	char sdp[1024];
	int pt;

	if (status < 200)
		return;
	l->reoffer = 0;
	if (status >= 300 || !sip || !sip->sip_payload ||
	    sdp_offer_parse(sip->sip_payload->pl_data,
			    sip->sip_payload->pl_len, &a) ||
	    sdp_offer_choose(&a, &codec, 1, &got, &pt)) {
		LOGC(LOGL_WARN, "xfer", c->domain, c->call_id,
		     "%s refused the PBX's new media offer (%d): hung up",
		     c->callee, status);
		call_hangup(c);
		return;
	}
	mchan_set_codec(c->bmc, got, pt, a.te_pt, &a.addr);
	mchan_join(c->mc, c->bmc);
	/* What the phone gets back if it sends a re-INVITE itself. */
	if (sdp_answer_build(sdp, sizeof(sdp), c->sip->host,
			     mchan_port(c->bmc), got, pt, a.te_pt,
			     c->sdp_id) > 0) {
		free(l->local_sdp);
		l->local_sdp = strdup(sdp);
	}
	LOGC(LOGL_INFO, "xfer", c->domain, c->call_id,
	     "%s's media moved: joined to %s", c->callee, c->caller);
}

/* The joined call: t's party (from c) as the caller, cl's party (from
 * y) as the answered callee, their channels joined. */
static int join(struct call *c, struct leg *t, struct call *y, struct leg *cl)
{
	char id[DB_CALLID_LEN];
	struct db_tenant tn;
	struct mchan *mt, *mc;
	struct leg *b = calloc(1, sizeof(*b)); /* owned by n->b */
	/* A carrier's call goes on in n and counts there (c's or y's
	 * release gives its count back); with carriers on both sides only
	 * A's is counted. */
	int64_t trunk = xfer_leg_trunk(c, t) ? xfer_leg_trunk(c, t)
					     : xfer_leg_trunk(y, cl);
	struct trunk *tr = trunk ? trunk_by_id(c->sip, trunk) : NULL;
	struct call *n;
	int err;

	xfer_call_id(c, id, sizeof(id));
	if (!b || db_tenant_by_id(c->sip->db, c->tenant_id, &tn) ||
	    call_alloc(&n, c->sip, &tn, id)) {
		free(b);
		return -ENOMEM;
	}
	xfer_party(c, t, n->caller, sizeof(n->caller));
	if (t == &c->a)
		sip_strlcpy(n->caller_name, c->caller_name,
			    sizeof(n->caller_name));
	xfer_party(y, cl, n->callee, sizeof(n->callee));
	if (tr) {
		n->trunk_id = trunk;
		tr->calls++;
	}
	mt = xfer_take_media(c, t);
	mc = xfer_take_media(y, cl);
	xfer_move_leg(c, t, &n->a);
	b->call = n;
	b->role = LEG_B;
	xfer_move_leg(y, cl, b);
	n->b = n->winner = b;
	n->mc = mt;
	n->state = CALL_ANSWERED;
	n->answer_us = now_us();
	n->disposition = "ANSWERED";
	n->a.final = 200;
	err = mchan_join(mt, mc);
	if (err == -EXDEV) {
		err = reoffer(n, b, mc);
		mchan_release(mc, NULL, NULL);
	} else {
		n->bmc = mc;
	}
	if (!err)
		call_keys_watch(n);
	if (err) {
		call_hangup(n);
		call_maybe_free(n);
	}
	LOGC(LOGL_INFO, "xfer", c->domain, c->call_id,
	     "%s joined to %s: new call %s%s", n->caller, n->callee, id,
	     n->bmc && b->reoffer ? " (media moved)" : "");
	return 0;
}

void xfer_attended(struct call *c, struct leg *r, struct leg *t,
		   nua_handle_t *nh, const sip_t *sip, const sip_event_t *ev)
{
	char cid[DB_CALLID_LEN], by[DB_NUMBER_LEN], target[DB_NUMBER_LEN];
	struct call *y;
	struct leg *cl;

	xfer_party(c, r, by, sizeof(by));
	if (replaces_call_id(sip, cid, sizeof(cid)) ||
	    !(y = find_consult(c, cid, by))) {
		xfer_notify(nh, ev, 481, "Call Does Not Exist", 1);
		return;
	}
	sip_strlcpy(target, y->callee, sizeof(target));
	cl = y->winner;
	if (y->state == CALL_RINGING || !cl || !cl->up ||
	    (c->chan && t == &c->a)) {
		/* The consulted phone still rings, or A's side is an app's
		 * own caller (its channel stays with its thread): the
		 * consultation ends and A goes to its number as in a blind
		 * transfer. */
		LOGC(LOGL_INFO, "xfer", c->domain, c->call_id,
		     "%s: attended transfer to %s done as a blind one", by,
		     target);
		if (y->state == CALL_RINGING)
			call_fail(y, 487, "Request Terminated", "CANCELLED");
		else
			xfer_end_old(y);
		xfer_blind(c, r, t, nh, ev, target);
		return;
	}
	if (!can_take(c, t) || !can_take(y, cl) ||
	    join(c, t, y, cl)) {
		/* Nothing moved: both calls stay as they are. */
		xfer_notify(nh, ev, 488, "Not Acceptable Here", 1);
		return;
	}
	xfer_notify(nh, ev, 200, "OK", 1);
	xfer_end_old(c);
	xfer_end_old(y);
}
