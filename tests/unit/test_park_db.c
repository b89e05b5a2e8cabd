/* test_park_db.c - call park settings in the database: a new tenant's
 * defaults, the checks, slot ranges read and written, the park number and
 * slots never shared with an extension, a room or a ring group (either
 * way round), tenants kept apart, and the choice of a free slot
 * (db/db_park.c, migrations/0017_park.sql). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "db_priv.h"
#include "tmpdb.h"
#include "db_park.h"
#include "db_room.h"
#include "db_ringgroup.h"

struct fix {
	struct tmpdb tmp;
	struct db *db;
	struct db_tenant t, other;
};

static int setup(void **state)
{
	static struct fix f;

	memset(&f, 0, sizeof(f));
	if (tmpdb_open(&f.tmp, "park", &f.db))
		return -1;
	if (db_tenant_add(f.db, "acme", "acme.test", NULL) ||
	    db_tenant_by_domain(f.db, "acme.test", &f.t) ||
	    db_tenant_add(f.db, "other", "other.test", NULL) ||
	    db_tenant_by_domain(f.db, "other.test", &f.other))
		return -1;
	if (db_ext_add(f.db, f.t.id, "1001", "", "pw-1001-park", NULL))
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

static void test_new_tenant_defaults(void **state)
{
	struct fix *f = *state;
	struct db_park p;

	assert_int_equal(db_park_get(f->db, f->t.id, &p), 0);
	assert_string_equal(p.number, "70");
	assert_int_equal(p.first, 71);
	assert_int_equal(p.last, 79);
	assert_int_equal(p.timeout, 60);
	assert_int_equal(p.tenant_id, f->t.id);
	assert_int_equal(db_park_get(f->db, 999999, &p), -ENOENT);
}

/* A wrong field is refused with its name first (the API puts the
 * message next to that field). */
static void test_check_and_parse(void **state)
{
	struct db_park p;
	char why[160];
	int a, b;

	(void)state;
	db_park_defaults(&p);
	assert_int_equal(db_park_check(&p, why, sizeof(why)), 0);
	strcpy(p.number, "7a");
	assert_int_equal(db_park_check(&p, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "number:", 7));
	strcpy(p.number, "75");
	assert_int_equal(db_park_check(&p, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "number: it is one of the slots");
	db_park_defaults(&p);
	p.first = 80;
	assert_int_equal(db_park_check(&p, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "slots:", 6));
	p.first = 100;
	p.last = 200;
	assert_int_equal(db_park_check(&p, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, "slots: 1 to 100 of them");
	p.last = 199;
	assert_int_equal(db_park_check(&p, NULL, 0), 0);
	p.timeout = 4;
	assert_int_equal(db_park_check(&p, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "timeout:", 8));
	p.timeout = 3601;
	assert_int_equal(db_park_check(&p, NULL, 0), -EINVAL);
	/* Parking off: no number, no slots. */
	db_park_defaults(&p);
	p.number[0] = '\0';
	p.first = p.last = 0;
	assert_int_equal(db_park_check(&p, NULL, 0), 0);

	assert_int_equal(db_park_parse_slots("71-79", &a, &b), 0);
	assert_true(a == 71 && b == 79);
	assert_int_equal(db_park_parse_slots("500", &a, &b), 0);
	assert_true(a == 500 && b == 500);
	assert_int_equal(db_park_parse_slots("off", &a, &b), 0);
	assert_true(a == 0 && b == 0);
	assert_int_equal(db_park_parse_slots("", &a, &b), 0);
	assert_int_equal(db_park_parse_slots("071-079", &a, &b), -EINVAL);
	assert_int_equal(db_park_parse_slots("71-", &a, &b), -EINVAL);
	assert_int_equal(db_park_parse_slots("-79", &a, &b), -EINVAL);
	assert_int_equal(db_park_parse_slots("7x", &a, &b), -EINVAL);
	assert_int_equal(db_park_parse_slots("123456789", &a, &b), -EINVAL);
	assert_int_equal(db_park_parse_slots(NULL, &a, &b), -EINVAL);
}

static void test_is_slot_and_pick(void **state)
{
	struct db_park p;
	char slot[8];

	(void)state;
	db_park_defaults(&p);
	assert_int_equal(db_park_is_slot(&p, "71"), 1);
	assert_int_equal(db_park_is_slot(&p, "79"), 1);
	assert_int_equal(db_park_is_slot(&p, "071"), 0);
	assert_int_equal(db_park_is_slot(&p, "70"), 0);
	assert_int_equal(db_park_is_slot(&p, "80"), 0);
	assert_int_equal(db_park_is_slot(&p, "7 1"), 0);
	assert_int_equal(db_park_is_slot(&p, ""), 0);
	assert_int_equal(db_park_pick_slot(&p, NULL, NULL, slot, sizeof(slot)),
			 0);
	assert_string_equal(slot, "71");
}

static int busy_h(const char *slot, void *arg)
{
	const char *const *busy = arg;

	for (int i = 0; busy[i]; i++)
		if (!strcmp(busy[i], slot))
			return 1;
	return 0;
}

static void test_pick_skips_taken(void **state)
{
	const char *some[] = {"71", "72", "74", NULL};
	const char *all[] = {"71", "72", "73", NULL};
	struct db_park p;
	char slot[8];

	(void)state;
	db_park_defaults(&p);
	assert_int_equal(
	    db_park_pick_slot(&p, busy_h, some, slot, sizeof(slot)), 0);
	assert_string_equal(slot, "73");
	p.last = 73;
	assert_int_equal(db_park_pick_slot(&p, busy_h, all, slot, sizeof(slot)),
			 -ENOSPC);
	p.first = p.last = 0;
	assert_int_equal(
	    db_park_pick_slot(&p, busy_h, some, slot, sizeof(slot)), -ENOSPC);
	db_park_defaults(&p);
	assert_int_equal(db_park_pick_slot(&p, NULL, NULL, slot, 2), -ENOSPC);
}

static void test_set_and_clash(void **state)
{
	struct fix *f = *state;
	struct db_room r;
	struct db_rg g;
	struct db_park p;
	char why[160];

	/* Extensions, rooms and groups may not take a slot or the number. */
	assert_int_equal(
	    db_ext_add(f->db, f->t.id, "75", "", "pw-75-park", NULL), -EEXIST);
	assert_int_equal(
	    db_ext_add(f->db, f->t.id, "70", "", "pw-70-park", NULL), -EEXIST);
	assert_int_equal(
	    db_ext_add(f->db, f->t.id, "075", "", "pw-75-park", NULL), 0);
	db_room_defaults(&r);
	r.tenant_id = f->t.id;
	strcpy(r.number, "79");
	assert_int_equal(db_room_add(f->db, &r, NULL), -EEXIST);
	db_rg_defaults(&g);
	g.tenant_id = f->t.id;
	strcpy(g.number, "71");
	assert_int_equal(db_rg_add(f->db, &g, NULL), -EEXIST);
	strcpy(g.number, "80");
	assert_int_equal(db_rg_add(f->db, &g, NULL), 0);

	/* The other way round: settings that would take their numbers. */
	assert_int_equal(db_park_get(f->db, f->t.id, &p), 0);
	p.first = 80;
	p.last = 89;
	assert_int_equal(db_park_set(f->db, &p, why, sizeof(why)), -EEXIST);
	assert_string_equal(why, "slots: 80 is a ring group");
	p.first = 1000;
	p.last = 1009;
	assert_int_equal(db_park_set(f->db, &p, why, sizeof(why)), -EEXIST);
	assert_string_equal(why, "slots: 1001 is an extension");
	db_park_defaults(&p);
	p.tenant_id = f->t.id;
	strcpy(p.number, "1001");
	assert_int_equal(db_park_set(f->db, &p, why, sizeof(why)), -EEXIST);
	assert_string_equal(why, "number: 1001 is an extension");
	p.timeout = 2;
	assert_int_equal(db_park_set(f->db, &p, why, sizeof(why)), -EINVAL);
	assert_true(!strncmp(why, "timeout:", 8));

	/* A free range is stored, and frees the old numbers. */
	db_park_defaults(&p);
	p.tenant_id = f->t.id;
	strcpy(p.number, "800");
	p.first = 801;
	p.last = 810;
	p.timeout = 30;
	assert_int_equal(db_park_set(f->db, &p, why, sizeof(why)), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(db_park_get(f->db, f->t.id, &p), 0);
	assert_string_equal(p.number, "800");
	assert_true(p.first == 801 && p.last == 810 && p.timeout == 30);
	assert_int_equal(
	    db_ext_add(f->db, f->t.id, "75", "", "pw-75-park", NULL), 0);
	assert_int_equal(
	    db_ext_add(f->db, f->t.id, "805", "", "pw-805-park", NULL),
	    -EEXIST);

	/* Each tenant has its own: the other one keeps 70 and 71-79. */
	assert_int_equal(db_park_get(f->db, f->other.id, &p), 0);
	assert_string_equal(p.number, "70");
	assert_int_equal(
	    db_ext_add(f->db, f->other.id, "805", "", "pw-805-other", NULL), 0);
	assert_int_equal(
	    db_ext_add(f->db, f->other.id, "75", "", "pw-75-other", NULL),
	    -EEXIST);
	p.tenant_id = 999999;
	assert_int_equal(db_park_set(f->db, &p, why, sizeof(why)), -ENOENT);
}

/* A database of the build before call park (version 16) whose tenant
 * already numbers an extension 75: the upgrade keeps the extension and
 * turns parking off there; the other tenant gets the defaults. */
static void test_upgrade_with_clash(void **state)
{
	struct tmpdb tmp;
	struct db *db = NULL;
	struct db_park p;
	int64_t clash, clean;
	char sql[160];

	(void)state;
	assert_int_equal(tmpdb_open(&tmp, "park-upgrade", &db), 0);
	db_close(db);
	tmpdb_unlink(&tmp);
	/* db_migrations[0..14] are 0002 to 0016. */
	assert_int_equal(db_open_with(&db, tmp.path, db_migrations, 15), 0);
	assert_int_equal(db_schema_version(db), 16);
	assert_int_equal(db_tenant_add(db, "Clash", "clash.test", &clash), 0);
	assert_int_equal(db_tenant_add(db, "Clean", "clean.test", &clean), 0);
	/* In that version's own SQL: today's db_ext_add reads columns
	 * that later migrations add. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO extensions (tenant_id, number, name, ha1) "
		 "VALUES (%lld, '75', '', '%032d')",
		 (long long)clash, 0);
	assert_int_equal(sqlite3_exec(db->sql, sql, NULL, NULL, NULL),
			 SQLITE_OK);
	db_close(db);

	assert_int_equal(db_open(&db, tmp.path), 0);
	assert_int_equal(db_schema_version(db), 1 + db_nmigrations);
	assert_int_equal(db_park_get(db, clash, &p), 0);
	assert_string_equal(p.number, "");
	assert_int_equal(p.first, 0);
	assert_int_equal(db_park_get(db, clean, &p), 0);
	assert_string_equal(p.number, "70");
	assert_true(p.first == 71 && p.last == 79 && p.timeout == 60);
	/* Parking off takes no number: 71 is free for an extension. */
	assert_int_equal(db_ext_add(db, clash, "71", "", "pw-71-upgrade", NULL),
			 0);
	tmpdb_close(&tmp, db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_new_tenant_defaults),
	    cmocka_unit_test(test_check_and_parse),
	    cmocka_unit_test(test_is_slot_and_pick),
	    cmocka_unit_test(test_pick_skips_taken),
	    cmocka_unit_test(test_set_and_clash),
	    cmocka_unit_test(test_upgrade_with_clash),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
