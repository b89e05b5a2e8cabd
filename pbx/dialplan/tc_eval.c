/* tc_eval.c - whether a time condition is open at a moment: pure, no
 * database, no process-wide time zone. */
#include <errno.h>
#include <string.h>

#include "core/tz.h"
#include "dialplan/dialplan.h"

static int holiday_today(const struct db_tc_holiday *h, const struct tm *tm)
{
	return (h->year == 0 || h->year == tm->tm_year + 1900) &&
	       h->month == tm->tm_mon + 1 && h->day == tm->tm_mday;
}

/* `wd` is the local weekday from Monday (0) and `min` the minute of the
 * local day. */
static int rule_holds(const struct db_tc_rule *r, int wd, int min)
{
	int yesterday = (wd + 6) % 7;

	if (r->start_min < r->end_min)
		return (r->days & (1u << wd)) && min >= r->start_min &&
		       min < r->end_min;
	/* Across midnight: the evening of one of its days, or the early
	 * hours after one. */
	return ((r->days & (1u << wd)) && min >= r->start_min) ||
	       ((r->days & (1u << yesterday)) && min < r->end_min);
}

int tc_eval_local(const struct tc_rules *r, const struct tm *local,
		  struct tc_result *res)
{
	int wd, min;

	if (!r || !local || !res || (r->nrules && !r->rules) ||
	    (r->nholidays && !r->holidays) || local->tm_wday < 0 ||
	    local->tm_wday > 6)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	res->local = *local;
	for (int i = 0; i < r->nholidays; i++) {
		if (holiday_today(&r->holidays[i], local)) {
			res->why = TC_WHY_HOLIDAY;
			res->index = i;
			return 0;
		}
	}
	wd = (local->tm_wday + 6) % 7;
	min = local->tm_hour * 60 + local->tm_min;
	for (int i = 0; i < r->nrules; i++) {
		if (rule_holds(&r->rules[i], wd, min)) {
			res->open = 1;
			res->why = TC_WHY_RULE;
			res->index = i;
			return 0;
		}
	}
	res->why = TC_WHY_NO_RULE;
	return 0;
}

int tc_eval(const struct tc_rules *r, time_t when, const char *tz,
	    struct tc_result *res)
{
	struct tm local;
	int err;

	if (!res)
		return -EINVAL;
	err = tz_local(tz, when, &local);
	return err ? err : tc_eval_local(r, &local, res);
}

int tc_open(const struct tc_rules *r, time_t when, const char *tz, int *open)
{
	struct tc_result res;
	int err;

	if (!open)
		return -EINVAL;
	err = tc_eval(r, when, tz, &res);
	*open = !err && res.open;
	return err;
}
