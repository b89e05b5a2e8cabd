/* ctl_timecond.c - ondoctl timecond add | set | del | list | show, rule
 * add | del, holiday add | del: destinations that depend on the day and
 * time in the tenant's zone. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_timecond.h"
#include "dialplan/dialplan.h"
#include "ondoctl/ondoctl.h"

#define NAME_RULE "1 to 32 characters: a-z, 0-9, _ and -"

static int check_name(const char *name)
{
	if (db_valid_tc_name(name))
		return OCTL_OK;
	return octl_err("invalid time condition name '%s' (" NAME_RULE ")",
			name);
}

/* The tenant's condition `name`; prints why not. */
static int find_tc(struct octl *o, const struct db_tenant *t, const char *name,
		   struct db_timecond *tc)
{
	int err;

	if (check_name(name))
		return OCTL_ERR;
	err = db_timecond_get(o->db, t->id, name, tc);
	if (err == -ENOENT)
		return octl_err("no time condition '%s' in tenant %s", name,
				t->domain);
	if (err)
		return octl_err("cannot look up time condition '%s' of %s: %s",
				name, t->domain, octl_strerror(err));
	return OCTL_OK;
}

/* "--open ivr:main" into type and dest, checked in the tenant. */
static int parse_branch(struct octl *o, const struct db_tenant *t,
			const char *opt, const char *arg, char *type,
			char *dest)
{
	const char *colon = strchr(arg, ':');
	char why[200];

	if (!colon || colon == arg || (size_t)(colon - arg) >= DB_WORD_LEN ||
	    strlen(colon + 1) >= DB_DEST_LEN)
		return octl_err("bad %s '%s' (TYPE:DEST, such as ivr:main, "
				"extension:1001 or number:600)",
				opt, arg);
	memcpy(type, arg, (size_t)(colon - arg));
	type[colon - arg] = '\0';
	snprintf(dest, DB_DEST_LEN, "%s", colon + 1);
	if (db_dest_check(o->db, t->id, type, dest, DB_DEST_BRANCH, why,
			  sizeof(why)))
		return octl_err("%s %s: %s", opt, arg, why);
	return OCTL_OK;
}

int octl_timecond_add(struct octl *o, int argc, char **argv)
{
	const char *open_to = NULL, *closed_to = NULL;
	const struct octl_opt opts[] = {
	    {"--open", &open_to}, {"--closed", &closed_to}, {NULL, NULL}};
	struct db_timecond tc = {0};
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, opts, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || check_name(argv[1]))
		return OCTL_ERR;
	if (!open_to || !closed_to)
		return octl_err("timecond add needs --open TYPE:DEST and "
				"--closed TYPE:DEST (where calls go in and "
				"out of hours)");
	tc.tenant_id = t.id;
	snprintf(tc.name, sizeof(tc.name), "%s", argv[1]);
	if (parse_branch(o, &t, "--open", open_to, tc.open_type,
			 tc.open_dest) ||
	    parse_branch(o, &t, "--closed", closed_to, tc.closed_type,
			 tc.closed_dest))
		return OCTL_ERR;
	err = db_timecond_add(o->db, &tc, NULL);
	if (err == -EEXIST)
		return octl_err("%s already has a time condition '%s'",
				t.domain, tc.name);
	if (err)
		return octl_err("cannot add time condition '%s' to %s: %s",
				tc.name, t.domain, octl_strerror(err));
	printf("time condition %s added to %s\n", tc.name, t.domain);
	return OCTL_OK;
}

int octl_timecond_set(struct octl *o, int argc, char **argv)
{
	const char *open_to = NULL, *closed_to = NULL;
	const struct octl_opt opts[] = {
	    {"--open", &open_to}, {"--closed", &closed_to}, {NULL, NULL}};
	struct db_timecond tc;
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, opts, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || find_tc(o, &t, argv[1], &tc))
		return OCTL_ERR;
	if (!open_to && !closed_to)
		return octl_err("timecond set needs --open TYPE:DEST or "
				"--closed TYPE:DEST");
	if ((open_to && parse_branch(o, &t, "--open", open_to, tc.open_type,
				     tc.open_dest)) ||
	    (closed_to && parse_branch(o, &t, "--closed", closed_to,
				       tc.closed_type, tc.closed_dest)))
		return OCTL_ERR;
	err = db_timecond_update(o->db, &tc);
	if (err)
		return octl_err("cannot change time condition '%s' of %s: %s",
				tc.name, t.domain, octl_strerror(err));
	printf("time condition %s of %s changed\n", tc.name, t.domain);
	return OCTL_OK;
}

/* Says what keeps condition `name` from being deleted. */
static int busy(struct octl *o, const struct db_tenant *t, const char *name)
{
	struct db_tc_ref ref;

	if (db_timecond_ref(o->db, t->id, name, &ref))
		return octl_err("time condition '%s' is in use; delete what "
				"uses it first",
				name);
	if (ref.route_id)
		return octl_err("time condition '%s' is used by route %" PRId64
				"; delete that first",
				name, ref.route_id);
	return octl_err("time condition '%s' is used by DID %s; point it "
			"elsewhere first (ondoctl did set)",
			name, ref.did);
}

int octl_timecond_del(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || check_name(argv[1]))
		return OCTL_ERR;
	err = db_timecond_del(o->db, t.id, argv[1]);
	if (err == -ENOENT)
		return octl_err("no time condition '%s' in tenant %s", argv[1],
				t.domain);
	if (err == -EBUSY)
		return busy(o, &t, argv[1]);
	if (err)
		return octl_err("cannot delete time condition '%s' of %s: %s",
				argv[1], t.domain, octl_strerror(err));
	printf("time condition %s deleted from %s\n", argv[1], t.domain);
	return OCTL_OK;
}

void octl_fmt_local(char *buf, size_t len, const struct tm *tm)
{
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed",
					 "Thu", "Fri", "Sat"};

	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d %s", tm->tm_year + 1900,
		 tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min,
		 wd[(unsigned)tm->tm_wday % 7]);
}

int octl_tc_decide(struct octl *o, const struct db_tenant *t, const char *name,
		   const struct tm *at, struct tc_choice *ch)
{
	int err = tc_choose(o->db, t, name, time(NULL), at, ch);

	if (err == -ENOENT)
		return octl_err("no time condition '%s' in tenant %s", name,
				t->domain);
	if (err)
		return octl_err("cannot decide time condition '%s' of %s: %s",
				name, t->domain, octl_strerror(err));
	return OCTL_OK;
}

static int count_h(const void *row, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int count_rules_h(const struct db_tc_rule *r, void *arg)
{
	return count_h(r, arg);
}

static int count_holidays_h(const struct db_tc_holiday *h, void *arg)
{
	return count_h(h, arg);
}

static int tc_row_h(const struct db_timecond *tc, void *arg)
{
	struct octl_rows *rows = arg;
	char open[DB_WORD_LEN + DB_DEST_LEN], closed[sizeof(open)];
	char nrules[16], nholidays[16];
	struct tc_choice ch;
	struct db_tenant t;
	int r = 0, h = 0, err;

	snprintf(open, sizeof(open), "%s %s", tc->open_type, tc->open_dest);
	snprintf(closed, sizeof(closed), "%s %s", tc->closed_type,
		 tc->closed_dest);
	err = db_tc_rule_list(rows->o->db, tc->id, count_rules_h, &r);
	if (!err)
		err = db_tc_holiday_list(rows->o->db, tc->id, count_holidays_h,
					 &h);
	if (!err)
		err = db_tenant_by_id(rows->o->db, tc->tenant_id, &t);
	if (!err)
		err =
		    tc_choose(rows->o->db, &t, tc->name, time(NULL), NULL, &ch);
	if (err)
		return err;
	snprintf(nrules, sizeof(nrules), "%d", r);
	snprintf(nholidays, sizeof(nholidays), "%d", h);
	return octl_table_add(rows->table, t.domain, tc->name, open, closed,
			      nrules, nholidays, ch.open ? "open" : "closed");
}

int octl_timecond_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {
	    "TENANT", "NAME", "OPEN", "CLOSED", "RULES", "HOLIDAYS", "NOW"};
	struct octl_rows rows = {.o = o};
	struct db_tenant t;
	char empty[DB_DOMAIN_LEN + 80];
	int status, err;

	status = octl_list_begin(o, argc, argv, &t, 7, header, &rows.table);
	if (status)
		return status;
	err = db_timecond_list(o->db, t.id, tc_row_h, &rows);
	snprintf(empty, sizeof(empty),
		 "no time conditions%s%s yet (add one with ondoctl timecond "
		 "add)",
		 t.id ? " in " : "", t.id ? t.domain : "");
	return octl_list_end(rows.table, err, "time conditions", empty);
}

static int rule_row_h(const struct db_tc_rule *r, void *arg)
{
	char id[24], text[DB_TC_RULE_TEXT_LEN];

	snprintf(id, sizeof(id), "%" PRId64, r->id);
	db_tc_rule_format(r, text);
	return octl_table_add(arg, id, text);
}

static int holiday_row_h(const struct db_tc_holiday *h, void *arg)
{
	char date[DB_TC_DATE_LEN];

	db_tc_date_format(h, date);
	return octl_table_add(arg, date, h->name[0] ? h->name : "-");
}

/* Prints a table of rows from `list`, or the sentence `empty`. */
static int print_part(struct octl *o, int64_t tc_id, const char *const *header,
		      int (*list)(struct octl *, int64_t, struct octl_table *),
		      const char *empty)
{
	struct octl_table *table;
	int err;

	if (octl_table_alloc(&table, 2, header))
		return octl_err("out of memory");
	err = list(o, tc_id, table);
	if (err)
		octl_err("cannot read the time condition: %s",
			 octl_strerror(err));
	else if (octl_table_rows(table) == 0)
		printf("%s\n", empty);
	else
		octl_table_print(table, stdout);
	octl_table_free(table);
	return err ? OCTL_ERR : OCTL_OK;
}

static int list_rules(struct octl *o, int64_t tc_id, struct octl_table *t)
{
	return db_tc_rule_list(o->db, tc_id, rule_row_h, t);
}

static int list_holidays(struct octl *o, int64_t tc_id, struct octl_table *t)
{
	return db_tc_holiday_list(o->db, tc_id, holiday_row_h, t);
}

int octl_timecond_show(struct octl *o, int argc, char **argv)
{
	static const char *const rule_hdr[] = {"ID", "RULE"};
	static const char *const hol_hdr[] = {"HOLIDAY", "NAME"};
	struct db_timecond tc;
	struct tc_choice ch;
	struct db_tenant t;
	char local[48];
	int n;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || find_tc(o, &t, argv[1], &tc) ||
	    octl_tc_decide(o, &t, tc.name, NULL, &ch))
		return OCTL_ERR;
	octl_fmt_local(local, sizeof(local), &ch.local);
	printf("name      %s\n"
	       "timezone  %s\n"
	       "open      %s %s\n"
	       "closed    %s %s\n"
	       "now       %s (%s) at %s\n\n",
	       tc.name, ch.tz, tc.open_type, tc.open_dest, tc.closed_type,
	       tc.closed_dest, ch.open ? "open" : "closed", ch.why, local);
	if (print_part(o, tc.id, rule_hdr, list_rules,
		       "no rules yet: always closed (add one with ondoctl "
		       "timecond rule add)"))
		return OCTL_ERR;
	printf("\n");
	return print_part(o, tc.id, hol_hdr, list_holidays, "no holidays");
}

int octl_timecond_rule_add(struct octl *o, int argc, char **argv)
{
	char why[200], text[DB_TC_RULE_TEXT_LEN];
	struct db_timecond tc;
	struct db_tc_rule r;
	struct db_tenant t;
	int64_t id;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || find_tc(o, &t, argv[1], &tc))
		return OCTL_ERR;
	if (db_tc_rule_parse(argv[2], &r, why, sizeof(why)))
		return octl_err("bad rule '%s': %s", argv[2], why);
	err = db_tc_rule_add(o->db, tc.id, &r, &id);
	if (err == -ENOSPC)
		return octl_err("time condition '%s' has %d rules already, the "
				"most it may have",
				tc.name, DB_TC_RULES_MAX);
	if (err)
		return octl_err("cannot add the rule to '%s': %s", tc.name,
				octl_strerror(err));
	db_tc_rule_format(&r, text);
	printf("rule %" PRId64 " added to time condition %s: %s\n", id, tc.name,
	       text);
	return OCTL_OK;
}

int octl_timecond_rule_del(struct octl *o, int argc, char **argv)
{
	struct db_timecond tc;
	struct db_tenant t;
	char *end;
	long long id;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || find_tc(o, &t, argv[1], &tc))
		return OCTL_ERR;
	errno = 0;
	id = strtoll(argv[2], &end, 10);
	if (errno || end == argv[2] || *end || id <= 0)
		return octl_err("invalid rule id '%s' (the ID column of "
				"ondoctl timecond show)",
				argv[2]);
	err = db_tc_rule_del(o->db, tc.id, id);
	if (err == -ENOENT)
		return octl_err("time condition '%s' has no rule %lld", tc.name,
				id);
	if (err)
		return octl_err("cannot delete rule %lld of '%s': %s", id,
				tc.name, octl_strerror(err));
	printf("rule %lld deleted from time condition %s\n", id, tc.name);
	return OCTL_OK;
}

/* The tenant, the condition and the date of a holiday command. */
static int holiday_args(struct octl *o, char **argv, struct db_tenant *t,
			struct db_timecond *tc, struct db_tc_holiday *h)
{
	if (octl_tenant(o, argv[0], t) || find_tc(o, t, argv[1], tc))
		return OCTL_ERR;
	if (db_tc_date_parse(argv[2], h))
		return octl_err("invalid date '%s' (YYYY-MM-DD for one day, "
				"MM-DD for every year)",
				argv[2]);
	return OCTL_OK;
}

int octl_timecond_holiday_add(struct octl *o, int argc, char **argv)
{
	const char *name = NULL;
	const struct octl_opt opts[] = {{"--name", &name}, {NULL, NULL}};
	char date[DB_TC_DATE_LEN];
	struct db_tc_holiday h;
	struct db_timecond tc;
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, opts, 3, 3, &n))
		return OCTL_USAGE;
	if (holiday_args(o, argv, &t, &tc, &h))
		return OCTL_ERR;
	if (name && (strlen(name) >= sizeof(h.name) || !db_valid_name(name)))
		return octl_err("invalid holiday name '%s' (at most %zu "
				"characters, no control characters, quotes or "
				"backslashes)",
				name, sizeof(h.name) - 1);
	snprintf(h.name, sizeof(h.name), "%s", name ? name : "");
	db_tc_date_format(&h, date);
	err = db_tc_holiday_add(o->db, tc.id, &h, NULL);
	if (err == -EEXIST)
		return octl_err("time condition '%s' has a holiday on %s "
				"already",
				tc.name, date);
	if (err == -ENOSPC)
		return octl_err("time condition '%s' has %d holidays already, "
				"the most it may have",
				tc.name, DB_TC_HOLIDAYS_MAX);
	if (err)
		return octl_err("cannot add the holiday to '%s': %s", tc.name,
				octl_strerror(err));
	printf("holiday %s added to time condition %s\n", date, tc.name);
	return OCTL_OK;
}

int octl_timecond_holiday_del(struct octl *o, int argc, char **argv)
{
	char date[DB_TC_DATE_LEN];
	struct db_tc_holiday h;
	struct db_timecond tc;
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (holiday_args(o, argv, &t, &tc, &h))
		return OCTL_ERR;
	db_tc_date_format(&h, date);
	err = db_tc_holiday_del(o->db, tc.id, &h);
	if (err == -ENOENT)
		return octl_err("time condition '%s' has no holiday on %s",
				tc.name, date);
	if (err)
		return octl_err("cannot delete the holiday of '%s': %s",
				tc.name, octl_strerror(err));
	printf("holiday %s deleted from time condition %s\n", date, tc.name);
	return OCTL_OK;
}
