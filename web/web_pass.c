/* web_pass.c - web users' passwords: argon2id (libsodium
 * crypto_pwhash_str) at OWASP's minimum for argon2id, 19 MiB and two
 * passes: tens of milliseconds a log-in, which the log-in throttle keeps
 * rare. The cost is in each hash string, so it can be raised later. */
#include <errno.h>
#include <string.h>
#include <sodium.h>

#include "web/web_pass.h"

#define PASS_OPS 2
#define PASS_MEM (19u << 20)

bool web_pass_valid(const char *password)
{
	size_t n = password ? strlen(password) : 0;

	return n >= 8 && n <= 128;
}

int web_pass_hash(const char *password, char out[DB_WEB_HASH_LEN])
{
	if (sodium_init() < 0)
		return -EIO;
	if (crypto_pwhash_str(out, password, strlen(password), PASS_OPS,
			      PASS_MEM) != 0)
		return -ENOMEM;
	return 0;
}

bool web_pass_ok(const char *hash, const char *password)
{
	return sodium_init() >= 0 && hash && *hash &&
	       crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
