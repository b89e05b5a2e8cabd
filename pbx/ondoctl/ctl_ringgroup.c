/* ctl_ringgroup.c - ondoctl ringgroup add | set | del | list | show and
 * ringgroup member add | del: ring groups in the database. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_ringgroup.h"
#include "db_park.h"
#include "ondoctl/ondoctl.h"

struct rg_opts {
	const char *name, *strategy, *ring, *timeout, *fallback, *members;
};

/* "voicemail:1001", "number:600", "none" (or "") into the group. */
static int parse_fallback(const char *arg, struct db_rg *g)
{
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : 0;

	if (!arg[0] || !strcmp(arg, "none")) {
		g->fallback_type[0] = g->fallback[0] = '\0';
		return OCTL_OK;
	}
	if (!colon || !n || n >= sizeof(g->fallback_type) || !colon[1] ||
	    strlen(colon + 1) >= sizeof(g->fallback))
		return octl_err("bad --fallback '%s' (TYPE:DEST, such as "
				"voicemail:1001 or number:600; or none)",
				arg);
	memcpy(g->fallback_type, arg, n);
	g->fallback_type[n] = '\0';
	snprintf(g->fallback, sizeof(g->fallback), "%s", colon + 1);
	return OCTL_OK;
}

/* "1002,1003:30,1004" into m; *n members. EXT:SECONDS gives a member a
 * ring time of its own. */
static int parse_members(const char *arg, struct db_rg_member *m, int *n)
{
	char buf[DB_RG_MAX_MEMBERS * (DB_NUMBER_LEN + 8)], *save = NULL;

	*n = 0;
	if (strlen(arg) >= sizeof(buf))
		return octl_err("--members is too long");
	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		struct db_rg_member *x = &m[*n];

		if (*n == DB_RG_MAX_MEMBERS)
			return octl_err("a group has at most %d members",
					DB_RG_MAX_MEMBERS);
		memset(x, 0, sizeof(*x));
		if (colon) {
			*colon = '\0';
			if (octl_parse_int("member ring time", colon + 1,
					   DB_RG_RING_MIN, DB_RG_RING_MAX,
					   "seconds", &x->ring_time))
				return OCTL_ERR;
		}
		if (octl_check_number(tok))
			return OCTL_ERR;
		snprintf(x->ext, sizeof(x->ext), "%s", tok);
		(*n)++;
	}
	return OCTL_OK;
}

/* Applies the options given to g, then checks the whole group. */
static int apply(struct octl *o, const struct rg_opts *x, struct db_rg *g)
{
	char why[256];
	int err;

	if (x->name) {
		if (strlen(x->name) >= sizeof(g->name))
			return octl_err("--name is too long");
		snprintf(g->name, sizeof(g->name), "%s", x->name);
	}
	if (x->strategy) {
		g->strategy = db_rg_strategy_parse(x->strategy);
		if (g->strategy < 0)
			return octl_err("invalid --strategy '%s' (simultaneous "
					"or sequential)",
					x->strategy);
	}
	if ((x->ring &&
	     octl_parse_int("--ring-time", x->ring, DB_RG_RING_MIN,
			    DB_RG_RING_MAX, "seconds", &g->ring_time)) ||
	    (x->timeout &&
	     octl_parse_int("--timeout", x->timeout, DB_RG_TIMEOUT_MIN,
			    DB_RG_TIMEOUT_MAX, "seconds", &g->timeout)) ||
	    (x->fallback && parse_fallback(x->fallback, g)))
		return OCTL_ERR;
	err = db_rg_check(o->db, g, why, sizeof(why));
	if (err == -EIO)
		return octl_err("cannot check the group: database error");
	if (err)
		return octl_err("invalid ring group: %s", why);
	return OCTL_OK;
}

static int set_members(struct octl *o, const struct db_tenant *t,
		       const char *number, const struct db_rg_member *m, int n)
{
	char why[256];
	int err =
	    db_rg_set_members(o->db, t->id, number, m, n, why, sizeof(why));

	if (err)
		return octl_err("cannot set the members of group %s: %s",
				number, why[0] ? why : octl_strerror(err));
	return OCTL_OK;
}

static int parse_group(struct octl *o, int argc, char **argv, struct rg_opts *x,
		       struct db_tenant *t)
{
	const struct octl_opt opts[] = {{"--name", &x->name},
					{"--strategy", &x->strategy},
					{"--ring-time", &x->ring},
					{"--timeout", &x->timeout},
					{"--fallback", &x->fallback},
					{"--members", &x->members},
					{NULL, NULL}};
	int n;

	if (octl_parse(o, argc, argv, opts, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], t) || octl_check_number(argv[1]))
		return OCTL_ERR;
	return OCTL_OK;
}

static int get_group(struct octl *o, const struct db_tenant *t,
		     const char *number, struct db_rg *g)
{
	int err = db_rg_get(o->db, t->id, number, g);

	if (err == -ENOENT)
		return octl_err("no ring group %s in tenant %s", number,
				t->domain);
	if (err)
		return octl_err("cannot read ring group %s: %s", number,
				octl_strerror(err));
	return OCTL_OK;
}

int octl_rg_add(struct octl *o, int argc, char **argv)
{
	struct db_rg_member m[DB_RG_MAX_MEMBERS];
	struct rg_opts x = {0};
	struct db_tenant t;
	struct db_rg g;
	int st = parse_group(o, argc, argv, &x, &t), n = 0, err;

	if (st)
		return st;
	db_rg_defaults(&g);
	g.tenant_id = t.id;
	snprintf(g.number, sizeof(g.number), "%s", argv[1]);
	if (apply(o, &x, &g) || (x.members && parse_members(x.members, m, &n)))
		return OCTL_ERR;
	err = db_rg_add(o->db, &g, NULL);
	if (err == -EEXIST && db_park_takes(o->db, t.id, g.number))
		return octl_err("%s is the park number or a park slot of "
				"tenant %s (ondoctl park show)",
				g.number, t.domain);
	if (err == -EEXIST)
		return octl_err("%s in tenant %s is already an extension, a "
				"room or a ring group",
				g.number, t.domain);
	if (err)
		return octl_err("cannot add ring group %s: %s", g.number,
				octl_strerror(err));
	if (n && set_members(o, &t, g.number, m, n)) {
		/* Not half made: a group without its members would ring
		 * nobody. */
		db_rg_del(o->db, t.id, g.number);
		return OCTL_ERR;
	}
	printf("ring group %s added to %s (%d member%s)\n", g.number, t.domain,
	       n, n == 1 ? "" : "s");
	return OCTL_OK;
}

int octl_rg_set(struct octl *o, int argc, char **argv)
{
	struct db_rg_member m[DB_RG_MAX_MEMBERS];
	struct rg_opts x = {0};
	struct db_tenant t;
	struct db_rg g;
	int st = parse_group(o, argc, argv, &x, &t), n = 0, err;

	if (st)
		return st;
	if (get_group(o, &t, argv[1], &g) || apply(o, &x, &g) ||
	    (x.members && parse_members(x.members, m, &n)))
		return OCTL_ERR;
	if ((err = db_rg_update(o->db, &g)))
		return octl_err("cannot change ring group %s: %s", g.number,
				octl_strerror(err));
	if (x.members && set_members(o, &t, g.number, m, n))
		return OCTL_ERR;
	printf("ring group %s of %s changed\n", g.number, t.domain);
	return OCTL_OK;
}

int octl_rg_del(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || octl_check_number(argv[1]))
		return OCTL_ERR;
	err = db_rg_del(o->db, t.id, argv[1]);
	if (err == -ENOENT)
		return octl_err("no ring group %s in tenant %s", argv[1],
				t.domain);
	if (err)
		return octl_err("cannot delete ring group %s: %s", argv[1],
				octl_strerror(err));
	printf("ring group %s deleted from %s\n", argv[1], t.domain);
	return OCTL_OK;
}

/* "1002,1003:30" as --members takes it. */
static void members_text(struct octl *o, const struct db_rg *g, char *buf,
			 size_t len)
{
	struct db_rg_member m[DB_RG_MAX_MEMBERS];
	size_t used = 0;
	int n = 0;

	buf[0] = '\0';
	if (db_rg_members(o->db, g->tenant_id, g->number, m, DB_RG_MAX_MEMBERS,
			  &n)) {
		snprintf(buf, len, "?");
		return;
	}
	for (int i = 0; i < n && used < len; i++) {
		int w = m[i].ring_time
			    ? snprintf(buf + used, len - used, "%s%s:%d",
				       i ? "," : "", m[i].ext, m[i].ring_time)
			    : snprintf(buf + used, len - used, "%s%s",
				       i ? "," : "", m[i].ext);
		used += w > 0 ? (size_t)w : 0;
	}
	if (!n)
		snprintf(buf, len, "-");
}

static void fallback_text(const struct db_rg *g, char *buf, size_t len)
{
	if (g->fallback_type[0])
		snprintf(buf, len, "%s:%s", g->fallback_type, g->fallback);
	else
		snprintf(buf, len, "none");
}

static int rg_row_h(const struct db_rg *g, void *arg)
{
	struct octl_rows *rows = arg;
	char ring[16], timeout[16], fb[DB_WORD_LEN + DB_DEST_LEN + 2];
	char members[DB_RG_MAX_MEMBERS * (DB_NUMBER_LEN + 8)];

	snprintf(ring, sizeof(ring), "%d", g->ring_time);
	snprintf(timeout, sizeof(timeout), "%d", g->timeout);
	fallback_text(g, fb, sizeof(fb));
	members_text(rows->o, g, members, sizeof(members));
	return octl_table_add(
	    rows->table, octl_domain_of(rows->o, &rows->cache, g->tenant_id),
	    g->number, g->name[0] ? g->name : "-",
	    db_rg_strategy_name(g->strategy), ring, timeout, fb, members);
}

int octl_rg_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"TENANT",	 "GROUP",  "NAME",
					     "STRATEGY", "RING",   "TIMEOUT",
					     "FALLBACK", "MEMBERS"};
	struct octl_rows rows = {.o = o};
	struct db_tenant t;
	int st = octl_list_begin(o, argc, argv, &t, 8, header, &rows.table);

	if (st)
		return st;
	return octl_list_end(rows.table,
			     db_rg_list(o->db, t.id, rg_row_h, &rows),
			     "ring groups", "no ring groups");
}

int octl_rg_show(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"#", "EXTENSION", "NAME", "RINGS"};
	struct db_rg_member m[DB_RG_MAX_MEMBERS];
	char fb[DB_WORD_LEN + DB_DEST_LEN + 2];
	struct octl_table *tab;
	struct db_tenant t;
	struct db_rg g;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || octl_check_number(argv[1]) ||
	    get_group(o, &t, argv[1], &g))
		return OCTL_ERR;
	fallback_text(&g, fb, sizeof(fb));
	printf("ring group %s of %s%s%s%s\n", g.number, t.domain,
	       g.name[0] ? " (" : "", g.name, g.name[0] ? ")" : "");
	printf("  strategy  %s\n", db_rg_strategy_name(g.strategy));
	printf("  ring time %d s a member, unless it has its own\n",
	       g.ring_time);
	printf("  timeout   %d s, then the fallback\n", g.timeout);
	printf("  fallback  %s\n", fb);
	err = db_rg_members(o->db, t.id, g.number, m, DB_RG_MAX_MEMBERS, &n);
	if (err)
		return octl_err("cannot read the members: %s",
				octl_strerror(err));
	if (!n) {
		printf("no members: calls go straight to the fallback\n");
		return OCTL_OK;
	}
	if (octl_table_alloc(&tab, 4, header))
		return octl_err("out of memory");
	for (int i = 0; i < n; i++) {
		char pos[8], ring[24];
		snprintf(pos, sizeof(pos), "%d", i + 1);
		snprintf(ring, sizeof(ring), "%d s%s",
			 m[i].ring_time ? m[i].ring_time : g.ring_time,
			 m[i].ring_time ? "" : " (group's)");
		if (octl_table_add(tab, pos, m[i].ext,
				   m[i].name[0] ? m[i].name : "-", ring)) {
			octl_table_free(tab);
			return octl_err("out of memory");
		}
	}
	octl_table_print(tab, stdout);
	octl_table_free(tab);
	return OCTL_OK;
}

/* ringgroup member add DOMAIN GROUP EXT [--ring-time S] [--position N] */
int octl_rg_member_add(struct octl *o, int argc, char **argv)
{
	const char *ring = NULL, *posarg = NULL;
	const struct octl_opt opts[] = {
	    {"--ring-time", &ring}, {"--position", &posarg}, {NULL, NULL}};
	struct db_rg_member m[DB_RG_MAX_MEMBERS + 1], x = {0};
	struct db_tenant t;
	struct db_rg g;
	int n = 0, pos, err;

	if (octl_parse(o, argc, argv, opts, 3, 3, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || octl_check_number(argv[1]) ||
	    octl_check_number(argv[2]) || get_group(o, &t, argv[1], &g))
		return OCTL_ERR;
	if (ring && octl_parse_int("--ring-time", ring, DB_RG_RING_MIN,
				   DB_RG_RING_MAX, "seconds", &x.ring_time))
		return OCTL_ERR;
	snprintf(x.ext, sizeof(x.ext), "%s", argv[2]);
	err = db_rg_members(o->db, t.id, g.number, m, DB_RG_MAX_MEMBERS, &n);
	if (err)
		return octl_err("cannot read the members: %s",
				octl_strerror(err));
	pos = n + 1;
	if (posarg &&
	    octl_parse_int("--position", posarg, 1, n + 1, NULL, &pos))
		return OCTL_ERR;
	for (int i = 0; i < n; i++)
		if (!strcmp(m[i].ext, x.ext))
			return octl_err("%s is a member of group %s already",
					x.ext, g.number);
	memmove(&m[pos], &m[pos - 1], (size_t)(n - pos + 1) * sizeof(m[0]));
	m[pos - 1] = x;
	if (set_members(o, &t, g.number, m, n + 1))
		return OCTL_ERR;
	printf("%s is member %d of ring group %s\n", x.ext, pos, g.number);
	return OCTL_OK;
}

int octl_rg_member_del(struct octl *o, int argc, char **argv)
{
	struct db_rg_member m[DB_RG_MAX_MEMBERS];
	struct db_tenant t;
	struct db_rg g;
	int n = 0, k = 0, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || octl_check_number(argv[1]) ||
	    octl_check_number(argv[2]) || get_group(o, &t, argv[1], &g))
		return OCTL_ERR;
	err = db_rg_members(o->db, t.id, g.number, m, DB_RG_MAX_MEMBERS, &n);
	if (err)
		return octl_err("cannot read the members: %s",
				octl_strerror(err));
	for (int i = 0; i < n; i++)
		if (strcmp(m[i].ext, argv[2]))
			m[k++] = m[i];
	if (k == n)
		return octl_err("%s is not a member of group %s", argv[2],
				g.number);
	if (set_members(o, &t, g.number, m, k))
		return OCTL_ERR;
	printf("%s left ring group %s\n", argv[2], g.number);
	return OCTL_OK;
}

/* ext pickup DOMAIN EXT GROUP|"": the extension's call pickup group (*8
 * answers calls ringing the others of its group). */
int octl_ext_pickup(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || octl_check_number(argv[1]))
		return OCTL_ERR;
	if (argv[2][0] && !db_valid_ivr_name(argv[2]))
		return octl_err(
		    "invalid pickup group '%s' (1 to 32 characters: "
		    "a-z, 0-9, _ and -; \"\" for none)",
		    argv[2]);
	err = db_ext_set_pickup_group(o->db, t.id, argv[1], argv[2]);
	if (err == -ENOENT)
		return octl_err("no extension %s in tenant %s", argv[1],
				t.domain);
	if (err)
		return octl_err("cannot set the pickup group of %s: %s",
				argv[1], octl_strerror(err));
	if (argv[2][0])
		printf("extension %s of %s: pickup group %s (*8 answers its "
		       "calls)\n",
		       argv[1], t.domain, argv[2]);
	else
		printf("extension %s of %s: no pickup group\n", argv[1],
		       t.domain);
	return OCTL_OK;
}
