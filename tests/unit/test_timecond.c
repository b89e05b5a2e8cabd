/* test_timecond.c - time conditions without a database: local time in a
 * named zone (pbx/core/tz.c, checked against glibc's own localtime_r),
 * the text of rules and holiday dates, and the evaluator tc_eval on a
 * table of moments: weekdays, the first and last minute of a range, ranges
 * across midnight, holidays once and every year, and the days daylight
 * saving time starts and ends in Europe/Berlin and America/New_York. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "core/tz.h"
#include "dialplan/dialplan.h"

/* "2026-03-29 01:00:00" (UTC) as a time_t. */
static time_t utc(const char *s)
{
	struct tm tm = {0};

	if (!strptime(s, "%Y-%m-%d %H:%M:%S", &tm))
		fail_msg("test bug: bad time '%s'", s);
	return timegm(&tm);
}

/* ---- tz_local against glibc ---------------------------------------------- */

/* tz_local and glibc's localtime_r (TZ set to the same zone: this test is
 * single-threaded) agree at every moment from `from` to `to` in steps. */
static void compare_span(const char *zone, const char *glibc_tz, time_t from,
			 time_t to, time_t step)
{
	struct tm want, got;
	int err;

	setenv("TZ", glibc_tz, 1);
	tzset();
	for (time_t t = from; t <= to; t += step) {
		localtime_r(&t, &want);
		err = tz_local(zone, t, &got);
		if (err)
			fail_msg("tz_local(%s) failed: %s", zone,
				 strerror(-err));
		if (got.tm_year != want.tm_year || got.tm_mon != want.tm_mon ||
		    got.tm_mday != want.tm_mday ||
		    got.tm_hour != want.tm_hour || got.tm_min != want.tm_min ||
		    got.tm_sec != want.tm_sec || got.tm_wday != want.tm_wday ||
		    got.tm_gmtoff != want.tm_gmtoff ||
		    got.tm_isdst != want.tm_isdst)
			fail_msg(
			    "%s at %lld: a caller would see %04d-%02d-%02d "
			    "%02d:%02d (UTC%+ld, dst %d), glibc says "
			    "%04d-%02d-%02d %02d:%02d (UTC%+ld, dst %d)",
			    zone, (long long)t, got.tm_year + 1900,
			    got.tm_mon + 1, got.tm_mday, got.tm_hour,
			    got.tm_min, got.tm_gmtoff, got.tm_isdst,
			    want.tm_year + 1900, want.tm_mon + 1, want.tm_mday,
			    want.tm_hour, want.tm_min, want.tm_gmtoff,
			    want.tm_isdst);
	}
	unsetenv("TZ");
	tzset();
}

static void test_tz_like_glibc(void **state)
{
	/* Northern and southern daylight time, half and quarter hours,
	 * negative DST (Dublin), a zone that dropped DST (Sao Paulo), one
	 * with many irregular changes (Casablanca), a skipped day (Apia),
	 * a +2 h DST (Troll), and none at all. */
	static const char *const zones[] = {
	    "Europe/Berlin",
	    "America/New_York",
	    "Australia/Sydney",
	    "Asia/Kolkata",
	    "America/Sao_Paulo",
	    "Pacific/Chatham",
	    "Europe/Dublin",
	    "Africa/Casablanca",
	    "Pacific/Apia",
	    "Antarctica/Troll",
	    "America/Santiago",
	    "Asia/Tokyo",
	    "UTC",
	};

	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		/* 1970 to 2100, every 3 days 7:13:17: every offset of
		 * every year, past the files' last transition (2037) into
		 * the footer's rule. */
		compare_span(zones[i], zones[i], utc("1970-01-01 00:00:00"),
			     utc("2100-12-31 00:00:00"),
			     3 * 86400 + 7 * 3600 + 13 * 60 + 17);
	}
	/* Every quarter hour of 2026 and of 2040 (the footer) where the
	 * changes are. */
	compare_span("Europe/Berlin", "Europe/Berlin",
		     utc("2026-03-28 00:00:00"), utc("2026-03-30 00:00:00"),
		     900);
	compare_span("Europe/Berlin", "Europe/Berlin",
		     utc("2040-10-27 00:00:00"), utc("2040-10-29 00:00:00"),
		     900);
	compare_span("America/New_York", "America/New_York",
		     utc("2026-11-01 00:00:00"), utc("2026-11-02 00:00:00"),
		     900);
	compare_span("Australia/Sydney", "Australia/Sydney",
		     utc("2045-04-01 00:00:00"), utc("2045-04-02 12:00:00"),
		     900);
	tz_cache_clear();
}

/* Writes a TZif version 2 file with no transitions, one type and the
 * footer `posix` as TZDIR/NAME. */
static void write_footer_zone(const char *dir, const char *name,
			      const char *posix)
{
	unsigned char hdr[44] = {'T', 'Z', 'i', 'f', '2'};
	/* typecnt 1, charcnt 4; the type: offset 0, no dst, abbr 0 */
	static const unsigned char data[] = {0, 0,   0,	  0,   0,
					     0, 'X', 'X', 'X', 0};
	char path[512];
	FILE *f;

	hdr[39] = 1; /* typecnt */
	hdr[43] = 4; /* charcnt */
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s", path);
	fwrite(hdr, 1, sizeof(hdr), f);
	fwrite(data, 1, sizeof(data), f);
	fwrite(hdr, 1, sizeof(hdr), f);
	fwrite(data, 1, sizeof(data), f);
	fprintf(f, "\n%s\n", posix);
	fclose(f);
}

/* The footer's POSIX rules, each against glibc reading the same string
 * as TZ: Jn and n days, times past 24 h and negative, <+03> names,
 * offsets with minutes, daylight time all year. */
static void test_tz_footer_rules(void **state)
{
	static const char *const rules[] = {
	    "EST5EDT,M3.2.0,M11.1.0",
	    "CET-1CEST,M3.5.0,M10.5.0/3",
	    "AEST-10AEDT,M10.1.0,M4.1.0/3",
	    "<+0330>-3:30<+0430>,J79/24,J263/24",
	    "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
	    "IST-1GMT0,M10.5.0,M3.5.0/1",
	    "XXX3YYY,59/2,300/2",
	    "<+13>-13",
	    "NZST-12NZDT,M9.5.0,M4.1.0/3",
	};
	char dir[] = "/tmp/ondo-test-tz-XXXXXX", name[16], path[600];
	struct tm tm;
	FILE *f;
	int err;

	if (!mkdtemp(dir))
		fail_msg("cannot make a folder for test zones");
	setenv("TZDIR", dir, 1);
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		snprintf(name, sizeof(name), "Footer%zu", i);
		write_footer_zone(dir, name, rules[i]);
		compare_span(name, rules[i], utc("2020-01-01 00:00:00"),
			     utc("2031-01-01 00:00:00"), 6 * 3600 + 11 * 60);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		unlink(path);
	}
	/* Daylight time all year (RFC 8536 3.3.1), across the new year.
	 * glibc leaves a gap of a few hours each year there, so it is
	 * checked on its own. */
	write_footer_zone(dir, "Always", "EST5EDT,0/0,J365/25");
	for (time_t t = utc("2025-12-31 00:00:00");
	     t < utc("2026-01-02 00:00:00"); t += 1800) {
		if (tz_local("Always", t, &tm) || tm.tm_gmtoff != -4 * 3600 ||
		    !tm.tm_isdst)
			fail_msg("permanent daylight time is UTC%+ld at %lld",
				 tm.tm_gmtoff, (long long)t);
	}
	snprintf(path, sizeof(path), "%s/Always", dir);
	unlink(path);
	/* Not a zone file. */
	snprintf(path, sizeof(path), "%s/Junk", dir);
	f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write %s", path);
	fputs("not a zone\n", f);
	fclose(f);
	err = tz_check("Junk");
	unlink(path);
	unsetenv("TZDIR");
	rmdir(dir);
	if (err != -EBADMSG)
		fail_msg("a text file passes as a time zone (%s)",
			 strerror(-err));
	tz_cache_clear();
}

static void test_tz_names(void **state)
{
	static const struct {
		const char *name;
		int err;
	} cases[] = {
	    {"Europe/Berlin", 0},
	    {"America/Argentina/Buenos_Aires", 0},
	    {"Etc/GMT+5", 0},
	    {"UTC", 0},
	    {"Mars/Base", -ENOENT},
	    {"Europe", -ENOENT}, /* a folder */
	    {"europe/berlin", -ENOENT},
	    {"", -EINVAL},
	    {"../../etc/passwd", -EINVAL},
	    {"/etc/localtime", -EINVAL},
	    {"Europe//Berlin", -EINVAL},
	    {"Europe/", -EINVAL},
	    {"zone.tab", -EINVAL},
	    {"Europe/Berlin ", -EINVAL},
	    {"Europe/"
	     "Berlin_and_a_name_that_is_longer_than_sixty_three_characters",
	     -EINVAL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = tz_check(cases[i].name);

		if (err != cases[i].err)
			fail_msg("tz_check('%s') is %s, not %s", cases[i].name,
				 strerror(-err), strerror(-cases[i].err));
	}
	if (tz_check(NULL) != -EINVAL)
		fail_msg("tz_check(NULL) passes");
	if (tz_weekday(2026, 3, 29) != 0 || tz_weekday(2000, 2, 29) != 2 ||
	    tz_weekday(1969, 12, 31) != 3)
		fail_msg("tz_weekday is wrong");
	if (tz_month_days(2028, 2) != 29 || tz_month_days(2100, 2) != 28 ||
	    tz_month_days(2000, 2) != 29 || tz_month_days(2026, 4) != 30 ||
	    tz_month_days(2026, 13) != 0)
		fail_msg("tz_month_days is wrong");
	tz_cache_clear();
}

/* ---- rule and date text -------------------------------------------------- */

static void test_rule_text(void **state)
{
	static const struct {
		const char *text, *canon;
		unsigned days;
		int start, end;
	} good[] = {
	    {"mon-fri 08:00-17:30", "mon-fri 08:00-17:30", 0x1f, 480, 1050},
	    {"Sat 22:00-02:00", "sat 22:00-02:00", 0x20, 1320, 120},
	    {"  sun  ", "sun 00:00-24:00", 0x40, 0, 1440},
	    {"fri-mon", "mon,fri-sun 00:00-24:00", 0x71, 0, 1440},
	    {"mon,wed,fri 09:00-12:00", "mon,wed,fri 09:00-12:00", 0x15, 540,
	     720},
	    {"mon-sun 00:00-24:00", "mon-sun 00:00-24:00", 0x7f, 0, 1440},
	    {"tue,thu-sat 23:59-00:01", "tue,thu-sat 23:59-00:01", 0x3a, 1439,
	     1},
	};
	static const struct {
		const char *text, *err;
	} bad[] = {
	    {"", "a rule needs days, as in 'mon-fri 08:00-17:30'"},
	    {"mo 08:00-17:00",
	     "unknown day 'mo' (mon, tue, wed, thu, fri, sat, sun, a range "
	     "such as mon-fri, or a list)"},
	    {"mon,,fri",
	     "unknown day '' (mon, tue, wed, thu, fri, sat, sun, a range "
	     "such as mon-fri, or a list)"},
	    {"mon,",
	     "unknown day '' (mon, tue, wed, thu, fri, sat, sun, a range "
	     "such as mon-fri, or a list)"},
	    {"mon-fri 8:00-17:00",
	     "bad time range '8:00-17:00' (HH:MM-HH:MM from 00:00 to 24:00, "
	     "such as 08:00-17:30)"},
	    {"mon 24:00-01:00",
	     "bad time range '24:00-01:00' (HH:MM-HH:MM from 00:00 to 24:00, "
	     "such as 08:00-17:30)"},
	    {"mon 08:60-09:00",
	     "bad time range '08:60-09:00' (HH:MM-HH:MM from 00:00 to 24:00, "
	     "such as 08:00-17:30)"},
	    {"mon 08:00-08:00",
	     "the time range '08:00-08:00' is empty (for the whole day: "
	     "00:00-24:00)"},
	    {"mon 08:00-17:00 tue", "'tue' after the time range"},
	};
	struct db_tc_rule r;
	char err[200], text[DB_TC_RULE_TEXT_LEN];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (db_tc_rule_parse(good[i].text, &r, err, sizeof(err)))
			fail_msg("'%s' is refused: %s", good[i].text, err);
		db_tc_rule_format(&r, text);
		if (r.days != good[i].days || r.start_min != good[i].start ||
		    r.end_min != good[i].end || strcmp(text, good[i].canon))
			fail_msg("'%s' reads as days %#x, %d-%d, '%s'",
				 good[i].text, r.days, r.start_min, r.end_min,
				 text);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (db_tc_rule_parse(bad[i].text, &r, err, sizeof(err)) !=
			-EINVAL ||
		    strcmp(err, bad[i].err))
			fail_msg("'%s' gives '%s', not '%s'", bad[i].text, err,
				 bad[i].err);
	}
	r.days = 0x7f;
	r.start_min = 0;
	r.end_min = 1440;
	db_tc_rule_format(&r, text);
	if (strcmp(text, "mon-sun 00:00-24:00"))
		fail_msg("every day formats as '%s'", text);
}

static void test_date_text(void **state)
{
	static const char *const good[] = {"2026-12-25", "12-25", "02-29",
					   "2028-02-29", "01-01", "2100-12-31"};
	static const char *const bad[] = {
	    "2027-02-29", "2026-13-01",	 "2026-12-32", "1899-01-01",
	    "12/25",	  "2026-1-01",	 "13-01",      "00-10",
	    "",		  "2026-12-25x", "2026-04-31"};
	struct db_tc_holiday h;
	char back[DB_TC_DATE_LEN];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (db_tc_date_parse(good[i], &h))
			fail_msg("date '%s' is refused", good[i]);
		db_tc_date_format(&h, back);
		if (strcmp(back, good[i]))
			fail_msg("date '%s' reads back as '%s'", good[i], back);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (db_tc_date_parse(bad[i], &h) != -EINVAL)
			fail_msg("date '%s' is taken", bad[i]);
	if (db_tc_date_parse(NULL, &h) != -EINVAL)
		fail_msg("a NULL date is taken");
}

/* ---- the evaluator ------------------------------------------------------- */

#define NO_RULE TC_WHY_NO_RULE
#define RULE	TC_WHY_RULE
#define HOLIDAY TC_WHY_HOLIDAY

/* A moment (UTC) in a zone, a condition's rules and holidays ('|'
 * between them), and what tc_eval must say: open, why, which one, and
 * the local time it saw ("YYYY-MM-DD HH:MM wd"). */
static const struct eval_case {
	const char *zone, *when, *rules, *holidays;
	int open;
	enum tc_why why;
	int index;
	const char *local;
} cases[] = {
    /* weekdays, the first minute in and the first minute out */
    {"UTC", "2026-06-01 08:00:00", "mon-fri 08:00-17:30", "", 1, RULE, 0,
     "2026-06-01 08:00 1"},
    {"UTC", "2026-06-01 07:59:59", "mon-fri 08:00-17:30", "", 0, NO_RULE, 0,
     "2026-06-01 07:59 1"},
    {"UTC", "2026-06-05 17:29:59", "mon-fri 08:00-17:30", "", 1, RULE, 0,
     "2026-06-05 17:29 5"},
    {"UTC", "2026-06-05 17:30:00", "mon-fri 08:00-17:30", "", 0, NO_RULE, 0,
     "2026-06-05 17:30 5"},
    {"UTC", "2026-06-06 10:00:00", "mon-fri 08:00-17:30", "", 0, NO_RULE, 0,
     "2026-06-06 10:00 6"},
    {"UTC", "2026-06-06 10:00:00", "mon-fri 08:00-17:30|sat 09:00-12:00", "", 1,
     RULE, 1, "2026-06-06 10:00 6"},
    {"UTC", "2026-06-05 23:59:00", "fri 00:00-24:00", "", 1, RULE, 0,
     "2026-06-05 23:59 5"},
    {"UTC", "2026-06-06 00:00:00", "fri 00:00-24:00", "", 0, NO_RULE, 0,
     "2026-06-06 00:00 6"},
    {"UTC", "2026-06-03 12:00:00", "", "", 0, NO_RULE, 0, "2026-06-03 12:00 3"},
    /* across midnight: Saturday 22:00 to Sunday 02:00 */
    {"UTC", "2026-06-06 21:59:00", "sat 22:00-02:00", "", 0, NO_RULE, 0,
     "2026-06-06 21:59 6"},
    {"UTC", "2026-06-06 22:00:00", "sat 22:00-02:00", "", 1, RULE, 0,
     "2026-06-06 22:00 6"},
    {"UTC", "2026-06-07 01:59:00", "sat 22:00-02:00", "", 1, RULE, 0,
     "2026-06-07 01:59 0"},
    {"UTC", "2026-06-07 02:00:00", "sat 22:00-02:00", "", 0, NO_RULE, 0,
     "2026-06-07 02:00 0"},
    {"UTC", "2026-06-06 01:00:00", "sat 22:00-02:00", "", 0, NO_RULE, 0,
     "2026-06-06 01:00 6"},
    {"UTC", "2026-06-07 23:00:00", "sat 22:00-02:00", "", 0, NO_RULE, 0,
     "2026-06-07 23:00 0"},
    /* Sunday night into Monday: across the end of the week */
    {"UTC", "2026-06-08 01:00:00", "sun 22:00-02:00", "", 1, RULE, 0,
     "2026-06-08 01:00 1"},
    /* holidays close the whole day, once or every year */
    {"UTC", "2026-12-25 10:00:00", "mon-sun", "2026-12-25", 0, HOLIDAY, 0,
     "2026-12-25 10:00 5"},
    {"UTC", "2027-12-25 10:00:00", "mon-sun", "2026-12-25", 1, RULE, 0,
     "2027-12-25 10:00 6"},
    {"UTC", "2027-12-25 00:00:00", "mon-sun", "01-01|12-25", 0, HOLIDAY, 1,
     "2027-12-25 00:00 6"},
    {"UTC", "2027-12-24 23:59:59", "mon-sun", "12-25", 1, RULE, 0,
     "2027-12-24 23:59 5"},
    {"UTC", "2028-02-29 12:00:00", "mon-sun", "02-29", 0, HOLIDAY, 0,
     "2028-02-29 12:00 2"},
    /* a night rule into a holiday: closed from midnight */
    {"UTC", "2026-12-24 23:00:00", "thu 22:00-02:00", "12-25", 1, RULE, 0,
     "2026-12-24 23:00 4"},
    {"UTC", "2026-12-25 01:00:00", "thu 22:00-02:00", "12-25", 0, HOLIDAY, 0,
     "2026-12-25 01:00 5"},
    /* the holiday is the tenant's local date, not UTC's */
    {"Europe/Berlin", "2026-12-24 23:30:00", "mon-sun", "12-25", 0, HOLIDAY, 0,
     "2026-12-25 00:30 5"},
    {"America/New_York", "2026-12-25 03:00:00", "mon-sun", "12-25", 1, RULE, 0,
     "2026-12-24 22:00 4"},
    /* Europe/Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST */
    {"Europe/Berlin", "2026-03-29 00:59:59", "sun 03:00-04:00", "", 0, NO_RULE,
     0, "2026-03-29 01:59 0"},
    {"Europe/Berlin", "2026-03-29 01:00:00", "sun 03:00-04:00", "", 1, RULE, 0,
     "2026-03-29 03:00 0"},
    {"Europe/Berlin", "2026-03-29 01:59:59", "sun 03:00-04:00", "", 1, RULE, 0,
     "2026-03-29 03:59 0"},
    {"Europe/Berlin", "2026-03-29 02:00:00", "sun 03:00-04:00", "", 0, NO_RULE,
     0, "2026-03-29 04:00 0"},
    {"Europe/Berlin", "2026-03-27 07:00:00", "mon-fri 08:00-17:30", "", 1, RULE,
     0, "2026-03-27 08:00 5"},
    {"Europe/Berlin", "2026-03-30 05:59:00", "mon-fri 08:00-17:30", "", 0,
     NO_RULE, 0, "2026-03-30 07:59 1"},
    {"Europe/Berlin", "2026-03-30 06:00:00", "mon-fri 08:00-17:30", "", 1, RULE,
     0, "2026-03-30 08:00 1"},
    {"Europe/Berlin", "2026-03-30 15:30:00", "mon-fri 08:00-17:30", "", 0,
     NO_RULE, 0, "2026-03-30 17:30 1"},
    /* Europe/Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET; the hour
     * 02:00-03:00 comes twice and is in the rule both times */
    {"Europe/Berlin", "2026-10-25 00:00:00", "sun 02:00-03:00", "", 1, RULE, 0,
     "2026-10-25 02:00 0"},
    {"Europe/Berlin", "2026-10-25 00:59:00", "sun 02:00-03:00", "", 1, RULE, 0,
     "2026-10-25 02:59 0"},
    {"Europe/Berlin", "2026-10-25 01:00:00", "sun 02:00-03:00", "", 1, RULE, 0,
     "2026-10-25 02:00 0"},
    {"Europe/Berlin", "2026-10-25 02:00:00", "sun 02:00-03:00", "", 0, NO_RULE,
     0, "2026-10-25 03:00 0"},
    /* America/New_York, 2026-03-08: 02:00 EST becomes 03:00 EDT; a rule
     * for the hour that does not exist never holds */
    {"America/New_York", "2026-03-08 06:59:00", "sun 02:00-03:00", "", 0,
     NO_RULE, 0, "2026-03-08 01:59 0"},
    {"America/New_York", "2026-03-08 07:00:00", "sun 02:00-03:00", "", 0,
     NO_RULE, 0, "2026-03-08 03:00 0"},
    {"America/New_York", "2026-03-06 13:59:00", "mon-fri 09:00-17:00", "", 0,
     NO_RULE, 0, "2026-03-06 08:59 5"},
    {"America/New_York", "2026-03-06 14:00:00", "mon-fri 09:00-17:00", "", 1,
     RULE, 0, "2026-03-06 09:00 5"},
    {"America/New_York", "2026-03-09 13:00:00", "mon-fri 09:00-17:00", "", 1,
     RULE, 0, "2026-03-09 09:00 1"},
    /* America/New_York, 2026-11-01: 02:00 EDT becomes 01:00 EST */
    {"America/New_York", "2026-11-01 05:30:00", "sun 01:00-02:00", "", 1, RULE,
     0, "2026-11-01 01:30 0"},
    {"America/New_York", "2026-11-01 06:30:00", "sun 01:00-02:00", "", 1, RULE,
     0, "2026-11-01 01:30 0"},
    {"America/New_York", "2026-11-01 07:00:00", "sun 01:00-02:00", "", 0,
     NO_RULE, 0, "2026-11-01 02:00 0"},
};

/* Splits "a|b" and parses each with `parse` into `out` (n at most). */
static int split(const char *list, int max, int (*parse)(const char *, void *),
		 void *out, size_t size)
{
	char buf[256], *save = NULL;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *p = strtok_r(buf, "|", &save); p && n < max;
	     p = strtok_r(NULL, "|", &save), n++)
		if (parse(p, (char *)out + (size_t)n * size))
			fail_msg("test bug: cannot parse '%s'", p);
	return n;
}

static int parse_rule(const char *s, void *out)
{
	return db_tc_rule_parse(s, out, NULL, 0);
}

static int parse_date(const char *s, void *out)
{
	return db_tc_date_parse(s, out);
}

static void test_eval_table(void **state)
{
	struct db_tc_rule rules[4];
	struct db_tc_holiday hol[4];
	struct tc_rules r = {.rules = rules, .holidays = hol};
	struct tc_result res;
	char local[48];
	int open;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct eval_case *c = &cases[i];

		r.nrules =
		    split(c->rules, 4, parse_rule, rules, sizeof(*rules));
		r.nholidays =
		    split(c->holidays, 4, parse_date, hol, sizeof(*hol));
		if (tc_eval(&r, utc(c->when), c->zone, &res))
			fail_msg("tc_eval fails for %s in %s", c->when,
				 c->zone);
		snprintf(local, sizeof(local), "%04d-%02d-%02d %02d:%02d %d",
			 res.local.tm_year + 1900, res.local.tm_mon + 1,
			 res.local.tm_mday, res.local.tm_hour, res.local.tm_min,
			 res.local.tm_wday);
		if (res.open != c->open || res.why != c->why ||
		    (c->why != NO_RULE && res.index != c->index) ||
		    strcmp(local, c->local))
			fail_msg("case %zu: '%s' [%s] at %s UTC in %s: callers "
				 "go to the %s branch (why %d, #%d, local %s); "
				 "expected %s (why %d, #%d, local %s)",
				 i, c->rules, c->holidays, c->when, c->zone,
				 res.open ? "open" : "closed", res.why,
				 res.index, local, c->open ? "open" : "closed",
				 c->why, c->index, c->local);
		if (tc_open(&r, utc(c->when), c->zone, &open) ||
		    open != c->open)
			fail_msg("case %zu: tc_open says %d", i, open);
	}
	if (tc_open(&r, 0, "Mars/Base", &open) != -ENOENT || open)
		fail_msg("an unknown zone is evaluated");
	tz_cache_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tz_like_glibc),
	    cmocka_unit_test(test_tz_footer_rules),
	    cmocka_unit_test(test_tz_names),
	    cmocka_unit_test(test_rule_text),
	    cmocka_unit_test(test_date_text),
	    cmocka_unit_test(test_eval_table),
	};

	return cmocka_run_group_tests_name("time conditions", tests, NULL,
					   NULL);
}
