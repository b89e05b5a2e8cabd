/* dial.c - rings an extension. A route whose app is dial is served by the
 * SIP core directly (no app thread: a bridged call costs no thread); this
 * descriptor serves apps that dial from within a call. */
#include "apps/apps.h"

static int dial_run(struct chan *c, const char *args)
{
	return chan_bridge(c, args, 30);
}

const struct app app_dial = {.name = "dial", .run = dial_run};
