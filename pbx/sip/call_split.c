/* call_split.c - the relay of a direct call turned into two media
 * channels, when the PBX must hear or speak into it (recording, a
 * transfer, music on hold). */
#include <errno.h>
#include <string.h>

#include "sip/call.h"
#include "sip/sdp_oa.h"
#include "media/media.h"
#include "media/mchan.h"

int call_split_prepare(struct call *c, const sip_t *sip)
{
	const struct codec_info *ci;
	struct sdp_offer ans;

	c->can_split = 0;
	/* offer_x exists when the caller offered a codec the PBX decodes;
	 * xa.te_pt is then its telephone-event type. */
	if (!c->media || !c->offer_x || !sip || !sip->sip_payload ||
	    sdp_offer_parse(sip->sip_payload->pl_data,
			    sip->sip_payload->pl_len, &ans) ||
	    !ans.nfmt)
		return -EPROTONOSUPPORT;
	ci = codec_by_name(ans.fmt[0].name);
	if (!ci || ci->clock != ans.fmt[0].clock)
		return -EPROTONOSUPPORT;
	/* The relay passed the caller's offer on as it was: the callee
	 * answered with the caller's payload type for the codec. */
	c->split_p[0] = (struct mchan_params){.codec = ci->id,
					      .pt = ans.fmt[0].pt,
					      .te_pt = c->xa.te_pt,
					      .tag = c->call_id};
	c->split_p[1] = (struct mchan_params){.codec = ci->id,
					      .pt = ans.fmt[0].pt,
					      .te_pt = ans.te_pt,
					      .tag = c->call_id};
	c->can_split = 1;
	return 0;
}

int call_split(struct call *c)
{
	struct mchan *mc[2];
	int err;

	if (!c->media) /* split already (one side may have left since) */
		return c->mc || c->bmc ? 0 : -EPROTONOSUPPORT;
	if (!c->can_split)
		return -EPROTONOSUPPORT;
	err = mchan_split(c->media, c->split_p, mc);
	if (err)
		return err;
	c->media = NULL;
	c->mc = mc[0];
	c->bmc = mc[1];
	return 0;
}
