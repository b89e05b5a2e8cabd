/* trunk_reg.c - keeping trunks alive: REGISTER with digest, retries with
 * back-off, and OPTIONS pings that tell whether the carrier answers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sofia-sip/msg_header.h>

#include "sip/trunk.h"
#include "core/log.h"

#define BACKOFF_MIN_S	 10
#define BACKOFF_MAX_S	 300
#define OPTIONS_EVERY_MS 30000
#define MAX_AUTHS	 2 /* a third challenge in a row means a bad password */

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "sip:host:port;transport=udp" */
static void carrier_uri(const struct trunk *t, char *out, size_t len)
{
	snprintf(out, len, "sip:%s:%d;transport=%s", t->cfg.host, t->cfg.port,
		 t->cfg.transport);
}

static void reg_start(struct sip *s, struct trunk *t)
{
	char aor[DB_TRUNK_USER_LEN + DB_DOMAIN_LEN + 16], registrar[320];
	char expires[16];

	snprintf(aor, sizeof(aor), "<sip:%s@%s>", t->cfg.username, t->cfg.host);
	carrier_uri(t, registrar, sizeof(registrar));
	snprintf(expires, sizeof(expires), "%d", t->cfg.expiry);
	if (!t->reg_nh)
		t->reg_nh = nua_handle(s->nua, NULL, SIPTAG_TO_STR(aor),
				       SIPTAG_FROM_STR(aor), TAG_END());
	if (!t->reg_nh) {
		t->reg = TRUNK_REG_FAILED;
		t->reg_retry_ms = mono_ms() + BACKOFF_MIN_S * 1000;
		return;
	}
	t->reg = TRUNK_REG_TRYING;
	t->reg_auths = 0;
	/* The Contact's user is the trunk's token: the carrier sends calls
	 * for this account to it. No SIP-outbound extras: carriers want a
	 * plain registration, and the PBX pings them itself. */
	nua_register(t->reg_nh, NUTAG_REGISTRAR(registrar),
		     NUTAG_M_USERNAME(t->token), SIPTAG_EXPIRES_STR(expires),
		     NUTAG_OUTBOUND("no-options-keepalive no-validate "
				    "no-natify"),
		     TAG_END());
}

void trunk_reg_stop(struct sip *s, struct trunk *t)
{
	(void)s;
	/* Destroying the handle drops the registration here; the carrier
	 * lets it expire (or replaces it when the trunk registers again
	 * under the same token). */
	if (t->reg_nh)
		nua_handle_destroy(t->reg_nh);
	if (t->opt_nh)
		nua_handle_destroy(t->opt_nh);
	t->reg_nh = t->opt_nh = NULL;
	t->reg = TRUNK_REG_NONE;
}

/* Answers a 401/407 with the trunk's account; 0 if the answer was sent. */
static int answer_challenge(struct trunk *t, int status, const sip_t *sip)
{
	const msg_auth_t *au = status == 401 ? sip->sip_www_authenticate
					     : sip->sip_proxy_authenticate;
	const char *realm;
	char cred[DB_TRUNK_USER_LEN + DB_TRUNK_PASS_LEN + DB_DOMAIN_LEN + 32];

	if (!au || !au->au_scheme || t->reg_auths >= MAX_AUTHS)
		return -EACCES;
	realm = msg_params_find(au->au_params, "realm=");
	if (!realm)
		return -EPROTO;
	/* realm is still quoted, as the credential string wants it */
	snprintf(cred, sizeof(cred), "%s:%s:%s:%s", au->au_scheme, realm,
		 t->cfg.username, t->cfg.password);
	t->reg_auths++;
	nua_authenticate(t->reg_nh, NUTAG_AUTH(cred), TAG_END());
	return 0;
}

static void reg_failed(struct trunk *t, int status, const char *phrase)
{
	t->reg = TRUNK_REG_FAILED;
	t->reg_backoff_s = t->reg_backoff_s ? t->reg_backoff_s * 2
					    : BACKOFF_MIN_S;
	if (t->reg_backoff_s > BACKOFF_MAX_S)
		t->reg_backoff_s = BACKOFF_MAX_S;
	t->reg_retry_ms = mono_ms() + (int64_t)t->reg_backoff_s * 1000;
	LOGW("trunk", "%s: registration failed: %d %s; retry in %d s",
	     t->cfg.name, status, phrase, t->reg_backoff_s);
	/* A fresh handle next time: the stack gives up on this one. */
	nua_handle_destroy(t->reg_nh);
	t->reg_nh = NULL;
}

static void reg_response(struct trunk *t, int status, const char *phrase,
			 const sip_t *sip)
{
	if (status < 200)
		return;
	if ((status == 401 || status == 407) && sip &&
	    answer_challenge(t, status, sip) == 0)
		return;
	t->reg_status = status;
	sip_strlcpy(t->reg_phrase, phrase ? phrase : "", sizeof(t->reg_phrase));
	if (status >= 300) {
		reg_failed(t, status, t->reg_phrase);
		return;
	}
	if (t->reg != TRUNK_REG_OK)
		LOGI("trunk", "%s: registered at %s:%d as %s", t->cfg.name,
		     t->cfg.host, t->cfg.port, t->cfg.username);
	else
		LOGD("trunk", "%s: registration refreshed", t->cfg.name);
	t->reg = TRUNK_REG_OK;
	t->reg_backoff_s = 0;
	t->reg_auths = 0;
}

static void ping(struct sip *s, struct trunk *t)
{
	char uri[320];

	carrier_uri(t, uri, sizeof(uri));
	t->opt_nh = nua_handle(s->nua, NULL, NUTAG_URL(uri), SIPTAG_TO_STR(uri),
			       TAG_END());
	if (t->opt_nh)
		nua_options(t->opt_nh, TAG_END());
}

/* Any answer from the carrier, even 401 or 405, shows it is there; a
 * timeout or transport error comes from our own stack, without a
 * message from the carrier. */
static void ping_response(struct trunk *t, int status, const sip_t *sip)
{
	int up = sip && sip->sip_via && status != 408;

	if (status < 200)
		return;
	if (up != t->reachable)
		LOGI("trunk", "%s: carrier %s (%d)", t->cfg.name,
		     up ? "reachable" : "unreachable", status);
	t->reachable = up;
	nua_handle_destroy(t->opt_nh);
	t->opt_nh = NULL;
}

int trunk_on_response(struct sip *s, nua_event_t ev, int status,
		      const char *phrase, nua_handle_t *nh, const sip_t *sip)
{
	(void)s;
	for (struct trunk *t = s->trunks; t; t = t->next) {
		if (nh == t->reg_nh && ev == nua_r_register) {
			reg_response(t, status, phrase, sip);
			return 1;
		}
		if (nh == t->opt_nh && ev == nua_r_options) {
			ping_response(t, status, sip);
			return 1;
		}
	}
	return 0;
}

void trunk_tick(struct sip *s)
{
	int64_t now = mono_ms();

	for (struct trunk *t = s->trunks; t; t = t->next) {
		if ((t->reg == TRUNK_REG_WAIT || t->reg == TRUNK_REG_FAILED) &&
		    now >= t->reg_retry_ms)
			reg_start(s, t);
		if (!t->opt_nh && now >= t->opt_next_ms) {
			t->opt_next_ms = now + OPTIONS_EVERY_MS;
			ping(s, t);
		}
	}
}
