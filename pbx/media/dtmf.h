/* dtmf.h - DTMF: RFC 4733 events, in-band detection/generation, SIP INFO. */
#ifndef ONDO_DTMF_H
#define ONDO_DTMF_H

#include <stddef.h>
#include <stdint.h>

/* One RFC 4733 telephone-event payload (events 0-15 only). */
struct dtmf_event {
	char digit;   /* '0'-'9', '*', '#', 'A'-'D' */
	int end;      /* E bit: the last packets of the event */
	int volume;   /* 0-63, in -dBm0 */
	int duration; /* 0-65535, in RTP clock units since the event began */
};

/* Parses a 4-byte telephone-event payload (more bytes, e.g. a redundant
 * RFC 2198 block, are ignored). Returns 0, or -EINVAL for len < 4 or an
 * event other than a DTMF digit (> 15: flash, modem tones). */
int dtmf_4733_parse(const uint8_t *p, size_t len, struct dtmf_event *ev);
/* Writes 4 bytes. Returns 4, -EINVAL (unknown digit, volume or duration
 * out of range) or -ENOSPC. */
int dtmf_4733_pack(uint8_t *p, size_t len, const struct dtmf_event *ev);

/* Receiver state for one RTP source's telephone-events. Zero it with
 * dtmf_4733_rx_init() at the start and when the SSRC changes. */
struct dtmf_4733_rx {
	int active;	   /* an event has been seen */
	uint32_t ts;	   /* RTP timestamp of the current event */
	char digit;	   /* its digit */
	int ended;	   /* an end packet of it was seen */
	uint32_t duration; /* the longest duration seen for it */
};

void dtmf_4733_rx_init(struct dtmf_4733_rx *r);
/* Feeds one event packet with its RTP timestamp. Returns 1 and sets
 * *digit when the packet starts a new key press, else 0 (a repeat, an
 * end packet, a retransmission, a packet of an older event), or -EINVAL.
 *
 * A key press is reported at its first packet, not at its end: the caller
 * (an IVR, a PIN prompt) reacts at once, as to an in-band key, and a
 * press still counts when all three end packets are lost. A press is
 * keyed by its RTP timestamp, so two presses of the same key are two
 * digits; a long press that the sender splits into segments (RFC 4733
 * 2.5.1.3: same digit, new timestamp = old + duration, no end) is one. */
int dtmf_4733_rx_feed(struct dtmf_4733_rx *r, uint32_t rtp_ts,
		      const struct dtmf_event *ev, char *digit);

/* In-band detection (SpanDSP dtmf_rx) on 8 kHz linear audio; a G.722 leg
 * must be resampled first. Owned by one media worker; no locking. */
struct dtmf_det;

/* h is called, from dtmf_det_feed(), once per detected key press (arg is
 * passed through, borrowed). Caller frees with dtmf_det_free().
 * Returns 0, -EINVAL or -ENOMEM. */
int dtmf_det_alloc(struct dtmf_det **dp, void (*h)(char digit, void *arg),
		   void *arg);
void dtmf_det_feed(struct dtmf_det *d, const int16_t *pcm8k, int n);
void dtmf_det_free(struct dtmf_det *d);

/* In-band generation (SpanDSP dtmf_tx) at 8 kHz: each digit is 100 ms of
 * tone then 100 ms of silence, at -10 dBm0. Caller frees with
 * dtmf_gen_free(). Returns 0 or -ENOMEM. */
struct dtmf_gen;

int dtmf_gen_alloc(struct dtmf_gen **gp);
/* Queues digits (from "0123456789*#ABCD", a-d too). Returns 0, -EINVAL
 * for any other character (nothing is queued then), or -ENOSPC when the
 * queue (128 digits) is full. */
int dtmf_gen_digits(struct dtmf_gen *g, const char *digits);
/* Writes up to n samples of tones. Returns the samples produced, 0 when
 * all queued digits are done; the rest of pcm8k up to n is set to
 * silence so a whole frame can always be sent. */
int dtmf_gen_fill(struct dtmf_gen *g, int16_t *pcm8k, int n);
void dtmf_gen_free(struct dtmf_gen *g);

/* Parses a SIP INFO body: "application/dtmf-relay" ("Signal=5\r\n
 * Duration=160") or "application/dtmf" (the body is the digit); the
 * content type may carry parameters. Signal values 10-15 are taken as
 * '*', '#', 'A'-'D', as some phones send them. The body need not be
 * NUL-terminated. Returns 0 and sets *digit, or -EINVAL for any other
 * type, a missing or unknown signal, or garbage. */
int dtmf_info_parse(const char *content_type, const char *body, size_t len,
		    char *digit);

#endif
