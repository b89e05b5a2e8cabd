/* sub_priv.h - the subscription table's entries, shared by mwi_sub.c (the
 * table, message-summary) and blf.c (dialog state, RFC 4235). */
#ifndef ONDO_SUB_PRIV_H
#define ONDO_SUB_PRIV_H

#include <time.h>

#include "sip/sip_priv.h"

enum sub_kind { SUB_MWI, SUB_DIALOG };

#define SUB_BUCKETS 256

struct sub {
	struct sub *next; /* in its bucket */
	nua_handle_t *nh; /* owned: destroyed with the entry */
	int64_t tenant_id;
	char ext[DB_NUMBER_LEN];
	char domain[DB_DOMAIN_LEN];  /* for log lines */
	char call_id[DB_CALLID_LEN]; /* for log lines */
	char route[DB_URI_LEN];	     /* where the SUBSCRIBE came from */
	time_t since, expires;
	int ending; /* terminated: only the stack's last NOTIFY is left */
	enum sub_kind kind;
	/* SUB_DIALOG: `ext` is the watched extension, `watcher` the one
	 * that subscribed; the state last sent and the body's version */
	char watcher[DB_NUMBER_LEN];
	int state;
	unsigned version;
};

/* Keyed by tenant and extension: a change of counts walks one bucket. */
struct mwi_subs {
	struct sub *bucket[SUB_BUCKETS];
	int n; /* entries, ending ones included */
};

/* mwi_sub.c, for blf.c */
/* Adds an accepted subscription of `kind` to `ext` (the table takes the
 * handle), answers 200 and sends the first NOTIFY with `body`. */
void sub_accept(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		const struct db_tenant *t, enum sub_kind kind, const char *ext,
		const char *watcher, long expires, const char *body,
		struct sub **up);
/* Answers an Expires: 0 SUBSCRIBE with 200 and one terminated NOTIFY. */
void sub_fetch_once(struct sip *s, nua_handle_t *nh, enum sub_kind kind,
		    const char *body);
/* In-dialog NOTIFY of `body` on u. */
void sub_notify(struct sub *u, const char *body);
/* The Expires a SUBSCRIBE asks for, capped; -1 after answering 423 (too
 * brief). */
long sub_expires(struct sip *s, nua_handle_t *nh, const sip_t *sip);
/* The user the SUBSCRIBE is about: the Request-URI's (the To user when
 * it has none); NULL when they differ or To names another tenant than t,
 * so a request cannot point its parts at two tenants. Borrowed from sip. */
const char *sub_target(struct sip *s, const sip_t *sip,
		       const struct db_tenant *t);
/* Calls h for every live entry of `kind`. */
void sub_each(struct sip *s, enum sub_kind kind,
	      void (*h)(struct sip *s, struct sub *u, void *arg), void *arg);

/* blf.c */
/* An authenticated SUBSCRIBE to Event: dialog from extension `watcher`
 * of tenant t. */
void blf_subscribe(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		   const struct db_tenant *t, const struct db_ext *watcher);
/* Every BLF_TICK_MS: NOTIFYs for extensions whose state changed. */
void blf_tick(struct sip *s);
#define BLF_TICK_MS 200

#endif
