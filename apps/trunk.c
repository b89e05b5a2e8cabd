/* trunk.c - calls out through carriers: "trunk T1[,T2...] +E164" tries each
 * trunk in turn while the carrier, not the called party, is the problem. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apps/apps.h"
#include "core/log.h"

#define MAX_TRUNKS 8

static int trunk_run(struct chan *c, const char *args)
{
	char list[256], target[320], *save = NULL;
	const char *number = strchr(args, ' ');
	int r = -ENETUNREACH, n = 0;

	if (!number || (size_t)(number - args) >= sizeof(list))
		return -EINVAL;
	memcpy(list, args, (size_t)(number - args));
	list[number - args] = '\0';
	while (*number == ' ')
		number++;
	for (char *name = strtok_r(list, ",", &save); name && n < MAX_TRUNKS;
	     name = strtok_r(NULL, ",", &save), n++) {
		snprintf(target, sizeof(target), "trunk:%s/%s", name, number);
		r = chan_bridge(c, target, 0);
		/* Busy, no answer, a wrong number: the same on any
		 * carrier. Only a carrier's own failure moves on. */
		if (r != -ENETUNREACH)
			return r;
		LOGC(LOGL_INFO, "app", chan_domain(c), chan_call_id(c),
		     "trunk %s failed for %s; trying the next", name, number);
	}
	return r;
}

const struct app app_trunk = {.name = "trunk", .run = trunk_run};
