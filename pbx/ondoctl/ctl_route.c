/* ctl_route.c - ondoctl route add | list | del | cos: a tenant's dialplan
 * rows. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_timecond.h"
#include "dialplan/dialplan.h"
#include "ondoctl/ondoctl.h"
#include "db_record.h"

static int parse_priority(const char *s, int *priop)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < DB_ROUTE_PRIO_MIN ||
	    v > DB_ROUTE_PRIO_MAX)
		return octl_err("invalid priority '%s' (%d to %d, lower runs "
				"first)",
				s, DB_ROUTE_PRIO_MIN, DB_ROUTE_PRIO_MAX);
	*priop = (int)v;
	return OCTL_OK;
}

static int check_route(struct octl *o, const struct db_tenant *t,
		       const struct db_route *r)
{
	char why[512];
	int err = dp_route_check(o->db, t->id, r, why, sizeof(why));

	if (err == -ENOMEM)
		return octl_err("out of memory");
	if (err == -EINVAL && strstr(why, "(add it with ondoctl"))
		return octl_err("%s", why);
	if (err)
		return octl_err("%s", err == -EINVAL ? why : octl_strerror(err));
	return OCTL_OK;
}

/* Copies the words into `r`; too long for its buffers is an error. */
static int fill_route(struct db_route *r, int argc, char **argv)
{
	const char *args = argc > 3 ? argv[3] : "";

	if (strlen(argv[1]) >= sizeof(r->pattern))
		return octl_err("bad pattern: longer than %zu characters",
				sizeof(r->pattern) - 1);
	if (strlen(argv[2]) >= sizeof(r->app))
		return octl_err("no application '%.40s...' (known: %s)",
				argv[2], dp_app_names());
	if (strlen(args) >= sizeof(r->args))
		return octl_err("bad arguments: longer than %zu characters",
				sizeof(r->args) - 1);
	snprintf(r->pattern, sizeof(r->pattern), "%s", argv[1]);
	snprintf(r->app, sizeof(r->app), "%s", argv[2]);
	snprintf(r->args, sizeof(r->args), "%s", args);
	return OCTL_OK;
}

int octl_route_add(struct octl *o, int argc, char **argv)
{
	const char *prio = NULL, *cos = NULL;
	const struct octl_opt opts[] = {
	    {"--priority", &prio}, {"--cos", &cos}, {NULL, NULL}};
	struct db_route r = {.priority = DB_ROUTE_PRIO_DEFAULT};
	struct db_tenant t;
	int64_t id;
	int n, err;

	if (octl_parse(o, argc, argv, opts, 3, 4, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || fill_route(&r, n, argv) ||
	    (prio && parse_priority(prio, &r.priority)) ||
	    (cos && octl_check_cos(cos)) || check_route(o, &t, &r))
		return OCTL_ERR;
	if (cos)
		snprintf(r.cos, sizeof(r.cos), "%s", cos);
	r.tenant_id = t.id;
	err = db_route_add(o->db, &r, &id);
	if (err == -EEXIST)
		return octl_err("%s already has a route with priority %d and "
				"pattern '%s'",
				t.domain, r.priority, r.pattern);
	if (err)
		return octl_err("cannot add the route to %s: %s", t.domain,
				octl_strerror(err));
	printf("route %" PRId64 " added to %s\n", id, t.domain);
	return OCTL_OK;
}

static int route_row_h(const struct db_route *r, void *arg)
{
	char id[24], prio[16];

	snprintf(id, sizeof(id), "%" PRId64, r->id);
	snprintf(prio, sizeof(prio), "%d", r->priority);
	return octl_table_add(arg, id, prio, r->pattern, r->cos, r->app,
			      r->args);
}

int octl_route_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"ID",  "PRIO", "PATTERN",
					     "COS", "APP",  "ARGS"};
	struct octl_table *table;
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	if (octl_table_alloc(&table, 6, header))
		return octl_err("out of memory");
	err = db_route_list(o->db, t.id, route_row_h, table);
	if (err)
		octl_err("cannot list the routes of %s: %s", t.domain,
			 octl_strerror(err));
	else if (octl_table_rows(table) == 0)
		printf("no routes in %s yet (calls reach its extensions "
		       "directly)\n",
		       t.domain);
	else
		octl_table_print(table, stdout);
	octl_table_free(table);
	return err ? OCTL_ERR : OCTL_OK;
}

int octl_route_del(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	long long id;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) ||
	    octl_parse_id("route", "route list", argv[1], &id))
		return OCTL_ERR;
	err = db_route_del(o->db, t.id, id);
	if (err == -ENOENT)
		return octl_err("no route %lld in tenant %s", id, t.domain);
	if (err)
		return octl_err("cannot delete route %lld of %s: %s", id,
				t.domain, octl_strerror(err));
	printf("route %lld deleted from %s\n", id, t.domain);
	return OCTL_OK;
}

/* "route cos" and "route record": one word set on a route of a tenant. */
struct route_word {
	const char *what;		/* "class of service" */
	int (*check)(const char *word); /* OCTL_OK or OCTL_ERR (printed) */
	int (*set)(struct db *db, int64_t tenant_id, int64_t id,
		   const char *word);
};

static int route_set_word(struct octl *o, int argc, char **argv,
			  const struct route_word *w)
{
	struct db_tenant t;
	long long id;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) ||
	    octl_parse_id("route", "route list", argv[1], &id) ||
	    w->check(argv[2]))
		return OCTL_ERR;
	err = w->set(o->db, t.id, id, argv[2]);
	if (err == -ENOENT)
		return octl_err("no route %lld in tenant %s", id, t.domain);
	if (err)
		return octl_err("cannot set the %s of route %lld of %s: %s",
				w->what, id, t.domain, octl_strerror(err));
	printf("route %lld of %s: %s %s\n", id, t.domain, w->what, argv[2]);
	return OCTL_OK;
}

int octl_route_cos(struct octl *o, int argc, char **argv)
{
	static const struct route_word w = {"class of service", octl_check_cos,
					    db_route_set_cos};
	return route_set_word(o, argc, argv, &w);
}

int octl_route_record(struct octl *o, int argc, char **argv)
{
	static const struct route_word w = {"recording", octl_check_record,
					    db_route_set_record};
	return route_set_word(o, argc, argv, &w);
}
