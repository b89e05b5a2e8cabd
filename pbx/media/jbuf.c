/* jbuf.c - fixed-frame jitter buffer: reorder by seq, fixed playout delay. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "media/jbuf.h"

/* How far behind the playout point a packet may be and still count as
 * late rather than as a jump of the sender's sequence (RFC 3550 A.1 uses
 * the same figure for misordering). */
#define MAX_LATE 100

enum jb_state {
	JB_IDLE,      /* no stream: the next packet starts one */
	JB_BUFFERING, /* waiting for the playout delay to fill */
	JB_PLAYING,
};

struct slot {
	int used;
	uint16_t seq;
	uint32_t ts; /* kept for debugging; playout is by seq */
	size_t len;
	uint8_t data[JBUF_FRAME_MAX];
};

struct jbuf {
	int delay;
	int cap;
	enum jb_state state;
	int stopped;	   /* a stream ran and stopped: next_seq is valid */
	uint16_t next_seq; /* seq of the frame due at the next tick */
	int head;	   /* slot of next_seq */
	uint16_t max_seq;  /* newest seq stored since the stream started */
	int count;	   /* slots used */
	int wait;	   /* ticks spent buffering */
	int lost_run;	   /* LOSTs in a row */
	int has_bad;
	uint16_t bad_seq; /* after a jump: the seq that would confirm it */
	struct jbuf_stats st;
	struct slot *slots; /* cap of them, a ring starting at head */
};

int jbuf_alloc(struct jbuf **jp, int delay_frames, int capacity)
{
	struct jbuf *jb;

	if (!jp)
		return -EINVAL;
	if (!delay_frames)
		delay_frames = JBUF_DELAY_DEFAULT;
	if (!capacity)
		capacity = JBUF_CAPACITY_DEFAULT;
	if (delay_frames < JBUF_DELAY_MIN || delay_frames > JBUF_DELAY_MAX ||
	    capacity < 2 * delay_frames + 2 || capacity > JBUF_CAPACITY_MAX)
		return -EINVAL;
	/* Caller frees with jbuf_free(). About 21 KB at the default
	 * capacity: allocated once per decoded leg, never on the hot path. */
	jb = calloc(1, sizeof(*jb));
	if (!jb)
		return -ENOMEM;
	jb->slots = calloc((size_t)capacity, sizeof(*jb->slots));
	if (!jb->slots) {
		free(jb);
		return -ENOMEM;
	}
	jb->delay = delay_frames;
	jb->cap = capacity;
	*jp = jb;
	return 0;
}

void jbuf_free(struct jbuf *jb)
{
	if (!jb)
		return;
	free(jb->slots);
	free(jb);
}

static void clear_slots(struct jbuf *jb)
{
	int i;

	for (i = 0; i < jb->cap; i++)
		jb->slots[i].used = 0;
	jb->count = 0;
}

void jbuf_reset(struct jbuf *jb)
{
	if (!jb)
		return;
	clear_slots(jb);
	jb->state = JB_IDLE;
	jb->stopped = 0;
	jb->has_bad = 0;
	jb->lost_run = 0;
}

static void store(struct jbuf *jb, int idx, uint16_t seq, uint32_t ts,
		  const uint8_t *payload, size_t len)
{
	struct slot *s = &jb->slots[idx];

	s->used = 1;
	s->seq = seq;
	s->ts = ts;
	s->len = len;
	if (len)
		memcpy(s->data, payload, len);
	jb->count++;
}

/* Starts a new stream at seq: everything buffered is forgotten. */
static void start(struct jbuf *jb, uint16_t seq)
{
	clear_slots(jb);
	jb->state = JB_BUFFERING;
	jb->next_seq = seq;
	jb->max_seq = seq;
	jb->head = 0;
	jb->wait = 0;
	jb->lost_run = 0;
	jb->has_bad = 0;
}

int jbuf_put(struct jbuf *jb, uint16_t seq, uint32_t ts, const uint8_t *payload,
	     size_t len)
{
	int16_t d;
	int idx;

	if (!jb || (!payload && len))
		return -EINVAL;
	if (len > JBUF_FRAME_MAX)
		return -EMSGSIZE;
	d = (int16_t)(seq - jb->next_seq);

	if (jb->state == JB_IDLE) {
		/* A straggler of the stream that just stopped must not start
		 * a new one in the past. */
		if (jb->stopped && d < 0 && d >= -MAX_LATE) {
			jb->st.late++;
			return -EALREADY;
		}
		start(jb, seq);
		store(jb, jb->head, seq, ts, payload, len);
		return 0;
	}

	if (d < 0 && jb->state == JB_BUFFERING &&
	    (uint16_t)(jb->max_seq - seq) < jb->cap) {
		/* Nothing played yet: move the start back so the packets of
		 * the first tick that overtook one another all play. */
		jb->head = (jb->head + d + jb->cap) % jb->cap;
		jb->next_seq = seq;
		store(jb, jb->head, seq, ts, payload, len);
		jb->st.reordered++;
		return 0;
	}
	if (d < 0 && d >= -MAX_LATE) {
		jb->st.late++;
		return -EALREADY;
	}
	if (d < 0 || d >= jb->cap) {
		/* Far outside the window: a stray packet, or the sender
		 * restarted its sequence. Believe it when the next one
		 * follows (RFC 3550 A.1 does the same). */
		if (jb->has_bad && seq == jb->bad_seq) {
			jb->st.resync++;
			start(jb, seq);
			store(jb, jb->head, seq, ts, payload, len);
			return 0;
		}
		jb->has_bad = 1;
		jb->bad_seq = (uint16_t)(seq + 1);
		return -ERANGE;
	}

	idx = (jb->head + d) % jb->cap;
	if (jb->slots[idx].used) {
		jb->st.duplicate++;
		return -EALREADY;
	}
	store(jb, idx, seq, ts, payload, len);
	jb->has_bad = 0;
	if ((int16_t)(seq - jb->max_seq) < 0)
		jb->st.reordered++;
	else
		jb->max_seq = seq;
	return 0;
}

static void advance(struct jbuf *jb)
{
	jb->head = (jb->head + 1) % jb->cap;
	jb->next_seq++;
}

enum jbuf_res jbuf_get(struct jbuf *jb, uint8_t *out, size_t outlen,
		       size_t *len)
{
	struct slot *s;
	int span;

	if (len)
		*len = 0;
	if (!jb || !out || !len || jb->state == JB_IDLE)
		return JBUF_EMPTY;

	if (jb->state == JB_BUFFERING) {
		jb->wait++;
		span =
		    jb->count ? (uint16_t)(jb->max_seq - jb->next_seq) + 1 : 0;
		/* The wait bound lets a stream of fewer packets than the
		 * delay (a short burst, a lone packet) play too. */
		if (span < jb->delay && jb->wait < jb->delay)
			return JBUF_EMPTY;
		jb->state = JB_PLAYING;
		jb->lost_run = 0;
	}

	/* Latency has piled up: skip one frame per tick (a 20 ms click each)
	 * rather than all at once. */
	if (jb->count > 2 * jb->delay) {
		s = &jb->slots[jb->head];
		if (s->used) {
			s->used = 0;
			jb->count--;
		}
		jb->st.dropped++;
		advance(jb);
	}

	s = &jb->slots[jb->head];
	if (s->used && s->seq == jb->next_seq && s->len <= outlen) {
		memcpy(out, s->data, s->len);
		*len = s->len;
		s->used = 0;
		jb->count--;
		jb->st.frames++;
		jb->lost_run = 0;
		advance(jb);
		return JBUF_FRAME;
	}
	if (s->used) {
		/* Too big for the caller's buffer: lose it, never cut it. */
		s->used = 0;
		jb->count--;
	} else if (!jb->count && jb->lost_run >= JBUF_STOP_LOSTS) {
		/* The sender stopped (hold, silence suppression, hangup):
		 * that is not loss, so take back what was counted. */
		jb->st.lost -= (uint32_t)jb->lost_run;
		jb->state = JB_IDLE;
		jb->stopped = 1;
		jb->lost_run = 0;
		return JBUF_EMPTY;
	}
	jb->st.lost++;
	jb->lost_run++;
	advance(jb);
	return JBUF_LOST;
}

void jbuf_get_stats(const struct jbuf *jb, struct jbuf_stats *st)
{
	*st = jb->st;
}

int jbuf_depth(const struct jbuf *jb)
{
	return jb->count;
}
