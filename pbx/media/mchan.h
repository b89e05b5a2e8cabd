/* mchan.h - a call leg whose audio the PBX itself decodes and produces. */
#ifndef ONDO_MCHAN_H
#define ONDO_MCHAN_H

#include <stdint.h>
#include <sys/socket.h>

#include "media/media.h"
#include "media/codec.h"

/*
 * A media channel terminates one phone's RTP in the PBX: packets go
 * through a jitter buffer and the decoder; every 20 ms the worker that
 * owns it produces one frame of audio to send (from the app, from the
 * channel it is joined to, or its own input for the echo test), encodes
 * it and sends it. DTMF arrives as digits whichever way the phone sends
 * it: RFC 4733 events, or in-band tones (detected on the decoded audio
 * until the phone's first event shows it sends events).
 *
 * Threads: mchan_* are called from any one control thread and post
 * commands to the worker; they never block on it. The ops callbacks run on
 * the worker thread, every 20 ms: they must only take a short lock, copy,
 * and signal.
 */
struct mchan;

struct mchan_ops {
	/* A digit the phone sent. */
	void (*digit)(void *arg, char digit);
	/* One decoded 20 ms frame of what the phone said, at the codec's
	 * rate (for recording, or for an app that listens). */
	void (*rx)(void *arg, const int16_t *pcm, int n);
	/* Fill up to n samples of audio to send; returns how many were
	 * written (the rest of the frame is silence). */
	int (*tx)(void *arg, int16_t *pcm, int n);
};

struct mchan_params {
	enum codec_id codec;
	int pt;	   /* payload type agreed for the codec */
	int te_pt; /* telephone-event payload type, or -1 */
	struct sockaddr_storage remote; /* from the phone's SDP; family 0
					 * while not known (our offer) */
	struct sockaddr_storage sig; /* its signalling source, or ss_family 0 */
	const char *tag;	     /* Call-ID, for logs */
};

/* Allocates the channel with an RTP/RTCP port pair and hands it to a
 * worker (the worker of `near` if given, so that two channels joined
 * later relay with no thread hop). ops and arg are borrowed until
 * mchan_release(). -EAGAIN when the port range is exhausted. */
int mchan_alloc(struct mchan **cp, struct media *m,
		const struct mchan_params *p, const struct mchan_ops *ops,
		void *arg, struct mchan *near);
/* The local RTP port for the SDP we give the phone. */
int mchan_port(const struct mchan *c);
/* The codec the phone answered with (a channel allocated for an offer
 * carries a provisional one), and where it receives. */
int mchan_set_codec(struct mchan *c, enum codec_id codec, int pt, int te_pt,
		    const struct sockaddr_storage *remote);
/* Plays a tone (enum tone_kind) in place of any other audio; -1 stops. */
int mchan_set_tone(struct mchan *c, int kind);
/* The phone changed its address (re-INVITE). */
int mchan_set_remote(struct mchan *c, const struct sockaddr_storage *sdp);
/* The codec as last set by mchan_alloc(), mchan_split() or
 * mchan_set_codec() (control thread). */
enum codec_id mchan_codec(const struct mchan *c);
/* Queues the phone's RFC 4733 key presses for media_keys_take() with
 * watch id `id` (0 stops) and `side`. */
int mchan_watch(struct mchan *c, uint64_t id, int side);
/* Hands the channel to another listener (a call whose app changes, a
 * transferred party that an app now serves). Callbacks to the old ops may
 * still run until the worker takes the command; ops and arg are borrowed
 * as with mchan_alloc(). */
int mchan_set_ops(struct mchan *c, const struct mchan_ops *ops, void *arg);
/* Plays pcm (n samples at the channel's rate, from media_moh()) in a
 * loop in place of the peer's audio, until called with NULL: music on
 * hold. A tone still plays over it. */
int mchan_set_moh(struct mchan *c, const int16_t *pcm, int n);
/* Plays pcm (as for mchan_set_moh) once in place of the peer's audio,
 * then the peer is heard again: a notice during a call ("this call
 * cannot be recorded"). Music on hold set later replaces it. */
int mchan_play_once(struct mchan *c, const int16_t *pcm, int n);
/* Echo test: send back what the phone sends (audio and digits). */
int mchan_set_echo(struct mchan *c, int on);
/* Joins two channels on one worker: each sends what the other hears,
 * resampled and re-encoded as needed (transcoding). NULL peer unjoins. */
int mchan_join(struct mchan *a, struct mchan *b);
/* Turns relay session s into two joined channels on its worker, for a
 * call whose two phones turned out to share no codec. The channels keep
 * the session's ports (the phones know them) and the addresses it
 * learned; p[MSIDE_A] and p[MSIDE_B] give each side's codec (their remote
 * fields are not used). No app listens (ops NULL). On success s is gone,
 * as after msess_release(), and out[] hold the channels, released with
 * mchan_release(); on failure s is untouched. */
int mchan_split(struct msess *s, const struct mchan_params p[2],
		struct mchan *out[2]);
/* Records channel c's call: its audio and its peer's, mixed, into the
 * WAV `path` (folders created; written by a thread of its own; complete
 * under that name only at the end). With on_demand, the recording starts
 * when either phone keys `code` (RFC 4733 or in-band), pauses at the next
 * `code`, and so on; the keys of the code never reach the other phone as
 * events (one that may begin it waits up to KEYHOLD_MS for the next, then
 * goes on if the code did not complete: keyhold.h). Ends with
 * mchan_record_stop() or the release. While it records, the pair decodes
 * (no pass-through). */
struct mrec_notify;
/* nf (may be NULL, copied): told if the recording fails (mrec.h). */
int mchan_record(struct mchan *c, const char *path, int on_demand,
		 const char *code, const struct mrec_notify *nf);
int mchan_record_stop(struct mchan *c);
/* 1 once some audio of c's newest recording was written (read racily;
 * a new mchan_record() starts from 0 once the worker takes it). */
int mchan_recorded(const struct mchan *c);
/* Sends digits to the phone as RFC 4733 events when it accepts them,
 * else as in-band tones. */
int mchan_send_digits(struct mchan *c, const char *digits);
/* Stops the channel: the worker closes its sockets and frees its ports.
 * Callbacks may still run until the worker has taken the command; it then
 * calls done(arg) (on the worker thread, may be NULL), after which no
 * callback runs again and the owner of ops may free them. The pointer
 * must not be used after this call. */
void mchan_release(struct mchan *c, void (*done)(void *arg), void *arg);

/* Counters for the CDR and the live view (read racily). */
struct mchan_stats {
	uint64_t rx_pkts, tx_pkts, lost;
	double jitter_ms;   /* as the PBX receives the phone */
	int rtt_ms;	    /* from the phone's RTCP, -1 if unknown */
	double remote_loss; /* fraction the phone reported lost */
};
void mchan_stats(const struct mchan *c, struct mchan_stats *st);

#endif
