/* test_mchan.c - joined media channels on real loopback sockets: same-codec
 * pass-through, transcoding, a relay session split into channels, and
 * RFC 4733 digits crossing a bridge (pbx/media/mchan*.c). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "media/media.h"
#include "media/mchan.h"
#include "media/codec.h"
#include "media/rtp.h"
#include "media/dtmf.h"
#include "ports.h"

#define NPORTS 20
#define SSRC_A	 0x1111u

struct fix {
	struct media *m;
	int a, b; /* the two phones' sockets */
	struct sockaddr_storage aa, ba;
	struct mchan *ca, *cb;
};

static int phone(struct sockaddr_storage *addr)
{
	struct sockaddr_in *a = (struct sockaddr_in *)addr;
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(addr, 0, sizeof(*addr));
	a->sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &a->sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)a, sizeof(*a)), 0);
	getsockname(fd, (struct sockaddr *)a, &len);
	return fd;
}

static int setup(void **state)
{
	static struct fix f;

	int lo = unit_free_ports(NPORTS);

	memset(&f, 0, sizeof(f));
	assert_true(lo > 0);
	assert_int_equal(media_alloc(&f.m, "127.0.0.1", lo, lo + NPORTS - 1, 1),
			 0);
	f.a = phone(&f.aa);
	f.b = phone(&f.ba);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	mchan_release(f->ca, NULL, NULL);
	mchan_release(f->cb, NULL, NULL);
	media_free(f->m);
	close(f->a);
	close(f->b);
	return 0;
}

static void send_rtp(int fd, int port, const struct rtp_hdr *h,
		     const uint8_t *pl, size_t plen)
{
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port)};
	uint8_t pkt[1500];
	int n = rtp_pack(pkt, sizeof(pkt), h, pl, plen);

	assert_true(n > 0);
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	assert_true(sendto(fd, pkt, (size_t)n, 0, (struct sockaddr *)&to,
			   sizeof(to)) == n);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next RTP packet of payload type pt within ms (the PBX may send
 * others all along); 0, or -1 when none came in time. */
static int recv_rtp(int fd, int ms, int pt, struct rtp_hdr *h, uint8_t *pl,
		    size_t *plen)
{
	static uint8_t buf[1500];
	struct pollfd p = {.fd = fd, .events = POLLIN};
	const uint8_t *payload;
	int64_t end = now_ms() + ms;

	for (int64_t left = ms; left > 0; left = end - now_ms()) {
		ssize_t n;

		if (poll(&p, 1, (int)left) <= 0)
			return -1;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0 || rtp_parse(buf, (size_t)n, h, &payload, plen))
			continue;
		if (h->pt != pt)
			continue;
		memcpy(pl, payload, *plen);
		return 0;
	}
	return -1;
}

static struct mchan_params params(enum codec_id codec, int te,
				  const struct sockaddr_storage *remote)
{
	struct mchan_params p = {.codec = codec, .te_pt = te, .tag = "test"};

	p.pt = codec_info(codec)->pt;
	p.remote = *remote;
	return p;
}

/* 20 ms of a 1 kHz tone at 8 kHz, encoded with codec. */
static size_t tone_frame(enum codec_id codec, uint8_t *out)
{
	struct codec *c;
	int16_t pcm[160];
	int n;

	for (int i = 0; i < 160; i++)
		pcm[i] = (int16_t)(8000 * sin(2 * M_PI * 1000 * i / 8000.0));
	assert_int_equal(codec_alloc(&c, codec), 0);
	n = codec_encode(c, pcm, 160, out, 400);
	codec_free(c);
	assert_true(n > 0);
	return (size_t)n;
}

/* The mean absolute sample of a received frame, decoded. */
static int loudness(enum codec_id codec, const uint8_t *pl, size_t len)
{
	struct codec *c;
	int16_t pcm[400];
	long sum = 0;
	int n;

	assert_int_equal(codec_alloc(&c, codec), 0);
	n = codec_decode(c, pl, len, pcm, 400);
	codec_free(c);
	for (int i = 0; i < n; i++)
		sum += labs((long)pcm[i]);
	return n > 0 ? (int)(sum / n) : 0;
}

/* Within 30 PCMA packets on fd, one whose decoded audio is loud. */
static int hears_loud_pcma(int fd)
{
	uint8_t got[1500];
	struct rtp_hdr r;
	size_t len;

	for (int k = 0; k < 30; k++) {
		if (recv_rtp(fd, 200, 8, &r, got, &len))
			return 0;
		if (loudness(CODEC_PCMA, got, len) > 2000)
			return 1;
	}
	return 0;
}

static void join(struct fix *f, enum codec_id ca, enum codec_id cb)
{
	struct mchan_params pa = params(ca, 101, &f->aa);
	struct mchan_params pb = params(cb, 101, &f->ba);

	assert_int_equal(mchan_alloc(&f->ca, f->m, &pa, NULL, NULL, NULL), 0);
	assert_int_equal(mchan_alloc(&f->cb, f->m, &pb, NULL, NULL, f->ca), 0);
	assert_int_equal(mchan_join(f->ca, f->cb), 0);
	usleep(50000); /* the worker takes the commands */
}

/* Same codec: the bytes arrive untouched (a PCMU decode and re-encode
 * would turn 0x7f, negative zero, into 0xff), under the PBX's SSRC, with
 * consecutive numbers. */
static void test_same_codec_passes_through(void **state)
{
	struct fix *f = *state;
	uint8_t pl[160], got[1500];
	struct rtp_hdr h = {.pt = 0, .ssrc = SSRC_A}, r;
	uint16_t first = 0;
	size_t len;
	int matched = 0;

	join(f, CODEC_PCMU, CODEC_PCMU);
	for (int i = 0; i < 160; i++)
		pl[i] = (uint8_t)(i % 2 ? 0x7f : 0x23 + i % 50);
	for (int k = 0; k < 5; k++) {
		h.seq = (uint16_t)(65533 + k); /* wraps */
		h.ts = 1000u + 160u * (uint32_t)k;
		pl[0] = (uint8_t)k;
		send_rtp(f->a, mchan_port(f->ca), &h, pl, sizeof(pl));
	}
	for (int k = 0; k < 200 && matched < 5 &&
			recv_rtp(f->b, 500, 0, &r, got, &len) == 0;
	     k++) {
		pl[0] = (uint8_t)matched;
		if (len != sizeof(pl) || memcmp(got, pl, len))
			continue; /* the PBX's own silence before the join */
		assert_int_not_equal(r.ssrc, SSRC_A);
		if (matched == 0)
			first = r.seq;
		assert_int_equal(r.seq, (uint16_t)(first + matched));
		matched++;
	}
	assert_int_equal(matched, 5);
}

/* PCMU in, PCMA out: the tone is decoded, re-encoded, and still loud. */
static void test_different_codecs_transcode(void **state)
{
	struct fix *f = *state;
	uint8_t pl[400];
	struct rtp_hdr h = {.pt = 0, .ssrc = SSRC_A};
	size_t plen = tone_frame(CODEC_PCMU, pl);

	join(f, CODEC_PCMU, CODEC_PCMA);
	for (int k = 0; k < 25; k++) {
		h.seq = (uint16_t)(100 + k);
		h.ts = 160u * (uint32_t)k;
		send_rtp(f->a, mchan_port(f->ca), &h, pl, plen);
		usleep(20000);
	}
	assert_true(hears_loud_pcma(f->b));
}

/* A notice played once (mchan_play_once): the phone hears it, then its
 * peer again (silent here), not the notice over and over as music on
 * hold would be. */
static void test_play_once(void **state)
{
	static int16_t notice[2400]; /* 300 ms of a 1 kHz tone at 8 kHz */
	struct fix *f = *state;
	uint8_t got[1500];
	struct rtp_hdr r;
	size_t len;
	int loud = 0, quiet_after = 0;

	for (int i = 0; i < 2400; i++)
		notice[i] = (int16_t)(8000 * sin(2 * M_PI * 1000 * i / 8000.0));
	join(f, CODEC_PCMU, CODEC_PCMA);
	assert_int_equal(mchan_play_once(f->cb, notice, 0), -EINVAL);
	assert_int_equal(mchan_play_once(f->cb, notice, 2400), 0);
	for (int k = 0; k < 60; k++) {
		if (recv_rtp(f->b, 200, 8, &r, got, &len))
			break;
		if (loudness(CODEC_PCMA, got, len) > 2000) {
			loud++;
			quiet_after = 0;
		} else if (loud) {
			quiet_after++;
		}
	}
	/* 15 frames of notice (a frame may straddle its start or end) */
	assert_in_range(loud, 13, 16);
	assert_true(quiet_after >= 30);
}

/* A digit pressed on one phone (RFC 4733) reaches the other as events. */
static void test_digit_crosses(void **state)
{
	struct fix *f = *state;
	struct rtp_hdr h = {.pt = 101, .ssrc = SSRC_A, .ts = 8000}, r;
	struct dtmf_event ev = {.digit = '5', .volume = 10}, got_ev;
	uint8_t pl[4], got[1500];
	size_t len;
	int seen = 0;

	join(f, CODEC_PCMU, CODEC_PCMU);
	for (int k = 0; k < 6; k++) {
		ev.duration = 160 * (k + 1);
		ev.end = k >= 3;
		assert_true(dtmf_4733_pack(pl, sizeof(pl), &ev) > 0);
		h.seq = (uint16_t)(10 + k);
		h.marker = k == 0;
		send_rtp(f->a, mchan_port(f->ca), &h, pl, sizeof(pl));
	}
	for (int k = 0; k < 50 && !seen &&
			recv_rtp(f->b, 1000, 101, &r, got, &len) == 0;
	     k++)
		seen = dtmf_4733_parse(got, len, &got_ev) == 0 &&
		       got_ev.digit == '5';
	assert_true(seen);
}

/* A relay session split into channels keeps its ports: the phones go on
 * sending where they did, and now get the other's audio transcoded. */
static void test_split_keeps_ports(void **state)
{
	struct fix *f = *state;
	struct mchan_params p[2];
	struct mchan *out[2];
	struct msess *s;
	uint8_t pl[400];
	struct rtp_hdr h = {.pt = 0, .ssrc = SSRC_A};
	size_t plen = tone_frame(CODEC_PCMU, pl);
	int port_a, port_b;

	assert_int_equal(msess_alloc(&s, f->m, "split"), 0);
	assert_int_equal(msess_set_remote(s, MSIDE_A, &f->aa, NULL), 0);
	assert_int_equal(msess_set_remote(s, MSIDE_B, &f->ba, NULL), 0);
	port_a = msess_port(s, MSIDE_A);
	port_b = msess_port(s, MSIDE_B);
	p[0] = params(CODEC_PCMU, 101, &f->aa);
	p[1] = params(CODEC_PCMA, -1, &f->ba);
	assert_int_equal(mchan_split(s, p, out), 0);
	f->ca = out[0];
	f->cb = out[1];
	assert_int_equal(mchan_port(f->ca), port_a);
	assert_int_equal(mchan_port(f->cb), port_b);
	for (int k = 0; k < 25; k++) {
		h.seq = (uint16_t)(500 + k);
		h.ts = 160u * (uint32_t)k;
		send_rtp(f->a, port_a, &h, pl, plen);
		usleep(20000);
	}
	assert_true(hears_loud_pcma(f->b));
	/* Four ports: the session's, now the channels'; none leaked. */
	assert_int_equal(media_ports_in_use(f->m), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_codec_passes_through,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_different_codecs_transcode,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_digit_crosses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_play_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_keeps_ports, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
