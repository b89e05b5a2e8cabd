/* ctl_reload.c - ondoctl reload: the running daemon reads its config file
 * again and says what changed (pbx/reload.c). SIGHUP does the same. */
#include <stdio.h>
#include <stdlib.h>

#include "ondoctl/ondoctl.h"

int octl_reload(struct octl *o, int argc, char **argv)
{
	char *body = NULL;
	int n, st;

	if (octl_parse(o, argc, argv, NULL, 0, 0, &n))
		return OCTL_USAGE;
	st = octl_ask(o, "reload", &body);
	if (st == OCTL_OK && body)
		fputs(body, stdout);
	free(body);
	return st;
}
