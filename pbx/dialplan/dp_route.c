/* dp_route.c - dialplan lookup: which route, or extension, a number reaches. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "dialplan/dialplan.h"
#include "db_room.h"
#include "db_ringgroup.h"

/* State of one walk over a tenant's routes. */
struct walk {
	const struct db_tenant *t;
	const char *number;
	struct dp_vars vars;
	struct dp_result *res;
	bool found;
	int rank; /* of the route in res, when found */
};

/* Returned by route_h to end the walk early; db_route_list hands it back. */
#define WALK_DONE 1

/* Compiles and tries one route. Patterns are compiled on every lookup:
 * a few microseconds per route, nothing next to a call setup. When tenants
 * grow to hundreds of routes, a per-tenant cache of compiled patterns,
 * dropped when PRAGMA data_version changes (another connection wrote),
 * can take this place without changing dp_lookup's contract. */
static int route_h(const struct db_route *r, void *arg)
{
	struct walk *w = arg;
	struct dp_pattern *p = NULL;
	struct dp_match m;
	char err[160], args[DB_ROUTE_ARGS_LEN];
	int rc, rank;

	/* Routes come by priority: once one matched, only routes of the
	 * same priority can still beat it, by being more specific. */
	if (w->found && r->priority != w->res->priority)
		return WALK_DONE;
	/* ondoctl checks all of this before storing a route, so these only
	 * fire for rows written by hand or by an older/newer build. */
	if (!app_known(r->app)) {
		LOGC(LOGL_WARN, "dp", w->t->domain, NULL,
		     "route %" PRId64 " skipped: no application '%s'", r->id,
		     r->app);
		return 0;
	}
	rc = dp_pattern_compile(&p, r->pattern, err, sizeof(err));
	if (rc) {
		LOGC(LOGL_WARN, "dp", w->t->domain, NULL,
		     "route %" PRId64 " skipped: bad pattern '%s': %s", r->id,
		     r->pattern, rc == -EINVAL ? err : strerror(-rc));
		return rc == -ENOMEM ? rc : 0;
	}
	rc = dp_pattern_match(p, w->number, &m);
	rank = dp_pattern_rank(p);
	dp_pattern_free(p);
	if (rc < 0)
		LOGC(LOGL_WARN, "dp", w->t->domain, NULL,
		     "route %" PRId64 " skipped for %s: pattern '%s' %s", r->id,
		     w->number, r->pattern,
		     rc == -E2BIG ? "gave up (too much backtracking)"
				  : strerror(-rc));
	if (rc <= 0 || (w->found && rank >= w->rank))
		return 0;
	rc = dp_expand(r->args, &w->vars, &m, args, sizeof(args));
	if (rc) {
		LOGC(LOGL_WARN, "dp", w->t->domain, NULL,
		     "route %" PRId64 " skipped for %s: arguments '%s' %s",
		     r->id, w->number, r->args,
		     rc == -ENOSPC ? "expand too long" : "do not expand");
		return 0;
	}
	w->res->route_id = r->id;
	w->res->priority = r->priority;
	snprintf(w->res->app, sizeof(w->res->app), "%s", r->app);
	snprintf(w->res->pattern, sizeof(w->res->pattern), "%s", r->pattern);
	memcpy(w->res->args, args, sizeof(args));
	w->found = true;
	w->rank = rank;
	/* An exact number cannot be beaten at its priority. */
	return rank == 0 ? WALK_DONE : 0;
}

int dp_lookup(struct db *db, const struct db_tenant *t, const char *number,
	      const char *caller, struct dp_result *res)
{
	struct walk w = {.t = t, .number = number, .res = res};
	struct db_ext e;
	int err;

	if (!db || !t || !res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	if (!dp_dialable(number))
		return -EINVAL;
	w.vars.exten = number;
	/* The caller only feeds ${CALLER}; one that could break a URI is
	 * dropped rather than failing the call. */
	w.vars.caller = dp_dialable(caller) ? caller : "";
	w.vars.domain = t->domain;
	err = db_route_list(db, t->id, route_h, &w);
	if (err < 0)
		return err;
	if (w.found)
		return 0;
	memset(res, 0, sizeof(*res));
	if (!db_valid_number(number))
		return -ENOENT;
	err = db_ext_get(db, t->id, number, &e);
	if (err == -ENOENT) {
		/* A conference room's or a ring group's number reaches it
		 * (a number is only ever one of the three). */
		struct db_room r;
		struct db_rg g;
		const char *app = "conference";
		err = db_room_get(db, t->id, number, &r);
		if (err == -ENOENT) {
			app = "ringgroup";
			err = db_rg_get(db, t->id, number, &g);
		}
		if (err)
			return err;
		snprintf(res->app, sizeof(res->app), "%s", app);
		snprintf(res->args, sizeof(res->args), "%s", number);
		return 0;
	}
	if (err)
		return err;
	snprintf(res->app, sizeof(res->app), "dial");
	snprintf(res->args, sizeof(res->args), "%s", number);
	return 0;
}
