/* rtpgen.c - Ondo bench: RTP load generator and counter for the media
 * benchmarks (bench/media.sh, bench/conf.sh). Built at run time:
 *
 *     gcc -O2 -o rtpgen bench/rtpgen.c -lspandsp -lm
 *
 * usage: rtpgen PORT_A PORT_B MAX_SECONDS
 *
 * Binds 127.0.0.1:PORT_A (callers' RTP) and PORT_B (callees' RTP), plus
 * PORT_A+1 and PORT_B+1 (RTCP, counted and discarded). Every stream of a
 * side sends from and receives on its side's socket: the SDP of every
 * caller names PORT_A, of every callee PORT_B, and the PBX port a packet
 * comes from tells which stream it belongs to (every PBX port is unique).
 * The PBX still has its own socket pair per call side, as with real phones.
 *
 * Streams send one 172-byte RTP packet (12 + 160: PCMU or G.722, 20 ms)
 * every 20 ms; their phases are spread over the 20 ms in 1 ms slots, as
 * phones that are not synchronised would be. Sends are batched with
 * sendmmsg, receives with recvmmsg, one thread, non-blocking sockets.
 *
 * Commands, one a line on stdin (the driver is bench/media_ramp.py):
 *   add ID SIDE DPORT TXCODEC TXHZ RXCODEC RXHZ PEER MON
 *        stream ID (0..MAXS-1) on SIDE (0 = A, 1 = B) sends a sine of TXHZ
 *        (0: silence frames) in TXCODEC (pcmu|g722) to 127.0.0.1:DPORT and
 *        receives what comes from DPORT. PEER >= 0: the packets must be the
 *        peer stream's own, byte for byte (raw relay: SSRC and payload are
 *        checked); MON = 1: decode what comes in (RXCODEC) and measure the
 *        RXHZ tone in it (its share of the received energy, the smallest
 *        and largest share over a side's monitored streams are reported).
 *   del ID        stop the stream
 *   start         start a measurement window (zeroes the window counters)
 *   stop          end the window and print its figures as one JSON line
 *   ping          prints "pong" (synchronisation)
 *   quit
 * stdin closing, or MAX_SECONDS passing, ends the program too.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <spandsp.h>

#define MAXS 20000	/* streams */
#define SLOTS 20	/* 1 ms slots in a 20 ms frame */
#define BATCH 64
#define FRAME 160	/* payload bytes: 20 ms of PCMU or G.722 (64 kbit/s) */
#define NFRAMES 50	/* one second of tone, played in a loop */
#define PKT (12 + FRAME)
#define MAXTAB 8
#define LATE_GAP 0.050	/* an interarrival above this is a "late" packet */

enum { C_PCMU, C_G722 };

struct table {			/* one second of a tone in one codec */
	int codec, hz;
	uint8_t frame[NFRAMES][FRAME];
};

struct win {			/* per stream, for the current window */
	long tx, rx, lost, dup, late, misrouted, corrupt, other_pt;
	double first, last, maxgap;
	double tone, energy;	/* MON: Goertzel power, total power */
	long mon_frames;
};

struct stream {
	int used, side, peer, mon, rxcodec, rxhz;
	int slot, slot_pos;
	struct sockaddr_in dst;
	int dport;
	uint16_t seq;
	uint32_t ts, ssrc;
	const struct table *tx;
	int have_rx;
	uint16_t last_seq;
	g722_decode_state_t *dec;
	struct win w;
};

static struct stream S[MAXS];
static int portmap[65536];	/* PBX port -> stream id, -1 */
static int slot_list[SLOTS][MAXS];
static int slot_n[SLOTS];
static struct table tabs[MAXTAB];
static int ntabs;
static int fd_rtp[2], fd_rtcp[2];
static int in_window;
static double win_t0, win_cpu0;
/* whole-window counters not tied to a stream */
static long w_unknown, w_bad, w_rtcp, w_send_err, w_late_ticks, w_skipped;
static double w_max_tick_late;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return r.ru_utime.tv_sec + r.ru_utime.tv_usec / 1e6 +
	       r.ru_stime.tv_sec + r.ru_stime.tv_usec / 1e6;
}

static const struct table *table_for(int codec, int hz)
{
	for (int i = 0; i < ntabs; i++)
		if (tabs[i].codec == codec && tabs[i].hz == hz)
			return &tabs[i];
	if (ntabs == MAXTAB)
		return &tabs[0];
	struct table *t = &tabs[ntabs++];
	t->codec = codec;
	t->hz = hz;
	if (codec == C_PCMU) {
		for (int f = 0; f < NFRAMES; f++)
			for (int i = 0; i < FRAME; i++) {
				double x = sin(2 * M_PI * hz * (f * FRAME + i) / 8000.0);
				t->frame[f][i] = linear_to_ulaw((int)(10000 * x));
			}
	} else {
		/* G.722 at 64 kbit/s: 320 samples at 16 kHz -> 160 bytes */
		static int16_t pcm[16000];
		uint8_t out[8000];
		g722_encode_state_t *e = g722_encode_init(NULL, 64000, 0);
		for (int i = 0; i < 16000; i++)
			pcm[i] = (int16_t)(10000 * sin(2 * M_PI * hz * i / 16000.0));
		/* twice, so that the looped second starts from an adapted state */
		g722_encode(e, out, pcm, 16000);
		g722_encode(e, out, pcm, 16000);
		g722_encode_free(e);
		memcpy(t->frame, out, sizeof(t->frame));
	}
	return t;
}

static int codec_of(const char *s)
{
	return !strcmp(s, "g722") ? C_G722 : C_PCMU;
}

static int sock(int port, int sz)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};

	if (s < 0) {
		perror("socket");
		exit(1);
	}
	/* FORCE works as root beyond rmem_max; otherwise the plain one */
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof sz))
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
	if (setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof sz))
		setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (bind(s, (struct sockaddr *)&a, sizeof a)) {
		fprintf(stderr, "rtpgen: bind %d: %s\n", port, strerror(errno));
		exit(1);
	}
	return s;
}

static void slot_add(int id)
{
	int sl = (int)(((unsigned)id * 7u) % SLOTS);
	S[id].slot = sl;
	S[id].slot_pos = slot_n[sl];
	slot_list[sl][slot_n[sl]++] = id;
}

static void slot_del(int id)
{
	int sl = S[id].slot, pos = S[id].slot_pos, last = slot_list[sl][--slot_n[sl]];
	slot_list[sl][pos] = last;
	S[last].slot_pos = pos;
}

static void cmd_add(char *args)
{
	int id, side, dport, txhz, rxhz, peer, mon;
	char txc[8], rxc[8];

	if (sscanf(args, "%d %d %d %7s %d %7s %d %d %d", &id, &side, &dport, txc,
		   &txhz, rxc, &rxhz, &peer, &mon) != 9 ||
	    id < 0 || id >= MAXS || side < 0 || side > 1 || dport <= 0 ||
	    dport > 65535 || peer >= MAXS) {
		fprintf(stderr, "rtpgen: bad add: %s\n", args);
		return;
	}
	struct stream *s = &S[id];
	if (s->used) {
		portmap[s->dport] = -1;
		slot_del(id);
	}
	if (s->dec)
		g722_decode_free(s->dec);
	memset(s, 0, sizeof(*s));
	s->used = 1;
	s->side = side;
	s->peer = peer;
	s->mon = mon;
	s->rxcodec = codec_of(rxc);
	s->rxhz = rxhz;
	s->dport = dport;
	s->dst.sin_family = AF_INET;
	s->dst.sin_port = htons(dport);
	inet_pton(AF_INET, "127.0.0.1", &s->dst.sin_addr);
	s->ssrc = 0x50000000u + (uint32_t)id;
	s->seq = (uint16_t)(id * 31);
	s->ts = 0;
	s->tx = table_for(codec_of(txc), txhz);
	if (mon && s->rxcodec == C_G722)
		s->dec = g722_decode_init(NULL, 64000, 0);
	portmap[dport] = id;
	slot_add(id);
}

static void cmd_del(int id)
{
	if (id < 0 || id >= MAXS || !S[id].used)
		return;
	if (portmap[S[id].dport] == id)
		portmap[S[id].dport] = -1;
	slot_del(id);
	S[id].used = 0;
	if (S[id].dec) {
		g722_decode_free(S[id].dec);
		S[id].dec = NULL;
	}
}

/* ---- sending ---- */

static uint8_t pkts[2][BATCH][PKT];
static struct mmsghdr mh[2][BATCH];
static struct iovec iov[2][BATCH];
static int nq[2];

static void flush(int side)
{
	int off = 0;

	while (off < nq[side]) {
		int r = sendmmsg(fd_rtp[side], mh[side] + off, nq[side] - off, MSG_DONTWAIT);
		if (r <= 0) {
			if (in_window)
				w_send_err += nq[side] - off;
			break;
		}
		off += r;
	}
	nq[side] = 0;
}

static void send_stream(struct stream *s)
{
	int side = s->side, i = nq[side];
	uint8_t *p = pkts[side][i];
	uint32_t fidx = (s->ts / FRAME) % NFRAMES;

	p[0] = 0x80;
	p[1] = (uint8_t)(s->tx->codec == C_G722 ? 9 : 0);
	p[2] = (uint8_t)(s->seq >> 8);
	p[3] = (uint8_t)s->seq;
	p[4] = (uint8_t)(s->ts >> 24);
	p[5] = (uint8_t)(s->ts >> 16);
	p[6] = (uint8_t)(s->ts >> 8);
	p[7] = (uint8_t)s->ts;
	p[8] = (uint8_t)(s->ssrc >> 24);
	p[9] = (uint8_t)(s->ssrc >> 16);
	p[10] = (uint8_t)(s->ssrc >> 8);
	p[11] = (uint8_t)s->ssrc;
	memcpy(p + 12, s->tx->frame[fidx], FRAME);
	iov[side][i].iov_base = p;
	iov[side][i].iov_len = PKT;
	memset(&mh[side][i], 0, sizeof(mh[side][i]));
	mh[side][i].msg_hdr.msg_iov = &iov[side][i];
	mh[side][i].msg_hdr.msg_iovlen = 1;
	mh[side][i].msg_hdr.msg_name = &s->dst;
	mh[side][i].msg_hdr.msg_namelen = sizeof(s->dst);
	s->seq++;
	s->ts += FRAME; /* 8 kHz RTP clock for both codecs (RFC 3551) */
	if (in_window)
		s->w.tx++;
	if (++nq[side] == BATCH)
		flush(side);
}

static void send_slot(int sl)
{
	for (int k = 0; k < slot_n[sl]; k++)
		send_stream(&S[slot_list[sl][k]]);
	flush(0);
	flush(1);
}

/* ---- receiving ---- */

static void tone_feed(struct stream *s, const int16_t *x, int n, double fs)
{
	double k = 2 * cos(2 * M_PI * s->rxhz / fs), s1 = 0, s2 = 0, e = 0;

	for (int i = 0; i < n; i++) {
		double v = x[i] / 32768.0, s0 = v + k * s1 - s2;
		s2 = s1;
		s1 = s0;
		e += v * v;
	}
	double pw = s1 * s1 + s2 * s2 - k * s1 * s2;
	/* a pure tone on a bin: pw = (A N / 2)^2, e = A^2 N / 2 -> ratio 1 */
	s->w.tone += pw / (n / 2.0);
	s->w.energy += e;
	s->w.mon_frames++;
}

static void on_rtp(int side, const uint8_t *b, int len, int sport, double t)
{
	int id = portmap[sport];
	struct stream *s;

	if (len < 12 || (b[0] >> 6) != 2) {
		if (in_window)
			w_bad++;
		return;
	}
	if (id < 0 || !S[id].used || S[id].side != side) {
		if (in_window)
			w_unknown++;
		return;
	}
	s = &S[id];
	int cc = b[0] & 15, pt = b[1] & 127;
	uint16_t seq = (uint16_t)(b[2] << 8 | b[3]);
	uint32_t ts = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
	uint32_t ssrc = (uint32_t)b[8] << 24 | (uint32_t)b[9] << 16 | (uint32_t)b[10] << 8 | b[11];
	const uint8_t *pl = b + 12 + 4 * cc;
	int plen = len - 12 - 4 * cc;

	if (!s->have_rx) {
		s->have_rx = 1;
		s->last_seq = (uint16_t)(seq - 1);
	}
	int16_t d = (int16_t)(seq - s->last_seq);
	if (d > 0)
		s->last_seq = seq;
	if (!in_window)
		return;
	if (d > 1)
		s->w.lost += d - 1;
	else if (d <= 0)
		s->w.dup++;
	s->w.rx++;
	if (s->w.first == 0)
		s->w.first = t;
	else if (t - s->w.last > LATE_GAP)
		s->w.late++;
	if (s->w.last > 0 && t - s->w.last > s->w.maxgap)
		s->w.maxgap = t - s->w.last;
	s->w.last = t;
	if (s->peer >= 0) {
		/* raw relay: the peer's very packet */
		const struct stream *p = &S[s->peer];
		if (!p->used || ssrc != p->ssrc)
			s->w.misrouted++;
		else if (plen != FRAME ||
			 memcmp(pl, p->tx->frame[(ts / FRAME) % NFRAMES], FRAME))
			s->w.corrupt++;
		return;
	}
	if ((s->rxcodec == C_G722 && pt != 9) || (s->rxcodec == C_PCMU && pt != 0)) {
		s->w.other_pt++;
		return;
	}
	if (!s->mon || plen <= 0)
		return;
	if (s->rxcodec == C_PCMU) {
		int16_t x[FRAME];
		int n = plen < FRAME ? plen : FRAME;
		for (int i = 0; i < n; i++)
			x[i] = ulaw_to_linear(pl[i]);
		tone_feed(s, x, n, 8000);
	} else if (s->dec) {
		int16_t x[2 * FRAME + 16];
		int n = g722_decode(s->dec, x, pl, plen < FRAME ? plen : FRAME);
		if (n > 0)
			tone_feed(s, x, n, 16000);
	}
}

static uint8_t rbuf[BATCH][2048];
static struct mmsghdr rmh[BATCH];
static struct iovec riov[BATCH];
static struct sockaddr_in rsrc[BATCH];

static void drain(int fd, int side, int rtcp)
{
	for (int round = 0; round < 64; round++) {
		for (int i = 0; i < BATCH; i++) {
			riov[i].iov_base = rbuf[i];
			riov[i].iov_len = sizeof(rbuf[i]);
			memset(&rmh[i], 0, sizeof(rmh[i]));
			rmh[i].msg_hdr.msg_iov = &riov[i];
			rmh[i].msg_hdr.msg_iovlen = 1;
			rmh[i].msg_hdr.msg_name = &rsrc[i];
			rmh[i].msg_hdr.msg_namelen = sizeof(rsrc[i]);
		}
		int r = recvmmsg(fd, rmh, BATCH, MSG_DONTWAIT, NULL);
		if (r <= 0)
			return;
		double t = now();
		for (int i = 0; i < r; i++) {
			if (rtcp) {
				if (in_window)
					w_rtcp++;
			} else {
				on_rtp(side, rbuf[i], (int)rmh[i].msg_len,
				       ntohs(rsrc[i].sin_port), t);
			}
		}
		if (r < BATCH)
			return;
	}
}

/* ---- windows ---- */

static void win_start(void)
{
	for (int i = 0; i < MAXS; i++)
		memset(&S[i].w, 0, sizeof(S[i].w));
	w_unknown = w_bad = w_rtcp = w_send_err = w_late_ticks = w_skipped = 0;
	w_max_tick_late = 0;
	win_t0 = now();
	win_cpu0 = cpu();
	in_window = 1;
}

static void win_stop(void)
{
	double wall = now() - win_t0, c = cpu() - win_cpu0;

	in_window = 0;
	printf("{\"wall\": %.3f, \"gen_cpu\": %.1f, \"unknown\": %ld, \"bad\": %ld, "
	       "\"rtcp_rx\": %ld, \"send_err\": %ld, \"late_ticks\": %ld, "
	       "\"skipped_ticks\": %ld, \"max_tick_late_ms\": %.1f, \"side\": [",
	       wall, 100.0 * c / wall, w_unknown, w_bad, w_rtcp, w_send_err,
	       w_late_ticks, w_skipped, 1000 * w_max_tick_late);
	for (int side = 0; side < 2; side++) {
		long n = 0, tx = 0, rx = 0, lost = 0, dup = 0, late = 0, mis = 0,
		     cor = 0, opt = 0, deficit = 0, silent = 0, mon = 0, tone_ok = 0,
		     heard = 0;
		double maxgap = 0, ratio_min = 1e9, ratio_max = 0, level = 0;
		for (int i = 0; i < MAXS; i++) {
			struct stream *s = &S[i];
			if (!s->used || s->side != side)
				continue;
			n++;
			tx += s->w.tx;
			rx += s->w.rx;
			lost += s->w.lost;
			dup += s->w.dup;
			late += s->w.late;
			mis += s->w.misrouted;
			cor += s->w.corrupt;
			opt += s->w.other_pt;
			if (s->w.maxgap > maxgap)
				maxgap = s->w.maxgap;
			if (!s->w.rx) {
				silent++;
				deficit += (long)(wall / 0.020 + 0.5);
			} else {
				/* packets the 20 ms clock says should have come
				 * between the first and the last one */
				long exp = (long)((s->w.last - s->w.first) / 0.020 + 0.5) + 1;
				if (exp > s->w.rx)
					deficit += exp - s->w.rx;
			}
			if (s->mon) {
				mon++;
				double r = s->w.energy > 0 ? s->w.tone / s->w.energy : 0;
				if (r < ratio_min)
					ratio_min = r;
				if (r > ratio_max)
					ratio_max = r;
				if (r > 0.5)
					tone_ok++;
				if (s->w.mon_frames && ++heard)
					level += 10 * log10(s->w.energy / (s->w.mon_frames *
						(s->rxcodec == C_G722 ? 320.0 : 160.0)) + 1e-12);
			}
		}
		printf("%s{\"streams\": %ld, \"tx\": %ld, \"rx\": %ld, \"lost\": %ld, "
		       "\"dup\": %ld, \"late\": %ld, \"max_gap_ms\": %.1f, \"misrouted\": %ld, "
		       "\"corrupt\": %ld, \"other_pt\": %ld, \"deficit\": %ld, \"silent\": %ld, "
		       "\"mon\": %ld, \"tone_ok\": %ld, \"tone_ratio_min\": %.3f, "
		       "\"tone_ratio_max\": %.3f, \"level_dbfs\": %.1f}",
		       side ? ", " : "", n, tx, rx, lost, dup, late, 1000 * maxgap, mis, cor,
		       opt, deficit, silent, mon, tone_ok, mon ? ratio_min : 0.0, ratio_max,
		       heard ? level / heard + 3.01 /* peak of a sine vs its rms */ : -99.0);
	}
	printf("]}\n");
	fflush(stdout);
}

/* ---- main loop ---- */

static char lbuf[1 << 16];
static size_t llen;

static int on_stdin(void)
{
	ssize_t r = read(0, lbuf + llen, sizeof(lbuf) - 1 - llen);
	char *p, *nl;

	if (r <= 0)
		return r == 0 || (errno != EAGAIN && errno != EINTR) ? -1 : 0;
	llen += (size_t)r;
	lbuf[llen] = 0;
	p = lbuf;
	while ((nl = strchr(p, '\n'))) {
		*nl = 0;
		if (!strncmp(p, "add ", 4))
			cmd_add(p + 4);
		else if (!strncmp(p, "del ", 4))
			cmd_del(atoi(p + 4));
		else if (!strcmp(p, "start"))
			win_start();
		else if (!strcmp(p, "stop"))
			win_stop();
		else if (!strcmp(p, "ping")) {
			printf("pong\n");
			fflush(stdout);
		} else if (!strcmp(p, "quit"))
			return -1;
		p = nl + 1;
	}
	llen = (size_t)(lbuf + llen - p);
	memmove(lbuf, p, llen);
	if (llen == sizeof(lbuf) - 1)
		llen = 0; /* a line too long: dropped */
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: rtpgen PORT_A PORT_B MAX_SECONDS\n");
		return 2;
	}
	int pa = atoi(argv[1]), pb = atoi(argv[2]);
	double deadline = now() + atof(argv[3]);
	struct epoll_event ev, evs[16];
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	struct itimerspec its = {{0, 1000000}, {0, 1000000}};
	int fds[5];
	int slot = 0;
	double tick_t0;
	long ticks_done = 0;

	for (int i = 0; i < 65536; i++)
		portmap[i] = -1;
	fd_rtp[0] = sock(pa, 16 << 20);
	fd_rtcp[0] = sock(pa + 1, 1 << 20);
	fd_rtp[1] = sock(pb, 16 << 20);
	fd_rtcp[1] = sock(pb + 1, 1 << 20);
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	fds[0] = 0;
	fds[1] = fd_rtp[0];
	fds[2] = fd_rtp[1];
	fds[3] = fd_rtcp[0];
	fds[4] = fd_rtcp[1];
	for (int i = 0; i < 5; i++) {
		ev.events = EPOLLIN;
		ev.data.u32 = (uint32_t)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
	}
	ev.events = EPOLLIN;
	ev.data.u32 = 100;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	timerfd_settime(tfd, 0, &its, NULL);
	tick_t0 = now();
	printf("ready\n");
	fflush(stdout);

	for (;;) {
		int n = epoll_wait(ep, evs, 16, 100);
		if (n < 0 && errno != EINTR)
			break;
		if (now() > deadline) {
			fprintf(stderr, "rtpgen: MAX_SECONDS reached\n");
			break;
		}
		for (int i = 0; i < n; i++) {
			uint32_t k = evs[i].data.u32;
			if (k == 100) {
				uint64_t exp = 0;
				if (read(tfd, &exp, sizeof exp) != sizeof exp)
					continue;
				/* the slots due by the clock since the start */
				long due = (long)((now() - tick_t0) * 1000);
				long behind = due - ticks_done;
				if (behind > 1 && in_window) {
					w_late_ticks++;
					if (behind / 1000.0 > w_max_tick_late)
						w_max_tick_late = behind / 1000.0;
				}
				if (behind > SLOTS) {
					/* more than a frame behind: skip, never burst */
					if (in_window)
						w_skipped += behind - SLOTS;
					ticks_done = due - SLOTS;
				}
				while (ticks_done < due) {
					send_slot(slot);
					slot = (slot + 1) % SLOTS;
					ticks_done++;
				}
			} else if (k == 0) {
				if (on_stdin() < 0)
					goto out;
			} else {
				drain(fds[k], k == 2 || k == 4, k >= 3);
			}
		}
	}
out:
	return 0;
}
