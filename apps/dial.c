/* dial.c - a route that rings an extension through the PBX's media path.
 * An extension dialled as it is (no route) is relayed by the SIP core
 * without an app thread; a route to dial runs here: the caller is
 * answered, hears ringback, and is joined to the callee, transcoding
 * when their codecs differ. */
#include <errno.h>

#include "apps/apps.h"

static int dial_run(struct chan *c, const char *args)
{
	int r = chan_answer(c);

	if (!r)
		r = chan_bridge(c, args, 0);
	switch (r) {
	case -EBUSY:
		return chan_play(c, "busy", NULL, NULL);
	case -ETIMEDOUT:
		return chan_play(c, "no_answer", NULL, NULL);
	case -EHOSTUNREACH:
		return chan_play(c, "not_available", NULL, NULL);
	case -ENOENT:
	case -EPROTONOSUPPORT:
		return chan_play(c, "cannot_complete", NULL, NULL);
	default:
		return r;
	}
}

const struct app app_dial = {.name = "dial", .run = dial_run};
