/* call_consult.c - attended transfer keyed during a call (*2 + number):
 * the callee consults the target while the caller hears music on hold,
 * then hangs up to hand the caller over (docs/transfer.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/call.h"
#include "sip/reg.h"
#include "sip/sdp_oa.h"
#include "media/mchan.h"
#include "media/tone.h"
#include "core/log.h"

/*
 * Everything stays in the one call: the consulted phone is one more B
 * leg (c->cons.legs), its media channel sits next to the consulting
 * phone's channel (c->bmc), which is joined to it in place of the caller
 * (c->mc, playing music on hold). All three channels are on one media
 * worker, so any two of them can be joined:
 *   - the consulting phone hangs up: the caller is joined to the target,
 *     who becomes the call's answered callee;
 *   - the target is busy, does not answer or hangs up: the consulting
 *     phone is joined to the caller again.
 */

#define CONSULT_RING_S 30

/* The answered callee's number: the extension an app's bridge reached,
 * the one a forward led to, or the number dialled. */
static const char *callee_of(const struct call *c)
{
	if (c->chan && c->bridge_to[0])
		return c->bridge_to;
	return c->ring_ext[0] ? c->ring_ext : c->callee;
}

static void consult_clear(struct call *c)
{
	for (struct leg *l = c->b; l; l = l->next)
		if (l->consult && l != c->winner) {
			if (l->up)
				leg_bye(l);
			else if (l->nh && !l->final)
				nua_cancel(l->nh, TAG_END());
			l->consult = 0;
			l->gen = -1; /* its late answers are stale */
		}
	mchan_release(c->cons.mc, NULL, NULL);
	c->cons.mc = NULL;
	c->cons.active = 0;
	c->cons.answered = 0;
	c->cons.deadline_us = 0;
}

/* The target did not take the call or left it: back to the caller. */
static void consult_back(struct call *c, const char *why)
{
	LOGC(LOGL_INFO, "keys", c->domain, c->call_id,
	     "consultation of %s ended (%s): %s talks to %s again",
	     c->cons.target, why, callee_of(c), c->caller);
	consult_clear(c);
	mchan_set_tone(c->bmc, -1);
	mchan_set_moh(c->mc, NULL, 0);
	mchan_join(c->mc, c->bmc);
	c->winner->holding = 0;
}

/* The consulting phone hung up: the caller goes to the target. */
static void consult_hand_over(struct call *c, struct leg *cl)
{
	struct leg *old = c->winner;

	LOGC(LOGL_INFO, "keys", c->domain, c->call_id,
	     "%s handed %s over to %s (*2)", callee_of(c), c->caller,
	     c->cons.target);
	mchan_set_moh(c->mc, NULL, 0);
	mchan_set_tone(c->mc, -1);
	mchan_join(c->mc, c->cons.mc);
	mchan_release(c->bmc, NULL, NULL);
	c->bmc = c->cons.mc;
	c->cons.mc = NULL;
	cl->consult = 0;
	c->winner = cl;
	old->holding = 0;
	sip_strlcpy(c->callee, c->cons.target, sizeof(c->callee));
	sip_strlcpy(c->ring_ext, c->cons.target, sizeof(c->ring_ext));
	if (c->chan)
		sip_strlcpy(c->bridge_to, c->cons.target,
			    sizeof(c->bridge_to));
	consult_clear(c);
	call_keys_watch(c);
}

static int offer(struct call *c, char **sdp_out)
{
	struct mchan_params p = {.codec = c->pref[0], .te_pt = 101,
				 .tag = c->call_id};
	char sdp[1024];

	p.pt = codec_info(p.codec)->pt;
	if (mchan_alloc(&c->cons.mc, c->sip->media, &p, NULL, NULL, c->bmc))
		return -EAGAIN;
	if (sdp_offer_build(sdp, sizeof(sdp), c->sip->host,
			    mchan_port(c->cons.mc), c->pref, c->npref,
			    ++c->sdp_id) < 0)
		return -ENOSPC;
	*sdp_out = strdup(sdp);
	return *sdp_out ? 0 : -ENOMEM;
}

/* Rings every phone of extension `target` from the consulting phone's
 * identity. 0, or -errno with nothing started. */
static int ring(struct call *c, const struct db_ext *target)
{
	struct db_reg contacts[REG_MAX_CONTACTS];
	char from[sizeof(c->b_from)], to[sizeof(c->b_to)], *sdp = NULL;
	int n, started = 0, err;

	n = reg_table_get(c->sip->regs, target->id, time(NULL), contacts,
			  REG_MAX_CONTACTS);
	if (n <= 0)
		return -EHOSTUNREACH;
	err = offer(c, &sdp);
	if (err) {
		free(sdp);
		return err;
	}
	/* The target sees the consulting phone, not the held caller. */
	snprintf(from, sizeof(from), "<sip:%.*s@%s>", DB_NUMBER_LEN,
		 callee_of(c), c->domain);
	snprintf(to, sizeof(to), "<sip:%s@%s>", target->number, c->domain);
	for (int i = 0; i < n; i++)
		if (!leg_b_start_as(c, contacts[i].contact, contacts[i].route,
				    from, to, sdp, 0)) {
			c->b->consult = 1;
			started++;
		}
	free(sdp);
	return started ? 0 : -EHOSTUNREACH;
}

int call_consult_start(struct call *c, const char *target)
{
	struct db_ext e;
	int err;

	if (c->cons.active || !c->winner || !c->mc || !c->bmc)
		return -EBUSY;
	if (db_ext_get(c->sip->db, c->tenant_id, target, &e))
		return -ENOENT;
	sip_strlcpy(c->cons.target, e.number, sizeof(c->cons.target));
	err = ring(c, &e);
	if (err) {
		consult_clear(c);
		return err;
	}
	c->cons.active = 1;
	c->cons.deadline_us = now_us() + (int64_t)CONSULT_RING_S * 1000000;
	mchan_join(c->mc, NULL);
	mchan_set_tone(c->bmc, TONE_RINGBACK);
	LOGC(LOGL_INFO, "keys", c->domain, c->call_id,
	     "*2 %s: %s consults %s, %s on hold", e.number, callee_of(c),
	     e.number, c->caller);
	return 0;
}

static void answered(struct call *c, struct leg *l, const sip_t *sip)
{
	enum codec_id codec;
	struct sdp_offer a;
	char sdp[1024];
	int pt;

	l->up = 1;
	if (c->cons.answered || !sip || !sip->sip_payload ||
	    sdp_offer_parse(sip->sip_payload->pl_data,
			    sip->sip_payload->pl_len, &a) ||
	    sdp_offer_choose(&a, c->pref, c->npref, &codec, &pt)) {
		leg_bye(l);
		if (!c->cons.answered)
			consult_back(c, "no shared codec");
		return;
	}
	c->cons.answered = 1;
	c->cons.deadline_us = 0;
	mchan_set_codec(c->cons.mc, codec, pt, a.te_pt, &a.addr);
	if (sdp_answer_build(sdp, sizeof(sdp), c->sip->host,
			     mchan_port(c->cons.mc), codec, pt, a.te_pt,
			     c->sdp_id) > 0) {
		free(l->local_sdp);
		l->local_sdp = strdup(sdp);
	}
	for (struct leg *x = c->b; x; x = x->next)
		if (x->consult && x != l && !x->final)
			nua_cancel(x->nh, TAG_END());
	mchan_set_tone(c->bmc, -1);
	mchan_join(c->bmc, c->cons.mc);
	if (c->winner->bye_sent)
		consult_hand_over(c, l); /* it hung up while this rang */
}

int call_consult_response(struct call *c, struct leg *l, int status,
			  const sip_t *sip)
{
	if (!l->consult)
		return 0;
	if (status < 200)
		return 1;
	if (status < 300) {
		answered(c, l, sip);
		return 1;
	}
	l->final = status;
	for (struct leg *x = c->b; x; x = x->next)
		if (x->consult && !x->final)
			return 1; /* another phone of the target rings */
	if (c->winner && c->winner->bye_sent) {
		consult_clear(c);
		call_hangup(c); /* nobody left for the caller */
	} else
		consult_back(c, status == 486 ? "busy" : "not answered");
	return 1;
}

int call_consult_bye(struct call *c, struct leg *l)
{
	struct leg *cl = NULL;

	if (!c->cons.active)
		return 0;
	if (l == &c->a) {
		/* The caller gave up on hold: the consultation ends with
		 * the call (the hang-up goes on as usual). */
		consult_clear(c);
		return 0;
	}
	if (l->consult) {
		/* The target hung up during the consultation. */
		l->bye_sent = 1;
		consult_back(c, "hung up");
		return 1;
	}
	if (l != c->winner)
		return 0;
	l->bye_sent = 1;
	for (struct leg *x = c->b; x; x = x->next)
		if (x->consult && x->up)
			cl = x;
	if (cl) {
		consult_hand_over(c, cl);
	} else {
		/* Still ringing: the caller hears it ring, and gets the
		 * target when it answers. */
		mchan_set_moh(c->mc, NULL, 0);
		mchan_set_tone(c->mc, TONE_RINGBACK);
	}
	return 1;
}

void call_consult_tick(struct call *c, int64_t now)
{
	if (!c->cons.active || c->cons.answered || !c->cons.deadline_us ||
	    now < c->cons.deadline_us)
		return;
	if (c->winner && c->winner->bye_sent) {
		consult_clear(c);
		call_hangup(c);
	} else {
		consult_back(c, "no answer");
	}
}
