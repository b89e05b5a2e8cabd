/* rtcp.h - RTCP (RFC 3550) SR/RR parsing and building, round-trip time. */
#ifndef ONDO_RTCP_H
#define ONDO_RTCP_H

#include <stddef.h>
#include <stdint.h>

#include "media/rtp.h"

#define RTCP_MAX_BLOCKS 4 /* report blocks kept from one packet */

/* A reception report block: what the sender of the RTCP packet says about
 * the stream from `ssrc`. */
struct rtcp_block {
	uint32_t ssrc;
	uint8_t fraction_lost; /* in 1/256, since its previous report */
	int32_t cum_lost;      /* 24-bit signed on the wire */
	uint32_t ext_seq;      /* extended highest sequence number */
	uint32_t jitter;       /* in RTP clock units */
	uint32_t lsr;	       /* middle 32 bits of our last SR's NTP time */
	uint32_t dlsr;	       /* delay since it, in 1/65536 s */
};

/* The first SR or RR of a compound packet. */
struct rtcp_report {
	int has_sr; /* the sender info fields below are valid */
	int has_bye;
	uint32_t ssrc; /* of the packet's sender */
	uint64_t ntp;  /* SR: wallclock, NTP format (32.32) */
	uint32_t rtp_ts, pkt_count, octet_count;
	int nblocks; /* 0..RTCP_MAX_BLOCKS; further blocks are ignored */
	struct rtcp_block blocks[RTCP_MAX_BLOCKS];
};

/* Parses a compound RTCP packet. SDES, BYE (sets has_bye), APP and unknown
 * types are skipped; a second SR/RR in the same compound is ignored.
 * Returns 0 when an SR or RR was found, -ENOENT for a well-formed compound
 * without one (a lone BYE, or RFC 5506 reduced-size RTCP), -EINVAL for
 * anything malformed or truncated. Never reads past buf + len. */
int rtcp_parse(const uint8_t *buf, size_t len, struct rtcp_report *r);

/* Builds a compound report: an SR when tx is given (its packet and octet
 * counts, now_ntp and now_rtp_ts as sender info), else an RR, from `ssrc`;
 * with one report block about remote_ssrc when rx is given and has seen a
 * packet (lsr and dlsr from the caller, see rtcp_ntp_mid()), followed by an
 * SDES with the CNAME (at most 255 bytes). rx is not const: its loss fraction
 * interval restarts (rtp_rxstats_fraction()), so build one report per interval.
 * Returns the length, -EINVAL or -ENOSPC. */
int rtcp_pack_report(uint8_t *buf, size_t len, const struct rtp_tx *tx,
		     uint32_t ssrc, struct rtp_rxstats *rx,
		     uint32_t remote_ssrc, uint64_t now_ntp,
		     uint32_t now_rtp_ts, uint32_t lsr, uint32_t dlsr,
		     const char *cname);

/* Round-trip time in ms from a block the far end sent about our stream
 * (RFC 3550 6.4.1: now - LSR - DLSR). -1 if the far end has had no SR
 * from us (LSR 0) or the result is negative (clock trouble). */
int rtcp_rtt_ms(const struct rtcp_block *b, uint64_t now_ntp);

/* The wallclock in NTP format: seconds since 1900 in the high 32 bits. */
uint64_t rtcp_ntp_now(void);
/* The middle 32 bits of an NTP time, the unit of LSR and of DLSR
 * (1/65536 s): the LSR to send is rtcp_ntp_mid(report.ntp) of the last SR
 * received, and DLSR is rtcp_ntp_mid(now) - rtcp_ntp_mid(time it came). */
uint32_t rtcp_ntp_mid(uint64_t ntp);

#endif
