/* ctl_dialplan.c - ondoctl dialplan test | apps: where a number (or a DID)
 * goes, through routes and time conditions, without a call. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/tz.h"
#include "db_timecond.h"
#include "dialplan/dialplan.h"
#include "db_ringgroup.h"
#include "ondoctl/ondoctl.h"

#define DIALABLE "1 to 31 characters: digits, letters, * # + . _ -"
/* Time conditions followed in one test, as the timecond app does. */
#define MAX_HOPS 8

/* One dry run: the tenant, ${CALLER}, and the local time of --at (NULL:
 * now). */
struct dry_run {
	struct octl *o;
	const struct db_tenant *t;
	const char *caller;
	const struct tm *at;
	int hops;
};

static int follow(struct dry_run *d, const char *type, const char *dest);

/* Where NUMBER goes through the dialplan; a route to timecond is
 * followed. */
static int route(struct dry_run *d, const char *number)
{
	struct dp_result res;
	int err = dp_lookup(d->o->db, d->t, number, d->caller, &res);

	if (err == -ENOENT) {
		printf("%s -> no route and no extension: the call gets 404\n",
		       number);
		return OCTL_OK;
	}
	if (err)
		return octl_err("cannot route %s in %s: %s", number,
				d->t->domain, octl_strerror(err));
	if (res.route_id == 0)
		printf("%s -> %s %s (no route): ", number,
		       !strcmp(res.app, "conference")  ? "conference room"
		       : !strcmp(res.app, "ringgroup") ? "ring group"
						       : "extension",
		       number);
	else
		printf("%s -> route %" PRId64 " (prio %d, pattern %s): ",
		       number, res.route_id, res.priority, res.pattern);
	printf("%s%s%s\n", res.app, res.args[0] ? " " : "", res.args);
	if (!strcmp(res.app, "timecond") || !strcmp(res.app, "ringgroup"))
		return follow(d, res.app, res.args);
	return OCTL_OK;
}

/* A ring group: who rings, and where the call goes if nobody answers. */
static int group(struct dry_run *d, const char *number)
{
	struct db_rg_member m[DB_RG_MAX_MEMBERS];
	struct db_rg g;
	int n = 0;

	if (db_rg_get(d->o->db, d->t->id, number, &g) ||
	    db_rg_members(d->o->db, d->t->id, number, m, DB_RG_MAX_MEMBERS,
			  &n)) {
		printf("ring group %s: not found: callers hear \"cannot be "
		       "completed\"\n",
		       number);
		return OCTL_OK;
	}
	printf("ring group %s: %s, %d member%s", number,
	       db_rg_strategy_name(g.strategy), n, n == 1 ? "" : "s");
	for (int i = 0; i < n; i++)
		printf("%s%s", i ? " " : " (", m[i].ext);
	printf("%s, %d s", n ? ")" : "", g.timeout);
	if (!g.fallback_type[0]) {
		printf("; nobody answers -> busy or no answer\n");
		return OCTL_OK;
	}
	printf("; nobody answers -> %s %s\n", g.fallback_type, g.fallback);
	if (++d->hops > MAX_HOPS) {
		printf("... more than %d steps: the call would end here\n",
		       MAX_HOPS);
		return OCTL_OK;
	}
	return follow(d, g.fallback_type, g.fallback);
}

/* After a DID or a route: a time condition's branch, and a number's
 * route. */
static int follow(struct dry_run *d, const char *type, const char *dest)
{
	struct tc_choice ch;
	char local[48];

	if (!strcmp(type, "number"))
		return route(d, dest);
	if (!strcmp(type, "ringgroup"))
		return group(d, dest);
	if (strcmp(type, "timecond"))
		return OCTL_OK;
	if (++d->hops > MAX_HOPS) {
		printf("... more than %d time conditions in a row: the call "
		       "would end here\n",
		       MAX_HOPS);
		return OCTL_OK;
	}
	if (octl_tc_decide(d->o, d->t, dest, d->at, &ch))
		return OCTL_ERR;
	octl_fmt_local(local, sizeof(local), &ch.local);
	printf("timecond %s at %s (%s): %s (%s) -> %s %s\n", dest, local, ch.tz,
	       ch.open ? "open" : "closed", ch.why, ch.type, ch.dest);
	return follow(d, ch.type, ch.dest);
}

/* "2026-12-25 10:00" as a local time with its weekday; prints why not. */
static int parse_at(const char *s, struct tm *tm)
{
	int y, mo, d, h, mi, n = 0;

	memset(tm, 0, sizeof(*tm));
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 ||
	    s[n] || n != 16 || y < 1900 || mo < 1 || mo > 12 || d < 1 ||
	    d > tz_month_days(y, mo) || h > 23 || mi > 59)
		return octl_err("invalid time '%s' for --at (YYYY-MM-DD HH:MM, "
				"local time of the tenant's zone)",
				s);
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_wday = tz_weekday(y, mo, d);
	return OCTL_OK;
}

int octl_dialplan_test(struct octl *o, int argc, char **argv)
{
	const char *caller = NULL, *at = NULL, *number;
	const struct octl_opt opts[] = {
	    {"--caller", &caller}, {"--at", &at}, {NULL, NULL}};
	struct dry_run d = {.o = o};
	struct db_tenant t;
	struct db_did did;
	struct tm local;
	int n;

	if (octl_parse(o, argc, argv, opts, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	number = argv[1];
	if (!dp_dialable(number))
		return octl_err("invalid number '%s' (" DIALABLE ")", number);
	/* The daemon drops such a caller silently (see dp_lookup); here the
	 * admin typed it, so say so. */
	if (caller && !dp_dialable(caller))
		return octl_err("invalid caller '%s' (" DIALABLE ")", caller);
	if (at && parse_at(at, &local))
		return OCTL_ERR;
	d.t = &t;
	d.caller = caller;
	d.at = at ? &local : NULL;
	/* One of the tenant's own DIDs: the way a carrier's call takes. */
	if (db_valid_e164(number) && !db_did_get(o->db, number, &did) &&
	    did.tenant_id == t.id) {
		printf("%s -> DID of %s: %s %s\n", number, t.domain,
		       did.dest_type, did.dest);
		return follow(&d, did.dest_type, did.dest);
	}
	return route(&d, number);
}

int octl_dialplan_apps(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"APP", "ARGS", "WHAT IT DOES"};
	struct octl_table *table;
	int n, err = 0;

	if (octl_parse(o, argc, argv, NULL, 0, 0, &n))
		return OCTL_USAGE;
	if (octl_table_alloc(&table, 3, header))
		return octl_err("out of memory");
	for (const struct dp_app_info *a = dp_apps(); a->name && !err; a++)
		err = octl_table_add(table, a->name, a->args, a->help);
	if (err)
		octl_err("out of memory");
	else
		octl_table_print(table, stdout);
	octl_table_free(table);
	return err ? OCTL_ERR : OCTL_OK;
}
