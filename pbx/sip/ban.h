/* ban.h - brute-force lockout: failed digest authentications counted per
 * source address and per extension, and the blocks they earn. */
#ifndef ONDO_BAN_H
#define ONDO_BAN_H

#include <stdio.h>
#include <time.h>

/*
 * Keys are strings: "ip:192.0.2.7" for a source, "ext:1001@acme.example"
 * for an extension. fail_max failures of one key within fail_window
 * seconds block it for ban_time seconds; each new block of the same key
 * doubles that, up to a day, and a key left alone for a day starts over.
 * The table is capped; when it is full, entries neither blocked nor
 * recently failing make room first.
 *
 * What a block means is the caller's (auth_request.c): a blocked source
 * or extension may only authenticate as an extension that is registered
 * from that very address now, so the phones already there keep working
 * while a guesser sharing their address (or guessing their extension
 * from elsewhere) gets 403 for every try, right or wrong.
 *
 * SIP thread only: no lock.
 */
struct bans;

struct ban_cfg {
	int fail_max, fail_window, ban_time;
};

int bans_alloc(struct bans **bp, const struct ban_cfg *cfg);
void bans_free(struct bans *b);
/* New thresholds for what comes next; blocks already running keep their
 * end. -EINVAL for a bad cfg (nothing changes). */
int bans_set_cfg(struct bans *b, const struct ban_cfg *cfg);
/* Seconds of block left for key (0: not blocked). */
long ban_left(struct bans *b, const char *key, time_t now);
/* Counts a failure; returns the seconds of a block it just started, or
 * 0. */
long ban_fail(struct bans *b, const char *key, time_t now);
/* Ends key's block and forgets its failures: 0, or -ENOENT. */
int ban_del(struct bans *b, const char *key);
/* One line per blocked key: KEY SECONDS_LEFT FAILURES BLOCKS. */
void ban_print(struct bans *b, time_t now, FILE *out);

#endif
