/* fwd.h - call forwarding and do-not-disturb: where a call to an
 * extension goes now (docs/forwarding.md).
 *
 * One decision serves both ways a call reaches an extension: the SIP
 * core's direct relay (pbx/sip/call_invite.c, call_leg.c, call.c) and an
 * app's chan_bridge (pbx/sip/call_bridge.c, for dial, IVR keys, DIDs of
 * type number...). Both keep a struct fwd_chain per call and ask
 * fwd_arrive() when the call reaches an extension, fwd_decide() when
 * something happened there (busy, no answer), and act on the step they
 * get: ring an extension's phones, leave a message, run a route's app, or
 * tell the caller. The decision itself reads nothing: the caller passes
 * functions (struct fwd_ops) that say what an extension is now and where
 * a number routes, so tests/unit/test_fwd.c drives it with tables.
 */
#ifndef ONDO_FWD_H
#define ONDO_FWD_H

#include "db_fwd.h"
#include "dialplan/dialplan.h"

/* Forwards one call may follow; the next one stops it. */
#define FWD_MAX_HOPS 5

/* What happened at the extension a call is at. */
enum fwd_event {
	FWD_EV_CALL,	 /* the call arrives; nothing rang yet */
	FWD_EV_BUSY,	 /* every phone said busy */
	FWD_EV_NOANSWER, /* its phones rang out */
	FWD_EV_FAILED,	 /* its phones failed otherwise (480, 503, gone) */
};

/* An extension as the decision needs it, now. */
struct fwd_ext {
	char number[DB_NUMBER_LEN];
	struct db_fwd fwd;
	int ring_timeout; /* seconds */
	int registered;	  /* how many phones have a live registration */
	int full;	  /* it has as many calls as it may (limits.h): busy */
	int vm_on;	  /* it has a mailbox that takes messages */
};

enum fwd_action {
	FWD_RING,      /* ring ext's phones for ring_s seconds */
	FWD_VOICEMAIL, /* leave a message in ext's mailbox */
	FWD_ROUTE,     /* run app(args): a forward to a dialplan number */
	FWD_REFUSE,    /* nobody: the caller is told `result` */
};

/* Why a call reaches nobody; the SIP status of a direct call, the error
 * chan_bridge returns to an app. */
enum fwd_result {
	FWD_R_BUSY,	/* 486 Busy Here, -EBUSY */
	FWD_R_NOANSWER, /* 480 No Answer, -ETIMEDOUT */
	FWD_R_UNAVAIL,	/* 480 Temporarily Unavailable, -EHOSTUNREACH */
	FWD_R_NOTFOUND, /* 404 Not Found, -ENOENT */
};

struct fwd_step {
	enum fwd_action action;
	char ext[DB_NUMBER_LEN];      /* RING, VOICEMAIL: whose */
	int ring_s;		      /* RING */
	int busy;		      /* VOICEMAIL: the busy greeting */
	enum fwd_result result;	      /* REFUSE */
	char app[DB_ROUTE_APP_LEN];   /* ROUTE */
	char args[DB_ROUTE_ARGS_LEN]; /* ROUTE: expanded */
	/* The last forward followed on the way here, for the Diversion
	 * header (RFC 5806): the extension that forwarded ("" if none) and
	 * why ("unconditional", "user-busy", "no-answer", "unavailable",
	 * "do-not-disturb"; NULL if none). */
	char diverted_by[DB_NUMBER_LEN];
	const char *reason;
};

/* The extensions one call reached; a forward back to one of them, or
 * more than FWD_MAX_HOPS forwards, stops the call: it goes to the first
 * extension's mailbox if that takes messages, else it is busy. */
struct fwd_chain {
	char seen[FWD_MAX_HOPS + 2][DB_NUMBER_LEN]; /* seen[0]: the first */
	int nseen;
	int hops; /* forwards followed */
};

struct fwd_ops {
	/* Extension `number` of the call's tenant now: 0, -ENOENT if there
	 * is none, or another negative errno. */
	int (*ext)(void *arg, const char *number, struct fwd_ext *e);
	/* Where `number` goes as a forward of extension `by`: 0 with *res
	 * (dp_lookup's), -ENOENT if nothing takes it, -EACCES if `by`'s
	 * class of service may not use the route, or another errno. */
	int (*route)(void *arg, const char *by, const char *number,
		     struct dp_result *res);
	/* One line about what was decided and why (NULL: no logging);
	 * warn: a loop, a long chain or a forward that cannot be used. */
	void (*log)(void *arg, int warn, const char *line);
	void *arg;
	/* Where a call ends when the last extension has no forward for
	 * what happened: 1, its own mailbox if it takes messages (a direct
	 * call, as without forwarding), else the result; 0, the result
	 * (chan_bridge: the app decides what the caller hears). */
	int default_vm;
};

/* Empties a chain: the next fwd_arrive() starts a new one. */
void fwd_chain_reset(struct fwd_chain *ch);

/* The call reaches extension `ext` (dialled, or a forward's dialplan
 * number whose app rings it): with an empty chain `ext` is the first;
 * in a chain that already holds it, that is a loop. Then decides as
 * fwd_decide(FWD_EV_CALL): always-forward, DND, not registered, else
 * ring. 0 with *st; -ENOENT if `ext` is the first and does not exist;
 * another errno if an extension could not be read. */
int fwd_arrive(const struct fwd_ops *ops, struct fwd_chain *ch, const char *ext,
	       struct fwd_step *st);

/* `ev` happened at extension `ext`, the one the chain rang last: its
 * forward for that, followed through the extensions it leads to, or the
 * end of the chain. 0 with *st, or a negative errno. */
int fwd_decide(const struct fwd_ops *ops, struct fwd_chain *ch, const char *ext,
	       enum fwd_event ev, struct fwd_step *st);

/* ---- setting forwards (fwd_target.c; ondoctl, the API, the app) ---- */

/* A target as typed: "1002" (an extension if the tenant has one, else a
 * dialplan number), "extension:1002", "number:0049...", "voicemail" (the
 * mailbox of `owner`), "voicemail:1003". Fills *t (after_s 0); 0, or
 * -EINVAL for text of no such shape. */
int fwd_target_parse(struct db *db, int64_t tenant_id, const char *owner,
		     const char *text, struct db_fwd_target *t);

/* Checks forward `kind` of extension `owner` to `t` before it is stored:
 * an extension of the tenant other than `owner`, a mailbox of the
 * tenant, or a number the tenant's dialplan takes and owner's class of
 * service may call (not owner itself); after_s only for noanswer, 0 or
 * DB_RING_TIMEOUT_MIN..MAX. 0, or -EINVAL with one sentence in `why`;
 * -EIO. */
int fwd_target_check(struct db *db, const struct db_tenant *t,
		     const char *owner, enum db_fwd_kind kind,
		     const struct db_fwd_target *target, char *why, size_t len);

/* "extension 1002", "number 0049301234", "voicemail of 1003", plus " after
 * 20 s" for a noanswer forward with its own time: for lists and logs. */
void fwd_target_text(const struct db_fwd_target *t, char *out, size_t len);

#endif
