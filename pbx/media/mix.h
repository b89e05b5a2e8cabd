/* mix.h - the conference mix of one 20 ms tick: speaker selection, N-1
 * sums, gains and soft clipping, in linear PCM at one rate. */
#ifndef ONDO_MIX_H
#define ONDO_MIX_H

#include <stdint.h>

#define MIX_MAX_FRAME 320 /* 20 ms at 16 kHz */
#define MIX_SPEAKERS 4	  /* at most this many voices are summed */
#define MIX_GAIN_UNITY 256 /* gains are Q8: 256 is 0 dB */

/*
 * Cost grows with speakers, not members. Each tick every member that sent
 * audio is measured (one pass over its samples); only the loudest few that
 * are active (above a floor, held for a hangover after they fall silent)
 * are summed, once. A member who is not one of them hears that sum as it
 * is: every such member with unity listening gain shares one buffer, so a
 * silent member costs its energy pass and nothing else. A speaker hears
 * the sum without itself (N-1). Sums are clipped softly: loud peaks are
 * bent toward full scale instead of wrapping.
 */
struct mix_member {
	/* set by the owner before each mix_run() */
	int16_t in[MIX_MAX_FRAME]; /* this tick's audio at the mix rate */
	int have_in;		   /* 0: sent nothing; counts as silence */
	int muted;		   /* heard by nobody, never a speaker */
	int talk_gain;		   /* Q8, applied to what it says */
	int listen_gain;	   /* Q8, applied to what it hears */
	/* results of mix_run(): n samples, valid until the next run */
	const int16_t *out;
	int speaking; /* 1 if summed this tick */
	/* the mixer's own state; zero at the start */
	int16_t own[MIX_MAX_FRAME]; /* out, when it differs from the shared */
	int64_t level;		    /* smoothed energy per sample */
	int hang;		    /* ticks left of hangover */
};

struct mix {
	int n;		      /* samples per tick at the mix rate */
	int64_t floor;	      /* energy per sample that counts as voice */
	int16_t shared[MIX_MAX_FRAME]; /* the full sum, soft-clipped */
	int32_t sum[MIX_MAX_FRAME];
};

/* Prepares a mix of n samples per tick (1..MIX_MAX_FRAME). */
int mix_init(struct mix *mx, int n);
/* Resets a member's state (on join, or after a change of rate). */
void mix_member_init(struct mix_member *mm);
/* One tick: chooses the speakers and points each member's out at what it
 * hears. `extra`, if not NULL, is added to what everyone hears (join and
 * leave tones). Returns the number of speakers. */
int mix_run(struct mix *mx, struct mix_member **mm, int count,
	    const int16_t *extra);
/* x bent softly into the 16-bit range. */
int16_t mix_clip(int32_t x);

#endif
