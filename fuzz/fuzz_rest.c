/* fuzz_rest.c - libFuzzer target: REST requests (method, path, query
 * string, JSON or file body, and who sends them) through web_dispatch():
 * the route table, the access checks, and every api_*.c handler with its
 * parsing of JSON bodies and query arguments, against a real SQLite
 * database and spool. No HTTP server runs: the few libmicrohttpd calls the
 * handlers make about the connection are answered here.
 *
 * Each input starts from the same state (a copy of a database made once,
 * the spool put back): two tenants with extensions, routes, an IVR menu,
 * a time condition, a trunk, a DID, a room, voicemail, a recorded call and
 * a room recording, and one user of each role.
 *
 * Beyond memory errors and leaks, a request fails the run when:
 *   - the handler fails (the server would answer 500 "internal error"),
 *     or any 500 comes back: bad input must get a 4xx;
 *   - a JSON answer does not parse;
 *   - a tenant admin or user gets a 2xx for another tenant's path, or sees
 *     the other tenant's data, or a user sees a colleague's;
 *   - a password hash or a trunk's password appears in an answer, or a
 *     shared trunk's account in one to anyone but a superadmin;
 *   - a file is served from outside the panel's folder or the caller's
 *     own part of the spool.
 *
 * Input: up to MAX_REQ requests separated by "\n====\n". A request is an
 * optional role letter (S superadmin, A admin of acme.test, U user 1001 of
 * acme.test, O admin of other.test, C admin by session cookie with its
 * CSRF token, c the same without the token, N nobody, X a wrong token;
 * S if absent), then "METHOD URL", a newline, and the body. */
#include <dlfcn.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>
#include <jansson.h>
#include <sodium.h>

#include "core/log.h"
#include "db_room.h"
#include "fuzz/fuzz_util.h"
#include "vm/vm_store.h"
#include "web/web_priv.h"

#define MAX_REQ	 4
#define SEP	 "\n====\n"
#define MAX_ARGS 16

/* The secrets no answer may show, and the other tenant's markers. */
#define TRUNK_PW  "MARKSECRETPW"
/* The shared trunk's account at the carrier: the superadmin's alone. */
#define SHARED_ACCOUNT "MARKPOOLACCOUNT"
#define HASH_MARK "$fuzz$"
#define ACME_MARK "MARKACME"
#define COLLEAGUE "MARKACME1002"

static const char *const tokens[] = {
    /* S */ "5300000000000000000000000000000000000000000000000000000000000001",
    /* A */ "4100000000000000000000000000000000000000000000000000000000000002",
    /* U */ "5500000000000000000000000000000000000000000000000000000000000003",
    /* O */ "4f00000000000000000000000000000000000000000000000000000000000004",
};

/* ---- the connection, as the handlers see it ---- */

struct kv {
	char *key, *value;
};

struct conn {
	const char *auth, *cookie, *csrf;
	struct kv args[MAX_ARGS];
	int nargs;
};

const char *MHD_lookup_connection_value(struct MHD_Connection *connection,
					enum MHD_ValueKind kind,
					const char *key)
{
	struct conn *c = (struct conn *)connection;

	if (!c || !key)
		return NULL;
	if (kind & MHD_HEADER_KIND) {
		if (!strcasecmp(key, MHD_HTTP_HEADER_AUTHORIZATION))
			return c->auth;
		if (!strcasecmp(key, "X-CSRF-Token"))
			return c->csrf;
	}
	if ((kind & MHD_COOKIE_KIND) && !strcmp(key, "ondo_session"))
		return c->cookie;
	if (kind & MHD_GET_ARGUMENT_KIND)
		for (int i = 0; i < c->nargs; i++)
			if (!strcmp(c->args[i].key, key))
				return c->args[i].value;
	return NULL;
}

/* ---- what the handlers answer ---- */

static struct {
	char *body; /* a copy of the last buffer response, NUL-terminated */
	size_t len;
	char fd_path[PATH_MAX]; /* the file of the last fd response */
} out;

struct MHD_Response *
MHD_create_response_from_buffer(size_t size, void *buffer,
				enum MHD_ResponseMemoryMode mode)
{
	static struct MHD_Response *(*real)(size_t, void *,
					    enum MHD_ResponseMemoryMode);

	if (!real)
		real = dlsym(RTLD_NEXT, "MHD_create_response_from_buffer");
	free(out.body);
	out.body = malloc(size + 1);
	if (!out.body)
		abort();
	memcpy(out.body, buffer, size);
	out.body[size] = '\0';
	out.len = size;
	return real(size, buffer, mode);
}

struct MHD_Response *MHD_create_response_from_fd(size_t size, int fd)
{
	static struct MHD_Response *(*real)(size_t, int);
	char link[64];
	ssize_t n;

	if (!real)
		real = dlsym(RTLD_NEXT, "MHD_create_response_from_fd");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, out.fd_path, sizeof(out.fd_path) - 1);
	out.fd_path[n > 0 ? n : 0] = '\0';
	return real(size, fd);
}

/* ---- cheap password hashes ----
 * argon2id costs tens of milliseconds and 19 MiB a hash: it would make
 * every log-in, PIN and user change the whole run. These stand in for it
 * (the handlers only store and compare the strings), and their marker
 * lets the checks see a hash that leaks into an answer. */

static void fake_hash(const char *pw, unsigned long long len, char *out)
{
	uint64_t h = 1469598103934665603ULL;

	for (unsigned long long i = 0; i < len; i++)
		h = (h ^ (uint8_t)pw[i]) * 1099511628211ULL;
	snprintf(out, crypto_pwhash_STRBYTES, HASH_MARK "%016llx",
		 (unsigned long long)h);
}

int crypto_pwhash_str(char out_[crypto_pwhash_STRBYTES], const char *const pw,
		      unsigned long long len, unsigned long long ops,
		      size_t mem)
{
	(void)ops;
	(void)mem;
	fake_hash(pw, len, out_);
	return 0;
}

int crypto_pwhash_str_verify(const char *str, const char *const pw,
			     unsigned long long len)
{
	char h[crypto_pwhash_STRBYTES];

	fake_hash(pw, len, h);
	return strcmp(str, h) ? -1 : 0;
}

/* ---- the state every input starts from ---- */

static struct {
	char dir[PATH_MAX], pristine[PATH_MAX + 16], db[PATH_MAX + 16];
	char spool[PATH_MAX + 16], web_dir[PATH_MAX + 16];
	struct conf conf;
	struct web w;
	struct db *dbh;
	/* the spool as it was made: paths, and the bytes of files (NULL
	 * for a folder) */
	struct sfile {
		char *path;
		char *data;
		size_t len;
	} files[128];
	int nfiles;
	const char *input; /* the whole input, NUL-terminated */
	size_t input_len;  /* it may hold NULs of its own */
	char cookie[65], csrf[65];
	int sess_dirty; /* an input logged in or out: new sessions next */
} st;

/* 1.5 s of 8 kHz silence as a WAV file. */
static size_t make_wav(char **datap)
{
	const uint32_t samples = 12000, bytes = samples * 2;
	uint8_t *d = calloc(1, 44 + bytes);
	uint32_t v;

	if (!d)
		abort();
	memcpy(d, "RIFF", 4);
	v = 36 + bytes;
	memcpy(d + 4, &v, 4);
	memcpy(d + 8, "WAVEfmt ", 8);
	v = 16;
	memcpy(d + 16, &v, 4);
	d[20] = 1; /* PCM */
	d[22] = 1; /* mono */
	v = 8000;
	memcpy(d + 24, &v, 4);
	v = 16000;
	memcpy(d + 28, &v, 4);
	d[32] = 2;
	d[34] = 16;
	memcpy(d + 36, "data", 4);
	memcpy(d + 40, &bytes, 4);
	*datap = (char *)d;
	return 44 + bytes;
}

static void mkdirs(const char *path)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0750);
			*s = '/';
		}
	mkdir(p, 0750);
}

static void write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* Writes a file of the spool's starting state. */
static void spool_file(const char *rel, const char *data, size_t len)
{
	char path[PATH_MAX], *slash;

	snprintf(path, sizeof(path), "%s/%s", st.spool, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdirs(path);
	*slash = '/';
	write_file(path, data, len);
}

/* Keeps what the spool holds at the end of the set-up, to put back. */
static int keep_h(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	struct sfile *f = &st.files[st.nfiles++];

	(void)ftw;
	if (st.nfiles > (int)(sizeof(st.files) / sizeof(st.files[0])))
		abort();
	f->path = strdup(path);
	if (!f->path)
		abort();
	if (flag == FTW_F) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		f->len = (size_t)sb->st_size;
		f->data = malloc(f->len ? f->len : 1);
		if (fd < 0 || !f->data ||
		    read(fd, f->data, f->len) != (ssize_t)f->len)
			abort();
		close(fd);
	}
	return 0;
}

/* ---- one request ---- */

static void percent_decode(char *s, int plus)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '%' && s[1] && s[2] &&
		    strchr("0123456789abcdefABCDEF", s[1]) &&
		    strchr("0123456789abcdefABCDEF", s[2])) {
			char hex[3] = {s[1], s[2], 0};
			*w++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else {
			*w++ = plus && *s == '+' ? ' ' : *s;
		}
	}
	*w = '\0';
}

/* Splits "a=1&b=2" into c's arguments, decoded as libmicrohttpd does. */
static void parse_args(struct conn *c, char *q)
{
	for (char *save, *p = strtok_r(q, "&", &save); p && c->nargs < MAX_ARGS;
	     p = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(p, '=');
		struct kv *a = &c->args[c->nargs++];

		if (eq)
			*eq++ = '\0';
		a->key = strdup(p);
		a->value = strdup(eq ? eq : "");
		if (!a->key || !a->value)
			abort();
		percent_decode(a->key, 1);
		percent_decode(a->value, 1);
	}
}

/* memmem, not strstr: a NUL early in the input must not hide a mark
 * that a later request sent (a false "leak" found by a long run). */
static int input_has(const char *s)
{
	return memmem(st.input, st.input_len, s, strlen(s)) != NULL;
}

/* Whether the file `path` may be served to r's user. */
static int may_serve(const struct web_req *r, const char *path)
{
	char own[PATH_MAX];

	if (!strncmp(path, st.web_dir, strlen(st.web_dir)) &&
	    path[strlen(st.web_dir)] == '/')
		return 1;
	if (strncmp(r->url, "/api/", 5) || !r->authed)
		return 0;
	if (r->who.role == DB_WEB_SUPERADMIN)
		return !strncmp(path, st.spool, strlen(st.spool)) &&
		       path[strlen(st.spool)] == '/';
	if (r->who.role == DB_WEB_USER) {
		snprintf(own, sizeof(own), "%s/tenants/%s/vm/%s/", st.spool,
			 r->who.domain, r->who.ext);
		return !strncmp(path, own, strlen(own));
	}
	snprintf(own, sizeof(own), "%s/tenants/%s/", st.spool, r->who.domain);
	if (!strncmp(path, own, strlen(own)))
		return 1;
	snprintf(own, sizeof(own), "%s/rooms/%s/", st.spool, r->who.domain);
	return !strncmp(path, own, strlen(own));
}

static void check(struct web_req *r, int err, char role, const char *what)
{
	const char *type =
	    r->resp ? MHD_get_response_header(r->resp, "Content-Type") : NULL;
	int ok2xx = r->status >= 200 && r->status < 300;

	FUZZ_CHECK(!err && r->resp,
		   "%s: the handler failed (%d): the server answers 500 "
		   "internal error",
		   what, err);
	FUZZ_CHECK(r->status >= 200 && r->status <= 599, "%s: status %u", what,
		   r->status);
	FUZZ_CHECK(r->status != 500 || getenv("FUZZ_REST_ALLOW_500"),
		   "%s: 500 for a request (bad input must get a 4xx): %s", what,
		   out.body ? out.body : "");
	if (type && !strcmp(type, "application/json") && !out.fd_path[0]) {
		json_error_t e;
		json_t *j = json_loadb(out.body, out.len, 0, &e);

		FUZZ_CHECK(j, "%s: the JSON answer does not parse (%s): %s",
			   what, e.text, out.body);
		json_decref(j);
	}
	if (out.fd_path[0])
		FUZZ_CHECK(may_serve(r, out.fd_path),
			   "%s: served %s to %s '%s'", what, out.fd_path,
			   r->authed ? db_web_role_name(r->who.role) : "nobody",
			   r->who.username);
	/* Who may see what. */
	if (ok2xx && !strncmp(r->url, "/api/", 5))
		FUZZ_CHECK(r->authed, "%s: %u without credentials", what,
			   r->status);
	if (ok2xx && role == 'c' && strcmp(r->method, "GET") &&
	    strcmp(r->method, "HEAD"))
		FUZZ_CHECK(!r->by_cookie,
			   "%s: a change by cookie without the CSRF token "
			   "got %u",
			   what, r->status);
	if (ok2xx && r->authed && r->who.role != DB_WEB_SUPERADMIN &&
	    r->tenant.id)
		FUZZ_CHECK(r->tenant.id == r->who.tenant_id,
			   "%s: %s of tenant %lld got %u for tenant %lld", what,
			   r->who.username, (long long)r->who.tenant_id,
			   r->status, (long long)r->tenant.id);
	if (!ok2xx || !out.body || out.fd_path[0])
		return;
	FUZZ_CHECK(!strstr(out.body, TRUNK_PW) || input_has(TRUNK_PW),
		   "%s: a trunk's password in the answer: %s", what, out.body);
	if (r->who.role != DB_WEB_SUPERADMIN)
		FUZZ_CHECK(!strstr(out.body, SHARED_ACCOUNT) ||
			       input_has(SHARED_ACCOUNT),
			   "%s: a shared trunk's account shown to %s: %s", what,
			   r->who.username, out.body);
	FUZZ_CHECK(!strstr(out.body, HASH_MARK) || input_has(HASH_MARK),
		   "%s: a password or PIN hash in the answer: %s", what,
		   out.body);
	if (role == 'O')
		FUZZ_CHECK((!strstr(out.body, "acme.test") &&
			    !strstr(out.body, ACME_MARK)) ||
			       input_has("acme") || input_has(ACME_MARK),
			   "%s: the admin of other.test sees acme.test's data: "
			   "%s",
			   what, out.body);
	if (role == 'U')
		FUZZ_CHECK(!strstr(out.body, COLLEAGUE) || input_has(COLLEAGUE),
			   "%s: user 1001 sees extension 1002's data: %s", what,
			   out.body);
}

/* Runs "METHOD URL\nBODY" (len bytes, not NUL-terminated) as `role`. */
static void request(const char *text, size_t len, char role, int checked)
{
	struct web_req *r = calloc(1, sizeof(*r));
	char *line, *nl, *sp, *url, *q, bearer[80];
	size_t llen;
	struct conn c;
	int err;

	if (!r)
		abort();
	nl = memchr(text, '\n', len);
	llen = nl ? (size_t)(nl - text) : len;
	line = strndup(text, llen);
	if (!line)
		abort();
	sp = strchr(line, ' ');
	if (sp) {
		*sp = '\0';
		url = sp + 1;
	} else {
		url = line;
	}
	memset(&c, 0, sizeof(c));
	q = strchr(url, '?');
	if (q) {
		*q++ = '\0';
		parse_args(&c, q);
	}
	percent_decode(url, 0);
	if (strstr(url, "/log"))
		st.sess_dirty = 1;
	switch (role) {
	case 'S':
	case 'A':
	case 'U':
	case 'O':
		snprintf(bearer, sizeof(bearer), "Bearer %s",
			 tokens[strchr("SAUO", role) - "SAUO"]);
		c.auth = bearer;
		break;
	case 'X':
		c.auth = "Bearer 0000000000000000000000000000000000000000000000"
			 "000000000000000000";
		break;
	case 'C':
		c.csrf = st.csrf;
		/* fall through */
	case 'c':
		c.cookie = st.cookie;
		break;
	default:
		break;
	}
	r->w = &st.w;
	r->conn = (struct MHD_Connection *)&c;
	r->method = sp ? line : "GET";
	r->url = url;
	snprintf(r->source, sizeof(r->source), "192.0.2.9");
	r->db = st.dbh;
	r->max_body = web_body_limit(r->method, r->url);
	r->len = nl ? len - llen - 1 : 0;
	if (r->len > r->max_body) {
		r->too_big = true;
		r->len = 0;
	}
	r->body = malloc(r->len + 1);
	if (!r->body)
		abort();
	if (r->len)
		memcpy(r->body, nl + 1, r->len);
	r->body[r->len] = '\0';
	r->cap = r->len + 1;

	free(out.body);
	out.body = NULL;
	out.len = 0;
	out.fd_path[0] = '\0';
	err = web_dispatch(r);
	if (checked) {
		char what[160];

		snprintf(what, sizeof(what), "%c %.10s %.120s", role, r->method,
			 r->url);
		/* For writing seeds: what each request got. */
		if (getenv("FUZZ_REST_TRACE"))
			fprintf(stderr, "%s -> %u %.200s%s\n", what, r->status,
				out.fd_path[0] ? out.fd_path
				: out.body     ? out.body
					       : "",
				err ? " (handler failed)" : "");
		check(r, err, role, what);
	}
	if (r->resp)
		MHD_destroy_response(r->resp);
	free(r->body);
	free(r);
	for (int i = 0; i < c.nargs; i++) {
		free(c.args[i].key);
		free(c.args[i].value);
	}
	free(line);
}

/* A request of the set-up, which must succeed. */
static void setup_req(const char *text)
{
	request(text, strlen(text), 'S', 0);
}

/* ---- set-up, once ---- */

static void add_user(const char *name, enum db_web_role role,
		     const char *domain, const char *ext, const char *token)
{
	struct db_web_user u;
	struct db_tenant t;
	struct db_ext e;
	unsigned char h[crypto_hash_sha256_BYTES];
	char sha[DB_WEB_SHA_LEN];
	int64_t id;

	memset(&u, 0, sizeof(u));
	snprintf(u.username, sizeof(u.username), "%s", name);
	u.role = role;
	if (domain) {
		if (db_tenant_by_domain(st.dbh, domain, &t))
			abort();
		u.tenant_id = t.id;
	}
	if (ext) {
		if (db_ext_get(st.dbh, u.tenant_id, ext, &e))
			abort();
		u.ext_id = e.id;
	}
	if (web_pass_hash("password-of-a-user", u.pass_hash) ||
	    db_web_user_add(st.dbh, &u, &id))
		abort();
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(sha, sizeof(sha), h, sizeof(h));
	if (db_web_token_add(st.dbh, id, "fuzz", sha, NULL))
		abort();
}

static void voicemail(const char *domain, const char *ext, const char *wav,
		      size_t len)
{
	struct db_tenant t;
	char path[PATH_MAX];

	if (db_tenant_by_domain(st.dbh, domain, &t) ||
	    vm_deposit_path(st.dbh, st.spool, t.id, ext, path, sizeof(path)))
		abort();
	spool_file(path + strlen(st.spool) + 1, wav, len);
	if (vm_deposit_commit(st.dbh, st.spool, t.id, ext, path, "1002", "Bob",
			      NULL))
		abort();
}

static void recordings(const char *wav, size_t len)
{
	struct db_tenant t;
	struct db_room_rec rec;
	struct db_cdr c;

	if (db_tenant_by_domain(st.dbh, "acme.test", &t))
		abort();
	memset(&c, 0, sizeof(c));
	c.tenant_id = t.id;
	snprintf(c.call_id, sizeof(c.call_id), "call-1@fuzz");
	snprintf(c.caller, sizeof(c.caller), "1001");
	snprintf(c.callee, sizeof(c.callee), "1002");
	c.start_us = 1700000000000000LL;
	c.answer_us = c.start_us + 1000000;
	c.end_us = c.start_us + 9000000;
	c.duration = 8;
	snprintf(c.disposition, sizeof(c.disposition), "ANSWERED");
	c.sip_status = 200;
	c.lost[0] = c.lost[1] = -1;
	c.rtt_ms[0] = c.rtt_ms[1] = -1;
	snprintf(c.recording, sizeof(c.recording),
		 "tenants/acme.test/recordings/2023-11-14/221320-call-1.wav");
	spool_file(c.recording, wav, len);
	if (db_cdr_insert(st.dbh, &c))
		abort();
	memset(&rec, 0, sizeof(rec));
	rec.tenant_id = t.id;
	snprintf(rec.room, sizeof(rec.room), "800");
	snprintf(rec.path, sizeof(rec.path), "rooms/acme.test/800-1.wav");
	rec.started = 1700000000;
	rec.duration_s = 60;
	spool_file(rec.path, wav, len);
	if (db_room_rec_add(st.dbh, &rec, NULL))
		abort();
}

static int rm_h(const char *path, const struct stat *sb, int flag,
		struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* The temporary folder goes with the process (not after a crash: then it
 * is evidence, and fuzz/run.sh removes its own FUZZ_TMPDIR). */
static void cleanup(void)
{
	nftw(st.dir, rm_h, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	static const char *const reqs[] = {
	    "POST "
	    "/api/v1/tenants\n{\"name\":\"Acme\",\"domain\":\"acme.test\"}",
	    "POST "
	    "/api/v1/tenants\n{\"name\":\"Other\",\"domain\":\"other.test\"}",
	    "POST /api/v1/tenants/acme.test/extensions\n{\"number\":\"1001\","
	    "\"password\":\"sip-password-1\",\"name\":\"Alice\"}",
	    "POST /api/v1/tenants/acme.test/extensions\n{\"number\":\"1002\","
	    "\"password\":\"sip-password-2\",\"name\":\"" COLLEAGUE " Bob\"}",
	    "POST /api/v1/tenants/other.test/extensions\n{\"number\":\"2001\","
	    "\"password\":\"sip-password-3\",\"name\":\"Carol\"}",
	    "POST /api/v1/tenants/acme.test/routes\n{\"pattern\":\"*43\","
	    "\"app\":\"echo\"}",
	    "POST /api/v1/tenants/acme.test/routes\n{\"pattern\":\"_9X.\","
	    "\"app\":\"dial\",\"args\":\"${1}\",\"priority\":10}",
	    "POST /api/v1/tenants/acme.test/ivr\n{\"name\":\"main\","
	    "\"greeting\":\"welcome\"}",
	    "PUT /api/v1/tenants/acme.test/ivr/main/options/1\n"
	    "{\"action\":\"extension\",\"arg\":\"1002\"}",
	    "POST /api/v1/tenants/acme.test/timeconds\n{\"name\":\"office\","
	    "\"open_type\":\"extension\",\"open_dest\":\"1001\","
	    "\"closed_type\":\"voicemail\",\"closed_dest\":\"1001\"}",
	    "POST /api/v1/tenants/acme.test/timeconds/office/rules\n"
	    "{\"rule\":\"mon-fri 08:00-17:30\"}",
	    "POST /api/v1/tenants/acme.test/timeconds/office/holidays\n"
	    "{\"date\":\"12-25\",\"name\":\"Christmas\"}",
	    "POST /api/v1/tenants/acme.test/trunks\n{\"name\":\"carrier\","
	    "\"host\":\"sip.example.net\",\"auth\":\"register\","
	    "\"username\":\"4930555000\",\"password\":\"" TRUNK_PW "\"}",
	    "POST /api/v1/trunks\n{\"name\":\"pool\",\"host\":\"sip.example.org\","
	    "\"auth\":\"register\",\"username\":\"" SHARED_ACCOUNT "\","
	    "\"password\":\"" TRUNK_PW "\"}",
	    "POST /api/v1/tenants/acme.test/dids\n{\"number\":\"+4930555000\","
	    "\"dest_type\":\"extension\",\"dest\":\"1001\"}",
	    "POST /api/v1/tenants/acme.test/rooms\n{\"number\":\"800\","
	    "\"name\":\"Weekly\",\"pin\":\"2468\",\"mod_pin\":\"1357\"}",
	    "PATCH /api/v1/tenants/acme.test/extensions/1001/mailbox\n"
	    "{\"pin\":\"8264\",\"email\":\"alice@acme.test\"}",
	};
	const char *tmp = getenv("FUZZ_TMPDIR");
	struct db_web_user root;
	struct stat sb;
	char *wav, path[PATH_MAX + 32];
	size_t wlen;
	int64_t id;

	log_set_level(LOGL_ERROR);
	if (sodium_init() < 0)
		abort();
	if (!tmp)
		tmp = stat("/dev/shm", &sb) == 0 ? "/dev/shm" : "/tmp";
	snprintf(st.dir, sizeof(st.dir), "%s/ondo-fuzz-rest-XXXXXX", tmp);
	if (!mkdtemp(st.dir))
		abort();
	atexit(cleanup);
	snprintf(st.pristine, sizeof(st.pristine), "%s/pristine.db", st.dir);
	snprintf(st.db, sizeof(st.db), "%s/ondo.db", st.dir);
	snprintf(st.spool, sizeof(st.spool), "%s/spool", st.dir);
	snprintf(st.web_dir, sizeof(st.web_dir), "%s/web", st.dir);
	mkdirs(st.spool);
	mkdirs(st.web_dir);
	snprintf(path, sizeof(path), "%s/index.html", st.web_dir);
	write_file(path, "<!doctype html>\n", 16);
	snprintf(path, sizeof(path), "%s/secret.txt", st.dir);
	write_file(path, "not for the web\n", 16);

	conf_init(&st.conf);
	snprintf(st.conf.db_path, sizeof(st.conf.db_path), "%s", st.db);
	snprintf(st.conf.spool_dir, sizeof(st.conf.spool_dir), "%s", st.spool);
	snprintf(st.conf.web_dir, sizeof(st.conf.web_dir), "%s", st.web_dir);
	st.w.conf = &st.conf;

	if (db_open(&st.dbh, st.pristine) || web_sessions_alloc(&st.w.sess))
		abort();
	memset(&root, 0, sizeof(root));
	snprintf(root.username, sizeof(root.username), "root");
	root.role = DB_WEB_SUPERADMIN;
	if (web_pass_hash("password-of-root", root.pass_hash) ||
	    db_web_user_add(st.dbh, &root, &id))
		abort();
	{
		unsigned char h[crypto_hash_sha256_BYTES];
		char sha[DB_WEB_SHA_LEN];

		crypto_hash_sha256(h, (const unsigned char *)tokens[0],
				   strlen(tokens[0]));
		sodium_bin2hex(sha, sizeof(sha), h, sizeof(h));
		if (db_web_token_add(st.dbh, id, "fuzz", sha, NULL))
			abort();
	}
	st.input = "";
	st.input_len = 0;
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		setup_req(reqs[i]);
		if (!out.body || strstr(out.body, "\"error\"")) {
			fprintf(stderr,
				"fuzz_rest: set-up request failed: %s\n"
				"-> %s\n",
				reqs[i], out.body ? out.body : "(nothing)");
			abort();
		}
	}
	add_user("acme-admin", DB_WEB_ADMIN, "acme.test", NULL, tokens[1]);
	add_user("alice", DB_WEB_USER, "acme.test", "1001", tokens[2]);
	add_user("other-admin", DB_WEB_ADMIN, "other.test", NULL, tokens[3]);
	wlen = make_wav(&wav);
	voicemail("acme.test", "1001", wav, wlen);
	voicemail("acme.test", "1001", wav, wlen);
	voicemail("acme.test", "1002", wav, wlen);
	voicemail("other.test", "2001", wav, wlen);
	recordings(wav, wlen);
	free(wav);
	nftw(st.spool, keep_h, 16, FTW_PHYS);
	db_close(st.dbh);
	st.dbh = NULL;
	web_sessions_free(st.w.sess);
	st.w.sess = NULL;
}

/* ---- back to the starting state ---- */

static int is_start(const char *path)
{
	for (int i = 0; i < st.nfiles; i++)
		if (!strcmp(st.files[i].path, path))
			return 1;
	return 0;
}

static int prune_h(const char *path, const struct stat *sb, int flag,
		   struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (is_start(path))
		return 0;
	if (flag == FTW_DP)
		rmdir(path); /* not empty: a file of the start is in it */
	else
		unlink(path);
	return 0;
}

static void restore(void)
{
	char side[PATH_MAX + 32];
	struct stat sb;

	nftw(st.spool, prune_h, 16, FTW_DEPTH | FTW_PHYS);
	/* Folders come before what is in them (nftw's order). */
	for (int i = 0; i < st.nfiles; i++) {
		struct sfile *f = &st.files[i];

		if (!f->data)
			mkdir(f->path, 0750);
		else if (stat(f->path, &sb) || (size_t)sb.st_size != f->len)
			write_file(f->path, f->data, f->len);
	}
	snprintf(side, sizeof(side), "%s-wal", st.db);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", st.db);
	unlink(side);
}

static void copy_db(void)
{
	static char *data;
	static size_t len;

	if (!data) {
		FILE *f = fopen(st.pristine, "rb");
		struct stat sb;

		if (!f || fstat(fileno(f), &sb))
			abort();
		len = (size_t)sb.st_size;
		data = malloc(len);
		if (!data || fread(data, 1, len, f) != len)
			abort();
		fclose(f);
	}
	write_file(st.db, data, len);
}

/* Logs acme-admin in for the cookie requests of this input. */
static void login(void)
{
	static const char req[] =
	    "POST /api/v1/login\n{\"username\":\"acme-admin\","
	    "\"password\":\"password-of-a-user\"}";
	json_t *j;
	const char *cookie;
	struct web_req *r;

	st.cookie[0] = st.csrf[0] = '\0';
	/* request() drops the response; this one needs its cookie. */
	r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	{
		struct conn c;

		memset(&c, 0, sizeof(c));
		r->w = &st.w;
		r->conn = (struct MHD_Connection *)&c;
		r->method = "POST";
		r->url = "/api/v1/login";
		r->db = st.dbh;
		snprintf(r->source, sizeof(r->source), "192.0.2.10");
		r->body = strdup(strchr(req, '\n') + 1);
		if (!r->body)
			abort();
		r->len = strlen(r->body);
		r->max_body = WEB_BODY_MAX;
		if (web_dispatch(r) || !r->resp || r->status != 200)
			abort();
	}
	cookie = MHD_get_response_header(r->resp, MHD_HTTP_HEADER_SET_COOKIE);
	if (!cookie ||
	    sscanf(cookie, "ondo_session=%64[0-9a-f]", st.cookie) != 1)
		abort();
	j = json_loads(out.body, 0, NULL);
	if (!j || !json_is_string(json_object_get(j, "csrf")))
		abort();
	snprintf(st.csrf, sizeof(st.csrf), "%s",
		 json_string_value(json_object_get(j, "csrf")));
	json_decref(j);
	MHD_destroy_response(r->resp);
	free(r->body);
	free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const char *p, *end, *next;
	char *input;
	int n = 0;

	if (!ready) {
		setup();
		ready = 1;
	}
	input = malloc(size + 1);
	if (!input)
		abort();
	memcpy(input, data, size);
	input[size] = '\0';
	st.input = input;
	st.input_len = size;
	copy_db();
	if (db_open(&st.dbh, st.db) ||
	    (!st.w.sess && web_sessions_alloc(&st.w.sess)))
		abort();
	if (memmem(input, size, "\nC", 2) || memmem(input, size, "\nc", 2) ||
	    (size && (input[0] == 'C' || input[0] == 'c'))) {
		login();
		st.sess_dirty = 1;
	}
	p = input;
	end = input + size;
	while (p < end && n < MAX_REQ) {
		char role = 'S';

		next = memmem(p, (size_t)(end - p), SEP, strlen(SEP));
		if (!next)
			next = end;
		if (next > p && *p && strchr("SAUOCcNX", *p)) {
			role = *p;
			p++;
		}
		request(p, (size_t)(next - p), role, 1);
		n++;
		p = next == end ? end : next + strlen(SEP);
	}
	db_close(st.dbh);
	st.dbh = NULL;
	/* Sessions and the log-in throttle start over when this input may
	 * have changed them (a fresh store costs more than the request). */
	if (st.sess_dirty) {
		web_sessions_free(st.w.sess);
		st.w.sess = NULL;
		st.sess_dirty = 0;
	}
	restore();
	free(out.body);
	out.body = NULL;
	free(input);
	return 0;
}
