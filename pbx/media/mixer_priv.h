/* mixer_priv.h - a room's mixer and its members' ports, shared by the
 * room's worker (mixer.c) and the members' workers (mchan_tick.c). */
#ifndef ONDO_MIXER_PRIV_H
#define ONDO_MIXER_PRIV_H

#include <stdatomic.h>
#include <stdint.h>

#include "media/mixer.h"
#include "media/mix.h"
#include "media/media_priv.h"
#include "media/media_priv.h"

#define FRING_SLOTS 4
#define FRING_KEEP 2 /* frames a reader lets wait; older ones are dropped */

/* Single-producer, single-consumer ring of 20 ms frames. */
struct fring {
	struct {
		int16_t pcm[MIX_MAX_FRAME];
		int n, rate;
	} f[FRING_SLOTS];
	atomic_uint head; /* written by the producer */
	atomic_uint tail; /* written by the consumer */
};

/* One member's link between its channel (on any worker) and the room.
 * Three references: the control side's handle, the channel, the room. */
struct mport {
	atomic_int refs;
	struct fring said;  /* channel -> room, at the member's rate */
	struct fring heard; /* room -> channel, at the member's rate */
	atomic_int muted, held, talk_gain, listen_gain; /* control side */
	atomic_int speaking;			  /* set by the room */
	atomic_int gone;	/* left: the room drops it at its next tick */
	atomic_int rate_seen;	/* the channel's rate, written every tick, so
				 * the room knows it before the member says
				 * anything */
	struct mchan *chan;	/* borrowed; for the leave command only */
	/* the room's worker only */
	struct mix_member mm;
	struct resampler *up, *down; /* member rate <-> mix rate */
	int up_from, down_to;	     /* the rates they were made for */
	struct mport *next;
};

struct mixer {
	struct media *m;
	struct mworker *w;
	char tag[64];
	int recording; /* control side only: mixer_record() was called */
	/* the worker only */
	int rate;
	struct mix mix;
	struct mport *ports;
	int nports;
	struct mix_member **mm; /* scratch: nports entries */
	int mm_cap;
	int sound;	 /* enum mixer_sound playing, or -1 */
	int sound_pos;	 /* samples of it played */
	double phase;
	int16_t *moh;	/* music for held members, 16 kHz; owned */
	int moh_n, moh_pos;
	struct mrec *rec;
	struct resampler *rec_up; /* 8 kHz mix -> the 16 kHz recording */
	int rec_made;
	struct mixer *next;	  /* in the worker's list */
	int tick_phase;	  /* which tick of the 20 ms mixes it */
};

/* mixer.c, the members' side (their workers) */
/* What the member said this tick (n samples at rate). */
void mport_say(struct mport *p, const int16_t *pcm, int n, int rate);
/* What it hears this tick: up to n samples at rate written to pcm;
 * returns how many (0: nothing yet, or a frame of another rate). */
int mport_hear(struct mport *p, int16_t *pcm, int n, int rate);
/* The channel lets go of its port (it left, or it is being released). */
void mport_detach(struct mport *p);

/* mixer.c */
void mport_unref(struct mport *p);
int mixer_fring_pop(struct fring *r, int16_t *pcm, int *rate);
void mixer_fring_push(struct fring *r, const int16_t *pcm, int n, int rate);

/* mixer_room.c, the room's worker */
void mixer_cmd_h(struct mworker *w, struct mcmd *x);
/* The rooms of `phase`. */
void mixer_tick_all(struct mworker *w, int phase);
/* Frees every mixer still on w (the engine stops). */
void mixer_free_all(struct mworker *w);

#endif
