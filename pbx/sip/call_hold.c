/* call_hold.c - hold: a phone's re-INVITE says it wants no audio
 * (a=sendonly, a=inactive, c=0.0.0.0); its party hears the PBX's music
 * on hold until the phone resumes (docs/hold.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/call.h"
#include "media/media.h"
#include "media/mchan.h"
#include "core/log.h"

/* The tenant's own music (a prompt named "moh" uploaded or recorded for
 * it), else the stock one, as pcm at `rate`. */
int call_moh(struct call *c, int rate, const int16_t **pcm, int *n)
{
	return call_prompt_pcm(c, "moh", rate, pcm, n);
}

void call_hold(struct call *c, struct leg *l, int hold)
{
	const int16_t *pcm = NULL;
	struct mchan *party;
	int n = 0, err;

	if (hold == l->holding || (l != &c->a && l != c->winner) ||
	    c->state != CALL_ANSWERED)
		return;
	l->holding = hold;
	/* A relay carries no audio of the PBX's: it becomes two channels
	 * on the ports the phones know. */
	if (hold && !c->chan && call_split(c)) {
		LOGC(LOGL_WARN, "hold", c->domain, c->call_id,
		     "on hold without music: the codec cannot be decoded");
		return;
	}
	party = l == &c->a ? c->bmc : c->mc;
	if (!party || (c->chan && !c->bridged))
		return; /* nobody to play to (an app's caller alone) */
	if (hold) {
		err =
		    call_moh(c, codec_info(mchan_codec(party))->rate, &pcm, &n);
		if (err)
			LOGC(LOGL_WARN, "hold", c->domain, c->call_id,
			     "no music on hold: %s", strerror(-err));
	}
	mchan_set_moh(party, pcm, n);
	LOGC(LOGL_INFO, "hold", c->domain, c->call_id, "%s %s",
	     l == &c->a ? c->caller : c->callee,
	     hold ? "holds the call: music on hold" : "resumes the call");
}
