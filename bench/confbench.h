/* confbench.h - what the parts of bench/confbench share: the options
 * (confbench.c parses them) and the probes of /proc and the sockets
 * (confbench_sys.c). */
#ifndef ONDO_CONFBENCH_H
#define ONDO_CONFBENCH_H

#include <sys/types.h>

#include "media/codec.h"

struct opts {
	const char *gen_in, *gen_out;
	int gen_port[2];
	int gen_pid;
	int port_min, port_max;
	double secs, warm;	     /* fixed scenarios */
	double ramp_secs, ramp_warm; /* ramp steps */
	const char *pcmu_steps, *g722_steps;
	int ramp_room;
	int max_steps;
	double tick_limit_ms, loss_limit_pct;
	int mon_rooms;
	const char *scenarios;
	double max_seconds;
	double join_spread; /* seconds over which a batch of members joins */
	double max_other;   /* % of one core other processes may use */
	double quiet_wait;  /* seconds to wait for that before a window */
	double perf_secs;   /* 0: no profile */
	const char *perf_dir;
	int perf_cpu;
};

extern struct opts o;

/* confbench.c */
double now(void);
void sleep_s(double s);
__attribute__((format(printf, 1, 2))) void note(const char *fmt, ...);

/* confbench_sys.c: this process's CPU ticks; the other processes' (a
 * busy neighbour spoils a measurement) and waiting for them to be quiet;
 * kernel drops on the engine's and the generator's sockets; RSS. */
long stat_ticks(const char *path);
void other_start(void);
long other_since(void);
double wait_quiet(double max_s);
void udp_drops(long *engine_drops, long *gen_drops);
long rcvbuf_errors(void);
long status_kb(const char *key);
void reset_peak_rss(void);

#endif
