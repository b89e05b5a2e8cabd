/* test_dtmf.c - RFC 4733, in-band DTMF and SIP INFO bodies (pbx/media/). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "media/codec.h"
#include "media/dtmf.h"

static const char all_digits[] = "0123456789*#ABCD";

struct heard {
	char digits[64];
	int n;
};

static void heard_h(char digit, void *arg)
{
	struct heard *hd = arg;

	if (hd->n < (int)sizeof(hd->digits) - 1)
		hd->digits[hd->n++] = digit;
}

/* Generates `digits` in-band, sends them through a G.711 encode/decode
 * in 20 ms frames and runs the detector on the result. */
static void inband_through(enum codec_id id, const char *digits,
			   struct heard *hd)
{
	struct dtmf_gen *g;
	struct dtmf_det *d;
	struct codec *c;
	int16_t pcm[160], out[160];
	uint8_t enc[160];
	int frames = 0, tail = 0, len;

	memset(hd, 0, sizeof(*hd));
	assert_int_equal(dtmf_gen_alloc(&g), 0);
	assert_int_equal(dtmf_det_alloc(&d, heard_h, hd), 0);
	assert_int_equal(codec_alloc(&c, id), 0);
	assert_int_equal(dtmf_gen_digits(g, digits), 0);
	/* Run until the generator is done, plus 200 ms of silence so the
	 * detector sees the last tone end. */
	while (tail < 10) {
		if (dtmf_gen_fill(g, pcm, 160) == 0)
			tail++;
		len = codec_encode(c, pcm, 160, enc, sizeof(enc));
		assert_int_equal(len, 160);
		assert_int_equal(codec_decode(c, enc, 160, out, 160), 160);
		dtmf_det_feed(d, out, 160);
		assert_true(++frames < 1000);
	}
	codec_free(c);
	dtmf_det_free(d);
	dtmf_gen_free(g);
}

static void check_inband(enum codec_id id)
{
	struct heard hd;
	int i;

	inband_through(id, all_digits, &hd);
	for (i = 0; all_digits[i]; i++) {
		if (i >= hd.n)
			fail_msg("digit %c pressed in-band over %s was not "
				 "detected (heard \"%s\")",
				 all_digits[i], codec_info(id)->name,
				 hd.digits);
		if (hd.digits[i] != all_digits[i])
			fail_msg("digit %c pressed in-band over %s was heard "
				 "as %c (heard \"%s\")",
				 all_digits[i], codec_info(id)->name,
				 hd.digits[i], hd.digits);
	}
	if (hd.n != 16)
		fail_msg("16 digits pressed in-band over %s, %d detected "
			 "(\"%s\"): some counted twice",
			 codec_info(id)->name, hd.n, hd.digits);
}

static void test_inband_pcmu(void **state)
{
	(void)state;
	check_inband(CODEC_PCMU);
}

static void test_inband_pcma(void **state)
{
	(void)state;
	check_inband(CODEC_PCMA);
}

static void test_inband_repeated_digit(void **state)
{
	struct heard hd;

	(void)state;
	inband_through(CODEC_PCMU, "55", &hd);
	if (strcmp(hd.digits, "55"))
		fail_msg("5 pressed twice in-band was heard as \"%s\"",
			 hd.digits);
}

static void test_gen_bad_digits(void **state)
{
	struct dtmf_gen *g;
	int16_t pcm[160];
	char many[200];

	(void)state;
	assert_int_equal(dtmf_gen_alloc(&g), 0);
	assert_int_equal(dtmf_gen_digits(g, "12x"), -EINVAL);
	/* Nothing was queued: silence, and done. */
	pcm[5] = 1234;
	assert_int_equal(dtmf_gen_fill(g, pcm, 160), 0);
	assert_int_equal(pcm[5], 0);
	memset(many, '1', sizeof(many) - 1);
	many[sizeof(many) - 1] = '\0';
	assert_int_equal(dtmf_gen_digits(g, many), -ENOSPC);
	assert_int_equal(dtmf_gen_digits(g, "a"), 0);
	assert_true(dtmf_gen_fill(g, pcm, 160) == 160);
	dtmf_gen_free(g);
}

static void test_4733_pack_parse(void **state)
{
	struct dtmf_event ev, got;
	uint8_t p[4];
	int i;

	(void)state;
	for (i = 0; all_digits[i]; i++) {
		ev.digit = all_digits[i];
		ev.end = i & 1;
		ev.volume = 10;
		ev.duration = 160 * i + 1;
		assert_int_equal(dtmf_4733_pack(p, sizeof(p), &ev), 4);
		assert_int_equal(p[0], i);
		assert_int_equal(dtmf_4733_parse(p, 4, &got), 0);
		assert_int_equal(got.digit, ev.digit);
		assert_int_equal(got.end, ev.end);
		assert_int_equal(got.volume, 10);
		assert_int_equal(got.duration, ev.duration);
	}
	ev.digit = 'x';
	assert_int_equal(dtmf_4733_pack(p, sizeof(p), &ev), -EINVAL);
	ev.digit = '1';
	ev.volume = 64;
	assert_int_equal(dtmf_4733_pack(p, sizeof(p), &ev), -EINVAL);
	ev.volume = 0;
	assert_int_equal(dtmf_4733_pack(p, 3, &ev), -ENOSPC);
	/* Flash (16) and beyond are not digits; short payloads are bad. */
	assert_int_equal(
	    dtmf_4733_parse((const uint8_t *)"\x10\x80\x00\xa0", 4, &got),
	    -EINVAL);
	assert_int_equal(
	    dtmf_4733_parse((const uint8_t *)"\x05\x80\x00", 3, &got), -EINVAL);
}

/* What a phone sends for one press: a start packet, repeats every 50 ms
 * with a growing duration, the same packet retransmitted, and three end
 * packets; all with the press's timestamp. Returns the digits reported. */
static int press(struct dtmf_4733_rx *r, uint32_t ts, char digit, int frames,
		 char *out, int nout)
{
	struct dtmf_event ev = {.digit = digit, .volume = 10};
	uint8_t p[4];
	char d;
	int i, k, n = nout;

	for (i = 1; i <= frames + 3; i++) {
		ev.end = i > frames;
		ev.duration = 400 * (i > frames ? frames : i);
		/* Through the wire format, as it arrives. */
		assert_int_equal(dtmf_4733_pack(p, 4, &ev), 4);
		assert_int_equal(dtmf_4733_parse(p, 4, &ev), 0);
		for (k = 0; k < (i == 2 ? 2 : 1); k++)
			if (dtmf_4733_rx_feed(r, ts, &ev, &d) == 1)
				out[n++] = d;
	}
	out[n] = '\0';
	return n - nout;
}

static void test_4733_receiver(void **state)
{
	struct dtmf_4733_rx r;
	struct dtmf_event ev = {.digit = '7', .volume = 10, .duration = 800};
	char got[16] = "", d;

	(void)state;
	dtmf_4733_rx_init(&r);
	if (press(&r, 1000, '5', 4, got, 0) != 1)
		fail_msg("one press of 5 gave \"%s\"", got);
	assert_string_equal(got, "5");
	/* The same key again: a new press, a new timestamp. */
	if (press(&r, 5000, '5', 3, got, 1) != 1)
		fail_msg("5 pressed twice gave \"%s\"", got);
	assert_string_equal(got, "55");
	/* A late end packet of the first press changes nothing. */
	ev.digit = '5';
	ev.end = 1;
	assert_int_equal(dtmf_4733_rx_feed(&r, 1000, &ev, &d), 0);
	/* A press whose start and repeats were all lost: its end packet
	 * still reports it, once. */
	ev.digit = '7';
	assert_int_equal(dtmf_4733_rx_feed(&r, 9000, &ev, &d), 1);
	assert_int_equal(d, '7');
	assert_int_equal(dtmf_4733_rx_feed(&r, 9000, &ev, &d), 0);
	assert_int_equal(dtmf_4733_rx_feed(&r, 9000, &ev, &d), 0);

	/* A long press split into segments (RFC 4733 2.5.1.3) is one. */
	ev.digit = '9';
	ev.end = 0;
	ev.duration = 0xffff;
	assert_int_equal(dtmf_4733_rx_feed(&r, 20000, &ev, &d), 1);
	ev.duration = 400;
	assert_int_equal(dtmf_4733_rx_feed(&r, 20000 + 0xffff, &ev, &d), 0);
	/* Timestamps across the 32-bit wrap. */
	dtmf_4733_rx_init(&r);
	ev.digit = '1';
	ev.end = 1;
	assert_int_equal(dtmf_4733_rx_feed(&r, 0xfffffe00u, &ev, &d), 1);
	ev.digit = '2';
	assert_int_equal(dtmf_4733_rx_feed(&r, 0x100, &ev, &d), 1);
	assert_int_equal(d, '2');
	ev.digit = 'x';
	assert_int_equal(dtmf_4733_rx_feed(&r, 0x200, &ev, &d), -EINVAL);
}

static int info(const char *ct, const char *body, char *d)
{
	/* An exact-size heap copy without a NUL, so reading past the body
	 * shows up under valgrind. */
	size_t len = strlen(body);
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, body, len);
	r = dtmf_info_parse(ct, copy, len, d);
	free(copy);
	return r;
}

static void test_info_bodies(void **state)
{
	static const struct {
		const char *ct, *body;
		char digit; /* 0: must be rejected */
	} cases[] = {
	    {"application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", '5'},
	    {"application/dtmf-relay", "Signal=5\r\nDuration=160", '5'},
	    {"Application/DTMF-Relay; x=1", "signal = #\nduration=100", '#'},
	    {"application/dtmf-relay", "Duration=250\r\nSignal=*\r\n", '*'},
	    {"application/dtmf-relay", "Signal=11\r\n", '#'},
	    {"application/dtmf-relay", "Signal=d", 'D'},
	    {"application/dtmf", "7", '7'},
	    {"application/dtmf", " 7\r\n", '7'},
	    {"application/dtmf", "10", '*'},
	    {"application/dtmf-relay", "Signal=", 0},
	    {"application/dtmf-relay", "Signal=55", 0},
	    {"application/dtmf-relay", "Signal=16", 0},
	    {"application/dtmf-relay", "Signal=x", 0},
	    {"application/dtmf-relay", "Signal=5 junk", 0},
	    {"application/dtmf-relay", "Duration=160", 0},
	    {"application/dtmf-relay", "Signalling=5", 0},
	    {"application/dtmf-relay", "\r\n\r\n", 0},
	    {"application/dtmf", "", 0},
	    {"application/dtmf", "7 8", 0},
	    {"application/dtmfx", "7", 0},
	    {"application/sdp", "Signal=5", 0},
	    {"text/plain", "5", 0},
	};
	unsigned i;
	char d;
	int r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d = 0;
		r = info(cases[i].ct, cases[i].body, &d);
		if (cases[i].digit && (r != 0 || d != cases[i].digit))
			fail_msg("INFO %s \"%s\" should press %c, got %d/%c",
				 cases[i].ct, cases[i].body, cases[i].digit, r,
				 d ? d : '-');
		if (!cases[i].digit && r != -EINVAL)
			fail_msg("INFO %s \"%s\" should be refused, pressed "
				 "%c",
				 cases[i].ct, cases[i].body, d ? d : '-');
	}
	assert_int_equal(dtmf_info_parse(NULL, "5", 1, &d), -EINVAL);
	assert_int_equal(dtmf_info_parse("application/dtmf", NULL, 1, &d),
			 -EINVAL);
}

static void test_info_garbage(void **state)
{
	static const char *types[] = {"application/dtmf-relay",
				      "application/dtmf"};
	char body[40], *copy, d;
	size_t len, i;
	int k;

	(void)state;
	srand(7);
	for (k = 0; k < 20000; k++) {
		len = 1 + (size_t)rand() % sizeof(body);
		for (i = 0; i < len; i++)
			body[i] = "Signal= \r\n5#x1"[rand() % 15];
		copy = malloc(len);
		assert_non_null(copy);
		memcpy(copy, body, len);
		dtmf_info_parse(types[k & 1], copy, len, &d);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inband_pcmu),
	    cmocka_unit_test(test_inband_pcma),
	    cmocka_unit_test(test_inband_repeated_digit),
	    cmocka_unit_test(test_gen_bad_digits),
	    cmocka_unit_test(test_4733_pack_parse),
	    cmocka_unit_test(test_4733_receiver),
	    cmocka_unit_test(test_info_bodies),
	    cmocka_unit_test(test_info_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
