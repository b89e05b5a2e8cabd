/* front_api.c - the client side of the front's tenant table (front_api.h),
 * over libcurl. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "cluster/front_api.h"
#include "db.h"

#define FRONT_TIMEOUT_S 5

/* The answer's body, bounded. */
struct body {
	char *buf;
	size_t len, used;
	int overflow;
	int cut; /* keep what fits and go on (an error text) */
};

static size_t body_h(char *p, size_t size, size_t n, void *arg)
{
	struct body *b = arg;
	size_t k = size * n;

	if (!b->buf)
		return k;
	if (b->used + k >= b->len) {
		if (b->cut) {
			size_t room = b->len - 1 - b->used;

			memcpy(b->buf + b->used, p, room);
			b->used += room;
			b->buf[b->used] = '\0';
			return k;
		}
		b->overflow = 1;
		return 0; /* ends the transfer */
	}
	memcpy(b->buf + b->used, p, k);
	b->used += k;
	b->buf[b->used] = '\0';
	return k;
}

int front_api_on(const struct conf_cluster *c)
{
	return c->api[0] != '\0';
}

/* One request: verb "set", "del" (POST) or "list" (GET). */
static int call(const struct conf_cluster *c, const char *verb,
		const char *domain, struct body *b, char *err, size_t errlen)
{
	char url[1024], hdr[192], small[256];
	struct body sink = {small, sizeof(small), 0, 0, 1};
	struct curl_slist *h = NULL;
	CURL *k;
	CURLcode rc;
	long status = 0;
	char *dom = NULL;
	int res = 0;

	if (!b)
		b = &sink;
	k = curl_easy_init(); /* cleaned up below */
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (domain) {
		dom = curl_easy_escape(k, domain, 0); /* curl_free below */
		if (!dom) {
			curl_easy_cleanup(k);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		snprintf(url, sizeof(url), "%s/%s?domain=%s&node=%d", c->api,
			 verb, dom, c->node);
	} else {
		snprintf(url, sizeof(url), "%s/%s", c->api, verb);
	}
	snprintf(hdr, sizeof(hdr), "X-Ondo-Secret: %s", c->api_secret);
	h = curl_slist_append(h, hdr); /* curl_slist_free_all below */
	curl_easy_setopt(k, CURLOPT_URL, url);
	curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(k, CURLOPT_TIMEOUT, (long)FRONT_TIMEOUT_S);
	curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, body_h);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, b);
	if (domain) {
		curl_easy_setopt(k, CURLOPT_POST, 1L);
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, "");
	}
	rc = curl_easy_perform(k);
	if (rc == CURLE_OK)
		curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_WRITE_ERROR && b->overflow) {
		snprintf(err, errlen, "the front's answer is too long");
		res = -E2BIG;
	} else if (rc != CURLE_OK) {
		snprintf(err, errlen, "front %s: %s", c->api,
			 curl_easy_strerror(rc));
		res = -EHOSTUNREACH;
	} else if (status != 200) {
		/* The front's text ends in a newline; the message does not. */
		while (b->used && (b->buf[b->used - 1] == '\n' ||
				   b->buf[b->used - 1] == '\r'))
			b->buf[--b->used] = '\0';
		snprintf(err, errlen, "front %s answered %ld%s%.120s", c->api,
			 status, b->used ? ": " : "", b->used ? b->buf : "");
		res = status == 403 ? -EACCES : -EPROTO;
	}
	curl_free(dom);
	curl_slist_free_all(h);
	curl_easy_cleanup(k);
	return res;
}

int front_api_set(const struct conf_cluster *c, const char *domain,
		  char *err, size_t errlen)
{
	return call(c, "set", domain, NULL, err, errlen);
}

int front_api_del(const struct conf_cluster *c, const char *domain,
		  char *err, size_t errlen)
{
	return call(c, "del", domain, NULL, err, errlen);
}

int front_api_follow(const struct conf_cluster *c, const char *domain,
		     int here, char *err, size_t errlen)
{
	return here ? front_api_set(c, domain, err, errlen)
		    : front_api_del(c, domain, err, errlen);
}

struct sync_state {
	const struct conf_cluster *c;
	int sent, failed;
	char *err;
	size_t errlen;
	void (*on_fail)(const char *domain, const char *err);
};

static int sync_h(const struct db_tenant *t, void *arg)
{
	struct sync_state *st = arg;

	if (front_api_set(st->c, t->domain, st->err, st->errlen)) {
		st->failed++;
		if (st->on_fail)
			st->on_fail(t->domain, st->err);
	} else {
		st->sent++;
	}
	return 0;
}

int front_api_sync(const struct conf_cluster *c, struct db *db, int *sent,
		   int *failed, char *err, size_t errlen,
		   void (*on_fail)(const char *domain, const char *err))
{
	struct sync_state st = {c, 0, 0, err, errlen, on_fail};
	int rc;

	err[0] = '\0';
	rc = db_tenant_list(db, sync_h, &st);
	*sent = st.sent;
	*failed = st.failed;
	return rc;
}

int front_api_list(const struct conf_cluster *c, char *out, size_t outlen,
		   char *err, size_t errlen)
{
	struct body b = {out, outlen, 0, 0, 0};

	if (!outlen)
		return -E2BIG;
	out[0] = '\0';
	return call(c, "list", NULL, &b, err, errlen);
}
