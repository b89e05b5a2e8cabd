/* chan.h - the app API: what an app may do with the call it runs on. */
#ifndef ONDO_CHAN_H
#define ONDO_CHAN_H

#include <stddef.h>
#include <stdint.h>

struct db;

/*
 * An app runs as plain sequential code on a thread of its own. Each
 * chan_* call blocks that thread until it is done, or until the caller
 * hangs up, and returns:
 *   0            done
 *   -ECONNRESET  the caller hung up (every call reports it; the app
 *                should return)
 *   -ETIMEDOUT   no digit came in time (chan_read_digits)
 *   -ENOENT      no such prompt or file
 *   -EINVAL      bad arguments
 *   other        a negative errno from below (logged)
 * The chan is borrowed: valid until the app's run function returns.
 */
struct chan;

/* An app: its name in routes, and its body. `args` are the route's
 * arguments after expansion. Return 0, or a negative errno that is logged;
 * the call is hung up after run returns unless it was bridged away. */
struct app {
	const char *name;
	int (*run)(struct chan *c, const char *args);
};

/* Answers the call (200 OK with the PBX's SDP). Idempotent. */
int chan_answer(struct chan *c);
/* Hangs up; later chan_* calls return -ECONNRESET. */
int chan_hangup(struct chan *c);

/* Plays a stock prompt id ("goodbye"), a tenant's own prompt of that id,
 * or an absolute path to a sound file. If `stop` holds digits, a press of
 * one of them ends the playback early and is written to *pressed (which
 * may be NULL); other digits are kept for the next read. */
int chan_play(struct chan *c, const char *what, const char *stop,
	      char *pressed);
/* Plays a tone: "ringback", "busy", "beep", "dial", "congestion", for
 * ms milliseconds (a beep ends by itself). */
int chan_play_tone(struct chan *c, const char *tone, int ms);
/* Reads up to `max` digits into buf (NUL-terminated): ends on `term`
 * (not stored; 0 for none), after max digits, or when timeout_ms passes
 * without a digit (-ETIMEDOUT if none at all). */
int chan_read_digits(struct chan *c, char *buf, size_t len, int max,
		     int timeout_ms, char term);
/* Says "one two three" / "one hundred twenty three". */
int chan_say_digits(struct chan *c, const char *digits);
int chan_say_number(struct chan *c, long n);
/* Records what the caller says to a WAV at `path` (written safely: a
 * temporary file, fsync, rename) until a digit of `stop`, max_ms, or
 * silence_ms of silence (0: no silence limit). *ms gets the length. A
 * hang-up ends it and keeps the recording (0); so does a full disk, which
 * keeps what was written and returns its error (-ENOSPC). */
int chan_record(struct chan *c, const char *path, int max_ms,
		int silence_ms, const char *stop, char *pressed, int *ms);
/* The echo test: the caller hears itself (audio and digits) until it
 * presses a digit of `stop` or hangs up. */
int chan_echo(struct chan *c, const char *stop);
/* Connects the caller to `target`: an extension of the same tenant (every
 * phone it registered rings) or a SIP URI ("sip:user@host[:port]", sent
 * where it points). Returns when that call ends (-ECONNRESET) or could not
 * be made (-EBUSY, -ENOENT, -ETIMEDOUT, -EHOSTUNREACH for not registered
 * or refused; -ENETUNREACH when a trunk's carrier failed: 5xx, 408, no
 * answer to the INVITE, or the trunk is full or down, so that the next
 * trunk may be tried). timeout_s 0: the extension's ring timeout, or 30 s.
 * Before chan_answer(), the caller gets early media (183) and hears the
 * ringback, and is answered when the target answers: the CDR says
 * ANSWERED only if someone did.
 * Targets: "1002" (an extension), "sip:bob@192.0.2.7", and
 * "trunk:NAME/+4930123456" (an E.164 number through trunk NAME of the
 * tenant, or a shared one, with its caller-ID and number rules).
 * "park:SLOT" is the park app's own (docs/park.md): it waits in the slot
 * the SIP side reserved, with music on hold, until a phone retrieves it
 * (then as above) or timeout_s passes (-ETIMEDOUT). */
int chan_bridge(struct chan *c, const char *target, int timeout_s);
/* One member of a ring group for chan_bridge_group. */
struct chan_ring {
	const char *ext;	/* an extension of the caller's tenant */
	int ring_s;		/* how long its phones ring, in seconds */
};
/* Rings extensions of the tenant as a ring group, in one bridge: all at
 * once, each for its ring_s (sequential 0), or one after the other in
 * the order given, each for its ring_s, round again while time is left
 * (sequential 1); timeout_s bounds the whole. The first phone to answer
 * is connected and every other stops ringing; meanwhile the caller hears
 * ringback (early media, as chan_bridge). A member that is the caller's
 * own extension, unknown, or without a registered phone is skipped; a
 * busy one too (sequential: the next rings at once). m is copied before
 * the call waits. Returns as chan_bridge: 0 or -ECONNRESET once a
 * conversation took place; -ETIMEDOUT if some phone rang and nobody
 * answered, -EBUSY if every phone reached was busy, -EHOSTUNREACH if no
 * member could be rung, -EINVAL. */
int chan_bridge_group(struct chan *c, const struct chan_ring *m, int n,
		      int sequential, int timeout_s);
/* 1 once the caller was answered (by chan_answer or a bridge). */
int chan_answered(const struct chan *c);
/* 1 for the errors that, returned by an app's run() before the caller
 * was answered, end the call with a SIP status instead of the
 * "cannot be completed" prompt: -EBUSY 486, -ETIMEDOUT 480 No Answer,
 * -EHOSTUNREACH 480, -ENETUNREACH 503, -ENOENT 404, -EACCES 403,
 * -EPROTONOSUPPORT 488. */
int chan_app_status(int err);

/* A database connection for this app thread (opened on first use, closed
 * with the channel): apps read their own configuration through it. NULL
 * if the database cannot be opened (logged). */
struct db *chan_db(struct chan *c);

/* Who called, what they dialled, and the tenant. */
const char *chan_caller(const struct chan *c);
const char *chan_exten(const struct chan *c);
const char *chan_domain(const struct chan *c);
int64_t chan_tenant_id(const struct chan *c);
const char *chan_call_id(const struct chan *c);
/* The mailbox of extension `ext` (same tenant) changed: its phones'
 * message-waiting lamps are updated (a NOTIFY each). Never waits. */
void chan_mwi_changed(struct chan *c, const char *ext);
/* The caller's extension number when the call came from a phone that
 * authenticated as an extension of this tenant; NULL for a call from a
 * trunk, whose caller ID anybody can set. */
const char *chan_caller_ext(const struct chan *c);
/* The caller's display name as the PBX knows it ("" if none). */
const char *chan_caller_name(const struct chan *c);
/* The spool folder ([spool] dir): voicemail, recordings, uploads. */
const char *chan_spool_dir(const struct chan *c);

/* For the conference app: the call's media channel (valid while the app
 * runs) and the daemon's live rooms (room.h). */
struct mchan *chan_media(struct chan *c);
/* The file chan_play would play for prompt id (the tenant's own, else the
 * stock one): 0, -ENOENT or -EINVAL. */
int chan_sound_path(const struct chan *c, const char *id, char *out,
		    size_t len);
struct rooms *chan_rooms(struct chan *c);

#endif
