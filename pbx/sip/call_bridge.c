/* call_bridge.c - an app connects its caller to an extension (chan_bridge). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sip/call.h"
#include "db_record.h"
#include "sip/reg.h"
#include "sip/sdp_oa.h"
#include "core/chan_priv.h"
#include "core/log.h"
#include "media/mchan.h"
#include "media/tone.h"
#include "apps/apps.h"

struct bridge_req {
	struct chan *ch;	/* one reference, dropped by the job */
	char target[DB_URI_LEN];
	int timeout_s;
	int nested;		/* made by an app a forward runs */
};

/* App thread only: how deep this thread is in apps that forwards run
 * (call_app_bridge). Their bridges go on with the call's chain of
 * forwards, so a forward to a number whose route dials back is a loop. */
static _Thread_local int fwd_depth;

/* Ends the bridge attempt or the bridged part of the call, and wakes the
 * app with `result`. The caller's own leg stays up: the app goes on. */
void bridge_end(struct call *c, int result)
{
	if (!c->bridging)
		return;
	c->bridging = 0;
	hunt_free(c);
	park_bridge_end(c);
	c->bridge_deadline_us = 0;
	c->bridge_reply_deadline_us = 0;
	bridge_trunk_done(c);
	call_rec_stop(c);
	mchan_set_tone(c->mc, -1);
	mchan_set_moh(c->mc, NULL, 0); /* the bridged phone had it on hold */
	mchan_watch(c->mc, 0, 0);  /* its keys are the app's again */
	memset(c->keys, 0, sizeof(c->keys));
	mchan_join(c->mc, NULL);
	call_keep_quality(c, 1, c->bmc);
	mchan_release(c->bmc, NULL, NULL);
	c->bmc = NULL;
	leg_cancel_others(c, NULL);
	if (c->winner && c->winner->up)
		leg_bye(c->winner);
	/* Its BYE, crossing ours, must not end the app's next bridge. */
	c->winner = NULL;
	free(c->offer_b);
	c->offer_b = NULL;
	if (result == -EXDEV)
		LOGC(LOGL_INFO, "call", c->domain, c->call_id,
		     "bridge to %s ended: forwarded to %s(%s)", c->bridge_to,
		     c->fwd_app, c->fwd_args);
	else
		LOGC(LOGL_INFO, "call", c->domain, c->call_id,
		     "bridge to %s ended (%s)", c->bridge_to,
		     result ? strerror(-result) : "hung up");
	chan_op_done(c->chan, result);
}

static int start_legs(struct call *c, const struct db_ext *callee)
{
	struct db_reg contacts[REG_MAX_CONTACTS];
	int n, started = 0;

	n = reg_table_get(c->sip->regs, callee->id, time(NULL), contacts,
			  REG_MAX_CONTACTS);
	call_b_from_to(c, callee->number);
	for (int i = 0; i < n; i++)
		if (!leg_b_start(c, contacts[i].contact, contacts[i].route, 0))
			started++;
	return started;
}

static int offer_media(struct call *c)
{
	struct mchan_params p = {.codec = c->bpref[0], .te_pt = 101,
				 .tag = c->call_id};
	char sdp[1024];
	int err;

	p.pt = codec_info(p.codec)->pt;
	/* Near the caller's channel: joined, the two relay with no thread
	 * hop. The codec is provisional until the callee answers. */
	err = mchan_alloc(&c->bmc, c->sip->media, &p, NULL, NULL, c->mc);
	if (err)
		return err;
	err = sdp_offer_build(sdp, sizeof(sdp), c->sip->host,
			      mchan_port(c->bmc), c->bpref, c->nbpref,
			      c->sdp_id);
	if (err < 0)
		return err;
	c->offer_b = strdup(sdp);
	return c->offer_b ? 0 : -ENOMEM;
}

int bridge_begin(struct call *c, const char *to, int timeout_s)
{
	int err;

	if (!c->nbpref) {
		memcpy(c->bpref, c->pref, sizeof(c->bpref));
		c->nbpref = c->npref;
	}
	err = offer_media(c);
	if (err)
		return err;
	c->bridging = 1;
	c->bridged = 0;
	sip_strlcpy(c->bridge_to, to, sizeof(c->bridge_to));
	c->bridge_deadline_us = now_us() + (int64_t)timeout_s * 1000000;
	mchan_set_tone(c->mc, TONE_RINGBACK);
	/* Not answered yet: the caller hears the ringback as early media
	 * and is answered only when the target answers. */
	return call_early_media(c);
}

/* Rings st->ext: the first target of this bridge (ringback starts), or
 * the next one a forward leads to (the phones of the last one stop, the
 * caller's ringback goes on). 0; -EHOSTUNREACH if no INVITE went. */
static int ring_ext(struct call *c, const struct fwd_step *st, int timeout_s)
{
	struct db_ext callee;
	int ring_s = timeout_s > 0 ? timeout_s : st->ring_s;
	int err;

	if (db_ext_get(c->sip->db, c->tenant_id, st->ext, &callee))
		return -EHOSTUNREACH;
	c->bridge_rec = db_ext_record(c->sip->db, c->tenant_id, callee.number);
	if (!c->bridging) {
		err = bridge_begin(c, callee.number, ring_s);
		if (err)
			return err;
	} else {
		leg_cancel_others(c, NULL);
		c->gen++;
		sip_strlcpy(c->bridge_to, callee.number, sizeof(c->bridge_to));
		c->bridge_deadline_us = now_us() + (int64_t)ring_s * 1000000;
		LOGC(LOGL_INFO, "call", c->domain, c->call_id,
		     "%s: bridge forwarded, ringing %s (%d s)", c->caller,
		     callee.number, ring_s);
	}
	call_fwd_diversion(c, st);
	return start_legs(c, &callee) ? 0 : -EHOSTUNREACH;
}

/* Acts on a forwarding step for the bridge: 0 while something rings, or
 * the error the app gets (-EXDEV: run c->fwd_app instead). */
static int bridge_act(struct call *c, const struct fwd_ops *ops,
		      struct fwd_step *st, int timeout_s)
{
	int err;

	for (;;) {
		switch (st->action) {
		case FWD_RING:
			err = ring_ext(c, st, timeout_s);
			if (err != -EHOSTUNREACH)
				return err;
			/* No phone took the INVITE: as if they failed. */
			if (fwd_decide(ops, &c->fwd, st->ext, FWD_EV_FAILED,
				       st))
				return -EHOSTUNREACH;
			timeout_s = 0;
			continue;
		case FWD_VOICEMAIL:
			sip_strlcpy(c->fwd_app, "voicemail",
				    sizeof(c->fwd_app));
			snprintf(c->fwd_args, sizeof(c->fwd_args), "%s,%s",
				 st->ext, st->busy ? "busy" : "unavail");
			return -EXDEV;
		case FWD_ROUTE:
			sip_strlcpy(c->fwd_app, st->app, sizeof(c->fwd_app));
			sip_strlcpy(c->fwd_args, st->args, sizeof(c->fwd_args));
			return -EXDEV;
		default:
			return call_fwd_errno(st->result);
		}
	}
}

/* A target that is an extension of the caller's tenant: where its
 * forwards and DND say (pbx/dialplan/fwd.h); every contact of the
 * extension that rings is called. The app gets busy, no answer and so on
 * as they are, not the extension's mailbox: a forward to voicemail is
 * followed, the mailbox as the last resort is the app's choice. */
static int bridge_ext(struct call *c, const char *number, int timeout_s,
		      int nested)
{
	struct call_fwd_ctx x;
	struct fwd_ops ops;
	struct fwd_step st;
	struct db_tenant t;
	int err;

	if (db_tenant_by_id(c->sip->db, c->tenant_id, &t))
		return -EIO;
	if (!nested && !c->fwd_nested)
		fwd_chain_reset(&c->fwd);
	call_fwd_ops(&x, &ops, c->sip, &t, c->caller, c->call_id, 0);
	err = fwd_arrive(&ops, &c->fwd, number, &st);
	if (err)
		return err == -ENOENT ? -ENOENT : -EIO;
	c->bridge_is_ext = 1;
	err = bridge_act(c, &ops, &st, timeout_s);
	if (err && c->bridging) {
		bridge_end(c, err);
		return 1; /* already answered the app */
	}
	return err;
}

/* `ev` happened to the extension the bridge rings: its forwards decide;
 * a bridge to a URI or trunk ends with `plain`. */
static void bridge_fwd(struct call *c, enum fwd_event ev, int plain)
{
	struct call_fwd_ctx x;
	struct fwd_ops ops;
	struct fwd_step st;
	struct db_tenant t;
	int err;

	if (!c->bridge_is_ext || db_tenant_by_id(c->sip->db, c->tenant_id, &t)) {
		bridge_end(c, plain);
		return;
	}
	call_fwd_ops(&x, &ops, c->sip, &t, c->caller, c->call_id, 0);
	err = fwd_decide(&ops, &c->fwd, c->bridge_to, ev, &st);
	if (!err)
		err = bridge_act(c, &ops, &st, 0);
	else
		err = plain;
	if (err)
		bridge_end(c, err);
}

/* A target that is a SIP URI (another PBX, a phone by address): one leg,
 * sent where the URI points. Only routes an admin wrote reach here. */
static int bridge_uri(struct call *c, const char *uri, int timeout_s)
{
	su_home_t home[1] = {SU_HOME_INIT(home)};
	url_t *u = url_hdup(home, URL_STRING_MAKE(uri)->us_url);
	int ok = u && u->url_type == url_sip && u->url_host && u->url_host[0];
	int err;

	su_home_deinit(home);
	if (!ok)
		return -ENOENT;
	err = bridge_begin(c, uri, timeout_s > 0 ? timeout_s : 30);
	if (err)
		return err;
	call_b_from_to(c, "");
	snprintf(c->b_to, sizeof(c->b_to), "<%s>", uri);
	if (leg_b_start(c, uri, "", 0)) {
		bridge_end(c, -EHOSTUNREACH);
		return 1;
	}
	return 0;
}

static int bridge_start(struct call *c, const char *target, int timeout_s,
			int nested)
{
	int err;

	if (c->state == CALL_ENDED || !c->mc)
		return -ECONNRESET;
	if (c->bridging)
		return -EBUSY;
	c->nbpref = 0; /* the tenant's codecs, unless a trunk says */
	c->bridge_rec = DB_REC_NEVER;
	c->b_headers[0] = '\0';
	c->bridge_is_ext = 0;
	/* Phones of an earlier bridge, or of the direct call this app call
	 * was before voicemail took it, may still answer late. */
	c->gen++;
	if (!strncasecmp(target, "sip:", 4))
		err = bridge_uri(c, target, timeout_s);
	else if (!strncasecmp(target, "trunk:", 6))
		err = bridge_trunk(c, target + 6, timeout_s);
	else if (!strncmp(target, "park:", 5))
		err = park_wait(c, target + 5, timeout_s);
	else
		err = bridge_ext(c, target, timeout_s, nested);
	if (err == 0)
		LOGC(LOGL_INFO, "call", c->domain, c->call_id,
		     "%s: bridging to %s", c->caller, target);
	return err;
}

static void bridge_job(struct sip *s, void *arg)
{
	struct bridge_req *r = arg;
	struct call *c = r->ch->sip_arg;
	int err = bridge_start(c, r->target, r->timeout_s, r->nested);

	if (err < 0)
		chan_op_done(r->ch, err);
	chan_unref(r->ch);
	free(r);
}

/* App thread: a forward of the bridged extension leads to an app (its
 * mailbox, a route's app): it runs here, on the same channel, and what it
 * returns is what chan_bridge returns. c->fwd_app and fwd_args were
 * written on the SIP thread before it woke this one (the channel's lock
 * orders them). */
static int run_forward(struct chan *ch, struct call *c)
{
	char name[DB_ROUTE_APP_LEN], args[DB_ROUTE_ARGS_LEN];
	const struct app *app;
	int r;

	sip_strlcpy(name, c->fwd_app, sizeof(name));
	sip_strlcpy(args, c->fwd_args, sizeof(args));
	app = app_find(name);
	if (!app)
		return -ENOENT;
	fwd_depth++;
	r = app->run(ch, args);
	fwd_depth--;
	return r;
}

int call_app_bridge(struct chan *ch, const char *target, int timeout_s)
{
	struct bridge_req *r = calloc(1, sizeof(*r)); /* freed by bridge_job */
	struct call *c = ch->sip_arg;
	int err;

	if (!r)
		return -ENOMEM;
	if (!target || !*target || strlen(target) >= sizeof(r->target)) {
		free(r);
		return -EINVAL;
	}
	snprintf(r->target, sizeof(r->target), "%s", target);
	r->timeout_s = timeout_s;
	r->nested = fwd_depth > 0;
	r->ch = ch;
	chan_ref(ch);
	chan_op_begin(ch);
	if (sip_post(c->sip, bridge_job, r)) {
		chan_unref(ch);
		free(r);
		chan_op_done(ch, -ENOMEM);
	}
	err = chan_op_wait(ch);
	return err == -EXDEV ? run_forward(ch, c) : err;
}

/* ---- the callee's answers while bridging (SIP thread) ---- */

/* The SDP the callee gets back if it sends a re-INVITE (hold). */
static void keep_answer(struct call *c, struct leg *l, enum codec_id codec,
			int pt, int te_pt)
{
	char sdp[1024];

	if (sdp_answer_build(sdp, sizeof(sdp), c->sip->host,
			     mchan_port(c->bmc), codec, pt, te_pt,
			     c->sdp_id) < 0)
		return;
	free(l->local_sdp);
	l->local_sdp = strdup(sdp);
}

void bridge_answered(struct call *c, struct leg *l, const sip_t *sip)
{
	enum codec_id codec = CODEC_COUNT;
	struct sdp_offer a;
	int pt = -1;

	l->up = 1;
	if (c->bridged || !c->bridging) {
		leg_bye(l); /* a second contact answered too late */
		return;
	}
	if (!sip->sip_payload ||
	    sdp_offer_parse(sip->sip_payload->pl_data,
			    sip->sip_payload->pl_len, &a) ||
	    sdp_offer_choose(&a, c->bpref, c->nbpref, &codec, &pt)) {
		leg_bye(l);
		bridge_end(c, -EPROTONOSUPPORT);
		return;
	}
	c->winner = l;
	c->bridged = 1;
	keep_answer(c, l, codec, pt, a.te_pt);
	c->bridge_deadline_us = 0;
	leg_cancel_others(c, l);
	mchan_set_codec(c->bmc, codec, pt, a.te_pt, &a.addr);
	mchan_set_tone(c->mc, -1);
	mchan_join(c->mc, c->bmc);
	call_keys_watch(c);
	call_rec_start(c, call_rec_max(c->rec_mode, c->bridge_rec));
	if (c->state == CALL_RINGING)
		call_answer_caller(c);
	LOGC(LOGL_INFO, "call", c->domain, c->call_id,
	     "%s answered: bridged (%s)", c->bridge_to, codec_info(codec)->name);
}

void bridge_response(struct call *c, struct leg *l, int status,
		     const sip_t *sip)
{
	int busy = 1;

	if (l->gen != c->gen) {
		/* A phone of a target the bridge has left (forwarded), or of
		 * an earlier bridge, answers or fails late. */
		if (status >= 200 && status < 300) {
			l->up = 1;
			leg_bye(l);
		} else if (status >= 300) {
			l->final = status;
		}
		return;
	}
	c->bridge_reply_deadline_us = 0; /* the far end is there */
	if (c->hunt) {
		hunt_response(c, l, status, sip); /* a ring group's */
		return;
	}
	if (status < 200)
		return; /* the caller already hears ringback */
	if (status < 300) {
		bridge_answered(c, l, sip);
		return;
	}
	if (l->trunk_id && bridge_trunk_auth(c, l, status, sip) == 0)
		return; /* the INVITE goes again with credentials */
	l->final = status;
	if (c->bridged || !c->bridging)
		return;
	if (l->trunk_id) {
		bridge_end(c, bridge_trunk_result(status));
		return;
	}
	for (struct leg *x = c->b; x; x = x->next) {
		if (x->gen != c->gen)
			continue;
		if (!x->final)
			return;
		if (x->final != 486 && x->final != 600)
			busy = 0;
	}
	bridge_fwd(c, busy ? FWD_EV_BUSY : FWD_EV_FAILED,
		   busy ? -EBUSY : -EHOSTUNREACH);
}

void bridge_tick(struct call *c, int64_t now)
{
	if (!c->bridging || c->bridged)
		return;
	if (c->hunt && hunt_tick(c, now))
		return;
	/* A carrier that does not even say 100 Trying is down: the next
	 * trunk is tried long before the INVITE's own 32 s timeout. */
	if (c->bridge_reply_deadline_us && now >= c->bridge_reply_deadline_us)
		bridge_end(c, -ENETUNREACH);
	else if (c->bridge_deadline_us && now >= c->bridge_deadline_us)
		bridge_fwd(c, FWD_EV_NOANSWER, -ETIMEDOUT);
}
