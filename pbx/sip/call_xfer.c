/* call_xfer.c - blind transfer: a phone in a call sends REFER, the party
 * it talks to goes to the number in Refer-To (docs/transfer.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/call.h"
#include "sip/trunk.h"
#include "apps/apps.h"
#include "dialplan/dialplan.h"
#include "media/mchan.h"
#include "core/log.h"
#include "sip/xfer_priv.h"

/*
 * The PBX is a B2BUA: the transferred party's dialog ends at the PBX, so
 * a transfer never reaches it as a REFER. Instead its leg leaves the call
 * it was in and becomes the caller of a new call that an app serves: the
 * transfer app rings the target (ringback meanwhile) and, if nobody
 * answers, rings the transferring extension back. The transferring party
 * gets NOTIFY 200 as soon as that new call stands (a blind transfer has
 * nothing more to report) and a BYE; the old call ends with its CDR.
 *
 * Where the media goes: a relayed call is split into two channels on the
 * ports the phones already know (call_split.c); the transferred party's
 * channel follows its leg into the new call and is handed to the app.
 * When the transferred party is the caller of an app call (a route's
 * dial, an IVR key) the app thread is already its own: the bridge ends
 * with -EXDEV and the same thread runs the transfer app (run_forward in
 * call_bridge.c), as a forward to an app does.
 */

#define SIPFRAG_TYPE "message/sipfrag;version=2.0"

void xfer_notify(nua_handle_t *nh, const sip_event_t *ev, int status,
		   const char *phrase, int final)
{
	char frag[96];

	if (!nh)
		return; /* a transfer by keys: no REFER to report on */
	snprintf(frag, sizeof(frag), "SIP/2.0 %d %s\r\n", status, phrase);
	nua_notify(nh,
		   NUTAG_SUBSTATE(final ? nua_substate_terminated
					: nua_substate_active),
		   TAG_IF(ev, SIPTAG_EVENT(ev)),
		   TAG_IF(!ev, SIPTAG_EVENT_STR("refer")),
		   SIPTAG_CONTENT_TYPE_STR(SIPFRAG_TYPE),
		   SIPTAG_PAYLOAD_STR(frag), TAG_END());
}

/* The number a leg's party has: the caller, or the extension that
 * answered (through a bridge, after forwards, or dialled). */
void xfer_party(const struct call *c, const struct leg *l,
			 char *out, size_t len)
{
	const char *n = c->callee;

	if (l == &c->a)
		n = c->caller;
	else if (c->chan && c->bridge_to[0])
		n = c->bridge_to;
	else if (c->ring_ext[0])
		n = c->ring_ext;
	sip_strlcpy(out, n, len);
}

/* A leg's trunk: the caller's for A, the bridge's for a B leg. */
int64_t xfer_leg_trunk(const struct call *c, const struct leg *l)
{
	return l == &c->a ? c->trunk_id : l->trunk_id;
}

/* The Refer-To's user part as a number the dialplan takes. */
static int refer_target(const sip_t *sip, char *out, size_t len)
{
	const url_t *u;

	if (!sip->sip_refer_to)
		return -EINVAL;
	u = sip->sip_refer_to->r_url;
	if (!u || !u->url_user || u->url_type != url_sip ||
	    strlen(u->url_user) >= len || !dp_dialable(u->url_user))
		return -EINVAL;
	if (u->url_headers && strstr(u->url_headers, "eplaces"))
		return -EOPNOTSUPP; /* attended: call_xfer_att.c */
	sip_strlcpy(out, u->url_user, len);
	return 0;
}

/* What the transferred party's new call runs: the transfer app for an
 * extension (it rings the transferring one back when nobody answers), a
 * route's own app for any other number. The transferring extension's
 * class of service must allow the route: a transfer is its call. */
static int pick_app(struct call *c, const char *by, const char *target,
		    const struct app **app, char *args, size_t len)
{
	struct db_tenant t;
	struct dp_result r;
	int err;

	if (db_tenant_by_id(c->sip->db, c->tenant_id, &t))
		return -EIO;
	err = dp_lookup(c->sip->db, &t, target, by, &r);
	if (err)
		return err == -EINVAL ? -ENOENT : err;
	if (!dp_cos_allows(c->sip->db, &t, by, -1, &r, target))
		return -EACCES;
	if (!strcmp(r.app, "forward"))
		return -EACCES; /* would change the transferred's settings */
	if (!strcmp(r.app, "dial")) {
		*app = &app_transfer;
		return snprintf(args, len, "%s,%s", r.args, by) < (int)len
			       ? 0
			       : -ENOENT;
	}
	*app = app_find(r.app);
	if (!*app)
		return -ENOENT;
	sip_strlcpy(args, r.args, len);
	return 0;
}

void xfer_call_id(struct call *c, char *id, size_t len)
{
	/* The old Call-ID shortened to leave room for the suffix. */
	if (snprintf(id, len, "%.*s;xfer=%u", (int)(len - 20), c->call_id,
		     (unsigned)++c->sip->xfer_seq) >= (int)len)
		id[len - 1] = '\0';
}

void xfer_move_leg(struct call *c, struct leg *t, struct leg *dst)
{
	dst->nh = t->nh;
	sip_strlcpy(dst->contact, t->contact, sizeof(dst->contact));
	sip_strlcpy(dst->route, t->route, sizeof(dst->route));
	dst->sig = t->sig;
	dst->local_sdp = t->local_sdp; /* ownership moves */
	dst->trunk_id = xfer_leg_trunk(c, t);
	dst->final = 200;
	dst->up = 1;
	nua_handle_bind(dst->nh, dst);
	t->nh = NULL;
	t->local_sdp = NULL;
	t->up = 0;
	if (t == &c->a)
		return;
	for (struct leg **pp = &c->b; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	if (c->winner == t)
		c->winner = NULL;
	free(t);
}

/* The transferred party's media channel, out of c: c->mc for the caller,
 * c->bmc for the callee (a relay is split first). NULL on failure. */
struct mchan *xfer_take_media(struct call *c, struct leg *t)
{
	struct mchan *mc;

	if (c->chan) {
		/* The callee of an app's bridge: the app keeps its caller. */
		mc = c->bmc;
		c->bmc = NULL;
	} else {
		call_rec_stop(c);
		if (call_split(c))
			return NULL;
		mc = t == &c->a ? c->mc : c->bmc;
		if (t == &c->a)
			c->mc = NULL;
		else
			c->bmc = NULL;
	}
	if (!mc)
		return NULL;
	/* Phones hold the call before they transfer it. */
	mchan_set_moh(mc, NULL, 0);
	mchan_join(mc, NULL); /* its peer, left in c, is unjoined too */
	return mc;
}

int xfer_new_call(struct call *c, struct leg *t, const char *target,
		  const struct app *app, const char *args, struct call **np)
{
	char id[DB_CALLID_LEN];
	struct db_tenant tn;
	struct db_ext e;
	struct call *n;
	struct mchan *mc;
	int64_t trunk = xfer_leg_trunk(c, t);
	struct trunk *tr = trunk ? trunk_by_id(c->sip, trunk) : NULL;
	int err;

	if (np)
		*np = NULL;
	if (db_tenant_by_id(c->sip->db, c->tenant_id, &tn))
		return -EIO;
	xfer_call_id(c, id, sizeof(id));
	if (call_alloc(&n, c->sip, &tn, id))
		return -ENOMEM;
	xfer_party(c, t, n->caller, sizeof(n->caller));
	if (t == &c->a)
		sip_strlcpy(n->caller_name, c->caller_name,
			    sizeof(n->caller_name));
	else if (db_ext_get(c->sip->db, c->tenant_id, n->caller, &e) == 0)
		sip_strlcpy(n->caller_name, e.name, sizeof(n->caller_name));
	sip_strlcpy(n->callee, target, sizeof(n->callee));
	if (tr) {
		/* The carrier's call goes on in n: it counts there now, and
		 * c's release gives its own count back. */
		n->trunk_id = trunk;
		tr->calls++;
	}
	mc = xfer_take_media(c, t);
	xfer_move_leg(c, t, &n->a);
	if (!mc) {
		LOGC(LOGL_WARN, "xfer", c->domain, c->call_id,
		     "%s cannot be served by the PBX (codec): hung up",
		     n->caller);
		call_hangup(n);
		call_maybe_free(n);
		return 0; /* the transfer is over for the transferrer */
	}
	LOGC(LOGL_INFO, "xfer", c->domain, c->call_id,
	     "%s transferred to %s: new call %s", n->caller, target, id);
	err = call_adopt_app(n, app, args, mc);
	if (err) {
		call_hangup(n);
		call_maybe_free(n); /* n must not be used after this */
	} else if (np) {
		*np = n;
	}
	return 0;
}

/* 0 and the transferred leg, or a SIP status to refuse the REFER with. */
static int check(struct call *c, struct leg *r, struct leg **t)
{
	if (c->state != CALL_ANSWERED || !r->up)
		return 481;
	if (r == &c->a)
		*t = c->winner;
	else if (r == c->winner)
		*t = &c->a;
	else
		return 481;
	if (!*t || !(*t)->nh || !(*t)->up)
		return 481;
	/* A carrier's side transfers nobody: its REFER would be toll fraud
	 * by proxy. An app's caller with no bridge has nobody to give. */
	if (xfer_leg_trunk(c, r))
		return 403;
	if (c->chan && (!c->bridged || c->hunt))
		return 488;
	return 0;
}

static const char *phrase_of(int err, int *status)
{
	switch (err) {
	case -ENOSPC:
		*status = 486;
		return "Every Park Slot Taken";
	case -ENOENT:
		*status = 404;
		return "Not Found";
	case -EACCES:
		*status = 403;
		return "Forbidden";
	default:
		*status = 503;
		return "Service Unavailable";
	}
}

/* A transfer to the tenant's park number: t waits in a slot (call_park.c)
 * and the transferring phone is told so before its side ends. 0, or an
 * error with nothing changed (the caller rings `by` back instead). */
static int xfer_park(struct call *c, struct leg *t, nua_handle_t *nh,
		     const sip_event_t *ev, const char *by)
{
	char slot[DB_NUMBER_LEN];
	int r = park_call(c, t, by, slot, sizeof(slot));

	if (r < 0 && r != -EPROTONOSUPPORT) {
		LOGC(LOGL_INFO, "xfer", c->domain, c->call_id,
		     "%s could not park the call: %s", by, strerror(-r));
		return r;
	}
	xfer_notify(nh, ev, 200, "OK", 1);
	if (r == 1)
		bridge_end(c, -EXDEV); /* the app's caller parks in c */
	else
		xfer_end_old(c);
	return 0;
}

/* Blind transfer of t (r's party in c) to `target`, the REFER already
 * accepted on nh: reported with NOTIFY, and r's side hung up. */
void xfer_blind(struct call *c, struct leg *r, struct leg *t, nua_handle_t *nh,
		const sip_event_t *ev, const char *target)
{
	char by[DB_NUMBER_LEN], args[DB_ROUTE_ARGS_LEN];
	const struct app *app = NULL;
	const char *phrase;
	int status, err;

	xfer_party(c, r, by, sizeof(by));
	if (park_is_number(c, target)) {
		if (xfer_park(c, t, nh, ev, by) == 0)
			return;
		err = -ENOSPC; /* no slot: rung back, as for a refusal */
	} else {
		err = pick_app(c, by, target, &app, args, sizeof(args));
	}
	if (err) {
		/* Phones hang up when a transfer fails as surely as when it
		 * succeeds (baresip does): the PBX takes the call all the
		 * same and rings the transferring extension back, so that
		 * the caller is never left with nobody. */
		phrase = phrase_of(err, &status);
		LOGC(LOGL_INFO, "xfer", c->domain, c->call_id,
		     "%s's transfer to %s refused: %d %s; ringing %s back",
		     by, target, status, phrase, by);
		app = &app_transfer;
		snprintf(args, sizeof(args), ",%s", by);
	}
	LOGC(LOGL_INFO, "xfer", c->domain, c->call_id,
	     "%s transfers the call to %s (%s)", by, target, app->name);
	if (c->chan && t == &c->a) {
		/* The app's own caller: the same thread runs the app. */
		sip_strlcpy(c->fwd_app, app->name, sizeof(c->fwd_app));
		sip_strlcpy(c->fwd_args, args, sizeof(c->fwd_args));
		xfer_notify(nh, ev, 200, "OK", 1);
		bridge_end(c, -EXDEV);
		return;
	}
	err = xfer_new_call(c, t, target, app, args, NULL);
	if (err) {
		phrase = phrase_of(err, &status);
		xfer_notify(nh, ev, status, phrase, 1);
		return;
	}
	xfer_notify(nh, ev, 200, "OK", 1);
	xfer_end_old(c);
}

void xfer_end_old(struct call *c)
{
	if (c->chan)
		bridge_end(c, 0); /* the app's caller goes on without it */
	else
		call_hangup(c);
}

void xfer_on_refer(struct call *c, struct leg *r, nua_handle_t *nh,
		   const sip_t *sip, tagi_t tags[])
{
	const sip_event_t *ev = NULL;
	char target[DB_NUMBER_LEN];
	struct leg *t = NULL;
	int status = check(c, r, &t), err;

	tl_gets(tags, NUTAG_REFER_EVENT_REF(ev), TAG_END());
	if (status) {
		nua_respond(nh, status, status == 481 ? "No Call To Transfer"
						      : "Forbidden",
			    NUTAG_WITH_THIS(c->sip->nua), TAG_END());
		return;
	}
	err = refer_target(sip, target, sizeof(target));
	if (err && err != -EOPNOTSUPP) {
		nua_respond(nh, 400, "Bad Refer-To",
			    NUTAG_WITH_THIS(c->sip->nua), TAG_END());
		return;
	}
	nua_respond(nh, SIP_202_ACCEPTED, NUTAG_WITH_THIS(c->sip->nua),
		    TAG_END());
	xfer_notify(nh, ev, 100, "Trying", 0);
	if (err == -EOPNOTSUPP)
		xfer_attended(c, r, t, nh, sip, ev);
	else
		xfer_blind(c, r, t, nh, ev, target);
}
