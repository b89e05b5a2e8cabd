/* ctl_limits.c - ondoctl limits show | set and ext max-calls: the limits
 * against runaway use and toll fraud (db_limits.h, docs/security.md).
 * The daemon reads them as each call starts: no reload is needed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_limits.h"
#include "ondoctl/ondoctl.h"

static const char *or_none(int v, char *buf, size_t len, const char *unit)
{
	if (!v)
		return "none";
	snprintf(buf, len, "%d%s", v, unit);
	return buf;
}

static void print_limits(const struct db_tenant *t, const struct db_limits *l)
{
	char a[32], b[32], c[32];

	printf("limits of %s\n", t->domain);
	printf("  calls at once  %s\n", or_none(l->max_calls, a, sizeof(a), ""));
	printf("  extensions     %s\n",
	       or_none(l->max_extensions, b, sizeof(b), ""));
	printf("  call length    %s\n",
	       or_none(l->max_call_secs, c, sizeof(c), " s"));
}

int octl_limits_show(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	struct db_limits l;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	err = db_limits_get(o->db, t.id, &l);
	if (err)
		return octl_err("cannot read the limits: %s",
				octl_strerror(err));
	print_limits(&t, &l);
	return OCTL_OK;
}

int octl_limits_set(struct octl *o, int argc, char **argv)
{
	const char *calls = NULL, *exts = NULL, *secs = NULL;
	const struct octl_opt opts[] = {{"--calls", &calls},
					{"--extensions", &exts},
					{"--call-length", &secs},
					{NULL, NULL}};
	struct db_tenant t;
	struct db_limits l;
	char why[160] = "";
	int n, err;

	if (octl_parse(o, argc, argv, opts, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	err = db_limits_get(o->db, t.id, &l);
	if (err)
		return octl_err("cannot read the limits: %s",
				octl_strerror(err));
	if ((calls && octl_parse_int("--calls", calls, 0, DB_LIMIT_CALLS_MAX,
				     "calls (0: none)", &l.max_calls)) ||
	    (exts && octl_parse_int("--extensions", exts, 0,
				    DB_LIMIT_EXTS_MAX, "extensions (0: none)",
				    &l.max_extensions)) ||
	    (secs && octl_parse_int("--call-length", secs, 0,
				    DB_LIMIT_CALL_SECS_MAX, "seconds (0: none)",
				    &l.max_call_secs)))
		return OCTL_ERR;
	err = db_limits_set(o->db, t.id, &l, why, sizeof(why));
	if (err == -EINVAL)
		return octl_err("limits not changed: %s", why);
	if (err)
		return octl_err("cannot change the limits: %s",
				octl_strerror(err));
	print_limits(&t, &l);
	return OCTL_OK;
}

int octl_ext_max_calls(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int n, v, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) ||
	    octl_parse_int("max calls", argv[2], 0, DB_LIMIT_CALLS_MAX,
			   "calls (0: none)", &v))
		return OCTL_ERR;
	err = db_ext_set_max_calls(o->db, t.id, argv[1], v);
	if (err == -ENOENT)
		return octl_err("no extension %s in %s", argv[1], t.domain);
	if (err)
		return octl_err("cannot set the limit: %s", octl_strerror(err));
	if (v)
		printf("extension %s of %s: at most %d call(s) at once\n",
		       argv[1], t.domain, v);
	else
		printf("extension %s of %s: no limit on calls at once\n",
		       argv[1], t.domain);
	return OCTL_OK;
}
