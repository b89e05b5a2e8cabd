/* call.c - the life of a call: creation, failure, hang-up, CDR, release. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "sip/call.h"
#include "sip/limits.h"
#include "sip/trunk.h"
#include "media/media.h"
#include "media/mchan.h"
#include "sip/sdp_oa.h"
#include "core/dbq.h"
#include "core/log.h"
#include "core/chan_priv.h"
#include "db_live.h"

int64_t now_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* The tenant's codec list as codec ids; the default if it is unusable. */
void tenant_codecs(const struct db_tenant *t, enum codec_id *pref, int *n)
{
	char names[DB_CODECS_MAX][DB_CODEC_NAME_LEN];
	int k = 0;

	*n = 0;
	if (db_codecs_parse(t->codecs, names, &k) == 0) {
		for (int i = 0; i < k && *n < DB_CODECS_MAX; i++) {
			const struct codec_info *ci = codec_by_name(names[i]);
			if (ci)
				pref[(*n)++] = ci->id;
		}
	}
	if (*n)
		return;
	for (int i = 0; i < sdp_default_npref && i < DB_CODECS_MAX; i++)
		pref[(*n)++] = sdp_default_pref[i];
}

int call_alloc(struct call **cp, struct sip *s, const struct db_tenant *t,
	       const char *call_id)
{
	struct call *c = calloc(1, sizeof(*c)); /* owned by s->calls */

	if (!c)
		return -ENOMEM;
	c->sip = s;
	c->tenant_id = t->id;
	sip_strlcpy(c->domain, t->domain, sizeof(c->domain));
	sip_strlcpy(c->call_id, call_id, sizeof(c->call_id));
	tenant_codecs(t, c->pref, &c->npref);
	c->a.call = c;
	c->a.role = LEG_A;
	c->start_us = now_us();
	c->sdp_id = (uint64_t)c->start_us;
	c->key_id = ++s->key_seq;
	c->state = CALL_RINGING;
	c->max_secs = lim_call_secs(s, t->id);
	c->max_fwd = s->inbound_mf >= 0 ? s->inbound_mf : CALL_MAX_FORWARDS;
	if (s->inbound_trunk) {
		c->trunk_id = s->inbound_trunk->cfg.id;
		s->inbound_trunk->calls++;
	}
	c->next = s->calls;
	s->calls = c;
	s->ncalls++;
	*cp = c;
	return 0;
}

static void no_quality(struct db_cdr *r)
{
	for (int i = 0; i < 2; i++) {
		r->lost[i] = -1;
		r->jitter_ms[i] = -1;
		r->rtt_ms[i] = -1;
	}
}

void call_keep_quality(struct call *c, int i, const struct mchan *mc)
{
	struct mchan_stats st;

	if (!mc)
		return;
	mchan_stats(mc, &st);
	if (!st.rx_pkts)
		return;
	c->q[i].have = 1;
	c->q[i].lost = (int64_t)st.lost;
	c->q[i].jitter_ms = st.jitter_ms;
	c->q[i].rtt_ms = st.rtt_ms;
}

/* What the relay or the media channels measured, by leg. */
static void quality(struct call *c, struct db_cdr *r)
{
	struct msess_stats st;

	no_quality(r);
	if (c->media) {
		msess_stats(c->media, &st);
		for (int i = 0; i < 2; i++) {
			if (!st.rx_pkts[i])
				continue;
			r->lost[i] = st.lost[i];
			r->jitter_ms[i] = st.jitter_ms[i];
		}
		return;
	}
	call_keep_quality(c, 0, c->mc);
	call_keep_quality(c, 1, c->bmc);
	for (int i = 0; i < 2; i++) {
		if (!c->q[i].have)
			continue;
		r->lost[i] = c->q[i].lost;
		r->jitter_ms[i] = c->q[i].jitter_ms;
		r->rtt_ms[i] = c->q[i].rtt_ms;
	}
}

static void cdr_job(struct db *db, void *arg)
{
	db_cdr_insert(db, arg);
}

/* A call's record with its recordings: one allocation, freed by dbq. */
struct cdr_recs {
	struct db_cdr cdr;
	int live; /* the call has a live_calls row to remove with it */
	int n;
	struct db_recording recs[];
};

static void cdr_recs_job(struct db *db, void *arg)
{
	struct cdr_recs *j = arg;

	if (j->live)
		db_cdr_insert_live(db, &j->cdr, j->recs, j->n);
	else
		db_cdr_insert_recs(db, &j->cdr, j->recs, j->n);
}

void cdr_post(struct sip *s, int64_t tenant_id, const char *call_id,
	      const char *caller, const char *callee, int64_t start_us,
	      int status, const char *disposition)
{
	struct db_cdr *r = calloc(1, sizeof(*r)); /* freed by dbq */

	if (!r) {
		LOGE("cdr", "out of memory: CDR of %s lost", call_id);
		return;
	}
	r->tenant_id = tenant_id;
	sip_strlcpy(r->call_id, call_id, sizeof(r->call_id));
	sip_strlcpy(r->caller, caller, sizeof(r->caller));
	sip_strlcpy(r->callee, callee, sizeof(r->callee));
	no_quality(r);
	r->start_us = start_us;
	r->end_us = now_us();
	r->sip_status = status;
	sip_strlcpy(r->disposition, disposition, sizeof(r->disposition));
	dbq_post(s->dbq, cdr_job, r);
}

void call_cdr_base(const struct call *c, struct db_cdr *r)
{
	r->tenant_id = c->tenant_id;
	sip_strlcpy(r->call_id, c->call_id, sizeof(r->call_id));
	sip_strlcpy(r->caller, c->caller, sizeof(r->caller));
	sip_strlcpy(r->callee, c->callee, sizeof(r->callee));
	r->start_us = c->start_us;
	r->answer_us = c->answer_us;
}

void call_write_cdr(struct call *c, int status)
{
	struct db_recording recs[DB_REC_MAX];
	struct cdr_recs *j;
	struct db_cdr *r;
	int nrec;

	if (c->cdr_done)
		return;
	c->cdr_done = 1;
	c->end_us = now_us();
	nrec = call_rec_list(c, recs);
	j = calloc(1, sizeof(*j) + (size_t)nrec * sizeof(recs[0])); /* dbq */
	if (!j) {
		LOGE("cdr", "out of memory: CDR of %s lost", c->call_id);
		return;
	}
	j->n = nrec;
	j->live = c->live;
	memcpy(j->recs, recs, (size_t)nrec * sizeof(recs[0]));
	r = &j->cdr;
	call_cdr_base(c, r);
	r->end_us = c->end_us;
	if (c->answer_us)
		r->duration = (int)((c->end_us - c->answer_us) / 1000000);
	r->sip_status = status;
	quality(c, r);
	/* The first recording, where readers before the recordings table
	 * look for it. */
	if (nrec)
		sip_strlcpy(r->recording, recs[0].path, sizeof(r->recording));
	sip_strlcpy(r->disposition,
		    c->disposition ? c->disposition : "FAILED",
		    sizeof(r->disposition));
	LOGC(LOGL_INFO, "cdr", c->domain, c->call_id, "%s -> %s %s %ds",
	     c->caller, c->callee, r->disposition, r->duration);
	dbq_post(c->sip->dbq, cdr_recs_job, j);
}

void call_fail(struct call *c, int status, const char *phrase,
	       const char *disposition)
{
	if (c->state == CALL_ENDED)
		return;
	c->state = CALL_ENDED;
	c->disposition = disposition;
	if (c->chan)
		chan_set_hungup(c->chan);
	if (!c->a.final && c->a.nh) {
		nua_respond(c->a.nh, status, phrase, TAG_END());
		c->a.final = status;
	}
	leg_cancel_others(c, NULL);
	LOGC(LOGL_INFO, "call", c->domain, c->call_id, "%s -> %s failed: %d %s",
	     c->caller, c->callee, status, phrase);
	call_write_cdr(c, c->a.final ? c->a.final : status);
}

void call_hangup(struct call *c)
{
	if (c->state == CALL_ENDED)
		return;
	c->state = CALL_ENDED;
	if (c->chan)
		chan_set_hungup(c->chan);
	leg_bye(&c->a);
	if (c->winner)
		leg_bye(c->winner);
	if (c->chan)
		leg_cancel_others(c, NULL); /* a bridge still ringing */
	call_write_cdr(c, 200);
}

static void unlink_call(struct call *c)
{
	struct sip *s = c->sip;

	for (struct call **pp = &s->calls; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			s->ncalls--;
			return;
		}
	}
}

static void call_free(struct call *c)
{
	struct trunk *tr = c->trunk_id ? trunk_by_id(c->sip, c->trunk_id) : NULL;
	struct leg *l, *n;

	if (tr && tr->calls > 0)
		tr->calls--;
	unlink_call(c);
	hunt_free(c);
	msess_release(c->media);
	mchan_release(c->cons.mc, NULL, NULL);
	call_app_release(c);
	for (l = c->b; l; l = n) {
		n = l->next;
		free(l->local_sdp);
		free(l);
	}
	free(c->a.local_sdp);
	free(c->offer_a);
	free(c->offer_b);
	free(c->offer_x);
	free(c->recs);
	free(c);
}

void call_maybe_free(struct call *c)
{
	/* An app thread still running may post work about this call. */
	if (c->a.nh || c->b || c->app_running)
		return;
	if (c->state != CALL_ENDED) {
		c->state = CALL_ENDED;
		call_write_cdr(c, c->a.final ? c->a.final : 500);
	}
	call_free(c);
}

/* Ring timeouts, checked once a second: a second's precision is plenty
 * for a 30-second timer, and it costs no timer per call. */
enum call_ext_side call_has_ext(const struct call *c, const char *ext)
{
	if (!strcmp(c->callee, ext) ||
	    (!c->chan && !strcmp(c->ring_ext, ext)) ||
	    ((c->bridging || c->bridged) && !strcmp(c->bridge_to, ext)) ||
	    call_rings_ext(c, ext))
		return CALL_EXT_CALLEE;
	return strcmp(c->caller, ext) ? CALL_EXT_NONE : CALL_EXT_CALLER;
}

void call_tick(struct sip *s)
{
	int64_t now = now_us();
	struct call *c, *n;

	for (c = s->calls; c; c = n) {
		n = c->next;
		if (lim_call_tick(c, now))
			continue;
		if (c->state == CALL_RINGING && c->ring_deadline_us &&
		    now >= c->ring_deadline_us)
			call_fwd_direct(c, FWD_EV_NOANSWER); /* or voicemail */
		else if (c->state == CALL_ANSWERED && c->cons.active)
			call_consult_tick(c, now);
		else
			bridge_tick(c, now);
	}
}

void call_end_all(struct sip *s)
{
	struct call *c, *n;

	for (c = s->calls; c; c = n) {
		n = c->next;
		if (c->state == CALL_ANSWERED)
			call_hangup(c);
		else
			call_fail(c, SIP_503_SERVICE_UNAVAILABLE, "FAILED");
	}
}

int sip_call_end(struct sip *s, const char *domain, const char *call_id)
{
	for (struct call *c = s->calls; c; c = c->next) {
		if (strcmp(c->call_id, call_id) || strcmp(c->domain, domain) ||
		    c->state == CALL_ENDED)
			continue;
		LOGC(LOGL_INFO, "call", c->domain, c->call_id,
		     "%s -> %s: hung up by an admin", c->caller, c->callee);
		if (c->state == CALL_ANSWERED)
			call_hangup(c);
		else
			call_fail(c, 480, "Temporarily Unavailable", "FAILED");
		return 0;
	}
	return -ENOENT;
}

/* After nua_destroy(): the stack's handles are gone, free what is left. */
void call_free_all(struct sip *s)
{
	while (s->calls) {
		struct call *c = s->calls;
		if (!c->cdr_done)
			call_write_cdr(c, 503);
		if (c->app_running) {
			/* An app that ignored the hang-up for the whole
			 * shutdown deadline still points at this call:
			 * leaking it is better than pulling it away. */
			LOGE("call", "[%s] app still running at exit",
			     c->call_id);
			unlink_call(c);
			continue;
		}
		call_free(c);
	}
}

int sip_calls_print(struct sip *s, FILE *out)
{
	static const char *const names[] = {"ringing", "answered", "ending"};
	int64_t now = now_us();

	for (struct call *c = s->calls; c; c = c->next) {
		int64_t from = c->answer_us ? c->answer_us : c->start_us;
		fprintf(out, "%s\t%s\t%s\t%s\t%s\t%lld\n", c->domain,
			c->call_id, c->caller, c->callee, names[c->state],
			(long long)((now - from) / 1000000));
	}
	return 0;
}
