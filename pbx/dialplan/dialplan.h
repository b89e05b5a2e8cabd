/* dialplan.h - per-tenant call routing: patterns, variables, lookup. */
#ifndef ONDO_DIALPLAN_H
#define ONDO_DIALPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "db.h"
#include "db_timecond.h"

/*
 * A tenant's dialplan is its rows in the routes table (db_route_*): each
 * says "a dialled number matching PATTERN runs APP with ARGS". Lookup walks
 * them by priority; an extension of the tenant that no route catches is
 * dialled directly. See docs/dialplan.md for the user's view.
 */

/* Captures kept from a match: $0 and $1..$9. */
#define DP_NCAP 10

/* What a pattern matched. cap[0] is the whole number. For a "_" pattern
 * ending in "." or "!", cap[1] is what that wildcard took (possibly empty
 * for "!"); for a "~" pattern, cap[1..] are its capture groups (an unset
 * group is ""). ncap counts the captures the pattern can fill, $0
 * included, whether or not this number set them. */
struct dp_match {
	int ncap;
	char cap[DP_NCAP][DB_NUMBER_LEN];
};

/* A compiled pattern; opaque. Immutable after compiling, so one may be
 * shared by threads. */
struct dp_pattern;

/* Compiles `text`: an exact number ("1001", "*97": digits, *, #, +), an
 * Asterisk-style pattern starting with "_", or a PCRE2 regular expression
 * starting with "~" that must match the whole number. On a bad pattern
 * returns -EINVAL and writes into `err` (may be NULL) one line saying what
 * is wrong and at which position (1-based, counting the "_" or "~"),
 * e.g. "unclosed [ at position 4". -ENOMEM. Caller frees *pp with
 * dp_pattern_free(). */
int dp_pattern_compile(struct dp_pattern **pp, const char *text, char *err,
		       size_t errlen);
void dp_pattern_free(struct dp_pattern *p);

/* 1 if `number` matches (filling `m` if not NULL), 0 if not. A number of
 * DB_NUMBER_LEN characters or more, or empty, never matches: its captures
 * would not fit. A regular expression that hits PCRE2's match limit
 * (catastrophic backtracking) returns -E2BIG; -EINVAL, -ENOMEM. */
int dp_pattern_match(const struct dp_pattern *p, const char *number,
		     struct dp_match *m);

/* How specific the pattern is, for ordering routes of equal priority:
 * lower is more specific. Exact numbers are 0; "_" patterns count how many
 * numbers each position admits beyond one, with a trailing "." or "!"
 * weighing more than any fixed-length pattern; regular expressions come
 * last. */
int dp_pattern_rank(const struct dp_pattern *p);

/* Captures a match of `p` fills, $0 included (1 to DP_NCAP). */
int dp_pattern_ncap(const struct dp_pattern *p);

/* True if `s` is something lookup routes: 1 to DB_NUMBER_LEN - 1
 * characters from 0-9 A-Z a-z * # + . _ -. Anything else (spaces, quotes,
 * '@', ';', '%') could break out of an expanded SIP URI, so it is refused
 * before it reaches a template. */
bool dp_dialable(const char *s);

/* The values ${EXTEN}, ${CALLER} and ${DOMAIN} expand to; all borrowed,
 * NULL expands to "". */
struct dp_vars {
	const char *exten;
	const char *caller;
	const char *domain;
};

/* Expands `tmpl` into `out`: ${EXTEN}, ${CALLER}, ${DOMAIN}, ${0}..${9}
 * (captures of `m`, which may be NULL when there are none), and on any of
 * them Asterisk's substring forms ${VAR:N} (skip N characters; N < 0: the
 * last -N) and ${VAR:N:L} (then take L; L < 0: all but the last -L).
 * A "$" not followed by "{" is literal. Returns 0; -EINVAL for an unknown
 * variable, a capture the pattern does not have, or bad syntax; -ENOSPC if
 * the result does not fit `outlen` bytes. `out` is always terminated and
 * is "" after an error. */
int dp_expand(const char *tmpl, const struct dp_vars *v,
	      const struct dp_match *m, char *out, size_t outlen);

/* Checks `tmpl` as dp_expand() would for a pattern filling `ncap`
 * captures, without values: 0, or -EINVAL with a one-line reason in `err`
 * (may be NULL), e.g. "${3} at position 9: the pattern has no capture 3
 * (it has $0..$1)". For ondoctl, before a route is stored. */
int dp_expand_check(const char *tmpl, int ncap, char *err, size_t errlen);

/* What a dialled number reaches. */
struct dp_result {
	int64_t route_id; /* 0 = the built-in extension rule */
	int priority;	  /* of the route; 0 for the extension rule */
	char app[DB_ROUTE_APP_LEN];
	char args[DB_ROUTE_ARGS_LEN];	    /* expanded */
	char pattern[DB_ROUTE_PATTERN_LEN]; /* "" for the extension rule */
};

/*
 * Routes `number`, dialled by `caller` (may be NULL or ""), in tenant `t`.
 * The tenant's routes are tried by priority (lower first); among matching
 * routes of the same priority the most specific pattern wins
 * (dp_pattern_rank), then the older route. If none matches and `number`
 * is an extension of the tenant, the result is app "dial" with args
 * `number` and route_id 0; if it is a conference room of the tenant, app
 * "conference" with args `number` (route_id 0). A route whose pattern does not compile, whose
 * app is unknown or whose args do not expand is skipped with a warning.
 * Reads the database through `db` (the calling thread's connection).
 * Returns 0 with *res filled; -ENOENT if nothing takes the number;
 * -EINVAL if `number` is not dp_dialable(); -EIO (logged), -ENOMEM.
 */
int dp_lookup(struct db *db, const struct db_tenant *t, const char *number,
	      const char *caller, struct dp_result *res);

/* Checks a route before it is stored: the pattern compiles, the app
 * exists and gets the arguments it takes, the arguments expand, and an
 * ivr or timecond route names a menu or condition of the tenant. 0, or
 * -EINVAL with one sentence in `why`; -ENOMEM, -EIO. */
int dp_route_check(struct db *db, int64_t tenant_id, const struct db_route *r,
		   char *why, size_t len);

/*
 * Toll-fraud control: may `caller` (an extension of t) use route result
 * `r` for `dialled`? A route reaching beyond the tenant needs a class of
 * service (routes.cos) the caller's class reaches; emergency numbers
 * always go; the built-in extension rule needs no class. `cos` is the
 * caller's class when known (a DID's call: internal), or -1 to read the
 * extension's. 1 allowed, 0 refused (also when a row cannot be read:
 * fail closed).
 */
int dp_cos_allows(struct db *db, const struct db_tenant *t,
		  const char *caller, int cos, const struct dp_result *r,
		  const char *dialled);

/*
 * Time conditions (docs/trunks.md): open while a weekly rule holds and the
 * local date is not a holiday. tc_eval is pure: one condition's rules and
 * holidays, a moment and a time zone in, open or closed and why out.
 */
struct tc_rules {
	const struct db_tc_rule *rules; /* borrowed */
	int nrules;
	const struct db_tc_holiday *holidays; /* borrowed */
	int nholidays;
};

enum tc_why {
	TC_WHY_RULE,	/* open: rules[index] holds */
	TC_WHY_HOLIDAY, /* closed: holidays[index] is today */
	TC_WHY_NO_RULE, /* closed: no rule holds */
};

struct tc_result {
	int open;
	enum tc_why why;
	int index;	 /* into r->rules or r->holidays, as `why` says */
	struct tm local; /* the moment evaluated, local time */
};

/* Evaluates `r` at the local time `local` (tm_year, tm_mon, tm_mday,
 * tm_wday, tm_hour, tm_min are read). A holiday closes the whole local
 * day, before any rule; then the first rule that holds opens. A rule
 * whose end is before its start holds on its days from the start and on
 * the following days until the end. 0, or -EINVAL. */
int tc_eval_local(const struct tc_rules *r, const struct tm *local,
		  struct tc_result *res);
/* The same at `when` in IANA zone `tz` (tz_local in core/tz.h: thread
 * safe, the process's TZ untouched). 0, -EINVAL, or the zone's error
 * (-ENOENT no such zone, -EBADMSG not a zone file). */
int tc_eval(const struct tc_rules *r, time_t when, const char *tz,
	    struct tc_result *res);
/* Just whether it is open. */
int tc_open(const struct tc_rules *r, time_t when, const char *tz, int *open);

/* Where condition `name` of a tenant sends a call, and why. */
struct tc_choice {
	int open;
	char type[DB_WORD_LEN]; /* the branch's destination */
	char dest[DB_DEST_LEN];
	char why[96];	    /* "rule 3: mon-fri 08:00-17:30", "holiday
			     * 2026-12-25 Christmas", "no rule holds" */
	char tz[DB_TZ_LEN]; /* the zone evaluated in */
	struct tm local;    /* the moment evaluated, local time */
};

/* Decides condition `name` of tenant `t` at `when`, or, if `at` is not
 * NULL, at that local time of the tenant's zone (ondoctl's dry run;
 * `when` is then unused). Reads the condition, its rules and holidays and
 * the tenant's zone through `db`. A zone that does not load (tzdata
 * removed since it was set) is taken as UTC, with a warning. 0; -ENOENT
 * if the tenant has no such condition; -EIO (logged), -ENOMEM. */
int tc_choose(struct db *db, const struct db_tenant *t, const char *name,
	      time_t when, const struct tm *at, struct tc_choice *c);
/* "timecond office: closed (holiday 2026-12-25) -> ivr closed", the
 * line the daemon logs for a decision. */
void tc_choice_line(const struct tc_choice *c, const char *name, char *buf,
		    size_t len);

/* Dialplan applications, from apps/app_list.h. */
struct dp_app_info {
	const char *name;
	const char *args; /* what ARGS hold, e.g. "NUMBER|sip:URI" */
	const char *help;
};

/* 1 if `name` is an application of APP_LIST, else 0. */
int app_known(const char *name);
/* The applications in APP_LIST order, ended by a {NULL} entry. Static. */
const struct dp_app_info *dp_apps(void);
/* "dial, echo, playback, ivr, hangup": for error messages. Static. */
const char *dp_app_names(void);

#endif
