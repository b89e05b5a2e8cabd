/* fuzz_rtcp.c - libFuzzer target: a compound RTCP packet from a phone's
 * public RTCP port (rtcp_parse), and what a media channel takes from it
 * (the round-trip time of each report block about our stream).
 * Input: the UDP payload. */
#include <errno.h>

#include "fuzz/fuzz_util.h"
#include "media/rtcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtcp_report r;
	uint8_t *pkt = malloc(size ? size : 1);
	int err;

	if (!pkt)
		abort();
	/* A copy of its exact size, so ASan sees any read past it. */
	memcpy(pkt, data, size);
	err = rtcp_parse(pkt, size, &r);
	FUZZ_CHECK(err == 0 || err == -ENOENT || err == -EINVAL,
		   "rtcp_parse returned %d", err);
	if (err == 0 || err == -ENOENT) {
		FUZZ_CHECK(r.nblocks >= 0 && r.nblocks <= RTCP_MAX_BLOCKS,
			   "%d report blocks kept", r.nblocks);
		FUZZ_CHECK(!r.has_sr || err == 0, "an SR but -ENOENT");
		for (int i = 0; i < r.nblocks; i++) {
			int rtt = rtcp_rtt_ms(&r.blocks[i], rtcp_ntp_now());
			FUZZ_CHECK(rtt >= -1, "round-trip time %d ms", rtt);
			FUZZ_CHECK(r.blocks[i].cum_lost >= -0x800000 &&
				       r.blocks[i].cum_lost <= 0x7fffff,
				   "cumulative loss %d outside 24 bits",
				   r.blocks[i].cum_lost);
		}
	}
	free(pkt);
	return 0;
}
