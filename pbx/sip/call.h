/* call.h - a B2BUA call: the caller's leg, the callee's forked legs, media. */
#ifndef ONDO_CALL_H
#define ONDO_CALL_H

#include <stdint.h>
#include <sys/socket.h>
#include "sip/sip_priv.h"
#include "media/codec.h"
#include "dialplan/fwd.h"
#include "db_record.h"
#include "media/mchan.h"

enum leg_role { LEG_A, LEG_B };

struct leg {
	struct call *call;	/* the call holds a reference to each leg */
	nua_handle_t *nh;	/* NULL once the stack released it */
	enum leg_role role;
	int ring_tag;		/* B: the ring group member it rings
				 * (call_bridge_group.c), 0 */
	char contact[DB_URI_LEN]; /* B: the Request-URI (phone's Contact) */
	char route[DB_URI_LEN];	/* where requests to this phone go */
	struct sockaddr_storage sig; /* its signalling source address */
	char *local_sdp;	/* the SDP we gave this leg; owned */
	int final;		/* final status seen (B) or sent (A) */
	int up;			/* dialog confirmed (200 passed) */
	int bye_sent;
	int xcode;		/* B: sent offer_x, the PBX's own codecs */
	int64_t trunk_id;	/* B: goes out by this trunk, 0 */
	int auths;		/* B: challenges answered */
	int gen;		/* B: c->gen when it started; an older one
				 * rang a target the call has left */
	int reoffer;		/* a re-INVITE of ours moves its media
				 * (call_xfer_att.c) */
	int holding;		/* its phone holds the call (call_hold.c) */
	int consult;		/* B: rings the target of a *2 consultation
				 * (call_consult.c) */
	struct leg *next;	/* next B leg */
};

enum call_state { CALL_RINGING, CALL_ANSWERED, CALL_ENDED };

/* Max-Forwards of a call the PBX starts itself (RFC 3261 8.1.1.6). */
#define CALL_MAX_FORWARDS 70

struct call {
	struct sip *sip;
	struct call *next;	/* in sip->calls */
	enum call_state state;
	int64_t tenant_id;
	int64_t trunk_id;	/* the trunk it came in or goes out by, 0 */
	char domain[DB_DOMAIN_LEN];
	char call_id[DB_CALLID_LEN]; /* the caller's Call-ID, for logs */
	char caller[DB_NUMBER_LEN], caller_name[DB_NAME_LEN];
	char callee[DB_NUMBER_LEN];
	struct leg a;
	struct leg *b;		/* forked legs toward the callee's contacts */
	struct leg *winner;	/* the B leg that answered */
	struct msess *media;	/* relay, for a call between two phones */
	enum codec_id pref[3];	/* the tenant's codec preference */
	int npref;
	struct chan *chan;	/* for a call an app runs: one reference */
	struct mchan *mc;	/* its media channel */
	int app_running;	/* the app thread has not said it is done */
	int early;		/* 183 with our SDP sent to the caller */
	struct mchan *bmc;	/* chan_bridge: the callee's media channel */
	int bridging, bridged;	/* chan_bridge under way / connected */
	int64_t bridge_deadline_us;
	int64_t bridge_reply_deadline_us; /* trunk: no answer at all by then */
	int64_t bridge_trunk_id; /* the trunk the bridge goes out by, 0 */
	enum codec_id bpref[3];	/* the bridge's codecs: tenant's or trunk's */
	int nbpref;
	char b_headers[DB_URI_LEN]; /* extra headers of B legs (PAI...) */
	char bridge_to[DB_URI_LEN];
	struct hunt *hunt;	/* chan_bridge_group: its members; owned
				 * (call_bridge_group.c), NULL */
	char *offer_a;		/* the caller's own SDP offer; owned */
	char *offer_b;		/* caller's offer rewritten for B; owned */
	char b_from[DB_NAME_LEN + DB_NUMBER_LEN + DB_DOMAIN_LEN + 16];
	char b_to[DB_URI_LEN + 8]; /* B legs' From/To */
	/* Transcoding, for a callee that shares no codec with the caller:
	 * the PBX's own offer toward the relay's B port (owned; NULL when
	 * the caller offers nothing the PBX can decode), and what the
	 * caller will then be answered with. */
	char *offer_x;
	struct {
		enum codec_id codec;
		int pt, te_pt;
	} xa;
	uint64_t sdp_id;	/* o= session id of the SDP the PBX writes */
	int64_t ring_deadline_us; /* 0 once answered or ended */
	/* Forwarding (call_fwd.c, docs/forwarding.md): the extensions this
	 * call reached; whose phones a direct call rings now ("" before
	 * any); the generation of B legs now ringing. */
	struct fwd_chain fwd;
	char ring_ext[DB_NUMBER_LEN];
	int gen;
	/* The app runs as a forward's target (a dialplan number): its
	 * bridges go on with the chain instead of starting a new one. */
	int fwd_nested;
	/* chan_bridge to an extension (not a URI or trunk): its busy and no
	 * answer follow the forwards. When a forward leads to an app
	 * (voicemail, a route), the bridge ends with -EXDEV and the app
	 * thread runs fwd_app(fwd_args), written before chan_op_done. */
	int bridge_is_ext;
	char fwd_app[DB_ROUTE_APP_LEN];
	char fwd_args[DB_ROUTE_ARGS_LEN];
	/* media quality per leg (0 caller, 1 callee) for the CDR; have = 0
	 * until measured */
	struct {
		int have;
		int64_t lost;
		double jitter_ms;
		int rtt_ms;
	} q[2];
	/* Recording (call_record.c): the strongest enum db_record of the
	 * caller, the callee and the route; the bridge target's for app
	 * calls. Each bridge that records gets its own WAV, one entry of
	 * recs (owned, DB_REC_MAX at most; freed with the call); the CDR
	 * lists those that wrote audio. */
	int rec_mode, bridge_rec;
	struct call_rec {
		char rel[DB_URI_LEN]; /* the WAV's path under the spool */
		int64_t started_us;
		int seen; /* some audio was written */
	} * recs;
	int nrec;
	int rec_active; /* recs[nrec - 1] is being recorded */
	/* call_keys.c: in-call feature codes keyed on either side (0: the
	 * caller, 1: the answered callee), found by key_id. */
	uint64_t key_id;
	struct call_keys {
		char last[3];	/* the last keys, for "##", "*2", "*70" */
		int collecting; /* after "##": the number being keyed */
		char buf[DB_NUMBER_LEN];
		int n;
		int64_t at_us;	/* the last key */
	} keys[2];
	/* call_consult.c: a *2 consultation by the answered callee */
	struct {
		int active, answered;
		char target[DB_NUMBER_LEN];
		struct mchan *mc; /* the target's channel, near c->bmc */
		int64_t deadline_us;
	} cons;
	/* call_split.c: each side's codec for the relay's channels. */
	struct mchan_params split_p[2];
	int can_split;
	/* Call park (call_park.c, docs/park.md): the slot this call waits
	 * in, "" when it is not parked; who parked it; since when. */
	char park_slot[DB_NUMBER_LEN];
	char park_by[DB_NUMBER_LEN];
	int64_t park_since_us;
	int64_t start_us, answer_us, end_us;
	int max_secs;		/* the tenant's longest call (limits.c), 0 */
	int max_fwd;		/* Max-Forwards of its B legs' INVITEs */
	const char *disposition; /* set when the outcome is known */
	int cdr_done;
	int live;		/* has a live_calls row (call_live.c) */
};

/* call_live.c: answered calls noted in the database while up, from the
 * 1 s tick; at start, the CDRs of calls a crash cut off. */
void call_live_tick(struct sip *s);
int call_live_recover(struct sip *s);

/* call.c */
void tenant_codecs(const struct db_tenant *t, enum codec_id *pref, int *n);
int call_alloc(struct call **cp, struct sip *s, const struct db_tenant *t,
	       const char *call_id);
/* Answers the caller with a final error and cancels every B leg. */
void call_fail(struct call *c, int status, const char *phrase,
	       const char *disposition);
/* Hangs up an answered call: BYE to every leg still up. */
void call_hangup(struct call *c);
/* Frees the call once no leg holds a stack handle. */
void call_maybe_free(struct call *c);
void call_write_cdr(struct call *c, int status);
/* Who, when and which call, into a record (call.c, call_live.c). */
void call_cdr_base(const struct call *c, struct db_cdr *r);
/* Keeps a media channel's figures as leg `i`'s quality for the CDR. */
void call_keep_quality(struct call *c, int i, const struct mchan *mc);
void cdr_post(struct sip *s, int64_t tenant_id, const char *call_id,
	      const char *caller, const char *callee, int64_t start_us,
	      int status, const char *disposition);
int64_t now_us(void);
/* How extension `ext` takes part in call c (of its tenant): as the one
 * called (dialled, rung, answered, or rung by a bridge or ring group),
 * as the caller, or not at all. Busy lamps and call limits go by it. */
enum call_ext_side { CALL_EXT_NONE, CALL_EXT_CALLEE, CALL_EXT_CALLER };
enum call_ext_side call_has_ext(const struct call *c, const char *ext);

/* call_invite.c: the ways an INVITE is served once its tenant and caller
 * are known (a phone of the tenant, or a carrier through a trunk). */
void call_dial_extension(struct sip *s, nua_handle_t *nh, const sip_t *sip,
			 const struct db_tenant *t, const struct db_ext *caller,
			 const char *number);
/* cos: the caller's class of service (enum db_cos), or -1 for the one
 * of the extension `caller`. */
void call_route(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		const struct db_tenant *t, const struct db_ext *caller,
		const char *dialled, int cos);

/* call_app.c */
struct app;
/* rec_mode: the route's enum db_record (the caller's is added here).
 * Returns the call (owned by s->calls; it may have failed already), or
 * NULL if none was made. */
struct call *call_start_app(struct sip *s, nua_handle_t *nh, const sip_t *sip,
			    const struct db_tenant *t,
			    const struct db_ext *caller, const char *dialled,
			    const struct app *app, const char *args,
			    int rec_mode);
void call_app_release(struct call *c);
/* Gives call c, answered already (its caller's leg moved in from another
 * call), to `app`: mc, the caller's media channel, becomes c->mc (owned
 * by c from here, even on failure) and feeds the app. 0 or -errno (then
 * hang the call up). */
int call_adopt_app(struct call *c, const struct app *app, const char *args,
		   struct mchan *mc);
/* A direct call whose callee did not take it (busy, no answer, not
 * registered) goes to app `app_name` instead (voicemail): the phones
 * still ringing stop, the relay goes, and the app gets the caller, not
 * answered yet. 0, or -ENOENT (nothing changed: fail the call as usual). */
int call_divert(struct call *c, const char *app_name, const char *args);
/* Answers the caller of an app call (200 with the PBX's SDP); 0, or
 * -ECONNRESET if it is gone. */
int call_answer_caller(struct call *c);
/* Sends the caller 183 with the PBX's SDP, once, so that it hears the
 * app's media before any answer (ringback while a bridge rings). */
int call_early_media(struct call *c);

/* call_bridge.c */
int call_app_bridge(struct chan *ch, const char *target, int timeout_s);
void bridge_response(struct call *c, struct leg *l, int status,
		     const sip_t *sip);
void bridge_end(struct call *c, int result);
void bridge_tick(struct call *c, int64_t now);
/* Offers the media, starts ringback and early media; the caller then
 * starts the legs. timeout_s: how long they may ring. */
int bridge_begin(struct call *c, const char *to, int timeout_s);
/* A B leg answered the bridge (2xx): it is joined to the caller, or
 * gets a BYE if another was first. */
void bridge_answered(struct call *c, struct leg *l, const sip_t *sip);

/* call_bridge_group.c: chan_bridge_group, a ring group's members rung in
 * one bridge, all at once or in turn. */
struct chan_ring;
int call_app_bridge_group(struct chan *ch, const struct chan_ring *m, int n,
			  int sequential, int timeout_s);
/* A B leg's response while c->hunt is set (bridge_response hands it
 * over). */
void hunt_response(struct call *c, struct leg *l, int status,
		   const sip_t *sip);
/* A member's ring time ran out: it stops, the next one rings. 1 if the
 * bridge ended. */
int hunt_tick(struct call *c, int64_t now);
/* Frees c->hunt (the bridge ends, or the call). */
void hunt_free(struct call *c);
/* The members ringing now into exts (borrowed from c), at most max. */
int hunt_ringing(const struct call *c, const char **exts, int max);

/* call_pickup.c: call pickup by feature code, within the tenant. */
#define CALL_PICKUP_GROUP "*8"	  /* a call ringing one's pickup group */
#define CALL_PICKUP_DIRECTED "**" /* + EXT: a call ringing EXT */
/* If `dialled` is a pickup code, the authenticated extension `picker`
 * takes the call it names (or is refused: 404 nothing to pick up, 488 no
 * shared codec) and 1 is returned; 0 for any other number. */
int call_pickup(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		const struct db_tenant *t, const struct db_ext *picker,
		const char *dialled);
/* An app's bridge that rings (c->bridging, not bridged) is answered by
 * the phone whose INVITE is on nh, as a callee's 200 would; `who` is its
 * extension. The INVITE is answered here on success; on failure the
 * caller answers it (if c->b->nh == nh the leg was made: 500 on nh
 * only). 0, -EPROTONOSUPPORT (no shared codec), -ENOMEM, -EIO. */
int call_take_bridge(struct call *c, nua_handle_t *nh, const sip_t *sip,
		     const char *who);
/* 1 if call c is ringing extension `ext` now (directly, by an app's
 * bridge, or as a ring group's member). */
int call_rings_ext(const struct call *c, const char *ext);

/* call_bridge_trunk.c: chan_bridge to "trunk:NAME/E164" */
int bridge_trunk(struct call *c, const char *spec, int timeout_s);
/* Answers a carrier's 401/407 to a trunk leg; 0 if the INVITE was sent
 * again with credentials. */
int bridge_trunk_auth(struct call *c, struct leg *l, int status,
		      const sip_t *sip);
/* What a carrier's final failure means to the app (-ENETUNREACH: try
 * the next trunk). */
int bridge_trunk_result(int status);
/* The bridge's trunk call ends: the trunk counts one call less. */
void bridge_trunk_done(struct call *c);

/* call_fwd.c: forwarding and DND (pbx/dialplan/fwd.h) on the SIP
 * thread. */
struct call_fwd_ctx {
	struct sip *s;
	struct db_tenant t;
	const char *caller;  /* borrowed: ${CALLER} of a forward's route */
	const char *call_id; /* borrowed: for the log */
};
/* Fills *ops to decide for calls of tenant t; x is its storage and must
 * outlive the decision. default_vm as in struct fwd_ops. */
void call_fwd_ops(struct call_fwd_ctx *x, struct fwd_ops *ops, struct sip *s,
		  const struct db_tenant *t, const char *caller,
		  const char *call_id, int default_vm);
/* A result as the caller's SIP status (and *phrase, *disposition for the
 * CDR), or as chan_bridge's error for an app. */
int call_fwd_status(enum fwd_result r, const char **phrase,
		    const char **disposition);
int call_fwd_errno(enum fwd_result r);
/* c->b_headers: a Diversion header for a step reached by forwarding,
 * else none. */
void call_fwd_diversion(struct call *c, const struct fwd_step *st);
/* Direct call c rings st->ext's phones now (those of an earlier target
 * stop) for st->ring_s seconds. 0, or -EHOSTUNREACH if no INVITE could
 * be sent (no live contact). */
int call_fwd_ring(struct call *c, const struct fwd_step *st);
/* `ev` happened to direct call c's ringing extension (busy, no answer,
 * failed): the next target rings, or the call is diverted or failed. */
void call_fwd_direct(struct call *c, enum fwd_event ev);

/* call_xfer.c: REFER (blind transfer); call_xfer_att.c: REFER with
 * Replaces (attended). docs/transfer.md. */
/* Leg r of call c sent REFER on nh (answered here). */
void xfer_on_refer(struct call *c, struct leg *r, nua_handle_t *nh,
		   const sip_t *sip, tagi_t tags[]);
/* REFER from r whose Refer-To carries Replaces: t, r's party in c, is
 * joined to the party of the call that Replaces names. Answers the
 * REFER and reports on nh with `ev`. */
void xfer_attended(struct call *c, struct leg *r, struct leg *t,
		   nua_handle_t *nh, const sip_t *sip, const sip_event_t *ev);
/* The answer to a re-INVITE that moved leg l's media. */
void xfer_reoffer_response(struct call *c, struct leg *l, int status,
			   const sip_t *sip);

/* call_keys.c */
/* Takes the key presses the media workers queued; acts on feature codes
 * and on numbers that a pause ended. Every 200 ms. */
void call_keys_poll(struct sip *s);
/* Watches an answered call's keys: its relay, or its two joined
 * channels. */
void call_keys_watch(struct call *c);

/* call_consult.c: *2 + number keyed by the answered callee. */
/* Rings `target` (an extension) for the callee while the caller holds;
 * 0 or -errno (nothing changed). */
int call_consult_start(struct call *c, const char *target);
/* A response on a consultation leg: 1 if it was one (handled). */
int call_consult_response(struct call *c, struct leg *l, int status,
			  const sip_t *sip);
/* A BYE during a consultation: 1 if handled (the callee hands over, the
 * target left). */
int call_consult_bye(struct call *c, struct leg *l);
/* The target's ring time (once a second). */
void call_consult_tick(struct call *c, int64_t now);

/* call_hold.c: leg l's phone holds (1) or resumes (0) the call; its
 * party hears music on hold meanwhile. */
void call_hold(struct call *c, struct leg *l, int hold);
/* The tenant's music on hold (its "moh" prompt), else the stock one, as
 * pcm at `rate` (media_moh's, borrowed for the daemon's life). */
int call_moh(struct call *c, int rate, const int16_t **pcm, int *n);

/* call_park.c: call park (docs/park.md). SIP thread only. */
/*
 * park_call - parks the party of leg `parked_leg` of call c in the first
 * free slot of c's tenant, for the in-call code *70 and for a blind
 * transfer to the park number.
 *   c           an answered call (c->state == CALL_ANSWERED)
 *   parked_leg  &c->a or c->winner, up, with its handle; for an app's
 *               call (c->chan) a winner only while the bridge is
 *               connected (not a ring group still ringing)
 *   parker      the extension that parks it (borrowed): rung back when
 *               the park times out, told the slot by a SIP MESSAGE;
 *               "" for nobody (then the call just ends at the timeout)
 *   slot_out    receives the slot's number ("71"), len bytes
 * The parked party hears the tenant's music on hold until a phone of the
 * tenant dials the slot (call_park_retrieve) or the tenant's park
 * timeout passes (then `parker` rings; if nobody answers, a prompt and
 * the end).
 * Returns:
 *   0  parked: the party's leg and media left c for a new call that the
 *      park app serves. c's other party is untouched: still up, its
 *      media channel in c and unjoined, hearing nothing. The caller
 *      decides what it gets (say the slot, then end c with
 *      xfer_end_old() or call_hangup()).
 *   1  parked_leg is the caller of c's app: it parks in c itself, whose
 *      app thread runs park once the caller ends the bridge with
 *      bridge_end(c, -EXDEV) - which sends the other party (the parker)
 *      a BYE. Call it promptly: the slot is held meanwhile.
 *   -EINVAL     bad arguments, or the leg is not one that can be parked
 *   -ENOENT     the tenant has no park slots
 *   -ENOSPC     every slot is taken
 *   -EPROTONOSUPPORT  the party's codec cannot be decoded by the PBX:
 *               it was hung up and has left c (as for 0, c's other
 *               party is untouched)
 *   -EIO, -ENOMEM  nothing changed
 */
int park_call(struct call *c, struct leg *parked_leg, const char *parker,
	      char *slot_out, size_t len);
/* 1 if `number` is the park number of c's tenant. */
int park_is_number(const struct call *c, const char *number);
/* chan_bridge(ch, "park:SLOT", timeout_s) of the park app: call c waits
 * in its slot (which park_call reserved) with music on hold, as a bridge
 * that rings nobody; a retrieval answers it, the timeout ends it with
 * -ETIMEDOUT. 0, or -errno (the bridge did not start). */
int park_wait(struct call *c, const char *slot, int timeout_s);
/* The bridge of c ends: if it was the wait in a slot, the slot is free. */
void park_bridge_end(struct call *c);
/* If `dialled` is one of tenant t's park slots, the phone of extension
 * `who` takes the call parked there (404 if none, 488 without a shared
 * codec) and 1 is returned; 0 for any other number. */
int call_park_retrieve(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		       const struct db_tenant *t, const struct db_ext *who,
		       const char *dialled);

/* call_record.c */
/* The stronger of two enum db_record modes. */
int call_rec_max(int a, int b);
/* Starts recording the call's joined channels (c->mc and its peer) if
 * `mode` asks for it: always now, or on demand by the tenant's code
 * (db_tenant_record_code, "*1" by default), whose keys the media worker
 * then holds back from the other phone. */
void call_rec_start(struct call *c, int mode);
/* Stops it (a bridge ends); the CDR keeps the path if audio was written. */
void call_rec_stop(struct call *c);
/* The recordings that wrote audio, for the CDR: up to DB_REC_MAX into
 * out, in the order they began; how many. */
int call_rec_list(struct call *c, struct db_recording *out);

/* call_rec_fail.c: a failing recording said to both parties. */
struct mrec_notify;
/* Who the writer threads may tell: sip_alloc opens, sip_free closes
 * (before the mailbox goes). */
void call_rec_notify_open(struct sip *s);
void call_rec_notify_close(void);
/* nf for call c's recording: its failure makes both parties hear the
 * prompt rec_failed once, over the call. */
void call_rec_notify(const struct call *c, struct mrec_notify *nf);

/* call_prompt.c: prompt `id` of c's tenant (its own upload, else the
 * stock one) as pcm at `rate`, from media_moh's cache (borrowed for the
 * daemon's life). */
int call_prompt_pcm(struct call *c, const char *id, int rate,
		    const int16_t **pcm, int *n);

/* call_split.c */
/* Keeps, from the callee's answer `sip`, what the relay of direct call c
 * needs to become two channels later (c->can_split). */
int call_split_prepare(struct call *c, const sip_t *sip);
/* The relay of a direct call becomes two joined channels of the same
 * codec (c->mc the caller's, c->bmc the callee's), so that the PBX can
 * record, serve or play to either side. 0 (also when it already has
 * channels) or -errno (then it stays relayed). */
int call_split(struct call *c);

/* call_xcode.c */
/* A B leg refused the caller's offer with `status`: if that means no
 * shared codec and the PBX can transcode, offers the same contact the
 * PBX's own codecs (a new leg) and returns 0. */
int xcode_retry(struct call *c, struct leg *l, int status);
/* The callee answered the PBX's own offer: the relay becomes two joined
 * media channels (c->mc, c->bmc) and c->a.local_sdp the caller's answer. */
int xcode_answer(struct call *c, struct leg *l, const sip_t *sip);

/* call_leg.c */
/* Sets c->b_from (the authenticated caller, with its name) and c->b_to. */
void call_b_from_to(struct call *c, const char *to_number);
/* Starts a B leg to `contact` via `route` with From/To c->b_from and
 * c->b_to, offering c->offer_x when xcode, else c->offer_b. */
int leg_b_start(struct call *c, const char *contact, const char *route,
		int xcode);
/* The same with its own From, To and SDP offer (all borrowed for the
 * call): a consultation leg rings as the consulting phone. */
int leg_b_start_as(struct call *c, const char *contact, const char *route,
		   const char *from, const char *to, const char *sdp,
		   int xcode);
void leg_cancel_others(struct call *c, struct leg *keep);
void leg_bye(struct leg *l);

#endif
