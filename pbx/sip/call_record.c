/* call_record.c - which calls are recorded and where the WAV goes. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/call.h"
#include "media/media.h"
#include "media/mchan.h"
#include "media/mrec.h"
#include "db_record.h"
#include "core/log.h"

int call_rec_max(int a, int b)
{
	return a > b ? a : b;
}

/* tenants/DOMAIN/recordings/YYYY-MM-DD/HHMMSS-CALLID-SEQ.wav under the
 * spool, the Call-ID reduced to characters safe in a file name. The
 * sequence number keeps a call's second bridge from landing on its
 * first one's file, even within the same second. */
static void rec_path(const struct call *c, int seq, char *rel, size_t rlen)
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
	snprintf(rel, rlen, "tenants/%s/recordings/%s/%s-%s-%d.wav", c->domain,
		 day, hms, id, seq);
}

void call_rec_start(struct call *c, int mode)
{
	char abs[PATH_MAX + DB_URI_LEN], code[DB_REC_CODE_LEN] = "";
	struct mrec_notify nf;
	struct call_rec *r;

	if (mode == DB_REC_NEVER || !c->mc)
		return;
	call_rec_stop(c); /* a recording left running ends first */
	if (c->nrec == DB_REC_MAX) {
		LOGC(LOGL_WARN, "rec", c->domain, c->call_id,
		     "not recorded: the call has had %d recordings already",
		     DB_REC_MAX);
		return;
	}
	/* grown one at a time: most calls record once or never */
	r = realloc(c->recs, (size_t)(c->nrec + 1) * sizeof(*r));
	if (!r) {
		LOGC(LOGL_ERROR, "rec", c->domain, c->call_id,
		     "out of memory: not recorded");
		return;
	}
	c->recs = r; /* owned by the call, freed by call_free */
	r = &c->recs[c->nrec];
	memset(r, 0, sizeof(*r));
	rec_path(c, c->nrec + 1, r->rel, sizeof(r->rel));
	r->started_us = now_us();
	snprintf(abs, sizeof(abs), "%s/%s", c->sip->conf->spool_dir, r->rel);
	/* One indexed read on the SIP thread, as the call's other tenant
	 * settings; only for calls that record. */
	if (mode == DB_REC_ON_DEMAND)
		db_tenant_record_code(c->sip->db, c->tenant_id, code);
	call_rec_notify(c, &nf);
	if (mchan_record(c->mc, abs, mode == DB_REC_ON_DEMAND, code, &nf)) {
		LOGC(LOGL_ERROR, "rec", c->domain, c->call_id,
		     "cannot record the call");
		return;
	}
	c->nrec++;
	c->rec_active = 1;
	if (mode == DB_REC_ON_DEMAND)
		LOGC(LOGL_INFO, "rec", c->domain, c->call_id,
		     "on demand (%s): %s", code, r->rel);
	else
		LOGC(LOGL_INFO, "rec", c->domain, c->call_id, "recording to %s",
		     r->rel);
}

void call_rec_stop(struct call *c)
{
	if (!c->rec_active)
		return;
	c->rec_active = 0;
	if (!c->mc)
		return;
	c->recs[c->nrec - 1].seen |= mchan_recorded(c->mc);
	mchan_record_stop(c->mc);
}

int call_rec_list(struct call *c, struct db_recording *out)
{
	int n = 0;

	/* The one still running (the call ended in its bridge): whether it
	 * wrote audio is the channel's to say. */
	if (c->rec_active && c->mc)
		c->recs[c->nrec - 1].seen |= mchan_recorded(c->mc);
	for (int i = 0; i < c->nrec && n < DB_REC_MAX; i++) {
		if (!c->recs[i].seen)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].path, sizeof(out[n].path), "%s",
			 c->recs[i].rel);
		out[n].started_us = c->recs[i].started_us;
		n++;
	}
	return n;
}
