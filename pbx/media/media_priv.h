/* media_priv.h - media engine internals shared by its files. */
#ifndef ONDO_MEDIA_PRIV_H
#define ONDO_MEDIA_PRIV_H

#include <pthread.h>
#include <netinet/in.h>
#include "media/media.h"

enum { MKIND_RTP = 0, MKIND_RTCP = 1 };

/* One bound socket of a session; epoll's data.ptr points here. */
struct msock {
	int fd;
	int side;
	int kind;
	struct msess *sess;
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
};

enum mcmd_type { MCMD_ADD, MCMD_REMOTE, MCMD_DEL, MCMD_QUIT };

struct mcmd {
	enum mcmd_type type;
	struct msess *sess;
	int side;
	struct sockaddr_storage sdp, sig;
	int have_sig;
	struct mcmd *next;
};

struct mworker {
	struct media *m;
	pthread_t thr;
	int epfd;
	int evfd;		/* wakes the loop when the mailbox has work */
	pthread_mutex_t lock;	/* guards head/tail */
	struct mcmd *head, *tail;
	int nsess;		/* sessions owned; worker thread only */
	struct msess *grave;	/* released sessions awaiting free() */
};

struct media {
	struct mworker *w;
	int nworkers;
	int next_worker;	/* control thread only */
	char bind_ip[64];
	/* port allocator (rtp_port.c) */
	pthread_mutex_t plock;	/* guards pairs_used, cursor, in_use */
	unsigned char *pairs_used;
	int port_min, npairs, cursor, in_use;
};

/* rtp_port.c */
int rtp_ports_init(struct media *m, int port_min, int port_max);
void rtp_ports_close(struct media *m);
/* Binds an RTP+RTCP pair of UDP sockets on a free even port. */
int rtp_port_open(struct media *m, struct mend *e);
void rtp_port_close(struct media *m, struct mend *e);

/* rtp_worker.c */
int mworker_start(struct mworker *w, struct media *m);
void mworker_post(struct mworker *w, struct mcmd *c);
void mworker_stop(struct mworker *w);

#endif
