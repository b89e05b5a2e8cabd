/* echo.c - the echo test: the caller hears itself until it presses #. */
#include "apps/apps.h"

static int echo_run(struct chan *c, const char *args)
{
	int r = chan_answer(c);

	if (!r)
		r = chan_play(c, "echo_test", "#", NULL);
	if (!r)
		r = chan_echo(c, "#");
	if (!r)
		r = chan_play(c, "goodbye", NULL, NULL);
	return r;
}

const struct app app_echo = {.name = "echo", .run = echo_run};
