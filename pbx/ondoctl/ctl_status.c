/* ctl_status.c - ondoctl status: what the running daemon holds and uses
 * (pbx/status.c), one "key value" line each. */
#include <stdio.h>
#include <stdlib.h>

#include "ondoctl/ondoctl.h"

int octl_status(struct octl *o, int argc, char **argv)
{
	char *body = NULL;
	int n, st;

	if (octl_parse(o, argc, argv, NULL, 0, 0, &n))
		return OCTL_USAGE;
	st = octl_ask(o, "status", &body);
	if (st == OCTL_OK && body)
		fputs(body, stdout);
	free(body);
	return st;
}
