/* media_priv.h - media engine internals shared by its files. */
#ifndef ONDO_MEDIA_PRIV_H
#define ONDO_MEDIA_PRIV_H

#include "media/mrec.h"
#include <pthread.h>
#include <time.h>
#include <netinet/in.h>
#include "media/media.h"
#include "media/rtp.h"
#include "media/dtmf.h"

enum { MKIND_RTP = 0, MKIND_RTCP = 1 };

enum mowner { MOWNER_SESS, MOWNER_CHAN };

/* One bound socket of a relay session or a media channel; epoll's
 * data.ptr points here. */
struct msock {
	int fd;
	int side;
	int kind;
	enum mowner type;
	struct msess *sess; /* type MOWNER_SESS */
	struct mchan *chan; /* type MOWNER_CHAN */
};

/* One side of a session. Written only by the owning worker after start. */
struct mend {
	struct msock sock[2];		/* RTP, RTCP */
	int port;			/* RTP port; RTCP is port + 1 */
	struct sockaddr_storage dst[2]; /* where we send RTP, RTCP */
	int have_dst;
	struct sockaddr_storage ok_ip[2]; /* expected source IPs */
	int n_ok;
	int latched[2];			  /* dst[k] came from a packet */
	struct sockaddr_storage learn[2]; /* unexpected source on probation */
	int learn_n[2];			  /* its packets in a row */
	struct rtp_rxstats rxs;		  /* of the RTP it sends us */
};

struct mworker;

struct msess {
	struct media *m;
	struct mworker *w;
	struct mend end[2];
	char tag[64];		/* Call-ID, for logs */
	int dead;		/* released; freed after the event batch */
	struct msess *grave_next;
	/* counters written by the worker, read racily for display */
	volatile uint64_t rx_pkts[2];
	volatile uint64_t dropped[2];
	/* key presses watched (mkeys.c): the call's id, 0 for none; each
	 * side's telephone-event payload type */
	uint64_t watch_id;
	int te[2];
	struct dtmf_4733_rx krx[2];
};

enum mcmd_type {
	MCMD_ADD,
	MCMD_REMOTE,
	MCMD_DEL,
	MCMD_QUIT,
	MCMD_CH_ADD,
	MCMD_CH_REMOTE,
	MCMD_CH_ECHO,
	MCMD_CH_JOIN,
	MCMD_CH_DIGITS,
	MCMD_CH_DEL,
	MCMD_CH_CODEC,
	MCMD_CH_TONE,
	MCMD_CH_SPLIT,
	MCMD_CH_RECORD,
	MCMD_CH_OPS,
	MCMD_CH_MOH,
	MCMD_CH_WATCH,
	MCMD_WATCH,	/* a relay's keys (mkeys.c) */
	MCMD_CH_CONF,	/* mixer.c: join (port) or leave (NULL) a room */
	MCMD_MIX_ADD,	/* MCMD_MIX_*: mixer_room.c */
	MCMD_MIX_DEL,
	MCMD_MIX_JOIN,
	MCMD_MIX_SOUND,
	MCMD_MIX_REC,
	MCMD_MIX_MOH
};

struct mixer;
struct mport;
struct mrec;

struct mcmd {
	enum mcmd_type type;
	struct msess *sess;
	struct mchan *chan, *peer;
	int side;
	int on;
	char digits[32];
	struct sockaddr_storage sdp, sig;
	int have_sig;
	void (*done)(void *arg);
	void *done_arg;
	/* MCMD_CH_CODEC / MCMD_CH_TONE: objects made by the control thread,
	 * owned by the worker once taken (freed with the command if not) */
	const struct codec_info *ci;
	struct codec *codec;
	struct resampler *to8k;
	struct tone *tone;
	int pt, te_pt;
	char *path; /* MCMD_CH_RECORD: owned by the command, then the chan */
	struct mixer *mixer; /* MCMD_MIX_* */
	struct mport *port;  /* MCMD_MIX_JOIN, MCMD_CH_CONF: a reference */
	struct mrec *rec;    /* MCMD_MIX_REC: owned by the command */
	int16_t *pcm;	     /* MCMD_MIX_MOH: owned by the command */
	const int16_t *moh;  /* MCMD_CH_MOH: borrowed (media_moh) */
	struct mrec_notify nf; /* MCMD_CH_RECORD */
	uint64_t watch_id;   /* MCMD_WATCH, MCMD_CH_WATCH */
	const struct mchan_ops *ops; /* MCMD_CH_OPS: borrowed */
	void *ops_arg;
	int npcm;
	struct mcmd *next;
};

/* The 20 ms of a channel's cadence are cut in TICK_PHASES: every
 * 20/TICK_PHASES ms the worker runs the channels and rooms of one phase,
 * so its work comes in small even bursts rather than one big one (a
 * worker near a full core would otherwise finish its one burst late). */
#define TICK_PHASES 4
#define TICK_BUCKET_US 10
#define TICK_BUCKETS 2500 /* up to 25 ms; longer ones count in the last */

struct mworker {
	struct media *m;
	pthread_t thr;
	int epfd;
	int evfd;		/* wakes the loop when the mailbox has work */
	pthread_mutex_t lock;	/* guards head/tail */
	struct mcmd *head, *tail;
	int nsess;		/* sessions owned; worker thread only */
	struct msess *grave;	/* released sessions awaiting free() */
	int tfd;	     /* 20 ms timerfd driving the media channels */
	struct mchan *chans; /* channels owned; worker thread only */
	struct mchan *chan_grave;
	struct mixer *mixers; /* conference rooms mixed here */
	int phase;	      /* the phase the next tick runs */
	unsigned next_phase;  /* handed to the next channel or room */
	/* how long each tick took (media_tick_stats); worker writes */
	volatile uint32_t tick_hist[TICK_BUCKETS];
	volatile long tick_max_us;
};

struct media {
	struct mworker *w;
	int nworkers;
	int next_worker;	/* control thread only */
	char bind_ip[64];
	/* port allocator (rtp_port.c) */
	pthread_mutex_t plock;	/* guards pairs_used ... warned below */
	unsigned char *pairs_used;
	int port_min, npairs, cursor, in_use;
	unsigned long takes;	/* pairs ever taken, to bind or to try */
	time_t warned;		/* when rtp_port_open last warned */
	/* keys of watched calls for the control thread (mkeys.c) */
	pthread_mutex_t klock;
	struct media_key keys[MEDIA_KEYS_MAX];
	int khead, nkeys;
	/* music on hold (moh.c) */
	pthread_mutex_t moh_lock;
	struct moh *moh;
};
void media_moh_free(struct media *m);
/* mkeys.c */
void media_key_push(struct media *m, uint64_t id, int side, char digit);
struct rtp_hdr;
void msess_key_h(struct msess *s, int side, const struct rtp_hdr *h,
		 const uint8_t *pl, size_t plen);
void msess_watch_h(struct msess *s, const struct mcmd *x);

/* rtp_port.c */
int rtp_ports_init(struct media *m, int port_min, int port_max);
void rtp_ports_close(struct media *m);
/* Binds an RTP+RTCP pair of UDP sockets on a free even port. */
int rtp_port_open(struct media *m, struct mend *e);
void rtp_port_close(struct media *m, struct mend *e);

/* mend.c: which packets an endpoint accepts (strict symmetric RTP) */
int mend_admit(struct mend *e, int kind, const struct sockaddr_storage *src);
/* Applies a new SDP address (and signalling source) to an endpoint. */
void mend_set_remote(struct mend *e, const struct sockaddr_storage *sdp,
		     const struct sockaddr_storage *sig);
socklen_t mend_addr_len(const struct sockaddr_storage *a);

/* mchan*.c: the worker side of media channels */
void mchan_add_h(struct mworker *w, struct mchan *c);
void mchan_cmd_h(struct mworker *w, struct mcmd *cmd);
void mchan_rx(struct mchan *c, int kind, const uint8_t *buf, size_t len,
	      const struct sockaddr_storage *src);
void mchan_tick_all(struct mworker *w);
void mchan_bury(struct mworker *w);

/* rtp_worker.c */
int mworker_start(struct mworker *w, struct media *m);
void mworker_post(struct mworker *w, struct mcmd *c);
void mworker_stop(struct mworker *w);
void mworker_tick(struct mworker *w, int on);
/* Closes a session's sockets that are still open and frees it after the
 * current batch of events. */
void msess_del_h(struct mworker *w, struct msess *s);

#endif
