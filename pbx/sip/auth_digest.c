/* auth_digest.c - stateless nonces and digest checks for REGISTER/INVITE. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/su_config.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/su_md5.h>
#include <sofia-sip/msg_types.h>
#include <sofia-sip/auth_digest.h>

#include "sip/auth.h"

/* MAC = MD5(key-hex ":" time-hex ":" key-hex). MD5 is what digest auth
 * already trusts; the key is random per daemon start, so nonces from a
 * previous run simply turn stale and the phone is challenged again. */
static void nonce_mac(const unsigned char key[16], const char *ts,
		      char out[33])
{
	su_md5_t md5;

	su_md5_init(&md5);
	su_md5_update(&md5, key, 16);
	su_md5_strupdate(&md5, ":");
	su_md5_strupdate(&md5, ts);
	su_md5_strupdate(&md5, ":");
	su_md5_update(&md5, key, 16);
	su_md5_hexdigest(&md5, out);
}

void auth_nonce_make(const unsigned char key[16], time_t now,
		     char out[AUTH_NONCE_LEN])
{
	char ts[9], mac[33];

	snprintf(ts, sizeof(ts), "%08lx", (unsigned long)now & 0xffffffffUL);
	nonce_mac(key, ts, mac);
	snprintf(out, AUTH_NONCE_LEN, "%s%s", ts, mac);
}

int auth_nonce_check(const unsigned char key[16], const char *nonce,
		     time_t now)
{
	char ts[9], mac[33];
	unsigned long t;
	unsigned char diff = 0;

	/* Only as auth_nonce_make writes it: strtoul alone would also take
	 * "+0000001" or " 000001" for a time, a nonce never handed out. */
	if (!nonce || strlen(nonce) != AUTH_NONCE_LEN - 1 ||
	    strspn(nonce, "0123456789abcdef") != AUTH_NONCE_LEN - 1)
		return -EINVAL;
	memcpy(ts, nonce, 8);
	ts[8] = '\0';
	t = strtoul(ts, NULL, 16);
	nonce_mac(key, ts, mac);
	/* In constant time: how far a guess matches must not show. */
	for (int i = 0; i < 32; i++)
		diff |= (unsigned char)(mac[i] ^ nonce[8 + i]);
	if (diff)
		return -EINVAL;
	/* Compare in 32-bit modular time so the 2106 wrap does no harm. */
	if ((((unsigned long)now - t) & 0xffffffffUL) > AUTH_NONCE_TTL)
		return -ETIMEDOUT;
	return 0;
}

int auth_cred_get(su_home_t *home, const msg_auth_t *au, struct auth_cred *c)
{
	auth_response_t ar = {.ar_size = sizeof(ar)};

	if (!home || !au || !c)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	/* sofia-sip asserts that there are parameters, which aborts the
	 * daemon: "Authorization: Digest ," parses to none. */
	if (!au->au_scheme || strcasecmp(au->au_scheme, "Digest") ||
	    !au->au_params)
		return -EINVAL;
	if (auth_digest_response_get(home, &ar, au->au_params) <= 0)
		return -EINVAL;
	c->username = ar.ar_username;
	c->realm = ar.ar_realm;
	c->nonce = ar.ar_nonce;
	c->uri = ar.ar_uri;
	c->response = ar.ar_response;
	c->qop = ar.ar_qop;
	c->nc = ar.ar_nc;
	c->cnonce = ar.ar_cnonce;
	c->algorithm = ar.ar_algorithm;
	return 0;
}

int auth_digest_verify(const struct auth_cred *c, const char *ha1,
		       const char *method)
{
	auth_response_t ar;
	auth_hexmd5_t expect;

	if (!c || !ha1 || !method || !c->username || !c->nonce ||
	    !c->uri || !c->response)
		return -EINVAL;
	if (c->algorithm && strcasecmp(c->algorithm, "MD5"))
		return -EINVAL;
	memset(&ar, 0, sizeof(ar));
	ar.ar_size = sizeof(ar);
	ar.ar_username = c->username;
	ar.ar_realm = c->realm;
	ar.ar_nonce = c->nonce;
	ar.ar_uri = c->uri;
	ar.ar_response = c->response;
	ar.ar_cnonce = c->cnonce;
	ar.ar_nc = c->nc;
	ar.ar_md5 = 1;
	if (c->qop) {
		if (strcasecmp(c->qop, "auth"))
			return -EINVAL; /* we offer qop=auth only */
		if (!c->nc || !c->cnonce)
			return -EINVAL;
		ar.ar_qop = "auth";
		ar.ar_auth = 1;
	}
	if (auth_digest_response(&ar, expect, ha1, method, NULL, 0) < 0)
		return -EINVAL;
	return strcasecmp(expect, c->response) ? -EACCES : 0;
}

int auth_challenge(char *out, size_t len, const char *realm,
		   const char *nonce, int stale)
{
	int n = snprintf(out, len,
			 "Digest realm=\"%s\", nonce=\"%s\", qop=\"auth\", "
			 "algorithm=MD5%s",
			 realm, nonce, stale ? ", stale=true" : "");
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}
