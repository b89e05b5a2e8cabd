/* playback.c - plays prompts ("welcome&goodbye"), then hangs up. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apps/apps.h"

/* args: PROMPT[&PROMPT...]. The call is answered first; playing before
 * the answer (early media) is not offered yet. */
static int playback_run(struct chan *c, const char *args)
{
	char list[256], *save = NULL;
	int r;

	snprintf(list, sizeof(list), "%s", args ? args : "");
	if (!list[0])
		return -EINVAL;
	r = chan_answer(c);
	for (char *id = strtok_r(list, "&", &save); !r && id;
	     id = strtok_r(NULL, "&", &save)) {
		/* A route names prompts, never files: no path may reach
		 * another tenant's recordings. */
		if (strchr(id, '/'))
			return -EINVAL;
		r = chan_play(c, id, NULL, NULL);
	}
	return r;
}

const struct app app_playback = {.name = "playback", .run = playback_run};
