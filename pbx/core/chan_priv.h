/* chan_priv.h - the channel behind the app API, shared by the SIP side,
 * the media worker's callbacks and the app thread. */
#ifndef ONDO_CHAN_PRIV_H
#define ONDO_CHAN_PRIV_H

#include <pthread.h>
#include "core/chan.h"
#include "db.h"

struct mchan;
struct mchan_ops;

/* What the SIP side does for an app; each runs on the app thread, posts
 * the work to the SIP thread and waits for it. */
struct chan_sip_ops {
	int (*answer)(struct chan *c);
	void (*hangup)(struct chan *c);
	int (*bridge)(struct chan *c, const char *target, int timeout_s);
	int (*bridge_group)(struct chan *c, const struct chan_ring *m, int n,
			    int sequential, int timeout_s);
	/* the app returned: the SIP side ends the call and drops its refs */
	void (*app_done)(struct chan *c);
	/* the mailbox of `ext` changed: update its phones' lamps */
	void (*mwi)(struct chan *c, const char *ext);
};

#define CHAN_DIGITS 64
#define CHAN_OUT_MS 200	  /* audio queued ahead of the worker */
#define CHAN_IN_MS 2000	  /* recorded audio the app thread may lag */

struct chan {
	/* set at creation, read-only afterwards */
	char domain[DB_DOMAIN_LEN];
	char caller[DB_NUMBER_LEN];
	char caller_name[DB_NAME_LEN];
	char exten[DB_NUMBER_LEN];
	char call_id[DB_CALLID_LEN];
	char args[256];
	int64_t tenant_id;
	int caller_local;	/* caller is an extension of the tenant,
				 * digest-authenticated (not a trunk) */
	const struct app *app;
	const char *sounds_dir;	/* borrowed from the config */
	const char *spool_dir;
	const char *db_path;	/* borrowed from the config */
	struct db *db;		/* the app thread's connection; owned */
	int rate;		/* the leg's audio rate: 8000 or 16000 */
	const struct chan_sip_ops *sip;
	void *sip_arg;		/* the SIP side's call; SIP thread only */
	struct mchan *mc;	/* set before the app starts; the SIP side
				 * releases it */
	struct rooms *rooms;	/* borrowed: the live conference rooms */

	pthread_mutex_t lock;	/* guards every field below */
	pthread_cond_t cond;	/* signalled on any change below */
	int refs;
	int hungup;
	int answered;
	int app_result; /* what the app's run() returned */
	int op_pending, op_result; /* a SIP operation the app waits for */
	char digits[CHAN_DIGITS];
	int ndigits;
	int16_t *out;		/* ring: audio to send, app -> worker */
	int out_cap, out_head, out_len;
	int16_t *in;		/* ring: audio heard, worker -> app */
	int in_cap, in_head, in_len, in_on, in_lost;
};

/* Creates a channel with one reference for the caller. */
int chan_alloc(struct chan **cp, int rate);
void chan_ref(struct chan *c);
void chan_unref(struct chan *c);
/* The media callbacks for this channel's mchan (arg = the chan). */
extern const struct mchan_ops chan_media_ops;
/* Starts the app thread (it holds its own reference). */
int chan_start(struct chan *c);
/* SIP side: the caller hung up / the call was answered / an operation
 * the app waits for finished with `result`. */
void chan_set_hungup(struct chan *c);
void chan_set_answered(struct chan *c);
void chan_op_done(struct chan *c, int result);
/* App side: marks an operation pending; then waits for chan_op_done or a
 * hang-up. */
void chan_op_begin(struct chan *c);
int chan_op_wait(struct chan *c);
/* A digit that came by SIP INFO (SIP thread). */
void chan_push_digit(struct chan *c, char digit);
/* Digits taken from the queue (app side). */
int chan_take_digit(struct chan *c, char *digit);
/* The file for a prompt id: the tenant's own upload if it has one (unless
 * `stock`), else the stock prompt at the leg's rate; an absolute path is
 * taken as it is. 0, -ENOENT, or -EINVAL for an id that looks like a
 * path. */
int chan_prompt_path(const struct chan *c, const char *id, int stock,
		     char *out, size_t len);

#endif
