/* call_prompt.c - a prompt played into a call by the SIP side (music on
 * hold, "this call cannot be recorded"): the tenant's own upload of the
 * id (pbx/prompt), else the stock one, as pcm from media_moh's cache. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "sip/call.h"
#include "media/media.h"
#include "prompt/prompt.h"

int call_prompt_pcm(struct call *c, const char *id, int rate,
		    const int16_t **pcm, int *n)
{
	char path[PATH_MAX];
	struct stat st;

	if (prompt_path(path, sizeof(path), c->sip->conf->spool_dir,
			c->domain, id) ||
	    stat(path, &st)) {
		if (snprintf(path, sizeof(path), "%s/%d/%s.wav",
			     c->sip->conf->sounds_dir, rate,
			     id) >= (int)sizeof(path))
			return -ENAMETOOLONG;
	}
	return media_moh(c->sip->media, path, rate, pcm, n);
}
