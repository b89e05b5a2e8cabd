/* call_record.c - which calls are recorded, where the WAV goes, and the
 * relay of a direct call turned into channels so that it can be. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sip/call.h"
#include "sip/sdp_oa.h"
#include "media/media.h"
#include "media/mchan.h"
#include "db_record.h"
#include "core/log.h"

int call_rec_max(int a, int b)
{
	return a > b ? a : b;
}

/* tenants/DOMAIN/recordings/YYYY-MM-DD/HHMMSS-CALLID.wav under the spool,
 * the Call-ID reduced to characters safe in a file name. */
static void rec_paths(struct call *c, char *abs, size_t alen)
{
	char id[64], day[16], hms[8];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	strftime(hms, sizeof(hms), "%H%M%S", &tm);
	for (i = 0; c->call_id[i] && i < sizeof(id) - 1; i++) {
		char ch = c->call_id[i];
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			 (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
		id[i] = ok ? ch : '_';
	}
	id[i] = '\0';
	snprintf(c->rec_rel, sizeof(c->rec_rel),
		 "tenants/%s/recordings/%s/%s-%s.wav", c->domain, day, hms, id);
	snprintf(abs, alen, "%s/%s", c->sip->conf->spool_dir, c->rec_rel);
}

void call_rec_start(struct call *c, int mode)
{
	char abs[PATH_MAX + DB_URI_LEN];

	if (mode == DB_REC_NEVER || !c->mc)
		return;
	if (!c->rec_rel[0])
		rec_paths(c, abs, sizeof(abs));
	else
		snprintf(abs, sizeof(abs), "%s/%s", c->sip->conf->spool_dir,
			 c->rec_rel);
	if (mchan_record(c->mc, abs, mode == DB_REC_ON_DEMAND, CALL_REC_CODE))
		LOGC(LOGL_ERROR, "rec", c->domain, c->call_id,
		     "cannot record the call");
	else
		LOGC(LOGL_INFO, "rec", c->domain, c->call_id, "%s %s",
		     mode == DB_REC_ON_DEMAND ? "on demand (" CALL_REC_CODE
						"):"
					      : "recording to",
		     c->rec_rel);
}

void call_rec_stop(struct call *c)
{
	if (!c->rec_rel[0] || !c->mc)
		return;
	c->rec_seen |= mchan_recorded(c->mc);
	mchan_record_stop(c->mc);
}

int call_rec_split(struct call *c, const sip_t *sip)
{
	const struct codec_info *ci;
	struct mchan_params p[2];
	struct mchan *mc[2];
	struct sdp_offer ans;
	int err;

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
	p[0] = (struct mchan_params){.codec = ci->id, .pt = ans.fmt[0].pt,
				     .te_pt = c->xa.te_pt, .tag = c->call_id};
	p[1] = (struct mchan_params){.codec = ci->id, .pt = ans.fmt[0].pt,
				     .te_pt = ans.te_pt, .tag = c->call_id};
	err = mchan_split(c->media, p, mc);
	if (err)
		return err;
	c->media = NULL;
	c->mc = mc[0];
	c->bmc = mc[1];
	return 0;
}
