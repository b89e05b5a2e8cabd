/* test_ban.c - the brute-force lockout's counting (pbx/sip/ban.c): a block
 * after fail_max failures within the window, none when they are spread
 * out, doubling blocks, lifting one, and the listing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sip/ban.h"

static const struct ban_cfg cfg = {.fail_max = 3, .fail_window = 60,
				   .ban_time = 100};

static void test_block_after_max(void **state)
{
	struct bans *b;
	time_t t = 1000;

	(void)state;
	assert_int_equal(bans_alloc(&b, &cfg), 0);
	assert_int_equal(ban_fail(b, "ip:192.0.2.7", t), 0);
	assert_int_equal(ban_fail(b, "ip:192.0.2.7", t + 1), 0);
	assert_int_equal(ban_left(b, "ip:192.0.2.7", t + 1), 0);
	assert_int_equal(ban_fail(b, "ip:192.0.2.7", t + 2), 100);
	assert_int_equal(ban_left(b, "ip:192.0.2.7", t + 2), 100);
	assert_int_equal(ban_left(b, "ip:192.0.2.7", t + 52), 50);
	assert_int_equal(ban_left(b, "ip:192.0.2.8", t + 2), 0);
	/* Failures while blocked do not stack up another block. */
	assert_int_equal(ban_fail(b, "ip:192.0.2.7", t + 3), 0);
	assert_int_equal(ban_left(b, "ip:192.0.2.7", t + 102), 0);
	bans_free(b);
}

static void test_spread_out(void **state)
{
	struct bans *b;

	(void)state;
	assert_int_equal(bans_alloc(&b, &cfg), 0);
	/* Two failures a window apart, ten times: never three in one. */
	for (int i = 0; i < 10; i++) {
		assert_int_equal(ban_fail(b, "ext:1001@a.test", 1000 + i * 61), 0);
		assert_int_equal(ban_fail(b, "ext:1001@a.test", 1001 + i * 61), 0);
	}
	assert_int_equal(ban_left(b, "ext:1001@a.test", 2000), 0);
	bans_free(b);
}

static void test_doubling_and_del(void **state)
{
	struct bans *b;
	char buf[512];
	FILE *f;
	time_t t = 5000;

	(void)state;
	assert_int_equal(bans_alloc(&b, &cfg), 0);
	for (int i = 0; i < 3; i++)
		ban_fail(b, "ip:198.51.100.1", t);
	assert_int_equal(ban_left(b, "ip:198.51.100.1", t), 100);
	t += 101;
	for (int i = 0; i < 2; i++)
		ban_fail(b, "ip:198.51.100.1", t);
	assert_int_equal(ban_fail(b, "ip:198.51.100.1", t), 200);
	f = fmemopen(buf, sizeof(buf), "w");
	ban_print(b, t, f);
	fclose(f);
	assert_non_null(strstr(buf, "ip:198.51.100.1\t200\t0\t2"));
	assert_int_equal(ban_del(b, "ip:198.51.100.1"), 0);
	assert_int_equal(ban_left(b, "ip:198.51.100.1", t), 0);
	assert_int_equal(ban_del(b, "ip:198.51.100.1"), -ENOENT);
	/* A day of quiet: the next block is the short one again. */
	for (int i = 0; i < 3; i++)
		ban_fail(b, "ip:203.0.113.9", t);
	t += 24 * 3600 + 101;
	ban_fail(b, "ip:203.0.113.9", t);
	ban_fail(b, "ip:203.0.113.9", t);
	assert_int_equal(ban_fail(b, "ip:203.0.113.9", t), 100);
	bans_free(b);
}

static void test_bad_config(void **state)
{
	struct bans *b;
	struct ban_cfg bad = {0, 60, 100};

	(void)state;
	assert_int_equal(bans_alloc(&b, &bad), -EINVAL);
	assert_int_equal(ban_left(NULL, "ip:x", 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_after_max),
		cmocka_unit_test(test_spread_out),
		cmocka_unit_test(test_doubling_and_del),
		cmocka_unit_test(test_bad_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
