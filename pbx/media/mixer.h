/* mixer.h - a conference room's audio: a mixer on one media worker, and
 * the members' channels joined to it. */
#ifndef ONDO_MIXER_H
#define ONDO_MIXER_H

#include <stdint.h>

#include "media/media.h"
#include "media/mchan.h"

/*
 * A mixer lives on one media worker, which mixes the room every 20 ms
 * tick (mix.h). A member is a media channel that stays on whatever worker
 * its call started on: it keeps its sockets, codec and jitter buffer
 * there, and exchanges decoded frames with the room through a port, two
 * single-producer rings (what it said, what it hears). So a call never
 * moves its sockets between threads, decoding and encoding spread over
 * all workers, and the room's worker only mixes. A member on another
 * worker hears the room up to one tick later than one on the room's own.
 *
 * The mix runs at 16 kHz while any member's codec is wideband (G.722),
 * else at 8 kHz; a member at the other rate is resampled in and out by
 * the room.
 *
 * Threads: mixer_* and mport_* are called from control threads (an app
 * thread, the SIP thread) and never wait for a worker. A port's settings
 * (mute, gains) are atomics the room reads each tick.
 */
struct mixer;
struct mport;

/* Allocates a mixer on the next worker. Caller releases it with
 * mixer_release(). */
int mixer_alloc(struct mixer **mp, struct media *m, const char *tag);
/* The worker frees the mixer at its next command; members still joined
 * hear silence until they leave. mx must not be used afterwards. */
void mixer_release(struct mixer *mx);

/* Joins channel c to the room: from the next tick its audio goes to the
 * room and it hears the room's mix (plus anything its app plays, on
 * top). *pp is the caller's handle, valid until mixer_leave(). A channel
 * is joined to one room at a time; -EBUSY if it already is. */
int mixer_join(struct mixer *mx, struct mchan *c, struct mport **pp);
/* c leaves the room: it hears its app alone again. p must not be used
 * afterwards. Must be called before c is released. */
void mixer_leave(struct mport *p);

/* The member's voice is not heard (it still hears the room). */
void mport_set_mute(struct mport *p, int muted);
/* Gains in dB (-12..+12, clamped): what it says, what it hears. */
void mport_set_gains(struct mport *p, int talk_db, int listen_db);
/* Held: neither heard nor hearing (a room waiting for its moderator). */
void mport_set_hold(struct mport *p, int held);
/* 1 while the member is one of the voices being mixed (read racily). */
int mport_speaking(const struct mport *p);

enum mixer_sound { MIXER_JOIN, MIXER_LEAVE };
/* Everybody in the room hears a short tone: rising on a join, falling on
 * a leave. */
int mixer_sound(struct mixer *mx, enum mixer_sound s);

/* Music for held members (mport_set_hold): pcm, n samples at 16 kHz,
 * looped; the mixer takes ownership of pcm (malloc'ed). Replaces any
 * earlier music. */
int mixer_set_moh(struct mixer *mx, int16_t *pcm, int n);

/* Records the room's whole mix (16 kHz WAV) to path until
 * mixer_record_stop() or the release; written like a call recording
 * (mrec.h). -EBUSY if already recording. */
int mixer_record(struct mixer *mx, const char *path);
int mixer_record_stop(struct mixer *mx);

#endif
