/* test_rtp.c - RTP/RTCP packing, parsing and statistics (pbx/media/). */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "media/rtp.h"
#include "media/rtcp.h"

/* Parses a heap copy of exactly len bytes, so valgrind or ASan catch any
 * read past the end; checks the payload stays inside. */
static int parse_exact(const uint8_t *pkt, size_t len, struct rtp_hdr *h,
		       size_t *off, size_t *plen)
{
	uint8_t *copy = malloc(len ? len : 1);
	const uint8_t *payload = NULL;
	int r;

	assert_non_null(copy);
	memcpy(copy, pkt, len);
	r = rtp_parse(copy, len, h, &payload, plen);
	if (r == 0) {
		assert_true(payload >= copy + RTP_HDR_LEN);
		assert_true(payload + *plen <= copy + len);
		if (off)
			*off = (size_t)(payload - copy);
	}
	free(copy);
	return r;
}

static int rtcp_parse_exact(const uint8_t *pkt, size_t len,
			    struct rtcp_report *rep)
{
	uint8_t *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, pkt, len);
	r = rtcp_parse(copy, len, rep);
	free(copy);
	return r;
}

static void test_pack_parse_round_trip(void **state)
{
	struct rtp_hdr h = {.pt = 8,
			    .marker = 1,
			    .seq = 0xfffe,
			    .ts = 0xdeadbeef,
			    .ssrc = 0x12345678},
		       g;
	uint8_t payload[160], buf[200];
	const uint8_t *p;
	size_t plen, n;
	int len;

	(void)state;
	for (n = 0; n < sizeof(payload); n++)
		payload[n] = (uint8_t)n;
	len = rtp_pack(buf, sizeof(buf), &h, payload, sizeof(payload));
	assert_int_equal(len, 172);
	assert_int_equal(buf[0], 0x80);
	assert_int_equal(buf[1], 0x88);
	assert_int_equal(rtp_parse(buf, (size_t)len, &g, &p, &plen), 0);
	assert_int_equal(g.pt, 8);
	assert_int_equal(g.marker, 1);
	assert_int_equal(g.seq, 0xfffe);
	assert_int_equal(g.ts, 0xdeadbeef);
	assert_int_equal(g.ssrc, 0x12345678);
	assert_ptr_equal(p, buf + 12);
	assert_int_equal(plen, 160);
	if (memcmp(p, payload, 160))
		fail_msg("audio bytes changed between send and receive");

	/* Every buffer too small says so instead of writing past it. */
	for (n = 0; n < 172; n++)
		assert_int_equal(rtp_pack(buf, n, &h, payload, 160), -ENOSPC);
	h.pt = 128;
	assert_int_equal(rtp_pack(buf, sizeof(buf), &h, payload, 160), -EINVAL);
	h.pt = 0;
	h.marker = 0;
	assert_int_equal(rtp_pack(buf, sizeof(buf), &h, NULL, 0), 12);
	assert_int_equal(rtp_parse(buf, 12, &g, &p, &plen), 0);
	assert_int_equal(plen, 0);
	assert_int_equal(g.marker, 0);
}

/* V=2 P=1 X=1 CC=2, PT 0, two CSRCs, a one-word extension of 0xff bytes,
 * "hello", three bytes of padding. */
/* clang-format off */
static const uint8_t full_pkt[] = {
	0xb2, 0x00, 0x12, 0x34, 0, 0, 0x01, 0x00, 0xca, 0xfe, 0xba, 0xbe,
	0, 0, 0, 1, 0, 0, 0, 2,				/* CSRCs */
	0xbe, 0xde, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff,	/* extension */
	'h', 'e', 'l', 'l', 'o', 0, 0, 3,		/* padding */
};
/* clang-format on */

static void test_csrc_extension_padding(void **state)
{
	struct rtp_hdr h;
	uint8_t pkt[sizeof(full_pkt)];
	size_t off, plen;

	(void)state;
	assert_int_equal(
	    parse_exact(full_pkt, sizeof(full_pkt), &h, &off, &plen), 0);
	assert_int_equal(h.seq, 0x1234);
	assert_int_equal(h.ts, 0x100);
	assert_int_equal(h.ssrc, 0xcafebabe);
	assert_int_equal(off, 28);
	assert_int_equal(plen, 5);
	assert_memory_equal(full_pkt + off, "hello", 5);

	memcpy(pkt, full_pkt, sizeof(pkt));
	pkt[0] = 0x72; /* version 1 */
	assert_int_equal(parse_exact(pkt, sizeof(pkt), &h, NULL, &plen),
			 -EINVAL);
	memcpy(pkt, full_pkt, sizeof(pkt));
	pkt[sizeof(pkt) - 1] = 0; /* padding count 0 */
	assert_int_equal(parse_exact(pkt, sizeof(pkt), &h, NULL, &plen),
			 -EINVAL);
	pkt[sizeof(pkt) - 1] = 9; /* padding into the header */
	assert_int_equal(parse_exact(pkt, sizeof(pkt), &h, NULL, &plen),
			 -EINVAL);
	pkt[sizeof(pkt) - 1] = 8; /* all of the payload is padding */
	assert_int_equal(parse_exact(pkt, sizeof(pkt), &h, NULL, &plen), 0);
	assert_int_equal(plen, 0);
	memcpy(pkt, full_pkt, sizeof(pkt));
	pkt[23] = 4; /* extension longer than the packet */
	assert_int_equal(parse_exact(pkt, sizeof(pkt), &h, NULL, &plen),
			 -EINVAL);
	memcpy(pkt, full_pkt, sizeof(pkt));
	pkt[0] = 0x8f; /* 15 CSRCs: more than the packet holds */
	assert_int_equal(parse_exact(pkt, sizeof(pkt), &h, NULL, &plen),
			 -EINVAL);
}

static void test_every_truncation_rejected(void **state)
{
	struct rtp_hdr h;
	size_t len, plen;

	(void)state;
	for (len = 0; len < sizeof(full_pkt); len++)
		if (parse_exact(full_pkt, len, &h, NULL, &plen) != -EINVAL)
			fail_msg("a packet cut to %zu of %zu bytes was taken "
				 "as audio",
				 len, sizeof(full_pkt));
}

static void test_random_garbage(void **state)
{
	uint8_t pkt[80];
	struct rtp_hdr h;
	struct rtcp_report rep;
	size_t len, plen, i;
	int k;

	(void)state;
	srand(1);
	for (k = 0; k < 50000; k++) {
		len = (size_t)rand() % sizeof(pkt);
		for (i = 0; i < len; i++)
			pkt[i] = (uint8_t)rand();
		if (len && (k & 1))
			pkt[0] = (uint8_t)((pkt[0] & 0x3f) | 0x80);
		parse_exact(pkt, len, &h, NULL, &plen);
		if (len >= 4 && (k & 2))
			pkt[2] = 0; /* plausible RTCP lengths */
		rtcp_parse_exact(pkt, len, &rep);
	}
}

/* Feeds packet i of a 20 ms stream at 8 kHz that starts at seq0. */
static void feed(struct rtp_rxstats *st, uint16_t seq0, int i,
		 uint32_t arrival_jitter)
{
	struct rtp_hdr h = {.pt = 0,
			    .seq = (uint16_t)(seq0 + i),
			    .ts = 1000 + 160u * (uint32_t)i,
			    .ssrc = 42};

	rtp_rxstats_update(st, &h,
			   5000000 + 160u * (uint32_t)i + arrival_jitter);
}

static void test_rxstats_loss_reorder_wrap(void **state)
{
	struct rtp_rxstats st;
	const uint16_t seq0 = 65500; /* wraps after 36 packets */
	int i;

	(void)state;
	rtp_rxstats_init(&st);
	for (i = 0; i < 200; i++) {
		if (i == 10 || i == 11 || i == 50)
			continue; /* lost */
		if (i == 100) {
			feed(&st, seq0, 101, 0); /* 101 overtakes 100 */
			feed(&st, seq0, 100, 0);
			i = 101;
			continue;
		}
		feed(&st, seq0, i, 0);
		if (i == 150)
			feed(&st, seq0, i, 0); /* duplicated */
	}
	assert_int_equal(rtp_rxstats_ext_seq(&st), 65536 + 163);
	assert_int_equal(rtp_rxstats_expected(&st), 200);
	assert_int_equal(st.received, 198);
	/* RFC 3550 counts the duplicate as received: 3 lost - 1 = 2. */
	if (rtp_rxstats_lost(&st) != 2)
		fail_msg("call quality shows %d packets lost, 2 expected",
			 rtp_rxstats_lost(&st));
	assert_true(rtp_rxstats_jitter_ms(&st, 8000) < 0.01);
	assert_int_equal(rtp_rxstats_fraction(&st), 2 * 256 / 200);
	assert_int_equal(rtp_rxstats_fraction(&st), 0); /* new interval */

	/* One stray packet far ahead is not counted ... */
	feed(&st, seq0, 200 + 10000, 0);
	assert_int_equal(rtp_rxstats_ext_seq(&st), 65536 + 163);
	/* ... and the stream carries on. */
	feed(&st, seq0, 200, 0);
	assert_int_equal(rtp_rxstats_expected(&st), 201);
	/* Two in a row after a jump: the sender restarted. */
	feed(&st, seq0, 30000, 0);
	feed(&st, seq0, 30001, 0);
	assert_int_equal(rtp_rxstats_expected(&st), 1);
	assert_int_equal(st.received, 1);
}

static void test_rxstats_jitter(void **state)
{
	struct rtp_rxstats st;
	double ms;
	int i;

	(void)state;
	rtp_rxstats_init(&st);
	/* Every other packet 10 ms late: |D| is 80 units each time, and the
	 * estimate converges on it. */
	for (i = 0; i < 300; i++)
		feed(&st, 7, i, (i & 1) ? 80 : 0);
	ms = rtp_rxstats_jitter_ms(&st, 8000);
	if (fabs(ms - 10) > 0.5)
		fail_msg("call quality shows jitter %.2f ms for a stream "
			 "jittering by 10 ms",
			 ms);
	assert_int_equal(rtp_rxstats_lost(&st), 0);

	/* A new SSRC starts over. */
	{
		struct rtp_hdr h = {.seq = 9, .ts = 0, .ssrc = 43};

		rtp_rxstats_update(&st, &h, 0);
		assert_int_equal(st.received, 1);
		assert_int_equal(st.jitter, 0);
	}
}

static void test_tx_pack(void **state)
{
	struct rtp_tx tx, tx2;
	struct rtp_hdr h;
	uint8_t buf[64], pl[4] = {1, 2, 3, 4};
	const uint8_t *p;
	size_t plen;
	uint16_t seq0;
	uint32_t ts0;

	(void)state;
	rtp_tx_init(&tx);
	rtp_tx_init(&tx2);
	/* 80 random bits alike would be a broken random source. */
	assert_false(tx.ssrc == tx2.ssrc && tx.seq == tx2.seq &&
		     tx.ts == tx2.ts);
	seq0 = tx.seq;
	ts0 = tx.ts;
	assert_int_equal(rtp_tx_pack(&tx, buf, sizeof(buf), 0, 1, 160, pl, 4),
			 16);
	assert_int_equal(rtp_parse(buf, 16, &h, &p, &plen), 0);
	assert_int_equal(h.seq, seq0);
	assert_int_equal(h.ts, ts0);
	assert_int_equal(h.ssrc, tx.ssrc);
	assert_int_equal(h.marker, 1);
	assert_int_equal(tx.seq, (uint16_t)(seq0 + 1));
	assert_int_equal(tx.ts, ts0 + 160);
	assert_int_equal(tx.packets, 1);
	assert_int_equal(tx.octets, 4);
	/* A failed pack leaves the stream state alone. */
	assert_int_equal(rtp_tx_pack(&tx, buf, 15, 0, 0, 160, pl, 4), -ENOSPC);
	assert_int_equal(tx.seq, (uint16_t)(seq0 + 1));
	assert_int_equal(tx.packets, 1);
	/* RFC 4733 repeats share a timestamp. */
	rtp_tx_pack(&tx, buf, sizeof(buf), 101, 0, 0, pl, 4);
	assert_int_equal(tx.ts, ts0 + 160);
}

static void test_rtcp_sr_round_trip(void **state)
{
	struct rtp_tx tx = {
	    .ssrc = 0x11111111, .packets = 500, .octets = 80000};
	struct rtp_rxstats rx;
	struct rtcp_report rep;
	uint8_t buf[256];
	uint64_t ntp = (uint64_t)3900000000u << 32 | 0x80000000u;
	int i, len;

	(void)state;
	rtp_rxstats_init(&rx);
	for (i = 0; i < 100; i++)
		if (i % 10 != 5) /* 10 lost */
			feed(&rx, 65530, i, (i & 1) ? 16 : 0);
	len = rtcp_pack_report(buf, sizeof(buf), &tx, tx.ssrc, &rx, 42, ntp,
			       123456, 0xabcd0000, 0x8000, "ondo@pbx");
	/* SR with a block: 52; SDES: 4 + 4 + 2 + 8 + 1 -> 20. */
	assert_int_equal(len, 52 + 20);
	assert_int_equal(len % 4, 0);
	assert_int_equal(rtcp_parse_exact(buf, (size_t)len, &rep), 0);
	assert_true(rep.has_sr);
	assert_false(rep.has_bye);
	assert_int_equal(rep.ssrc, 0x11111111);
	assert_true(rep.ntp == ntp);
	assert_int_equal(rep.rtp_ts, 123456);
	assert_int_equal(rep.pkt_count, 500);
	assert_int_equal(rep.octet_count, 80000);
	assert_int_equal(rep.nblocks, 1);
	assert_int_equal(rep.blocks[0].ssrc, 42);
	assert_int_equal(rep.blocks[0].cum_lost, 10);
	assert_int_equal(rep.blocks[0].fraction_lost, 10 * 256 / 100);
	assert_int_equal(rep.blocks[0].ext_seq, 65536 + 65530 + 99 - 65536);
	assert_int_equal(rep.blocks[0].jitter, rx.jitter >> 4);
	assert_true(rep.blocks[0].jitter > 0);
	assert_int_equal(rep.blocks[0].lsr, 0xabcd0000);
	assert_int_equal(rep.blocks[0].dlsr, 0x8000);

	/* Too small a buffer: refused, never overrun. */
	for (i = 0; i < len; i++)
		assert_int_equal(rtcp_pack_report(buf, (size_t)i, &tx, 1, &rx,
						  42, ntp, 0, 0, 0, "ondo@pbx"),
				 -ENOSPC);
}

static void test_rtcp_rr_and_negative_loss(void **state)
{
	struct rtp_rxstats rx;
	struct rtcp_report rep;
	uint8_t buf[128];
	int len;

	(void)state;
	/* RR without a block (nothing received yet). */
	rtp_rxstats_init(&rx);
	len = rtcp_pack_report(buf, sizeof(buf), NULL, 7, &rx, 42, 0, 0, 0, 0,
			       "");
	assert_int_equal(len, 8 + 12);
	assert_int_equal(rtcp_parse_exact(buf, (size_t)len, &rep), 0);
	assert_false(rep.has_sr);
	assert_int_equal(rep.ssrc, 7);
	assert_int_equal(rep.nblocks, 0);

	/* Duplicates only: cumulative loss goes negative, as 24 bits. */
	feed(&rx, 1, 0, 0);
	feed(&rx, 1, 0, 0);
	len = rtcp_pack_report(buf, sizeof(buf), NULL, 7, &rx, 42, 0, 0, 0, 0,
			       "x");
	assert_int_equal(rtcp_parse_exact(buf, (size_t)len, &rep), 0);
	assert_int_equal(rep.nblocks, 1);
	assert_int_equal(rep.blocks[0].cum_lost, -1);
	assert_int_equal(rep.blocks[0].fraction_lost, 0);
	assert_int_equal(rtcp_pack_report(buf, sizeof(buf), NULL, 7, NULL, 0, 0,
					  0, 0, 0, NULL),
			 -EINVAL);
}

/* RR with 5 blocks, APP, unknown type 210, padded SDES, BYE. */
static size_t build_compound(uint8_t *b)
{
	size_t o = 0;
	int i;

	b[o++] = 0x85; /* RR, 5 blocks */
	b[o++] = 201;
	b[o++] = 0;
	b[o++] = 31; /* (4 + 5 * 24) / 4 */
	memset(b + o, 0, 4 + 5 * 24);
	b[o + 3] = 9; /* sender SSRC 9 */
	for (i = 0; i < 5; i++)
		b[o + 4 + 24 * i + 3] = (uint8_t)(100 + i);
	o += 4 + 5 * 24;
	memcpy(b + o,
	       "\x80\xcc\x00\x02\x00\x00\x00\x09"
	       "ABCD",
	       12); /* APP */
	o += 12;
	memcpy(b + o, "\x80\xd2\x00\x00", 4); /* type 210, empty */
	o += 4;
	/* SDES with the padding bit: 1 chunk, 2 octets of padding. */
	memcpy(b + o,
	       "\xa1\xca\x00\x03\x00\x00\x00\x09\x01\x01z\x00\x00\x00"
	       "\x00\x02",
	       16);
	o += 16;
	memcpy(b + o, "\x81\xcb\x00\x01\x00\x00\x00\x09", 8); /* BYE */
	o += 8;
	return o;
}

static void test_rtcp_skips_unknown(void **state)
{
	uint8_t b[256];
	struct rtcp_report rep;
	size_t len = build_compound(b), bounds[] = {128, 140, 144, 160};
	size_t n, k;
	int r, at_boundary;

	(void)state;
	assert_int_equal(len, 168);
	assert_int_equal(rtcp_parse_exact(b, len, &rep), 0);
	assert_int_equal(rep.ssrc, 9);
	assert_true(rep.has_bye);
	assert_int_equal(rep.nblocks, RTCP_MAX_BLOCKS);
	assert_int_equal(rep.blocks[3].ssrc, 103);

	/* Cut anywhere but between packets: rejected. */
	for (n = 0; n < len; n++) {
		r = rtcp_parse_exact(b, n, &rep);
		at_boundary = 0;
		for (k = 0; k < sizeof(bounds) / sizeof(bounds[0]); k++)
			at_boundary |= n == bounds[k];
		if (at_boundary)
			assert_int_equal(r, 0);
		else if (r != -EINVAL)
			fail_msg("an RTCP compound cut to %zu bytes was "
				 "accepted",
				 n);
	}

	/* A lone BYE carries no report. */
	assert_int_equal(rtcp_parse_exact(b + 160, 8, &rep), -ENOENT);
	assert_true(rep.has_bye);
	/* A count that claims more blocks than the length holds. */
	b[0] = 0x86;
	assert_int_equal(rtcp_parse_exact(b, len, &rep), -EINVAL);
	b[0] = 0x45; /* version 1 */
	assert_int_equal(rtcp_parse_exact(b, len, &rep), -EINVAL);
}

static void test_rtcp_rtt(void **state)
{
	struct rtcp_block b = {0};
	uint64_t t0 = (uint64_t)3900000000u << 32;
	/* Our SR left at t0; the far end held it 500 ms; now is t0 + 620
	 * ms: 120 ms round trip. */
	uint64_t now = t0 + (uint64_t)(0.62 * 4294967296.0);
	uint64_t now_ntp = rtcp_ntp_now();
	int rtt;

	(void)state;
	b.lsr = rtcp_ntp_mid(t0);
	b.dlsr = 65536 / 2;
	rtt = rtcp_rtt_ms(&b, now);
	if (rtt < 119 || rtt > 120)
		fail_msg("call quality shows a round trip of %d ms, not 120",
			 rtt);
	b.dlsr = 65536; /* held longer than the round trip: bogus */
	assert_int_equal(rtcp_rtt_ms(&b, now), -1);
	b.lsr = 0;
	assert_int_equal(rtcp_rtt_ms(&b, now), -1);
	/* Some time after 2020 in NTP seconds. */
	assert_true((now_ntp >> 32) > 3786825600u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pack_parse_round_trip),
	    cmocka_unit_test(test_csrc_extension_padding),
	    cmocka_unit_test(test_every_truncation_rejected),
	    cmocka_unit_test(test_random_garbage),
	    cmocka_unit_test(test_rxstats_loss_reorder_wrap),
	    cmocka_unit_test(test_rxstats_jitter),
	    cmocka_unit_test(test_tx_pack),
	    cmocka_unit_test(test_rtcp_sr_round_trip),
	    cmocka_unit_test(test_rtcp_rr_and_negative_loss),
	    cmocka_unit_test(test_rtcp_skips_unknown),
	    cmocka_unit_test(test_rtcp_rtt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
