/* room_ctl.c - the control socket's "conf" command: live rooms, their
 * members, mute, kick and lock (for `ondoctl conf ...`). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "room/room.h"
#include "room/room_ctl.h"

/* "live [DOMAIN]": DOMAIN NUMBER MEMBERS LOCKED RECORDING OPENED */
static int live_h(const struct room_info *ri, void *arg)
{
	fprintf(arg, "%s\t%s\t%d\t%d\t%d\t%lld\n", ri->domain, ri->number,
		ri->members, ri->locked, ri->recording, (long long)ri->opened);
	return 0;
}

/* "members": ID CALLER NAME MODERATOR MUTED SPEAKING HELD JOINED */
static int member_h(const struct room_member_info *mi, void *arg)
{
	fprintf(arg, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%lld\n", mi->id, mi->caller,
		mi->name, mi->moderator, mi->muted, mi->speaking, mi->held,
		(long long)mi->joined);
	return 0;
}

static int run(struct rooms *rs, const char *args, FILE *out);

/* Says what was not found, for ondoctl to show. */
int room_ctl_h(void *arg, const char *args, FILE *out)
{
	char op[16] = "", dom[256] = "", num[64] = "", x[16] = "";
	int err = run(arg, args, out);

	if (err != -ENOENT)
		return err;
	sscanf(args, "%15s %255s %63s %15s", op, dom, num, x);
	if (x[0] && strcmp(op, "members"))
		fprintf(out, "no member %s in room %s of %s\n", x, num, dom);
	else
		fprintf(out, "room %s of %s is not open (nobody is in it)\n",
			num, dom);
	return err;
}

static int run(struct rooms *rs, const char *args, FILE *out)
{
	char op[16] = "", dom[256] = "", num[64] = "", x[16] = "";
	int n = sscanf(args, "%15s %255s %63s %15s", op, dom, num, x), id;

	if (n < 1)
		return -EINVAL;
	if (!strcmp(op, "live"))
		return rooms_list(rs, n >= 2 ? dom : NULL, live_h, out);
	if (n < 3)
		return -EINVAL;
	if (!strcmp(op, "members"))
		return rooms_members(rs, dom, num, NULL, member_h, out);
	if (!strcmp(op, "lock") || !strcmp(op, "unlock"))
		return rooms_lock(rs, dom, num, op[0] == 'l');
	if (n < 4 || (id = atoi(x)) <= 0)
		return -EINVAL;
	if (!strcmp(op, "kick"))
		return rooms_kick(rs, dom, num, id);
	if (!strcmp(op, "mute") || !strcmp(op, "unmute"))
		return rooms_mute(rs, dom, num, id, op[0] == 'm');
	return -EINVAL;
}
