/* http.c - the libmicrohttpd server: a pool of threads, each with its own
 * database connection, a request collected whole (JSON bodies up to
 * WEB_BODY_MAX, sound files up to their route's limit) and then handed
 * to the route table (web_route.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/conf.h"
#include "core/log.h"
#include "web/web_priv.h"

#define POOL_THREADS 4
#define CONN_LIMIT 256
#define CONN_TIMEOUT_S 30

static void db_key_free(void *db)
{
	db_close(db);
}

/* This thread's connection, opened on first use and closed when the
 * thread ends (with the daemon). */
static struct db *thread_db(struct web *w)
{
	struct db *db = pthread_getspecific(w->db_key);

	if (!db && db_open(&db, w->conf->db_path) == 0)
		pthread_setspecific(w->db_key, db);
	return db;
}

static void source_of(struct MHD_Connection *conn, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
	    conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(buf, len, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  buf, (socklen_t)len);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
			  (socklen_t)len);
}

static void collect(struct web_req *r, const char *data, size_t n)
{
	if (r->too_big || r->len + n > r->max_body) {
		r->too_big = true; /* read and dropped: answered 413 */
		return;
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		while (cap < r->len + n + 1)
			cap *= 2;
		char *b = realloc(r->body, cap);
		if (!b) {
			r->too_big = true;
			return;
		}
		r->body = b;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
}

static enum MHD_Result finish(struct web_req *r)
{
	enum MHD_Result ret;

	r->db = thread_db(r->w);
	if (!r->db)
		web_error(r, 503, NULL, "the database cannot be opened");
	else if (web_dispatch(r) || !r->resp)
		web_error(r, 500, NULL, "internal error");
	if (!r->resp)
		return MHD_NO;
	ret = MHD_queue_response(r->conn, r->status, r->resp);
	MHD_destroy_response(r->resp);
	r->resp = NULL;
	return ret;
}

static enum MHD_Result access_h(void *cls, struct MHD_Connection *conn,
				const char *url, const char *method,
				const char *version, const char *data,
				size_t *size, void **ctx)
{
	struct web_req *r = *ctx;

	(void)version;
	if (!r) {
		/* Freed by completed_h. */
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		r->w = cls;
		r->conn = conn;
		r->method = method;
		r->url = url;
		source_of(conn, r->source, sizeof(r->source));
		r->max_body = web_body_limit(method, url);
		*ctx = r;
		return MHD_YES;
	}
	if (*size) {
		collect(r, data, *size);
		*size = 0;
		return MHD_YES;
	}
	return finish(r);
}

static void completed_h(void *cls, struct MHD_Connection *conn, void **ctx,
			enum MHD_RequestTerminationCode toe)
{
	struct web_req *r = *ctx;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!r)
		return;
	if (r->resp)
		MHD_destroy_response(r->resp);
	free(r->body);
	free(r);
	*ctx = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	LOGW("web", "libmicrohttpd: %s", msg);
}

static int listen_addr(const char *hostport, struct sockaddr_storage *ss)
{
	char ip[64];
	int port;

	memset(ss, 0, sizeof(*ss));
	if (conf_split_hostport(hostport, ip, sizeof(ip), &port))
		return -EINVAL;
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
	} else {
		return -EINVAL;
	}
	return 0;
}

/* The whole of a PEM file, NUL-terminated (MHD wants them in memory);
 * the caller frees. */
static char *read_pem(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	buf = malloc(65536);
	if (buf) {
		len = fread(buf, 1, 65535, f);
		buf[len] = '\0';
	}
	fclose(f);
	if (buf && (!len || len == 65535)) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

static int load_tls(struct web *w)
{
	if (!w->conf->http_cert[0])
		return 0;
	w->cert = read_pem(w->conf->http_cert);
	w->key = read_pem(w->conf->http_key);
	if (w->cert && w->key)
		return 0;
	LOGE("web", "cannot read the certificate %s or the key %s",
	     w->conf->http_cert, w->conf->http_key);
	return -EINVAL;
}

static void free_tls(struct web *w)
{
	free(w->cert);
	if (w->key)
		explicit_bzero(w->key, strlen(w->key));
	free(w->key);
}

int web_start(struct web **wp, const struct conf *conf, struct sip *sip)
{
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_ERROR_LOG;
	struct web *w;
	int err;

	if ((err = listen_addr(conf->http_listen, &ss)))
		return err;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	w = calloc(1, sizeof(*w)); /* web_stop */
	if (!w)
		return -ENOMEM;
	w->conf = conf;
	w->sip = sip;
	if ((err = load_tls(w)) || (err = web_sessions_alloc(&w->sess)) ||
	    (err = -pthread_key_create(&w->db_key, db_key_free))) {
		web_sessions_free(w->sess);
		free_tls(w);
		free(w);
		return err;
	}
	if (w->cert)
		flags |= MHD_USE_TLS;
	/* The TLS options are ignored (MHD_OPTION_END-terminated pairs
	 * after them) when cert is NULL: then the list ends there. */
	w->mhd = MHD_start_daemon(
	    flags, 0, NULL, NULL, access_h, w, MHD_OPTION_EXTERNAL_LOGGER,
	    mhd_log, w, MHD_OPTION_SOCK_ADDR, &ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)POOL_THREADS,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_LIMIT,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT_S,
	    MHD_OPTION_NOTIFY_COMPLETED, completed_h, w,
	    w->cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, w->cert,
	    MHD_OPTION_HTTPS_MEM_KEY, w->key, MHD_OPTION_HTTPS_PRIORITIES,
	    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2", MHD_OPTION_END);
	if (!w->mhd) {
		LOGE("web", "cannot listen on %s%s", conf->http_listen,
		     w->cert ? " (or the certificate and key do not load)" : "");
		pthread_key_delete(w->db_key);
		web_sessions_free(w->sess);
		free_tls(w);
		free(w);
		return -EADDRINUSE;
	}
	LOGI("web", "web panel and API on %s://%s/", w->cert ? "https" : "http",
	     conf->http_listen);
	*wp = w;
	return 0;
}

void web_stop(struct web *w)
{
	if (!w)
		return;
	MHD_stop_daemon(w->mhd); /* joins the threads: their dbs close */
	pthread_key_delete(w->db_key);
	web_sessions_free(w->sess);
	free_tls(w);
	free(w);
}
