/* test_reg_table.c - the registrar's location table (pbx/sip/reg_lookup.c):
 * what goes in comes out whole (strings of every length up to their
 * buffers), refreshes replace, an extension keeps at most
 * REG_MAX_CONTACTS, expiry and deletion remove exactly what they should,
 * and 50,000 extensions (past several doublings of the buckets) are all
 * found again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sip/reg.h"

static struct db_reg reg(int64_t ext, const char *contact, int64_t expires)
{
	struct db_reg r;

	memset(&r, 0, sizeof(r));
	r.ext_id = ext;
	r.tenant_id = 7;
	r.expires = expires;
	r.cseq = (uint32_t)ext * 3;
	snprintf(r.contact, sizeof(r.contact), "%s", contact);
	snprintf(r.route, sizeof(r.route), "sip:127.0.0.1:%lld",
		 (long long)(5000 + ext));
	snprintf(r.call_id, sizeof(r.call_id), "cid-%lld", (long long)ext);
	snprintf(r.user_agent, sizeof(r.user_agent), "phone/1.0");
	snprintf(r.number, sizeof(r.number), "%lld", (long long)(1000 + ext));
	snprintf(r.domain, sizeof(r.domain), "t%lld.test", (long long)ext % 5);
	return r;
}

static void same(const struct db_reg *a, const struct db_reg *b)
{
	assert_int_equal(a->ext_id, b->ext_id);
	assert_int_equal(a->tenant_id, b->tenant_id);
	assert_int_equal(a->expires, b->expires);
	assert_int_equal(a->cseq, b->cseq);
	assert_string_equal(a->contact, b->contact);
	assert_string_equal(a->route, b->route);
	assert_string_equal(a->call_id, b->call_id);
	assert_string_equal(a->user_agent, b->user_agent);
	assert_string_equal(a->number, b->number);
	assert_string_equal(a->domain, b->domain);
}

/* Every string as long as its buffer allows, and empty ones. */
static void test_round_trip(void **state)
{
	struct reg_table *t;
	struct db_reg r = reg(1, "sip:1001@10.0.0.1", 100), out[2];

	assert_int_equal(reg_table_alloc(&t), 0);
	memset(r.route, 'r', sizeof(r.route) - 1);
	memset(r.call_id, 'c', sizeof(r.call_id) - 1);
	memset(r.user_agent, 'u', sizeof(r.user_agent) - 1);
	memset(r.domain, 'd', sizeof(r.domain) - 1);
	r.number[0] = '\0';
	assert_int_equal(reg_table_set(t, &r), 0);
	assert_int_equal(reg_table_get(t, 1, 50, out, 2), 1);
	same(&out[0], &r);
	/* Gone once expired (at 100, not after). */
	assert_int_equal(reg_table_get(t, 1, 100, out, 2), 0);
	reg_table_free(t);
}

/* A refresh replaces the contact's row (even with shorter strings); a
 * new contact adds one; past REG_MAX_CONTACTS the one closest to expiry
 * gives way. */
static void test_refresh_and_max(void **state)
{
	struct reg_table *t;
	struct db_reg r = reg(2, "sip:a@1", 100), out[REG_MAX_CONTACTS + 2];
	char c[64];

	assert_int_equal(reg_table_alloc(&t), 0);
	assert_int_equal(reg_table_set(t, &r), 0);
	r.expires = 300;
	strcpy(r.user_agent, "x");
	assert_int_equal(reg_table_set(t, &r), 0);
	assert_int_equal(reg_table_count(t), 1);
	assert_int_equal(reg_table_get(t, 2, 0, out, 4), 1);
	same(&out[0], &r);
	for (int i = 1; i < REG_MAX_CONTACTS; i++) {
		snprintf(c, sizeof(c), "sip:a@%d", 100 + i);
		r = reg(2, c, 1000 + i);
		assert_int_equal(reg_table_set(t, &r), 0);
	}
	assert_int_equal(reg_table_count(t), REG_MAX_CONTACTS);
	r = reg(2, "sip:a@new", 5000);
	assert_int_equal(reg_table_set(t, &r), 0);
	assert_int_equal(reg_table_count(t), REG_MAX_CONTACTS);
	assert_int_equal(reg_table_get(t, 2, 0, out, REG_MAX_CONTACTS + 2),
			 REG_MAX_CONTACTS);
	for (int i = 0; i < REG_MAX_CONTACTS; i++)
		if (!strcmp(out[i].contact, "sip:a@1"))
			fail_msg("the contact closest to expiry was kept");
	reg_table_free(t);
}

static void count_h(const struct db_reg *r, void *arg)
{
	(*(int *)arg)++;
	if (strncmp(r->contact, "sip:", 4))
		fail_msg("walk handed a damaged contact: %s", r->contact);
}

/* 50,000 extensions, two contacts each: every one is found with its own
 * strings after the buckets grew; deleting and expiring remove exactly
 * what they should. */
static void test_many(void **state)
{
	enum { N = 50000 };
	struct reg_table *t;
	struct db_reg r, out[4];
	char c[64];
	int walked = 0;

	assert_int_equal(reg_table_alloc(&t), 0);
	for (int64_t e = 1; e <= N; e++) {
		for (int k = 0; k < 2; k++) {
			snprintf(c, sizeof(c), "sip:%lld@10.0.%d.1",
				 (long long)e, k);
			r = reg(e, c, k ? 200 : 100);
			assert_int_equal(reg_table_set(t, &r), 0);
		}
	}
	assert_int_equal(reg_table_count(t), 2 * N);
	for (int64_t e = 1; e <= N; e += 997) {
		assert_int_equal(reg_table_get(t, e, 0, out, 4), 2);
		snprintf(c, sizeof(c), "sip:%lld@10.0.1.1", (long long)e);
		r = reg(e, c, 200);
		same(!strcmp(out[0].contact, c) ? &out[0] : &out[1], &r);
	}
	reg_table_walk(t, count_h, &walked);
	assert_int_equal(walked, 2 * N);
	assert_int_equal(reg_table_del(t, 5, "sip:5@10.0.0.1"), 1);
	assert_int_equal(reg_table_del(t, 6, NULL), 2);
	assert_int_equal(reg_table_del(t, N + 1, NULL), 0);
	assert_int_equal(reg_table_expire(t, 100), N - 2);
	assert_int_equal(reg_table_count(t), N - 1);
	assert_int_equal(reg_table_get(t, 7, 0, out, 4), 1);
	assert_int_equal(reg_table_get(t, 5, 0, out, 4), 1);
	assert_int_equal(reg_table_get(t, 6, 0, out, 4), 0);
	reg_table_free(t);
}

/* Entries freed by expiry are used again: registering the same number
 * anew takes no more memory than the first time. */
static void test_reuse(void **state)
{
	enum { N = 20000 };
	struct reg_table *t;
	struct db_reg r;
	char c[64];
	size_t first;

	assert_int_equal(reg_table_alloc(&t), 0);
	for (int round = 0; round < 3; round++) {
		for (int64_t e = 1; e <= N; e++) {
			snprintf(c, sizeof(c), "sip:%lld@10.1.%d.1",
				 (long long)e, round);
			r = reg(e, c, 100 + round);
			assert_int_equal(reg_table_set(t, &r), 0);
		}
		assert_int_equal(reg_table_count(t), N);
		if (round == 0)
			first = reg_table_mem(t);
		else if (reg_table_mem(t) != first)
			fail_msg("round %d holds %zu bytes, the first %zu", round,
				 reg_table_mem(t), first);
		if (first > (size_t)N * 400)
			fail_msg("%zu bytes for %d registrations", first, N);
		assert_int_equal(reg_table_expire(t, 100 + round), N);
	}
	reg_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_refresh_and_max),
	    cmocka_unit_test(test_many),
	    cmocka_unit_test(test_reuse),
	};

	return cmocka_run_group_tests_name("location table", tests, NULL, NULL);
}
