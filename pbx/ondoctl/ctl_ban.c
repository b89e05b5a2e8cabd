/* ctl_ban.c - ondoctl ban list | del: sources and extensions blocked by
 * the brute-force lockout (asks the running daemon; pbx/sip/ban.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ondoctl/ondoctl.h"

static int ban_row(char **f, void *arg)
{
	char left[32];
	const char *what = !strncmp(f[0], "ip:", 3)	? "address"
			   : !strncmp(f[0], "ext:", 4) ? "extension"
						      : "?";
	const char *who = strchr(f[0], ':') ? strchr(f[0], ':') + 1 : f[0];

	octl_fmt_duration(left, sizeof(left), atoll(f[1]));
	return octl_table_add(arg, what, who, left, f[3]);
}

int octl_ban_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"KIND", "WHO", "BLOCKED FOR",
					     "BLOCKS"};
	struct octl_table *table;
	char *body = NULL;
	int n, st;

	if (octl_parse(o, argc, argv, NULL, 0, 0, &n))
		return OCTL_USAGE;
	if ((st = octl_ask(o, "bans", &body)))
		return st;
	if (octl_table_alloc(&table, 4, header)) {
		free(body);
		return octl_err("out of memory");
	}
	st = octl_reply_rows(body, 4, "ban", ban_row, table);
	if (st == OCTL_OK && !octl_table_rows(table))
		printf("nothing is blocked\n");
	else if (st == OCTL_OK)
		octl_table_print(table, stdout);
	octl_table_free(table);
	free(body);
	return st;
}

int octl_ban_del(struct octl *o, int argc, char **argv)
{
	char cmd[300], *body = NULL;
	int n, st;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (strlen(argv[0]) > 200 || strpbrk(argv[0], " \t\r\n"))
		return octl_err("invalid address or extension '%s'", argv[0]);
	snprintf(cmd, sizeof(cmd), "unban %s%s",
		 strchr(argv[0], '@') ? "ext:" : "ip:", argv[0]);
	/* EXT@DOMAIN: the tenant's admin sees the block lifted. */
	if (strchr(argv[0], '@'))
		octl_audit_tenant(o, strchr(argv[0], '@') + 1);
	st = octl_ask(o, cmd, &body);
	free(body);
	if (st == OCTL_OK)
		printf("%s is no longer blocked\n", argv[0]);
	return st;
}
