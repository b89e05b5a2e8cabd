/* tc_choose.c - a tenant's time condition decided at a moment: its rows
 * read from the database, then tc_eval. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/tz.h"
#include "dialplan/dialplan.h"

/* One condition's rules and holidays, as many as the database allows. */
struct tc_rows {
	struct db_tc_rule rules[DB_TC_RULES_MAX];
	struct db_tc_holiday holidays[DB_TC_HOLIDAYS_MAX];
	struct tc_rules r;
};

static int rule_h(const struct db_tc_rule *rule, void *arg)
{
	struct tc_rows *x = arg;

	/* db_tc_rule_add keeps to the limit; rows added by hand beyond it
	 * are not read. */
	if (x->r.nrules < DB_TC_RULES_MAX)
		x->rules[x->r.nrules++] = *rule;
	return 0;
}

static int holiday_h(const struct db_tc_holiday *h, void *arg)
{
	struct tc_rows *x = arg;

	if (x->r.nholidays < DB_TC_HOLIDAYS_MAX)
		x->holidays[x->r.nholidays++] = *h;
	return 0;
}

/* Local time now or at `at`, in the tenant's zone, else UTC. */
static int local_time(struct db *db, const struct db_tenant *t, time_t when,
		      const struct tm *at, struct tc_choice *c)
{
	int err = db_tenant_timezone(db, t->id, c->tz);

	if (err)
		return err;
	if (at) {
		c->local = *at;
		return 0;
	}
	err = tz_local(c->tz, when, &c->local);
	if (err) {
		LOGC(LOGL_WARN, "dp", t->domain, NULL,
		     "time zone '%s' does not load (%s): time conditions "
		     "use UTC",
		     c->tz, strerror(-err));
		snprintf(c->tz, sizeof(c->tz), "UTC");
		err = tz_local(c->tz, when, &c->local);
	}
	return err;
}

static void explain(const struct tc_rows *x, const struct tc_result *res,
		    struct tc_choice *c)
{
	char text[DB_TC_RULE_TEXT_LEN], date[DB_TC_DATE_LEN];
	const struct db_tc_holiday *h;

	switch (res->why) {
	case TC_WHY_RULE:
		db_tc_rule_format(&x->rules[res->index], text);
		snprintf(c->why, sizeof(c->why), "rule %lld: %s",
			 (long long)x->rules[res->index].id, text);
		break;
	case TC_WHY_HOLIDAY:
		h = &x->holidays[res->index];
		db_tc_date_format(h, date);
		snprintf(c->why, sizeof(c->why), "holiday %s%s%s", date,
			 h->name[0] ? " " : "", h->name);
		break;
	default:
		snprintf(c->why, sizeof(c->why), "no rule holds");
	}
}

int tc_choose(struct db *db, const struct db_tenant *t, const char *name,
	      time_t when, const struct tm *at, struct tc_choice *c)
{
	struct db_timecond tc;
	struct tc_result res;
	struct tc_rows *x;
	int err;

	if (!db || !t || !name || !c)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	err = db_timecond_get(db, t->id, name, &tc);
	if (err)
		return err;
	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->r.rules = x->rules;
	x->r.holidays = x->holidays;
	err = db_tc_rule_list(db, tc.id, rule_h, x);
	if (!err)
		err = db_tc_holiday_list(db, tc.id, holiday_h, x);
	if (!err)
		err = local_time(db, t, when, at, c);
	if (!err)
		err = tc_eval_local(&x->r, &c->local, &res);
	if (!err) {
		c->open = res.open;
		snprintf(c->type, sizeof(c->type), "%s",
			 res.open ? tc.open_type : tc.closed_type);
		snprintf(c->dest, sizeof(c->dest), "%s",
			 res.open ? tc.open_dest : tc.closed_dest);
		explain(x, &res, c);
	}
	free(x);
	return err;
}

void tc_choice_line(const struct tc_choice *c, const char *name, char *buf,
		    size_t len)
{
	snprintf(buf, len, "timecond %s: %s (%s) -> %s %s", name,
		 c->open ? "open" : "closed", c->why, c->type, c->dest);
}
