/* test_sip_front.c - requests through the cluster's front
 * (pbx/sip/sip_front.c): the phone's address from the Via below the
 * front's, and a REGISTER's Path as the binding's route. Real messages
 * parsed by sofia-sip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/msg.h>

#include "sip/sip_priv.h"

static msg_t *parse(const char *text)
{
	msg_t *m = msg_make(sip_default_mclass(), 0, text, strlen(text));

	assert_non_null(m);
	assert_non_null(sip_object(m));
	return m;
}

#define HEAD(vias, extra)                                                      \
	"REGISTER sip:a.test SIP/2.0\r\n" vias                                 \
	"From: <sip:1001@a.test>;tag=1\r\n"                                    \
	"To: <sip:1001@a.test>\r\n"                                            \
	"Call-ID: c1\r\nCSeq: 1 REGISTER\r\n"                                  \
	"Contact: <sip:1001@10.1.0.21:5062>\r\n" extra                         \
	"Content-Length: 0\r\n\r\n"

static void expect_addr(const struct sockaddr_storage *ss, const char *ip,
			int port)
{
	char got[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, got, sizeof(got));
		assert_int_equal(ntohs(s4->sin_port), port);
	} else {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		assert_int_equal(ss->ss_family, AF_INET6);
		inet_ntop(AF_INET6, &s6->sin6_addr, got, sizeof(got));
		assert_int_equal(ntohs(s6->sin6_port), port);
	}
	assert_string_equal(got, ip);
}

static void test_client_from_second_via(void **state)
{
	struct sockaddr_storage ss;
	msg_t *m;

	(void)state;
	/* The front filled in received and rport: the phone is behind NAT. */
	m = parse(HEAD("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf\r\n"
		       "Via: SIP/2.0/UDP 192.168.1.5:5062;branch=z9hG4bKp;"
		       "received=203.0.113.7;rport=40001\r\n",
		       ""));
	assert_int_equal(sip_front_client(sip_object(m), &ss), 0);
	expect_addr(&ss, "203.0.113.7", 40001);
	msg_destroy(m);
	/* Not behind NAT: the Via's own host and port. */
	m = parse(HEAD("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf\r\n"
		       "Via: SIP/2.0/TCP 10.1.0.21:5070;branch=z9hG4bKp\r\n",
		       ""));
	assert_int_equal(sip_front_client(sip_object(m), &ss), 0);
	expect_addr(&ss, "10.1.0.21", 5070);
	msg_destroy(m);
	/* IPv6, no port: 5060. */
	m = parse(HEAD("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf\r\n"
		       "Via: SIP/2.0/UDP [2001:db8::5];branch=z9hG4bKp\r\n",
		       ""));
	assert_int_equal(sip_front_client(sip_object(m), &ss), 0);
	expect_addr(&ss, "2001:db8::5", 5060);
	msg_destroy(m);
}

static void test_client_unusable(void **state)
{
	struct sockaddr_storage ss;
	msg_t *m;

	(void)state;
	/* Only the front's Via: nothing below it. */
	m = parse(HEAD("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf\r\n", ""));
	assert_int_equal(sip_front_client(sip_object(m), &ss), -ENOENT);
	msg_destroy(m);
	/* A host name, not an address. */
	m = parse(HEAD("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf\r\n"
		       "Via: SIP/2.0/UDP phone.example;branch=z9hG4bKp\r\n",
		       ""));
	assert_int_equal(sip_front_client(sip_object(m), &ss), -ENOENT);
	msg_destroy(m);
	assert_int_equal(sip_front_client(NULL, &ss), -ENOENT);
}

static void test_path(void **state)
{
	char route[512];
	msg_t *m;

	(void)state;
	m = parse(HEAD("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf\r\n",
		       "Path: <sip:10.0.0.1;lr;received=sip:10.1.0.21:5062>\r\n"
		       "Path: <sip:edge.example;lr>\r\n"));
	assert_int_equal(sip_front_path(sip_object(m), route, sizeof(route)),
			 0);
	assert_string_equal(route, "<sip:10.0.0.1;lr;received=sip:10.1.0.21:"
				   "5062>, <sip:edge.example;lr>");
	/* A route that does not fit is refused, never cut. */
	assert_int_equal(sip_front_path(sip_object(m), route, 20),
			 -ENAMETOOLONG);
	msg_destroy(m);
	m = parse(HEAD("Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf\r\n", ""));
	assert_int_equal(sip_front_path(sip_object(m), route, sizeof(route)),
			 -ENOENT);
	msg_destroy(m);
}

static void test_front_is(void **state)
{
	struct conf c;
	struct sockaddr_storage ss = {0};
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

	(void)state;
	conf_init(&c);
	s4->sin_family = AF_INET;
	s4->sin_port = htons(5060);
	inet_pton(AF_INET, "10.0.0.1", &s4->sin_addr);
	/* No [cluster] front: never. */
	assert_int_equal(sip_front_is(&c, &ss), 0);
	snprintf(c.cluster.front, sizeof(c.cluster.front), "10.0.0.1");
	assert_int_equal(sip_front_is(&c, &ss), 1);
	inet_pton(AF_INET, "10.0.0.2", &s4->sin_addr);
	assert_int_equal(sip_front_is(&c, &ss), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_from_second_via),
		cmocka_unit_test(test_client_unusable),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_front_is),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
