/* tz.h - local time in a named IANA time zone, without touching the
 * process's TZ: safe to call from any thread. */
#ifndef ONDO_TZ_H
#define ONDO_TZ_H

#include <time.h>

/*
 * Why not localtime_r(): glibc knows one zone per process, set through the
 * TZ variable and tzset(). Switching it for a tenant (even under a mutex)
 * would change the zone of every other thread's localtime_r() meanwhile
 * (log.c stamps each log line with it), and setenv() races getenv().
 * glibc 2.36 (Debian 12) has no localtime_rz()/tzalloc(), so this module
 * reads the zone's TZif file itself (RFC 8536: the transition table, and
 * the POSIX TZ string of its footer for times after the last transition).
 *
 * A zone is read once, on first use, from $TZDIR or /usr/share/zoneinfo,
 * and kept for the life of the process (a few KB each; only names that
 * loaded are kept, so at most the ~600 zones there are). An update of
 * tzdata is seen after a restart. Leap-second ("right/") zones are read
 * without their leap seconds.
 */

/* Longest zone name accepted, including the terminating NUL. */
#define TZ_NAME_LEN 64

/* Checks that `zone` names a time zone: 0; -EINVAL if it is not a zone
 * name's shape (1 to TZ_NAME_LEN - 1 of A-Z a-z 0-9 _ + - and '/'
 * between parts, no part starting with '.'); -ENOENT if there is no such
 * zone file; -EBADMSG if the file is not a zone. "UTC" is always one.
 * Loads the zone (and keeps it, as tz_local does). */
int tz_check(const char *zone);

/* The local time of `t` in `zone`, as gmtime_r() fills a struct tm, with
 * tm_isdst and tm_gmtoff (seconds east of UTC) set and tm_zone NULL.
 * 0, or tz_check()'s errors, or -ENOMEM. */
int tz_local(const char *zone, time_t t, struct tm *tm);

/* The day of the week of a date of the proleptic Gregorian calendar:
 * 0 Sunday .. 6 Saturday. Pure. */
int tz_weekday(int year, int month, int day);

/* Days in month `month` (1-12) of `year`. Pure. */
int tz_month_days(int year, int month);

/* Frees every zone loaded. Only when no thread can be in tz_local(): at
 * the end of a process or a test. */
void tz_cache_clear(void);

#endif
