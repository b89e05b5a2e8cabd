/* media.h - RTP anchoring: media workers that relay RTP/RTCP between legs. */
#ifndef ONDO_MEDIA_H
#define ONDO_MEDIA_H

#include <stdint.h>
#include <sys/socket.h>

/*
 * The media engine owns a set of worker threads, each an epoll loop that
 * owns its RTP sockets. A relay session (msess) joins two endpoints: side 0
 * faces the caller, side 1 the callee. A packet that arrives on one side's
 * socket from that side's phone is sent, unchanged, from the other side's
 * socket to the other phone: no decode when both use the same codec.
 *
 * Thread rules: media_* and msess_* are called from one control thread (the
 * SIP thread). They never block on a worker: they post commands to the
 * worker's mailbox. The worker owns the session once it is started.
 */
struct media;
struct msess;

enum { MSIDE_A = 0, MSIDE_B = 1 };

/* Starts `nworkers` threads (0 = one per core) relaying on ports in
 * [port_min, port_max] bound to bind_ip ("0.0.0.0" for any). Caller frees
 * with media_free(). */
int media_alloc(struct media **mp, const char *bind_ip, int port_min,
		int port_max, int nworkers);
/* Stops the workers and frees every session left. */
void media_free(struct media *m);
/* In-call keys (mkeys.c). A watched relay or channel queues each new
 * RFC 4733 key press with the watch id and side given here; the control
 * thread takes them with media_keys_take(). Id 0 stops the watch. */
#define MEDIA_KEYS_MAX 256
struct media_key {
	uint64_t id;
	int side; /* MSIDE_A or MSIDE_B */
	char digit;
};
int msess_watch(struct msess *s, uint64_t id, int te_a, int te_b);
int media_keys_take(struct media *m, struct media_key *out, int max);

/* Music on hold: the sound file at path as pcm at `rate` (8000/16000),
 * read once per file version (the first 60 s) and kept until
 * media_free(), so channels may play it without a copy. Reads the file
 * on the calling thread the first time. 0, -ENOENT, -ENODATA, -ENOMEM. */
int media_moh(struct media *m, const char *path, int rate,
	      const int16_t **pcm, int *n);

/* Allocates a session with an RTP/RTCP port pair on each side and hands it
 * to a worker. Returns -EAGAIN when the port range is exhausted. The
 * session stays valid for msess_* calls until msess_release(). */
int msess_alloc(struct msess **sp, struct media *m, const char *tag);
/* The local RTP port the PBX uses toward `side` (RTCP is port + 1). */
int msess_port(const struct msess *s, int side);
/* Where `side`'s phone said it receives (from its SDP), and the address
 * its signalling came from. Packets are accepted only from these two IP
 * addresses; the first one seen is latched as the send address
 * (symmetric RTP, for phones behind NAT). `sig` may be NULL. */
int msess_set_remote(struct msess *s, int side,
		     const struct sockaddr_storage *sdp,
		     const struct sockaddr_storage *sig);
/* Releases the session: the worker closes its sockets and frees its ports.
 * The pointer must not be used afterwards. */
void msess_release(struct msess *s);

/* Counters of one side as last seen by its worker (racy reads are fine:
 * they are for display only). */
struct msess_stats {
	uint64_t rx_pkts[2];	/* packets received from each side */
	uint64_t dropped[2];	/* from strangers, or before an address */
	int64_t lost[2];	/* RTP sequence gaps seen from each side */
	double jitter_ms[2];	/* RFC 3550 interarrival jitter */
};
void msess_stats(const struct msess *s, struct msess_stats *st);

/* Port pairs (RTP and RTCP) in use, for tests and `ondoctl status`. */
int media_ports_in_use(struct media *m);

/* How long the workers' 20 ms ticks (decode, mix, encode, send of every
 * media channel and conference room) took since the start or the last
 * reset, over all workers: for benchmarks and the live view. Times in
 * microseconds, percentiles to the 10 us bucket. */
struct media_tick_stats {
	uint64_t ticks;
	long p50_us, p99_us, p999_us, max_us;
};
void media_tick_stats(struct media *m, struct media_tick_stats *st);
void media_tick_stats_reset(struct media *m);

#endif
