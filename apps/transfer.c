/* transfer.c - the transferred party of a blind transfer (call_xfer.c):
 * rings the target; if the target does not take the call, rings the
 * extension that transferred it back, so that the caller never ends in
 * silence. Not a route's app: the SIP core starts it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apps/apps.h"

/* args: "TARGET,BACK" - what a dial route would ring, and the extension
 * that transferred. */
static int transfer_run(struct chan *c, const char *args)
{
	char target[128], back[64];
	const char *comma = strrchr(args, ',');
	int r;

	if (!comma || (size_t)(comma - args) >= sizeof(target) ||
	    !comma[1] ||
	    strlen(comma + 1) >= sizeof(back))
		return -EINVAL;
	snprintf(target, sizeof(target), "%.*s", (int)(comma - args), args);
	snprintf(back, sizeof(back), "%s", comma + 1);
	/* No target: the number was refused; straight back. */
	r = target[0] ? chan_bridge(c, target, 0) : -ENOENT;
	if (r == 0 || r == -ECONNRESET || !back[0] || !strcmp(back, target))
		return r;
	/* Busy, no answer, gone: back to the one who transferred. */
	r = chan_bridge(c, back, 0);
	if (r == 0 || r == -ECONNRESET)
		return r;
	return chan_play(c, "cannot_complete", NULL, NULL);
}

const struct app app_transfer = {.name = "transfer", .run = transfer_run};
