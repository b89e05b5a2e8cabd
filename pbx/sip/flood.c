/* flood.c - flood limits on the SIP thread (docs/security.md, "Flood
 * limits"): new requests a second from one source address, INVITEs a
 * minute from one extension. Past them the request gets 503 with
 * Retry-After, or 403, and one log line per flood every 10 s. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "sip/sip_priv.h"
#include "sip/rate.h"
#include "sip/ban.h"
#include "sip/sip.h"
#include "core/log.h"

#define RETRY_AFTER_S 5

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int flood_alloc(struct sip *s)
{
	const struct conf *c = s->conf;
	int err = 0;

	if (c->req_rate > 0)
		err = rates_alloc(&s->src_rates, c->req_rate,
				  2.0 * c->req_rate);
	if (!err && c->invite_rate > 0)
		err = rates_alloc(&s->inv_rates, c->invite_rate / 60.0,
				  c->invite_rate);
	return err;
}

void flood_free(struct sip *s)
{
	rates_free(s->src_rates);
	rates_free(s->inv_rates);
	s->src_rates = s->inv_rates = NULL;
}

/* The source address as text, without the port: a phone's requests come
 * from one address whatever port each uses. */
static int source_key(struct sip *s, char *key, size_t len)
{
	struct sockaddr_storage ss;
	const void *a;

	if (sip_request_source(s, &ss, NULL, 0))
		return -EINVAL;
	a = ss.ss_family == AF_INET6
		? (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr
		: (const void *)&((struct sockaddr_in *)&ss)->sin_addr;
	return inet_ntop(ss.ss_family, a, key, (socklen_t)len) ? 0 : -EINVAL;
}

int sip_security_changed(struct sip *s)
{
	struct ban_cfg bc = {s->conf->fail_max, s->conf->fail_window,
			     s->conf->ban_time};
	struct rates *src = s->src_rates, *inv = s->inv_rates;
	int err;

	s->src_rates = s->inv_rates = NULL;
	err = flood_alloc(s);
	if (err) {
		flood_free(s);
		s->src_rates = src;
		s->inv_rates = inv;
		return err;
	}
	rates_free(src);
	rates_free(inv);
	return bans_set_cfg(s->bans, &bc);
}

int flood_request(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		  int destroy)
{
	char key[64];
	int log_due;

	if (!s->src_rates || source_key(s, key, sizeof(key)) ||
	    rate_take(s->src_rates, key, mono_ms(), &log_due))
		return 0;
	if (log_due)
		LOGW("flood", "%s: more than %d requests a second; refused "
			      "with 503 (%s)",
		     key, s->conf->req_rate,
		     sip->sip_request ? sip->sip_request->rq_method_name
				      : "?");
	nua_respond(nh, 503, "Too Many Requests", NUTAG_WITH_THIS(s->nua),
		    SIPTAG_RETRY_AFTER_STR("5"), TAG_END());
	if (destroy && nua_handle_has_invite(nh) == 0)
		nua_handle_destroy(nh);
	return 1;
}

int flood_invite(struct sip *s, const char *domain, const char *ext,
		 const char *call_id)
{
	char key[320];
	int log_due;

	if (!s->inv_rates)
		return 0;
	snprintf(key, sizeof(key), "%s@%s", ext, domain);
	if (rate_take(s->inv_rates, key, mono_ms(), &log_due))
		return 0;
	if (log_due)
		LOGC(LOGL_WARN, "flood", domain, call_id,
		     "%s: more than %d calls a minute; refused with 403", ext,
		     s->conf->invite_rate);
	return 1;
}
