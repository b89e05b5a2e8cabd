/* timecond.c - a route that sends the call where a time condition of the
 * tenant says at this moment: to its open or its closed destination. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "apps/apps.h"
#include "core/log.h"
#include "dialplan/dialplan.h"

/* Conditions entered in one call: a branch's number whose route runs a
 * condition again is followed, a loop of them is not. */
#define TC_MAX_HOPS 8

static int run_app(struct chan *c, const char *name, const char *args)
{
	const struct app *app = app_find(name);

	return app ? app->run(c, args) : -ENOENT;
}

/* A branch's number, through the tenant's dialplan as the IVR's number
 * action does. 1 with *next the condition its route runs, else what the
 * route's app returned. */
static int run_number(struct chan *c, struct db *db, const struct db_tenant *t,
		      const char *number, char next[DB_TC_NAME_LEN])
{
	struct dp_result res;

	if (dp_lookup(db, t, number, chan_caller(c), &res)) {
		LOGC(LOGL_WARN, "app", t->domain, chan_call_id(c),
		     "timecond: number %s reaches no route or extension",
		     number);
		return -ENOENT;
	}
	if (strcmp(res.app, "timecond"))
		return run_app(c, res.app, res.args);
	if (strlen(res.args) >= DB_TC_NAME_LEN)
		return -ENOENT; /* not a name: a route written by hand */
	memcpy(next, res.args, strlen(res.args) + 1);
	return 1;
}

static int timecond_run(struct chan *c, const char *args)
{
	char name[DB_TC_NAME_LEN], line[256];
	struct db *db = chan_db(c);
	struct tc_choice ch;
	struct db_tenant t;
	int r;

	if (!db || db_tenant_by_id(db, chan_tenant_id(c), &t))
		return -EIO;
	snprintf(name, sizeof(name), "%s", args);
	for (int hop = 0; hop < TC_MAX_HOPS; hop++) {
		r = tc_choose(db, &t, name, time(NULL), NULL, &ch);
		if (r) {
			LOGC(LOGL_WARN, "app", t.domain, chan_call_id(c),
			     "timecond %s: %s", name,
			     r == -ENOENT ? "no such time condition"
					  : strerror(-r));
			return -ENOENT;
		}
		tc_choice_line(&ch, name, line, sizeof(line));
		LOGC(LOGL_INFO, "app", t.domain, chan_call_id(c), "%s", line);
		/* As a DID of that kind: dial rings the extension with
		 * early media, ivr answers and runs the menu. */
		if (!strcmp(ch.type, "extension"))
			return run_app(c, "dial", ch.dest);
		if (!strcmp(ch.type, "ivr"))
			return run_app(c, "ivr", ch.dest);
		if (!strcmp(ch.type, "conference") ||
		    !strcmp(ch.type, "ringgroup"))
			return run_app(c, ch.type, ch.dest);
		if (!strcmp(ch.type, "voicemail")) {
			char vm[DB_DEST_LEN + 16];
			snprintf(vm, sizeof(vm), "%s,unavail", ch.dest);
			return run_app(c, "voicemail", vm);
		}
		r = run_number(c, db, &t, ch.dest, name);
		if (r != 1)
			return r;
	}
	LOGC(LOGL_WARN, "app", t.domain, chan_call_id(c),
	     "timecond: more than %d time conditions in a row (a loop?)",
	     TC_MAX_HOPS);
	return -ELOOP;
}

const struct app app_timecond = {.name = "timecond", .run = timecond_run};
