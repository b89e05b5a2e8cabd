/* sip.h - the SIP side of the daemon: registrar, digest auth, B2BUA calls. */
#ifndef ONDO_SIP_H
#define ONDO_SIP_H

#include <stdio.h>
#include <sofia-sip/su_wait.h>

struct conf;
struct media;
struct dbq;
struct sip;

/* Creates the NUA stack on `root` (the SIP thread's loop), listening as
 * conf says, with its own read connection to the database; sdp_host is
 * the address put in rewritten SDP. Borrows conf, media and dbq: they
 * must outlive the sip object. Caller frees with sip_free() after
 * sip_shutdown() completes. */
int sip_alloc(struct sip **sp, su_root_t *root, const struct conf *conf,
	      const char *sdp_host, struct media *media, struct dbq *dbq);
/* Ends every call (BYE to answered legs, CANCEL or 503 to the rest), then
 * shuts the stack down; calls `done(arg)` on the SIP thread when finished
 * or after a deadline. */
void sip_shutdown(struct sip *s, void (*done)(void *arg), void *arg);
void sip_free(struct sip *s);

struct rooms;
/* The live conference rooms apps enter (borrowed; set before the first
 * call) and their accessor for the control socket and the web API. */
void sip_set_rooms(struct sip *s, struct rooms *rs);
struct rooms *sip_rooms(struct sip *s);

/* Live views for the control socket: one line per item, tab-separated. */
int sip_calls_print(struct sip *s, FILE *out);
int sip_regs_print(struct sip *s, FILE *out);
/* Contacts registered now and calls in progress (`ondoctl status`). */
void sip_counts(struct sip *s, int *regs, int *calls);
/* Parked calls: DOMAIN, SLOT, CALLER, CALLER_NAME, PARKER, SECONDS,
 * CALL-ID per line (call_park.c). SIP thread only. */
int sip_parked_print(struct sip *s, FILE *out);
/* Blocked sources and extensions (brute-force lockout), one a line:
 * KEY SECONDS_LEFT FAILURES BLOCKS; and lifting one ("ip:ADDR" or
 * "ext:NUMBER@DOMAIN"): 0 or -ENOENT. SIP thread only. */
int sip_bans_print(struct sip *s, FILE *out);
int sip_ban_del(struct sip *s, const char *key);
/* Trunk states (`domain` "" for all, else the tenant's and the shared
 * ones), for `ondoctl trunk status` and the API's trunk-status. */
int sip_trunks_print(struct sip *s, const char *domain, FILE *out);
/* Re-reads the trunks after ondoctl changed them. */
int sip_trunks_reload(struct sip *s);
/* The [security] settings of the conf the stack borrows changed (a
 * reload wrote them): lockout thresholds and flood limits follow. The
 * flood counts start over; blocks already running keep their end. SIP
 * thread only. 0 or -errno (then the old limits stay). */
int sip_security_changed(struct sip *s);
/* Recounts mailbox `ext` of tenant `domain` and updates its lamps (every
 * registered phone and subscription), after ondoctl changed the box; one
 * line "NEW\tSAVED\tPHONES\tSUBSCRIPTIONS" to `out`. SIP thread only. 0,
 * or -ENOENT for an unknown tenant or extension. */
int sip_mwi_refresh(struct sip *s, const char *domain, const char *ext,
		    FILE *out);

/* Ends call `call_id` of tenant `domain` (BYE to answered legs; a call
 * still ringing fails with 480). SIP thread only. 0 or -ENOENT. */
int sip_call_end(struct sip *s, const char *domain, const char *call_id);
/* Runs fn(s, arg) on the SIP thread and waits for its result: how the
 * HTTP threads read live state. -ETIMEDOUT if it has not started within
 * 2 s (the SIP thread is stopping); once started it is waited for. */
int sip_sync(struct sip *s, int (*fn)(struct sip *s, void *arg), void *arg);

#endif
