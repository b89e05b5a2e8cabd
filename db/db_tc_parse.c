/* db_tc_parse.c - the text of time conditions: weekly rules ("mon-fri
 * 08:00-17:30"), holiday dates, names and time zones. Pure but for the
 * zone check, which reads the zone file. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db_priv.h"
#include "core/tz.h"

static const char *const day_names[] = {"mon", "tue", "wed", "thu",
					"fri", "sat", "sun"};
#define DAY_LIST "mon, tue, wed, thu, fri, sat, sun"

bool db_valid_tc_name(const char *s)
{
	/* The same shape as a menu's: both are named in DIDs and routes. */
	return db_valid_ivr_name(s);
}

bool db_valid_timezone(const char *s)
{
	return tz_check(s) == 0;
}

__attribute__((format(printf, 3, 4))) static int bad(char *err, size_t len,
						     const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int day_of(const char *s, size_t n)
{
	for (int i = 0; i < 7; i++)
		if (n == 3 && !strncasecmp(s, day_names[i], 3))
			return i;
	return -1;
}

/* "mon-fri,sun" into a bitmask; ranges may wrap ("fri-mon"). */
static int parse_days(const char *s, size_t len, unsigned *days, char *err,
		      size_t errlen)
{
	const char *end = s + len;

	*days = 0;
	for (;;) {
		size_t n = strcspn(s, ",");
		const char *dash;
		int a, b;

		if (s + n > end)
			n = (size_t)(end - s);
		dash = memchr(s, '-', n);
		a = day_of(s, dash ? (size_t)(dash - s) : n);
		b = dash ? day_of(dash + 1, n - (size_t)(dash - s) - 1) : a;
		if (a < 0 || b < 0)
			return bad(err, errlen,
				   "unknown day '%.*s' (" DAY_LIST
				   ", a range such as mon-fri, or a list)",
				   (int)n, s);
		for (int d = a;; d = (d + 1) % 7) {
			*days |= 1u << d;
			if (d == b)
				break;
		}
		if (s + n >= end)
			return 0;
		s += n + 1; /* past the comma: "mon," is an empty day */
	}
}

/* "08:00" as minutes of the day; 24:00 only as an end. */
static int parse_hhmm(const char *s, bool end, int *min)
{
	int h, m;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	if (m > 59 || h > 24 || (h == 24 && (m || !end)))
		return -1;
	*min = h * 60 + m;
	return 0;
}

int db_tc_rule_parse(const char *text, struct db_tc_rule *r, char *err,
		     size_t errlen)
{
	const char *days, *times;
	size_t ndays, ntimes;
	int rc;

	if (!r)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	if (!text)
		return -EINVAL;
	days = text + strspn(text, " \t");
	ndays = strcspn(days, " \t");
	times = days + ndays + strspn(days + ndays, " \t");
	ntimes = strcspn(times, " \t");
	if (!ndays)
		return bad(err, errlen,
			   "a rule needs days, as in 'mon-fri "
			   "08:00-17:30'");
	rc = parse_days(days, ndays, &r->days, err, errlen);
	if (rc)
		return rc;
	if (times[ntimes + strspn(times + ntimes, " \t")])
		return bad(err, errlen, "'%s' after the time range",
			   times + ntimes + strspn(times + ntimes, " \t"));
	if (!ntimes) {
		r->end_min = 24 * 60; /* the whole day */
		return 0;
	}
	if (ntimes != 11 || times[5] != '-' ||
	    parse_hhmm(times, false, &r->start_min) ||
	    parse_hhmm(times + 6, true, &r->end_min))
		return bad(err, errlen,
			   "bad time range '%.*s' (HH:MM-HH:MM from 00:00 to "
			   "24:00, such as 08:00-17:30)",
			   (int)ntimes, times);
	if (r->start_min == r->end_min)
		return bad(err, errlen,
			   "the time range '%.*s' is empty (for the whole "
			   "day: 00:00-24:00)",
			   (int)ntimes, times);
	return 0;
}

void db_tc_rule_format(const struct db_tc_rule *r,
		       char out[DB_TC_RULE_TEXT_LEN])
{
	size_t n = 0;

	out[0] = '\0';
	for (int d = 0; d < 7; d++) {
		int e = d;

		if (!(r->days & (1u << d)))
			continue;
		while (e < 6 && (r->days & (1u << (e + 1))))
			e++;
		n += (size_t)snprintf(
		    out + n, DB_TC_RULE_TEXT_LEN - n, "%s%s%s%s", n ? "," : "",
		    day_names[d], e > d ? "-" : "", e > d ? day_names[e] : "");
		d = e;
	}
	snprintf(out + n, DB_TC_RULE_TEXT_LEN - n, " %02d:%02d-%02d:%02d",
		 r->start_min / 60, r->start_min % 60, r->end_min / 60,
		 r->end_min % 60);
}

/* `n` digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + s[i] - '0';
	}
	return v;
}

int db_tc_date_parse(const char *text, struct db_tc_holiday *h)
{
	size_t len = text ? strlen(text) : 0;
	const char *md = text;

	if (!h)
		return -EINVAL;
	memset(h, 0, sizeof(*h));
	if (len == 10) {
		h->year = digits(text, 4);
		if (h->year < 1900 || text[4] != '-')
			return -EINVAL;
		md = text + 5;
	} else if (len != 5) {
		return -EINVAL;
	}
	h->month = digits(md, 2);
	h->day = digits(md + 3, 2);
	/* Every year: 02-29 is a holiday in the years that have it. */
	if (md[2] != '-' || h->month < 1 || h->month > 12 || h->day < 1 ||
	    h->day > tz_month_days(h->year ? h->year : 2000, h->month)) {
		memset(h, 0, sizeof(*h));
		return -EINVAL;
	}
	return 0;
}

void db_tc_date_format(const struct db_tc_holiday *h, char out[DB_TC_DATE_LEN])
{
	unsigned y = (unsigned)h->year % 10000, m = (unsigned)h->month % 100,
		 d = (unsigned)h->day % 100;

	if (y)
		snprintf(out, DB_TC_DATE_LEN, "%04u-%02u-%02u", y, m, d);
	else
		snprintf(out, DB_TC_DATE_LEN, "%02u-%02u", m, d);
}
