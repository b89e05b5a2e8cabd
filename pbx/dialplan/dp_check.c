/* dp_check.c - whether a route will work, checked before it is stored
 * (ondoctl route add, the REST API): the daemon skips a route that does
 * not (with a warning), which a caller would only notice as a wrong 404.
 * Each failure is one sentence for the admin. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_timecond.h"
#include "dialplan/dialplan.h"

/* The app's line in apps/app_list.h says what ARGS it takes: "" none,
 * "[...]" optional, anything else required. */
static int check_arity(const struct db_route *r, char *why, size_t len)
{
	const struct dp_app_info *a = dp_apps();

	while (a->name && strcmp(a->name, r->app))
		a++;
	if (!a->name)
		return 0;
	if (!a->args[0] && r->args[0]) {
		snprintf(why, len, "%s takes no arguments (got '%s')", r->app,
			 r->args);
		return -EINVAL;
	}
	if (a->args[0] && a->args[0] != '[' && !r->args[0]) {
		snprintf(why, len, "%s needs arguments: %s %s", r->app, r->app,
			 a->args);
		return -EINVAL;
	}
	return 0;
}

static int check_syntax(const struct db_route *r, char *why, size_t len)
{
	struct dp_pattern *p;
	char err[256];
	int rc, ncap;

	rc = dp_pattern_compile(&p, r->pattern, err, sizeof(err));
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		snprintf(why, len, "bad pattern '%s': %s", r->pattern, err);
		return -EINVAL;
	}
	ncap = dp_pattern_ncap(p);
	dp_pattern_free(p);
	if (!app_known(r->app)) {
		snprintf(why, len, "no application '%s' (known: %s)", r->app,
			 dp_app_names());
		return -EINVAL;
	}
	if ((rc = check_arity(r, why, len)))
		return rc;
	rc = dp_expand_check(r->args, ncap, err, sizeof(err));
	if (rc == -EINVAL)
		snprintf(why, len, "bad arguments '%s': %s", r->args, err);
	return rc;
}

/* An ivr, timecond or ringgroup route names an existing menu, time
 * condition or ring group of its tenant, literally: a template could name
 * any at call time, and db_ivr_menu_del and db_timecond_del find the
 * routes that use one by comparing its name with their args. */
static int check_named(struct db *db, int64_t tenant_id,
		       const struct db_route *r, char *why, size_t len)
{
	bool ivr = !strcmp(r->app, "ivr"), rg = !strcmp(r->app, "ringgroup");
	const char *what = ivr ? "menu" : rg ? "ring group" : "time condition";
	char msg[200];
	int err;

	if (!ivr && !rg && strcmp(r->app, "timecond"))
		return 0;
	err = db_dest_check(db, tenant_id, r->app, r->args, DB_DEST_DID, msg,
			    sizeof(msg));
	if (err == -EINVAL && rg)
		snprintf(why, len,
			 "ringgroup takes the number of a ring group, not "
			 "'%s' (1 to 31 digits)",
			 r->args);
	else if (err == -EINVAL)
		snprintf(why, len,
			 "%s takes the name of a %s, not '%s' (1 to 32 "
			 "characters: a-z, 0-9, _ and -)",
			 r->app, what, r->args);
	else if (err == -ENOENT)
		snprintf(why, len, "%s (add it with ondoctl %s add)", msg,
			 r->app);
	else if (err)
		snprintf(why, len, "cannot look up %s '%s': %s", what, r->args,
			 strerror(-err));
	return err == -ENOENT ? -EINVAL : err;
}

int dp_route_check(struct db *db, int64_t tenant_id, const struct db_route *r,
		   char *why, size_t len)
{
	int err = check_syntax(r, why, len);

	return err ? err : check_named(db, tenant_id, r, why, len);
}
