/* call_park.c - call park: a party of a call waits in a numbered slot of
 * its tenant with music on hold until a phone of the tenant dials the
 * slot, or until the park timeout rings the one who parked it
 * (docs/park.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/call.h"
#include "sip/xfer_priv.h"
#include "db_park.h"
#include "apps/apps.h"
#include "media/mchan.h"
#include "core/log.h"

/*
 * A parked call is an app call like any other: the party's leg moves
 * into a new call (as a blind transfer's does, call_xfer.c) whose app,
 * park (apps/park.c), asks for a bridge to "park:SLOT". That bridge
 * rings nobody: it waits with music on hold, and the phone that dials
 * the slot answers it exactly as a pickup answers a ringing bridge
 * (call_take_bridge), so transcoding, recording and hang-ups work as for
 * any bridge. The bridge's timeout is the park timeout; the app then
 * rings the parker.
 *
 * The slot is reserved on the SIP thread the moment the call is parked
 * (c->park_slot), before the app thread starts, so that two calls parked
 * at once never get the same slot.
 */

#define PARK_PREFIX "park:" /* c->bridge_to while a call waits */

/* Whether call c holds `slot` of tenant tenant_id now. */
static int holds(const struct call *c, int64_t tenant_id, const char *slot)
{
	return c->tenant_id == tenant_id && c->state != CALL_ENDED &&
	       c->park_slot[0] && !strcmp(c->park_slot, slot);
}

struct slot_ctx {
	struct sip *s;
	int64_t tenant_id;
};

static int taken_h(const char *slot, void *arg)
{
	const struct slot_ctx *x = arg;

	for (const struct call *c = x->s->calls; c; c = c->next)
		if (holds(c, x->tenant_id, slot))
			return 1;
	return 0;
}

int park_is_number(const struct call *c, const char *number)
{
	struct db_park p;

	return number && number[0] &&
	       !db_park_get(c->sip->db, c->tenant_id, &p) && p.number[0] &&
	       !strcmp(p.number, number);
}

static void mark(struct call *c, const char *slot, const char *parker)
{
	sip_strlcpy(c->park_slot, slot, sizeof(c->park_slot));
	sip_strlcpy(c->park_by, parker, sizeof(c->park_by));
	c->park_since_us = now_us();
}

/* Tells the parker's phones where the call waits: a text MESSAGE from
 * the park number. Best effort: a REFER's phone is hanging up. */
static void announce(struct call *c, const struct db_park *p, const char *party,
		     const char *slot, const char *parker)
{
	char text[128];
	int n;

	LOGC(LOGL_INFO, "park", c->domain, c->call_id,
	     "%s parked at %s by %s (timeout %d s)", party, slot,
	     parker[0] ? parker : "-", p->timeout);
	if (!parker[0])
		return;
	snprintf(text, sizeof(text), "Parked at %s: %s", slot, party);
	n = msg_notice(c->sip, c->tenant_id, c->domain, parker,
		       p->number[0] ? p->number : slot, "Park", text);
	LOGC(LOGL_INFO, "park", c->domain, c->call_id,
	     "\"%s\" sent to %d phone(s) of %s", text, n, parker);
}

/* 0 if leg l of c is a party that can be parked now. */
static int parkable(const struct call *c, const struct leg *l)
{
	if (c->state != CALL_ANSWERED || !l->nh || !l->up)
		return -EINVAL;
	if (l != &c->a && l != c->winner)
		return -EINVAL;
	if (c->chan && l != &c->a && (!c->bridged || c->hunt))
		return -EINVAL;
	if (c->park_slot[0])
		return -EINVAL; /* parked already */
	return 0;
}

int park_call(struct call *c, struct leg *l, const char *parker, char *slot,
	      size_t len)
{
	struct slot_ctx x;
	char args[DB_ROUTE_ARGS_LEN], party[DB_NUMBER_LEN];
	struct db_park p;
	struct call *n = NULL;
	int err;

	if (!c || !l || !parker || !slot || !len || parkable(c, l) ||
	    (parker[0] && !db_valid_number(parker)))
		return -EINVAL;
	err = db_park_get(c->sip->db, c->tenant_id, &p);
	if (err)
		return err == -ENOENT ? -EIO : err;
	if (!p.first)
		return -ENOENT;
	x.s = c->sip;
	x.tenant_id = c->tenant_id;
	err = db_park_pick_slot(&p, taken_h, &x, slot, len);
	if (err)
		return err;
	if (snprintf(args, sizeof(args), "%s,%s,%d", slot, parker, p.timeout) >=
	    (int)sizeof(args))
		return -EINVAL;
	xfer_party(c, l, party, sizeof(party));
	if (c->chan && l == &c->a) {
		/* The app's own caller: its thread runs park next, on this
		 * call (call_bridge.c's run_forward). */
		sip_strlcpy(c->fwd_app, app_park.name, sizeof(c->fwd_app));
		sip_strlcpy(c->fwd_args, args, sizeof(c->fwd_args));
		mark(c, slot, parker);
		announce(c, &p, party, slot, parker);
		return 1;
	}
	err = xfer_new_call(c, l, p.number[0] ? p.number : slot, &app_park,
			    args, &n);
	if (err)
		return err;
	if (!n)
		return -EPROTONOSUPPORT;
	mark(n, slot, parker);
	announce(n, &p, party, slot, parker);
	return 0;
}

int park_wait(struct call *c, const char *slot, int timeout_s)
{
	const int16_t *pcm = NULL;
	int n = 0, err;

	if (!c->park_slot[0] || strcmp(c->park_slot, slot))
		return -EINVAL; /* only a slot park_call reserved */
	if (timeout_s <= 0)
		timeout_s = 60;
	err = bridge_begin(c, PARK_PREFIX, timeout_s);
	if (err)
		return err;
	/* Whatever rang before, the ring-back at the timeout is a new call
	 * to the parker: the extension a route rang first (often the
	 * parker) is not a forwarding loop. */
	fwd_chain_reset(&c->fwd);
	c->fwd_nested = 0;
	/* bridge_to names the slot: no pickup or busy lamp takes it for
	 * an extension that rings. */
	snprintf(c->bridge_to, sizeof(c->bridge_to), "%s%s", PARK_PREFIX, slot);
	mchan_set_tone(c->mc, -1);
	err = call_moh(c, codec_info(mchan_codec(c->mc))->rate, &pcm, &n);
	if (err)
		LOGC(LOGL_WARN, "park", c->domain, c->call_id,
		     "no music on hold: %s", strerror(-err));
	mchan_set_moh(c->mc, pcm, n);
	c->park_since_us = now_us();
	LOGC(LOGL_INFO, "park", c->domain, c->call_id,
	     "%s waits at %s for %d s", c->caller, slot, timeout_s);
	return 0;
}

void park_bridge_end(struct call *c)
{
	if (strncmp(c->bridge_to, PARK_PREFIX, strlen(PARK_PREFIX)))
		return;
	if (c->park_slot[0])
		LOGC(LOGL_INFO, "park", c->domain, c->call_id,
		     "%s left %s unretrieved", c->caller, c->park_slot);
	c->park_slot[0] = '\0';
}

/* The call of tenant t waiting at `slot` now, or NULL. */
static struct call *waiting_at(struct sip *s, int64_t tenant_id,
			       const char *slot)
{
	for (struct call *c = s->calls; c; c = c->next)
		if (holds(c, tenant_id, slot) && c->bridging && !c->bridged &&
		    c->bmc &&
		    !strncmp(c->bridge_to, PARK_PREFIX, strlen(PARK_PREFIX)))
			return c;
	return NULL;
}

static void refuse(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		   const struct db_tenant *t, const char *who,
		   const char *dialled, int status, const char *phrase)
{
	LOGC(LOGL_INFO, "park", t->domain, sip->sip_call_id->i_id,
	     "%s -> %s: %d %s", who, dialled, status, phrase);
	cdr_post(s, t->id, sip->sip_call_id->i_id, who, dialled, now_us(),
		 status, "FAILED");
	sip_reply(s, nh, status, phrase);
}

int call_park_retrieve(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		       const struct db_tenant *t, const struct db_ext *who,
		       const char *dialled)
{
	struct db_park p;
	struct call *c;
	int err;

	if (!dialled || db_park_get(s->db, t->id, &p) ||
	    !db_park_is_slot(&p, dialled))
		return 0;
	c = waiting_at(s, t->id, dialled);
	if (!c) {
		refuse(s, nh, sip, t, who->number, dialled, 404,
		       "Nothing Parked Here");
		return 1;
	}
	if (!sip->sip_payload || !sip->sip_payload->pl_len) {
		refuse(s, nh, sip, t, who->number, dialled, 488,
		       "SDP Offer Required");
		return 1;
	}
	err = call_take_bridge(c, nh, sip, who->number);
	if (err) {
		LOGC(LOGL_INFO, "park", c->domain, c->call_id,
		     "%s could not retrieve the call at %s: %s", who->number,
		     dialled, strerror(-err));
		if (c->b && c->b->nh == nh) {
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
	mchan_set_moh(c->mc, NULL, 0);
	LOGC(LOGL_INFO, "park", c->domain, c->call_id,
	     "%s retrieved %s from %s (parked by %s, Call-ID %s)", who->number,
	     c->caller, dialled, c->park_by[0] ? c->park_by : "-",
	     sip->sip_call_id->i_id);
	c->park_slot[0] = '\0';
	return 1;
}

int sip_parked_print(struct sip *s, FILE *out)
{
	int64_t now = now_us();

	for (struct call *c = s->calls; c; c = c->next) {
		if (!c->park_slot[0] || c->state == CALL_ENDED)
			continue;
		fprintf(out, "%s\t%s\t%s\t%s\t%s\t%lld\t%s\n", c->domain,
			c->park_slot, c->caller,
			c->caller_name[0] ? c->caller_name : "-",
			c->park_by[0] ? c->park_by : "-",
			(long long)((now - c->park_since_us) / 1000000),
			c->call_id);
	}
	return 0;
}
