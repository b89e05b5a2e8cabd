/* fuzz_digest.c - libFuzzer target: the credentials of a REGISTER or
 * INVITE from anyone on the internet, as auth_request.c takes them: the
 * (Proxy-)Authorization value parsed by sofia-sip, read by auth_cred_get,
 * then our stateless nonce check (auth_nonce_check) and digest
 * verification (auth_digest_verify), which run before any extension is
 * known.
 *
 * Checks beyond memory errors: a nonce passes only if it is exactly one
 * the daemon made (it cannot be forged without the key), and a response
 * passes only if it is the right one for the password.
 * Input: the header value, e.g. Digest username="1001", realm=... */
#include <time.h>

#include <sofia-sip/su_alloc.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/auth_digest.h>

#include "fuzz/fuzz_util.h"
#include "sip/auth.h"

#define NOW 0x65000000L

static const unsigned char key[16] = "0123456789abcdef";
/* The extension's stored HA1 (any 32 hex digits will do). */
static const char ha1[] = "3b7e1c2d0e4f5a69788796a5b4c3d2e1";
static const char other_ha1[] = "00000000000000000000000000000000";

static void credentials(su_home_t *home, const msg_auth_t *au)
{
	char nonce[AUTH_NONCE_LEN];
	struct auth_cred c;
	int err;

	/* As auth_request.c reads every credential of a request. */
	if (auth_cred_get(home, au, &c))
		return;
	err = auth_nonce_check(key, c.nonce, NOW);
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -ETIMEDOUT,
		   "nonce check returned %d", err);
	if (err != -EINVAL) {
		unsigned long t;

		/* Ours: rebuild it from its time and compare. */
		FUZZ_CHECK(sscanf(c.nonce, "%8lx", &t) == 1,
			   "nonce '%s' accepted, time unreadable", c.nonce);
		auth_nonce_make(key, (time_t)t, nonce);
		FUZZ_CHECK(!strcmp(nonce, c.nonce),
			   "nonce '%s' accepted but the daemon makes '%s'",
			   c.nonce, nonce);
	}
	err = auth_digest_verify(&c, ha1, "REGISTER");
	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -EACCES,
		   "digest check returned %d", err);
	/* The same credentials cannot prove two passwords. */
	if (err == 0)
		FUZZ_CHECK(auth_digest_verify(&c, other_ha1, "REGISTER") ==
			       -EACCES,
			   "a response passes for two different passwords");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	su_home_t home[1] = {SU_HOME_INIT(home)};
	char *value = malloc(size + 1);
	sip_authorization_t *au;
	char nonce[AUTH_NONCE_LEN];

	if (!value)
		abort();
	memcpy(value, data, size);
	value[size] = '\0';
	/* A nonce of ours always passes, whatever else the input is. */
	auth_nonce_make(key, NOW - (long)(size % 400), nonce);
	FUZZ_CHECK(auth_nonce_check(key, nonce, NOW) ==
		       (size % 400 > AUTH_NONCE_TTL ? -ETIMEDOUT : 0),
		   "our own nonce '%s' refused", nonce);
	au = sip_authorization_make(home, value);
	for (; au; au = au->au_next)
		credentials(home, au);
	free(value);
	su_home_deinit(home);
	return 0;
}
