/* web_auth.c - log-in, sessions, API tokens and the log-in throttle.
 *
 * Sessions live in memory (a restart logs everyone out): a random 256-bit
 * id in an HttpOnly, SameSite=Strict cookie, and a second random token the
 * page sends back in X-CSRF-Token with every change. Scripts use
 * "Authorization: Bearer TOKEN"; only the token's SHA-256 is stored.
 *
 * Failed log-ins are counted per source address and per username: after
 * THROTTLE_FAILS in THROTTLE_WINDOW seconds that key is refused (429 with
 * Retry-After) for THROTTLE_BASE seconds, doubling with each further
 * lock-out up to THROTTLE_MAX. A success clears the username's count. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "core/log.h"
#include "web/web_priv.h"

#define SESS_MAX	 4096
#define SESS_IDLE	 (30 * 60)	/* seconds without a request */
#define SESS_LIFE	 (12 * 3600)	/* at most, from log-in */
#define THROTTLE_KEYS	 1024
#define THROTTLE_FAILS	 5
#define THROTTLE_WINDOW	 300
#define THROTTLE_BASE	 60
#define THROTTLE_MAX	 (15 * 60)
#define COOKIE		 "ondo_session"

struct session {
	char id[65], csrf[65];
	int64_t user_id;
	time_t born, last;
};

struct throttle {
	char key[80]; /* "ip:ADDR" or "user:NAME" */
	int fails;
	time_t first, until;
	int lockouts;
};

struct web_sessions {
	pthread_mutex_t lock; /* guards everything below */
	struct session s[SESS_MAX];
	struct throttle t[THROTTLE_KEYS];
};

int web_sessions_alloc(struct web_sessions **sp)
{
	struct web_sessions *s = calloc(1, sizeof(*s)); /* web_sessions_free */

	if (!s)
		return -ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	*sp = s;
	return 0;
}

void web_sessions_free(struct web_sessions *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	sodium_memzero(s, sizeof(*s));
	free(s);
}

static void random_hex(char out[65])
{
	unsigned char b[32];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, 65, b, sizeof(b));
}

static void sha256_hex(const char *s, char out[DB_WEB_SHA_LEN])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, DB_WEB_SHA_LEN, h, sizeof(h));
}

static bool live(const struct session *x, time_t now)
{
	return x->id[0] && now - x->last < SESS_IDLE &&
	       now - x->born < SESS_LIFE;
}

/* With the lock held: the live session `id`, or NULL. */
static struct session *find(struct web_sessions *s, const char *id,
			    time_t now)
{
	if (!id || strlen(id) != 64)
		return NULL;
	for (int i = 0; i < SESS_MAX; i++)
		if (live(&s->s[i], now) &&
		    sodium_memcmp(s->s[i].id, id, 64) == 0)
			return &s->s[i];
	return NULL;
}

static int bearer(struct web_req *r, const char *auth)
{
	char sha[DB_WEB_SHA_LEN];

	if (strncmp(auth, "Bearer ", 7) || strlen(auth + 7) != 64)
		return 0;
	sha256_hex(auth + 7, sha);
	if (db_web_token_user(r->db, sha, &r->who) == 0)
		r->authed = true;
	return 0;
}

int web_authenticate(struct web_req *r)
{
	const char *auth = MHD_lookup_connection_value(
	    r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *id = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
						     COOKIE);
	struct web_sessions *s = r->w->sess;
	struct session *x;
	int64_t uid = 0;
	time_t now = time(NULL);

	if (auth)
		return bearer(r, auth);
	pthread_mutex_lock(&s->lock);
	x = find(s, id, now);
	if (x) {
		x->last = now;
		uid = x->user_id;
		memcpy(r->csrf, x->csrf, sizeof(r->csrf));
	}
	pthread_mutex_unlock(&s->lock);
	if (uid && db_web_user_by_id(r->db, uid, &r->who) == 0)
		r->authed = r->by_cookie = true;
	return 0;
}

bool web_csrf_ok(struct web_req *r)
{
	const char *t;

	if (!r->by_cookie)
		return true; /* a Bearer token is not sent by browsers unasked */
	t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
					"X-CSRF-Token");
	return t && strlen(t) == 64 && sodium_memcmp(t, r->csrf, 64) == 0;
}

/* ---- throttle ---- */

/* With the lock held: the entry of `key`, made if needed (the oldest
 * unlocked one is reused when the table is full). */
static struct throttle *slot(struct web_sessions *s, const char *key)
{
	struct throttle *free_t = NULL;

	for (int i = 0; i < THROTTLE_KEYS; i++) {
		struct throttle *t = &s->t[i];
		if (!strcmp(t->key, key))
			return t;
		if (!free_t || (!t->key[0] && free_t->key[0]) ||
		    (free_t->key[0] && t->key[0] && t->until < free_t->until &&
		     t->first < free_t->first))
			free_t = t;
	}
	memset(free_t, 0, sizeof(*free_t));
	snprintf(free_t->key, sizeof(free_t->key), "%s", key);
	return free_t;
}

/* Seconds the key stays locked, 0 if it is not. */
static long locked(struct web_sessions *s, const char *key, time_t now)
{
	struct throttle *t = slot(s, key);

	return t->until > now ? (long)(t->until - now) : 0;
}

static void failed(struct web_sessions *s, const char *key, time_t now)
{
	struct throttle *t = slot(s, key);
	long lock;

	if (now - t->first > THROTTLE_WINDOW) {
		t->first = now;
		t->fails = 0;
	}
	if (++t->fails < THROTTLE_FAILS)
		return;
	lock = THROTTLE_BASE << (t->lockouts < 4 ? t->lockouts : 4);
	t->until = now + (lock < THROTTLE_MAX ? lock : THROTTLE_MAX);
	t->lockouts++;
	t->fails = 0;
	t->first = now;
}

static void keys_of(struct web_req *r, const char *user, char ip[80],
		    char name[80])
{
	snprintf(ip, 80, "ip:%s", r->source);
	snprintf(name, 80, "user:%.63s", user);
	for (char *p = name + 5; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A'; /* names are case-insensitive */
}

/* ---- log-in and out ---- */

static char dummy_hash[DB_WEB_HASH_LEN];

static void make_dummy(void)
{
	web_pass_hash("no such user, no such password", dummy_hash);
}

/* Checks the password even for an unknown name, against a hash made
 * once, so that both take the same time. */
static bool check_password(struct web_req *r, const char *user,
			   const char *pw)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	if (db_web_user_by_name(r->db, user, &r->who) == 0) {
		if (web_pass_ok(r->who.pass_hash, pw))
			return true;
		memset(&r->who, 0, sizeof(r->who));
		return false;
	}
	pthread_once(&once, make_dummy);
	web_pass_ok(dummy_hash, pw);
	memset(&r->who, 0, sizeof(r->who));
	return false;
}

static int start_session(struct web_req *r, char id[65], char csrf[65])
{
	struct web_sessions *s = r->w->sess;
	time_t now = time(NULL);
	int slot_i = -1;

	random_hex(id);
	random_hex(csrf);
	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < SESS_MAX && slot_i < 0; i++)
		if (!live(&s->s[i], now))
			slot_i = i;
	if (slot_i >= 0) {
		struct session *x = &s->s[slot_i];
		memcpy(x->id, id, 65);
		memcpy(x->csrf, csrf, 65);
		x->user_id = r->who.id;
		x->born = x->last = now;
	}
	pthread_mutex_unlock(&s->lock);
	return slot_i < 0 ? -EAGAIN : 0;
}

static json_t *user_json(const struct db_web_user *u)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id,
			 "username", u->username, "role",
			 db_web_role_name(u->role), "tenant", u->domain,
			 "extension", u->ext);
}

static int login_ok(struct web_req *r)
{
	char id[65], csrf[65], cookie[200];
	json_t *j;

	if (start_session(r, id, csrf))
		return web_error(r, 503, NULL, "too many sessions");
	j = json_pack("{s:o, s:s}", "user", user_json(&r->who), "csrf", csrf);
	web_json(r, 200, j);
	snprintf(cookie, sizeof(cookie),
		 COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
		 id, SESS_LIFE, r->w->cert ? "; Secure" : "");
	MHD_add_response_header(r->resp, MHD_HTTP_HEADER_SET_COOKIE, cookie);
	sodium_memzero(id, sizeof(id));
	r->authed = true;
	web_audit(r, "login", r->who.username, "");
	return 0;
}

int web_login(struct web_req *r)
{
	struct web_sessions *s = r->w->sess;
	char kip[80], kuser[80];
	const char *user, *pw;
	time_t now = time(NULL);
	long wait;
	bool ok;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	if (!(user = web_want_string(r, b, "username")) ||
	    !(pw = web_want_string(r, b, "password"))) {
		json_decref(b);
		return 0;
	}
	keys_of(r, user, kip, kuser);
	pthread_mutex_lock(&s->lock);
	wait = locked(s, kip, now);
	if (!wait)
		wait = locked(s, kuser, now);
	pthread_mutex_unlock(&s->lock);
	if (wait) {
		char ra[24];
		json_decref(b);
		web_error(r, 429, NULL, "too many failed log-ins; try again in "
				       "%ld s", wait);
		snprintf(ra, sizeof(ra), "%ld", wait);
		MHD_add_response_header(r->resp, "Retry-After", ra);
		return 0;
	}
	ok = check_password(r, user, pw);
	pthread_mutex_lock(&s->lock);
	if (ok) {
		slot(s, kuser)->fails = 0;
	} else {
		failed(s, kip, now);
		failed(s, kuser, now);
	}
	pthread_mutex_unlock(&s->lock);
	if (!ok)
		LOGW("web", "failed log-in as '%.63s' from %s", user, r->source);
	json_decref(b); /* user and pw point into it */
	if (!ok)
		return web_error(r, 401, NULL, "wrong username or password");
	return login_ok(r);
}

int web_logout(struct web_req *r)
{
	const char *id = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
						     COOKIE);
	struct web_sessions *s = r->w->sess;
	struct session *x;

	pthread_mutex_lock(&s->lock);
	x = find(s, id, time(NULL));
	if (x)
		memset(x, 0, sizeof(*x));
	pthread_mutex_unlock(&s->lock);
	web_no_content(r);
	MHD_add_response_header(r->resp, MHD_HTTP_HEADER_SET_COOKIE,
				COOKIE "=; Path=/; HttpOnly; SameSite=Strict; "
				       "Max-Age=0");
	return 0;
}

int web_me(struct web_req *r)
{
	json_t *j = json_pack("{s:o}", "user", user_json(&r->who));

	if (j && r->by_cookie)
		json_object_set_new(j, "csrf", json_string(r->csrf));
	return web_json(r, 200, j);
}

/* POST /api/v1/tokens {"name": "..."}: a token for the caller's own
 * scripts, shown this once. */
int web_token_create(struct web_req *r)
{
	char tok[65], sha[DB_WEB_SHA_LEN];
	const char *name;
	int64_t id;
	int err;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	name = web_want_string(r, b, "name");
	if (!name) {
		json_decref(b);
		return 0;
	}
	random_hex(tok);
	sha256_hex(tok, sha);
	err = db_web_token_add(r->db, r->who.id, name, sha, &id);
	snprintf(r->audit_object, sizeof(r->audit_object), "token %.60s", name);
	json_decref(b);
	if (err)
		return err == -EINVAL ? web_error(r, 422, "name",
						  "name: 1 to 63 characters")
				      : web_errno(r, err, "token");
	err = web_json(r, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id,
					 "token", tok));
	sodium_memzero(tok, sizeof(tok));
	return err;
}
