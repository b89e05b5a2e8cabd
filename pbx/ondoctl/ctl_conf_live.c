/* ctl_conf_live.c - ondoctl conf live | members | mute | unmute | kick |
 * lock | unlock: the rooms people are in now, asked of the running
 * daemon (pbx/room/room_ctl.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ondoctl/ondoctl.h"

static void since(char *buf, size_t len, const char *epoch)
{
	time_t t = (time_t)atoll(epoch);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%H:%M:%S", &tm);
}

static int live_row(char **f, void *arg)
{
	char when[16];

	since(when, sizeof(when), f[5]);
	return octl_table_add(arg, f[0], f[1], f[2],
			      atoi(f[3]) ? "locked" : "open",
			      atoi(f[4]) ? "yes" : "no", when);
}

int octl_conf_live(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"TENANT", "ROOM", "MEMBERS",
					     "LOCK", "RECORDING", "SINCE"};
	struct octl_table *table;
	char cmd[300], *body = NULL;
	int n, st;

	if (octl_parse(o, argc, argv, NULL, 0, 1, &n))
		return OCTL_USAGE;
	if (n && octl_check_domain(argv[0]))
		return OCTL_ERR;
	snprintf(cmd, sizeof(cmd), "conf live%s%s", n ? " " : "",
		 n ? argv[0] : "");
	if ((st = octl_ask(o, cmd, &body)))
		return st;
	if (octl_table_alloc(&table, 6, header)) {
		free(body);
		return octl_err("out of memory");
	}
	st = octl_reply_rows(body, 6, "room", live_row, table);
	if (st == OCTL_OK && !octl_table_rows(table))
		printf("nobody is in a conference room\n");
	else if (st == OCTL_OK)
		octl_table_print(table, stdout);
	octl_table_free(table);
	free(body);
	return st;
}

static int member_row(char **f, void *arg)
{
	char when[16];
	char flags[48];

	since(when, sizeof(when), f[7]);
	snprintf(flags, sizeof(flags), "%s%s%s%s",
		 atoi(f[3]) ? "moderator " : "", atoi(f[4]) ? "muted " : "",
		 atoi(f[5]) ? "speaking " : "", atoi(f[6]) ? "waiting " : "");
	return octl_table_add(arg, f[0], f[1], f[2][0] ? f[2] : "-", when,
			      flags[0] ? flags : "-");
}

/* "DOMAIN ROOM" checked, and the command line with them. */
static int room_cmd(struct octl *o, int argc, char **argv, int words,
		    const char *verb, char *cmd, size_t len)
{
	int n;

	if (octl_parse(o, argc, argv, NULL, words, words, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]) || octl_check_number(argv[1]))
		return OCTL_ERR;
	if (words == 3 && atoi(argv[2]) <= 0)
		return octl_err("invalid member id '%s' (see conf members)",
				argv[2]);
	snprintf(cmd, len, "conf %s %s %s%s%s", verb, argv[0], argv[1],
		 words == 3 ? " " : "", words == 3 ? argv[2] : "");
	return OCTL_OK;
}

int octl_conf_members(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"ID", "CALLER", "NAME", "SINCE",
					     "STATE"};
	struct octl_table *table;
	char cmd[400], *body = NULL;
	int st = room_cmd(o, argc, argv, 2, "members", cmd, sizeof(cmd));

	if (st)
		return st;
	if ((st = octl_ask(o, cmd, &body)))
		return st;
	if (octl_table_alloc(&table, 5, header)) {
		free(body);
		return octl_err("out of memory");
	}
	st = octl_reply_rows(body, 8, "member", member_row, table);
	if (st == OCTL_OK)
		octl_table_print(table, stdout);
	octl_table_free(table);
	free(body);
	return st;
}

static int act(struct octl *o, int argc, char **argv, int words,
	       const char *verb, const char *done)
{
	char cmd[400], *body = NULL;
	int st = room_cmd(o, argc, argv, words, verb, cmd, sizeof(cmd));

	if (st)
		return st;
	octl_audit_tenant(o, argv[0]);
	st = octl_ask(o, cmd, &body);
	free(body);
	if (st == OCTL_OK)
		printf("room %s of %s: %s\n", argv[1], argv[0], done);
	return st;
}

int octl_conf_mute(struct octl *o, int argc, char **argv)
{
	return act(o, argc, argv, 3, "mute", "member muted");
}

int octl_conf_unmute(struct octl *o, int argc, char **argv)
{
	return act(o, argc, argv, 3, "unmute", "member unmuted");
}

int octl_conf_kick(struct octl *o, int argc, char **argv)
{
	return act(o, argc, argv, 3, "kick", "member removed");
}

int octl_conf_lock(struct octl *o, int argc, char **argv)
{
	return act(o, argc, argv, 2, "lock", "locked");
}

int octl_conf_unlock(struct octl *o, int argc, char **argv)
{
	return act(o, argc, argv, 2, "unlock", "unlocked");
}
