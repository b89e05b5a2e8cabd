/* ctl_dialplan.c - ondoctl dialplan test | apps: where a number goes. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "dialplan/dialplan.h"
#include "ondoctl/ondoctl.h"

#define DIALABLE "1 to 31 characters: digits, letters, * # + . _ -"

int octl_dialplan_test(struct octl *o, int argc, char **argv)
{
	const char *caller = NULL, *number;
	const struct octl_opt opts[] = {{"--caller", &caller}, {NULL, NULL}};
	struct dp_result res;
	struct db_tenant t;
	int n, err;

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
	err = dp_lookup(o->db, &t, number, caller, &res);
	if (err == -ENOENT) {
		printf("%s -> no route and no extension: the call gets 404\n",
		       number);
		return OCTL_OK;
	}
	if (err)
		return octl_err("cannot route %s in %s: %s", number, t.domain,
				octl_strerror(err));
	if (res.route_id == 0)
		printf("%s -> extension %s (no route): ", number, number);
	else
		printf("%s -> route %" PRId64 " (prio %d, pattern %s): ",
		       number, res.route_id, res.priority, res.pattern);
	printf("%s%s%s\n", res.app, res.args[0] ? " " : "", res.args);
	return OCTL_OK;
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
