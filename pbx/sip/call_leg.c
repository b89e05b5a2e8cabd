/* call_leg.c - events on a call's legs: progress, answer, BYE, CANCEL. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/call.h"
#include "sip/sdp_rewrite.h"
#include "media/media.h"
#include "media/mchan.h"
#include "sip/sdp_oa.h"
#include "core/log.h"
#include "core/chan_priv.h"
#include "media/dtmf.h"

#define SDP_TYPE "application/sdp"

void call_b_from_to(struct call *c, const char *to_number)
{
	if (c->caller_name[0])
		snprintf(c->b_from, sizeof(c->b_from), "\"%s\" <sip:%s@%s>",
			 c->caller_name, c->caller, c->domain);
	else
		snprintf(c->b_from, sizeof(c->b_from), "<sip:%s@%s>",
			 c->caller, c->domain);
	snprintf(c->b_to, sizeof(c->b_to), "<sip:%s@%s>", to_number,
		 c->domain);
}

int leg_b_start(struct call *c, const char *contact, const char *route,
		int xcode)
{
	return leg_b_start_as(c, contact, route, c->b_from, c->b_to,
			      xcode ? c->offer_x : c->offer_b, xcode);
}

int leg_b_start_as(struct call *c, const char *contact, const char *route,
		   const char *from, const char *to, const char *sdp,
		   int xcode)
{
	struct sip *s = c->sip;
	struct leg *l = calloc(1, sizeof(*l)); /* owned by c->b */
	char mf[16];

	if (!l)
		return -ENOMEM;
	l->call = c;
	l->role = LEG_B;
	l->xcode = xcode;
	l->gen = c->gen;
	sip_strlcpy(l->contact, contact, sizeof(l->contact));
	sip_strlcpy(l->route, route, sizeof(l->route));
	l->nh = nua_handle(s->nua, l, SIPTAG_TO_STR(to), SIPTAG_FROM_STR(from),
			   TAG_END());
	if (!l->nh) {
		free(l);
		return -ENOMEM;
	}
	l->next = c->b;
	c->b = l;
	/* The Request-URI is the phone's Contact; the request itself goes
	 * to the address and connection the phone registered from (NAT,
	 * TCP). */
	snprintf(mf, sizeof(mf), "%d", c->max_fwd);
	nua_invite(l->nh, NUTAG_URL(l->contact), SIP_ROUTE_TAGS(l->route),
		   SIPTAG_MAX_FORWARDS_STR(mf),
		   TAG_IF(c->b_headers[0], SIPTAG_HEADER_STR(c->b_headers)),
		   SIPTAG_CONTENT_TYPE_STR(SDP_TYPE),
		   SIPTAG_PAYLOAD_STR(sdp),
		   TAG_END());
	return 0;
}

void leg_bye(struct leg *l)
{
	if (!l->nh || l->bye_sent || !l->up)
		return;
	l->bye_sent = 1;
	nua_bye(l->nh, SIP_DIALOG_ROUTE_TAG(l->route), TAG_END());
}

void leg_cancel_others(struct call *c, struct leg *keep)
{
	for (struct leg *l = c->b; l; l = l->next) {
		if (l == keep || !l->nh || l->final)
			continue;
		if (l->up)
			leg_bye(l);
		else
			nua_cancel(l->nh, TAG_END());
	}
}

/* Rewrites a B leg's SDP for the caller and points the B side of the
 * relay at the phone that sent it. */
static int answer_sdp(struct call *c, struct leg *l, const sip_t *sip)
{
	struct sockaddr_storage remote;
	char *sdp = NULL;
	int err;

	if (!sip || !sip->sip_payload || !sip->sip_payload->pl_len)
		return -ENOMSG;
	err = sdp_rewrite(sip->sip_payload->pl_data, sip->sip_payload->pl_len,
			  c->sip->host, msess_port(c->media, MSIDE_A), &sdp,
			  &remote);
	if (err)
		return err;
	free(c->a.local_sdp);
	c->a.local_sdp = sdp;
	return msess_set_remote(c->media, MSIDE_B, &remote, NULL);
}

static void b_progress(struct call *c, struct leg *l, int status,
		       const char *phrase, const sip_t *sip)
{
	if (c->state != CALL_RINGING || status == 100)
		return;
	/* Early media only through the plain relay: a leg to be
	 * transcoded has no channels until it answers. */
	if (status == 183 && !l->xcode && answer_sdp(c, l, sip) == 0)
		nua_respond(c->a.nh, status, phrase,
			    SIPTAG_CONTENT_TYPE_STR(SDP_TYPE),
			    SIPTAG_PAYLOAD_STR(c->a.local_sdp), TAG_END());
	else
		nua_respond(c->a.nh, SIP_180_RINGING, TAG_END());
}

static void b_answered(struct call *c, struct leg *l, const sip_t *sip)
{
	int err;

	l->up = 1;
	if (c->state != CALL_RINGING) {
		/* Lost the race: another contact answered first, or the
		 * caller gave up. */
		leg_bye(l);
		return;
	}
	if (l->xcode) {
		err = xcode_answer(c, l, sip);
	} else {
		err = answer_sdp(c, l, sip);
		if (err == -ENOMSG && c->a.local_sdp)
			err = 0; /* the SDP came with a 183 already */
		/* What this leg gets if it sends a re-INVITE. */
		free(l->local_sdp);
		l->local_sdp = err ? NULL : strdup(c->offer_b);
	}
	if (err) {
		leg_bye(l);
		call_fail(c, SIP_488_NOT_ACCEPTABLE, "FAILED");
		return;
	}
	if (!l->xcode)
		call_split_prepare(c, sip);
	call_keys_watch(c);
	if (c->rec_mode && !l->xcode && call_split(c))
		LOGC(LOGL_WARN, "rec", c->domain, c->call_id,
		     "the callee's codec cannot be decoded: not recorded");
	call_rec_start(c, c->rec_mode);
	c->winner = l;
	c->state = CALL_ANSWERED;
	c->answer_us = now_us();
	c->ring_deadline_us = 0;
	c->disposition = "ANSWERED";
	leg_cancel_others(c, l);
	nua_respond(c->a.nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR(SDP_TYPE),
		    SIPTAG_PAYLOAD_STR(c->a.local_sdp), TAG_END());
	c->a.final = 200;
	c->a.up = 1;
	LOGC(LOGL_INFO, "call", c->domain, c->call_id, "%s -> %s answered",
	     c->caller, c->callee);
}

/* All contacts said no: busy only if every one of them was busy. */
static void b_failed(struct call *c, struct leg *l, int status)
{
	int busy = 1;

	l->final = status;
	if (c->state != CALL_RINGING || l->gen != c->gen)
		return; /* over, or a phone of a target the call has left */
	if (xcode_retry(c, l, status) == 0)
		return; /* the same phone, now offered the PBX's codecs */
	for (struct leg *x = c->b; x; x = x->next) {
		if (x->gen != c->gen)
			continue;
		if (!x->final)
			return; /* another contact is still ringing */
		if (x->final != 486 && x->final != 600)
			busy = 0;
	}
	/* The extension's forward for it, or its mailbox, or 486/480. */
	call_fwd_direct(c, busy ? FWD_EV_BUSY : FWD_EV_FAILED);
}

/* A phone of a target the call has left (forwarded on no answer or
 * busy) answers or fails late. */
static void stale_response(struct leg *l, int status)
{
	if (status >= 200 && status < 300) {
		l->up = 1;
		leg_bye(l);
	} else if (status >= 300) {
		l->final = status;
	}
}

static void b_response(struct call *c, struct leg *l, int status,
		       const char *phrase, const sip_t *sip)
{
	if (call_consult_response(c, l, status, sip))
		return;
	if (c->bridging || (c->chan && c->state == CALL_ANSWERED)) {
		bridge_response(c, l, status, sip);
		return;
	}
	if (c->chan || l->gen != c->gen) {
		/* A phone of a call diverted to voicemail, or of an earlier
		 * target, answers or fails late: the call is elsewhere now. */
		stale_response(l, status);
		return;
	}
	if (status < 200)
		b_progress(c, l, status, phrase, sip);
	else if (status < 300)
		b_answered(c, l, sip);
	else
		b_failed(c, l, status);
}

/* A re-INVITE (hold, a new address): the media follows the new address
 * and the leg keeps the SDP it already has from us. */
static void reinvite(struct leg *l, nua_handle_t *nh, const sip_t *sip)
{
	struct call *c = l->call;
	int side = l->role == LEG_A ? MSIDE_A : MSIDE_B;
	struct mchan *mc = side == MSIDE_A ? c->mc : c->bmc;
	struct sdp_offer o;
	char *ans = NULL;

	if (!l->local_sdp || (!c->media && !mc)) {
		nua_respond(nh, SIP_488_NOT_ACCEPTABLE, TAG_END());
		return;
	}
	if (sip->sip_payload && sip->sip_payload->pl_len) {
		if (sdp_offer_parse(sip->sip_payload->pl_data,
				    sip->sip_payload->pl_len, &o)) {
			nua_respond(nh, SIP_488_NOT_ACCEPTABLE, TAG_END());
			return;
		}
		/* c=0.0.0.0 (an old-style hold) is no address to send to:
		 * the last one stays. */
		if (o.mode && c->media)
			msess_set_remote(c->media, side, &o.addr,
					 l->sig.ss_family ? &l->sig : NULL);
		else if (o.mode)
			mchan_set_remote(mc, &o.addr);
		call_hold(c, l, SDP_HOLDS(&o));
		ans = sdp_set_dir(l->local_sdp, sdp_answer_dir(o.mode));
	}
	nua_respond(nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR(SDP_TYPE),
		    SIPTAG_PAYLOAD_STR(ans ? ans : l->local_sdp), TAG_END());
	free(ans);
}

static void peer_bye(struct call *c, struct leg *l)
{
	/* The stack already answered 200 to this BYE. */
	if (call_consult_bye(c, l))
		return;
	l->bye_sent = 1;
	LOGC(LOGL_INFO, "call", c->domain, c->call_id, "%s hung up",
	     l->role == LEG_A ? c->caller : c->callee);
	if (l->role == LEG_B && c->chan) {
		/* The callee of an app's bridge hung up: the app goes on. */
		if (c->winner == l)
			bridge_end(c, 0);
	} else if (c->state == CALL_ANSWERED) {
		call_hangup(c);
	} else if (c->state == CALL_RINGING && l->role == LEG_A) {
		/* A caller's BYE before the answer ends the attempt just
		 * as a CANCEL does. */
		call_fail(c, 487, "Request Terminated", "CANCELLED");
	} else if (c->state == CALL_RINGING) {
		/* A BYE in an early dialog from one of the callee's phones:
		 * that contact is out, the others may still answer. */
		b_failed(c, l, 487);
	}
}

static void unlink_b(struct call *c, struct leg *l)
{
	for (struct leg **pp = &c->b; *pp; pp = &(*pp)->next) {
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	}
	if (c->winner == l)
		c->winner = NULL;
	free(l->local_sdp);
	free(l);
}

static void terminated(struct call *c, struct leg *l, nua_handle_t *nh)
{
	nua_handle_destroy(nh);
	l->nh = NULL;
	if (l->role == LEG_A) {
		/* The caller's side is gone: nothing may keep ringing or
		 * talking to nobody. */
		if (c->state == CALL_RINGING)
			call_fail(c, 487, "Request Terminated", "CANCELLED");
		else if (c->state == CALL_ANSWERED)
			call_hangup(c);
	} else {
		int was_winner = c->winner == l;
		if (!l->final && !c->chan)
			b_failed(c, l, 500);
		else if (!l->final && !c->bridged)
			bridge_response(c, l, 500, NULL);
		if (was_winner && c->bridging)
			bridge_end(c, 0);
		unlink_b(c, l);
		if (was_winner && c->state == CALL_ANSWERED && !c->chan)
			call_hangup(c);
	}
	call_maybe_free(c);
}

/* DTMF by SIP INFO (application/dtmf-relay or application/dtmf), for
 * phones that send neither events nor tones. The stack answers 200. */
static void info_digit(struct call *c, const sip_t *sip)
{
	char digit;

	if (!c->chan || !sip || !sip->sip_content_type ||
	    !sip->sip_payload)
		return;
	if (dtmf_info_parse(sip->sip_content_type->c_type,
			    sip->sip_payload->pl_data,
			    sip->sip_payload->pl_len, &digit) == 0)
		chan_push_digit(c->chan, digit);
}

void leg_on_event(struct sip *s, nua_event_t ev, int status,
		  const char *phrase, nua_handle_t *nh, struct leg *l,
		  const sip_t *sip, tagi_t tags[])
{
	struct call *c = l->call;
	int cs = -1;

	switch (ev) {
	case nua_r_invite:
		if (l->reoffer)
			xfer_reoffer_response(c, l, status, sip);
		else if (l->role == LEG_B)
			b_response(c, l, status, phrase, sip);
		break;
	case nua_i_invite:
		reinvite(l, nh, sip);
		break;
	case nua_i_cancel:
		l->final = 487; /* the stack answered 487 itself */
		call_fail(c, 487, "Request Terminated", "CANCELLED");
		break;
	case nua_i_bye:
		peer_bye(c, l);
		break;
	case nua_i_info:
		info_digit(c, sip);
		break;
	case nua_i_refer:
		xfer_on_refer(c, l, nh, sip, tags);
		break;
	case nua_i_state:
		tl_gets(tags, NUTAG_CALLSTATE_REF(cs), TAG_END());
		if (cs == nua_callstate_ready)
			l->up = 1;
		if (cs == nua_callstate_terminated)
			terminated(c, l, nh);
		break;
	default:
		break;
	}
}
