/* auth.h - SIP digest authentication (RFC 2617/3261) against stored HA1. */
#ifndef ONDO_AUTH_H
#define ONDO_AUTH_H

#include <stddef.h>
#include <time.h>

#define AUTH_NONCE_LEN 41	/* 8 hex of time + 32 hex of MAC + NUL */
#define AUTH_NONCE_TTL 300	/* seconds a nonce stays fresh */

/* Makes a stateless nonce: the time and a MAC of it under `key`, so the
 * server keeps no per-challenge state. */
void auth_nonce_make(const unsigned char key[16], time_t now,
		     char out[AUTH_NONCE_LEN]);
/* 0 if the nonce is ours and fresh, -ETIMEDOUT if ours but stale (ask
 * again with stale=true), -EINVAL if forged or malformed. */
int auth_nonce_check(const unsigned char key[16], const char *nonce,
		     time_t now);

/* The digest a client sent, as parsed from (Proxy-)Authorization. */
struct auth_cred {
	const char *username, *realm, *nonce, *uri, *response;
	const char *qop, *nc, *cnonce, *algorithm;
};

/* Reads one credential of a parsed (Proxy-)Authorization header (sofia's
 * msg_auth_t) into *c; the strings are allocated in `home`. 0, or -EINVAL
 * if it is not Digest or has no parameters ("Digest ,"). Fuzz target:
 * whatever anyone sends reaches it before authentication. */
struct msg_auth_s;
struct su_home_s;
int auth_cred_get(struct su_home_s *home, const struct msg_auth_s *au,
		  struct auth_cred *c);

/* 0 if `c` proves knowledge of the password behind `ha1` for `method`;
 * -EACCES if not; -EINVAL if the credentials are malformed or use an
 * algorithm other than MD5. Does not check the nonce or realm. */
int auth_digest_verify(const struct auth_cred *c, const char *ha1,
		       const char *method);

/* Writes the WWW-/Proxy-Authenticate value. */
int auth_challenge(char *out, size_t len, const char *realm,
		   const char *nonce, int stale);

#endif
