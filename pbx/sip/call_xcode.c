/* call_xcode.c - a call between two phones that share no codec. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sip/call.h"
#include "sip/sdp_oa.h"
#include "media/media.h"
#include "media/mchan.h"
#include "core/log.h"

/*
 * A call between two phones is first offered to the callee exactly as the
 * caller made it, so that phones with a codec in common talk through the
 * plain relay, with no decoding. A phone that refuses that offer for want
 * of a common codec (488, 415 or 606) is offered the PBX's own codecs on
 * the same relay port; when it answers, the relay turns into two joined
 * media channels that decode one side and encode for the other.
 */

int xcode_retry(struct call *c, struct leg *l, int status)
{
	if (l->xcode || !c->offer_x || !c->media)
		return -ENOENT;
	if (status != 488 && status != 415 && status != 606)
		return -ENOENT;
	LOGC(LOGL_INFO, "call", c->domain, c->call_id,
	     "%s refused the caller's codecs (%d): offering the PBX's own, "
	     "to transcode",
	     c->callee, status);
	return leg_b_start(c, l->contact, l->route, 1);
}

/* Our SDP for each side: an answer with the one codec each talks. */
static int answers(struct call *c, const struct mchan_params p[2],
		   char **a_sdp, char **b_sdp)
{
	char sdp[1024];
	int n;

	n = sdp_answer_build(sdp, sizeof(sdp), c->sip->host,
			     msess_port(c->media, MSIDE_A), p[0].codec, p[0].pt,
			     p[0].te_pt, c->sdp_id);
	if (n < 0 || !(*a_sdp = strdup(sdp)))
		return n < 0 ? n : -ENOMEM;
	n = sdp_answer_build(sdp, sizeof(sdp), c->sip->host,
			     msess_port(c->media, MSIDE_B), p[1].codec, p[1].pt,
			     p[1].te_pt, c->sdp_id);
	if (n < 0 || !(*b_sdp = strdup(sdp))) {
		free(*a_sdp);
		*a_sdp = NULL;
		return n < 0 ? n : -ENOMEM;
	}
	return 0;
}

int xcode_answer(struct call *c, struct leg *l, const sip_t *sip)
{
	struct mchan_params p[2];
	struct mchan *mc[2];
	struct sdp_offer ans;
	char *a_sdp = NULL, *b_sdp = NULL;
	int err;

	if (!sip || !sip->sip_payload ||
	    sdp_offer_parse(sip->sip_payload->pl_data,
			    sip->sip_payload->pl_len, &ans))
		return -EPROTO;
	memset(p, 0, sizeof(p));
	p[0] = (struct mchan_params){.codec = c->xa.codec, .pt = c->xa.pt,
				     .te_pt = c->xa.te_pt, .tag = c->call_id};
	p[1] = (struct mchan_params){.te_pt = ans.te_pt, .tag = c->call_id};
	if (sdp_offer_choose(&ans, c->pref, c->npref, &p[1].codec, &p[1].pt))
		return -EPROTONOSUPPORT;
	err = answers(c, p, &a_sdp, &b_sdp);
	if (!err)
		err = msess_set_remote(c->media, MSIDE_B, &ans.addr, NULL);
	if (!err)
		err = mchan_split(c->media, p, mc);
	if (err) {
		free(a_sdp);
		free(b_sdp);
		return err;
	}
	c->media = NULL; /* the channels own its sockets now */
	c->mc = mc[0];
	c->bmc = mc[1];
	free(c->a.local_sdp);
	c->a.local_sdp = a_sdp;
	free(l->local_sdp);
	l->local_sdp = b_sdp;
	LOGC(LOGL_INFO, "call", c->domain, c->call_id,
	     "transcoding %s (%s) <-> %s (%s)", c->caller,
	     codec_info(p[0].codec)->name, c->callee,
	     codec_info(p[1].codec)->name);
	return 0;
}
