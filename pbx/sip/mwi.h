/* mwi.h - message-waiting lamps inside the SIP module (SIP thread only):
 * the message-summary body (mwi.c) and the table of subscriptions
 * (mwi_sub.c). */
#ifndef ONDO_MWI_H
#define ONDO_MWI_H

#include <stddef.h>
#include <stdint.h>

#include "sip/sip_priv.h"
#include "db_vm.h"

/* Longest body mwi_summary() writes, with room to spare. */
#define MWI_BODY_LEN (DB_DOMAIN_LEN + DB_NUMBER_LEN + 96)

/* mwi.c: the application/simple-message-summary body (RFC 3842) for
 * mailbox `ext` of `domain` with counts `n`. */
void mwi_summary(char *buf, size_t len, const char *ext, const char *domain,
		 const struct db_vm_counts *n);

/* mwi_sub.c: the live subscriptions, owned by struct sip. Their longest
 * life; the stack holds refreshes under it too (NUTAG_SUB_EXPIRES). */
#define MWI_SUB_MAX_EXPIRES 3600
struct mwi_subs;

/* Makes the empty table; caller frees with mwi_subs_free(). 0 or
 * -ENOMEM. */
int mwi_subs_alloc(struct mwi_subs **tp);
/* Frees the table. Called after nua_destroy(), which has already
 * released every handle, so no handle is touched here. */
void mwi_subs_free(struct mwi_subs *t);

/* nua_i_subscribe: an initial SUBSCRIBE (status 100, waiting for our
 * answer) is authenticated and answered; a refresh or an unsubscribe
 * (already answered by the stack) updates the table. */
void mwi_sub_on_subscribe(struct sip *s, int status, nua_handle_t *nh,
			  const sip_t *sip, tagi_t tags[]);
/* nua_r_notify: 1 if `nh` is a subscription's handle (handled here: a
 * subscription that ended is dropped and its handle destroyed), 0 if
 * the handle is none of ours. */
int mwi_sub_on_notify_r(struct sip *s, int status, nua_handle_t *nh,
			tagi_t tags[]);
/* Sends `body` in an in-dialog NOTIFY on every live subscription to
 * mailbox `ext` of tenant `tenant_id`; returns how many were sent. */
int mwi_sub_notify(struct sip *s, int64_t tenant_id, const char *ext,
		   const char *body);
/* Whether a live subscription to the box came from `route` (a phone's
 * registered source, "sip:IP:PORT;transport=..."): that phone hears of
 * changes in its dialog and needs no unsolicited NOTIFY as well. */
int mwi_sub_covers(struct sip *s, int64_t tenant_id, const char *ext,
		   const char *route);
/* At shutdown: ends every subscription with a NOTIFY that asks the phone
 * to subscribe again later. */
void mwi_sub_shutdown(struct sip *s);
/* Once a second: drops subscriptions the stack never reported ended. */
void mwi_sub_tick(struct sip *s);

#endif
