/* jbuf.h - jitter buffer for legs whose audio the PBX decodes. */
#ifndef ONDO_JBUF_H
#define ONDO_JBUF_H

#include <stddef.h>
#include <stdint.h>

/*
 * Frames are 20 ms. The owner puts packets as they arrive and gets one
 * frame per 20 ms tick. Playout starts once `delay` frames are buffered
 * (or `delay` ticks after the first packet), then runs one frame per tick:
 * a frame that has not arrived by its turn is LOST (conceal it with
 * codec_conceal()) and is dropped as late if it turns up afterwards.
 *
 * Only audio goes in: telephone-event (RFC 4733) and comfort noise packets
 * share the RTP sequence space but must be handled before this buffer, or
 * they play as audio. On an SSRC change call jbuf_reset().
 *
 * One instance is owned by one media worker thread; no locking inside.
 */
struct jbuf;

#define JBUF_DELAY_DEFAULT    3
#define JBUF_DELAY_MIN	      1
#define JBUF_DELAY_MAX	      10
#define JBUF_CAPACITY_DEFAULT 32
#define JBUF_CAPACITY_MAX     256
#define JBUF_FRAME_MAX	      640 /* bytes: 20 ms of 16-bit PCM at 16 kHz */
#define JBUF_STOP_LOSTS	      5 /* LOSTs in a row, nothing buffered: stopped */

/* Allocates a buffer. delay_frames 0 means JBUF_DELAY_DEFAULT, else it
 * must lie in [JBUF_DELAY_MIN, JBUF_DELAY_MAX]; capacity 0 means
 * JBUF_CAPACITY_DEFAULT, else at least 2 * delay + 2 and at most
 * JBUF_CAPACITY_MAX frames. Caller frees with jbuf_free().
 * Returns 0, -EINVAL or -ENOMEM. */
int jbuf_alloc(struct jbuf **jp, int delay_frames, int capacity);
void jbuf_free(struct jbuf *jb);

/* Stores a copy of one frame's payload (len <= JBUF_FRAME_MAX). Returns 0;
 * -EALREADY when dropped as a duplicate or as too late for its turn;
 * -ERANGE for a single packet far outside the window (a second one that
 * follows it is taken as the stream restarting: the buffer resyncs to it);
 * -EMSGSIZE or -EINVAL. */
int jbuf_put(struct jbuf *jb, uint16_t seq, uint32_t ts, const uint8_t *payload,
	     size_t len);

enum jbuf_res {
	JBUF_FRAME, /* *len bytes of the next frame are in out */
	JBUF_LOST,  /* the next frame is missing: conceal it */
	JBUF_EMPTY, /* not playing: buffering, or the stream stopped */
};

/* Called once per 20 ms tick. A frame larger than outlen is returned as
 * LOST rather than cut (size out for JBUF_FRAME_MAX). After
 * JBUF_STOP_LOSTS losses in a row with nothing buffered the stream is
 * taken as stopped: the buffer goes back to EMPTY and buffers anew, and
 * those trailing losses are not counted as lost. When more than 2 * delay
 * frames pile up (a burst after a stall, a sender's clock running fast)
 * one frame per tick is dropped until the delay is back to normal. */
enum jbuf_res jbuf_get(struct jbuf *jb, uint8_t *out, size_t outlen,
		       size_t *len);

/* Forgets all frames and buffers anew from the next packet; stats stay. */
void jbuf_reset(struct jbuf *jb);

struct jbuf_stats {
	uint32_t frames;    /* returned as JBUF_FRAME */
	uint32_t lost;	    /* returned as JBUF_LOST during a stream */
	uint32_t late;	    /* arrived after their turn */
	uint32_t duplicate; /* arrived twice */
	uint32_t reordered; /* arrived after a later one, in time to play */
	uint32_t dropped;   /* discarded to bring the delay back down */
	uint32_t resync;    /* restarts on a sequence jump */
};
void jbuf_get_stats(const struct jbuf *jb, struct jbuf_stats *st);
/* Frames buffered now, for tests and the live view. */
int jbuf_depth(const struct jbuf *jb);

#endif
