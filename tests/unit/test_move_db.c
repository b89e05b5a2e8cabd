/* test_move_db.c - a tenant's rows from one database into another
 * (db/db_move*.c): every table of the schema has a decision; the copy
 * gets new ids with every reference following them; rows that would
 * become another tenant's or a superadmin are refused, and a refused
 * import leaves nothing behind. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "db_priv.h"
#include "db_move.h"
#include "tmpdb.h"

struct fix {
	struct tmpdb ta, tb;
	struct db *a, *b;
};

static void sql(struct db *db, const char *q)
{
	char *err = NULL;

	if (sqlite3_exec(db->sql, q, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", q, err);
}

static long long one(struct db *db, const char *q)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db->sql, q, -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int setup(void **state)
{
	static struct fix f;
	int64_t id;

	memset(&f, 0, sizeof(f));
	if (tmpdb_open(&f.ta, "move-a", &f.a) ||
	    tmpdb_open(&f.tb, "move-b", &f.b))
		return -1;
	if (db_tenant_add(f.a, "Acme", "acme.test", &id))
		return -1;
	for (int i = 0; i < 2; i++)
		if (db_ext_add(f.a, id, i ? "1002" : "1001", "", "pw-move-1",
			       NULL))
			return -1;
	sql(f.a, "INSERT INTO ringgroups (tenant_id, number) VALUES (1, '600');"
		 "INSERT INTO ringgroup_members (group_id, position, ext_id) "
		 "VALUES (1, 1, 1), (1, 2, 2);"
		 "INSERT INTO web_users (username, pass_hash, role, tenant_id, "
		 "ext_id) VALUES ('boss', 'x', 'admin', 1, NULL), "
		 "('bob', 'x', 'user', 1, 2);"
		 "INSERT INTO api_tokens (user_id, name, token_sha256) VALUES "
		 "(2, 'script', 'abc');"
		 "UPDATE vm_boxes SET max_messages = 7 WHERE ext_id = 2;");
	/* On b the ids are taken by another tenant first. */
	if (db_tenant_add(f.b, "Other", "other.test", &id))
		return -1;
	for (int i = 0; i < 3; i++) {
		char num[8];
		snprintf(num, sizeof(num), "20%d", i);
		if (db_ext_add(f.b, id, num, "", "pw-move-2", NULL))
			return -1;
	}
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	tmpdb_close(&f->ta, f->a);
	tmpdb_close(&f->tb, f->b);
	return 0;
}

static void test_every_table_decided(void **state)
{
	struct fix *f = *state;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(f->a->sql,
					    "SELECT name FROM sqlite_master "
					    "WHERE type = 'table' AND name "
					    "NOT LIKE 'sqlite_%'",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (!db_mv_decision(t))
			fail_msg("table %s has no move decision: add it to "
				 "db/db_move_plan.c and docs/tenant-move.md",
				 t);
	}
	sqlite3_finalize(st);
	assert_string_equal(db_mv_decision("registrations"), "skip");
	assert_string_equal(db_mv_decision("extensions"), "move");
}

static int cols_h(void *arg, const char *table, const char *const *cols, int n)
{
	return db_mv_import_table(arg, table, cols, n);
}

static int row_h(void *arg, const struct db_mv_val *v, int n)
{
	return db_mv_import_row(arg, v, n);
}

static void test_copy_remaps(void **state)
{
	static const struct db_mv_sink sink = {cols_h, row_h};
	struct fix *f = *state;
	struct db_mv_export *x;
	struct db_mv_import *im;
	char why[512];
	int err = 0;

	assert_int_equal(
	    db_mv_export_begin(f->a, "acme.test", &x, why, sizeof(why)), 0);
	assert_int_equal(
	    db_mv_import_begin(f->b, "acme.test", &im, why, sizeof(why)), 0);
	for (int i = 0; !err && i < db_mv_export_ntables(x); i++)
		err = db_mv_export_rows(x, i, &sink, im);
	if (err)
		fail_msg("import: %s", db_mv_import_why(im));
	assert_int_equal(db_mv_import_end(im, true), 0);
	db_mv_export_end(x);

	/* new ids: acme's extensions come after other's three */
	assert_int_equal(one(f->b, "SELECT min(e.id) FROM extensions e JOIN "
				   "tenants t ON t.id = e.tenant_id WHERE "
				   "t.domain = 'acme.test'"),
			 4);
	/* members, mailboxes, users and tokens follow them */
	assert_int_equal(one(f->b, "SELECT count(*) FROM ringgroup_members m "
				   "JOIN extensions e ON e.id = m.ext_id JOIN "
				   "ringgroups g ON g.id = m.group_id WHERE "
				   "e.tenant_id = g.tenant_id AND e.number IN "
				   "('1001', '1002')"),
			 2);
	assert_int_equal(one(f->b, "SELECT max_messages FROM vm_boxes b JOIN "
				   "extensions e ON e.id = b.ext_id WHERE "
				   "e.number = '1002'"),
			 7);
	assert_int_equal(one(f->b, "SELECT count(*) FROM vm_boxes"), 5);
	assert_int_equal(one(f->b, "SELECT count(*) FROM web_users u JOIN "
				   "extensions e ON e.id = u.ext_id WHERE "
				   "u.username = 'bob' AND e.number = '1002'"),
			 1);
	assert_int_equal(one(f->b, "SELECT count(*) FROM api_tokens k JOIN "
				   "web_users u ON u.id = k.user_id WHERE "
				   "u.username = 'bob'"),
			 1);
	/* the routes the tenant trigger made gave way to the archive's */
	assert_int_equal(one(f->b, "SELECT count(*) FROM routes r JOIN "
				   "tenants t ON t.id = r.tenant_id WHERE "
				   "t.domain = 'acme.test'"),
			 one(f->a, "SELECT count(*) FROM routes"));
	/* and once there, the domain is refused */
	assert_int_equal(
	    db_mv_import_begin(f->b, "acme.test", &im, why, sizeof(why)),
	    -EEXIST);
}

static struct db_mv_val txt(const char *s)
{
	return (struct db_mv_val){.type = DB_MV_TEXT, .s = s};
}

static struct db_mv_val num(int64_t i)
{
	return (struct db_mv_val){.type = DB_MV_INT, .i = i};
}

/* A hand-made archive trying to add a superadmin and a row of another
 * tenant: refused, and nothing of it stays. */
static void test_refuses_foreign_rows(void **state)
{
	static const char *const tcols[] = {"id", "name", "domain"};
	static const char *const ucols[] = {"id",   "username",	 "pass_hash",
					    "role", "tenant_id", "ext_id"};
	static const char *const ecols[] = {"id", "tenant_id", "number", "ha1"};
	struct fix *f = *state;
	struct db_mv_import *im;
	struct db_mv_val t[] = {num(9), txt("Evil"), txt("evil.test")};
	struct db_mv_val u[] = {num(1),
				txt("root2"),
				txt("x"),
				txt("superadmin"),
				{.type = DB_MV_NULL},
				{.type = DB_MV_NULL}};
	struct db_mv_val e[] = {num(1), num(1), txt("1"), txt("x")};
	struct db_mv_val t2[] = {num(9), txt("Evil"), txt("other.test")};
	char why[512];

	assert_int_equal(
	    db_mv_import_begin(f->b, "evil.test", &im, why, sizeof(why)), 0);
	assert_int_equal(db_mv_import_table(im, "tenants", tcols, 3), 0);
	assert_int_equal(db_mv_import_row(im, t, 3), 0);
	assert_int_equal(db_mv_import_table(im, "web_users", ucols, 6), 0);
	assert_int_equal(db_mv_import_row(im, u, 6), -EBADMSG);
	assert_non_null(strstr(db_mv_import_why(im), "no tenant"));
	db_mv_import_end(im, false);

	assert_int_equal(
	    db_mv_import_begin(f->b, "evil.test", &im, why, sizeof(why)), 0);
	assert_int_equal(db_mv_import_table(im, "tenants", tcols, 3), 0);
	assert_int_equal(db_mv_import_row(im, t, 3), 0);
	assert_int_equal(db_mv_import_table(im, "extensions", ecols, 4), 0);
	/* tenant_id 1 is not the archive's tenant (9) */
	assert_int_equal(db_mv_import_row(im, e, 4), -EBADMSG);
	db_mv_import_end(im, false);

	/* a tenants row of another domain than the archive's */
	assert_int_equal(
	    db_mv_import_begin(f->b, "evil.test", &im, why, sizeof(why)), 0);
	assert_int_equal(db_mv_import_table(im, "tenants", tcols, 3), 0);
	assert_int_equal(db_mv_import_row(im, t2, 3), -EBADMSG);
	db_mv_import_end(im, false);

	/* a table this node does not have */
	assert_int_equal(
	    db_mv_import_begin(f->b, "evil.test", &im, why, sizeof(why)), 0);
	assert_int_equal(db_mv_import_table(im, "sqlite_master", tcols, 3),
			 -EBADMSG);
	db_mv_import_end(im, false);

	assert_int_equal(one(f->b, "SELECT count(*) FROM tenants WHERE "
				   "domain = 'evil.test'"),
			 0);
	assert_int_equal(one(f->b, "SELECT count(*) FROM web_users WHERE "
				   "username = 'root2'"),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_table_decided),
	    cmocka_unit_test(test_copy_remaps),
	    cmocka_unit_test(test_refuses_foreign_rows),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
