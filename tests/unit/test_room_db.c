/* test_room_db.c - conference rooms in the database: checks, add, update,
 * delete, the number shared with extensions (neither may take the
 * other's), recordings, and the dialplan reaching a room by its number
 * (db/db_room.c, pbx/dialplan/dp_route.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tmpdb.h"
#include "db_room.h"
#include "dialplan/dialplan.h"

struct fix {
	struct tmpdb tmp;
	struct db *db;
	struct db_tenant t;
};

static int setup(void **state)
{
	static struct fix f;

	memset(&f, 0, sizeof(f));
	if (tmpdb_open(&f.tmp, "room", &f.db))
		return -1;
	if (db_tenant_add(f.db, "acme", "acme.test", NULL) ||
	    db_tenant_by_domain(f.db, "acme.test", &f.t))
		return -1;
	if (db_ext_add(f.db, f.t.id, "1001", "Ann", "pw-1001-room", NULL))
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

static struct db_room room(const struct fix *f, const char *number)
{
	struct db_room r;

	db_room_defaults(&r);
	r.tenant_id = f->t.id;
	snprintf(r.number, sizeof(r.number), "%s", number);
	return r;
}

static void test_check(void **state)
{
	struct fix *f = *state;
	struct db_room r = room(f, "800");
	char why[160];

	assert_int_equal(db_room_check(&r, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	strcpy(r.pin, "12a4");
	assert_int_equal(db_room_check(&r, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "pin"));
	strcpy(r.pin, "1234");
	strcpy(r.mod_pin, "1234");
	assert_int_equal(db_room_check(&r, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "differ"));
	r.mod_pin[0] = '\0';
	r.wait_moderator = 1;
	assert_int_equal(db_room_check(&r, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "mod_pin"));
	r.wait_moderator = 0;
	r.max_members = 501;
	assert_int_equal(db_room_check(&r, why, sizeof(why)), -EINVAL);
	r.max_members = 1;
	assert_int_equal(db_room_check(&r, NULL, 0), -EINVAL);
	r = room(f, "8a0");
	assert_int_equal(db_room_check(&r, NULL, 0), -EINVAL);
	assert_int_equal(db_room_add(f->db, &r, NULL), -EINVAL);
}

static void test_add_get_update_del(void **state)
{
	struct fix *f = *state;
	struct db_room r = room(f, "801"), got;
	int64_t id = 0;

	strcpy(r.name, "Board");
	strcpy(r.pin, "4321");
	strcpy(r.mod_pin, "9999");
	r.record = 1;
	assert_int_equal(db_room_add(f->db, &r, &id), 0);
	assert_true(id > 0);
	assert_int_equal(db_room_add(f->db, &r, NULL), -EEXIST);
	assert_int_equal(db_room_get(f->db, f->t.id, "801", &got), 0);
	assert_string_equal(got.name, "Board");
	assert_string_equal(got.pin, "4321");
	assert_int_equal(got.record, 1);
	assert_int_equal(got.max_members, DB_ROOM_DEFAULT_MEMBERS);
	got.max_members = 200;
	got.pin[0] = '\0';
	assert_int_equal(db_room_update(f->db, &got), 0);
	assert_int_equal(db_room_get(f->db, f->t.id, "801", &r), 0);
	assert_int_equal(r.max_members, 200);
	assert_string_equal(r.pin, "");
	assert_int_equal(db_room_del(f->db, f->t.id, "801"), 0);
	assert_int_equal(db_room_del(f->db, f->t.id, "801"), -ENOENT);
	assert_int_equal(db_room_get(f->db, f->t.id, "801", &r), -ENOENT);
}

static void test_number_shared_with_extensions(void **state)
{
	struct fix *f = *state;
	struct db_room r = room(f, "1001");
	struct dp_result res;

	/* A room cannot take an extension's number, nor the reverse. */
	assert_int_equal(db_room_add(f->db, &r, NULL), -EEXIST);
	r = room(f, "802");
	assert_int_equal(db_room_add(f->db, &r, NULL), 0);
	assert_int_equal(db_ext_add(f->db, f->t.id, "802", "", "pw-802-room",
				    NULL),
			 -EEXIST);
	/* Dialling the room's number reaches the room. */
	assert_int_equal(dp_lookup(f->db, &f->t, "802", "1001", &res), 0);
	assert_string_equal(res.app, "conference");
	assert_string_equal(res.args, "802");
	assert_int_equal(dp_lookup(f->db, &f->t, "1001", NULL, &res), 0);
	assert_string_equal(res.app, "dial");
	assert_int_equal(dp_lookup(f->db, &f->t, "803", NULL, &res), -ENOENT);
}

static int count_h(const struct db_room_rec *rec, void *arg)
{
	(void)rec;
	(*(int *)arg)++;
	return 0;
}

static void test_recordings(void **state)
{
	struct fix *f = *state;
	struct db_room_rec rec = {.tenant_id = f->t.id, .started = 1000,
				  .duration_s = 65};
	struct db_room_rec got;
	int64_t id1 = 0, id2 = 0;
	int n = 0;

	strcpy(rec.room, "802");
	strcpy(rec.path, "rooms/acme.test/802-1.wav");
	assert_int_equal(db_room_rec_add(f->db, &rec, &id1), 0);
	rec.started = 2000;
	strcpy(rec.room, "803");
	strcpy(rec.path, "rooms/acme.test/803-1.wav");
	assert_int_equal(db_room_rec_add(f->db, &rec, &id2), 0);
	assert_int_equal(db_room_rec_list(f->db, f->t.id, NULL, count_h, &n), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(db_room_rec_list(f->db, f->t.id, "802", count_h, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(db_room_rec_get(f->db, f->t.id, id1, &got), 0);
	assert_int_equal(got.duration_s, 65);
	assert_string_equal(got.path, "rooms/acme.test/802-1.wav");
	/* Another tenant's id is not found. */
	assert_int_equal(db_room_rec_get(f->db, f->t.id + 1, id1, &got),
			 -ENOENT);
	assert_int_equal(db_room_rec_del(f->db, f->t.id, id1), 0);
	assert_int_equal(db_room_rec_del(f->db, f->t.id, id1), -ENOENT);
	strcpy(rec.path, "");
	assert_int_equal(db_room_rec_add(f->db, &rec, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_add_get_update_del),
		cmocka_unit_test(test_number_shared_with_extensions),
		cmocka_unit_test(test_recordings),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
