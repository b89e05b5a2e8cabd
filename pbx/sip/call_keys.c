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
	k->last[0] = k->last[1] = '\0';
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
	k->last[1] = digit;
	/* *2 consults from the answered callee's side only: the caller's
	 * side has no second leg to hand over to. */
	if ((k->last[0] == '#' && k->last[1] == '#') ||
	    (k->last[0] == '*' && k->last[1] == '2' && side == MSIDE_B)) {
		int mode = k->last[0] == '#' ? KEYS_BLIND : KEYS_CONSULT;
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
