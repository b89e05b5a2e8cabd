/* call_live.c - answered calls written down while they are up, so that a
 * crash loses none of their CDRs (db/migrations/0020_live_calls.sql).
 * The rows are written from the 1 s tick rather than at each of the
 * places a call can be answered: one place, and at most one database
 * write a second per call. */
#include <stdlib.h>
#include <string.h>

#include "sip/call.h"
#include "core/dbq.h"
#include "core/log.h"
#include "db_live.h"

/* Seconds between alive stamps while calls are up: how far an
 * interrupted call's recorded end may fall short of the crash. */
#define LIVE_SEEN_S 5

static void add_job(struct db *db, void *arg)
{
	db_live_add(db, arg);
}

static void seen_job(struct db *db, void *arg)
{
	db_live_seen(db, *(int64_t *)arg);
}

static void post_add(struct call *c)
{
	struct db_cdr *r = calloc(1, sizeof(*r)); /* freed by dbq */

	if (!r)
		return; /* retried at the next tick */
	call_cdr_base(c, r);
	c->live = 1;
	dbq_post(c->sip->dbq, add_job, r);
}

static void post_seen(struct sip *s)
{
	int64_t *now = malloc(sizeof(*now)); /* freed by dbq */

	if (!now)
		return;
	*now = now_us();
	dbq_post(s->dbq, seen_job, now);
}

void call_live_tick(struct sip *s)
{
	int up = 0, added = 0;

	for (struct call *c = s->calls; c; c = c->next) {
		if (!c->answer_us || c->cdr_done || c->tenant_id <= 0)
			continue;
		up = 1;
		if (!c->live) {
			post_add(c);
			added = 1;
		}
	}
	/* A stamp right after a new row: an interrupted call then ends no
	 * earlier than its own row was written. */
	if (added || (up && s->ticks % LIVE_SEEN_S == 0))
		post_seen(s);
}

int call_live_recover(struct sip *s)
{
	int n = 0, err = db_live_recover(s->db, &n);

	if (err)
		LOGE("cdr", "cannot record the calls cut off by the last stop: "
			    "%s",
		     strerror(-err));
	else if (n)
		LOGW("cdr", "%d call(s) were up when the daemon last stopped "
			    "without ending them: recorded as INTERRUPTED",
		     n);
	return err;
}
