/* test_timecond_db.c - time conditions in the database (db/db_timecond.h):
 * the tenant's zone, conditions and their checks, rules, holidays, what
 * keeps a condition from being deleted, the cascade, an upgrade from
 * version 7, and tc_choose reading it all back to decide a call. A fresh
 * SQLite file per test. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db_priv.h"
#include "dbcheck.h"
#include "tmpdb.h"
#include "core/tz.h"
#include "dialplan/dialplan.h"

struct fx {
	struct tmpdb tmp;
	struct db *db;
	int64_t demo, acme; /* tenants demo.test and acme.test */
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct db_ivr_menu m;

	if (!fx)
		return -1;
	db_ivr_menu_defaults(&m);
	snprintf(m.name, sizeof(m.name), "main");
	snprintf(m.greeting, sizeof(m.greeting), "welcome");
	if (tmpdb_open(&fx->tmp, "timecond", &fx->db) ||
	    db_tenant_add(fx->db, "Demo", "demo.test", &fx->demo) ||
	    db_tenant_add(fx->db, "Acme", "acme.test", &fx->acme) ||
	    db_ext_add(fx->db, fx->demo, "1001", "Alice", "secret123", NULL) ||
	    (m.tenant_id = fx->demo, db_ivr_menu_add(fx->db, &m, NULL))) {
		if (fx->db)
			tmpdb_close(&fx->tmp, fx->db);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	tmpdb_close(&fx->tmp, fx->db);
	tz_cache_clear();
	free(fx);
	return 0;
}

/* A condition `name` of the tenant: open to ivr main, closed to number
 * 601. */
static void office(struct db_timecond *tc, int64_t tenant_id, const char *name)
{
	memset(tc, 0, sizeof(*tc));
	tc->tenant_id = tenant_id;
	snprintf(tc->name, sizeof(tc->name), "%s", name);
	snprintf(tc->open_type, sizeof(tc->open_type), "ivr");
	snprintf(tc->open_dest, sizeof(tc->open_dest), "main");
	snprintf(tc->closed_type, sizeof(tc->closed_type), "number");
	snprintf(tc->closed_dest, sizeof(tc->closed_dest), "601");
}

static void test_timezone(void **state)
{
	struct fx *fx = *state;
	char tz[DB_TZ_LEN];

	OK(db_tenant_timezone(fx->db, fx->demo, tz));
	if (strcmp(tz, "UTC"))
		fail_msg("a new tenant's zone is '%s', not UTC", tz);
	OK(db_tenant_set_timezone(fx->db, "Demo.Test", "Europe/Berlin"));
	OK(db_tenant_timezone(fx->db, fx->demo, tz));
	if (strcmp(tz, "Europe/Berlin"))
		fail_msg("the zone reads back as '%s'", tz);
	FAILS_WITH(db_tenant_set_timezone(fx->db, "demo.test", "Mars/Base"),
		   -EINVAL, "a zone that does not exist");
	FAILS_WITH(db_tenant_set_timezone(fx->db, "demo.test", "../../etc/x"),
		   -EINVAL, "a path as a zone");
	FAILS_WITH(db_tenant_set_timezone(fx->db, "nope.test", "UTC"), -ENOENT,
		   "the zone of a tenant that does not exist");
	FAILS_WITH(db_tenant_timezone(fx->db, 999, tz), -ENOENT,
		   "reading the zone of tenant 999");
	OK(db_tenant_timezone(fx->db, fx->demo, tz));
	if (strcmp(tz, "Europe/Berlin"))
		fail_msg("a refused zone changed it to '%s'", tz);
}

static void test_dest_check(void **state)
{
	static const struct {
		const char *type, *dest;
		int kinds, err;
		const char *why;
	} cases[] = {
	    {"extension", "1001", DB_DEST_BRANCH, 0, ""},
	    {"ivr", "main", DB_DEST_BRANCH, 0, ""},
	    {"number", "+4930*1#", DB_DEST_BRANCH, 0, ""},
	    {"extension", "1009", DB_DEST_BRANCH, -ENOENT,
	     "no extension 1009 in tenant demo.test"},
	    {"ivr", "sales", DB_DEST_DID, -ENOENT,
	     "no menu 'sales' in tenant demo.test"},
	    {"timecond", "office", DB_DEST_DID, -ENOENT,
	     "no time condition 'office' in tenant demo.test"},
	    {"timecond", "office", DB_DEST_BRANCH, -EINVAL,
	     "a time condition cannot go to another one (send it to a number "
	     "whose route runs timecond)"},
	    {"parking", "1001", DB_DEST_DID, -EINVAL,
	     "unknown destination 'parking' (extension, ivr, voicemail, "
	     "conference, ringgroup, number or timecond)"},
	    {"parking", "1001", DB_DEST_BRANCH, -EINVAL,
	     "unknown destination 'parking' (extension, ivr, voicemail, "
	     "conference, ringgroup or number)"},
	    {"conference", "800", DB_DEST_BRANCH, -ENOENT,
	     "no conference room 800 in tenant demo.test"},
	    {"voicemail", "1001", DB_DEST_DID, 0, ""},
	    {"voicemail", "1009", DB_DEST_BRANCH, -ENOENT,
	     "no extension 1009 in tenant demo.test"},
	    {"extension", "10a", DB_DEST_BRANCH, -EINVAL,
	     "invalid extension '10a' (1 to 31 digits)"},
	    {"number", "1 2", DB_DEST_BRANCH, -EINVAL,
	     "invalid number '1 2' (1 to 31 characters: digits, letters, * # "
	     "+ . _ -)"},
	    {"ivr", "Main", DB_DEST_BRANCH, -EINVAL,
	     "invalid ivr 'Main' (a menu name: 1 to 32 characters: a-z, 0-9, "
	     "_ and -)"},
	    {"timecond", "", DB_DEST_DID, -EINVAL,
	     "invalid timecond '' (a time condition name: 1 to 32 "
	     "characters: a-z, 0-9, _ and -)"},
	};
	struct fx *fx = *state;
	char why[200];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = db_dest_check(fx->db, fx->demo, cases[i].type,
					cases[i].dest, cases[i].kinds, why,
					sizeof(why));

		if (err != cases[i].err || strcmp(why, cases[i].why))
			fail_msg("%s %s: %s '%s', expected %s '%s'",
				 cases[i].type, cases[i].dest, strerror(-err),
				 why, strerror(-cases[i].err), cases[i].why);
	}
	/* Another tenant's extension is not there for acme. */
	if (db_dest_check(fx->db, fx->acme, "extension", "1001", DB_DEST_DID,
			  why, sizeof(why)) != -ENOENT ||
	    strcmp(why, "no extension 1001 in tenant acme.test"))
		fail_msg("acme reaches demo's extension: '%s'", why);
}

static int collect_tc_h(const struct db_timecond *tc, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%lld:%s=%s:%s/%s:%s ",
		 (long long)tc->tenant_id, tc->name, tc->open_type,
		 tc->open_dest, tc->closed_type, tc->closed_dest);
	return 0;
}

static void test_conditions(void **state)
{
	struct fx *fx = *state;
	struct db_timecond tc, got;
	char err[200], list[256] = "", want[256];
	int64_t id;

	office(&tc, fx->demo, "office");
	OK(db_timecond_check(fx->db, &tc, err, sizeof(err)));
	OK(db_timecond_add(fx->db, &tc, &id));
	OK(db_timecond_get(fx->db, fx->demo, "office", &got));
	if (got.id != id || got.tenant_id != fx->demo ||
	    strcmp(got.open_type, "ivr") || strcmp(got.open_dest, "main") ||
	    strcmp(got.closed_type, "number") || strcmp(got.closed_dest, "601"))
		fail_msg("the condition reads back as %s %s / %s %s",
			 got.open_type, got.open_dest, got.closed_type,
			 got.closed_dest);
	FAILS_WITH(db_timecond_add(fx->db, &tc, NULL), -EEXIST,
		   "a second condition 'office' in demo");
	FAILS_WITH(db_timecond_get(fx->db, fx->acme, "office", &got), -ENOENT,
		   "acme reading demo's condition");

	/* Each check names the field. */
	snprintf(tc.name, sizeof(tc.name), "Office");
	if (db_timecond_check(fx->db, &tc, err, sizeof(err)) != -EINVAL ||
	    strcmp(err, "name: invalid name 'Office' (1 to 32 characters: "
			"a-z, 0-9, _ and -)"))
		fail_msg("a bad name: '%s'", err);
	FAILS_WITH(db_timecond_add(fx->db, &tc, NULL), -EINVAL,
		   "a condition named Office");
	office(&tc, fx->demo, "night");
	snprintf(tc.open_type, sizeof(tc.open_type), "extension");
	snprintf(tc.open_dest, sizeof(tc.open_dest), "1009");
	if (db_timecond_check(fx->db, &tc, err, sizeof(err)) != -ENOENT ||
	    strcmp(err, "open: no extension 1009 in tenant demo.test"))
		fail_msg("a missing open extension: '%s'", err);
	FAILS_WITH(db_timecond_add(fx->db, &tc, NULL), -ENOENT,
		   "a condition open to a missing extension");
	office(&tc, fx->demo, "night");
	snprintf(tc.closed_type, sizeof(tc.closed_type), "timecond");
	snprintf(tc.closed_dest, sizeof(tc.closed_dest), "office");
	if (db_timecond_check(fx->db, &tc, err, sizeof(err)) != -EINVAL ||
	    strcmp(err, "closed: a time condition cannot go to another "
			"one (send it to a number whose route runs "
			"timecond)"))
		fail_msg("a condition closed to a condition: '%s'", err);
	office(&tc, fx->acme, "night");
	FAILS_WITH(db_timecond_add(fx->db, &tc, NULL), -ENOENT,
		   "acme's condition to demo's menu");
	snprintf(tc.open_type, sizeof(tc.open_type), "number");
	snprintf(tc.open_dest, sizeof(tc.open_dest), "600");
	OK(db_timecond_add(fx->db, &tc, NULL));
	office(&tc, fx->demo, "night");
	OK(db_timecond_add(fx->db, &tc, NULL));
	if (count_rows(fx->db, "SELECT count(*) FROM timeconds") != 3)
		fail_msg("refused conditions were stored");

	/* Both destinations change together; the rest stays. */
	office(&tc, fx->demo, "office");
	snprintf(tc.open_type, sizeof(tc.open_type), "extension");
	snprintf(tc.open_dest, sizeof(tc.open_dest), "1001");
	OK(db_timecond_update(fx->db, &tc));
	snprintf(tc.closed_type, sizeof(tc.closed_type), "ivr");
	snprintf(tc.closed_dest, sizeof(tc.closed_dest), "nope");
	FAILS_WITH(db_timecond_update(fx->db, &tc), -ENOENT,
		   "closing to a missing menu");
	office(&tc, fx->demo, "nope");
	FAILS_WITH(db_timecond_update(fx->db, &tc), -ENOENT,
		   "changing a condition that does not exist");

	OK(db_timecond_list(fx->db, fx->demo, collect_tc_h, list));
	snprintf(want, sizeof(want),
		 "%lld:night=ivr:main/number:601 "
		 "%lld:office=extension:1001/number:601 ",
		 (long long)fx->demo, (long long)fx->demo);
	if (strcmp(list, want))
		fail_msg("demo's conditions list as '%s'", list);
	list[0] = '\0';
	OK(db_timecond_list(fx->db, 0, collect_tc_h, list));
	if (!strstr(list, "night=number:600/number:601") ||
	    strncmp(list, want, strlen(want)))
		fail_msg("every tenant's conditions list as '%s'", list);
}

static int collect_rule_h(const struct db_tc_rule *r, void *arg)
{
	char *out = arg, text[DB_TC_RULE_TEXT_LEN];
	size_t n = strlen(out);

	db_tc_rule_format(r, text);
	snprintf(out + n, 256 - n, "%s|", text);
	return 0;
}

static int collect_hol_h(const struct db_tc_holiday *h, void *arg)
{
	char *out = arg, date[DB_TC_DATE_LEN];
	size_t n = strlen(out);

	db_tc_date_format(h, date);
	snprintf(out + n, 256 - n, "%s=%s|", date, h->name);
	return 0;
}

static void test_rules_holidays(void **state)
{
	struct fx *fx = *state;
	struct db_timecond tc;
	struct db_tc_rule r;
	struct db_tc_holiday h;
	char list[256] = "";
	int64_t id, id2, first = 0;

	office(&tc, fx->demo, "office");
	OK(db_timecond_add(fx->db, &tc, &tc.id));
	OK(db_tc_rule_parse("mon-fri 08:00-17:30", &r, NULL, 0));
	OK(db_tc_rule_add(fx->db, tc.id, &r, &first));
	OK(db_tc_rule_parse("sat 22:00-02:00", &r, NULL, 0));
	OK(db_tc_rule_add(fx->db, tc.id, &r, &id));
	OK(db_tc_rule_list(fx->db, tc.id, collect_rule_h, list));
	if (strcmp(list, "mon-fri 08:00-17:30|sat 22:00-02:00|"))
		fail_msg("the rules list as '%s'", list);
	r.start_min = r.end_min = 60;
	FAILS_WITH(db_tc_rule_add(fx->db, tc.id, &r, NULL), -EINVAL,
		   "an empty time range");
	r.start_min = 0;
	r.days = 0;
	FAILS_WITH(db_tc_rule_add(fx->db, tc.id, &r, NULL), -EINVAL,
		   "a rule of no day");
	OK(db_tc_rule_parse("sun", &r, NULL, 0));
	FAILS_WITH(db_tc_rule_add(fx->db, 9999, &r, NULL), -ENOENT,
		   "a rule of a condition that does not exist");
	for (int i = 2; i < DB_TC_RULES_MAX; i++)
		OK(db_tc_rule_add(fx->db, tc.id, &r, NULL));
	FAILS_WITH(db_tc_rule_add(fx->db, tc.id, &r, NULL), -ENOSPC,
		   "one rule more than DB_TC_RULES_MAX");
	OK(db_tc_rule_del(fx->db, tc.id, id));
	OK(db_tc_rule_add(fx->db, tc.id, &r, &id2));
	if (id2 <= id)
		fail_msg("a new rule got the id %lld of a deleted one",
			 (long long)id2);
	OK(db_tc_rule_del(fx->db, tc.id, first));
	FAILS_WITH(db_tc_rule_del(fx->db, tc.id, first), -ENOENT,
		   "deleting a rule twice");
	FAILS_WITH(db_tc_rule_del(fx->db, tc.id + 1, id2), -ENOENT,
		   "deleting a rule through another condition");

	OK(db_tc_date_parse("2026-12-25", &h));
	snprintf(h.name, sizeof(h.name), "Christmas 2026");
	OK(db_tc_holiday_add(fx->db, tc.id, &h, NULL));
	FAILS_WITH(db_tc_holiday_add(fx->db, tc.id, &h, NULL), -EEXIST,
		   "the same date twice");
	OK(db_tc_date_parse("01-01", &h));
	OK(db_tc_holiday_add(fx->db, tc.id, &h, NULL));
	OK(db_tc_date_parse("2026-05-01", &h));
	OK(db_tc_holiday_add(fx->db, tc.id, &h, NULL));
	snprintf(h.name, sizeof(h.name), "bad \"name\"");
	OK(db_tc_date_parse("2026-05-02", &h));
	snprintf(h.name, sizeof(h.name), "bad \"name\"");
	FAILS_WITH(db_tc_holiday_add(fx->db, tc.id, &h, NULL), -EINVAL,
		   "a holiday name with quotes");
	h.name[0] = '\0';
	h.day = 31;
	h.month = 4;
	FAILS_WITH(db_tc_holiday_add(fx->db, tc.id, &h, NULL), -EINVAL,
		   "April 31st");
	list[0] = '\0';
	OK(db_tc_holiday_list(fx->db, tc.id, collect_hol_h, list));
	if (strcmp(list, "01-01=|2026-05-01=|2026-12-25=Christmas 2026|"))
		fail_msg("the holidays list as '%s'", list);
	OK(db_tc_date_parse("01-01", &h));
	OK(db_tc_holiday_del(fx->db, tc.id, &h));
	FAILS_WITH(db_tc_holiday_del(fx->db, tc.id, &h), -ENOENT,
		   "deleting a holiday twice");
	for (int d = 1; d <= DB_TC_HOLIDAYS_MAX - 2; d++) {
		h.year = 2030 + d / 300;
		h.month = 1 + (d % 300) / 28;
		h.day = 1 + d % 28;
		OK(db_tc_holiday_add(fx->db, tc.id, &h, NULL));
	}
	FAILS_WITH(db_tc_holiday_add(fx->db, tc.id, &h, NULL), -ENOSPC,
		   "one holiday more than DB_TC_HOLIDAYS_MAX");

	/* Deleting the condition takes its rules and holidays along. */
	OK(db_timecond_del(fx->db, fx->demo, "office"));
	if (count_rows(fx->db, "SELECT count(*) FROM timecond_rules") != 0 ||
	    count_rows(fx->db, "SELECT count(*) FROM timecond_holidays") != 0)
		fail_msg("a deleted condition left its rules or holidays");
}

static void test_refs(void **state)
{
	struct fx *fx = *state;
	struct db_route route = {.tenant_id = 0, .priority = 100};
	struct db_timecond tc;
	struct db_tc_ref ref;
	struct db_did d = {0};
	int64_t route_id;

	office(&tc, fx->demo, "office");
	OK(db_timecond_add(fx->db, &tc, NULL));
	FAILS_WITH(db_timecond_ref(fx->db, fx->demo, "office", &ref), -ENOENT,
		   "an unused condition has a user");

	d.tenant_id = fx->demo;
	snprintf(d.number, sizeof(d.number), "+4930555000");
	snprintf(d.dest_type, sizeof(d.dest_type), "timecond");
	snprintf(d.dest, sizeof(d.dest), "office");
	OK(db_did_add(fx->db, &d, NULL));
	snprintf(d.number, sizeof(d.number), "+4930555001");
	snprintf(d.dest, sizeof(d.dest), "nope");
	FAILS_WITH(db_did_add(fx->db, &d, NULL), -ENOENT,
		   "a DID to a condition that does not exist");
	d.tenant_id = fx->acme;
	snprintf(d.dest, sizeof(d.dest), "office");
	FAILS_WITH(db_did_add(fx->db, &d, NULL), -ENOENT,
		   "acme's DID to demo's condition");

	OK(db_timecond_ref(fx->db, fx->demo, "office", &ref));
	if (ref.route_id || strcmp(ref.did, "+4930555000"))
		fail_msg("the user is route %lld, DID '%s'",
			 (long long)ref.route_id, ref.did);
	FAILS_WITH(db_timecond_del(fx->db, fx->demo, "office"), -EBUSY,
		   "deleting a condition a DID uses");

	route.tenant_id = fx->demo;
	snprintf(route.pattern, sizeof(route.pattern), "700");
	snprintf(route.app, sizeof(route.app), "timecond");
	snprintf(route.args, sizeof(route.args), "office");
	OK(db_route_add(fx->db, &route, &route_id));
	OK(db_timecond_ref(fx->db, fx->demo, "office", &ref));
	if (ref.route_id != route_id)
		fail_msg("routes are not named first: route %lld, DID '%s'",
			 (long long)ref.route_id, ref.did);

	OK(db_did_del(fx->db, fx->demo, "+4930555000"));
	FAILS_WITH(db_timecond_del(fx->db, fx->demo, "office"), -EBUSY,
		   "deleting a condition a route uses");
	OK(db_route_del(fx->db, fx->demo, route_id));
	FAILS_WITH(db_timecond_del(fx->db, fx->acme, "office"), -ENOENT,
		   "acme deleting demo's condition");
	OK(db_timecond_del(fx->db, fx->demo, "office"));
	FAILS_WITH(db_timecond_del(fx->db, fx->demo, "office"), -ENOENT,
		   "deleting a condition twice");
}

static void test_cascade(void **state)
{
	struct fx *fx = *state;
	struct db_timecond tc;
	struct db_tc_rule r;
	struct db_tc_holiday h;

	office(&tc, fx->demo, "office");
	OK(db_timecond_add(fx->db, &tc, &tc.id));
	OK(db_tc_rule_parse("mon-fri", &r, NULL, 0));
	OK(db_tc_rule_add(fx->db, tc.id, &r, NULL));
	OK(db_tc_date_parse("12-25", &h));
	OK(db_tc_holiday_add(fx->db, tc.id, &h, NULL));
	office(&tc, fx->acme, "office");
	snprintf(tc.open_type, sizeof(tc.open_type), "number");
	OK(db_timecond_add(fx->db, &tc, &tc.id));
	OK(db_tc_rule_add(fx->db, tc.id, &r, NULL));

	OK(db_tenant_del(fx->db, "demo.test"));
	if (count_rows(fx->db, "SELECT count(*) FROM timeconds") != 1 ||
	    count_rows(fx->db, "SELECT count(*) FROM timecond_rules") != 1 ||
	    count_rows(fx->db, "SELECT count(*) FROM timecond_holidays") != 0)
		fail_msg("deleting demo left its conditions, or took acme's");
}

/* tc_choose reads the condition, its rules, its holidays and the tenant's
 * zone, and says where a call goes and why. */
static void test_choose(void **state)
{
	struct fx *fx = *state;
	struct db_tenant t;
	struct db_timecond tc;
	struct db_tc_rule r;
	struct db_tc_holiday h;
	struct tc_choice c;
	struct tm at = {.tm_year = 2026 - 1900,
			.tm_mon = 5,
			.tm_mday = 1,
			.tm_wday = 1,
			.tm_hour = 10};
	char line[256], want[128];
	int64_t rule_id;

	OK(db_tenant_by_id(fx->db, fx->demo, &t));
	office(&tc, fx->demo, "office");
	OK(db_timecond_add(fx->db, &tc, &tc.id));
	FAILS_WITH(tc_choose(fx->db, &t, "nope", 0, &at, &c), -ENOENT,
		   "choosing by a condition that does not exist");

	OK(tc_choose(fx->db, &t, "office", 0, &at, &c));
	tc_choice_line(&c, "office", line, sizeof(line));
	if (c.open || strcmp(line, "timecond office: closed (no rule holds) "
				   "-> number 601"))
		fail_msg("without rules: '%s'", line);

	OK(db_tc_rule_parse("mon-fri 08:00-17:30", &r, NULL, 0));
	OK(db_tc_rule_add(fx->db, tc.id, &r, &rule_id));
	OK(tc_choose(fx->db, &t, "office", 0, &at, &c));
	tc_choice_line(&c, "office", line, sizeof(line));
	snprintf(want, sizeof(want),
		 "timecond office: open (rule %lld: mon-fri 08:00-17:30) -> "
		 "ivr main",
		 (long long)rule_id);
	if (!c.open || strcmp(line, want) || strcmp(c.tz, "UTC"))
		fail_msg("in office hours: '%s' (zone %s)", line, c.tz);

	OK(db_tc_date_parse("2026-06-01", &h));
	OK(db_tc_holiday_add(fx->db, tc.id, &h, NULL));
	OK(tc_choose(fx->db, &t, "office", 0, &at, &c));
	tc_choice_line(&c, "office", line, sizeof(line));
	if (c.open || strcmp(line, "timecond office: closed (holiday "
				   "2026-06-01) -> number 601"))
		fail_msg("on a holiday: '%s'", line);

	/* A moment, in the tenant's zone: 2026-06-02 06:30 UTC is 08:30 in
	 * Berlin (open) and 06:30 in UTC (closed). */
	OK(tc_choose(fx->db, &t, "office", 1780381800, NULL, &c));
	if (c.open || c.local.tm_hour != 6 || c.local.tm_min != 30)
		fail_msg("at 06:30 UTC in UTC: open %d at %02d:%02d", c.open,
			 c.local.tm_hour, c.local.tm_min);
	OK(db_tenant_set_timezone(fx->db, "demo.test", "Europe/Berlin"));
	OK(tc_choose(fx->db, &t, "office", 1780381800, NULL, &c));
	if (!c.open || c.local.tm_hour != 8 || strcmp(c.tz, "Europe/Berlin"))
		fail_msg("at 06:30 UTC in Berlin: open %d at %02d:%02d (%s)",
			 c.open, c.local.tm_hour, c.local.tm_min, c.tz);
	/* A zone that no longer loads is taken as UTC. */
	if (sqlite3_exec(fx->db->sql,
			 "UPDATE tenants SET timezone = 'Gone/Zone'", NULL,
			 NULL, NULL) != SQLITE_OK)
		fail_msg("cannot spoil the zone");
	OK(tc_choose(fx->db, &t, "office", 1780381800, NULL, &c));
	if (c.open || strcmp(c.tz, "UTC"))
		fail_msg("a zone that does not load: open %d in %s", c.open,
			 c.tz);
}

/* A database of schema version 7 (before time conditions): opening it
 * keeps its rows and gives its tenants the zone UTC. */
static void test_migrate_from_v7(void **state)
{
	struct fx *fx = *state;
	struct db_tenant t;
	char tz[DB_TZ_LEN];

	db_close(fx->db);
	fx->db = NULL;
	tmpdb_unlink(&fx->tmp);
	/* db_migrations[0..5] are 0002 to 0007. */
	OK(db_open_with(&fx->db, fx->tmp.path, db_migrations, 6));
	if (db_schema_version(fx->db) != 7)
		fail_msg("the old database is at version %d, not 7",
			 db_schema_version(fx->db));
	if (sqlite3_exec(
		fx->db->sql,
		"INSERT INTO tenants (name, domain) "
		"VALUES ('Old', 'old.test');"
		"INSERT INTO dids (tenant_id, number, dest_type, dest) "
		"SELECT id, '+4930111', 'number', '600' FROM tenants",
		NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("cannot fill the old database: %s",
			 sqlite3_errmsg(fx->db->sql));
	db_close(fx->db);
	fx->db = NULL;

	OK(db_open(&fx->db, fx->tmp.path));
	if (db_schema_version(fx->db) != 1 + db_nmigrations)
		fail_msg("after the upgrade the database is at version %d",
			 db_schema_version(fx->db));
	OK(db_tenant_by_domain(fx->db, "old.test", &t));
	OK(db_tenant_timezone(fx->db, t.id, tz));
	if (strcmp(tz, "UTC"))
		fail_msg("an upgraded tenant has the zone '%s'", tz);
	if (count_rows(fx->db, "SELECT count(*) FROM dids") != 1)
		fail_msg("the upgrade lost a DID");
	fx->demo = fx->acme = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_timezone),	T(test_dest_check),
	    T(test_conditions), T(test_rules_holidays),
	    T(test_refs),	T(test_cascade),
	    T(test_choose),	T(test_migrate_from_v7),
#undef T
	};

	return cmocka_run_group_tests_name("time conditions in the database",
					   tests, NULL, NULL);
}
