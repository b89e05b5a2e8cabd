/* xfer_priv.h - what blind (call_xfer.c) and attended (call_xfer_att.c)
 * transfer share. */
#ifndef ONDO_XFER_PRIV_H
#define ONDO_XFER_PRIV_H

#include "sip/call.h"

/* NOTIFY of the REFER's implicit subscription: a sipfrag with the
 * status; final ends the subscription. */
void xfer_notify(nua_handle_t *nh, const sip_event_t *ev, int status,
		 const char *phrase, int final);
/* The number of leg l's party in c. */
void xfer_party(const struct call *c, const struct leg *l, char *out,
		size_t len);
/* The trunk leg l's party calls by, 0 for a phone. */
int64_t xfer_leg_trunk(const struct call *c, const struct leg *l);
/* A Call-ID for the call a transfer makes from c (c's, numbered). */
void xfer_call_id(struct call *c, char *id, size_t len);
/* Leg t leaves c (its handle stays open, now bound to dst, whose call
 * and role the caller set) and is freed if it was a B leg. */
void xfer_move_leg(struct call *c, struct leg *t, struct leg *dst);
/* t's media channel, out of c (a relay is split first), unjoined; NULL
 * if the PBX cannot decode its codec. */
struct mchan *xfer_take_media(struct call *c, struct leg *t);
/* Moves t (a party of c) into a new call of c's tenant, with `target` as
 * its callee, that `app` serves with `args`. 0 and *np the new call (may
 * be NULL; NULL too when t could not be served - its codec - and was hung
 * up), or -errno with nothing changed. */
int xfer_new_call(struct call *c, struct leg *t, const char *target,
		  const struct app *app, const char *args, struct call **np);
/* Blind transfer of t (r's party in c) to `target`; the REFER was
 * accepted on nh. */
void xfer_blind(struct call *c, struct leg *r, struct leg *t, nua_handle_t *nh,
		const sip_event_t *ev, const char *target);
/* The call a transfer took a party from ends: r's side gets its BYE. */
void xfer_end_old(struct call *c);

#endif
