/* test_tenant.c - which tenant a request's domain selects (pbx/sip/tenant.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sip/tenant.h"
#include "db.h"
#include "db_tenant_cfg.h"
#include "tmpdb.h"

struct fix {
	struct tmpdb tmp;
	struct db *db;
	int64_t acme, beta;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	assert_int_equal(tmpdb_open(&f->tmp, "tenant", &f->db), 0);
	assert_int_equal(db_tenant_add(f->db, "Acme", "acme.test", &f->acme), 0);
	assert_int_equal(db_tenant_add(f->db, "Beta", "beta.test", &f->beta), 0);
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

static void test_domain_for_host(void **state)
{
	char out[64];

	assert_int_equal(tenant_domain_for_host("Acme.TEST", "d.test", out,
						sizeof(out)), 0);
	assert_string_equal(out, "acme.test");
	/* The server's own address goes to the default tenant. */
	assert_int_equal(tenant_domain_for_host("192.0.2.7", "d.test", out,
						sizeof(out)), 0);
	assert_string_equal(out, "d.test");
	assert_int_equal(tenant_domain_for_host("[2001:db8::1]", "d.test", out,
						sizeof(out)), 0);
	assert_string_equal(out, "d.test");
	assert_int_equal(tenant_domain_for_host("::1", "d.test", out,
						sizeof(out)), 0);
	assert_string_equal(out, "d.test");
	/* A name that merely looks numeric is still a name. */
	assert_int_equal(tenant_domain_for_host("1.2.3.4.example", "d.test",
						out, sizeof(out)), 0);
	assert_string_equal(out, "1.2.3.4.example");
	assert_int_equal(tenant_domain_for_host("", "d.test", out, sizeof(out)),
			 -EINVAL);
	assert_int_equal(tenant_domain_for_host("127.0.0.1", "", out,
						sizeof(out)), -EINVAL);
	assert_int_equal(tenant_domain_for_host("a-very-long-name.example",
						"d", out, 8), -EINVAL);
}

static void test_lookup_selects_tenant(void **state)
{
	struct fix *f = *state;
	struct db_tenant t;

	assert_int_equal(tenant_lookup(f->db, "acme.test", "beta.test", &t), 0);
	assert_int_equal(t.id, f->acme);
	assert_int_equal(tenant_lookup(f->db, "BETA.test", "acme.test", &t), 0);
	if (t.id != f->beta)
		fail_msg("a request to beta.test landed in tenant %s", t.domain);
	/* Requests to an IP address reach the configured default. */
	assert_int_equal(tenant_lookup(f->db, "127.0.0.1", "beta.test", &t), 0);
	assert_int_equal(t.id, f->beta);
}

static void test_unknown_domain(void **state)
{
	struct fix *f = *state;
	struct db_tenant t;

	assert_int_equal(tenant_lookup(f->db, "gamma.test", "acme.test", &t),
			 -ENOENT);
	/* A default tenant that does not exist is no tenant at all. */
	assert_int_equal(tenant_lookup(f->db, "10.0.0.1", "gone.test", &t),
			 -ENOENT);
	assert_int_equal(tenant_lookup(f->db, "", "acme.test", &t), -ENOENT);
}

static void test_same_number_two_tenants(void **state)
{
	struct fix *f = *state;
	struct db_tenant t;
	struct db_ext e;

	assert_int_equal(db_ext_add(f->db, f->acme, "1001", "A", "password-a1",
				    NULL), 0);
	assert_int_equal(db_ext_add(f->db, f->beta, "1001", "B", "password-b1",
				    NULL), 0);
	assert_int_equal(tenant_lookup(f->db, "beta.test", "acme.test", &t), 0);
	assert_int_equal(db_ext_get(f->db, t.id, "1001", &e), 0);
	assert_string_equal(e.name, "B");
	assert_int_equal(e.tenant_id, f->beta);
}

/* PATCH /api/v1/tenants/{t} and ondoctl tenant SETTING: a change with
 * one bad value writes none of them; a good one writes all, read back as
 * stored (the codecs canonical). */
static void test_settings_all_or_nothing(void **state)
{
	struct fix *f = *state;
	struct db_tenant_change c = {0};
	struct db_tenant_cfg cfg;

	c.val[DB_TK_NAME] = "Acme Europe";
	c.val[DB_TK_CODECS] = "pcmu, g722";
	c.val[DB_TK_TIMEZONE] = "Mars/Base";
	assert_int_equal(db_tenant_change_check(&c), DB_TK_TIMEZONE);
	assert_int_equal(db_tenant_change_apply(f->db, "acme.test", &c),
			 -EINVAL);
	assert_int_equal(db_tenant_cfg_get(f->db, f->acme, &cfg), 0);
	assert_string_equal(cfg.val[DB_TK_NAME], "Acme");
	assert_string_equal(cfg.val[DB_TK_CODECS], DB_CODECS_DEFAULT);
	assert_string_equal(cfg.val[DB_TK_TIMEZONE], "UTC");

	c.val[DB_TK_TIMEZONE] = "Europe/Berlin";
	c.val[DB_TK_MAIN_NUMBER] = "+4930123450";
	c.val[DB_TK_EMERGENCY] = "";
	assert_int_equal(db_tenant_change_check(&c), -ENOENT);
	assert_int_equal(db_tenant_change_apply(f->db, "ACME.test", &c), 0);
	assert_int_equal(db_tenant_cfg_get(f->db, f->acme, &cfg), 0);
	assert_string_equal(cfg.val[DB_TK_NAME], "Acme Europe");
	assert_string_equal(cfg.val[DB_TK_CODECS], "PCMU,G722");
	assert_string_equal(cfg.val[DB_TK_MAIN_NUMBER], "+4930123450");
	assert_string_equal(cfg.val[DB_TK_EMERGENCY], "");
	assert_string_equal(cfg.val[DB_TK_TIMEZONE], "Europe/Berlin");
	/* The other tenant is untouched; no tenant is -ENOENT. */
	assert_int_equal(db_tenant_cfg_get(f->db, f->beta, &cfg), 0);
	assert_string_equal(cfg.val[DB_TK_NAME], "Beta");
	assert_int_equal(db_tenant_change_apply(f->db, "nope.test", &c),
			 -ENOENT);
	/* An empty name is refused; an unknown setting has no key. */
	memset(&c, 0, sizeof(c));
	c.val[DB_TK_NAME] = "";
	assert_int_equal(db_tenant_change_check(&c), DB_TK_NAME);
	assert_int_equal(db_tenant_key("main_number"), DB_TK_MAIN_NUMBER);
	assert_int_equal(db_tenant_key("domain"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domain_for_host),
		cmocka_unit_test_setup_teardown(test_lookup_selects_tenant, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_domain, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_settings_all_or_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_number_two_tenants,
						setup, teardown),
	};
	return cmocka_run_group_tests_name("tenant", tests, NULL, NULL);
}
