/* ctl_conf.c - ondoctl conf add | set | del | list | recordings: conference
 * rooms in the database. The live commands are in ctl_conf_live.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_room.h"
#include "db_park.h"
#include "ondoctl/ondoctl.h"

struct room_opts {
	const char *name, *pin, *mod_pin, *max, *wait, *announce, *record;
};

static int on_off(const char *opt, const char *v, int *out)
{
	if (!v)
		return OCTL_OK;
	if (!strcmp(v, "on") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "off") || !strcmp(v, "0"))
		*out = 0;
	else
		return octl_err("%s takes on or off, not '%s'", opt, v);
	return OCTL_OK;
}

static int copy_opt(const char *opt, const char *v, char *dst, size_t len)
{
	if (!v)
		return OCTL_OK;
	if (strlen(v) >= len)
		return octl_err("%s is too long", opt);
	snprintf(dst, len, "%s", v);
	return OCTL_OK;
}

/* Applies the options given to r, then checks the whole room. */
static int apply(const struct room_opts *x, struct db_room *r)
{
	char why[160];

	if (copy_opt("--name", x->name, r->name, sizeof(r->name)) ||
	    copy_opt("--pin", x->pin, r->pin, sizeof(r->pin)) ||
	    copy_opt("--mod-pin", x->mod_pin, r->mod_pin, sizeof(r->mod_pin)) ||
	    (x->max && octl_parse_int("--max", x->max, 2, DB_ROOM_MAX_MEMBERS,
				      "members", &r->max_members)) ||
	    on_off("--wait-moderator", x->wait, &r->wait_moderator) ||
	    on_off("--announce", x->announce, &r->announce_count) ||
	    on_off("--record", x->record, &r->record))
		return OCTL_ERR;
	if (db_room_check(r, why, sizeof(why)))
		return octl_err("invalid room: %s", why);
	return OCTL_OK;
}

static int parse_room(struct octl *o, int argc, char **argv,
		      struct room_opts *x, struct db_tenant *t)
{
	const struct octl_opt opts[] = {
	    {"--name", &x->name},	    {"--pin", &x->pin},
	    {"--mod-pin", &x->mod_pin},	    {"--max", &x->max},
	    {"--wait-moderator", &x->wait}, {"--announce", &x->announce},
	    {"--record", &x->record},	    {NULL, NULL}};
	int n;

	if (octl_parse(o, argc, argv, opts, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], t) || octl_check_number(argv[1]))
		return OCTL_ERR;
	return OCTL_OK;
}

int octl_conf_add(struct octl *o, int argc, char **argv)
{
	struct room_opts x = {0};
	struct db_tenant t;
	struct db_room r;
	int st = parse_room(o, argc, argv, &x, &t), err;

	if (st)
		return st;
	db_room_defaults(&r);
	r.tenant_id = t.id;
	snprintf(r.number, sizeof(r.number), "%s", argv[1]);
	if (apply(&x, &r))
		return OCTL_ERR;
	err = db_room_add(o->db, &r, NULL);
	if (err == -EEXIST && db_park_takes(o->db, t.id, r.number))
		return octl_err("%s is the park number or a park slot of "
				"tenant %s (ondoctl park show)",
				r.number, t.domain);
	if (err == -EEXIST)
		return octl_err("%s in tenant %s is already an extension, a "
				"room or a ring group",
				r.number, t.domain);
	if (err)
		return octl_err("cannot add room %s: %s", r.number,
				octl_strerror(err));
	printf("room %s added to %s\n", r.number, t.domain);
	return OCTL_OK;
}

int octl_conf_set(struct octl *o, int argc, char **argv)
{
	struct room_opts x = {0};
	struct db_tenant t;
	struct db_room r;
	int st = parse_room(o, argc, argv, &x, &t), err;

	if (st)
		return st;
	err = db_room_get(o->db, t.id, argv[1], &r);
	if (err == -ENOENT)
		return octl_err("no room %s in tenant %s", argv[1], t.domain);
	if (err)
		return octl_err("cannot read room %s: %s", argv[1],
				octl_strerror(err));
	if (apply(&x, &r))
		return OCTL_ERR;
	if ((err = db_room_update(o->db, &r)))
		return octl_err("cannot change room %s: %s", r.number,
				octl_strerror(err));
	printf("room %s of %s changed (for calls that enter from now)\n",
	       r.number, t.domain);
	return OCTL_OK;
}

int octl_conf_del(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || octl_check_number(argv[1]))
		return OCTL_ERR;
	err = db_room_del(o->db, t.id, argv[1]);
	if (err == -ENOENT)
		return octl_err("no room %s in tenant %s", argv[1], t.domain);
	if (err)
		return octl_err("cannot delete room %s: %s", argv[1],
				octl_strerror(err));
	printf("room %s deleted from %s\n", argv[1], t.domain);
	return OCTL_OK;
}

static int room_row_h(const struct db_room *r, void *arg)
{
	struct octl_rows *rows = arg;
	char max[16];

	snprintf(max, sizeof(max), "%d", r->max_members);
	return octl_table_add(
	    rows->table, octl_domain_of(rows->o, &rows->cache, r->tenant_id),
	    r->number, r->name[0] ? r->name : "-", r->pin[0] ? r->pin : "-",
	    r->mod_pin[0] ? r->mod_pin : "-", max,
	    r->wait_moderator ? "yes" : "no", r->announce_count ? "yes" : "no",
	    r->record ? "yes" : "no");
}

int octl_conf_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {
	    "TENANT", "ROOM", "NAME", "PIN", "MOD_PIN", "MAX", "WAIT_MOD",
	    "ANNOUNCE", "RECORD"};
	struct octl_rows rows = {.o = o};
	struct db_tenant t;
	int st = octl_list_begin(o, argc, argv, &t, 9, header, &rows.table);

	if (st)
		return st;
	return octl_list_end(rows.table,
			     db_room_list(o->db, t.id, room_row_h, &rows),
			     "rooms", "no conference rooms");
}

static int rec_row_h(const struct db_room_rec *rec, void *arg)
{
	struct octl_rows *rows = arg;
	char id[24], when[32], dur[32];
	time_t secs = (time_t)rec->started;
	struct tm tm;

	snprintf(id, sizeof(id), "%" PRId64, rec->id);
	localtime_r(&secs, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	octl_fmt_duration(dur, sizeof(dur), rec->duration_s);
	return octl_table_add(rows->table, id, rec->room, when, dur, rec->path);
}

int octl_conf_recordings(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"ID", "ROOM", "STARTED",
					     "LENGTH", "FILE (in the spool)"};
	struct octl_rows rows = {.o = o};
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	if (octl_table_alloc(&rows.table, 5, header))
		return octl_err("out of memory");
	err = db_room_rec_list(o->db, t.id, n > 1 ? argv[1] : NULL, rec_row_h,
			       &rows);
	return octl_list_end(rows.table, err, "room recordings",
			     "no room recordings");
}
