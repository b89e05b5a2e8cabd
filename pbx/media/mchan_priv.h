/* mchan_priv.h - the state of a media channel, owned by its worker. */
#ifndef ONDO_MCHAN_PRIV_H
#define ONDO_MCHAN_PRIV_H

#include "media/media_priv.h"
#include "media/mchan.h"
#include "media/mrec.h"
#include "media/codec.h"
#include "media/rtp.h"
#include "media/jbuf.h"
#include "media/dtmf.h"
#include "media/resample.h"
#include "media/tone.h"
#include "media/keyhold.h"

#define MCHAN_MAX_FRAME 320 /* samples in 20 ms at 16 kHz */
#define MCHAN_PKT_MAX 1500

/* An RFC 4733 digit being sent: one event packet per tick, then the end
 * packet three times (RFC 4733 2.5.1.4). */
struct dtmf_out {
	char queue[32];
	int nq;
	char cur;    /* 0: none */
	int ticks;   /* packets sent for cur */
	uint32_t ts; /* the event's RTP timestamp */
	int gap;     /* ticks of pause between digits */
};

struct mchan {
	struct media *m;
	struct mworker *w;
	struct mend end;
	char tag[64];
	/* codec and RTP state; worker thread only after MCMD_CH_ADD */
	const struct codec_info *ci;
	struct codec *codec;
	int pt, te_pt;
	struct jbuf *jb;
	struct rtp_tx tx;
	struct rtp_rxstats rxs;
	uint32_t rx_ssrc;
	int have_rx;
	/* DTMF */
	struct dtmf_4733_rx d4733;
	int te_seen; /* the phone sends events: no in-band detection */
	struct dtmf_det *det;
	struct resampler *to8k; /* for in-band detection on wideband legs */
	struct dtmf_gen *gen;	/* in-band digits for phones without events */
	struct dtmf_out dout;
	/* where the audio we send comes from */
	const struct mchan_ops *ops;
	void *arg;
	int echo;
	struct tone *tone;	/* plays instead of anything else */
	const int16_t *moh;	/* music on hold, looped, instead of the
				 * peer (media_moh's, borrowed); NULL */
	int moh_n, moh_pos;
	int moh_once;		/* play it once, then the peer again */
	uint64_t watch_id;	/* keys queued for the SIP thread (mkeys.c) */
	int watch_side;
	struct mchan *peer;
	struct resampler *from_peer; /* peer's rate -> ours, when they differ */
	/* Pass-through: joined to a peer of the same codec, this channel's
	 * packets go on to the peer's phone undecoded (mchan_rx.c), under the
	 * peer's SSRC with its numbering carried on by these offsets. */
	int passthru;
	int fwd_on;		/* offsets valid for fwd_ssrc */
	uint32_t fwd_ssrc, fwd_ts_off;
	uint16_t fwd_seq_off;
	int16_t last_rx[MCHAN_MAX_FRAME]; /* what the phone said this tick */
	int last_n;
	/* Recording of this channel's pair (mchan_record.c): the channel
	 * mchan_record() was given owns it and mixes its peer in. */
	struct mrec *rec;	/* open while recording or paused */
	int rec_active;		/* this tick's mix goes to rec */
	int rec_on_demand;	/* rec_code toggles it */
	char rec_code[8];	/* the tenant's code, "*1" by default */
	/* Keys from this channel's phone that may begin the pair's
	 * recording code, held back from the peer (mchan_record.c). */
	struct keyhold hold;
	char *rec_path;		/* owned; NULL: not asked to record */
	struct mrec_notify rec_nf; /* told if the recording fails */
	int rec_rate;
	struct resampler *rec_rs[2]; /* own, peer's audio up to rec_rate */
	volatile int rec_started;
	struct mport *conf;	/* joined to a room (mixer_priv.h): holds a
				 * reference */
	enum codec_id ctl_codec; /* the codec as the control thread
				  * last set it (mchan_codec) */
	int phase;		/* which tick of the 20 ms runs it; a joined
				 * pair shares one (mchan_set_peer) */
	/* RTCP */
	int rtcp_ticks;
	uint32_t lsr;	 /* middle 32 bits of the last SR's NTP time */
	uint64_t lsr_at; /* our NTP time when it arrived */
	/* counters read racily by mchan_stats */
	volatile uint64_t rx_pkts, tx_pkts;
	volatile int rtt_ms;
	volatile double remote_loss;
	/* life */
	int dead;
	void (*done)(void *arg);
	void *done_arg;
	struct mchan *next; /* in the worker's list */
	struct mchan *grave_next;
};

/* mchan.c: pieces shared with mchan_split.c */
/* A channel with its codec state but no ports, not yet on a worker;
 * NULL on failure. Freed with mchan_free_new() until posted. */
struct mchan *mchan_new(struct media *m, const struct mchan_params *p,
			const struct mchan_ops *ops, void *arg);
void mchan_free_new(struct mchan *c);
struct mcmd *mchan_cmd(struct mchan *c, enum mcmd_type type);
/* Worker side: sets c's peer (and its resampler); NULL clears it. */
void mchan_set_peer(struct mchan *c, struct mchan *peer);
/* Worker side: puts c on the worker's list (its sockets are already in
 * the epoll set) and starts the tick if it is the first. */
void mchan_link_h(struct mworker *w, struct mchan *c);

/* mchan_record.c */
void mchan_record_h(struct mchan *c, struct mcmd *x);
/* A key from c's phone: an RFC 4733 event (relay 1: it goes on to the
 * peer, unless it belongs to the pair's on-demand recording code) or an
 * in-band one (relay 0: its tones are in the audio already). The code
 * toggles the recording. */
void mchan_rec_key(struct mchan *c, char digit, int relay);
/* Each tick: keys held back whose wait is over go on to the peer. */
void mchan_rec_hold_tick(struct mchan *c);
void mchan_rec_tick(struct mchan *c);
void mchan_rec_end(struct mchan *c);
/* Whether c's or its peer's audio is being recorded (then both decode). */
int mchan_rec_on(const struct mchan *c);

/* mchan_split.c */
void mchan_split_h(struct mworker *w, struct mcmd *x);

/* mchan_tick.c */
void mchan_dtmf_queue(struct mchan *c, const char *digits);
/* Sends a packet to the phone now, or drops it (never waits). */
void mchan_send(struct mchan *c, int kind, const uint8_t *buf, size_t len);
/* Whether the channel sends something of its own this tick: a tone or an
 * RFC 4733 digit (then pass-through to it pauses). */
int mchan_busy_out(const struct mchan *c);

#endif
