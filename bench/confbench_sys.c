/* confbench_sys.c - what bench/confbench reads of the system: CPU ticks
 * from /proc, other processes' load, kernel drops on UDP sockets, peak
 * RSS (confbench.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/confbench.h"

#define MAX_INODES 65536

/* ---- /proc ------------------------------------------------------------ */

/* utime + stime in clock ticks of a /proc/.../stat file, with cutime +
 * cstime (children that ended and were waited for) if `children`; or -1. */
static long stat_ticks_of(const char *path, int children)
{
	char buf[1024], *p;
	unsigned long ut, st;
	long cut, cst;
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%lu %lu %ld %ld",
			 &ut, &st, &cut, &cst) != 4)
		return -1;
	return (long)(ut + st) + (children ? cut + cst : 0);
}

long stat_ticks(const char *path)
{
	return stat_ticks_of(path, 0);
}

/* CPU ticks of every other process, to tell the machine's foreign load:
 * a snapshot, sorted by pid. */
struct pid_ticks {
	int pid;
	long ticks;
};

static int cmp_pid(const void *a, const void *b)
{
	return ((const struct pid_ticks *)a)->pid -
	       ((const struct pid_ticks *)b)->pid;
}

static int others(struct pid_ticks *v, int cap)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[64];
	int n = 0, self = getpid();

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < cap) {
		int pid = atoi(e->d_name);
		long t;
		if (pid <= 0 || pid == self || pid == o.gen_pid)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		/* with their waited-for children: the short commands of a
		 * test suite count too */
		if ((t = stat_ticks_of(path, 1)) >= 0)
			v[n++] = (struct pid_ticks){pid, t};
	}
	closedir(d);
	qsort(v, (size_t)n, sizeof(*v), cmp_pid);
	return n;
}

#define MAX_PIDS 32768
static struct pid_ticks snap0[MAX_PIDS], snap1[MAX_PIDS];
static int nsnap0;

void other_start(void)
{
	nsnap0 = others(snap0, MAX_PIDS);
}

/* Ticks other processes used since other_start(). Counted with the
 * children they waited for, so that a test suite's short commands count
 * too: a process that ended in the window shows up whole in its parent's
 * children times, hence what it had used before the window is taken off
 * again. Processes that started in the window count whole. */
long other_since(void)
{
	int n = others(snap1, MAX_PIDS);
	long sum = 0;

	for (int i = 0; i < n; i++) {
		struct pid_ticks *a = bsearch(&snap1[i], snap0, (size_t)nsnap0,
					      sizeof(snap0[0]), cmp_pid);
		sum += snap1[i].ticks - (a ? a->ticks : 0);
	}
	for (int i = 0; i < nsnap0; i++)
		if (!bsearch(&snap0[i], snap1, (size_t)n, sizeof(snap1[0]),
			     cmp_pid))
			sum -= snap0[i].ticks;
	return sum > 0 ? sum : 0;
}

/* Waits up to max_s for a second in which other processes use less than
 * o.max_other percent of one core; returns the seconds waited. */
double wait_quiet(double max_s)
{
	double t0 = now(), hz = (double)sysconf(_SC_CLK_TCK);

	for (;;) {
		double busy;
		other_start();
		sleep_s(1);
		busy = 100.0 * (double)other_since() / hz;
		if (busy < o.max_other || now() - t0 >= max_s)
			return now() - t0 - 1;
	}
}

static unsigned long inodes[MAX_INODES];
static int ninodes;

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a,
		      y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

/* The inodes of this process's sockets (the engine's RTP and RTCP). */
static void own_sockets(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[300], link[64];

	ninodes = 0;
	if (!d)
		return;
	while ((e = readdir(d)) && ninodes < MAX_INODES) {
		ssize_t n;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		if (!strncmp(link, "socket:[", 8))
			inodes[ninodes++] = strtoul(link + 8, NULL, 10);
	}
	closedir(d);
	qsort(inodes, (size_t)ninodes, sizeof(inodes[0]), cmp_ul);
}

/* Kernel drops on the engine's sockets and on the generator's (by local
 * port on 127.0.0.1), from /proc/net/udp. */
void udp_drops(long *engine_drops, long *gen_drops)
{
	FILE *f = fopen("/proc/net/udp", "r");
	char line[512];

	*engine_drops = *gen_drops = 0;
	if (!f)
		return;
	own_sockets();
	if (!fgets(line, sizeof(line), f)) { /* the header */
		fclose(f);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned port;
		unsigned long inode, drops;
		if (sscanf(line,
			   " %*d: %*x:%x %*x:%*x %*x %*x:%*x %*x:%*x %*x "
			   "%*u %*u %lu %*u %*x %lu",
			   &port, &inode, &drops) != 3)
			continue;
		if (bsearch(&inode, inodes, (size_t)ninodes, sizeof(inodes[0]),
			    cmp_ul))
			*engine_drops += (long)drops;
		else if (port == (unsigned)o.gen_port[0] ||
			 port == (unsigned)o.gen_port[1] ||
			 port == (unsigned)o.gen_port[0] + 1 ||
			 port == (unsigned)o.gen_port[1] + 1)
			*gen_drops += (long)drops;
	}
	fclose(f);
}

/* The machine's UDP RcvbufErrors (/proc/net/snmp). */
long rcvbuf_errors(void)
{
	FILE *f = fopen("/proc/net/snmp", "r");
	char head[1024], vals[1024];
	long v = 0;

	if (!f)
		return 0;
	while (fgets(head, sizeof(head), f)) {
		char *h, *x, *sh, *sv;
		if (strncmp(head, "Udp:", 4) || !fgets(vals, sizeof(vals), f))
			continue;
		h = strtok_r(head, " \n", &sh);
		x = strtok_r(vals, " \n", &sv);
		while (h && x) {
			if (!strcmp(h, "RcvbufErrors"))
				v = atol(x);
			h = strtok_r(NULL, " \n", &sh);
			x = strtok_r(NULL, " \n", &sv);
		}
		break;
	}
	fclose(f);
	return v;
}

/* VmRSS or VmHWM of this process in kB. */
long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	size_t k = strlen(key);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, k) && line[k] == ':')
			v = atol(line + k + 1);
	fclose(f);
	return v;
}

/* Peak RSS from now on: VmHWM back to the current RSS (Linux >= 4.0). */
void reset_peak_rss(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "5", 1) < 0)
			note("clear_refs: %s", strerror(errno));
		close(fd);
	}
}

