/* rtcp.c - compound RTCP parsing (SR/RR) and SR/RR+SDES building. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "media/rtcp.h"

#define RTCP_VERSION	2
#define PT_SR		200
#define PT_RR		201
#define PT_SDES		202
#define PT_BYE		203
#define SDES_CNAME	1
#define BLOCK_LEN	24
#define SENDER_INFO_LEN 20
#define NTP_UNIX_OFFSET 2208988800u /* seconds from 1900 to 1970 */

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

static void parse_blocks(const uint8_t *p, unsigned count,
			 struct rtcp_report *r)
{
	struct rtcp_block *b;
	uint32_t lost;
	unsigned i;

	for (i = 0; i < count && r->nblocks < RTCP_MAX_BLOCKS; i++) {
		b = &r->blocks[r->nblocks++];
		b->ssrc = get32(p);
		b->fraction_lost = p[4];
		lost = get32(p + 4) & 0xffffff;
		/* Sign-extend the 24-bit field. */
		b->cum_lost = (int32_t)(lost ^ 0x800000) - 0x800000;
		b->ext_seq = get32(p + 8);
		b->jitter = get32(p + 12);
		b->lsr = get32(p + 16);
		b->dlsr = get32(p + 20);
		p += BLOCK_LEN;
	}
}

/*
 * Fuzz target: RTCP arrives on a public UDP port. Each packet's length
 * field is checked against the bytes left before its body is read, and
 * the body against what its count field claims.
 */
int rtcp_parse(const uint8_t *buf, size_t len, struct rtcp_report *r)
{
	const uint8_t *p;
	size_t off = 0, plen, blen, need;
	unsigned count, pad;
	int found = 0;

	if (!buf || !r || len < 4)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	while (off < len) {
		if (len - off < 4)
			return -EINVAL;
		p = buf + off;
		if (p[0] >> 6 != RTCP_VERSION)
			return -EINVAL;
		count = p[0] & 0x1f;
		plen = 4 * ((size_t)get16(p + 2) + 1);
		if (plen > len - off)
			return -EINVAL;
		blen = plen - 4;
		if (p[0] & 0x20) {
			pad = p[plen - 1];
			if (pad == 0 || pad > blen)
				return -EINVAL;
			blen -= pad;
		}
		switch (p[1]) {
		case PT_SR:
			need = 4 + SENDER_INFO_LEN + (size_t)count * BLOCK_LEN;
			if (blen < need)
				return -EINVAL;
			if (found)
				break;
			found = 1;
			r->has_sr = 1;
			r->ssrc = get32(p + 4);
			r->ntp = (uint64_t)get32(p + 8) << 32 | get32(p + 12);
			r->rtp_ts = get32(p + 16);
			r->pkt_count = get32(p + 20);
			r->octet_count = get32(p + 24);
			parse_blocks(p + 28, count, r);
			break;
		case PT_RR:
			need = 4 + (size_t)count * BLOCK_LEN;
			if (blen < need)
				return -EINVAL;
			if (found)
				break;
			found = 1;
			r->ssrc = get32(p + 4);
			parse_blocks(p + 8, count, r);
			break;
		case PT_BYE:
			r->has_bye = 1;
			break;
		default:
			/* SDES, APP, XR, feedback: nothing the PBX acts on. */
			break;
		}
		off += plen;
	}
	return found ? 0 : -ENOENT;
}

static void put_block(uint8_t *p, struct rtp_rxstats *rx, uint32_t ssrc,
		      uint32_t lsr, uint32_t dlsr)
{
	int lost = rtp_rxstats_lost(rx);

	/* Clamp to the 24-bit signed field rather than let it wrap. */
	if (lost > 0x7fffff)
		lost = 0x7fffff;
	if (lost < -0x800000)
		lost = -0x800000;
	put32(p, ssrc);
	put32(p + 4, (uint32_t)lost & 0xffffff);
	p[4] = rtp_rxstats_fraction(rx);
	put32(p + 8, rtp_rxstats_ext_seq(rx));
	put32(p + 12, rx->jitter >> 4);
	put32(p + 16, lsr);
	put32(p + 20, dlsr);
}

int rtcp_pack_report(uint8_t *buf, size_t len, const struct rtp_tx *tx,
		     uint32_t ssrc, struct rtp_rxstats *rx,
		     uint32_t remote_ssrc, uint64_t now_ntp,
		     uint32_t now_rtp_ts, uint32_t lsr, uint32_t dlsr,
		     const char *cname)
{
	size_t cn, rlen, slen, off;
	int nblk = rx && rx->active;
	uint8_t *p;

	if (!buf || !cname)
		return -EINVAL;
	cn = strlen(cname);
	if (cn > 255)
		return -EINVAL;
	rlen = (tx ? 8 + SENDER_INFO_LEN : 8) + (nblk ? BLOCK_LEN : 0);
	/* SDES: header, one chunk of SSRC, CNAME item, and at least one
	 * null octet ending the item list, padded to 32 bits. */
	slen = 4 + ((4 + 2 + cn + 1 + 3) & ~(size_t)3);
	if (len < rlen + slen)
		return -ENOSPC;

	p = buf;
	p[0] = (uint8_t)(RTCP_VERSION << 6 | nblk);
	p[1] = tx ? PT_SR : PT_RR;
	put16(p + 2, (uint16_t)(rlen / 4 - 1));
	put32(p + 4, ssrc);
	off = 8;
	if (tx) {
		put32(p + 8, (uint32_t)(now_ntp >> 32));
		put32(p + 12, (uint32_t)now_ntp);
		put32(p + 16, now_rtp_ts);
		put32(p + 20, tx->packets);
		put32(p + 24, tx->octets);
		off += SENDER_INFO_LEN;
	}
	if (nblk)
		put_block(p + off, rx, remote_ssrc, lsr, dlsr);

	p = buf + rlen;
	memset(p, 0, slen);
	p[0] = RTCP_VERSION << 6 | 1;
	p[1] = PT_SDES;
	put16(p + 2, (uint16_t)(slen / 4 - 1));
	put32(p + 4, ssrc);
	p[8] = SDES_CNAME;
	p[9] = (uint8_t)cn;
	memcpy(p + 10, cname, cn);
	return (int)(rlen + slen);
}

uint32_t rtcp_ntp_mid(uint64_t ntp)
{
	return (uint32_t)(ntp >> 16);
}

int rtcp_rtt_ms(const struct rtcp_block *b, uint64_t now_ntp)
{
	int32_t rtt;

	if (!b || !b->lsr)
		return -1;
	rtt = (int32_t)(rtcp_ntp_mid(now_ntp) - b->lsr - b->dlsr);
	if (rtt < 0)
		return -1;
	return (int)(((int64_t)rtt * 1000) >> 16);
}

uint64_t rtcp_ntp_now(void)
{
	struct timespec ts;
	uint64_t frac;

	clock_gettime(CLOCK_REALTIME, &ts);
	frac = ((uint64_t)ts.tv_nsec << 32) / 1000000000u;
	return (uint64_t)((uint32_t)ts.tv_sec + NTP_UNIX_OFFSET) << 32 | frac;
}
