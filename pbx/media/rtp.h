/* rtp.h - RTP (RFC 3550) packing, parsing, and send/receive bookkeeping. */
#ifndef ONDO_RTP_H
#define ONDO_RTP_H

#include <stddef.h>
#include <stdint.h>

#define RTP_HDR_LEN 12 /* fixed header, what rtp_pack() writes */

/* The fields of an RTP header the PBX uses. CSRCs and header extensions
 * are skipped by the parser and never written by the packer. */
struct rtp_hdr {
	uint8_t pt; /* payload type, 0-127 */
	int marker;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
};

/* Parses one RTP packet of len bytes. On success fills h and points
 * *payload into buf (borrowed: valid as long as buf) with *plen bytes,
 * CSRC list, header extension and padding excluded.
 * Returns 0, or -EINVAL for a version other than 2, a truncated header,
 * CSRC list or extension, or bad padding. Never reads past buf + len. */
int rtp_parse(const uint8_t *buf, size_t len, struct rtp_hdr *h,
	      const uint8_t **payload, size_t *plen);

/* Writes a 12-byte header from h followed by plen bytes of payload (payload
 * may be NULL when plen is 0, and may already sit at buf + RTP_HDR_LEN).
 * Returns the packet length, -EINVAL (pt > 127) or -ENOSPC if buflen is too
 * small. */
int rtp_pack(uint8_t *buf, size_t buflen, const struct rtp_hdr *h,
	     const uint8_t *payload, size_t plen);

/* Receive statistics of one source (RFC 3550 A.1, A.3, A.8). Zero it (or
 * call rtp_rxstats_init) before the first packet; a packet with a new SSRC
 * restarts the statistics for that source. Fields are public for RTCP
 * reports and display; change them only through these functions. */
struct rtp_rxstats {
	int active;		 /* a packet has been seen */
	uint32_t ssrc;		 /* of the last packet */
	uint16_t max_seq;	 /* highest sequence number seen */
	uint32_t cycles;	 /* wraps of max_seq, shifted left by 16 */
	uint32_t base_seq;	 /* first sequence number */
	uint32_t bad_seq;	 /* after a jump: the seq that confirms it */
	uint32_t received;	 /* packets, duplicates included (as A.1) */
	uint32_t expected_prior; /* at the last RTCP report (A.3) */
	uint32_t received_prior;
	uint32_t transit; /* relative transit time of the last packet */
	uint32_t jitter;  /* interarrival jitter, clock units * 16 */
	uint32_t last_ts; /* timestamp of the last packet */
};

void rtp_rxstats_init(struct rtp_rxstats *st);
/* Accounts one received packet with header h that arrived at `arrival`,
 * a local time in the stream's RTP clock units (e.g. ms * clock / 1000).
 * A jump of more than 3000 ahead or 100 behind is taken as a restart of
 * the sender only when the next packet follows it (A.1); until then the
 * packet is not counted. */
void rtp_rxstats_update(struct rtp_rxstats *st, const struct rtp_hdr *h,
			uint32_t arrival);
/* Extended highest sequence number received (cycles + max_seq). */
uint32_t rtp_rxstats_ext_seq(const struct rtp_rxstats *st);
/* Packets expected so far. */
uint32_t rtp_rxstats_expected(const struct rtp_rxstats *st);
/* Cumulative packets lost: expected - received. Can be negative when
 * duplicates arrived, as RFC 3550 allows. */
int rtp_rxstats_lost(const struct rtp_rxstats *st);
/* Interarrival jitter in milliseconds for an RTP clock rate `clock`. */
double rtp_rxstats_jitter_ms(const struct rtp_rxstats *st, int clock);
/* Fraction lost since the previous call, in 1/256 (RFC 3550 A.3), and
 * starts a new interval: call once per RTCP report. */
uint8_t rtp_rxstats_fraction(struct rtp_rxstats *st);

/* Send-side state of one outgoing stream. */
struct rtp_tx {
	uint32_t ssrc;
	uint16_t seq;	  /* of the next packet */
	uint32_t ts;	  /* of the next packet */
	uint32_t packets; /* sent, for RTCP SR */
	uint32_t octets;  /* payload octets sent, for RTCP SR */
};

/* Random SSRC, first seq and first ts (RFC 3550 5.1: unpredictable, which
 * makes known-plaintext attacks on SRTP harder), counters zeroed. */
void rtp_tx_init(struct rtp_tx *tx);
/* Packs one packet with tx's SSRC, seq and ts, then advances seq by one
 * and ts by ts_step (0 for the repeats of an RFC 4733 event, which share
 * a timestamp). Returns the packet length, or the error of rtp_pack(),
 * in which case tx is unchanged. */
int rtp_tx_pack(struct rtp_tx *tx, uint8_t *buf, size_t buflen, uint8_t pt,
		int marker, uint32_t ts_step, const uint8_t *payload,
		size_t plen);

#endif
