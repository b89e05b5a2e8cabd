/* test_mixer.c - a conference room on real loopback sockets: three phones
 * (two PCMU, one G.722) on two workers, each sending its own tone; each
 * hears the other two and not itself; a muted one drops out; one that
 * leaves hears nothing more of the room (pbx/media/mixer*.c). */
#include <math.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "media/media.h"
#include "media/mchan.h"
#include "media/mixer.h"
#include "media/codec.h"
#include "media/rtp.h"
#include "ports.h"

#define NPORTS 40
#define NPH 3
#define AMP 6000.0
#define HEARD_MAX 16000 * 3

static const double freq[NPH] = {500, 900, 1300};
static const enum codec_id codec_of[NPH] = {CODEC_PCMU, CODEC_G722,
					     CODEC_PCMU};

struct phone {
	int fd;
	struct sockaddr_storage addr;
	struct mchan *ch;
	struct mport *port;
	struct codec *enc, *dec;
	struct rtp_tx tx;
	long t;		/* samples of tone sent */
	int16_t heard[HEARD_MAX];
	int nheard;
	int rate;
};

static struct phone ph[NPH];
static struct media *m;
static struct mixer *room;

static void open_phone(struct phone *p, enum codec_id id)
{
	struct sockaddr_in *a = (struct sockaddr_in *)&p->addr;
	socklen_t len = sizeof(*a);
	struct mchan_params prm = {.codec = id, .te_pt = -1, .tag = "conf"};

	memset(p, 0, sizeof(*p));
	p->fd = socket(AF_INET, SOCK_DGRAM, 0);
	a->sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &a->sin_addr);
	assert_int_equal(bind(p->fd, (struct sockaddr *)a, sizeof(*a)), 0);
	getsockname(p->fd, (struct sockaddr *)a, &len);
	prm.pt = codec_info(id)->pt;
	prm.remote = p->addr;
	assert_int_equal(mchan_alloc(&p->ch, m, &prm, NULL, NULL, NULL), 0);
	assert_int_equal(codec_alloc(&p->enc, id), 0);
	assert_int_equal(codec_alloc(&p->dec, id), 0);
	p->rate = codec_info(id)->rate;
	p->tx.ssrc = (uint32_t)(0x1000 + p->fd);
}

/* One 20 ms packet of the phone's tone (or silence) to its channel. */
static void send_frame(struct phone *p, double f, int on)
{
	const struct codec_info *ci = codec_get_info(p->enc);
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons((uint16_t)mchan_port(p->ch))};
	int16_t pcm[320];
	uint8_t enc[400], pkt[1500];
	int n = ci->frame_samples, len, plen;

	for (int i = 0; i < n; i++, p->t++)
		pcm[i] = on ? (int16_t)lrint(AMP * sin(2 * M_PI * f * p->t /
						       p->rate))
			    : 0;
	len = codec_encode(p->enc, pcm, n, enc, sizeof(enc));
	assert_true(len > 0);
	plen = rtp_tx_pack(&p->tx, pkt, sizeof(pkt), (uint8_t)ci->pt, 0, 160,
			   enc, (size_t)len);
	assert_true(plen > 0);
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	sendto(p->fd, pkt, (size_t)plen, 0, (struct sockaddr *)&to,
	       sizeof(to));
}

/* Reads what came to the phone, decoded; keeps the latest HEARD_MAX. */
static void drain(struct phone *p, int keep)
{
	uint8_t buf[1500];
	struct rtp_hdr h;
	const uint8_t *pl;
	size_t plen;
	ssize_t n;

	while ((n = recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		int16_t pcm[400];
		int k;
		if (rtp_parse(buf, (size_t)n, &h, &pl, &plen))
			continue;
		k = codec_decode(p->dec, pl, plen, pcm, 400);
		if (k <= 0 || !keep || p->nheard + k > HEARD_MAX)
			continue;
		memcpy(p->heard + p->nheard, pcm, sizeof(int16_t) * (size_t)k);
		p->nheard += k;
	}
}

/* Runs the room for `ticks` x 20 ms: phone i sends its tone if talk[i];
 * what the phones hear in the last half is kept. */
static void run(int ticks, const int *talk)
{
	struct timespec next;

	for (int i = 0; i < NPH; i++)
		ph[i].nheard = 0;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (int t = 0; t < ticks; t++) {
		for (int i = 0; i < NPH; i++) {
			send_frame(&ph[i], freq[i], talk[i]);
			drain(&ph[i], t >= ticks / 2);
		}
		next.tv_nsec += 20000000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
}

/* Amplitude of f in what phone p heard (Goertzel over all of it). */
static double amp(const struct phone *p, double f)
{
	double k = 2.0 * cos(2.0 * M_PI * f / p->rate), s0, s1 = 0, s2 = 0;

	for (int i = 0; i < p->nheard; i++) {
		s0 = p->heard[i] + k * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	return p->nheard ? 2.0 * sqrt(s1 * s1 + s2 * s2 - k * s1 * s2) /
			       p->nheard
			 : 0;
}

static int setup(void **state)
{
	int lo = unit_free_ports(NPORTS);

	(void)state;
	assert_true(lo > 0);
	/* Two workers: the members and the room spread over both. */
	assert_int_equal(media_alloc(&m, "127.0.0.1", lo, lo + NPORTS - 1, 2),
			 0);
	for (int i = 0; i < NPH; i++)
		open_phone(&ph[i], codec_of[i]);
	assert_int_equal(mixer_alloc(&room, m, "test-room"), 0);
	for (int i = 0; i < NPH; i++)
		assert_int_equal(mixer_join(room, ph[i].ch, &ph[i].port), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < NPH; i++) {
		if (ph[i].port)
			mixer_leave(ph[i].port);
		mchan_release(ph[i].ch, NULL, NULL);
		codec_free(ph[i].enc);
		codec_free(ph[i].dec);
		close(ph[i].fd);
	}
	mixer_release(room);
	media_free(m);
	return 0;
}

static void test_each_hears_the_others(void **state)
{
	const int talk[NPH] = {1, 1, 1};

	(void)state;
	run(100, talk);
	for (int i = 0; i < NPH; i++) {
		assert_true(ph[i].nheard > ph[i].rate / 2);
		for (int j = 0; j < NPH; j++) {
			double a = amp(&ph[i], freq[j]);
			printf("phone %d hears %4.0f Hz at %6.0f\n", i, freq[j], a);
			if (i == j)
				assert_true(a < AMP / 20);
			else
				assert_true(a > AMP / 3);
		}
	}
}

static void test_mute_and_leave(void **state)
{
	const int talk[NPH] = {1, 1, 1};

	(void)state;
	mport_set_mute(ph[0].port, 1);
	run(60, talk);
	assert_true(amp(&ph[1], freq[0]) < AMP / 20);
	assert_true(amp(&ph[2], freq[0]) < AMP / 20);
	assert_true(amp(&ph[0], freq[1]) > AMP / 3); /* still hears */
	mport_set_mute(ph[0].port, 0);
	/* Phone 2 leaves: it hears nothing of the room, the others keep
	 * hearing each other. */
	mixer_leave(ph[2].port);
	ph[2].port = NULL;
	run(60, talk);
	assert_true(amp(&ph[2], freq[0]) < AMP / 20);
	assert_true(amp(&ph[2], freq[1]) < AMP / 20);
	assert_true(amp(&ph[0], freq[2]) < AMP / 20);
	assert_true(amp(&ph[0], freq[1]) > AMP / 3);
	assert_true(amp(&ph[1], freq[0]) > AMP / 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_hears_the_others),
		cmocka_unit_test(test_mute_and_leave),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
