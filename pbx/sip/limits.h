/* limits.h - the limits the SIP thread keeps (docs/security.md,
 * "Limits"): calls at once per tenant and per extension, how long a call
 * may last, and a trunk's outbound calls per hour. The numbers are in
 * the database (db_limits.h, db_trunk.h); the counting is here, on the
 * SIP thread only. */
#ifndef ONDO_SIP_LIMITS_H
#define ONDO_SIP_LIMITS_H

#include <stdint.h>
#include "sip/sip_priv.h"

struct call;

/* Calls of tenant tenant_id not ended yet; with ext, only those that
 * extension takes part in (call_has_ext); the call whose Call-ID is
 * skip_call_id (may be NULL) is not counted. */
int lim_calls(struct sip *s, int64_t tenant_id, const char *ext,
	      const char *skip_call_id);

/* 1 if `callee` is one of the tenant's emergency numbers: such a call
 * always goes out, whatever limit is full. */
int lim_emergency(struct sip *s, int64_t tenant_id, const char *callee);

/* Before a new call of tenant t starts: refuses it when the tenant has
 * its maximum of calls (503) or, when caller is not NULL, that
 * extension has its own (403). A phone's call to one of the tenant's
 * emergency numbers is never refused. A refusal is answered on nh, logged and
 * written to the CDR ("caller" is its number, or from_number for a
 * carrier's call), and 1 is returned; 0 lets the call go on. */
int lim_new_call(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		 const struct db_tenant *t, const struct db_ext *caller,
		 const char *from_number, const char *callee);

/* 1 if extension ext of tenant tenant_id has as many calls as it may
 * (then it is busy to a new caller), not counting call skip_call_id. */
int lim_ext_full(struct sip *s, int64_t tenant_id, const char *ext,
		 const char *skip_call_id);

/* The tenant's longest call in seconds (0: none), for call_alloc. */
int lim_call_secs(struct sip *s, int64_t tenant_id);
/* Hangs up call c if it has been answered for longer than its tenant
 * allows; 1 if it did (c may be freed then). */
int lim_call_tick(struct call *c, int64_t now_us);

/* Outbound calls started in the last hour, by the minute. */
struct lim_hour {
	int64_t minute;	   /* the minute of the newest bucket */
	uint32_t n[60];	   /* calls per minute, n[minute % 60] */
};
int lim_hour_count(struct lim_hour *h, int64_t now_s);
void lim_hour_add(struct lim_hour *h, int64_t now_s);

#endif
