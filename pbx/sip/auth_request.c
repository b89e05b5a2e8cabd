/* auth_request.c - digest authentication of a REGISTER or INVITE. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sofia-sip/auth_digest.h>

#include "sip/sip_priv.h"
#include "sip/auth.h"
#include "core/log.h"

void sip_reply(struct sip *s, nua_handle_t *nh, int status,
	       const char *phrase)
{
	nua_respond(nh, status, phrase, NUTAG_WITH_THIS(s->nua), TAG_END());
	/* An INVITE's handle is released when its state turns terminated
	 * (sip_stack.c); other requests have no state to wait for. */
	if (nua_handle_has_invite(nh) == 0)
		nua_handle_destroy(nh);
}

static void challenge(struct sip *s, nua_handle_t *nh, const char *realm,
		      int proxy, int stale)
{
	char nonce[AUTH_NONCE_LEN], hdr[512];

	auth_nonce_make(s->nonce_key, time(NULL), nonce);
	if (auth_challenge(hdr, sizeof(hdr), realm, nonce, stale)) {
		sip_reply(s, nh, 500, "Server Internal Error");
		return;
	}
	if (proxy)
		nua_respond(nh, SIP_407_PROXY_AUTH_REQUIRED,
			    NUTAG_WITH_THIS(s->nua),
			    SIPTAG_PROXY_AUTHENTICATE_STR(hdr), TAG_END());
	else
		nua_respond(nh, SIP_401_UNAUTHORIZED, NUTAG_WITH_THIS(s->nua),
			    SIPTAG_WWW_AUTHENTICATE_STR(hdr), TAG_END());
	if (!proxy)
		nua_handle_destroy(nh);
}

/* The credentials for our realm, among possibly several. */
static const msg_auth_t *find_cred(const msg_auth_t *au, const char *realm)
{
	for (; au; au = au->au_next) {
		auth_response_t ar = {.ar_size = sizeof(ar)};
		su_home_t home[1] = {SU_HOME_INIT(home)};
		int match = 0;

		if (!au->au_scheme || strcasecmp(au->au_scheme, "Digest"))
			continue;
		if (auth_digest_response_get(home, &ar, au->au_params) > 0)
			match = ar.ar_realm && !strcasecmp(ar.ar_realm, realm);
		su_home_deinit(home);
		if (match)
			return au;
	}
	return NULL;
}

/* Runs the digest check itself; 0, -ETIMEDOUT (stale nonce), -EINVAL
 * (not our nonce or malformed) or -EACCES (wrong user or password). */
static int check(struct sip *s, const msg_auth_t *au, const sip_t *sip,
		 const struct db_tenant *t, struct db_ext *ext)
{
	/* A valid-looking HA1 to spend the same work on unknown users, so a
	 * scanner cannot tell them from wrong passwords by timing. */
	static const char dummy_ha1[] = "00000000000000000000000000000000";
	su_home_t home[1] = {SU_HOME_INIT(home)};
	auth_response_t ar = {.ar_size = sizeof(ar)};
	struct auth_cred c;
	int err, known;

	if (auth_digest_response_get(home, &ar, au->au_params) < 0) {
		err = -EINVAL;
		goto out;
	}
	err = auth_nonce_check(s->nonce_key, ar.ar_nonce, time(NULL));
	if (err)
		goto out;
	known = ar.ar_username &&
		!db_ext_get(s->db, t->id, ar.ar_username, ext);
	memset(&c, 0, sizeof(c));
	c.username = ar.ar_username;
	c.realm = ar.ar_realm;
	c.nonce = ar.ar_nonce;
	c.uri = ar.ar_uri;
	c.response = ar.ar_response;
	c.qop = ar.ar_qop;
	c.nc = ar.ar_nc;
	c.cnonce = ar.ar_cnonce;
	c.algorithm = ar.ar_algorithm;
	err = auth_digest_verify(&c, known ? ext->ha1 : dummy_ha1,
				 sip->sip_request->rq_method_name);
	if (!known && err != -EINVAL)
		err = -EACCES;
out:
	su_home_deinit(home);
	return err;
}

int auth_request(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		 const struct db_tenant *t, int proxy, struct db_ext *ext)
{
	const msg_auth_t *au;
	int err;

	au = proxy ? (const msg_auth_t *)sip->sip_proxy_authorization
		   : (const msg_auth_t *)sip->sip_authorization;
	au = find_cred(au, t->domain);
	if (!au) {
		challenge(s, nh, t->domain, proxy, 0);
		return -EACCES;
	}
	err = check(s, au, sip, t, ext);
	if (err == -ETIMEDOUT || err == -EINVAL) {
		challenge(s, nh, t->domain, proxy, err == -ETIMEDOUT);
		return -EACCES;
	}
	if (err) {
		LOGC(LOGL_WARN, "auth", t->domain,
		     sip->sip_call_id ? sip->sip_call_id->i_id : NULL,
		     "%s rejected: wrong user or password",
		     sip->sip_request->rq_method_name);
		sip_reply(s, nh, SIP_403_FORBIDDEN);
		return -EACCES;
	}
	return 0;
}
