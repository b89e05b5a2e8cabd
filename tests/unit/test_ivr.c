/* test_ivr.c - IVR menus and options in SQLite: storage, the checks on
 * actions, what keeps a menu from being deleted, tenants kept apart, and
 * the upgrade of a version-2 database. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "db_priv.h"
#include "dbcheck.h"
#include "tmpdb.h"

struct fx {
	struct tmpdb tmp;
	struct db *db;
	int64_t demo, acme; /* tenant ids */
};

/* Two tenants: demo.test with extensions 1001 and 1002, acme.test with
 * 2000. */
static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (tmpdb_open(&fx->tmp, "ivr", &fx->db)) {
		free(fx);
		return -1;
	}
	if (db_tenant_add(fx->db, "Demo", "demo.test", &fx->demo) ||
	    db_tenant_add(fx->db, "Acme", "acme.test", &fx->acme) ||
	    db_ext_add(fx->db, fx->demo, "1001", "", "secret123", NULL) ||
	    db_ext_add(fx->db, fx->demo, "1002", "", "secret123", NULL) ||
	    db_ext_add(fx->db, fx->acme, "2000", "", "secret123", NULL)) {
		fprintf(stderr, "cannot set up a database in %s\n",
			fx->tmp.dir);
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
	free(fx);
	return 0;
}

/* A menu with the defaults and greeting "welcome"; returns its id. */
static int64_t add_menu(struct fx *fx, int64_t tenant_id, const char *name)
{
	struct db_ivr_menu m;
	int64_t id = 0;

	db_ivr_menu_defaults(&m);
	m.tenant_id = tenant_id;
	snprintf(m.name, sizeof(m.name), "%s", name);
	snprintf(m.greeting, sizeof(m.greeting), "welcome");
	OK(db_ivr_menu_add(fx->db, &m, &id));
	return id;
}

static int set_option(struct fx *fx, int64_t menu_id, char digit,
		      const char *action, const char *arg)
{
	struct db_ivr_option o = {.digit = digit};

	snprintf(o.action, sizeof(o.action), "%s", action);
	snprintf(o.arg, sizeof(o.arg), "%s", arg);
	return db_ivr_option_set(fx->db, menu_id, &o);
}

static int64_t add_route(struct fx *fx, int64_t tenant_id, const char *pattern,
			 const char *app, const char *args)
{
	struct db_route r = {.tenant_id = tenant_id,
			     .priority = DB_ROUTE_PRIO_DEFAULT};
	int64_t id = 0;

	snprintf(r.pattern, sizeof(r.pattern), "%s", pattern);
	snprintf(r.app, sizeof(r.app), "%s", app);
	snprintf(r.args, sizeof(r.args), "%s", args);
	OK(db_route_add(fx->db, &r, &id));
	return id;
}

/* ---- menus ------------------------------------------------------------- */

static void test_menu_crud(void **state)
{
	struct fx *fx = *state;
	struct db_ivr_menu m, got;
	int64_t id;

	db_ivr_menu_defaults(&m);
	m.tenant_id = fx->demo;
	snprintf(m.name, sizeof(m.name), "main");
	snprintf(m.greeting, sizeof(m.greeting), "welcome");
	OK(db_ivr_menu_add(fx->db, &m, &id));
	OK(db_ivr_menu_get(fx->db, fx->demo, "main", &got));
	if (got.id != id || got.tenant_id != fx->demo ||
	    strcmp(got.greeting, "welcome") || got.timeout_ms != 5000 ||
	    strcmp(got.invalid_prompt, "invalid_option") ||
	    strcmp(got.timeout_prompt, "please_try_again") ||
	    got.max_retries != 3 || strcmp(got.fallback_action, "hangup") ||
	    got.fallback_arg[0] || got.direct_dial != 0)
		fail_msg("a new menu does not read back with the defaults a "
			 "caller would get (timeout %d, retries %d, fallback "
			 "'%s')",
			 got.timeout_ms, got.max_retries, got.fallback_action);
	FAILS_WITH(db_ivr_menu_add(fx->db, &m, NULL), -EEXIST,
		   "a second menu 'main' in one tenant");

	/* Change everything but the name. */
	add_menu(fx, fx->demo, "sales");
	snprintf(m.greeting, sizeof(m.greeting), "please_enter");
	m.timeout_ms = 8000;
	snprintf(m.invalid_prompt, sizeof(m.invalid_prompt), "goodbye");
	snprintf(m.timeout_prompt, sizeof(m.timeout_prompt), "welcome");
	m.max_retries = 0;
	snprintf(m.fallback_action, sizeof(m.fallback_action), "menu");
	snprintf(m.fallback_arg, sizeof(m.fallback_arg), "sales");
	m.direct_dial = 1;
	OK(db_ivr_menu_update(fx->db, &m));
	OK(db_ivr_menu_get(fx->db, fx->demo, "main", &got));
	if (got.id != id || strcmp(got.greeting, "please_enter") ||
	    got.timeout_ms != 8000 || strcmp(got.invalid_prompt, "goodbye") ||
	    strcmp(got.timeout_prompt, "welcome") || got.max_retries != 0 ||
	    strcmp(got.fallback_action, "menu") ||
	    strcmp(got.fallback_arg, "sales") || got.direct_dial != 1)
		fail_msg("a changed menu does not read back as changed "
			 "(greeting '%s', timeout %d, fallback %s:%s)",
			 got.greeting, got.timeout_ms, got.fallback_action,
			 got.fallback_arg);

	snprintf(m.name, sizeof(m.name), "nope");
	FAILS_WITH(db_ivr_menu_update(fx->db, &m), -ENOENT,
		   "changing a menu that does not exist");
	FAILS_WITH(db_ivr_menu_get(fx->db, fx->demo, "nope", &got), -ENOENT,
		   "reading a menu that does not exist");
	m.tenant_id = 9999;
	snprintf(m.name, sizeof(m.name), "orphan");
	snprintf(m.fallback_action, sizeof(m.fallback_action), "hangup");
	m.fallback_arg[0] = '\0';
	FAILS_WITH(db_ivr_menu_add(fx->db, &m, NULL), -ENOENT,
		   "a menu of a tenant that does not exist");

	/* sales is main's fallback now; switch that off, then delete. */
	FAILS_WITH(db_ivr_menu_del(fx->db, fx->demo, "sales"), -EBUSY,
		   "deleting the menu another one falls back to");
	OK(db_ivr_menu_get(fx->db, fx->demo, "main", &m));
	snprintf(m.fallback_action, sizeof(m.fallback_action), "hangup");
	m.fallback_arg[0] = '\0';
	OK(db_ivr_menu_update(fx->db, &m));
	OK(db_ivr_menu_del(fx->db, fx->demo, "sales"));
	FAILS_WITH(db_ivr_menu_del(fx->db, fx->demo, "sales"), -ENOENT,
		   "deleting a menu twice");
	OK(db_ivr_menu_del(fx->db, fx->demo, "main"));
	if (count_rows(fx->db, "SELECT count(*) FROM ivr_menus") != 0)
		fail_msg("deleted menus are still in the table");
}

static int name_h(const struct db_ivr_menu *m, void *arg)
{
	char *s = arg;

	strcat(s, m->name);
	strcat(s, " ");
	return 0;
}

static void test_menu_list(void **state)
{
	struct fx *fx = *state;
	char names[256] = "";

	add_menu(fx, fx->demo, "support");
	add_menu(fx, fx->demo, "main");
	add_menu(fx, fx->demo, "after-hours");
	add_menu(fx, fx->acme, "acme_only");
	OK(db_ivr_menu_list(fx->db, fx->demo, name_h, names));
	if (strcmp(names, "after-hours main support "))
		fail_msg("menu list of demo.test is '%s', expected its three "
			 "menus by name and none of acme.test's",
			 names);
}

static void test_menu_invalid(void **state)
{
	static const struct {
		const char *field, *value, *why;
	} rows[] = {
	    {"name", "", "invalid menu name ''"},
	    {"name", "Sales", "invalid menu name 'Sales'"},
	    {"name", "a b", "invalid menu name 'a b'"},
	    {"name", "a:b", "invalid menu name 'a:b'"},
	    {"greeting", "", "invalid greeting ''"},
	    {"greeting", "Hello", "invalid greeting 'Hello'"},
	    {"greeting", "../etc/passwd", "invalid greeting '../etc/passwd'"},
	    {"greeting", "a-b", "invalid greeting 'a-b'"},
	    {"invalid", "x.wav", "invalid prompt 'x.wav' for a wrong key"},
	    {"timeout_prompt", "", "invalid prompt '' for a timeout"},
	    {"timeout", "999", "invalid timeout 999 ms (1000 to 60000)"},
	    {"timeout", "60001", "invalid timeout 60001 ms"},
	    {"retries", "-1", "invalid number of retries -1 (0 to 10)"},
	    {"retries", "11", "invalid number of retries 11"},
	    {"direct", "2", "direct_dial is 2"},
	    {"fallback", "repeat", "repeat cannot be a fallback"},
	    {"fallback", "playback:goodbye", "playback cannot be a fallback"},
	    {"fallback", "menu:nope",
	     "no menu 'nope' in tenant demo.test for the fallback"},
	    {"fallback", "menu:main", "menu 'main' cannot fall back to itself"},
	    {"fallback", "extension:1009",
	     "no extension 1009 in tenant demo.test for the fallback"},
	    {"fallback", "extension:2000",
	     "no extension 2000 in tenant demo.test for the fallback"},
	    {"fallback", "voicemail:1009",
	     "no extension 1009 in tenant demo.test for the fallback"},
	    {"fallback", "conference:1",
	     "no conference room 1 in tenant demo.test for the fallback"},
	    {"fallback", "hangup:now", "hangup takes no argument (got 'now')"},
	};
	struct fx *fx = *state;
	char why[256];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct db_ivr_menu m;
		const char *v = rows[i].value, *colon;

		db_ivr_menu_defaults(&m);
		m.tenant_id = fx->demo;
		snprintf(m.name, sizeof(m.name), "main");
		snprintf(m.greeting, sizeof(m.greeting), "welcome");
		if (!strcmp(rows[i].field, "name"))
			snprintf(m.name, sizeof(m.name), "%s", v);
		else if (!strcmp(rows[i].field, "greeting"))
			snprintf(m.greeting, sizeof(m.greeting), "%s", v);
		else if (!strcmp(rows[i].field, "invalid"))
			snprintf(m.invalid_prompt, sizeof(m.invalid_prompt),
				 "%s", v);
		else if (!strcmp(rows[i].field, "timeout_prompt"))
			snprintf(m.timeout_prompt, sizeof(m.timeout_prompt),
				 "%s", v);
		else if (!strcmp(rows[i].field, "timeout"))
			m.timeout_ms = atoi(v);
		else if (!strcmp(rows[i].field, "retries"))
			m.max_retries = atoi(v);
		else if (!strcmp(rows[i].field, "direct"))
			m.direct_dial = atoi(v);
		else if ((colon = strchr(v, ':'))) {
			snprintf(m.fallback_action, sizeof(m.fallback_action),
				 "%.*s", (int)(colon - v), v);
			snprintf(m.fallback_arg, sizeof(m.fallback_arg), "%s",
				 colon + 1);
		} else {
			snprintf(m.fallback_action, sizeof(m.fallback_action),
				 "%s", v);
		}
		if (db_ivr_menu_check(fx->db, &m, why, sizeof(why)) !=
			-EINVAL ||
		    strncmp(why, rows[i].why, strlen(rows[i].why)))
			fail_msg("a menu with %s '%s' should be refused with "
				 "'%s...', the admin got '%s'",
				 rows[i].field, v, rows[i].why, why);
		FAILS_WITH(db_ivr_menu_add(fx->db, &m, NULL), -EINVAL,
			   rows[i].why);
	}
	if (count_rows(fx->db, "SELECT count(*) FROM ivr_menus") != 0)
		fail_msg("a refused menu was stored");
}

/* ---- options ----------------------------------------------------------- */

static int option_h(const struct db_ivr_option *o, void *arg)
{
	char *s = arg;
	size_t n = strlen(s);

	snprintf(s + n, 512 - n, "%c=%s:%s ", o->digit, o->action, o->arg);
	return 0;
}

static void test_option_crud(void **state)
{
	struct fx *fx = *state;
	char list[512] = "";
	int64_t main_id, sales_id;

	main_id = add_menu(fx, fx->demo, "main");
	sales_id = add_menu(fx, fx->demo, "sales");
	OK(set_option(fx, main_id, '#', "hangup", ""));
	OK(set_option(fx, main_id, '0', "repeat", ""));
	OK(set_option(fx, main_id, '*', "playback", "goodbye"));
	OK(set_option(fx, main_id, '3', "number", "+4930123"));
	OK(set_option(fx, main_id, '2', "menu", "sales"));
	OK(set_option(fx, main_id, '1', "extension", "1002"));
	/* Upsert: digit 1 now rings 1001, not 1002. */
	OK(set_option(fx, main_id, '1', "extension", "1001"));
	OK(set_option(fx, main_id, '4', "playback", "hello&goodbye"));
	OK(set_option(fx, main_id, '5', "menu", "main"));
	OK(set_option(fx, sales_id, '1', "extension", "1002"));
	OK(db_ivr_options(fx->db, main_id, option_h, list));
	if (strcmp(list, "1=extension:1001 2=menu:sales 3=number:+4930123 "
			 "4=playback:hello&goodbye 5=menu:main 0=repeat: "
			 "*=playback:goodbye #=hangup: "))
		fail_msg("main's options read back as '%s': not in keypad "
			 "order, or setting digit 1 twice did not replace it",
			 list);

	OK(db_ivr_option_del(fx->db, main_id, '3'));
	FAILS_WITH(db_ivr_option_del(fx->db, main_id, '3'), -ENOENT,
		   "deleting an option twice");
	FAILS_WITH(db_ivr_option_del(fx->db, main_id, '9'), -ENOENT,
		   "deleting an option that was never set");
	FAILS_WITH(db_ivr_option_del(fx->db, main_id, 'a'), -EINVAL,
		   "deleting option 'a'");
	FAILS_WITH(set_option(fx, main_id, 'a', "hangup", ""), -EINVAL,
		   "option on key 'a'");
	FAILS_WITH(set_option(fx, main_id, '\0', "hangup", ""), -EINVAL,
		   "option on no key");
	FAILS_WITH(set_option(fx, main_id, '6', "extension", "1009"), -EINVAL,
		   "option to an extension that does not exist");
	FAILS_WITH(set_option(fx, main_id, '6', "menu", "nope"), -EINVAL,
		   "option to a menu that does not exist");
	FAILS_WITH(set_option(fx, main_id, '6', "dance", ""), -EINVAL,
		   "option with an unknown action");
	FAILS_WITH(set_option(fx, 9999, '1', "hangup", ""), -ENOENT,
		   "option of a menu that does not exist");
	list[0] = '\0';
	OK(db_ivr_options(fx->db, main_id, option_h, list));
	if (strstr(list, "3=") || strstr(list, "6="))
		fail_msg("after deleting 3 and refusing 6, main has '%s'",
			 list);

	/* A menu's options go with it (its own "5 -> main" does not keep
	 * it). */
	OK(db_ivr_option_del(fx->db, main_id, '2'));
	OK(db_ivr_menu_del(fx->db, fx->demo, "main"));
	if (count_rows(fx->db, "SELECT count(*) FROM ivr_options") != 1)
		fail_msg("deleting menu main left its options behind");
}

/* ---- the action check -------------------------------------------------- */

static void test_action_check(void **state)
{
	static const struct {
		const char *action, *arg;
		const char *why; /* NULL: accepted; else the start of it */
	} rows[] = {
	    {"extension", "1001", NULL},
	    {"menu", "sales", NULL},
	    {"menu", "main", NULL}, /* its own menu: starts it over */
	    {"number", "+4930123", NULL},
	    {"number", "9", NULL},
	    {"number", "sip-gw.a_b", NULL},
	    {"playback", "goodbye", NULL},
	    {"playback", "hello&please_try_again&goodbye", NULL},
	    {"repeat", "", NULL},
	    {"repeat", NULL, NULL},
	    {"hangup", "", NULL},
	    {"extension", "1009", "no extension 1009 in tenant demo.test"},
	    {"extension", "2000", "no extension 2000 in tenant demo.test"},
	    {"extension", "", "extension needs an extension number"},
	    {"extension", "10a1", "invalid extension number '10a1'"},
	    {"menu", "nope", "no menu 'nope' in tenant demo.test"},
	    {"menu", "acme_only", "no menu 'acme_only' in tenant demo.test"},
	    {"menu", "Sales!", "invalid menu name 'Sales!'"},
	    {"menu", "", "menu needs a menu name"},
	    {"number", "12 3", "invalid number '12 3'"},
	    {"number", "1@evil", "invalid number '1@evil'"},
	    {"number", "", "number needs a number to dial"},
	    {"playback", "", "playback needs prompts"},
	    {"playback", "hello&&goodbye", "empty prompt id in"},
	    {"playback", "hello&", "empty prompt id in"},
	    {"playback", "Hello", "invalid prompt 'Hello'"},
	    {"playback", "../secret", "invalid prompt '../secret'"},
	    {"playback",
	     "a123456789012345678901234567890123456789012345678901234567890123",
	     "playback argument longer than 63 characters"},
	    {"repeat", "x", "repeat takes no argument (got 'x')"},
	    {"hangup", "now", "hangup takes no argument (got 'now')"},
	    {"voicemail", "", "voicemail needs an extension number"},
	    {"voicemail", "10a",
	     "invalid extension number '10a' (1 to 31 digits)"},
	    {"conference", "1", "no conference room 1 in tenant demo.test"},
	    {"conference", "1a", "invalid room number '1a' (1 to 31 digits)"},
	    {"ringgroup", "1", "no ring group 1 in tenant demo.test"},
	    {"ringgroup", "", "ringgroup needs a group number"},
	    {"dance", "",
	     "unknown action 'dance' (known: extension, menu, "
	     "number, voicemail, conference, ringgroup, playback, repeat, "
	     "hangup)"},
	    {"", "", "unknown action ''"},
	    {NULL, "", "unknown action ''"},
	};
	struct fx *fx = *state;
	char why[256];

	add_menu(fx, fx->demo, "main");
	add_menu(fx, fx->demo, "sales");
	add_menu(fx, fx->acme, "acme_only");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *action = rows[i].action ? rows[i].action : "(null)";
		const char *arg = rows[i].arg ? rows[i].arg : "(null)";
		int rc = db_ivr_action_check(fx->db, fx->demo, rows[i].action,
					     rows[i].arg, why, sizeof(why));

		if (!rows[i].why && rc)
			fail_msg("option '%s %s' is refused: %s", action, arg,
				 why);
		if (!rows[i].why && why[0])
			fail_msg("option '%s %s' passes but leaves a reason "
				 "'%s'",
				 action, arg, why);
		if (rows[i].why &&
		    (rc != -EINVAL ||
		     strncmp(why, rows[i].why, strlen(rows[i].why))))
			fail_msg("option '%s %s' should be refused with "
				 "'%s...', the admin got '%s' (%s)",
				 action, arg, rows[i].why, why, strerror(-rc));
	}
	/* No buffer for the reason: the same answer. */
	FAILS_WITH(
	    db_ivr_action_check(fx->db, fx->demo, "menu", "nope", NULL, 0),
	    -EINVAL, "the check without a reason buffer");
	/* A tenant that does not exist has nothing to point at. */
	if (db_ivr_action_check(fx->db, 9999, "extension", "1001", why,
				sizeof(why)) != -EINVAL ||
	    strcmp(why, "no tenant 9999"))
		fail_msg("an option in a tenant that does not exist: '%s'",
			 why);
	/* Fallbacks: only actions that end the menu. */
	OK(db_ivr_fallback_check(fx->db, fx->demo, "main", "extension", "1001",
				 why, sizeof(why)));
	OK(db_ivr_fallback_check(fx->db, fx->demo, "main", "menu", "sales", why,
				 sizeof(why)));
	OK(db_ivr_fallback_check(fx->db, fx->demo, "main", "number", "9", why,
				 sizeof(why)));
	OK(db_ivr_fallback_check(fx->db, fx->demo, "main", "hangup", "", why,
				 sizeof(why)));
	FAILS_WITH(db_ivr_fallback_check(fx->db, fx->demo, "main", "repeat", "",
					 why, sizeof(why)),
		   -EINVAL, "repeat as a fallback (it never ends)");
}

/* ---- what keeps a menu ------------------------------------------------- */

static void test_del_busy(void **state)
{
	struct fx *fx = *state;
	struct db_ivr_ref ref;
	struct db_ivr_menu m;
	int64_t main_id, route_id;

	main_id = add_menu(fx, fx->demo, "main");
	add_menu(fx, fx->demo, "sales");
	add_menu(fx, fx->demo, "support");
	add_menu(fx, fx->demo, "billing");
	OK(set_option(fx, main_id, '2', "menu", "sales"));
	OK(set_option(fx, main_id, '9', "menu", "main"));
	OK(db_ivr_menu_get(fx->db, fx->demo, "main", &m));
	snprintf(m.fallback_action, sizeof(m.fallback_action), "menu");
	snprintf(m.fallback_arg, sizeof(m.fallback_arg), "billing");
	OK(db_ivr_menu_update(fx->db, &m));
	route_id = add_route(fx, fx->demo, "_5XX", "ivr", "support");
	/* Another tenant's route to "sales" keeps nothing of demo.test. */
	add_route(fx, fx->acme, "800", "ivr", "sales");
	/* Nor does a route of another app with the same args. */
	add_route(fx, fx->demo, "801", "playback", "billing");

	FAILS_WITH(db_ivr_menu_del(fx->db, fx->demo, "support"), -EBUSY,
		   "deleting the menu a route runs");
	OK(db_ivr_menu_ref(fx->db, fx->demo, "support", &ref));
	if (ref.route_id != route_id)
		fail_msg("support is run by route %lld, the ref says route "
			 "%lld",
			 (long long)route_id, (long long)ref.route_id);

	FAILS_WITH(db_ivr_menu_del(fx->db, fx->demo, "sales"), -EBUSY,
		   "deleting the menu option 2 of main leads to");
	OK(db_ivr_menu_ref(fx->db, fx->demo, "sales", &ref));
	if (ref.route_id || strcmp(ref.menu, "main") || ref.digit != '2')
		fail_msg("sales is kept by option 2 of main, the ref says "
			 "route %lld, menu '%s', digit '%c'",
			 (long long)ref.route_id, ref.menu, ref.digit);

	FAILS_WITH(db_ivr_menu_del(fx->db, fx->demo, "billing"), -EBUSY,
		   "deleting main's fallback");
	OK(db_ivr_menu_ref(fx->db, fx->demo, "billing", &ref));
	if (ref.route_id || strcmp(ref.menu, "main") || ref.digit)
		fail_msg("billing is main's fallback, the ref says route %lld, "
			 "menu '%s', digit '%c'",
			 (long long)ref.route_id, ref.menu, ref.digit);
	FAILS_WITH(db_ivr_menu_ref(fx->db, fx->demo, "main", &ref), -ENOENT,
		   "main is pointed at only by itself");

	if (count_rows(fx->db, "SELECT count(*) FROM ivr_menus") != 4)
		fail_msg("a refused delete removed a menu anyway");

	/* Nothing points at main but its own option 9: it goes, with its
	 * options, and then sales and billing are free. */
	OK(db_ivr_menu_del(fx->db, fx->demo, "main"));
	OK(db_ivr_menu_del(fx->db, fx->demo, "sales"));
	OK(db_ivr_menu_del(fx->db, fx->demo, "billing"));
	OK(db_route_del(fx->db, fx->demo, route_id));
	OK(db_ivr_menu_del(fx->db, fx->demo, "support"));
}

/* ---- tenants ----------------------------------------------------------- */

static void test_tenants_apart(void **state)
{
	struct fx *fx = *state;
	struct db_ivr_menu m;
	int64_t demo_main, acme_main;

	demo_main = add_menu(fx, fx->demo, "main");
	acme_main = add_menu(fx, fx->acme, "main");
	add_menu(fx, fx->acme, "acme_sales");
	OK(db_ivr_menu_get(fx->db, fx->acme, "main", &m));
	if (m.id != acme_main || m.tenant_id != fx->acme)
		fail_msg("acme.test's 'main' read back as menu %lld of tenant "
			 "%lld",
			 (long long)m.id, (long long)m.tenant_id);
	/* An option of demo.test's menu cannot reach acme.test. */
	FAILS_WITH(set_option(fx, demo_main, '1', "extension", "2000"), -EINVAL,
		   "demo.test option to acme.test's extension");
	FAILS_WITH(set_option(fx, demo_main, '1', "menu", "acme_sales"),
		   -EINVAL, "demo.test option to acme.test's menu");
	OK(set_option(fx, acme_main, '1', "extension", "2000"));
	FAILS_WITH(db_ivr_menu_del(fx->db, fx->demo, "acme_sales"), -ENOENT,
		   "demo.test deleting acme.test's menu");
	OK(db_ivr_menu_del(fx->db, fx->demo, "main"));
	OK(db_ivr_menu_get(fx->db, fx->acme, "main", &m));
}

static void test_tenant_cascade(void **state)
{
	struct fx *fx = *state;
	int64_t a, b;

	a = add_menu(fx, fx->demo, "main");
	b = add_menu(fx, fx->demo, "sales");
	OK(set_option(fx, a, '1', "menu", "sales"));
	OK(set_option(fx, b, '1', "extension", "1001"));
	add_route(fx, fx->demo, "500", "ivr", "main");
	a = add_menu(fx, fx->acme, "main");
	OK(set_option(fx, a, '1', "extension", "2000"));

	/* Menus that point at each other and a route running one: the
	 * tenant goes anyway, all of it. */
	OK(db_tenant_del(fx->db, "demo.test"));
	if (count_rows(fx->db, "SELECT count(*) FROM ivr_menus") != 1 ||
	    count_rows(fx->db, "SELECT count(*) FROM ivr_options") != 1)
		fail_msg(
		    "deleting demo.test left %d menus and %d options "
		    "(expected acme.test's 1 and 1)",
		    count_rows(fx->db, "SELECT count(*) FROM ivr_menus"),
		    count_rows(fx->db, "SELECT count(*) FROM ivr_options"));
}

/* ---- validators and schema --------------------------------------------- */

static void test_validators(void **state)
{
	static const char *const good_prompt[] = {
	    "welcome", "digit_0", "a", "x2",
	    "a12345678901234567890123456789012345678901234567890123456789012"};
	static const char *const bad_prompt[] = {
	    "",
	    "Welcome",
	    "a-b",
	    "a.wav",
	    "a/b",
	    "a b",
	    "é",
	    "a123456789012345678901234567890123456789012345678901234567890123"};
	static const char *const good_name[] = {
	    "main", "after-hours", "sales_2", "0",
	    "a1234567890123456789012345678901"};
	static const char *const bad_name[] = {
	    "",
	    "Main",
	    "a b",
	    "a.b",
	    "a/b",
	    "a:b",
	    "a12345678901234567890123456789012"};
	struct fx *fx = *state;

	for (size_t i = 0; i < sizeof(good_prompt) / sizeof(*good_prompt); i++)
		if (!db_valid_prompt(good_prompt[i]))
			fail_msg("prompt id '%s' is refused", good_prompt[i]);
	for (size_t i = 0; i < sizeof(bad_prompt) / sizeof(*bad_prompt); i++)
		if (db_valid_prompt(bad_prompt[i]))
			fail_msg("prompt id '%s' is accepted", bad_prompt[i]);
	for (size_t i = 0; i < sizeof(good_name) / sizeof(*good_name); i++)
		if (!db_valid_ivr_name(good_name[i]))
			fail_msg("menu name '%s' is refused", good_name[i]);
	for (size_t i = 0; i < sizeof(bad_name) / sizeof(*bad_name); i++)
		if (db_valid_ivr_name(bad_name[i]))
			fail_msg("menu name '%s' is accepted", bad_name[i]);
	if (db_valid_prompt(NULL) || db_valid_ivr_name(NULL) ||
	    db_valid_dialable(NULL))
		fail_msg("NULL passes a validator");

	/* The schema refuses what the checks refuse, for rows written by
	 * hand. */
	if (sqlite3_exec(fx->db->sql,
			 "INSERT INTO ivr_menus (tenant_id, name, greeting) "
			 "VALUES (1, 'Main', 'welcome')",
			 NULL, NULL, NULL) == SQLITE_OK)
		fail_msg("the table takes the menu name 'Main'");
	add_menu(fx, fx->demo, "main");
	if (sqlite3_exec(fx->db->sql,
			 "INSERT INTO ivr_options (menu_id, digit, action) "
			 "SELECT id, '12', 'hangup' FROM ivr_menus",
			 NULL, NULL, NULL) == SQLITE_OK)
		fail_msg("the table takes an option on key '12'");
}

/* A database made by the build before IVR menus (schema version 2):
 * opening it adds the tables and keeps what it held. */
static void test_migrate_from_v2(void **state)
{
	struct fx *fx = *state;
	struct db_tenant t;
	char why[256];
	int64_t tid;

	db_close(fx->db);
	fx->db = NULL;
	tmpdb_unlink(&fx->tmp);
	/* db_migrations[0] is 0002_routes.sql. */
	OK(db_open_with(&fx->db, fx->tmp.path, db_migrations, 1));
	if (db_schema_version(fx->db) != 2)
		fail_msg("the old database is at version %d, not 2",
			 db_schema_version(fx->db));
	OK(db_tenant_add(fx->db, "Old", "old.test", &tid));
	/* By hand, as the old build stored them: db_ext_add reads the
	 * tenant, and db_route_add writes routes.cos, with this build's
	 * columns, which the old schema lacks. */
	if (sqlite3_exec(fx->db->sql,
			 "INSERT INTO extensions (tenant_id, number, ha1) "
			 "SELECT id, '100', '' FROM tenants;"
			 "INSERT INTO routes (tenant_id, pattern, app, args) "
			 "SELECT id, '500', 'playback', 'welcome' FROM tenants",
			 NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("cannot add an extension and a route to the old "
			 "database: %s",
			 sqlite3_errmsg(fx->db->sql));
	db_close(fx->db);
	fx->db = NULL;

	OK(db_open(&fx->db, fx->tmp.path));
	if (db_schema_version(fx->db) != 1 + db_nmigrations)
		fail_msg("after the upgrade the database is at version %d, "
			 "expected %d",
			 db_schema_version(fx->db), 1 + db_nmigrations);
	OK(db_tenant_by_domain(fx->db, "old.test", &t));
	/* The old route, and the two mailbox codes migration 0010 adds
	 * (0015's forwarding codes aside). */
	if (count_rows(fx->db, "SELECT count(*) FROM routes "
			       "WHERE app != 'forward'") != 3 ||
	    count_rows(fx->db, "SELECT count(*) FROM routes "
			       "WHERE pattern = '500'") != 1 ||
	    count_rows(fx->db, "SELECT count(*) FROM extensions") != 1)
		fail_msg("the upgrade lost routes or extensions");
	if (count_rows(fx->db, "SELECT count(*) FROM ivr_menus") != 0)
		fail_msg("the upgrade made up menus");
	tid = add_menu(fx, t.id, "main");
	OK(set_option(fx, tid, '1', "extension", "100"));
	OK(db_ivr_action_check(fx->db, t.id, "menu", "main", why, sizeof(why)));
	/* The fixture's tenants went with the old file. */
	fx->demo = fx->acme = 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_menu_crud),	   T(test_menu_list),
	    T(test_menu_invalid),  T(test_option_crud),
	    T(test_action_check),  T(test_del_busy),
	    T(test_tenants_apart), T(test_tenant_cascade),
	    T(test_validators),	   T(test_migrate_from_v2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
