/* ringgroup.c - "ringgroup GROUP": the members of a ring group of the
 * tenant ring, all at once or in turn (chan_bridge_group), and the first
 * to answer takes the call; when nobody does, the group's fallback runs
 * (a mailbox, an extension, a number through the dialplan, an IVR menu, a
 * room or another group). Dialling a group's number runs this without a
 * route (dp_lookup). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apps/apps.h"
#include "core/log.h"
#include "db_ringgroup.h"
#include "dialplan/dialplan.h"

/* Groups entered in one call: a fallback chain that comes back to a
 * group it left (A falls back to B, B to A) ends here. */
#define RG_MAX_HOPS 8

/* App thread only: how many groups this call is in now (a fallback to a
 * group runs inside the first group's run). */
static _Thread_local int depth;

static int run_app(struct chan *c, const char *name, const char *args)
{
	const struct app *app = app_find(name);

	return app ? app->run(c, args) : -ENOENT;
}

/* A fallback number through the tenant's dialplan, as an IVR's number
 * action goes. */
static int run_number(struct chan *c, struct db *db, const struct db_tenant *t,
		      const char *number)
{
	struct dp_result res;

	if (dp_lookup(db, t, number, chan_caller(c), &res)) {
		LOGC(LOGL_WARN, "app", t->domain, chan_call_id(c),
		     "ringgroup: fallback number %s reaches no route or "
		     "extension",
		     number);
		return -ENOENT;
	}
	return run_app(c, res.app, res.args);
}

/* Nobody answered (`why`): where the group says. With no fallback the
 * caller is told busy or no answer: a SIP status before an answer, a
 * prompt after one (an IVR answered first). */
static int fallback(struct chan *c, struct db *db, const struct db_tenant *t,
		    const struct db_rg *g, int why)
{
	const char *type = g->fallback_type, *dest = g->fallback;
	char vm[DB_DEST_LEN + 16];

	LOGC(LOGL_INFO, "app", t->domain, chan_call_id(c),
	     "ring group %s: %s; fallback %s%s%s", g->number,
	     why == -EBUSY	 ? "all busy"
	     : why == -ETIMEDOUT ? "nobody answered"
				 : "nobody could be rung",
	     type[0] ? type : "none", type[0] ? " " : "", dest);
	if (!type[0]) {
		if (!chan_answered(c))
			return why;
		return chan_play(c,
				 why == -EBUSY	     ? "busy"
				 : why == -ETIMEDOUT ? "no_answer"
						     : "not_available",
				 NULL, NULL);
	}
	if (!strcmp(type, "voicemail")) {
		snprintf(vm, sizeof(vm), "%s,%s", dest,
			 why == -EBUSY ? "busy" : "unavail");
		return run_app(c, "voicemail", vm);
	}
	if (!strcmp(type, "extension"))
		return run_app(c, "dial", dest);
	if (!strcmp(type, "number"))
		return run_number(c, db, t, dest);
	/* ivr, conference and ringgroup are apps of the same name. */
	return run_app(c, type, dest);
}

static int ring(struct chan *c, struct db *db, const struct db_tenant *t,
		const struct db_rg *g)
{
	struct db_rg_member m[DB_RG_MAX_MEMBERS];
	struct chan_ring ring[DB_RG_MAX_MEMBERS];
	int n = 0, r;

	r = db_rg_members(db, t->id, g->number, m, DB_RG_MAX_MEMBERS, &n);
	if (r)
		return r;
	for (int i = 0; i < n; i++) {
		ring[i].ext = m[i].ext;
		ring[i].ring_s = m[i].ring_time ? m[i].ring_time : g->ring_time;
	}
	LOGC(LOGL_INFO, "app", t->domain, chan_call_id(c),
	     "ring group %s%s%s%s: %d member%s, %s, %d s", g->number,
	     g->name[0] ? " (" : "", g->name, g->name[0] ? ")" : "", n,
	     n == 1 ? "" : "s", db_rg_strategy_name(g->strategy), g->timeout);
	if (!n)
		return -EHOSTUNREACH;
	return chan_bridge_group(c, ring, n, g->strategy == DB_RG_SEQUENTIAL,
				 g->timeout);
}

static int ringgroup_run(struct chan *c, const char *args)
{
	struct db *db = chan_db(c);
	struct db_tenant t;
	struct db_rg g;
	int r;

	if (!db || db_tenant_by_id(db, chan_tenant_id(c), &t))
		return -EIO;
	r = db_rg_get(db, t.id, args, &g);
	if (r) {
		LOGC(LOGL_WARN, "app", t.domain, chan_call_id(c),
		     "ringgroup %s: %s", args,
		     r == -ENOENT ? "no such ring group" : strerror(-r));
		return r == -EIO ? r : -ENOENT;
	}
	if (depth >= RG_MAX_HOPS) {
		LOGC(LOGL_WARN, "app", t.domain, chan_call_id(c),
		     "ringgroup %s: more than %d groups in one call (fallbacks "
		     "in a loop?)",
		     g.number, RG_MAX_HOPS);
		return -ELOOP;
	}
	depth++;
	r = ring(c, db, &t, &g);
	if (r == -ETIMEDOUT || r == -EBUSY || r == -EHOSTUNREACH)
		r = fallback(c, db, &t, &g, r);
	depth--;
	return r;
}

const struct app app_ringgroup = {.name = "ringgroup", .run = ringgroup_run};
