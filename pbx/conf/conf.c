/* conf.c - the daemon's configuration: embedded defaults, INI file, checks. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "conf/conf.h"
#include "core/log.h"

/* What one parse run carries between the line reader and the key handler. */
struct parse {
	struct conf *c;
	FILE *f;
	const char *path;
	int lineno;     /* line last handed to inih, counted by the reader */
	int err_line;   /* first error found by us, 0 = none */
	int err;	/* negative errno of that error */
	char msg[512];  /* its text, without "FILE:LINE: " */
	char *buf;      /* getline() buffer */
	size_t bufsz;
};

static const char *const sections[] = {"sip",  "rtp",	"db",	  "spool",
				       "ctl",  "log",	"http",	  "sounds",
				       "smtp", "security", "cluster"};

void conf_init(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->sip_listen, sizeof(c->sip_listen), "0.0.0.0:5060");
	c->sip_public[0] = '\0';
	snprintf(c->default_tenant, sizeof(c->default_tenant),
		 "demo.localhost");
	c->fail_max = 10;
	c->fail_window = 60;
	c->ban_time = 900;
	c->req_rate = 100;
	c->invite_rate = 30;
	c->rtp_min = 10000;
	c->rtp_max = 20000;
	c->media_workers = 0;
	snprintf(c->db_path, sizeof(c->db_path), "ondo-data/ondo.db");
	snprintf(c->spool_dir, sizeof(c->spool_dir), "ondo-data/spool");
	snprintf(c->sounds_dir, sizeof(c->sounds_dir), "%s", ONDO_SOUNDS_DIR);
	snprintf(c->ctl_socket, sizeof(c->ctl_socket), "ondo-data/ondo.sock");
	c->log_level = LOGL_INFO;
	snprintf(c->http_listen, sizeof(c->http_listen), "127.0.0.1:8080");
	snprintf(c->web_dir, sizeof(c->web_dir), "%s", ONDO_WEB_DIR);
	c->smtp.port = 25;
	c->smtp.starttls = CONF_STARTTLS_TRY;
	snprintf(c->smtp.from, sizeof(c->smtp.from), "voicemail@localhost");
	c->smtp.retry_min = 60;
	c->smtp.retry_max = 3600;
	c->smtp.give_up = 86400;
	c->smtp.timeout = 30;
}

/* Parses a whole decimal number in [lo, hi]; 0 or -EINVAL. */
static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

static int is_ip_literal(const char *s)
{
	unsigned char a[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

int conf_split_hostport(const char *s, char *host, size_t hostlen, int *port)
{
	unsigned char a[sizeof(struct in6_addr)];
	const char *colon, *hs;
	size_t hl;
	long p;
	int af;

	if (!s || !host || !hostlen || !port)
		return -EINVAL;
	if (*s == '[') {
		const char *rb = strchr(s, ']');

		if (!rb || rb[1] != ':')
			return -EINVAL;
		hs = s + 1;
		hl = (size_t)(rb - hs);
		colon = rb + 1;
		af = AF_INET6;
	} else {
		colon = strchr(s, ':');
		/* An unbracketed IPv6 address would make the port ambiguous. */
		if (!colon || strchr(colon + 1, ':'))
			return -EINVAL;
		hs = s;
		hl = (size_t)(colon - s);
		af = AF_INET;
	}
	if (hl == 0 || hl >= hostlen)
		return -EINVAL;
	if (parse_int(colon + 1, 1, 65535, &p))
		return -EINVAL;
	memcpy(host, hs, hl);
	host[hl] = '\0';
	if (inet_pton(af, host, a) != 1) {
		host[0] = '\0';
		return -EINVAL;
	}
	*port = (int)p;
	return 0;
}

/* A host name of dot-separated labels (letters, digits, inner hyphens). */
static int is_domain(const char *s)
{
	size_t total = strlen(s), label = 0;
	const char *p;

	if (total == 0 || total > 253)
		return 0;
	for (p = s; *p; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			return 0;
		if (*p == '-' && label == 0)
			return 0;
		if (++label > 63)
			return 0;
	}
	return label > 0 && p[-1] != '-';
}

static int set_listen(char *dst, size_t dstlen, const char *v)
{
	char host[64];
	int port;

	if (strlen(v) >= dstlen ||
	    conf_split_hostport(v, host, sizeof(host), &port))
		return -EINVAL;
	snprintf(dst, dstlen, "%s", v);
	return 0;
}

static int set_path(char *dst, size_t dstlen, const char *v)
{
	if (!*v || strlen(v) >= dstlen)
		return -EINVAL;
	snprintf(dst, dstlen, "%s", v);
	return 0;
}

static int set_ports(struct conf *c, const char *v)
{
	char lo[16], *dash;
	long min, max;
	size_t n;

	dash = strchr(v, '-');
	if (!dash)
		return -EINVAL;
	n = (size_t)(dash - v);
	if (n == 0 || n >= sizeof(lo))
		return -EINVAL;
	memcpy(lo, v, n);
	lo[n] = '\0';
	if (parse_int(lo, 1024, 65535, &min) ||
	    parse_int(dash + 1, 1024, 65535, &max))
		return -EINVAL;
	/* RTP takes the even port, RTCP the odd one above it: a range must
	 * hold at least two such pairs. */
	if (min % 2 || max - min < 3)
		return -EINVAL;
	c->rtp_min = (int)min;
	c->rtp_max = (int)max;
	return 0;
}

static void fail(struct parse *ps, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Keeps the first error only: later ones are often its consequences. */
static void fail(struct parse *ps, int err, const char *fmt, ...)
{
	va_list ap;

	if (ps->err_line)
		return;
	ps->err_line = ps->lineno;
	ps->err = err;
	va_start(ap, fmt);
	vsnprintf(ps->msg, sizeof(ps->msg), fmt, ap);
	va_end(ap);
}

/* One key of the table: section, name, setter, what a good value is. */
struct key {
	const char *sect, *name;
	int (*set)(struct conf *c, const char *v);
	const char *want;
};

static int k_sip_listen(struct conf *c, const char *v)
{
	return set_listen(c->sip_listen, sizeof(c->sip_listen), v);
}

static int k_sip_public(struct conf *c, const char *v)
{
	if (strlen(v) >= sizeof(c->sip_public) || (*v && !is_ip_literal(v)))
		return -EINVAL;
	snprintf(c->sip_public, sizeof(c->sip_public), "%s", v);
	return 0;
}

static int k_sip_tenant(struct conf *c, const char *v)
{
	if (strlen(v) >= sizeof(c->default_tenant) || !is_domain(v))
		return -EINVAL;
	snprintf(c->default_tenant, sizeof(c->default_tenant), "%s", v);
	return 0;
}

static int k_rtp_workers(struct conf *c, const char *v)
{
	long n;

	if (parse_int(v, 0, 64, &n))
		return -EINVAL;
	c->media_workers = (int)n;
	return 0;
}

static int k_db_path(struct conf *c, const char *v)
{
	return set_path(c->db_path, sizeof(c->db_path), v);
}

static int k_spool_dir(struct conf *c, const char *v)
{
	return set_path(c->spool_dir, sizeof(c->spool_dir), v);
}

static int k_sounds_dir(struct conf *c, const char *v)
{
	return set_path(c->sounds_dir, sizeof(c->sounds_dir), v);
}

static int k_ctl_socket(struct conf *c, const char *v)
{
	/* A Unix socket path must fit sockaddr_un.sun_path (108 bytes). */
	if (strlen(v) >= 108)
		return -EINVAL;
	return set_path(c->ctl_socket, sizeof(c->ctl_socket), v);
}

static int k_log_level(struct conf *c, const char *v)
{
	return log_level_parse(v, &c->log_level);
}

static int k_http_listen(struct conf *c, const char *v)
{
	return set_listen(c->http_listen, sizeof(c->http_listen), v);
}

static int k_web_dir(struct conf *c, const char *v)
{
	return set_path(c->web_dir, sizeof(c->web_dir), v);
}

static int k_http_cert(struct conf *c, const char *v)
{
	return set_path(c->http_cert, sizeof(c->http_cert), v);
}

static int k_http_key(struct conf *c, const char *v)
{
	return set_path(c->http_key, sizeof(c->http_key), v);
}

/* ---- [smtp] ---- */

/* Printable ASCII without blanks: what goes into an SMTP command or a URL
 * as it is. */
static int is_word(const char *s)
{
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

static int set_text(char *dst, size_t dstlen, const char *v)
{
	if (strlen(v) >= dstlen)
		return -EINVAL;
	snprintf(dst, dstlen, "%s", v);
	return 0;
}

static int set_secs(int *dst, const char *v, long lo, long hi)
{
	long n;

	if (parse_int(v, lo, hi, &n))
		return -EINVAL;
	*dst = (int)n;
	return 0;
}

static int k_smtp_host(struct conf *c, const char *v)
{
	if (*v && !is_domain(v) && !is_ip_literal(v))
		return -EINVAL;
	return set_text(c->smtp.host, sizeof(c->smtp.host), v);
}

static int k_smtp_port(struct conf *c, const char *v)
{
	return set_secs(&c->smtp.port, v, 1, 65535);
}

static int k_smtp_starttls(struct conf *c, const char *v)
{
	static const char *const names[] = {"no", "try", "required"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(v, names[i])) {
			c->smtp.starttls = (enum conf_starttls)i;
			return 0;
		}
	return -EINVAL;
}

static int k_smtp_user(struct conf *c, const char *v)
{
	return is_word(v) ? set_text(c->smtp.user, sizeof(c->smtp.user), v)
			  : -EINVAL;
}

static int k_smtp_password(struct conf *c, const char *v)
{
	/* Blanks are allowed here (AUTH sends it base64-encoded), control
	 * characters are not. */
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			return -EINVAL;
	return set_text(c->smtp.password, sizeof(c->smtp.password), v);
}

static int k_smtp_from(struct conf *c, const char *v)
{
	const char *at = strchr(v, '@');

	/* local@domain, nothing that could end an SMTP command early. */
	if (!at || at == v || strchr(at + 1, '@') || !is_domain(at + 1) ||
	    !is_word(v) || strpbrk(v, "<>\"(),;:"))
		return -EINVAL;
	return set_text(c->smtp.from, sizeof(c->smtp.from), v);
}

static int k_smtp_link(struct conf *c, const char *v)
{
	if (*v && strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
		return -EINVAL;
	return is_word(v) ? set_text(c->smtp.link, sizeof(c->smtp.link), v)
			  : -EINVAL;
}

static int k_smtp_retry_min(struct conf *c, const char *v)
{
	return set_secs(&c->smtp.retry_min, v, 1, 86400);
}

static int k_smtp_retry_max(struct conf *c, const char *v)
{
	return set_secs(&c->smtp.retry_max, v, 1, 86400);
}

static int k_smtp_give_up(struct conf *c, const char *v)
{
	return set_secs(&c->smtp.give_up, v, 1, 30 * 86400);
}

static int k_smtp_timeout(struct conf *c, const char *v)
{
	return set_secs(&c->smtp.timeout, v, 1, 300);
}

static int k_fail_max(struct conf *c, const char *v)
{
	return set_secs(&c->fail_max, v, 1, 1000);
}

static int k_fail_window(struct conf *c, const char *v)
{
	return set_secs(&c->fail_window, v, 1, 86400);
}

static int k_ban_time(struct conf *c, const char *v)
{
	return set_secs(&c->ban_time, v, 1, 86400);
}

static int k_req_rate(struct conf *c, const char *v)
{
	return set_secs(&c->req_rate, v, 0, 100000);
}

static int k_invite_rate(struct conf *c, const char *v)
{
	return set_secs(&c->invite_rate, v, 0, 100000);
}

/* ---- [cluster] ---- */

static int k_cluster_front(struct conf *c, const char *v)
{
	if (*v && !is_ip_literal(v))
		return -EINVAL;
	return set_text(c->cluster.front, sizeof(c->cluster.front), v);
}

static int k_cluster_node(struct conf *c, const char *v)
{
	return set_secs(&c->cluster.node, v, 1, 9999);
}

static int k_cluster_api(struct conf *c, const char *v)
{
	if (*v && (!is_word(v) || (strncmp(v, "http://", 7) &&
				   strncmp(v, "https://", 8))))
		return -EINVAL;
	return set_text(c->cluster.api, sizeof(c->cluster.api), v);
}

static int k_cluster_secret(struct conf *c, const char *v)
{
	if (!is_word(v))
		return -EINVAL;
	return set_text(c->cluster.api_secret, sizeof(c->cluster.api_secret),
			v);
}

static const struct key keys[] = {
	{"sip", "listen", k_sip_listen, "want IP:PORT or [IPv6]:PORT"},
	{"sip", "public_ip", k_sip_public, "want an IPv4 or IPv6 address"},
	{"sip", "default_tenant", k_sip_tenant, "want a domain name"},
	{"rtp", "ports", set_ports,
	 "want MIN-MAX with even MIN in 1024-65535, MAX <= 65535 and "
	 "MAX-MIN >= 3"},
	{"rtp", "workers", k_rtp_workers, "want 0 (one per core) to 64"},
	{"db", "path", k_db_path, "want a file path"},
	{"spool", "dir", k_spool_dir, "want a directory path"},
	{"sounds", "dir", k_sounds_dir, "want a directory path"},
	{"ctl", "socket", k_ctl_socket,
	 "want a socket path shorter than 108 bytes"},
	{"log", "level", k_log_level, "want error, warn, info or debug"},
	{"http", "listen", k_http_listen, "want IP:PORT or [IPv6]:PORT"},
	{"http", "web_dir", k_web_dir, "want a directory path"},
	{"http", "cert", k_http_cert, "want the path of a PEM certificate"},
	{"http", "key", k_http_key, "want the path of a PEM private key"},
	{"smtp", "host", k_smtp_host,
	 "want a host name or IP address (empty: no email)"},
	{"smtp", "port", k_smtp_port, "want a port, 1 to 65535"},
	{"smtp", "starttls", k_smtp_starttls, "want no, try or required"},
	{"smtp", "user", k_smtp_user,
	 "want up to 255 printable characters, no blanks"},
	{"smtp", "password", k_smtp_password,
	 "want up to 255 characters, no control characters"},
	{"smtp", "from", k_smtp_from, "want an address, name@domain"},
	{"smtp", "link", k_smtp_link,
	 "want a URL starting with http:// or https://, no blanks"},
	{"smtp", "retry_min", k_smtp_retry_min, "want seconds, 1 to 86400"},
	{"smtp", "retry_max", k_smtp_retry_max, "want seconds, 1 to 86400"},
	{"smtp", "give_up", k_smtp_give_up, "want seconds, 1 to 2592000"},
	{"smtp", "timeout", k_smtp_timeout, "want seconds, 1 to 300"},
	{"security", "fail_max", k_fail_max, "want 1 to 1000 failures"},
	{"security", "fail_window", k_fail_window, "want seconds, 1 to 86400"},
	{"security", "ban_time", k_ban_time, "want seconds, 1 to 86400"},
	{"security", "req_rate", k_req_rate,
	 "want requests a second, 0 (no limit) to 100000"},
	{"security", "invite_rate", k_invite_rate,
	 "want INVITEs a minute, 0 (no limit) to 100000"},
	{"cluster", "front", k_cluster_front,
	 "want the front's IPv4 or IPv6 address (empty: no front)"},
	{"cluster", "node", k_cluster_node, "want this node's id, 1 to 9999"},
	{"cluster", "api", k_cluster_api,
	 "want a URL starting with http:// or https://, no blanks"},
	{"cluster", "api_secret", k_cluster_secret,
	 "want up to 127 printable characters, no blanks"},
};

static int key_h(void *user, const char *section, const char *name,
		 const char *value)
{
	struct parse *ps = user;
	size_t i;
	int known_sect = 0;

	/* Some inih builds pass a line without '=' as a key with no value. */
	if (!value) {
		fail(ps, -EINVAL, "syntax error: want [section] or key = value");
		return 1;
	}
	if (!*section) {
		fail(ps, -EINVAL, "key '%s' outside any [section]", name);
		return 1;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].sect, section))
			continue;
		known_sect = 1;
		if (strcmp(keys[i].name, name))
			continue;
		if (keys[i].set(ps->c, value))
			fail(ps, -EINVAL, "bad [%s] %s '%s': %s", section,
			     name, value, keys[i].want);
		return 1;
	}
	/* Unknown sections are reported by the reader at their header. */
	if (known_sect)
		fail(ps, -EINVAL, "unknown key '%s' in [%s]", name, section);
	/* Our errors are kept in ps; returning 0 would make inih count a
	 * second, syntax-looking error on the same line. */
	return 1;
}

/* Hands inih one line at a time so that errors carry their line number.
 * Strips leading blanks (so an indented key is not taken for a
 * continuation line), reports unknown section headers, and refuses lines
 * longer than inih's buffer instead of letting it split them. */
static char *line_reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	ssize_t n;
	char *s;

	n = getline(&ps->buf, &ps->bufsz, ps->f);
	if (n < 0)
		return NULL;
	ps->lineno++;
	s = ps->buf;
	while (*s == ' ' || *s == '\t')
		s++;
	n = (ssize_t)strlen(s);
	if (n + 1 > num) {
		fail(ps, -EINVAL, "line longer than %d characters", num - 3);
		str[0] = '\n';
		str[1] = '\0';
		return str;
	}
	memcpy(str, s, (size_t)n + 1);
	if (*s == '[') {
		const char *rb = strchr(s, ']');
		size_t len, i;

		if (!rb)
			return str; /* inih reports the syntax error */
		len = (size_t)(rb - s - 1);
		for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
			if (strlen(sections[i]) == len &&
			    !strncmp(sections[i], s + 1, len))
				break;
		if (i == sizeof(sections) / sizeof(sections[0]))
			fail(ps, -EINVAL, "unknown section [%.*s]", (int)len,
			     s + 1);
	}
	return str;
}

int conf_load(struct conf *c, const char *path, char *err, size_t errlen)
{
	struct parse ps;
	int rc, line;

	if (!c || !path || !err || !errlen)
		return -EINVAL;
	err[0] = '\0';
	memset(&ps, 0, sizeof(ps));
	ps.c = c;
	ps.path = path;
	ps.f = fopen(path, "r");
	if (!ps.f) {
		rc = -errno;
		snprintf(err, errlen, "cannot open %s: %s", path,
			 strerror(errno));
		return rc;
	}
	line = ini_parse_stream(line_reader, &ps, key_h, &ps);
	if (ferror(ps.f) && !ps.err_line) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		rc = -EIO;
		goto out;
	}
	rc = 0;
	if (line < 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		rc = -ENOMEM;
	} else if (line > 0 && (!ps.err_line || line < ps.err_line)) {
		/* inih's own complaint: a line that is neither a [section],
		 * a key = value, nor a comment. */
		snprintf(err, errlen, "%s:%d: syntax error: want [section] or "
			 "key = value", path, line);
		rc = -EINVAL;
	} else if (ps.err_line) {
		snprintf(err, errlen, "%s:%d: %s", path, ps.err_line, ps.msg);
		rc = ps.err;
	} else if (!c->http_cert[0] != !c->http_key[0]) {
		snprintf(err, errlen, "%s: [http] cert and key go together "
			 "(both for HTTPS, neither for HTTP)", path);
		rc = -EINVAL;
	} else if (c->cluster.api[0] &&
		   (!c->cluster.node || !c->cluster.api_secret[0])) {
		snprintf(err, errlen, "%s: [cluster] api needs node and "
			 "api_secret", path);
		rc = -EINVAL;
	}
out:
	free(ps.buf);
	fclose(ps.f);
	return rc;
}
