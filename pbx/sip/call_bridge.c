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

struct bridge_req {
	struct chan *ch;	/* one reference, dropped by the job */
	char target[DB_URI_LEN];
	int timeout_s;
};

/* Ends the bridge attempt or the bridged part of the call, and wakes the
 * app with `result`. The caller's own leg stays up: the app goes on. */
void bridge_end(struct call *c, int result)
{
	if (!c->bridging)
		return;
	c->bridging = 0;
	hunt_free(c);
	c->bridge_deadline_us = 0;
	c->bridge_reply_deadline_us = 0;
	bridge_trunk_done(c);
	call_rec_stop(c);
	mchan_set_tone(c->mc, -1);
	mchan_join(c->mc, NULL);
	call_keep_quality(c, 1, c->bmc);
	mchan_release(c->bmc, NULL, NULL);
	c->bmc = NULL;
	leg_cancel_others(c, NULL);
	if (c->winner && c->winner->up)
		leg_bye(c->winner);
	free(c->offer_b);
	c->offer_b = NULL;
	LOGC(LOGL_INFO, "call", c->domain, c->call_id, "bridge to %s ended (%s)",
	     c->bridge_to, result ? strerror(-result) : "hung up");
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

/* A target that is an extension of the caller's tenant: every contact it
 * registered rings. */
static int bridge_ext(struct call *c, const char *number, int timeout_s)
{
	struct db_ext callee;
	int err;

	if (db_ext_get(c->sip->db, c->tenant_id, number, &callee))
		return -ENOENT;
	if (!reg_table_get(c->sip->regs, callee.id, time(NULL),
			   &(struct db_reg){0}, 1))
		return -EHOSTUNREACH;
	c->bridge_rec = db_ext_record(c->sip->db, c->tenant_id, callee.number);
	err = bridge_begin(c, callee.number,
			   timeout_s > 0 ? timeout_s : callee.ring_timeout);
	if (err)
		return err;
	if (!start_legs(c, &callee)) {
		bridge_end(c, -EHOSTUNREACH);
		return 1; /* already answered the app */
	}
	return 0;
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

static int bridge_start(struct call *c, const char *target, int timeout_s)
{
	int err;

	if (c->state == CALL_ENDED || !c->mc)
		return -ECONNRESET;
	if (c->bridging)
		return -EBUSY;
	c->nbpref = 0; /* the tenant's codecs, unless a trunk says */
	c->bridge_rec = DB_REC_NEVER;
	c->b_headers[0] = '\0';
	if (!strncasecmp(target, "sip:", 4))
		err = bridge_uri(c, target, timeout_s);
	else if (!strncasecmp(target, "trunk:", 6))
		err = bridge_trunk(c, target + 6, timeout_s);
	else
		err = bridge_ext(c, target, timeout_s);
	if (err == 0)
		LOGC(LOGL_INFO, "call", c->domain, c->call_id,
		     "%s: bridging to %s", c->caller, target);
	return err;
}

static void bridge_job(struct sip *s, void *arg)
{
	struct bridge_req *r = arg;
	struct call *c = r->ch->sip_arg;
	int err = bridge_start(c, r->target, r->timeout_s);

	if (err < 0)
		chan_op_done(r->ch, err);
	chan_unref(r->ch);
	free(r);
}

int call_app_bridge(struct chan *ch, const char *target, int timeout_s)
{
	struct bridge_req *r = calloc(1, sizeof(*r)); /* freed by bridge_job */
	struct call *c = ch->sip_arg;

	if (!r)
		return -ENOMEM;
	if (!target || !*target || strlen(target) >= sizeof(r->target)) {
		free(r);
		return -EINVAL;
	}
	snprintf(r->target, sizeof(r->target), "%s", target);
	r->timeout_s = timeout_s;
	r->ch = ch;
	chan_ref(ch);
	chan_op_begin(ch);
	if (sip_post(c->sip, bridge_job, r)) {
		chan_unref(ch);
		free(r);
		chan_op_done(ch, -ENOMEM);
	}
	return chan_op_wait(ch);
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
		if (!x->final)
			return;
		if (x->final != 486 && x->final != 600)
			busy = 0;
	}
	bridge_end(c, busy ? -EBUSY : -EHOSTUNREACH);
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
		bridge_end(c, -ETIMEDOUT);
}
