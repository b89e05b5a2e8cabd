/* test_ringgroup_db.c - ring groups in the database: checks, add, update,
 * delete, members in order (whole lists replaced or nothing changed), the
 * number shared with extensions and rooms (none may take another's), the
 * fallback's destination, tenants kept apart, the dialplan, DIDs, IVR keys
 * and routes reaching a group, and call pickup groups (db/db_ringgroup.c,
 * db_dest.c, db_ivr.c, pbx/dialplan/dp_route.c, dp_check.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tmpdb.h"
#include "db_ringgroup.h"
#include "db_room.h"
#include "dialplan/dialplan.h"

struct fix {
	struct tmpdb tmp;
	struct db *db;
	struct db_tenant t, other;
};

static int setup(void **state)
{
	static struct fix f;
	static const char *const exts[] = {"1001", "1002", "1003", "1004"};

	memset(&f, 0, sizeof(f));
	if (tmpdb_open(&f.tmp, "ringgroup", &f.db))
		return -1;
	if (db_tenant_add(f.db, "acme", "acme.test", NULL) ||
	    db_tenant_by_domain(f.db, "acme.test", &f.t) ||
	    db_tenant_add(f.db, "other", "other.test", NULL) ||
	    db_tenant_by_domain(f.db, "other.test", &f.other))
		return -1;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (db_ext_add(f.db, f.t.id, exts[i], "", "pw-ext-ringgroup",
			       NULL))
			return -1;
	if (db_ext_add(f.db, f.other.id, "2001", "", "pw-2001-other", NULL))
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	tmpdb_close(&f->tmp, f->db);
	return 0;
}

static struct db_rg group(const struct fix *f, const char *number)
{
	struct db_rg g;

	db_rg_defaults(&g);
	g.tenant_id = f->t.id;
	snprintf(g.number, sizeof(g.number), "%s", number);
	return g;
}

static struct db_rg_member member(const char *ext, int ring)
{
	struct db_rg_member m;

	memset(&m, 0, sizeof(m));
	snprintf(m.ext, sizeof(m.ext), "%s", ext);
	m.ring_time = ring;
	return m;
}

static void test_defaults_and_strategy(void **state)
{
	struct db_rg g;

	(void)state;
	db_rg_defaults(&g);
	assert_int_equal(g.strategy, DB_RG_SIMULTANEOUS);
	assert_int_equal(g.ring_time, DB_RG_RING_DEFAULT);
	assert_int_equal(g.timeout, DB_RG_TIMEOUT_DEFAULT);
	assert_string_equal(g.fallback_type, "");
	assert_int_equal(db_rg_strategy_parse("sequential"), DB_RG_SEQUENTIAL);
	assert_int_equal(db_rg_strategy_parse("simultaneous"),
			 DB_RG_SIMULTANEOUS);
	assert_int_equal(db_rg_strategy_parse("Sequential"), -1);
	assert_int_equal(db_rg_strategy_parse(NULL), -1);
	assert_string_equal(db_rg_strategy_name(DB_RG_SEQUENTIAL),
			    "sequential");
}

/* Each wrong field is refused with its name first (the API puts the
 * message next to that field). */
static void test_check(void **state)
{
	struct fix *f = *state;
	struct db_rg g = group(f, "600");
	char why[256];

	assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	g = group(f, "6a0");
	assert_int_equal(db_rg_check(NULL, &g, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "number:", 7));
	assert_int_equal(db_rg_add(f->db, &g, NULL), -EINVAL);
	g = group(f, "600");
	strcpy(g.name, "say \"hi\"");
	assert_int_equal(db_rg_check(NULL, &g, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "name:", 5));
	g = group(f, "600");
	g.strategy = 7;
	assert_int_equal(db_rg_check(NULL, &g, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "strategy:", 9));
	g = group(f, "600");
	g.ring_time = 4;
	assert_int_equal(db_rg_check(NULL, &g, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "ring_time:", 10));
	g.ring_time = 301;
	assert_int_equal(db_rg_check(NULL, &g, NULL, 0), -EINVAL);
	g = group(f, "600");
	g.timeout = 601;
	assert_int_equal(db_rg_check(NULL, &g, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "timeout:", 8));

	/* Fallbacks: a destination of the tenant, never the group itself
	 * nor a time condition. */
	g = group(f, "600");
	strcpy(g.fallback_type, "voicemail");
	strcpy(g.fallback, "1001");
	assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)), 0);
	strcpy(g.fallback, "1009");
	assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)), -ENOENT);
	assert_string_equal(why,
			    "fallback: no extension 1009 in tenant acme.test");
	/* Without a database only the shape counts. */
	assert_int_equal(db_rg_check(NULL, &g, why, sizeof(why)), 0);
	strcpy(g.fallback, "2001"); /* the other tenant's */
	assert_int_equal(db_rg_check(f->db, &g, NULL, 0), -ENOENT);
	strcpy(g.fallback_type, "ringgroup");
	strcpy(g.fallback, "600");
	assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "itself"));
	strcpy(g.fallback_type, "timecond");
	strcpy(g.fallback, "office");
	assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "fallback_type:", 14));
	strcpy(g.fallback_type, "fax");
	assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "fallback_type:", 14));
	strcpy(g.fallback_type, "number");
	strcpy(g.fallback, "6 0");
	assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "fallback:", 9));
	strcpy(g.fallback, "*97");
	assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)), 0);
	g.fallback_type[0] = '\0';
	assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "fallback_type:", 14));
}

static void test_add_get_update_del(void **state)
{
	struct fix *f = *state;
	struct db_rg g = group(f, "601"), got;
	int64_t id = 0;

	strcpy(g.name, "Sales");
	g.strategy = DB_RG_SEQUENTIAL;
	g.ring_time = 15;
	g.timeout = 45;
	strcpy(g.fallback_type, "voicemail");
	strcpy(g.fallback, "1001");
	assert_int_equal(db_rg_add(f->db, &g, &id), 0);
	assert_true(id > 0);
	assert_int_equal(db_rg_add(f->db, &g, NULL), -EEXIST);
	assert_int_equal(db_rg_get(f->db, f->t.id, "601", &got), 0);
	assert_int_equal(got.id, id);
	assert_string_equal(got.name, "Sales");
	assert_int_equal(got.strategy, DB_RG_SEQUENTIAL);
	assert_int_equal(got.ring_time, 15);
	assert_int_equal(got.timeout, 45);
	assert_string_equal(got.fallback_type, "voicemail");
	assert_string_equal(got.fallback, "1001");
	/* Another tenant does not see it. */
	assert_int_equal(db_rg_get(f->db, f->other.id, "601", &got), -ENOENT);
	got.strategy = DB_RG_SIMULTANEOUS;
	got.fallback_type[0] = got.fallback[0] = '\0';
	got.timeout = 90;
	assert_int_equal(db_rg_update(f->db, &got), 0);
	assert_int_equal(db_rg_get(f->db, f->t.id, "601", &g), 0);
	assert_int_equal(g.strategy, DB_RG_SIMULTANEOUS);
	assert_int_equal(g.timeout, 90);
	assert_string_equal(g.fallback_type, "");
	g.tenant_id = f->other.id;
	assert_int_equal(db_rg_update(f->db, &g), -ENOENT);
	assert_int_equal(db_rg_del(f->db, f->other.id, "601"), -ENOENT);
	assert_int_equal(db_rg_del(f->db, f->t.id, "601"), 0);
	assert_int_equal(db_rg_del(f->db, f->t.id, "601"), -ENOENT);
	assert_int_equal(db_rg_get(f->db, f->t.id, "601", &g), -ENOENT);
}

struct listed {
	int n;
	char numbers[4][DB_NUMBER_LEN];
	int members[4];
	struct db *db;
};

static int list_h(const struct db_rg *g, void *arg)
{
	struct listed *l = arg;
	struct db_rg_member m[DB_RG_MAX_MEMBERS];

	if (l->n < 4) {
		strcpy(l->numbers[l->n], g->number);
		/* A list callback may read the members. */
		assert_int_equal(db_rg_members(l->db, g->tenant_id, g->number,
					       m, DB_RG_MAX_MEMBERS,
					       &l->members[l->n]),
				 0);
	}
	l->n++;
	return 0;
}

static void test_members(void **state)
{
	struct fix *f = *state;
	struct db_rg g = group(f, "602");
	struct db_rg_member m[DB_RG_MAX_MEMBERS + 1], got[DB_RG_MAX_MEMBERS];
	struct listed l = {.db = f->db};
	char why[256];
	int n = -1;

	assert_int_equal(db_rg_add(f->db, &g, NULL), 0);
	assert_int_equal(
	    db_rg_members(f->db, f->t.id, "602", got, DB_RG_MAX_MEMBERS, &n),
	    0);
	assert_int_equal(n, 0);
	assert_int_equal(
	    db_rg_members(f->db, f->t.id, "699", got, DB_RG_MAX_MEMBERS, &n),
	    -ENOENT);
	/* Order is kept as given, not by number. */
	m[0] = member("1003", 0);
	m[1] = member("1001", 30);
	m[2] = member("1002", 0);
	assert_int_equal(
	    db_rg_set_members(f->db, f->t.id, "602", m, 3, why, sizeof(why)),
	    0);
	assert_int_equal(
	    db_rg_members(f->db, f->t.id, "602", got, DB_RG_MAX_MEMBERS, &n),
	    0);
	assert_int_equal(n, 3);
	assert_string_equal(got[0].ext, "1003");
	assert_string_equal(got[1].ext, "1001");
	assert_int_equal(got[1].ring_time, 30);
	assert_int_equal(got[0].ring_time, 0);
	assert_string_equal(got[2].ext, "1002");
	/* A short array takes what fits. */
	assert_int_equal(db_rg_members(f->db, f->t.id, "602", got, 2, &n), 0);
	assert_int_equal(n, 2);

	/* Refused lists change nothing. */
	m[3] = member("1001", 0);
	assert_int_equal(
	    db_rg_set_members(f->db, f->t.id, "602", m, 4, why, sizeof(why)),
	    -EINVAL);
	assert_string_equal(why, "members: 1001 is listed twice");
	m[3] = member("1009", 0);
	assert_int_equal(
	    db_rg_set_members(f->db, f->t.id, "602", m, 4, why, sizeof(why)),
	    -ENOENT);
	assert_string_equal(why,
			    "members: no extension 1009 in tenant acme.test");
	m[3] = member("2001", 0); /* the other tenant's extension */
	assert_int_equal(
	    db_rg_set_members(f->db, f->t.id, "602", m, 4, why, sizeof(why)),
	    -ENOENT);
	m[3] = member("1004", 3);
	assert_int_equal(
	    db_rg_set_members(f->db, f->t.id, "602", m, 4, why, sizeof(why)),
	    -EINVAL);
	assert_non_null(strstr(why, "1004 rings"));
	m[3] = member("10x4", 0);
	assert_int_equal(
	    db_rg_set_members(f->db, f->t.id, "602", m, 4, why, sizeof(why)),
	    -EINVAL);
	for (int i = 0; i <= DB_RG_MAX_MEMBERS; i++)
		m[i] = member("1001", 0);
	assert_int_equal(db_rg_set_members(f->db, f->t.id, "602", m,
					   DB_RG_MAX_MEMBERS + 1, why,
					   sizeof(why)),
			 -EINVAL);
	assert_int_equal(
	    db_rg_set_members(f->db, f->t.id, "699", m, 1, why, sizeof(why)),
	    -ENOENT);
	assert_int_equal(
	    db_rg_members(f->db, f->t.id, "602", got, DB_RG_MAX_MEMBERS, &n),
	    0);
	assert_int_equal(n, 3);
	assert_string_equal(got[0].ext, "1003");

	/* Deleting an extension takes it out of the group. */
	assert_int_equal(db_ext_add(f->db, f->t.id, "1005", "Eve",
				    "pw-1005-ringgroup", NULL),
			 0);
	m[0] = member("1005", 0);
	m[1] = member("1002", 0);
	assert_int_equal(
	    db_rg_set_members(f->db, f->t.id, "602", m, 2, why, sizeof(why)),
	    0);
	assert_int_equal(
	    db_rg_members(f->db, f->t.id, "602", got, DB_RG_MAX_MEMBERS, &n),
	    0);
	assert_string_equal(got[0].name, "Eve");
	assert_int_equal(db_ext_del(f->db, f->t.id, "1005"), 0);
	assert_int_equal(
	    db_rg_members(f->db, f->t.id, "602", got, DB_RG_MAX_MEMBERS, &n),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(got[0].ext, "1002");

	/* An empty list is a list. */
	assert_int_equal(
	    db_rg_set_members(f->db, f->t.id, "602", NULL, 0, why, sizeof(why)),
	    0);
	assert_int_equal(
	    db_rg_members(f->db, f->t.id, "602", got, DB_RG_MAX_MEMBERS, &n),
	    0);
	assert_int_equal(n, 0);

	/* The list of groups, with members read from the callback. */
	m[0] = member("1004", 0);
	assert_int_equal(
	    db_rg_set_members(f->db, f->t.id, "602", m, 1, why, sizeof(why)),
	    0);
	assert_int_equal(db_rg_list(f->db, f->t.id, list_h, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.numbers[0], "602");
	assert_int_equal(l.members[0], 1);
	l.n = 0;
	assert_int_equal(db_rg_list(f->db, f->other.id, list_h, &l), 0);
	assert_int_equal(l.n, 0);
	/* Deleting the group takes its member rows. */
	assert_int_equal(db_rg_del(f->db, f->t.id, "602"), 0);
	assert_int_equal(
	    db_rg_members(f->db, f->t.id, "602", got, DB_RG_MAX_MEMBERS, &n),
	    -ENOENT);
}

/* A number is an extension, a room or a group: each refuses the others,
 * in every direction. */
static void test_number_is_one_thing(void **state)
{
	struct fix *f = *state;
	struct db_rg g = group(f, "1001");
	struct db_room r;

	assert_int_equal(db_rg_add(f->db, &g, NULL), -EEXIST);
	db_room_defaults(&r);
	r.tenant_id = f->t.id;
	strcpy(r.number, "800");
	assert_int_equal(db_room_add(f->db, &r, NULL), 0);
	g = group(f, "800");
	assert_int_equal(db_rg_add(f->db, &g, NULL), -EEXIST);
	g = group(f, "603");
	assert_int_equal(db_rg_add(f->db, &g, NULL), 0);
	assert_int_equal(
	    db_ext_add(f->db, f->t.id, "603", "", "pw-603-clash", NULL),
	    -EEXIST);
	strcpy(r.number, "603");
	assert_int_equal(db_room_add(f->db, &r, NULL), -EEXIST);
	/* Another tenant may use the same number for anything. */
	g = group(f, "603");
	g.tenant_id = f->other.id;
	assert_int_equal(db_rg_add(f->db, &g, NULL), 0);
	assert_int_equal(
	    db_ext_add(f->db, f->other.id, "800", "", "pw-800-other", NULL), 0);
	assert_int_equal(db_rg_del(f->db, f->other.id, "603"), 0);
	assert_int_equal(db_ext_del(f->db, f->other.id, "800"), 0);
	assert_int_equal(db_room_del(f->db, f->t.id, "800"), 0);
}

/* The dialplan reaches a group by its number, after routes, extensions
 * and rooms; a route to the app must name an existing group; DIDs, time
 * conditions and IVR keys take a group as their destination. */
static void test_reached(void **state)
{
	struct fix *f = *state;
	struct db_route route = {.tenant_id = f->t.id,
				 .priority = DB_ROUTE_PRIO_DEFAULT};
	struct dp_result res;
	char why[256];

	assert_int_equal(dp_lookup(f->db, &f->t, "603", "1001", &res), 0);
	assert_string_equal(res.app, "ringgroup");
	assert_string_equal(res.args, "603");
	assert_int_equal(res.route_id, 0);
	assert_int_equal(dp_lookup(f->db, &f->other, "603", "2001", &res),
			 -ENOENT);
	assert_int_equal(dp_lookup(f->db, &f->t, "604", "1001", &res), -ENOENT);

	strcpy(route.pattern, "700");
	strcpy(route.app, "ringgroup");
	strcpy(route.args, "603");
	assert_int_equal(
	    dp_route_check(f->db, f->t.id, &route, why, sizeof(why)), 0);
	strcpy(route.args, "604");
	assert_int_equal(
	    dp_route_check(f->db, f->t.id, &route, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "no ring group 604"));
	strcpy(route.args, "${EXTEN}");
	assert_int_equal(
	    dp_route_check(f->db, f->t.id, &route, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "number of a ring group"));
	route.args[0] = '\0';
	assert_int_equal(
	    dp_route_check(f->db, f->t.id, &route, why, sizeof(why)), -EINVAL);

	assert_int_equal(db_dest_check(f->db, f->t.id, "ringgroup", "603",
				       DB_DEST_DID, why, sizeof(why)),
			 0);
	assert_int_equal(db_dest_check(f->db, f->t.id, "ringgroup", "604",
				       DB_DEST_BRANCH, why, sizeof(why)),
			 -ENOENT);
	assert_string_equal(why, "no ring group 604 in tenant acme.test");
	assert_int_equal(db_dest_check(f->db, f->other.id, "ringgroup", "603",
				       DB_DEST_DID, why, sizeof(why)),
			 -ENOENT);
	assert_int_equal(db_ivr_action_check(f->db, f->t.id, "ringgroup", "603",
					     why, sizeof(why)),
			 0);
	assert_int_equal(db_ivr_action_check(f->db, f->t.id, "ringgroup", "604",
					     why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "ring group 604"));
	assert_int_equal(db_ivr_action_check(f->db, f->t.id, "ringgroup", "",
					     why, sizeof(why)),
			 -EINVAL);
	/* A group falls back to another group. */
	{
		struct db_rg g = group(f, "605");
		strcpy(g.fallback_type, "ringgroup");
		strcpy(g.fallback, "603");
		assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)), 0);
		strcpy(g.fallback, "604");
		assert_int_equal(db_rg_check(f->db, &g, why, sizeof(why)),
				 -ENOENT);
		assert_string_equal(
		    why, "fallback: no ring group 604 in tenant acme.test");
	}
}

/* Call pickup groups: a name per extension, "" for none; another
 * tenant's extension of the same number is not touched. */
static void test_pickup_groups(void **state)
{
	struct fix *f = *state;
	char g[DB_PICKUP_GROUP_LEN];

	assert_int_equal(db_ext_pickup_group(f->db, f->t.id, "1001", g), 0);
	assert_string_equal(g, "");
	assert_int_equal(
	    db_ext_set_pickup_group(f->db, f->t.id, "1001", "sales"), 0);
	assert_int_equal(db_ext_pickup_group(f->db, f->t.id, "1001", g), 0);
	assert_string_equal(g, "sales");
	assert_int_equal(
	    db_ext_set_pickup_group(f->db, f->t.id, "1001", "Sales Team"),
	    -EINVAL);
	assert_int_equal(
	    db_ext_set_pickup_group(f->db, f->t.id, "1001",
				    "a-very-long-group-name-of-33-chars"),
	    -EINVAL);
	assert_int_equal(
	    db_ext_set_pickup_group(f->db, f->t.id, "1009", "sales"), -ENOENT);
	assert_int_equal(
	    db_ext_set_pickup_group(f->db, f->other.id, "1001", "sales"),
	    -ENOENT);
	assert_int_equal(db_ext_pickup_group(f->db, f->other.id, "2001", g), 0);
	assert_string_equal(g, "");
	assert_int_equal(db_ext_pickup_group(f->db, f->t.id, "1009", g),
			 -ENOENT);
	assert_int_equal(db_ext_set_pickup_group(f->db, f->t.id, "1001", ""),
			 0);
	assert_int_equal(db_ext_pickup_group(f->db, f->t.id, "1001", g), 0);
	assert_string_equal(g, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults_and_strategy),
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_add_get_update_del),
	    cmocka_unit_test(test_members),
	    cmocka_unit_test(test_number_is_one_thing),
	    cmocka_unit_test(test_reached),
	    cmocka_unit_test(test_pickup_groups),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
