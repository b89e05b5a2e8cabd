/* rate.h - request rates per key (a source address, an extension): a
 * token bucket each, refilled at `per_s` a second up to `burst`, in a
 * table of at most 65,536 keys. Flood limits (docs/security.md,
 * "Flood limits"); SIP thread only, no locking. */
#ifndef ONDO_SIP_RATE_H
#define ONDO_SIP_RATE_H

#include <stdint.h>

struct rates;

/* per_s > 0 requests a second on average, burst >= 1 at once. Caller
 * frees with rates_free. 0 or -EINVAL, -ENOMEM. */
int rates_alloc(struct rates **rp, double per_s, double burst);
void rates_free(struct rates *r);

/* One request of `key` at now_ms (a monotonic clock): 1 if it is within
 * the rate (a token is taken), 0 if not. *log_due is set to 1 on a
 * refusal that should be logged: the first of a key's flood, then one
 * every 10 s, so that a flood is one log line, not one per packet. A
 * table full of keys all busy lets a new key through rather than refuse
 * a stranger for another's flood. */
int rate_take(struct rates *r, const char *key, int64_t now_ms,
	      int *log_due);

/* Keys in the table now (for tests and ondoctl). */
int rates_count(const struct rates *r);

#endif
