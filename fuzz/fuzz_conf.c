/* fuzz_conf.c - libFuzzer target: the daemon's config file (conf_load:
 * our line reader, libinih, the key table and every value's check). The
 * file is the admin's, but a config management tool or a shared host may
 * write it, and a crash here is a daemon that will not start.
 *
 * Checks beyond memory errors: a file that loads leaves only values the
 * daemon can use (they pass the same checks again), and one that does not
 * says "FILE:LINE: what is wrong" or names the file.
 * Input: the file's bytes (read from memory through /proc/self/fd). */
#include "conf/conf.h"
#include "fuzz/fuzz_util.h"

static void check_loaded(const struct conf *c)
{
	char host[64];
	int port;

	FUZZ_CHECK(
	    !conf_split_hostport(c->sip_listen, host, sizeof(host), &port),
	    "[sip] listen '%s' loaded but does not parse", c->sip_listen);
	FUZZ_CHECK(
	    !conf_split_hostport(c->http_listen, host, sizeof(host), &port),
	    "[http] listen '%s' loaded but does not parse", c->http_listen);
	FUZZ_CHECK(c->rtp_min >= 1024 && c->rtp_max <= 65535 &&
		       c->rtp_min % 2 == 0 && c->rtp_max - c->rtp_min >= 3,
		   "[rtp] ports %d-%d", c->rtp_min, c->rtp_max);
	FUZZ_CHECK(c->media_workers >= 0 && c->media_workers <= 64,
		   "[rtp] workers %d", c->media_workers);
	FUZZ_CHECK(c->log_level >= LOGL_ERROR && c->log_level <= LOGL_DEBUG,
		   "[log] level %d", c->log_level);
	FUZZ_CHECK(c->db_path[0] && c->spool_dir[0] && c->ctl_socket[0] &&
		       strlen(c->ctl_socket) < 108,
		   "an empty path or a socket path too long");
	FUZZ_CHECK(!c->http_cert[0] == !c->http_key[0],
		   "cert without key or key without cert");
	FUZZ_CHECK(c->smtp.port >= 1 && c->smtp.port <= 65535 &&
		       c->smtp.timeout >= 1 && c->smtp.retry_min >= 1 &&
		       c->fail_max >= 1 && c->fail_window >= 1 &&
		       c->ban_time >= 1,
		   "a number out of its range");
	FUZZ_CHECK(!strpbrk(c->smtp.from, " \r\n<>") &&
		       !strpbrk(c->smtp.user, " \r\n") &&
		       !strpbrk(c->smtp.link, " \r\n") &&
		       !strpbrk(c->smtp.password, "\r\n"),
		   "an SMTP value that could end an SMTP command early");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[1024];
	struct conf *c = malloc(sizeof(*c));
	int fd, rc;

	if (!c)
		abort();
	fd = fuzz_memfile(data, size, path, sizeof(path));
	conf_init(c);
	rc = conf_load(c, path, err, sizeof(err));
	FUZZ_CHECK(memchr(err, '\0', sizeof(err)), "error not terminated");
	if (rc == 0) {
		FUZZ_CHECK(!err[0], "loaded with an error '%s'", err);
		check_loaded(c);
	} else {
		FUZZ_CHECK(!strncmp(err, path, strlen(path)),
			   "error '%s' does not name the file", err);
	}
	close(fd);
	free(c);
	return 0;
}
