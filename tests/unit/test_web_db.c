/* test_web_db.c - web users, API tokens, the audit log (db/db_web.c) and
 * the password hashes (web/web_pass.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "db.h"
#include "db_web.h"
#include "web/web_pass.h"
#include "tmpdb.h"

struct fix {
	struct tmpdb tmp;
	struct db *db;
	int64_t acme, beta, ext;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_int_equal(tmpdb_open(&f->tmp, "web", &f->db), 0);
	assert_int_equal(db_tenant_add(f->db, "Acme", "acme.test", &f->acme), 0);
	assert_int_equal(db_tenant_add(f->db, "Beta", "beta.test", &f->beta), 0);
	assert_int_equal(db_ext_add(f->db, f->acme, "1001", "A", "secret-pw-1",
				    &f->ext),
			 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	tmpdb_close(&f->tmp, f->db);
	free(f);
	return 0;
}

static struct db_web_user user(const char *name, enum db_web_role role,
			       int64_t tenant, int64_t ext)
{
	struct db_web_user u = {.role = role, .tenant_id = tenant,
				.ext_id = ext};

	snprintf(u.username, sizeof(u.username), "%s", name);
	snprintf(u.pass_hash, sizeof(u.pass_hash), "$argon2id$not-a-real-one");
	return u;
}

static void test_roles_and_scopes(void **state)
{
	struct fix *f = *state;
	struct db_web_user u = user("root", DB_WEB_SUPERADMIN, 0, 0), got;
	int64_t id;

	assert_int_equal(db_web_user_add(f->db, &u, &id), 0);
	u = user("boss", DB_WEB_ADMIN, f->acme, 0);
	assert_int_equal(db_web_user_add(f->db, &u, NULL), 0);
	u = user("alice", DB_WEB_USER, f->acme, f->ext);
	assert_int_equal(db_web_user_add(f->db, &u, NULL), 0);
	/* The shapes a role cannot have. */
	u = user("x1", DB_WEB_SUPERADMIN, f->acme, 0);
	assert_int_equal(db_web_user_add(f->db, &u, NULL), -EINVAL);
	u = user("x2", DB_WEB_ADMIN, 0, 0);
	assert_int_equal(db_web_user_add(f->db, &u, NULL), -EINVAL);
	u = user("x3", DB_WEB_USER, f->acme, 0);
	assert_int_equal(db_web_user_add(f->db, &u, NULL), -EINVAL);
	u = user("bad name", DB_WEB_ADMIN, f->acme, 0);
	assert_int_equal(db_web_user_add(f->db, &u, NULL), -EINVAL);
	/* Names are unique whatever their case. */
	u = user("BOSS", DB_WEB_ADMIN, f->beta, 0);
	assert_int_equal(db_web_user_add(f->db, &u, NULL), -EEXIST);

	assert_int_equal(db_web_user_by_name(f->db, "Alice", &got), 0);
	assert_int_equal(got.role, DB_WEB_USER);
	assert_string_equal(got.domain, "acme.test");
	assert_string_equal(got.ext, "1001");
	assert_int_equal(db_web_user_by_id(f->db, id, &got), 0);
	assert_string_equal(got.username, "root");
	assert_string_equal(got.domain, "");

	/* A tenant's admin deletes only its own tenant's users. */
	assert_int_equal(db_web_user_by_name(f->db, "boss", &got), 0);
	assert_int_equal(db_web_user_del(f->db, f->beta, got.id), -ENOENT);
	assert_int_equal(db_web_user_del(f->db, f->acme, got.id), 0);
	/* An extension's user goes with the extension. */
	assert_int_equal(db_ext_del(f->db, f->acme, "1001"), 0);
	assert_int_equal(db_web_user_by_name(f->db, "alice", &got), -ENOENT);
}

static void test_tokens(void **state)
{
	struct fix *f = *state;
	struct db_web_user u = user("script", DB_WEB_ADMIN, f->acme, 0), got;
	char sha[DB_WEB_SHA_LEN];
	int64_t uid;

	memset(sha, 'a', sizeof(sha) - 1);
	sha[sizeof(sha) - 1] = '\0';
	assert_int_equal(db_web_user_add(f->db, &u, &uid), 0);
	assert_int_equal(db_web_token_add(f->db, uid, "cron", sha, NULL), 0);
	assert_int_equal(db_web_token_user(f->db, sha, &got), 0);
	assert_string_equal(got.username, "script");
	assert_int_equal(db_web_token_add(f->db, uid, "cron", "short", NULL),
			 -EINVAL);
	sha[0] = 'b';
	assert_int_equal(db_web_token_user(f->db, sha, &got), -ENOENT);
	/* A user's tokens go with the user. */
	assert_int_equal(db_web_user_del(f->db, 0, uid), 0);
	sha[0] = 'a';
	assert_int_equal(db_web_token_user(f->db, sha, &got), -ENOENT);
}

struct audit_ctx {
	int n;
	char first[DB_WEB_AUDIT_LEN];
};

static int audit_h(const struct db_web_audit *a, void *arg)
{
	struct audit_ctx *c = arg;

	if (!c->n++)
		snprintf(c->first, sizeof(c->first), "%s", a->object);
	return 0;
}

static void test_audit(void **state)
{
	struct fix *f = *state;
	struct db_web_audit a = {0};
	struct audit_ctx c = {0};
	char big[1000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(a.username, sizeof(a.username), "boss");
	snprintf(a.tenant, sizeof(a.tenant), "acme.test");
	snprintf(a.object, sizeof(a.object), "extension 1001");
	assert_int_equal(db_web_audit_add(f->db, &a), 0);
	snprintf(a.tenant, sizeof(a.tenant), "beta.test");
	snprintf(a.object, sizeof(a.object), "extension 2001");
	assert_int_equal(db_web_audit_add(f->db, &a), 0);
	assert_int_equal(db_web_audit_list(f->db, "acme.test", 0, 10, audit_h,
					   &c),
			 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.first, "extension 1001");
	memset(&c, 0, sizeof(c));
	assert_int_equal(db_web_audit_list(f->db, NULL, 0, 10, audit_h, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.first, "extension 2001"); /* newest first */
}

static void test_passwords(void **state)
{
	char h[DB_WEB_HASH_LEN];

	(void)state;
	assert_int_equal(web_pass_hash("correct horse", h), 0);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_true(web_pass_ok(h, "correct horse"));
	assert_false(web_pass_ok(h, "correct hors"));
	assert_false(web_pass_ok("", "correct horse"));
	assert_false(web_pass_valid("short"));
	assert_true(web_pass_valid("long enough"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_roles_and_scopes, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
	    cmocka_unit_test(test_passwords),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
