/* ctl_park.c - ondoctl park show | set | list: a tenant's call park
 * settings (database) and the calls parked now (the daemon). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_park.h"
#include "ondoctl/ondoctl.h"

static void print_park(const struct db_tenant *t, const struct db_park *p)
{
	char slots[32];

	db_park_slots_str(p, slots, sizeof(slots));
	printf("call park of %s\n", t->domain);
	printf("  number  %s\n",
	       p->number[0] ? p->number : "none (no parking by transfer)");
	printf("  slots   %s\n", slots[0] ? slots : "none (parking is off)");
	printf("  timeout %d s, then the parker is rung back\n", p->timeout);
}

int octl_park_show(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	struct db_park p;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	err = db_park_get(o->db, t.id, &p);
	if (err)
		return octl_err("cannot read the park settings: %s",
				octl_strerror(err));
	print_park(&t, &p);
	return OCTL_OK;
}

int octl_park_set(struct octl *o, int argc, char **argv)
{
	const char *number = NULL, *slots = NULL, *timeout = NULL;
	const struct octl_opt opts[] = {{"--number", &number},
					{"--slots", &slots},
					{"--timeout", &timeout},
					{NULL, NULL}};
	struct db_tenant t;
	struct db_park p;
	char why[160] = "";
	int n, err;

	if (octl_parse(o, argc, argv, opts, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	err = db_park_get(o->db, t.id, &p);
	if (err)
		return octl_err("cannot read the park settings: %s",
				octl_strerror(err));
	if (number) {
		if (strlen(number) >= sizeof(p.number))
			return octl_err("--number is too long");
		snprintf(p.number, sizeof(p.number), "%s",
			 strcmp(number, "none") ? number : "");
	}
	if (slots && db_park_parse_slots(slots, &p.first, &p.last))
		return octl_err("bad --slots '%s' (FIRST-LAST such as 71-79, "
				"one slot, or off)",
				slots);
	if (timeout &&
	    octl_parse_int("--timeout", timeout, DB_PARK_TIMEOUT_MIN,
			   DB_PARK_TIMEOUT_MAX, "seconds", &p.timeout))
		return OCTL_ERR;
	err = db_park_set(o->db, &p, why, sizeof(why));
	if (err == -EINVAL || err == -EEXIST)
		return octl_err("park settings not changed: %s", why);
	if (err)
		return octl_err("cannot change the park settings: %s",
				octl_strerror(err));
	print_park(&t, &p);
	return OCTL_OK;
}

/* One "parked" line: domain, slot, caller, name, parker, seconds,
 * call-id; the rows of one tenant only. */
struct park_rows {
	const char *domain;
	struct octl_table *table;
};

static int park_row_h(char **f, void *arg)
{
	struct park_rows *r = arg;
	char since[32];

	if (strcmp(f[0], r->domain))
		return 0;
	octl_fmt_duration(since, sizeof(since), strtoll(f[5], NULL, 10));
	return octl_table_add(r->table, f[1], f[2], f[3], f[4], since, f[6]);
}

int octl_park_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"SLOT",   "CALLER", "NAME",
					     "PARKER", "SINCE",	 "CALL-ID"};
	struct park_rows rows;
	char *body = NULL;
	int n, status;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]))
		return OCTL_ERR;
	rows.domain = argv[0];
	status = octl_ask(o, "parked", &body);
	if (status != OCTL_OK)
		return status;
	if (octl_table_alloc(&rows.table, 6, header)) {
		free(body);
		return octl_err("out of memory");
	}
	status = octl_reply_rows(body, 7, "parked call", park_row_h, &rows);
	if (status == OCTL_OK && octl_table_rows(rows.table) == 0)
		printf("no calls parked in %s\n", argv[0]);
	else if (status == OCTL_OK)
		octl_table_print(rows.table, stdout);
	octl_table_free(rows.table);
	free(body);
	return status;
}
