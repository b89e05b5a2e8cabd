/* sip_priv.h - the SIP module's shared state (SIP thread only). */
#ifndef ONDO_SIP_PRIV_H
#define ONDO_SIP_PRIV_H

#include <stdint.h>
#include <sys/socket.h>

struct sip;
struct leg;
#define NUA_MAGIC_T struct sip
#define NUA_HMAGIC_T struct leg
#include <sofia-sip/su_config.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>

#include "sip/sip.h"
#include "conf/conf.h"
#include "db.h"

struct reg_table;
struct call;
struct trunk;
struct trunk_dns;
struct sip_mbox;
struct mwi_subs;

/* Everything the SIP thread owns. Only the SIP thread touches it. */
struct rates;

struct sip {
	su_root_t *root;
	nua_t *nua;
	const struct conf *conf;   /* borrowed */
	struct media *media;	   /* borrowed */
	struct rooms *rooms;	   /* borrowed; conference rooms */
	struct dbq *dbq;	   /* borrowed: writes go to the DB thread */
	struct db *db;		   /* owned: this thread's read connection */
	struct reg_table *regs;	   /* owned: the location table */
	struct call *calls;	   /* owned: list of live calls */
	su_timer_t *blf_tick;	   /* owned: busy lamps (blf.c) */
	struct msg_out *msg_out;   /* owned: MESSAGEs in flight (sip_msg.c) */
	struct bans *bans;	   /* owned: brute-force lockout (ban.c) */
	struct rates *src_rates;   /* owned: requests per source, NULL off */
	struct rates *inv_rates;   /* owned: INVITEs per extension, NULL off */
	struct trunk *trunks;	   /* owned: the trunks (trunk.c) */
	struct trunk_dns *dns;	   /* owned: their names' resolver */
	struct mwi_subs *subs;	   /* owned: message-summary subscriptions */
	/* The trunk of the INVITE being dispatched, while trunk_on_invite
	 * runs: the call made for it counts itself on that trunk. */
	struct trunk *inbound_trunk;
	/* The Max-Forwards the calls made for the INVITE being dispatched
	 * send on (its own less one), -1 outside call_on_invite: no loop
	 * through two PBXes, or a PBX and itself, goes round for ever. */
	int inbound_mf;
	int ncalls;
	unsigned ticks; /* 1 s ticks since the start (tick_h); paces what
			 * runs every N s */
	unsigned xfer_seq;	/* numbers the calls transfers make */
	uint64_t key_seq;	/* call_keys.c: the last call's key_id */
	char host[64];		   /* address for SDP and our Contact */
	int port;		   /* SIP port */
	unsigned char nonce_key[16]; /* random per start: signs nonces */
	su_timer_t *tick;	   /* 1 s housekeeping timer */
	struct sip_mbox *mbox;	   /* owned: work posted by other threads */
	int shutting_down;
	void (*shutdown_done)(void *);
	void *shutdown_arg;
	su_timer_t *shutdown_timer;
	su_timer_t *shutdown_poll;
	int64_t shutdown_calls_deadline; /* monotonic ms */
};

/* The source address of the request being handled, and its transport as
 * a route URI "sip:IP:PORT;transport=udp|tcp". 0 or -errno. */
int sip_request_source(struct sip *s, struct sockaddr_storage *ss,
		       char *route, size_t routelen);

/* sip_front.c: requests through the cluster's front ([cluster] front). */
/* 1 if ss is the front's address. */
int sip_front_is(const struct conf *conf, const struct sockaddr_storage *ss);
/* The phone's address from the Via below the front's: 0, or -ENOENT if
 * there is none usable (ss is then unchanged only in part: reset it). */
int sip_front_client(const sip_t *sip, struct sockaddr_storage *ss);
/* The REGISTER's Path headers as a Route value "<uri>, <uri>": 0,
 * -ENOENT without Path, -ENAMETOOLONG if it does not fit. */
int sip_front_path(const sip_t *sip, char *route, size_t len);
/* A binding's or a leg's route is "sip:IP:PORT;transport=T", the address
 * the phone registered or called from (used as the outbound proxy), or
 * "<uri>, ..." from a Path (sent as Route headers). In a dialog, nua
 * follows the dialog's own route set; only the proxy form applies. */
#define SIP_ROUTE_TAGS(r)                                                      \
	TAG_IF((r)[0] && (r)[0] != '<', NUTAG_PROXY(r)),                       \
		TAG_IF((r)[0] == '<', SIPTAG_ROUTE_STR(r))
#define SIP_DIALOG_ROUTE_TAG(r) TAG_IF((r)[0] && (r)[0] != '<', NUTAG_PROXY(r))

/* flood.c: flood limits ([security] req_rate, invite_rate). */
int flood_alloc(struct sip *s);
void flood_free(struct sip *s);
/* A new request (outside any dialog) from the current source: 0 within
 * the rate; 1 past it, answered here with 503 and Retry-After (and its
 * handle destroyed if `destroy`, as sip_reply does). */
int flood_request(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		  int destroy);
/* An authenticated extension's INVITE: 1 if it is past its calls a
 * minute (logged; the caller answers 403), else 0. */
int flood_invite(struct sip *s, const char *domain, const char *ext,
		 const char *call_id);

/* sip_mbox.c: runs fn(s, arg) on the SIP thread; callable from any
 * thread. fn owns arg. */
int sip_post(struct sip *s, void (*fn)(struct sip *s, void *arg), void *arg);
int sip_mbox_open(struct sip *s);
void sip_mbox_close(struct sip *s);

/* mwi.c: the mailbox of extension `ext` changed; its phones' lamps are
 * updated from the SIP thread. Callable from any thread. */
int sip_mwi_changed(struct sip *s, int64_t tenant_id, const char *ext);

/* sip_msg.c: MESSAGE between extensions of a tenant. */
struct msg_out;
void msg_on_request(struct sip *s, nua_handle_t *nh, const sip_t *sip);
/* nua_r_message: 1 if nh was one of ours (handled), else 0. */
int msg_on_response(struct sip *s, int status, nua_handle_t *nh);
/* After a phone of `ext` registered: the messages waiting for it. */
void msg_registered(struct sip *s, const char *domain, int64_t tenant_id,
		    int64_t ext_id, const char *ext);
void msg_tick(struct sip *s);
/* A text/plain notice from the PBX (From "from_name" <sip:from_ext@..>)
 * to the registered phones of extension to_ext, sent now and never kept:
 * it is news only while it is fresh. How many phones it went to. */
int msg_notice(struct sip *s, int64_t tenant_id, const char *domain,
	       const char *to_ext, const char *from_ext, const char *from_name,
	       const char *text);
/* After nua_destroy(): frees what is left (handles are gone already). */
void msg_free_all(struct sip *s);

/* Copies a header-ish string out of sofia memory, bounded. */
void sip_strlcpy(char *dst, const char *src, size_t len);

/* auth_request.c: checks the request's digest for tenant t. On success
 * fills *ext with the authenticated extension and returns 0; otherwise it
 * has already answered (401/407 challenge or 403) and returns -EACCES.
 * `proxy` selects Proxy-Authorization/407 (INVITE) over 401 (REGISTER). */
int auth_request(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		 const struct db_tenant *t, int proxy, struct db_ext *ext);

/* Answers a request outside any call and releases its handle. */
void sip_reply(struct sip *s, nua_handle_t *nh, int status,
	       const char *phrase);

/* reg_save.c */
void reg_on_register(struct sip *s, nua_handle_t *nh, const sip_t *sip);
int reg_load(struct sip *s);
void reg_tick(struct sip *s);

/* call*.c */
void call_on_invite(struct sip *s, nua_handle_t *nh, const sip_t *sip);
void leg_on_event(struct sip *s, nua_event_t ev, int status,
		  const char *phrase, nua_handle_t *nh, struct leg *leg,
		  const sip_t *sip, tagi_t tags[]);
void call_end_all(struct sip *s);
void call_tick(struct sip *s);
void call_free_all(struct sip *s);

#endif
