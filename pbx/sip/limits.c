/* limits.c - calls at once, call length and calls per hour (limits.h). */
#include <errno.h>
#include <string.h>

#include "sip/limits.h"
#include "sip/call.h"
#include "db_limits.h"
#include "db_trunk.h"
#include "core/log.h"

int lim_calls(struct sip *s, int64_t tenant_id, const char *ext,
	      const char *skip_call_id)
{
	int n = 0;

	for (const struct call *c = s->calls; c; c = c->next) {
		if (c->tenant_id != tenant_id || c->state == CALL_ENDED)
			continue;
		if (skip_call_id && !strcmp(c->call_id, skip_call_id))
			continue;
		if (!ext || call_has_ext(c, ext) != CALL_EXT_NONE)
			n++;
	}
	return n;
}

static void refuse(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		   const struct db_tenant *t, const char *from,
		   const char *callee, int status, const char *why)
{
	const char *cid = sip->sip_call_id ? sip->sip_call_id->i_id : "-";

	LOGC(LOGL_WARN, "limit", t->domain, cid, "%s -> %s refused: %s",
	     from, callee, why);
	cdr_post(s, t->id, cid, from, callee, now_us(), status, "FAILED");
	sip_reply(s, nh, status, "Call Limit Reached");
}

int lim_emergency(struct sip *s, int64_t tenant_id, const char *callee)
{
	char main_no[DB_NUMBER_LEN], list[DB_EMERGENCY_LEN];

	return callee &&
	       db_tenant_out(s->db, tenant_id, main_no, list) == 0 &&
	       db_emergency_match(list, callee);
}

int lim_new_call(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		 const struct db_tenant *t, const struct db_ext *caller,
		 const char *from_number, const char *callee)
{
	const char *from = caller ? caller->number : from_number;
	struct db_limits l;
	char why[96];
	int max;

	if (caller && lim_emergency(s, t->id, callee))
		return 0;
	if (db_limits_get(s->db, t->id, &l) == 0 && l.max_calls &&
	    lim_calls(s, t->id, NULL, NULL) >= l.max_calls) {
		snprintf(why, sizeof(why),
			 "the tenant has its maximum of %d calls",
			 l.max_calls);
		refuse(s, nh, sip, t, from, callee, 503, why);
		return 1;
	}
	if (!caller)
		return 0;
	max = db_ext_max_calls(s->db, t->id, caller->number);
	if (max > 0 && lim_calls(s, t->id, caller->number, NULL) >= max) {
		snprintf(why, sizeof(why),
			 "extension %s has its maximum of %d calls",
			 caller->number, max);
		refuse(s, nh, sip, t, from, callee, 403, why);
		return 1;
	}
	return 0;
}

int lim_ext_full(struct sip *s, int64_t tenant_id, const char *ext,
		 const char *skip_call_id)
{
	int max = db_ext_max_calls(s->db, tenant_id, ext);

	return max > 0 && lim_calls(s, tenant_id, ext, skip_call_id) >= max;
}

int lim_call_secs(struct sip *s, int64_t tenant_id)
{
	struct db_limits l;

	return db_limits_get(s->db, tenant_id, &l) ? 0 : l.max_call_secs;
}

int lim_call_tick(struct call *c, int64_t now)
{
	if (c->state != CALL_ANSWERED || !c->max_secs || !c->answer_us ||
	    now - c->answer_us < (int64_t)c->max_secs * 1000000)
		return 0;
	LOGC(LOGL_WARN, "limit", c->domain, c->call_id,
	     "%s -> %s: hung up after %d s, the tenant's longest call",
	     c->caller, c->callee, c->max_secs);
	call_hangup(c);
	return 1;
}

/* Moves the window to now's minute: buckets older than an hour empty. */
static void hour_advance(struct lim_hour *h, int64_t now_s)
{
	int64_t m = now_s / 60;

	if (m - h->minute >= 60 || m < h->minute)
		memset(h->n, 0, sizeof(h->n));
	else
		for (int64_t i = h->minute + 1; i <= m; i++)
			h->n[i % 60] = 0;
	h->minute = m;
}

int lim_hour_count(struct lim_hour *h, int64_t now_s)
{
	uint32_t sum = 0;

	hour_advance(h, now_s);
	for (int i = 0; i < 60; i++)
		sum += h->n[i];
	return sum > INT32_MAX ? INT32_MAX : (int)sum;
}

void lim_hour_add(struct lim_hour *h, int64_t now_s)
{
	hour_advance(h, now_s);
	h->n[h->minute % 60]++;
}
