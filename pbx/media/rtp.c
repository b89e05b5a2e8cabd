/* rtp.c - RTP header packing/parsing and RFC 3550 A.1/A.3/A.8 statistics. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>

#include "media/rtp.h"

#define RTP_VERSION  2
#define SEQ_MOD	     (1u << 16)
#define MAX_DROPOUT  3000 /* RFC 3550 A.1 defaults */
#define MAX_MISORDER 100

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Fuzz target: this parses whatever arrives on a public UDP port. Every
 * length read from the packet is checked against what is left before it
 * is used, in size_t arithmetic that cannot wrap (off <= len throughout).
 */
int rtp_parse(const uint8_t *buf, size_t len, struct rtp_hdr *h,
	      const uint8_t **payload, size_t *plen)
{
	size_t off, end, ext, pad;
	unsigned cc;

	if (!buf || !h || !payload || !plen || len < RTP_HDR_LEN)
		return -EINVAL;
	if (buf[0] >> 6 != RTP_VERSION)
		return -EINVAL;
	cc = buf[0] & 0x0f;
	off = RTP_HDR_LEN + 4 * (size_t)cc;
	if (off > len)
		return -EINVAL;
	if (buf[0] & 0x10) {
		/* Extension: 16-bit profile, 16-bit length in words. */
		if (len - off < 4)
			return -EINVAL;
		ext = 4 * (size_t)get16(buf + off + 2);
		off += 4;
		if (len - off < ext)
			return -EINVAL;
		off += ext;
	}
	end = len;
	if (buf[0] & 0x20) {
		/* The last octet counts the padding, itself included. */
		pad = buf[len - 1];
		if (pad == 0 || pad > len - off)
			return -EINVAL;
		end -= pad;
	}
	h->marker = buf[1] >> 7;
	h->pt = buf[1] & 0x7f;
	h->seq = get16(buf + 2);
	h->ts = get32(buf + 4);
	h->ssrc = get32(buf + 8);
	*payload = buf + off;
	*plen = end - off;
	return 0;
}

int rtp_pack(uint8_t *buf, size_t buflen, const struct rtp_hdr *h,
	     const uint8_t *payload, size_t plen)
{
	if (!buf || !h || (!payload && plen) || h->pt > 127)
		return -EINVAL;
	if (plen > buflen || buflen - plen < RTP_HDR_LEN ||
	    plen > INT32_MAX - RTP_HDR_LEN)
		return -ENOSPC;
	buf[0] = RTP_VERSION << 6;
	buf[1] = (uint8_t)((h->marker ? 0x80 : 0) | h->pt);
	put16(buf + 2, h->seq);
	put32(buf + 4, h->ts);
	put32(buf + 8, h->ssrc);
	if (plen)
		memmove(buf + RTP_HDR_LEN, payload, plen);
	return (int)(RTP_HDR_LEN + plen);
}

void rtp_rxstats_init(struct rtp_rxstats *st)
{
	memset(st, 0, sizeof(*st));
}

/* A.1 init_seq(), minus probation: the relay has already latched the
 * source address, so the first packet is trusted. */
static void init_seq(struct rtp_rxstats *st, const struct rtp_hdr *h,
		     uint32_t arrival)
{
	st->active = 1;
	st->ssrc = h->ssrc;
	st->base_seq = h->seq;
	st->max_seq = h->seq;
	st->bad_seq = SEQ_MOD + 1; /* matches no 16-bit seq */
	st->cycles = 0;
	st->received = 1;
	st->received_prior = 0;
	st->expected_prior = 0;
	st->transit = arrival - h->ts;
	st->jitter = 0;
}

void rtp_rxstats_update(struct rtp_rxstats *st, const struct rtp_hdr *h,
			uint32_t arrival)
{
	uint16_t udelta;
	uint32_t transit, d;

	if (!st || !h)
		return;
	st->last_ts = h->ts;
	if (!st->active || h->ssrc != st->ssrc) {
		init_seq(st, h, arrival);
		return;
	}
	udelta = (uint16_t)(h->seq - st->max_seq);
	if (udelta < MAX_DROPOUT) {
		if (h->seq < st->max_seq)
			st->cycles += SEQ_MOD;
		st->max_seq = h->seq;
	} else if (udelta <= SEQ_MOD - MAX_MISORDER) {
		if (h->seq != st->bad_seq) {
			/* One stray packet must not reset the counters: wait
			 * for the one after it. */
			st->bad_seq = (h->seq + 1) & (SEQ_MOD - 1);
			return;
		}
		init_seq(st, h, arrival);
		return;
	}
	/* else a duplicate or reordered packet: counted, max_seq kept. */
	st->received++;

	/* A.8: J += (|D| - J) / 16, kept scaled by 16 to stay in integers.
	 * Unsigned wrap-around makes the transit difference right even when
	 * timestamps or the arrival clock wrap. */
	transit = arrival - h->ts;
	d = transit - st->transit;
	st->transit = transit;
	if ((int32_t)d < 0)
		d = -d;
	st->jitter += d - ((st->jitter + 8) >> 4);
}

uint32_t rtp_rxstats_ext_seq(const struct rtp_rxstats *st)
{
	return st->cycles + st->max_seq;
}

uint32_t rtp_rxstats_expected(const struct rtp_rxstats *st)
{
	if (!st->active)
		return 0;
	return rtp_rxstats_ext_seq(st) - st->base_seq + 1;
}

int rtp_rxstats_lost(const struct rtp_rxstats *st)
{
	return (int)(rtp_rxstats_expected(st) - st->received);
}

double rtp_rxstats_jitter_ms(const struct rtp_rxstats *st, int clock)
{
	if (clock <= 0)
		return 0;
	return (st->jitter / 16.0) * 1000.0 / clock;
}

uint8_t rtp_rxstats_fraction(struct rtp_rxstats *st)
{
	uint32_t expected = rtp_rxstats_expected(st);
	uint32_t exp_int = expected - st->expected_prior;
	uint32_t rec_int = st->received - st->received_prior;
	int32_t lost_int = (int32_t)(exp_int - rec_int);

	st->expected_prior = expected;
	st->received_prior = st->received;
	if (exp_int == 0 || lost_int <= 0)
		return 0;
	return (uint8_t)(((uint64_t)lost_int << 8) / exp_int);
}

/* getrandom() cannot fail short for 12 bytes once the pool is ready; the
 * /dev/urandom fallback covers kernels without it (ENOSYS). */
static void fill_random(void *p, size_t n)
{
	ssize_t r = getrandom(p, n, 0);
	int fd;

	if (r == (ssize_t)n)
		return;
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		r = read(fd, p, n);
		close(fd);
	}
}

void rtp_tx_init(struct rtp_tx *tx)
{
	struct {
		uint32_t ssrc, ts;
		uint16_t seq;
	} r = {0};

	fill_random(&r, sizeof(r));
	memset(tx, 0, sizeof(*tx));
	tx->ssrc = r.ssrc;
	tx->ts = r.ts;
	tx->seq = r.seq;
}

int rtp_tx_pack(struct rtp_tx *tx, uint8_t *buf, size_t buflen, uint8_t pt,
		int marker, uint32_t ts_step, const uint8_t *payload,
		size_t plen)
{
	struct rtp_hdr h = {.pt = pt,
			    .marker = marker,
			    .seq = tx->seq,
			    .ts = tx->ts,
			    .ssrc = tx->ssrc};
	int n = rtp_pack(buf, buflen, &h, payload, plen);

	if (n < 0)
		return n;
	tx->seq++;
	tx->ts += ts_step;
	tx->packets++;
	tx->octets += (uint32_t)plen;
	return n;
}
