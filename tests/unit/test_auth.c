/* test_auth.c - digest verification and nonces (pbx/sip/auth_digest.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <sofia-sip/su_alloc.h>
#include <sofia-sip/su_md5.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>

#include "sip/auth.h"
#include "db.h"

static const unsigned char key[16] = "0123456789abcdef";

/* Reference values computed with Python's hashlib (RFC 2617 3.2.2),
 * independently of sofia-sip: HA1 = MD5("1001:demo.localhost:secret1001"). */
#define HA1 "922850aa42365a34672496f9ebe29444"
#define RESP_QOP "6a25e854d6a80b6b0f193be96b382e85"	/* nonce abc, nc 1, cnonce xyz */
#define RESP_NOQOP "9e0868d4b535687c4dfe8019538b26f3" /* RFC 2069 style */

static struct auth_cred cred(const char *response)
{
	struct auth_cred c = {
		.username = "1001", .realm = "demo.localhost", .nonce = "abc",
		.uri = "sip:demo.localhost", .qop = "auth", .nc = "00000001",
		.cnonce = "xyz", .response = response};
	return c;
}

static void test_ha1_matches_reference(void **state)
{
	char ha1[DB_HA1_LEN];

	db_ha1(ha1, "1001", "demo.localhost", "secret1001");
	if (strcmp(ha1, HA1))
		fail_msg("stored HA1 %s differs from MD5(user:realm:pass) %s: "
			 "phones could never authenticate", ha1, HA1);
}

static void test_right_password_accepted(void **state)
{
	struct auth_cred c = cred(RESP_QOP);

	if (auth_digest_verify(&c, HA1, "REGISTER"))
		fail_msg("a phone with the right password was refused");
	c.response = "6A25E854D6A80B6B0F193BE96B382E85"; /* hex case-free */
	assert_int_equal(auth_digest_verify(&c, HA1, "REGISTER"), 0);
}

static void test_no_qop_accepted(void **state)
{
	struct auth_cred c = cred(RESP_NOQOP);

	c.qop = c.nc = c.cnonce = NULL;
	if (auth_digest_verify(&c, HA1, "REGISTER"))
		fail_msg("an RFC 2069 digest (no qop) with the right password "
			 "was refused");
}

static void test_wrong_password_refused(void **state)
{
	struct auth_cred c = cred(RESP_QOP);
	char other[DB_HA1_LEN];

	db_ha1(other, "1001", "demo.localhost", "wrong-password");
	if (auth_digest_verify(&c, other, "REGISTER") != -EACCES)
		fail_msg("a wrong password was accepted");
	/* The same digest replayed for another method must fail too. */
	assert_int_equal(auth_digest_verify(&c, HA1, "INVITE"), -EACCES);
	/* And with a changed nonce count. */
	c.nc = "00000002";
	assert_int_equal(auth_digest_verify(&c, HA1, "REGISTER"), -EACCES);
}

static void test_malformed_refused(void **state)
{
	struct auth_cred c = cred(RESP_QOP);

	c.algorithm = "SHA-256";
	assert_int_equal(auth_digest_verify(&c, HA1, "REGISTER"), -EINVAL);
	c = cred(RESP_QOP);
	c.qop = "auth-int";
	assert_int_equal(auth_digest_verify(&c, HA1, "REGISTER"), -EINVAL);
	c = cred(RESP_QOP);
	c.cnonce = NULL;
	assert_int_equal(auth_digest_verify(&c, HA1, "REGISTER"), -EINVAL);
	c = cred(NULL);
	assert_int_equal(auth_digest_verify(&c, HA1, "REGISTER"), -EINVAL);
}

static void test_nonce_lifecycle(void **state)
{
	char n[AUTH_NONCE_LEN], forged[AUTH_NONCE_LEN];
	static const unsigned char other[16] = "fedcba9876543210";

	auth_nonce_make(key, 1000000, n);
	assert_int_equal(strlen(n), AUTH_NONCE_LEN - 1);
	assert_int_equal(auth_nonce_check(key, n, 1000000), 0);
	assert_int_equal(auth_nonce_check(key, n, 1000000 + AUTH_NONCE_TTL), 0);
	if (auth_nonce_check(key, n, 1000000 + AUTH_NONCE_TTL + 1) != -ETIMEDOUT)
		fail_msg("an old nonce was not reported stale");
	/* A nonce of another daemon run (other key) is not ours. */
	assert_int_equal(auth_nonce_check(other, n, 1000000), -EINVAL);
	/* Moving the time forward without the key breaks the MAC. */
	memcpy(forged, n, sizeof(forged));
	forged[7] = forged[7] == '0' ? '1' : '0';
	assert_int_equal(auth_nonce_check(key, forged, 1000000), -EINVAL);
	assert_int_equal(auth_nonce_check(key, "short", 1000000), -EINVAL);
	assert_int_equal(auth_nonce_check(key, NULL, 1000000), -EINVAL);
}

/* A time written otherwise than the daemon writes it ("+" and 7 digits,
 * which strtoul reads as a number) is not a nonce it handed out, even
 * with its MAC right (fuzz/fuzz_digest.c made one from strcmp's
 * operands). */
static void test_nonce_only_as_made(void **state)
{
	static const char *const times[] = {"+00f4240", " 00f4240", "000F4240"};
	char n[AUTH_NONCE_LEN], mac[33];
	su_md5_t md5;

	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		su_md5_init(&md5);
		su_md5_update(&md5, key, 16);
		su_md5_strupdate(&md5, ":");
		su_md5_strupdate(&md5, times[i]);
		su_md5_strupdate(&md5, ":");
		su_md5_update(&md5, key, 16);
		su_md5_hexdigest(&md5, mac);
		snprintf(n, sizeof(n), "%s%s", times[i], mac);
		if (auth_nonce_check(key, n, 1000000) != -EINVAL)
			fail_msg("nonce '%s' was taken for one of ours", n);
	}
}

static void test_challenge_text(void **state)
{
	char buf[256], small[10];

	assert_int_equal(auth_challenge(buf, sizeof(buf), "acme.test", "N1", 1),
			 0);
	assert_string_equal(buf, "Digest realm=\"acme.test\", nonce=\"N1\", "
				 "qop=\"auth\", algorithm=MD5, stale=true");
	assert_int_equal(auth_challenge(small, sizeof(small), "acme.test",
					"N1", 0),
			 -ENOSPC);
}

/* "Authorization: Digest ," parses to a credential without parameters,
 * on which sofia-sip's auth_digest_response_get() asserts: one UDP packet
 * from anyone stopped the daemon (found by fuzz/fuzz_digest.c). */
static void test_cred_without_params_refused(void **state)
{
	su_home_t home[1] = {SU_HOME_INIT(home)};
	static const char *const bad[] = {"Digest ,", "c ,", "Basic xyz"};
	struct auth_cred c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sip_authorization_t *au = sip_authorization_make(home, bad[i]);

		assert_non_null(au);
		if (auth_cred_get(home, au, &c) != -EINVAL)
			fail_msg("credentials '%s' were not refused", bad[i]);
	}
	su_home_deinit(home);
}

static void test_cred_fields_read(void **state)
{
	su_home_t home[1] = {SU_HOME_INIT(home)};
	sip_authorization_t *au = sip_authorization_make(
	    home, "Digest username=\"1001\", realm=\"acme.test\", "
		  "nonce=\"abc\", uri=\"sip:acme.test\", response=\"0f\", "
		  "qop=auth, nc=00000001, cnonce=\"xyz\"");
	struct auth_cred c;

	assert_non_null(au);
	assert_int_equal(auth_cred_get(home, au, &c), 0);
	assert_string_equal(c.username, "1001");
	assert_string_equal(c.realm, "acme.test");
	assert_string_equal(c.nonce, "abc");
	assert_string_equal(c.cnonce, "xyz");
	assert_string_equal(c.qop, "auth");
	su_home_deinit(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ha1_matches_reference),
		cmocka_unit_test(test_right_password_accepted),
		cmocka_unit_test(test_no_qop_accepted),
		cmocka_unit_test(test_wrong_password_refused),
		cmocka_unit_test(test_malformed_refused),
		cmocka_unit_test(test_nonce_lifecycle),
		cmocka_unit_test(test_nonce_only_as_made),
		cmocka_unit_test(test_challenge_text),
		cmocka_unit_test(test_cred_without_params_refused),
		cmocka_unit_test(test_cred_fields_read),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
