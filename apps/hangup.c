/* hangup.c - ends the call at once (a route that blocks a number). */
#include "apps/apps.h"

static int hangup_run(struct chan *c, const char *args)
{
	return chan_hangup(c);
}

const struct app app_hangup = {.name = "hangup", .run = hangup_run};
