/* test_trunk_ips.c - where a trunk's carrier may send from: addresses and
 * prefixes (pbx/core/ipnet.c) for IPv4 and IPv6 at their edges (/0, /32,
 * /128, a prefix that does not end on a byte), IPv4-mapped sources, the
 * ips check ondoctl and the REST API share (db_ip_list_why) with the
 * entry it names, and the SIP thread's cache of resolved host names
 * (trunk_dns.c), which keeps the last good addresses when DNS fails. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "core/ipnet.h"
#include "db_trunk.h"
#include "sip/trunk.h"

/* A source address as the SIP stack reports it. */
static struct sockaddr_storage src(const char *ip)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(ip, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, ip, &a->sin6_addr), 1);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, ip, &a->sin_addr), 1);
	}
	return ss;
}

/* Whether a carrier listed as `entry` may send from `ip`. */
static bool admits(const char *entry, const char *ip)
{
	struct ipnet net;
	struct sockaddr_storage ss = src(ip);

	if (ipnet_parse(entry, &net))
		fail_msg("'%s' is refused, but it is a good entry", entry);
	return ipnet_match_any(&net, 1, (const struct sockaddr *)&ss);
}

static void expect(const char *entry, const char *ip, bool want)
{
	if (admits(entry, ip) != want)
		fail_msg("a carrier listed as %s %s from %s", entry,
			 want ? "is refused" : "is admitted", ip);
}

static void test_ipv4(void **state)
{
	(void)state;
	expect("192.0.2.1", "192.0.2.1", true);
	expect("192.0.2.1", "192.0.2.2", false);
	expect("192.0.2.1/32", "192.0.2.1", true);
	expect("192.0.2.1/32", "192.0.2.0", false);
	expect("10.0.0.0/24", "10.0.0.0", true);
	expect("10.0.0.0/24", "10.0.0.255", true);
	expect("10.0.0.0/24", "10.0.1.0", false);
	expect("10.0.0.0/24", "9.255.255.255", false);
	/* a prefix that ends inside a byte */
	expect("172.16.0.0/12", "172.31.255.255", true);
	expect("172.16.0.0/12", "172.32.0.0", false);
	expect("172.16.0.0/12", "172.15.255.255", false);
	expect("198.51.100.128/25", "198.51.100.128", true);
	expect("198.51.100.128/25", "198.51.100.127", false);
	/* /0: every IPv4 source, but no IPv6 one */
	expect("0.0.0.0/0", "255.255.255.255", true);
	expect("0.0.0.0/0", "0.0.0.0", true);
	expect("0.0.0.0/0", "2001:db8::1", false);
	/* a dual-stack socket shows an IPv4 peer as ::ffff:a.b.c.d */
	expect("10.0.0.0/8", "::ffff:10.1.2.3", true);
	expect("10.0.0.0/8", "::ffff:11.1.2.3", false);
}

static void test_ipv6(void **state)
{
	(void)state;
	expect("2001:db8::1", "2001:db8::1", true);
	expect("2001:db8::1", "2001:db8::2", false);
	expect("2001:db8::1/128", "2001:db8::1", true);
	expect("2001:db8::1/128", "2001:db8::", false);
	expect("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true);
	expect("2001:db8::/32", "2001:db9::", false);
	expect("2001:db8::/32", "2001:db7:ffff::1", false);
	expect("2001:db8:8000::/33", "2001:db8:8000::1", true);
	expect("2001:db8:8000::/33", "2001:db8:7fff::1", false);
	expect("::/0", "::1", true);
	expect("::/0", "ffff::1", true);
	expect("::/0", "192.0.2.1", false);
	/* an IPv6 prefix never admits an IPv4 source, mapped or not */
	expect("::ffff:0:0/96", "192.0.2.1", false);
}

static void test_parse(void **state)
{
	static const char *const good[] = {"0.0.0.0",	    "255.255.255.255",
					   "10.0.0.0/8",    "0.0.0.0/0",
					   "192.0.2.1/32",  "::",
					   "::1",	    "::/0",
					   "2001:db8::/32", "2001:db8::1/128",
					   "fe80::1",	    "::ffff:192.0.2.1"};
	static const char *const bad[] = {"",
					  "/24",
					  "192.0.2",
					  "192.0.2.1.5",
					  "192.0.2.256",
					  "192.0.2.01",
					  "192.0.2.1/33",
					  "192.0.2.1/",
					  "192.0.2.1/-1",
					  "192.0.2.1/024",
					  "192.0.2.1/ 24",
					  " 192.0.2.1",
					  "192.0.2.1 ",
					  "2001:db8::/129",
					  "2001:db8:::1",
					  "fe80::1%eth0",
					  "[2001:db8::1]",
					  "2001:db8::g",
					  "carrier.example",
					  "10.0.0.0/8/8",
					  "1e2.0.0.1"};
	struct ipnet net;
	char text[IPNET_TEXT_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (ipnet_parse(good[i], &net))
			fail_msg("'%s' is refused", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ipnet_parse(bad[i], &net) != -EINVAL)
			fail_msg("'%s' is taken as an address", bad[i]);
	/* host bits past the prefix: refused, told apart from a typo */
	assert_int_equal(ipnet_parse("10.0.0.1/24", &net), -EDOM);
	assert_int_equal(ipnet_parse("2001:db8::1/32", &net), -EDOM);
	assert_int_equal(ipnet_parse("128.0.0.0/0", &net), -EDOM);
	ipnet_clear_host_bits(&net);
	ipnet_format(&net, text, sizeof(text));
	assert_string_equal(text, "0.0.0.0/0");
	assert_int_equal(ipnet_parse("2001:DB8::/32", &net), 0);
	ipnet_format(&net, text, sizeof(text));
	assert_string_equal(text, "2001:db8::/32");
	assert_int_equal(ipnet_parse("192.0.2.7", &net), 0);
	ipnet_format(&net, text, sizeof(text));
	assert_string_equal(text, "192.0.2.7");
	assert_int_equal(ipnet_parse(NULL, &net), -EINVAL);
}

/* The check ondoctl and the API share: what it accepts, and the entry
 * its refusal names. */
static void test_list_check(void **state)
{
	static const char *const good[] = {
	    "",
	    "192.0.2.1",
	    "192.0.2.0/24,2001:db8::/32,carrier.example",
	    "localhost",
	    "sip-1.carrier.example,::1",
	    "1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5,6.6.6.6,7.7.7.7,8.8.8.8,"
	    "9.9.9.9,1.0.0.1,1.0.0.2,1.0.0.3,1.0.0.4,1.0.0.5,1.0.0.6,1.0.0.7"};
	static const struct {
		const char *list, *why;
	} bad[] = {
	    {",", "an empty entry"},
	    {"192.0.2.1,", "an empty entry"},
	    {"192.0.2.1,,a.example", "an empty entry"},
	    {"192.0.2.1, 198.51.100.1", "' 198.51.100.1' is not"},
	    {"192.0.2.256", "'192.0.2.256' is not"},
	    {"192.0.2.0/24,10.0.0.300", "'10.0.0.300' is not"},
	    {"a..b", "'a..b' is not"},
	    {"2001:db8::/129", "'2001:db8::/129' is not"},
	    {"carrier.example/24", "'carrier.example/24' is not"},
	    {"10.0.0.1/24", "'10.0.0.1/24' has bits set past /24 (the network "
			    "is 10.0.0.0/24)"},
	    {"2001:db8::1/32", "(the network is 2001:db8::/32)"},
	    {"1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5,6.6.6.6,7.7.7.7,8.8.8.8,"
	     "9.9.9.9,1.0.0.1,1.0.0.2,1.0.0.3,1.0.0.4,1.0.0.5,1.0.0.6,1.0.0.7,"
	     "1.0.0.8",
	     "more than 16 entries"},
	};
	char why[400];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!db_ip_list_why(good[i], why, sizeof(why)) ||
		    !db_valid_ip_list(good[i]))
			fail_msg("ips '%s' refused: %s", good[i], why);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (db_ip_list_why(bad[i].list, why, sizeof(why)) ||
		    db_valid_ip_list(bad[i].list))
			fail_msg("ips '%s' accepted", bad[i].list);
		if (!strstr(why, bad[i].why))
			fail_msg("ips '%s': the admin reads '%s', not '%s'",
				 bad[i].list, why, bad[i].why);
	}
	assert_false(db_valid_ip_list(NULL));
	assert_false(db_ip_list_why(NULL, NULL, 0));
}

static struct ipnet addr(const char *ip)
{
	struct ipnet n;

	assert_int_equal(ipnet_parse(ip, &n), 0);
	return n;
}

static bool cache_admits(const struct dns_cache *c, const char *name,
			 const char *ip)
{
	struct sockaddr_storage ss = src(ip);
	const struct ipnet *a;
	int n = dns_cache_get(c, name, &a);

	return n > 0 && ipnet_match_any(a, n, (const struct sockaddr *)&ss);
}

/* The resolved names: nothing matches before the first answer, a
 * failure keeps the last good list, a reload keeps what names still
 * listed had, and forgets the others. */
static void test_dns_cache(void **state)
{
	const char *names[] = {"carrier.example", "CARRIER.example",
			       "backup.example"};
	struct ipnet two[2] = {addr("192.0.2.1"), addr("2001:db8::5")};
	struct ipnet other = addr("192.0.2.9");
	struct dns_cache *c;

	(void)state;
	assert_int_equal(dns_cache_alloc(&c), 0);
	assert_int_equal(dns_cache_keep(c, names, 3), 0);
	assert_false(cache_admits(c, "carrier.example", "192.0.2.1"));
	assert_int_equal(
	    dns_cache_update(c, "carrier.example", EAI_AGAIN, NULL, 0),
	    DNS_NONE);
	assert_int_equal(dns_cache_update(c, "carrier.example", 0, two, 2),
			 DNS_CHANGED);
	assert_true(cache_admits(c, "carrier.example", "192.0.2.1"));
	assert_true(cache_admits(c, "Carrier.Example", "2001:db8::5"));
	assert_false(cache_admits(c, "carrier.example", "192.0.2.2"));
	assert_false(cache_admits(c, "backup.example", "192.0.2.1"));
	assert_int_equal(dns_cache_update(c, "carrier.example", 0, two, 2),
			 DNS_SAME);
	/* DNS down: the carrier still gets in from its last addresses */
	assert_int_equal(
	    dns_cache_update(c, "carrier.example", EAI_AGAIN, NULL, 0),
	    DNS_KEPT);
	assert_int_equal(dns_cache_update(c, "carrier.example", 0, two, 0),
			 DNS_KEPT);
	assert_true(cache_admits(c, "carrier.example", "192.0.2.1"));
	/* the carrier moved */
	assert_int_equal(dns_cache_update(c, "carrier.example", 0, &other, 1),
			 DNS_CHANGED);
	assert_false(cache_admits(c, "carrier.example", "192.0.2.1"));
	assert_true(cache_admits(c, "carrier.example", "192.0.2.9"));
	/* a reload that still lists it keeps its addresses; one that no
	 * longer does forgets it, and a late answer for it is dropped */
	assert_int_equal(dns_cache_keep(c, names, 1), 0);
	assert_true(cache_admits(c, "carrier.example", "192.0.2.9"));
	assert_int_equal(dns_cache_get(c, "backup.example", NULL), -ENOENT);
	assert_int_equal(dns_cache_update(c, "backup.example", 0, two, 2),
			 -ENOENT);
	assert_int_equal(dns_cache_keep(c, NULL, 0), 0);
	assert_false(cache_admits(c, "carrier.example", "192.0.2.9"));
	dns_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ipv4),      cmocka_unit_test(test_ipv6),
	    cmocka_unit_test(test_parse),     cmocka_unit_test(test_list_check),
	    cmocka_unit_test(test_dns_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
