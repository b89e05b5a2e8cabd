/* confbench.c - the conference mixer benchmark (issue 7): rooms of media
 * channels on one media worker in this process, fed over loopback by
 * bench/rtpgen.c in another; one JSON line per measured window. Run by
 * bench/conf.sh, which builds it (`make bench/confbench`), pins it and the
 * generator to different CPUs and reports the figures.
 *
 * usage: confbench --gen-in FIFO --gen-out FIFO --gen-ports A B [options]
 *
 * The generator (rtpgen A B MAX_SECONDS) reads its commands from --gen-in
 * and answers on --gen-out. Every member of a room is one media channel
 * (mchan_alloc, no app: ops NULL) whose remote is the generator's socket A
 * (B for the talkers that listen for their own voice, see below), joined
 * to its room with mixer_join(). In each room the first 3 members talk (a
 * 500, 900 and 1300 Hz tone at -10 dBFS) and the rest send silence frames;
 * every member sends 50 packets/s and the engine sends each one its mix
 * every 20 ms.
 *
 * Scenarios (--scenarios, comma separated):
 *   a     one room of 200 members, PCMU then G.722
 *   b     100 rooms of 4 members, PCMU then G.722
 *   ramp  rooms of --ramp-room members added step by step (--pcmu-steps,
 *         --g722-steps) until a step fails twice: tick p99.9 at or above
 *         --tick-limit-ms or loss at or above --loss-limit percent
 *
 * Per window: the process's CPU (utime + stime of /proc/self/stat), the
 * tick histogram of media_tick_stats(), the generator's counts (loss),
 * kernel drops on the engine's sockets and the generator's, RSS. To check
 * the mix is real, the first --mon-rooms rooms of a scenario have two
 * monitors: a silent member must hear the first talker's tone (about a
 * third of what it hears, with two other tones), and the first talker
 * must not hear its own (N-1).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "media/codec.h"
#include "media/mchan.h"
#include "media/media.h"
#include "media/mixer.h"
#include "bench/confbench.h"

#define TALKERS	       3
#define TONE_HZ_0      500
#define GEN_TIMEOUT_MS 30000
#define TE_PT	       101 /* telephone-event, as most phones offer it */

static const int talker_hz[TALKERS] = {TONE_HZ_0, 900, 1300};


struct member {
	struct mchan *ch;
	struct mport *port;
};

/* Everything in the engine now: rooms and members of the running
 * scenario. A member's index is its stream id in the generator. */
struct load {
	enum codec_id codec;
	struct mixer **rooms;
	int nrooms, rooms_cap;
	struct member *mem;
	int nmem, mem_cap;
	int mon_rooms_left;
};

struct opts o = {
    .port_min = 16000,
    .port_max = 31999,
    .secs = 20,
    .warm = 3,
    .ramp_secs = 8,
    .ramp_warm = 2,
    .pcmu_steps = "400 800 1000 1200 1400 1600 1800 2000 2400 3000",
    .g722_steps = "100 200 240 280 320 360 400 480 600",
    .ramp_room = 4,
    .max_steps = 12,
    .tick_limit_ms = 2.5,
    .loss_limit_pct = 0.1,
    .mon_rooms = 16,
    .scenarios = "a,b,ramp",
    .max_seconds = 900,
    .join_spread = 2,
    .max_other = 10,
    .quiet_wait = 60,
};

static struct media *engine;
static FILE *gin;
static int gout_fd = -1;
static double t_start;
static volatile pid_t perf_pid;

double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void sleep_s(double s)
{
	struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "confbench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "[conf %.0fs] ", now() - t_start);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

/* ---- the generator ---------------------------------------------------- */

static void gen_cmd(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(gin, fmt, ap);
	va_end(ap);
	fputc('\n', gin);
}

/* The generator's next line into buf (read from the raw descriptor, so
 * that poll() can bound the wait); dies if none comes in time. */
static void gen_line(char *buf, size_t len)
{
	static char rb[1 << 16];
	static size_t rn;
	struct pollfd p = {.fd = gout_fd, .events = POLLIN};

	fflush(gin);
	for (;;) {
		char *nl = memchr(rb, '\n', rn);
		ssize_t k;
		if (nl) {
			size_t n = (size_t)(nl - rb);
			size_t c = n < len - 1 ? n : len - 1;
			memcpy(buf, rb, c);
			buf[c] = 0;
			memmove(rb, nl + 1, rn - n - 1);
			rn -= n + 1;
			return;
		}
		if (rn == sizeof(rb))
			rn = 0; /* a line too long: dropped */
		if (poll(&p, 1, GEN_TIMEOUT_MS) <= 0)
			die("the generator did not answer in %d s",
			    GEN_TIMEOUT_MS / 1000);
		k = read(gout_fd, rb + rn, sizeof(rb) - rn);
		if (k == 0)
			die("the generator closed its output");
		if (k < 0 && errno != EINTR && errno != EAGAIN)
			die("reading the generator: %s", strerror(errno));
		if (k > 0)
			rn += (size_t)k;
	}
}

/* Waits until the generator has read every command sent so far. */
static void gen_sync(void)
{
	char buf[256];

	gen_cmd("ping");
	for (;;) {
		gen_line(buf, sizeof(buf));
		if (!strcmp(buf, "pong"))
			return;
	}
}

/* A number after "key": in a JSON text, or -1. */
static double jnum(const char *s, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	p = s ? strstr(s, pat) : NULL;
	return p ? strtod(p + strlen(pat), NULL) : -1;
}

/* ---- rooms and members ------------------------------------------------ */

static const char *codec_word(enum codec_id c)
{
	return c == CODEC_G722 ? "g722" : "pcmu";
}

static void *grow(void *p, int *cap, int want, size_t size)
{
	int c = *cap ? *cap : 64;

	if (want <= *cap)
		return p;
	while (c < want)
		c *= 2;
	p = realloc(p, (size_t)c * size);
	if (!p)
		die("out of memory");
	*cap = c;
	return p;
}

/* Adds nrooms rooms of per_room members each to the engine and the
 * generator. */
static void add_rooms(struct load *ld, int nrooms, int per_room)
{
	const struct codec_info *ci = codec_info(ld->codec);
	const char *cw = codec_word(ld->codec);
	/* Members join one by one over join_spread seconds, as callers
	 * would: what every channel does every N ticks (RTCP every 5 s)
	 * then falls on different ticks instead of all on one. */
	double t0 = now(), step = o.join_spread / (nrooms * per_room);
	int k = 0;

	ld->rooms = grow(ld->rooms, &ld->rooms_cap, ld->nrooms + nrooms,
			 sizeof(*ld->rooms));
	ld->mem = grow(ld->mem, &ld->mem_cap, ld->nmem + nrooms * per_room,
		       sizeof(*ld->mem));
	for (int r = 0; r < nrooms; r++) {
		struct mixer *mx;
		char tag[32];
		int mon = ld->mon_rooms_left > 0, err;

		snprintf(tag, sizeof(tag), "room-%d", ld->nrooms);
		if ((err = mixer_alloc(&mx, engine, tag)))
			die("mixer_alloc: %s", strerror(-err));
		ld->rooms[ld->nrooms++] = mx;
		if (mon)
			ld->mon_rooms_left--;
		for (int j = 0; j < per_room; j++) {
			struct member *mb = &ld->mem[ld->nmem];
			struct mchan_params p = {.codec = ld->codec,
						 .pt = ci->pt,
						 .te_pt = TE_PT,
						 .tag = tag};
			struct sockaddr_in *ra =
			    (struct sockaddr_in *)&p.remote;
			int talk = j < TALKERS;
			double due = t0 + step * k++;
			/* side 1: the first talker listening for itself;
			 * side 0: everyone else, the first silent member
			 * listening for the first talker */
			int self_mon = mon && j == 0;
			int heard_mon = mon && j == TALKERS;
			int side = self_mon ? 1 : 0;

			if (due > now())
				sleep_s(due - now());
			ra->sin_family = AF_INET;
			ra->sin_port = htons((uint16_t)o.gen_port[side]);
			inet_pton(AF_INET, "127.0.0.1", &ra->sin_addr);
			if ((err = mchan_alloc(&mb->ch, engine, &p, NULL, NULL,
					       NULL)))
				die("mchan_alloc (member %d): %s", ld->nmem,
				    strerror(-err));
			if ((err = mixer_join(mx, mb->ch, &mb->port)))
				die("mixer_join: %s", strerror(-err));
			gen_cmd("add %d %d %d %s %d %s %d -1 %d", ld->nmem,
				side, mchan_port(mb->ch), cw,
				talk ? talker_hz[j] : 0, cw, TONE_HZ_0,
				self_mon || heard_mon);
			ld->nmem++;
		}
	}
	gen_sync();
}

/* Takes every room and member down and waits until the engine has freed
 * their ports. */
static void clear_load(struct load *ld)
{
	double until;

	for (int i = 0; i < ld->nmem; i++) {
		mixer_leave(ld->mem[i].port);
		mchan_release(ld->mem[i].ch, NULL, NULL);
		gen_cmd("del %d", i);
	}
	for (int r = 0; r < ld->nrooms; r++)
		mixer_release(ld->rooms[r]);
	gen_sync();
	until = now() + 20;
	while (media_ports_in_use(engine) > 0 && now() < until)
		sleep_s(0.01);
	if (media_ports_in_use(engine) > 0)
		note("%d port pairs still in use 20 s after the release",
		     media_ports_in_use(engine));
	free(ld->rooms);
	free(ld->mem);
	memset(ld, 0, sizeof(*ld));
}

static uint64_t engine_rx(const struct load *ld)
{
	uint64_t n = 0;

	for (int i = 0; i < ld->nmem; i++) {
		struct mchan_stats st;
		mchan_stats(ld->mem[i].ch, &st);
		n += st.rx_pkts;
	}
	return n;
}

/* ---- one measured window ---------------------------------------------- */

struct verdict {
	int pass, gen_limited;
	int noisy; /* other processes used more than o.max_other */
	char why[256];
};

static void add_why(struct verdict *v, const char *fmt, ...)
{
	size_t k = strlen(v->why);
	va_list ap;

	if (k && k < sizeof(v->why) - 2) {
		v->why[k++] = ';';
		v->why[k++] = ' ';
		v->why[k] = 0;
	}
	va_start(ap, fmt);
	vsnprintf(v->why + k, sizeof(v->why) - k, fmt, ap);
	va_end(ap);
}

/* Measures `secs` with the load as it is; prints one JSON line. */
static struct verdict measure(const struct load *ld, const char *scenario,
			      int per_room, double secs, int attempt)
{
	static char g[8192];
	struct media_tick_stats ts;
	struct verdict v = {.pass = 1};
	long other, ed0, ed1, gd0, gd1, rb0, rb1, cpu0, cpu1, main0, main1;
	uint64_t rx0, rx1;
	double t0, t1, wall, hz = (double)sysconf(_SC_CLK_TCK), waited;

	waited = wait_quiet(o.quiet_wait);
	udp_drops(&ed0, &gd0);
	rb0 = rcvbuf_errors();
	other_start();
	/* From here to the end of the window this thread only sleeps: the
	 * process's CPU is the engine's. */
	gen_cmd("start");
	gen_sync();
	rx0 = engine_rx(ld);
	media_tick_stats_reset(engine);
	cpu0 = stat_ticks("/proc/self/stat");
	main0 = stat_ticks("/proc/thread-self/stat");
	t0 = now();
	sleep_s(secs);
	cpu1 = stat_ticks("/proc/self/stat");
	main1 = stat_ticks("/proc/thread-self/stat");
	t1 = now();
	media_tick_stats(engine, &ts);
	rx1 = engine_rx(ld);
	gen_cmd("stop");
	gen_line(g, sizeof(g));
	udp_drops(&ed1, &gd1);
	rb1 = rcvbuf_errors();
	other = other_since();

	wall = t1 - t0;
	double cpu_s = (double)(cpu1 - cpu0) / hz;
	double main_s = (double)(main1 - main0) / hz;
	double per_member_ms = 1000.0 * cpu_s / wall / ld->nmem;
	/* the two sides of the generator: side 0 every member but the
	 * self-monitors, side 1 those */
	const char *s0 = strstr(g, "{\"streams\"");
	const char *s1 = s0 ? strstr(s0 + 1, "{\"streams\"") : NULL;
	double tx = jnum(s0, "tx") + jnum(s1, "tx");
	double rx = jnum(s0, "rx") + jnum(s1, "rx");
	double lost = jnum(s0, "lost") + jnum(s1, "lost");
	double deficit = jnum(s0, "deficit") + jnum(s1, "deficit");
	double silent = jnum(s0, "silent") + jnum(s1, "silent");
	double late = jnum(s0, "late") + jnum(s1, "late");
	double heard_min = jnum(s0, "tone_ratio_min");
	double self_max = jnum(s1, "tone_ratio_max");
	double mon = jnum(s0, "mon") + jnum(s1, "mon");
	double out_missing = deficit > lost ? deficit : lost;
	/* what the engine's 20 ms clock owed the members in the window */
	double owed = ld->nmem * wall / 0.020;
	double loss_out = 100.0 * out_missing / owed;
	double loss_in = tx > 0 ? 100.0 * (double)(ed1 - ed0) / tx : 100;
	double loss = loss_out > loss_in ? loss_out : loss_in;
	double gen_cpu = jnum(g, "gen_cpu");
	long skipped = (long)jnum(g, "skipped_ticks");
	long send_err = (long)jnum(g, "send_err");

	if (!s0 || !s1)
		die("cannot read the generator's window: %s", g);
	double other_pct = 100.0 * (double)other / hz / wall;

	v.noisy = other_pct > o.max_other;
	if ((double)ts.p999_us >= o.tick_limit_ms * 1000) {
		v.pass = 0;
		add_why(&v, "tick p99.9 %.1f ms", ts.p999_us / 1000.0);
	}
	if (loss >= o.loss_limit_pct) {
		v.pass = 0;
		add_why(&v, "loss %.3f%%", loss);
	}
	if (silent > 0) {
		v.pass = 0;
		add_why(&v, "%.0f members heard nothing", silent);
	}
	if (mon > 0 && (heard_min < 0.2 || self_max > 0.05)) {
		v.pass = 0;
		add_why(&v,
			"mix wrong: first talker's share %.2f at a "
			"listener (want > 0.2), own tone %.2f (want < 0.05)",
			heard_min, self_max);
	}
	if (skipped > 0 || send_err > 0 || gen_cpu > 90) {
		v.pass = 0;
		v.gen_limited = 1;
		add_why(&v,
			"generator behind (cpu %.0f%%, %ld ticks skipped, "
			"%ld send errors)",
			gen_cpu, skipped, send_err);
	}
	printf("{\"scenario\": \"%s\", \"codec\": \"%s\", \"rooms\": %d, "
	       "\"per_room\": %d, \"members\": %d, \"talkers_per_room\": %d, "
	       "\"attempt\": %d, \"wall\": %.3f, \"cpu_s\": %.3f, "
	       "\"cpu_pct\": %.1f, \"main_thread_cpu_s\": %.3f, "
	       "\"cpu_ms_per_member_s\": %.4f, \"members_per_core\": %.0f, "
	       "\"ticks\": %llu, \"tick_p50_us\": %ld, \"tick_p99_us\": %ld, "
	       "\"tick_p999_us\": %ld, \"tick_max_us\": %ld, "
	       "\"gen_tx\": %.0f, \"gen_rx\": %.0f, \"engine_rx\": %llu, "
	       "\"seq_lost\": %.0f, \"deficit\": %.0f, \"late\": %.0f, "
	       "\"silent\": %.0f, \"loss_pct\": %.4f, \"loss_out_pct\": %.4f, "
	       "\"loss_in_pct\": %.4f, \"drops_engine\": %ld, "
	       "\"drops_gen\": %ld, \"rcvbuf_errors\": %ld, "
	       "\"monitors\": %.0f, \"heard_share_min\": %.3f, "
	       "\"own_share_max\": %.3f, \"level_dbfs\": %.1f, "
	       "\"gen_cpu\": %.1f, \"gen_skipped_ticks\": %ld, "
	       "\"other_cpu_pct\": %.1f, \"quiet_wait_s\": %.0f, "
	       "\"rss_kb\": %ld, \"hwm_kb\": %ld, \"pass\": %s, "
	       "\"gen_limited\": %s, \"noisy\": %s, \"why\": \"%s\", "
	       "\"gen\": %s}\n",
	       scenario, codec_word(ld->codec), ld->nrooms, per_room, ld->nmem,
	       TALKERS, attempt, wall, cpu_s, 100.0 * cpu_s / wall, main_s,
	       per_member_ms, per_member_ms > 0 ? 1000.0 / per_member_ms : 0,
	       (unsigned long long)ts.ticks, ts.p50_us, ts.p99_us, ts.p999_us,
	       ts.max_us, tx, rx, (unsigned long long)(rx1 - rx0), lost,
	       deficit, late, silent, loss, loss_out, loss_in, ed1 - ed0,
	       gd1 - gd0, rb1 - rb0, mon, heard_min, self_max,
	       jnum(s0, "level_dbfs"), gen_cpu, skipped, other_pct, waited,
	       status_kb("VmRSS"), status_kb("VmHWM"),
	       v.pass ? "true" : "false", v.gen_limited ? "true" : "false",
	       v.noisy ? "true" : "false", v.why, g);
	fflush(stdout);
	note("%s %s %d members (%d room%s): cpu %.1f%% = %.3f ms/s per member "
	     "(%.0f per core), tick p50/p99/p99.9/max %.2f/%.2f/%.2f/%.2f ms, "
	     "loss %.4f%%, other load %.0f%%%s%s",
	     scenario, codec_word(ld->codec), ld->nmem, ld->nrooms,
	     ld->nrooms == 1 ? "" : "s", 100.0 * cpu_s / wall, per_member_ms,
	     per_member_ms > 0 ? 1000.0 / per_member_ms : 0, ts.p50_us / 1000.0,
	     ts.p99_us / 1000.0, ts.p999_us / 1000.0, ts.max_us / 1000.0, loss,
	     other_pct, v.pass ? "" : ": FAIL ", v.why);
	return v;
}

/* ---- profile ---------------------------------------------------------- */

/* With the load still up after a window: `perf record` of this process
 * for perf_secs, run on perf_cpu (not the engine's), DWARF call graphs,
 * into perf_dir/perf_NAME.data; conf.sh makes the reports. */
static void profile(const char *name, const struct load *ld)
{
	char out[512], secs[32], pid[32];
	int status;
	pid_t p;

	if (o.perf_secs <= 0 || !o.perf_dir)
		return;
	snprintf(out, sizeof(out), "%s/perf_%s.data", o.perf_dir, name);
	snprintf(secs, sizeof(secs), "%g", o.perf_secs);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	fflush(stdout);
	fflush(stderr);
	p = fork();
	if (p < 0) {
		note("fork: %s", strerror(errno));
		return;
	}
	if (p == 0) {
		cpu_set_t set;
		int null = open("/dev/null", O_WRONLY);
		CPU_ZERO(&set);
		CPU_SET(o.perf_cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execlp("perf", "perf", "record", "-q", "-e", "cpu-clock", "-F",
		       "999", "--call-graph", "dwarf,16384", "-p", pid, "-o",
		       out, "--", "sleep", secs, (char *)NULL);
		_exit(127);
	}
	perf_pid = p;
	while (waitpid(p, &status, 0) < 0 && errno == EINTR)
		;
	perf_pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		note("perf record failed (status %d)", status);
		return;
	}
	printf("{\"profile\": \"%s\", \"name\": \"%s\", \"codec\": \"%s\", "
	       "\"rooms\": %d, \"members\": %d, \"secs\": %g}\n",
	       out, name, codec_word(ld->codec), ld->nrooms, ld->nmem,
	       o.perf_secs);
	fflush(stdout);
}

/* conf.sh's trap ends this process with SIGTERM: a profiler still
 * running is ended too. */
static void on_term(int sig)
{
	if (perf_pid > 0)
		kill(perf_pid, SIGTERM);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* ---- scenarios -------------------------------------------------------- */

static int want(const char *name)
{
	const char *p = o.scenarios;
	size_t k = strlen(name);

	while ((p = strstr(p, name))) {
		if ((p == o.scenarios || p[-1] == ',') &&
		    (p[k] == 0 || p[k] == ','))
			return 1;
		p += k;
	}
	return 0;
}

static int budget_left(double need)
{
	return now() - t_start + need <= o.max_seconds;
}

static void fixed(const char *name, enum codec_id codec, int nrooms,
		  int per_room)
{
	struct load ld = {.codec = codec, .mon_rooms_left = o.mon_rooms};
	struct verdict v;
	char tag[64];

	if (!budget_left(o.warm + o.secs + o.perf_secs + 5)) {
		note("%s %s skipped: time budget", name, codec_word(codec));
		printf("{\"scenario\": \"%s\", \"codec\": \"%s\", "
		       "\"skipped\": \"time budget\"}\n",
		       name, codec_word(codec));
		return;
	}
	reset_peak_rss();
	add_rooms(&ld, nrooms, per_room);
	note("%s %s: %d room%s of %d up; %.0f s warm-up", name,
	     codec_word(codec), nrooms, nrooms == 1 ? "" : "s", per_room,
	     o.warm);
	sleep_s(o.warm);
	/* foreign load spoils the window: up to two more, same members */
	v = measure(&ld, name, per_room, o.secs, 1);
	for (int a = 2; v.noisy && a <= 3; a++)
		v = measure(&ld, name, per_room, o.secs, a);
	snprintf(tag, sizeof(tag), "%s_%s", name, codec_word(codec));
	profile(tag, &ld);
	clear_load(&ld);
}

/* Rooms of ramp_room members until a step fails twice. */
static void ramp(enum codec_id codec, const char *steps)
{
	struct load ld = {.codec = codec, .mon_rooms_left = o.mon_rooms};
	const char *p = steps;
	int nsteps = 0, best = 0;
	char prof[32];

	snprintf(prof, sizeof(prof), "ramp_%s", codec_word(codec));
	reset_peak_rss();
	while (*p && nsteps < o.max_steps) {
		char *end;
		long n = strtol(p, &end, 10);
		struct verdict v;
		int rooms;

		if (end == p)
			break;
		p = end;
		if (n <= ld.nmem)
			continue;
		if (!budget_left(2 * (o.ramp_warm + o.ramp_secs) + o.perf_secs +
				 5)) {
			note("ramp %s stopped at %ld: time budget",
			     codec_word(codec), n);
			printf("{\"scenario\": \"ramp\", \"codec\": \"%s\", "
			       "\"members\": %ld, \"skipped\": \"time "
			       "budget\"}\n",
			       codec_word(codec), n);
			break;
		}
		nsteps++;
		rooms = (int)((n - ld.nmem + o.ramp_room - 1) / o.ramp_room);
		add_rooms(&ld, rooms, o.ramp_room);
		sleep_s(o.ramp_warm);
		v = measure(&ld, "ramp", o.ramp_room, o.ramp_secs, 1);
		/* a shared machine has noise: a failing step once more with
		 * the same members, twice more if foreign load was seen */
		for (int a = 2; !v.pass && (a <= 2 || (v.noisy && a <= 3)); a++)
			v = measure(&ld, "ramp", o.ramp_room, o.ramp_secs, a);
		if (!v.pass)
			break;
		best = ld.nmem;
		/* the highest passing step's profile is the one kept */
		profile(prof, &ld);
	}
	note("ramp %s: highest passing step %d members", codec_word(codec),
	     best);
	clear_load(&ld);
}

/* ---- main ------------------------------------------------------------- */

static void usage(void)
{
	fprintf(
	    stderr,
	    "usage: confbench --gen-in FIFO --gen-out FIFO --gen-ports A B\n"
	    "  [--gen-pid PID] [--ports LO-HI] [--secs S] [--warm S]\n"
	    "  [--ramp-secs S] [--ramp-warm S] [--pcmu-steps \"N ...\"]\n"
	    "  [--g722-steps \"N ...\"] [--ramp-room N] [--max-steps N]\n"
	    "  [--tick-limit-ms MS] [--loss-limit PCT] [--mon-rooms N]\n"
	    "  [--scenarios a,b,ramp] [--max-seconds S]\n"
	    "  [--perf-secs S --perf-dir DIR [--perf-cpu N]]\n"
	    "  [--max-other PCT] [--quiet-wait S] [--join-spread S]\n");
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	static const struct option lo[] = {{"gen-in", 1, NULL, 'i'},
					   {"gen-out", 1, NULL, 'o'},
					   {"gen-ports", 1, NULL, 'g'},
					   {"gen-pid", 1, NULL, 'P'},
					   {"ports", 1, NULL, 'p'},
					   {"secs", 1, NULL, 's'},
					   {"warm", 1, NULL, 'w'},
					   {"ramp-secs", 1, NULL, 'S'},
					   {"ramp-warm", 1, NULL, 'W'},
					   {"pcmu-steps", 1, NULL, 'u'},
					   {"g722-steps", 1, NULL, 'G'},
					   {"ramp-room", 1, NULL, 'r'},
					   {"max-steps", 1, NULL, 'm'},
					   {"tick-limit-ms", 1, NULL, 't'},
					   {"loss-limit", 1, NULL, 'l'},
					   {"mon-rooms", 1, NULL, 'M'},
					   {"scenarios", 1, NULL, 'c'},
					   {"max-seconds", 1, NULL, 'x'},
					   {"perf-secs", 1, NULL, 'f'},
					   {"perf-dir", 1, NULL, 'd'},
					   {"perf-cpu", 1, NULL, 'C'},
					   {"max-other", 1, NULL, 'O'},
					   {"quiet-wait", 1, NULL, 'Q'},
					   {"join-spread", 1, NULL, 'J'},
					   {NULL, 0, NULL, 0}};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'i':
			o.gen_in = optarg;
			break;
		case 'o':
			o.gen_out = optarg;
			break;
		case 'g':
			/* "A B" in one argument, or A with B the next one */
			if (sscanf(optarg, "%d %d", &o.gen_port[0],
				   &o.gen_port[1]) != 2) {
				if (optind >= argc)
					usage();
				o.gen_port[1] = atoi(argv[optind++]);
			}
			break;
		case 'P':
			o.gen_pid = atoi(optarg);
			break;
		case 'p':
			if (sscanf(optarg, "%d-%d", &o.port_min, &o.port_max) !=
			    2)
				usage();
			break;
		case 's':
			o.secs = atof(optarg);
			break;
		case 'w':
			o.warm = atof(optarg);
			break;
		case 'S':
			o.ramp_secs = atof(optarg);
			break;
		case 'W':
			o.ramp_warm = atof(optarg);
			break;
		case 'u':
			o.pcmu_steps = optarg;
			break;
		case 'G':
			o.g722_steps = optarg;
			break;
		case 'r':
			o.ramp_room = atoi(optarg);
			break;
		case 'm':
			o.max_steps = atoi(optarg);
			break;
		case 't':
			o.tick_limit_ms = atof(optarg);
			break;
		case 'l':
			o.loss_limit_pct = atof(optarg);
			break;
		case 'M':
			o.mon_rooms = atoi(optarg);
			break;
		case 'c':
			o.scenarios = optarg;
			break;
		case 'x':
			o.max_seconds = atof(optarg);
			break;
		case 'f':
			o.perf_secs = atof(optarg);
			break;
		case 'd':
			o.perf_dir = optarg;
			break;
		case 'C':
			o.perf_cpu = atoi(optarg);
			break;
		case 'O':
			o.max_other = atof(optarg);
			break;
		case 'Q':
			o.quiet_wait = atof(optarg);
			break;
		case 'J':
			o.join_spread = atof(optarg);
			break;
		default:
			usage();
		}
	}
	if (!o.gen_in || !o.gen_out || o.gen_port[0] <= 0 ||
	    o.gen_port[1] <= 0 || o.secs <= 0 || o.ramp_secs <= 0 ||
	    o.ramp_room < TALKERS + 1 || o.max_steps < 1)
		usage();
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	char line[256];
	int err;

	t_start = now();
	parse_args(argc, argv);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	log_set_level(LOGL_WARN);
	/* two sockets per member */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* The generator opens its input first, then its output: the same
	 * order here, or both would wait on the other's FIFO. */
	if (!(gin = fopen(o.gen_in, "w")) ||
	    (gout_fd = open(o.gen_out, O_RDONLY | O_CLOEXEC)) < 0)
		die("opening the generator's FIFOs: %s", strerror(errno));
	gen_line(line, sizeof(line));
	if (strcmp(line, "ready"))
		die("the generator said \"%s\", not ready", line);
	if ((err =
		 media_alloc(&engine, "127.0.0.1", o.port_min, o.port_max, 1)))
		die("media_alloc: %s", strerror(-err));
	note("engine up: 1 worker, ports %d-%d, generator ports %d/%d",
	     o.port_min, o.port_max, o.gen_port[0], o.gen_port[1]);

	for (int k = 0; k < 2; k++) {
		enum codec_id c = k ? CODEC_G722 : CODEC_PCMU;
		if (want("a"))
			fixed("a", c, 1, 200);
		if (want("b"))
			fixed("b", c, 100, 4);
	}
	if (want("ramp")) {
		ramp(CODEC_PCMU, o.pcmu_steps);
		ramp(CODEC_G722, o.g722_steps);
	}
	media_free(engine);
	gen_cmd("quit");
	fflush(gin);
	note("done");
	return 0;
}
