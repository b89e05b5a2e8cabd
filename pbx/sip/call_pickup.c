/* call_pickup.c - call pickup: a phone dials *8 (a call ringing its
 * pickup group) or **EXT (a call ringing EXT) and takes that call instead
 * of the phones that ring, within its own tenant only.
 *
 * The picker's INVITE becomes the answering leg of the ringing call: no
 * new call object, no app thread. For a call relayed phone to phone, the
 * picker gets the relay's callee side and the caller is answered, both
 * with a codec their offers share (the relay does not transcode); for a
 * call an app is bridging (dial, a ring group), the picker answers the
 * bridge as a phone that answered would, on the channel the bridge
 * offered, so the app's transcoding serves it too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/call.h"
#include "db_record.h"
#include "db_ringgroup.h"
#include "sip/sdp_oa.h"
#include "media/media.h"
#include "core/log.h"

#define SDP_TYPE    "application/sdp"
#define RINGING_MAX 64

/* The extensions call c is ringing now (at most max), for pickup and busy
 * lamps: a call relayed to an extension, or an app's bridge to an
 * extension or a ring group's members. */
static int ringing(const struct call *c, const char **exts, int max)
{
	if (c->state == CALL_ENDED)
		return 0;
	if (!c->chan) {
		if (c->state != CALL_RINGING || !c->media || !c->b || max < 1)
			return 0;
		/* The extension whose phones ring now: the dialled one, or
		 * where its forwards led. */
		exts[0] = c->ring_ext[0] ? c->ring_ext : c->callee;
		return 1;
	}
	if (!c->bridging || c->bridged || !c->bmc || c->bridge_trunk_id)
		return 0;
	if (c->hunt)
		return hunt_ringing(c, exts, max);
	if (!db_valid_number(c->bridge_to) || max < 1)
		return 0; /* a SIP URI */
	exts[0] = c->bridge_to;
	return 1;
}

/* The oldest call of the tenant ringing `target` (directed), or an
 * extension of pickup group `group` (group pickup); never the picker's own
 * outgoing call. *ext gets the extension it rings. */
static struct call *find(struct sip *s, const struct db_tenant *t,
			 const struct db_ext *picker, const char *target,
			 const char *group, const char **ext)
{
	char g[DB_PICKUP_GROUP_LEN];
	struct call *found = NULL;

	for (struct call *c = s->calls; c; c = c->next) {
		const char *exts[RINGING_MAX];
		int n;

		if (c->tenant_id != t->id ||
		    (!c->trunk_id && !strcmp(c->caller, picker->number)))
			continue;
		n = ringing(c, exts, RINGING_MAX);
		for (int i = 0; i < n; i++) {
			if (target ? strcmp(exts[i], target)
				   : db_ext_pickup_group(s->db, t->id, exts[i],
							 g) ||
					 strcmp(g, group))
				continue;
			/* s->calls is newest first: the last match is the
			 * call that has rung longest. */
			found = c;
			*ext = exts[i];
			break;
		}
	}
	return found;
}

/* The picker as a B leg of c, bound to its INVITE's handle. */
static struct leg *picker_leg(struct call *c, nua_handle_t *nh)
{
	struct leg *l = calloc(1, sizeof(*l)); /* owned by c->b */

	if (!l)
		return NULL;
	l->call = c;
	l->role = LEG_B;
	l->nh = nh;
	nua_handle_bind(nh, l);
	if (sip_request_source(c->sip, &l->sig, l->route, sizeof(l->route)))
		memset(&l->sig, 0, sizeof(l->sig));
	l->next = c->b;
	c->b = l;
	return l;
}

/* A call an app is bridging: the picker answers the bridge (also a
 * parked call's wait, call_park.c). */
int call_take_bridge(struct call *c, nua_handle_t *nh, const sip_t *sip,
		     const char *who)
{
	enum codec_id codec;
	struct sdp_offer o;
	struct leg *l;
	int pt;

	if (sdp_offer_parse(sip->sip_payload->pl_data, sip->sip_payload->pl_len,
			    &o) ||
	    sdp_offer_choose(&o, c->bpref, c->nbpref, &codec, &pt))
		return -EPROTONOSUPPORT;
	l = picker_leg(c, nh);
	if (!l)
		return -ENOMEM;
	sip_strlcpy(c->bridge_to, who, sizeof(c->bridge_to));
	c->bridge_rec = db_ext_record(c->sip->db, c->tenant_id, who);
	/* The phone's offer is read as a callee's answer would be: the
	 * codec, its address; the answer it gets is the bridge channel's. */
	bridge_answered(c, l, sip);
	if (c->winner != l || !l->local_sdp)
		return -EIO; /* cannot happen after the checks above */
	l->final = 200;
	nua_respond(nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR(SDP_TYPE),
		    SIPTAG_PAYLOAD_STR(l->local_sdp), TAG_END());
	return 0;
}

/* A codec both offers have, from the tenant's list, with each offer's
 * payload type for it. */
static int shared_codec(const struct call *c, const struct sdp_offer *a,
			const struct sdp_offer *p, enum codec_id *codec,
			int *pt_a, int *pt_p)
{
	for (int i = 0; i < c->npref; i++)
		if (!sdp_offer_choose(a, &c->pref[i], 1, codec, pt_a) &&
		    !sdp_offer_choose(p, &c->pref[i], 1, codec, pt_p))
			return 0;
	return -ENOENT;
}

/* A call relayed phone to phone: the picker is the relay's callee side,
 * and the caller is answered. */
static int take_relay(struct call *c, nua_handle_t *nh, const sip_t *sip)
{
	char to_a[1024], to_p[1024];
	struct sdp_offer a, p;
	enum codec_id codec;
	int pt_a, pt_p;
	struct leg *l;

	if (!c->offer_a ||
	    sdp_offer_parse(c->offer_a, strlen(c->offer_a), &a) ||
	    sdp_offer_parse(sip->sip_payload->pl_data, sip->sip_payload->pl_len,
			    &p) ||
	    shared_codec(c, &a, &p, &codec, &pt_a, &pt_p))
		return -EPROTONOSUPPORT;
	if (sdp_answer_build(to_a, sizeof(to_a), c->sip->host,
			     msess_port(c->media, MSIDE_A), codec, pt_a,
			     a.te_pt, c->sdp_id) < 0 ||
	    sdp_answer_build(to_p, sizeof(to_p), c->sip->host,
			     msess_port(c->media, MSIDE_B), codec, pt_p,
			     p.te_pt, c->sdp_id) < 0)
		return -ENOSPC;
	{
		char *sa = strdup(to_a), *sp = strdup(to_p);
		l = sa && sp ? picker_leg(c, nh) : NULL;
		if (!l) {
			free(sa);
			free(sp);
			return -ENOMEM;
		}
		free(c->a.local_sdp);
		c->a.local_sdp = sa;
		l->local_sdp = sp;
	}
	msess_set_remote(c->media, MSIDE_B, &p.addr,
			 l->sig.ss_family ? &l->sig : NULL);
	l->up = 1;
	l->final = 200;
	c->winner = l;
	c->state = CALL_ANSWERED;
	c->answer_us = now_us();
	c->ring_deadline_us = 0;
	c->disposition = "ANSWERED";
	leg_cancel_others(c, l);
	nua_respond(nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR(SDP_TYPE),
		    SIPTAG_PAYLOAD_STR(l->local_sdp), TAG_END());
	nua_respond(c->a.nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR(SDP_TYPE),
		    SIPTAG_PAYLOAD_STR(c->a.local_sdp), TAG_END());
	c->a.final = 200;
	c->a.up = 1;
	if (c->rec_mode)
		LOGC(LOGL_WARN, "rec", c->domain, c->call_id,
		     "a call picked up is not recorded");
	return 0;
}

int call_pickup(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		const struct db_tenant *t, const struct db_ext *picker,
		const char *dialled)
{
	const char *cid = sip->sip_call_id->i_id, *target = NULL, *ext = "";
	char group[DB_PICKUP_GROUP_LEN] = "";
	struct call *c;
	int err;

	if (!dialled)
		return 0;
	if (!strcmp(dialled, CALL_PICKUP_GROUP)) {
		if (db_ext_pickup_group(s->db, t->id, picker->number, group) ||
		    !group[0]) {
			LOGC(LOGL_INFO, "call", t->domain, cid,
			     "%s: pickup refused: not in a pickup group",
			     picker->number);
			cdr_post(s, t->id, cid, picker->number, dialled,
				 now_us(), 404, "FAILED");
			sip_reply(s, nh, 404, "Not In A Pickup Group");
			return 1;
		}
	} else if (!strncmp(dialled, CALL_PICKUP_DIRECTED, 2) &&
		   db_valid_number(dialled + 2)) {
		target = dialled + 2;
	} else {
		return 0;
	}
	c = find(s, t, picker, target, group, &ext);
	if (!c) {
		LOGC(LOGL_INFO, "call", t->domain, cid,
		     "%s: pickup %s: no call is ringing %s%s", picker->number,
		     dialled, target ? target : "pickup group ",
		     target ? "" : group);
		cdr_post(s, t->id, cid, picker->number, dialled, now_us(), 404,
			 "FAILED");
		sip_reply(s, nh, 404, "Nothing To Pick Up");
		return 1;
	}
	if (!sip->sip_payload || !sip->sip_payload->pl_len) {
		sip_reply(s, nh, 488, "SDP Offer Required");
		return 1;
	}
	err = c->chan ? call_take_bridge(c, nh, sip, picker->number)
		      : take_relay(c, nh, sip);
	if (err) {
		LOGC(LOGL_INFO, "call", c->domain, c->call_id,
		     "%s could not pick up the call ringing %s: %s",
		     picker->number, ext, strerror(-err));
		if (c->b && c->b->nh == nh) {
			/* The leg was made: its handle ends with it, and the
			 * ringing call is not told of a failed phone. */
			c->b->final = 500;
			nua_respond(nh, SIP_500_INTERNAL_SERVER_ERROR,
				    TAG_END());
		} else if (err == -EPROTONOSUPPORT) {
			sip_reply(s, nh, SIP_488_NOT_ACCEPTABLE);
		} else {
			sip_reply(s, nh, SIP_500_INTERNAL_SERVER_ERROR);
		}
		return 1;
	}
	LOGC(LOGL_INFO, "call", c->domain, c->call_id,
	     "%s -> %s: picked up by %s (%s, Call-ID %s)", c->caller, ext,
	     picker->number, dialled, cid);
	return 1;
}

int call_rings_ext(const struct call *c, const char *ext)
{
	const char *exts[RINGING_MAX];
	int n = ringing(c, exts, RINGING_MAX);

	for (int i = 0; i < n; i++)
		if (!strcmp(exts[i], ext))
			return 1;
	return 0;
}
