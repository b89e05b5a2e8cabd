/* park.c - a parked call (pbx/sip/call_park.c, docs/park.md): waits in
 * its slot with music on hold until a phone dials the slot; when nobody
 * does in time, rings the extension that parked it; when that fails too,
 * says so and hangs up. Not a route's app: the SIP core starts it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/apps.h"

/* args: "SLOT,PARKER,TIMEOUT" - where it waits, who to ring back ("" for
 * nobody), and for how many seconds. */
static int park_run(struct chan *c, const char *args)
{
	char slot[40], back[64], wait[80];
	int timeout = 0, r;

	if (sscanf(args, "%31[0-9],%63[0-9],%d", slot, back, &timeout) != 3) {
		back[0] = '\0';
		if (sscanf(args, "%31[0-9],,%d", slot, &timeout) != 2)
			return -EINVAL;
	}
	snprintf(wait, sizeof(wait), "park:%s", slot);
	/* 0 or -ECONNRESET: retrieved and talked, or gone while waiting. */
	r = chan_bridge(c, wait, timeout);
	if (r != -ETIMEDOUT || !back[0])
		return r == -ETIMEDOUT
			   ? chan_play(c, "cannot_complete", NULL, NULL)
			   : r;
	r = chan_bridge(c, back, 0);
	if (r == 0 || r == -ECONNRESET)
		return r;
	return chan_play(c, "cannot_complete", NULL, NULL);
}

const struct app app_park = {.name = "park", .run = park_run};
