/* test_conf.c - the config parser: defaults, every key, every error form. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/conf.h"

/* Writes text to a fresh temp file, loads it over defaults, removes it.
 * The file's name is left in path so errors can be compared. */
static int load_text(const char *text, struct conf *c, char *err,
		     size_t errlen, char *path, size_t pathlen)
{
	char tmpl[] = "/tmp/test_conf_XXXXXX";
	int fd, rc;
	FILE *f;

	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	snprintf(path, pathlen, "%s", tmpl);
	conf_init(c);
	rc = conf_load(c, tmpl, err, errlen);
	unlink(tmpl);
	return rc;
}

static int load(const char *text, struct conf *c, char *err, size_t errlen)
{
	char path[64];

	return load_text(text, c, err, errlen, path, sizeof(path));
}

/* Loads text that must fail at `line` and whose message after
 * "PATH:LINE: " must start with `want`. */
static void expect_error(const char *text, int line, const char *want)
{
	char err[1024], path[64], prefix[128];
	struct conf c;
	int rc;

	rc = load_text(text, &c, err, sizeof(err), path, sizeof(path));
	if (rc != -EINVAL)
		fail_msg("config was accepted (rc %d) but should fail with "
			 "'%s':\n%s", rc, want, text);
	snprintf(prefix, sizeof(prefix), "%s:%d: ", path, line);
	if (strncmp(err, prefix, strlen(prefix)) ||
	    strncmp(err + strlen(prefix), want, strlen(want)))
		fail_msg("error message is '%s', want '%s%s...'", err, prefix,
			 want);
}

static void test_defaults(void **state)
{
	struct conf c;

	(void)state;
	memset(&c, 0x5a, sizeof(c));
	conf_init(&c);
	assert_string_equal(c.sip_listen, "0.0.0.0:5060");
	assert_string_equal(c.sip_public, "");
	assert_string_equal(c.default_tenant, "demo.localhost");
	assert_int_equal(c.rtp_min, 10000);
	assert_int_equal(c.rtp_max, 20000);
	assert_int_equal(c.media_workers, 0);
	assert_string_equal(c.db_path, "ondo-data/ondo.db");
	assert_string_equal(c.spool_dir, "ondo-data/spool");
	assert_string_equal(c.ctl_socket, "ondo-data/ondo.sock");
	assert_int_equal(c.log_level, LOGL_INFO);
	assert_string_equal(c.http_listen, "127.0.0.1:8080");
	/* No [smtp] host: voicemail email is off. */
	assert_string_equal(c.smtp.host, "");
	assert_int_equal(c.smtp.port, 25);
	assert_int_equal(c.smtp.starttls, CONF_STARTTLS_TRY);
	assert_string_equal(c.smtp.user, "");
	assert_string_equal(c.smtp.password, "");
	assert_string_equal(c.smtp.from, "voicemail@localhost");
	assert_string_equal(c.smtp.link, "");
	assert_int_equal(c.smtp.retry_min, 60);
	assert_int_equal(c.smtp.retry_max, 3600);
	assert_int_equal(c.smtp.give_up, 86400);
	assert_int_equal(c.smtp.timeout, 30);
}

static void test_empty_file_keeps_defaults(void **state)
{
	struct conf c;
	char err[256];

	(void)state;
	assert_int_equal(load("", &c, err, sizeof(err)), 0);
	assert_string_equal(c.sip_listen, "0.0.0.0:5060");
	assert_int_equal(c.rtp_min, 10000);
	assert_string_equal(err, "");
}

static void test_every_key(void **state)
{
	struct conf c;
	char err[256];
	const char *text = "[sip]\n"
			   "listen = 127.0.0.1:5070\n"
			   "public_ip = 192.0.2.10\n"
			   "default_tenant = acme.example\n"
			   "[rtp]\n"
			   "ports = 30000-30039\n"
			   "workers = 3\n"
			   "[db]\n"
			   "path = /var/lib/ondo/ondo.db\n"
			   "[spool]\n"
			   "dir = /var/spool/ondo\n"
			   "[ctl]\n"
			   "socket = /run/ondo/ondo.sock\n"
			   "[log]\n"
			   "level = debug\n"
			   "[http]\n"
			   "listen = 0.0.0.0:8088\n"
			   "[smtp]\n"
			   "host = mail.example.com\n"
			   "port = 587\n"
			   "starttls = required\n"
			   "user = pbx@example.com\n"
			   "password = two words\n"
			   "from = voicemail@example.com\n"
			   "link = https://pbx.example.com/vm/\n"
			   "retry_min = 5\n"
			   "retry_max = 600\n"
			   "give_up = 7200\n"
			   "timeout = 20\n";

	(void)state;
	assert_int_equal(load(text, &c, err, sizeof(err)), 0);
	assert_string_equal(c.sip_listen, "127.0.0.1:5070");
	assert_string_equal(c.sip_public, "192.0.2.10");
	assert_string_equal(c.default_tenant, "acme.example");
	assert_int_equal(c.rtp_min, 30000);
	assert_int_equal(c.rtp_max, 30039);
	assert_int_equal(c.media_workers, 3);
	assert_string_equal(c.db_path, "/var/lib/ondo/ondo.db");
	assert_string_equal(c.spool_dir, "/var/spool/ondo");
	assert_string_equal(c.ctl_socket, "/run/ondo/ondo.sock");
	assert_int_equal(c.log_level, LOGL_DEBUG);
	assert_string_equal(c.http_listen, "0.0.0.0:8088");
	assert_string_equal(c.smtp.host, "mail.example.com");
	assert_int_equal(c.smtp.port, 587);
	assert_int_equal(c.smtp.starttls, CONF_STARTTLS_REQUIRED);
	assert_string_equal(c.smtp.user, "pbx@example.com");
	assert_string_equal(c.smtp.password, "two words");
	assert_string_equal(c.smtp.from, "voicemail@example.com");
	assert_string_equal(c.smtp.link, "https://pbx.example.com/vm/");
	assert_int_equal(c.smtp.retry_min, 5);
	assert_int_equal(c.smtp.retry_max, 600);
	assert_int_equal(c.smtp.give_up, 7200);
	assert_int_equal(c.smtp.timeout, 20);
}

static void test_smtp(void **state)
{
	struct conf c;
	char err[256];

	(void)state;
	/* An IP address is a host too; starttls no; an empty host turns
	 * email off again. */
	assert_int_equal(load("[smtp]\nhost = 127.0.0.1\nstarttls = no\n",
			      &c, err, sizeof(err)),
			 0);
	assert_string_equal(c.smtp.host, "127.0.0.1");
	assert_int_equal(c.smtp.starttls, CONF_STARTTLS_NO);
	assert_int_equal(load("[smtp]\nhost =\n", &c, err, sizeof(err)), 0);
	assert_string_equal(c.smtp.host, "");

	expect_error("[smtp]\nhost = mail server\n", 2,
		     "bad [smtp] host 'mail server': want a host name");
	expect_error("[smtp]\nport = 0\n", 2, "bad [smtp] port '0'");
	expect_error("[smtp]\nport = 65536\n", 2, "bad [smtp] port");
	expect_error("[smtp]\nstarttls = yes\n", 2,
		     "bad [smtp] starttls 'yes': want no, try or required");
	expect_error("[smtp]\nuser = a b\n", 2, "bad [smtp] user 'a b'");
	expect_error("[smtp]\nfrom = voicemail\n", 2,
		     "bad [smtp] from 'voicemail': want an address");
	expect_error("[smtp]\nfrom = a@b@c.test\n", 2, "bad [smtp] from");
	/* '>' would close the address in MAIL FROM:<...> early. */
	expect_error("[smtp]\nfrom = a>@b.test\n", 2, "bad [smtp] from");
	expect_error("[smtp]\nfrom = @b.test\n", 2, "bad [smtp] from");
	expect_error("[smtp]\nlink = ftp://x.test/\n", 2,
		     "bad [smtp] link 'ftp://x.test/': want a URL");
	expect_error("[smtp]\nretry_min = 0\n", 2, "bad [smtp] retry_min");
	expect_error("[smtp]\nretry_max = 86401\n", 2,
		     "bad [smtp] retry_max");
	expect_error("[smtp]\ngive_up = -1\n", 2, "bad [smtp] give_up");
	expect_error("[smtp]\ntimeout = 301\n", 2, "bad [smtp] timeout");
	expect_error("[smtp]\nrelay = x\n", 2, "unknown key 'relay' in [smtp]");
}

static void test_log_levels(void **state)
{
	static const struct {
		const char *name;
		enum log_level lvl;
	} t[] = {{"error", LOGL_ERROR}, {"warn", LOGL_WARN},
		 {"info", LOGL_INFO},	{"debug", LOGL_DEBUG},
		 {"DEBUG", LOGL_DEBUG}};
	char text[64], err[256];
	struct conf c;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(text, sizeof(text), "[log]\nlevel = %s\n", t[i].name);
		assert_int_equal(load(text, &c, err, sizeof(err)), 0);
		assert_int_equal(c.log_level, t[i].lvl);
	}
}

static void test_ipv6(void **state)
{
	char err[256], host[64];
	struct conf c;
	int port = 0;

	(void)state;
	assert_int_equal(load("[sip]\nlisten = [::1]:5080\npublic_ip = "
			      "2001:db8::5\n[http]\nlisten = [::]:8081\n",
			      &c, err, sizeof(err)),
			 0);
	assert_string_equal(c.sip_listen, "[::1]:5080");
	assert_string_equal(c.sip_public, "2001:db8::5");
	assert_string_equal(c.http_listen, "[::]:8081");
	assert_int_equal(conf_split_hostport(c.sip_listen, host, sizeof(host),
					     &port),
			 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 5080);
}

static void test_split_hostport(void **state)
{
	char host[64];
	int port = 0;

	(void)state;
	assert_int_equal(conf_split_hostport("10.1.2.3:65535", host,
					     sizeof(host), &port),
			 0);
	assert_string_equal(host, "10.1.2.3");
	assert_int_equal(port, 65535);
	assert_int_equal(conf_split_hostport("[fe80::1]:1", host, sizeof(host),
					     &port),
			 0);
	assert_string_equal(host, "fe80::1");
	assert_int_equal(port, 1);

	static const char *const bad[] = {
		"",		"127.0.0.1",	 "127.0.0.1:",	  "127.0.0.1:0",
		"127.0.0.1:65536", "127.0.0.1:+5", "127.0.0.1:5x", ":5060",
		"localhost:5060", "999.0.0.1:5060", "::1:5060", "[::1]5060",
		"[::1]:",	"[127.0.0.1]:5060", "[::1:5060", "[]:5060",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (conf_split_hostport(bad[i], host, sizeof(host), &port) !=
		    -EINVAL)
			fail_msg("'%s' was accepted as IP:PORT", bad[i]);
	/* Host buffer too small for the address. */
	assert_int_equal(conf_split_hostport("127.0.0.1:5060", host, 4, &port),
			 -EINVAL);
}

static void test_comments_and_layout(void **state)
{
	struct conf c;
	char err[256];
	const char *text = "; Ondo test config\n"
			   "# hash comments too\n"
			   "\n"
			   "[sip]\n"
			   "   listen = 127.0.0.1:5090   ; inline comment\n"
			   "\tdefault_tenant=t1.test\n"
			   "[rtp]\n"
			   "ports: 20000-20003\n"
			   "[sip]\n"
			   "public_ip = 10.0.0.1\r\n";

	(void)state;
	assert_int_equal(load(text, &c, err, sizeof(err)), 0);
	assert_string_equal(c.sip_listen, "127.0.0.1:5090");
	assert_string_equal(c.default_tenant, "t1.test");
	assert_int_equal(c.rtp_min, 20000);
	assert_int_equal(c.rtp_max, 20003);
	assert_string_equal(c.sip_public, "10.0.0.1");
}

static void test_public_ip_empty_means_auto(void **state)
{
	struct conf c;
	char err[256];

	(void)state;
	assert_int_equal(load("[sip]\npublic_ip =\n", &c, err, sizeof(err)),
			 0);
	assert_string_equal(c.sip_public, "");
}

static void test_missing_file(void **state)
{
	struct conf c;
	char err[256];

	(void)state;
	conf_init(&c);
	assert_int_equal(conf_load(&c, "/nonexistent/x/y.conf", err,
				   sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "cannot open /nonexistent/x/y.conf: No such "
				 "file or directory");
}

static void test_unknown_key(void **state)
{
	(void)state;
	expect_error("[sip]\n; comment\n\n\nlisten = 127.0.0.1:5060\n\n"
		     "lisen = 127.0.0.1:5060\n",
		     7, "unknown key 'lisen' in [sip]");
	expect_error("[rtp]\nport = 10000-10010\n", 2,
		     "unknown key 'port' in [rtp]");
}

static void test_unknown_section(void **state)
{
	(void)state;
	expect_error("[sip]\nlisten = 127.0.0.1:5060\n[sipp]\nlisten = x\n", 3,
		     "unknown section [sipp]");
	/* Reported even when the section stays empty. */
	expect_error("[log]\nlevel = info\n\n[voicemail]\n", 4,
		     "unknown section [voicemail]");
}

static void test_key_outside_section(void **state)
{
	(void)state;
	expect_error("; top\nlisten = 127.0.0.1:5060\n", 2,
		     "key 'listen' outside any [section]");
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_error("[log]\nlevel debug\n", 2, "syntax error");
	expect_error("[log]\nlevel = info\n[sip\n", 3, "syntax error");
}

static void test_bad_listen(void **state)
{
	(void)state;
	expect_error("[sip]\nlisten = 127.0.0.1\n", 2,
		     "bad [sip] listen '127.0.0.1': want IP:PORT");
	expect_error("[sip]\nlisten = 127.0.0.1:0\n", 2,
		     "bad [sip] listen '127.0.0.1:0'");
	expect_error("[sip]\nlisten = 127.0.0.1:65536\n", 2,
		     "bad [sip] listen '127.0.0.1:65536'");
	expect_error("[sip]\nlisten = pbx.example:5060\n", 2,
		     "bad [sip] listen 'pbx.example:5060'");
	expect_error("[sip]\nlisten = ::1:5060\n", 2,
		     "bad [sip] listen '::1:5060'");
	expect_error("[sip]\nlisten =\n", 2, "bad [sip] listen ''");
	expect_error("[http]\n\nlisten = 1.2.3:80\n", 3,
		     "bad [http] listen '1.2.3:80': want IP:PORT");
}

static void test_bad_public_ip(void **state)
{
	(void)state;
	expect_error("[sip]\npublic_ip = pbx.example\n", 2,
		     "bad [sip] public_ip 'pbx.example': want an IPv4 or IPv6");
	expect_error("[sip]\npublic_ip = 10.0.0.1:5060\n", 2,
		     "bad [sip] public_ip '10.0.0.1:5060'");
}

static void test_bad_default_tenant(void **state)
{
	static const char *const bad[] = {"under_score.test", "-lead.test",
					  "trail-.test",      "a..b",
					  ".dot",	      "dot.",
					  "sp ace.test",      "x@y.test"};
	char text[128], want[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[sip]\ndefault_tenant = %s\n",
			 bad[i]);
		snprintf(want, sizeof(want),
			 "bad [sip] default_tenant '%s': want a domain name",
			 bad[i]);
		expect_error(text, 2, want);
	}
	expect_error("[sip]\ndefault_tenant =\n", 2,
		     "bad [sip] default_tenant ''");
	/* A 64-character label is one too many. */
	expect_error("[sip]\ndefault_tenant = "
		     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		     "aaaaa.test\n",
		     2, "bad [sip] default_tenant");
}

static void test_good_default_tenants(void **state)
{
	static const char *const good[] = {"localhost", "a.b", "x-1.example",
					   "EXAMPLE.org", "1001.test"};
	char text[128], err[256];
	struct conf c;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(text, sizeof(text), "[sip]\ndefault_tenant = %s\n",
			 good[i]);
		if (load(text, &c, err, sizeof(err)))
			fail_msg("default_tenant '%s' refused: %s", good[i],
				 err);
		assert_string_equal(c.default_tenant, good[i]);
	}
}

static void test_bad_rtp_ports(void **state)
{
	static const char *const bad[] = {
		"9-5",	       "10001-10010", "10000-10002", "10000-70000",
		"1000-2000",   "abc",	      "10000",	     "10000-",
		"-10000",      "10000-x",     "10000--10010", "20000-10000",
	};
	char text[128], want[160];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[rtp]\n\nports = %s\n", bad[i]);
		snprintf(want, sizeof(want),
			 "bad [rtp] ports '%s': want MIN-MAX with even MIN in "
			 "1024-65535",
			 bad[i]);
		expect_error(text, 3, want);
	}
}

static void test_rtp_ports_edges(void **state)
{
	struct conf c;
	char err[256];

	(void)state;
	assert_int_equal(load("[rtp]\nports = 1024-1027\n", &c, err,
			      sizeof(err)),
			 0);
	assert_int_equal(c.rtp_min, 1024);
	assert_int_equal(c.rtp_max, 1027);
	assert_int_equal(load("[rtp]\nports = 65530-65535\n", &c, err,
			      sizeof(err)),
			 0);
	assert_int_equal(c.rtp_max, 65535);
}

static void test_bad_workers(void **state)
{
	struct conf c;
	char err[256];

	(void)state;
	expect_error("[rtp]\nworkers = 65\n", 2,
		     "bad [rtp] workers '65': want 0 (one per core) to 64");
	expect_error("[rtp]\nworkers = -1\n", 2, "bad [rtp] workers '-1'");
	expect_error("[rtp]\nworkers = two\n", 2, "bad [rtp] workers 'two'");
	expect_error("[rtp]\nworkers =\n", 2, "bad [rtp] workers ''");
	assert_int_equal(load("[rtp]\nworkers = 64\n", &c, err, sizeof(err)),
			 0);
	assert_int_equal(c.media_workers, 64);
}

static void test_bad_paths(void **state)
{
	char text[300], longpath[140];

	(void)state;
	expect_error("[db]\npath =\n", 2, "bad [db] path '': want a file path");
	expect_error("[spool]\ndir =\n", 2,
		     "bad [spool] dir '': want a directory path");
	expect_error("[ctl]\nsocket =\n", 2, "bad [ctl] socket ''");
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	snprintf(text, sizeof(text), "[ctl]\nsocket = %s\n", longpath);
	expect_error(text, 2, "bad [ctl] socket '/aaa");
}

static void test_bad_log_level(void **state)
{
	(void)state;
	expect_error("[log]\nlevel = verbose\n", 2,
		     "bad [log] level 'verbose': want error, warn, info or "
		     "debug");
}

static void test_cluster(void **state)
{
	char err[512];
	struct conf c;

	(void)state;
	assert_int_equal(load("[cluster]\nfront = 10.0.0.1\nnode = 7\n"
			      "api = http://10.0.0.1:5080/ondo\n"
			      "api_secret = s3cret\n",
			      &c, err, sizeof(err)),
			 0);
	assert_string_equal(c.cluster.front, "10.0.0.1");
	assert_int_equal(c.cluster.node, 7);
	assert_string_equal(c.cluster.api, "http://10.0.0.1:5080/ondo");
	assert_string_equal(c.cluster.api_secret, "s3cret");
	/* No [cluster]: a stand-alone PBX. */
	assert_int_equal(load("[log]\nlevel = warn\n", &c, err, sizeof(err)),
			 0);
	assert_string_equal(c.cluster.front, "");
	assert_string_equal(c.cluster.api, "");
	expect_error("[cluster]\nfront = front.example\n", 2,
		     "bad [cluster] front 'front.example'");
	expect_error("[cluster]\nnode = 0\n", 2, "bad [cluster] node '0'");
	expect_error("[cluster]\napi = ftp://x/\n", 2,
		     "bad [cluster] api 'ftp://x/'");
	/* The API without the node and the secret it needs. */
	assert_int_equal(load("[cluster]\napi = http://10.0.0.1/ondo\n", &c,
			      err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "[cluster] api needs node and api_secret"));
}

static void test_line_too_long(void **state)
{
	char text[600];

	(void)state;
	snprintf(text, sizeof(text), "[db]\n;\npath = /%0400d\n", 0);
	expect_error(text, 3, "line longer than");
}

static void test_first_error_wins(void **state)
{
	(void)state;
	expect_error("[sip]\nlisten = 127.0.0.1:5060\nbogus = 1\n[rtp]\n"
		     "ports = 9-5\n",
		     3, "unknown key 'bogus' in [sip]");
	expect_error("[rtp]\nports = 9-5\nnot a key line\n", 2,
		     "bad [rtp] ports '9-5'");
	expect_error("[rtp]\nnot a key line\nports = 9-5\n", 2,
		     "syntax error");
}

static void test_load_keeps_earlier_values(void **state)
{
	struct conf c;
	char err[256], path[64];

	(void)state;
	/* A second file only overrides what it names. */
	assert_int_equal(load_text("[sip]\nlisten = 127.0.0.1:6000\n", &c, err,
				   sizeof(err), path, sizeof(path)),
			 0);
	assert_string_equal(c.default_tenant, "demo.localhost");
	assert_string_equal(c.db_path, "ondo-data/ondo.db");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_empty_file_keeps_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_smtp),
		cmocka_unit_test(test_log_levels),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_split_hostport),
		cmocka_unit_test(test_comments_and_layout),
		cmocka_unit_test(test_public_ip_empty_means_auto),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_key_outside_section),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_bad_listen),
		cmocka_unit_test(test_bad_public_ip),
		cmocka_unit_test(test_bad_default_tenant),
		cmocka_unit_test(test_good_default_tenants),
		cmocka_unit_test(test_bad_rtp_ports),
		cmocka_unit_test(test_rtp_ports_edges),
		cmocka_unit_test(test_bad_workers),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_bad_log_level),
		cmocka_unit_test(test_cluster),
		cmocka_unit_test(test_line_too_long),
		cmocka_unit_test(test_first_error_wins),
		cmocka_unit_test(test_load_keeps_earlier_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
