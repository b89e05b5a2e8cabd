/* call_keys.c - feature codes keyed during a call, for phones without
 * REFER: "##" + number + "#" transfers the other party, "*2" + number +
 * "#" consults the number first (call_consult.c; docs/transfer.md).
 * The media workers queue the key presses of answered calls (mkeys.c);
 * this file takes them on the SIP thread's short timer. */
#include <errno.h>
#include <string.h>

#include "sip/call.h"
#include "sip/xfer_priv.h"
#include "media/media.h"
#include "media/mchan.h"
#include "core/log.h"
#include "apps/apps.h"

#define KEYS_PAUSE_US 3000000 /* a pause that ends the number */
enum { KEYS_BLIND = 1, KEYS_CONSULT = 2 }; /* struct call_keys.collecting */

static struct call *by_key_id(struct sip *s, uint64_t id)
{
	for (struct call *c = s->calls; c; c = c->next)
		if (c->key_id == id && c->state == CALL_ANSWERED)
			return c;
	return NULL;
}

static struct leg *side_leg(struct call *c, int side)
{
	return side == MSIDE_A ? &c->a : c->winner;
}

static void keys_reset(struct call_keys *k)
{
	k->collecting = 0;
	k->n = 0;
	k->buf[0] = '\0';
	k->last[0] = k->last[1] = k->last[2] = '\0';
}

/* The number is complete ('#' or a pause): the other party goes there,
 * as after a REFER; an empty number gives the call back as it was. */
static void dial_out(struct call *c, int side)
{
	struct call_keys *k = &c->keys[side];
	struct leg *r = side_leg(c, side), *t = side_leg(c, !side);
	char target[DB_NUMBER_LEN];

	int consult = k->collecting == KEYS_CONSULT, err;

	sip_strlcpy(target, k->buf, sizeof(target));
	keys_reset(k);
	if (!r || !t)
		return;
	if (consult && target[0]) {
		err = call_consult_start(c, target);
		if (!err)
			return; /* the caller stays on hold meanwhile */
		LOGC(LOGL_INFO, "keys", c->domain, c->call_id,
		     "*2 %s: %s", target, strerror(-err));
	}
	call_hold(c, r, 0);
	if (!target[0] || consult) {
		LOGC(LOGL_INFO, "keys", c->domain, c->call_id,
		     "transfer by keys cancelled");
		return;
	}
	LOGC(LOGL_INFO, "keys", c->domain, c->call_id,
	     "## %s: blind transfer by keys", target);
	xfer_blind(c, r, t, NULL, NULL, target);
}

/* *70: the other party is parked; the keyer hears the slot, then the
 * PBX hangs up. */
static void park_keys(struct call *c, int side)
{
	struct leg *r = side_leg(c, side), *t = side_leg(c, !side);
	char by[DB_NUMBER_LEN], slot[DB_NUMBER_LEN], args[DB_ROUTE_ARGS_LEN];
	size_t n;
	int rc;

	xfer_party(c, r, by, sizeof(by));
	rc = park_call(c, t, by, slot, sizeof(slot));
	if (rc < 0 && rc != -EPROTONOSUPPORT) {
		LOGC(LOGL_INFO, "keys", c->domain, c->call_id,
		     "*70 from %s: cannot park: %s", by, strerror(-rc));
		return;
	}
	LOGC(LOGL_INFO, "keys", c->domain, c->call_id,
	     "*70: %s parked the call at %s", by, rc < 0 ? "-" : slot);
	if (rc == 1) {
		bridge_end(c, -EXDEV); /* the app's caller parks in c */
		return;
	}
	n = (size_t)snprintf(args, sizeof(args), "parked_at");
	for (const char *p = slot; rc == 0 && *p && n < sizeof(args) - 16;
	     p++)
		n += (size_t)snprintf(args + n, sizeof(args) - n, "&digit_%s",
				      *p == '*'   ? "star"
				      : *p == '#' ? "pound"
						  : (char[]){*p, '\0'});
	if (c->chan) {
		/* The keyer is the app's own caller: its thread says it. */
		sip_strlcpy(c->fwd_app, "playback", sizeof(c->fwd_app));
		sip_strlcpy(c->fwd_args, args, sizeof(c->fwd_args));
		bridge_end(c, -EXDEV);
		return;
	}
	if (rc != 0 || xfer_new_call(c, r, slot, app_find("playback"), args,
				     NULL))
		LOGC(LOGL_WARN, "keys", c->domain, c->call_id,
		     "*70: the slot could not be said to %s", by);
	/* Both parties left c: no leg of its own will end it. */
	xfer_end_old(c);
	call_maybe_free(c);
}

static void on_key(struct call *c, int side, char digit)
{
	struct call_keys *k = &c->keys[side];
	struct leg *r = side_leg(c, side);

	if (!r || (c->chan && !c->bridged) || c->hunt || c->cons.active)
		return;
	k->at_us = now_us();
	if (k->collecting) {
		if (digit == '#') {
			dial_out(c, side);
		} else if (k->n < (int)sizeof(k->buf) - 1) {
			k->buf[k->n++] = digit;
			k->buf[k->n] = '\0';
		}
		return;
	}
	k->last[0] = k->last[1];
	k->last[1] = k->last[2];
	k->last[2] = digit;
	if (k->last[0] == '*' && k->last[1] == '7' && k->last[2] == '0') {
		keys_reset(k);
		park_keys(c, side);
		return;
	}
	/* *2 consults from the answered callee's side only: the caller's
	 * side has no second leg to hand over to. */
	if ((k->last[1] == '#' && k->last[2] == '#') ||
	    (k->last[1] == '*' && k->last[2] == '2' && side == MSIDE_B)) {
		int mode = k->last[1] == '#' ? KEYS_BLIND : KEYS_CONSULT;
		/* The other party waits with music while the number is
		 * keyed. */
		keys_reset(k);
		k->collecting = mode;
		k->at_us = now_us();
		call_hold(c, r, 1);
		LOGC(LOGL_INFO, "keys", c->domain, c->call_id,
		     "%s keyed %s: collecting the transfer target",
		     side == MSIDE_A ? c->caller : c->callee,
		     mode == KEYS_BLIND ? "##" : "*2");
	}
}

void call_keys_poll(struct sip *s)
{
	struct media_key keys[64];
	int64_t now = now_us();
	int n;

	while ((n = media_keys_take(s->media, keys, 64)) > 0) {
		for (int i = 0; i < n; i++) {
			struct call *c = by_key_id(s, keys[i].id);
			if (c && (keys[i].side == MSIDE_A ||
				  keys[i].side == MSIDE_B))
				on_key(c, keys[i].side, keys[i].digit);
		}
		if (n < 64)
			break;
	}
	for (struct call *c = s->calls, *nx; c; c = nx) {
		nx = c->next; /* a transfer may end c */
		for (int side = 0; side < 2; side++)
			if (c->state == CALL_ANSWERED &&
			    c->keys[side].collecting &&
			    now - c->keys[side].at_us >= KEYS_PAUSE_US)
				dial_out(c, side);
	}
}

void call_keys_watch(struct call *c)
{
	if (c->media && c->can_split)
		msess_watch(c->media, c->key_id, c->split_p[0].te_pt,
			    c->split_p[1].te_pt);
	else if (c->mc && c->bmc) {
		mchan_watch(c->mc, c->key_id, MSIDE_A);
		mchan_watch(c->bmc, c->key_id, MSIDE_B);
	}
}
