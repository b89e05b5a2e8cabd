/* call_record.c - which calls are recorded and where the WAV goes. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sip/call.h"
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
