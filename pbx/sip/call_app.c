/* call_app.c - calls the PBX answers itself and hands to an app. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/call.h"
#include "apps/apps.h"
#include "media/media.h"
#include "db_record.h"
#include "sip/sdp_oa.h"
#include "core/chan_priv.h"
#include "core/log.h"
#include "media/mchan.h"

#define SDP_TYPE "application/sdp"

/* ---- jobs run on the SIP thread for the app thread ---- */

int call_answer_caller(struct call *c)
{
	if (c->state == CALL_ANSWERED)
		return 0;
	if (c->state != CALL_RINGING || !c->a.nh)
		return -ECONNRESET;
	nua_respond(c->a.nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR(SDP_TYPE),
		    SIPTAG_PAYLOAD_STR(c->a.local_sdp), TAG_END());
	c->state = CALL_ANSWERED;
	c->answer_us = now_us();
	c->ring_deadline_us = 0;
	c->disposition = "ANSWERED";
	c->a.final = 200;
	c->a.up = 1;
	chan_set_answered(c->chan);
	return 0;
}

int call_early_media(struct call *c)
{
	if (c->state != CALL_RINGING || !c->a.nh)
		return c->state == CALL_ANSWERED ? 0 : -ECONNRESET;
	if (!c->early) {
		nua_respond(c->a.nh, SIP_183_SESSION_PROGRESS,
			    SIPTAG_CONTENT_TYPE_STR(SDP_TYPE),
			    SIPTAG_PAYLOAD_STR(c->a.local_sdp), TAG_END());
		c->early = 1;
	}
	return 0;
}

static void answer_job(struct sip *s, void *arg)
{
	struct chan *ch = arg;

	chan_op_done(ch, call_answer_caller(ch->sip_arg));
	chan_unref(ch);
}

/* How an app that ends before answering ends the call: what it returned
 * as the SIP status the caller's phone shows. */
static void fail_unanswered(struct call *c, int result)
{
	static const struct {
		int err, status;
		const char *phrase, *disposition;
	} map[] = {
		{-EBUSY, 486, "Busy Here", "BUSY"},
		{-ETIMEDOUT, 480, "No Answer", "NO ANSWER"},
		{-EHOSTUNREACH, 480, "Temporarily Unavailable", "FAILED"},
		{-ENETUNREACH, 503, "Service Unavailable", "FAILED"},
		{-ENOENT, 404, "Not Found", "FAILED"},
		{-EACCES, 403, "Forbidden", "FAILED"},
		{-EPROTONOSUPPORT, 488, "Not Acceptable Here", "FAILED"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].err == result) {
			call_fail(c, map[i].status, map[i].phrase,
				  map[i].disposition);
			return;
		}
	}
	call_fail(c, 480, "Temporarily Unavailable", "FAILED");
}

static void hangup_job(struct sip *s, void *arg)
{
	struct chan *ch = arg;
	struct call *c = ch->sip_arg;

	if (c->state == CALL_ANSWERED)
		call_hangup(c);
	else
		call_fail(c, 480, "Temporarily Unavailable", "FAILED");
	chan_unref(ch);
}

static void app_done_job(struct sip *s, void *arg)
{
	struct chan *ch = arg;
	struct call *c = ch->sip_arg;

	c->app_running = 0;
	if (c->state == CALL_ANSWERED)
		call_hangup(c);
	else if (c->state == CALL_RINGING)
		fail_unanswered(c, ch->app_result);
	call_maybe_free(c);
	chan_unref(ch);
}

/* ---- the chan's SIP operations, called on the app thread ---- */

static int post(struct chan *ch, void (*fn)(struct sip *, void *))
{
	struct call *c = ch->sip_arg; /* valid until app_done is handled */

	chan_ref(ch); /* the job's */
	if (sip_post(c->sip, fn, ch)) {
		chan_unref(ch);
		return -ENOMEM;
	}
	return 0;
}

static int op_answer(struct chan *ch)
{
	int r;

	chan_op_begin(ch);
	r = post(ch, answer_job);
	if (r) {
		chan_op_done(ch, r);
		return r;
	}
	return chan_op_wait(ch);
}

static void op_hangup(struct chan *ch)
{
	chan_set_hungup(ch);
	post(ch, hangup_job);
}

static void op_app_done(struct chan *ch)
{
	if (post(ch, app_done_job))
		LOGE("app", "[%s] lost the end of an app: call left up",
		     ch->call_id);
}

/* On the app thread: the call cannot be freed while its app runs, and
 * its sip pointer never changes; the work itself is posted. */
static void op_mwi(struct chan *ch, const char *ext)
{
	struct call *c = ch->sip_arg;

	if (sip_mwi_changed(c->sip, ch->tenant_id, ext))
		LOGC(LOGL_WARN, "mwi", ch->domain, ch->call_id,
		     "lamps of %s not updated: out of memory", ext);
}

static const struct chan_sip_ops sip_ops = {
	.answer = op_answer,
	.hangup = op_hangup,
	.bridge = call_app_bridge,
	.bridge_group = call_app_bridge_group,
	.app_done = op_app_done,
	.mwi = op_mwi,
};

int chan_answer(struct chan *c)
{
	return c->sip->answer(c);
}

void chan_mwi_changed(struct chan *c, const char *ext)
{
	if (c->sip->mwi)
		c->sip->mwi(c, ext);
}

int chan_hangup(struct chan *c)
{
	c->sip->hangup(c);
	return 0;
}

int chan_bridge(struct chan *c, const char *target, int timeout_s)
{
	return c->sip->bridge(c, target, timeout_s);
}

int chan_bridge_group(struct chan *c, const struct chan_ring *m, int n,
		      int sequential, int timeout_s)
{
	return c->sip->bridge_group(c, m, n, sequential, timeout_s);
}

/* ---- starting an app call (SIP thread) ---- */

static void mchan_gone_h(void *arg)
{
	chan_unref(arg); /* the media channel's reference */
}

/* Parses the caller's offer and picks the codec by the preference list.
 * -ENOMSG without SDP, -EPROTONOSUPPORT when nothing is shared. */
static int choose(const struct call *c, const char *sdp, size_t len,
		  struct sdp_offer *o, struct mchan_params *p)
{
	if (!sdp || !len)
		return -ENOMSG;
	if (sdp_offer_parse(sdp, len, o) ||
	    sdp_offer_choose(o, c->pref, c->npref, &p->codec, &p->pt))
		return -EPROTONOSUPPORT;
	p->te_pt = o->te_pt;
	p->remote = o->addr;
	return 0;
}

static int setup_media(struct call *c, struct chan *ch,
		       struct mchan_params *p)
{
	char sdp[1024];
	int err;

	chan_ref(ch); /* the media channel's, dropped in mchan_gone_h */
	err = mchan_alloc(&c->mc, c->sip->media, p, &chan_media_ops, ch,
			  NULL);
	if (err) {
		chan_unref(ch);
		return err;
	}
	ch->mc = c->mc;
	ch->rooms = c->sip->rooms;
	err = sdp_answer_build(sdp, sizeof(sdp), c->sip->host,
			       mchan_port(c->mc), p->codec, p->pt, p->te_pt,
			       c->sdp_id);
	if (err < 0)
		return err;
	c->a.local_sdp = strdup(sdp);
	return c->a.local_sdp ? 0 : -ENOMEM;
}

static void fill_chan(struct chan *ch, struct call *c,
		      const struct db_tenant *t, const struct app *app,
		      const char *args)
{
	sip_strlcpy(ch->domain, t->domain, sizeof(ch->domain));
	sip_strlcpy(ch->caller, c->caller, sizeof(ch->caller));
	sip_strlcpy(ch->caller_name, c->caller_name, sizeof(ch->caller_name));
	sip_strlcpy(ch->exten, c->callee, sizeof(ch->exten));
	sip_strlcpy(ch->call_id, c->call_id, sizeof(ch->call_id));
	sip_strlcpy(ch->args, args, sizeof(ch->args));
	ch->tenant_id = t->id;
	ch->caller_local = !c->trunk_id;
	ch->app = app;
	ch->sounds_dir = c->sip->conf->sounds_dir;
	ch->spool_dir = c->sip->conf->spool_dir;
	ch->db_path = c->sip->conf->db_path;
	ch->sip = &sip_ops;
	ch->sip_arg = c;
}

/* Gives call c (its caller not answered yet) to `app`: a media channel
 * for the caller's offer `sdp`, and the app thread. On failure the call
 * has been failed. */
static void attach_app(struct call *c, const struct db_tenant *t,
		       const struct app *app, const char *args,
		       const char *sdp, size_t len)
{
	struct mchan_params p = {.te_pt = -1};
	struct sdp_offer o;
	struct chan *ch;
	int err = choose(c, sdp, len, &o, &p);

	if (err) {
		call_fail(c, 488,
			  err == -ENOMSG ? "SDP Offer Required"
					 : "Not Acceptable Here",
			  "FAILED");
		return;
	}
	p.sig = c->a.sig;
	p.tag = c->call_id;
	if (chan_alloc(&ch, codec_info(p.codec)->rate)) {
		call_fail(c, SIP_500_INTERNAL_SERVER_ERROR, "FAILED");
		return;
	}
	c->chan = ch; /* the call's reference */
	fill_chan(ch, c, t, app, args);
	err = setup_media(c, ch, &p);
	if (err) {
		call_fail(c, err == -EAGAIN ? 503 : 500,
			  err == -EAGAIN ? "Service Unavailable"
					 : "Server Internal Error",
			  "FAILED");
		return;
	}
	c->app_running = 1;
	if (chan_start(ch)) {
		c->app_running = 0;
		call_fail(c, SIP_500_INTERNAL_SERVER_ERROR, "FAILED");
	}
}

struct call *call_start_app(struct sip *s, nua_handle_t *nh, const sip_t *sip,
			    const struct db_tenant *t,
			    const struct db_ext *caller, const char *dialled,
			    const struct app *app, const char *args,
			    int rec_mode)
{
	struct sockaddr_storage src;
	struct call *c;

	if (call_alloc(&c, s, t, sip->sip_call_id->i_id)) {
		sip_reply(s, nh, SIP_500_INTERNAL_SERVER_ERROR);
		return NULL;
	}
	sip_strlcpy(c->caller, caller->number, sizeof(c->caller));
	sip_strlcpy(c->caller_name, caller->name, sizeof(c->caller_name));
	sip_strlcpy(c->callee, dialled, sizeof(c->callee));
	c->rec_mode = call_rec_max(rec_mode, s->inbound_trunk ? DB_REC_NEVER
					    : (int)db_ext_record(s->db, t->id,
							 caller->number));
	c->a.nh = nh;
	nua_handle_bind(nh, &c->a);
	memset(&src, 0, sizeof(src));
	if (sip_request_source(s, &src, c->a.route, sizeof(c->a.route)) == 0)
		c->a.sig = src;
	attach_app(c, t, app, args,
		   sip->sip_payload ? sip->sip_payload->pl_data : NULL,
		   sip->sip_payload ? sip->sip_payload->pl_len : 0);
	return c;
}

int call_divert(struct call *c, const char *app_name, const char *args)
{
	const struct app *app = app_find(app_name);
	struct db_tenant t;

	if (!app || !c->offer_a || c->chan || c->state != CALL_RINGING ||
	    !c->a.nh || db_tenant_by_id(c->sip->db, c->tenant_id, &t))
		return -ENOENT;
	LOGC(LOGL_INFO, "call", c->domain, c->call_id, "%s -> %s: to %s(%s)",
	     c->caller, c->callee, app_name, args);
	/* The phones still ringing stop; the relay's ports go back. */
	leg_cancel_others(c, NULL);
	msess_release(c->media);
	c->media = NULL;
	c->ring_deadline_us = 0;
	attach_app(c, &t, app, args, c->offer_a, strlen(c->offer_a));
	return 0;
}

int call_adopt_app(struct call *c, const struct app *app, const char *args,
		   struct mchan *mc)
{
	struct db_tenant t;
	struct chan *ch;

	c->mc = mc;
	if (db_tenant_by_id(c->sip->db, c->tenant_id, &t) ||
	    chan_alloc(&ch, codec_info(mchan_codec(mc))->rate))
		return -ENOMEM;
	c->chan = ch; /* the call's reference */
	fill_chan(ch, c, &t, app, args);
	ch->mc = mc;
	ch->rooms = c->sip->rooms;
	/* The media channel's reference, dropped in mchan_gone_h when
	 * call_app_release() lets the channel go. */
	chan_ref(ch);
	mchan_join(mc, NULL);
	mchan_set_tone(mc, -1);
	mchan_set_ops(mc, &chan_media_ops, ch);
	c->state = CALL_ANSWERED;
	c->answer_us = now_us();
	c->disposition = "ANSWERED";
	chan_set_answered(ch);
	c->app_running = 1;
	if (chan_start(ch)) {
		c->app_running = 0;
		return -ENOMEM;
	}
	return 0;
}

/* Releases what an app call holds; called from call_free(). */
void call_app_release(struct call *c)
{
	if (c->chan)
		chan_set_hungup(c->chan);
	if (c->bmc)
		mchan_release(c->bmc, NULL, NULL);
	c->bmc = NULL;
	if (c->mc)
		mchan_release(c->mc, mchan_gone_h, c->chan);
	c->mc = NULL;
	chan_unref(c->chan);
	c->chan = NULL;
}
