/* auth_request.c - digest authentication of a REGISTER or INVITE. */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sofia-sip/auth_digest.h>

#include "sip/sip_priv.h"
#include "sip/auth.h"
#include "sip/ban.h"
#include "sip/reg.h"
#include <arpa/inet.h>
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
		su_home_t home[1] = {SU_HOME_INIT(home)};
		struct auth_cred c;
		int match = auth_cred_get(home, au, &c) == 0 && c.realm &&
			    !strcasecmp(c.realm, realm);

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
	struct auth_cred c;
	int err, known;

	if (auth_cred_get(home, au, &c)) {
		err = -EINVAL;
		goto out;
	}
	err = auth_nonce_check(s->nonce_key, c.nonce, time(NULL));
	if (err)
		goto out;
	known = c.username && !db_ext_get(s->db, t->id, c.username, ext);
	err = auth_digest_verify(&c, known ? ext->ha1 : dummy_ha1,
				 sip->sip_request->rq_method_name);
	if (!known && err != -EINVAL)
		err = -EACCES;
out:
	su_home_deinit(home);
	return err;
}

/* The username the credentials give, copied into user ("" if none). */
static void username_of(const msg_auth_t *au, char *user, size_t len)
{
	su_home_t home[1] = {SU_HOME_INIT(home)};
	struct auth_cred c;

	user[0] = '\0';
	if (auth_cred_get(home, au, &c) == 0 && c.username)
		sip_strlcpy(user, c.username, len);
	su_home_deinit(home);
}

/* Whether extension `user` of t has a phone registered from `ip` now. */
static int registered_from(struct sip *s, const struct db_tenant *t,
			   const char *user, const char *ip)
{
	struct db_reg contacts[REG_MAX_CONTACTS];
	char prefix[INET6_ADDRSTRLEN + 8];
	struct db_ext e;
	int n;

	if (!db_valid_number(user) || db_ext_get(s->db, t->id, user, &e))
		return 0;
	snprintf(prefix, sizeof(prefix), strchr(ip, ':') ? "sip:[%s]:" : "sip:%s:",
		 ip);
	n = reg_table_get(s->regs, e.id, time(NULL), contacts,
			  REG_MAX_CONTACTS);
	for (int i = 0; i < n; i++)
		if (!strncmp(contacts[i].route, prefix, strlen(prefix)))
			return 1;
	return 0;
}

static void source_ip(struct sip *s, char *ip, size_t len)
{
	struct sockaddr_storage src;
	char route[DB_URI_LEN];

	ip[0] = '\0';
	if (sip_request_source(s, &src, route, sizeof(route)))
		return;
	if (src.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&src)->sin_addr, ip,
			  (socklen_t)len);
	else if (src.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&src)->sin6_addr,
			  ip, (socklen_t)len);
}

/* A wrong password or unknown user: counted against the source and the
 * extension; a block that starts is logged once. */
static void count_failure(struct sip *s, const struct db_tenant *t,
			  const char *ipkey, const char *extkey)
{
	time_t now = time(NULL);
	long a = ban_fail(s->bans, ipkey, now), e = ban_fail(s->bans, extkey, now);

	if (a)
		LOGW("auth", "%s blocked for %ld s: %d failed authentications "
		     "within %d s",
		     ipkey + 3, a, s->conf->fail_max, s->conf->fail_window);
	if (e)
		LOGC(LOGL_WARN, "auth", t->domain, NULL,
		     "extension %s blocked for %ld s: %d failed "
		     "authentications within %d s",
		     extkey + 4, e, s->conf->fail_max, s->conf->fail_window);
}

int auth_request(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		 const struct db_tenant *t, int proxy, struct db_ext *ext)
{
	char ip[INET6_ADDRSTRLEN], user[DB_NUMBER_LEN + 64];
	char ipkey[INET6_ADDRSTRLEN + 8], extkey[DB_NUMBER_LEN + DB_DOMAIN_LEN + 80];
	const msg_auth_t *au;
	int err;

	au = proxy ? (const msg_auth_t *)sip->sip_proxy_authorization
		   : (const msg_auth_t *)sip->sip_authorization;
	au = find_cred(au, t->domain);
	if (!au) {
		challenge(s, nh, t->domain, proxy, 0);
		return -EACCES;
	}
	source_ip(s, ip, sizeof(ip));
	username_of(au, user, sizeof(user));
	snprintf(ipkey, sizeof(ipkey), "ip:%s", ip);
	snprintf(extkey, sizeof(extkey), "ext:%s@%s", user, t->domain);
	/* A blocked source or extension: only a phone already registered
	 * from that address as that extension gets through; every other
	 * try gets the same 403, right or wrong, so guessing goes on
	 * blind. */
	if ((ban_left(s->bans, ipkey, time(NULL)) ||
	     ban_left(s->bans, extkey, time(NULL))) &&
	    !registered_from(s, t, user, ip)) {
		LOGC(LOGL_DEBUG, "auth", t->domain,
		     sip->sip_call_id ? sip->sip_call_id->i_id : NULL,
		     "%s from %s refused: blocked", user, ip);
		sip_reply(s, nh, SIP_403_FORBIDDEN);
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
		count_failure(s, t, ipkey, extkey);
		sip_reply(s, nh, SIP_403_FORBIDDEN);
		return -EACCES;
	}
	return 0;
}
