/* dial.c - a route that rings an extension through the PBX's media path.
 * An extension dialled as it is (no route) is relayed by the SIP core
 * without an app thread; a route to dial runs here: the caller hears
 * ringback as early media, is answered when the callee answers, and is
 * joined to it, transcoding when their codecs differ. */
#include <errno.h>

#include "apps/apps.h"

static int dial_run(struct chan *c, const char *args)
{
	int r = chan_bridge(c, args, 0);

	/* Not answered (the usual case: the caller heard ringback as early
	 * media): the outcome becomes the caller's SIP status, 486 for busy
	 * and so on, which its phone shows. */
	if (!chan_answered(c))
		return r;
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
