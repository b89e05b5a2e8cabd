/* tz.c - IANA time zones read from their TZif files (RFC 8536), and local
 * time in them without the process's TZ (tz.h says why). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/tz.h"

#define ZONEINFO_DIR "/usr/share/zoneinfo"
/* The largest zone file of tzdata is a few KB; anything far beyond is not
 * one. */
#define TZIF_MAX_SIZE (256 * 1024)
#define TZIF_HDR_LEN  44
#define FOOTER_LEN    128

/* The day and time of a change in a POSIX TZ rule. */
struct rule_date {
	char kind;   /* 'J' Jn: 1..365, Feb 29 never counted; 'D' n: 0..365;
		      * 'M' Mm.w.d */
	int a, b, c; /* J, D: a is the day; M: month a, week b (5: the last),
		      * weekday c (0 Sunday) */
	long secs;   /* local time of day of the change; may be < 0 or > 24 h */
};

/* A POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3", with the
 * offsets east of UTC (POSIX writes them west). */
struct posix_tz {
	long std_off, dst_off;
	bool has_dst;
	struct rule_date start, end;
};

struct zone {
	struct zone *next; /* in the cache */
	char name[TZ_NAME_LEN];
	int ntrans, ntypes;
	int64_t *trans;	     /* ntrans transition times, ascending */
	uint8_t *trans_type; /* the type in force from each transition on */
	int32_t *utoff;	     /* per type: seconds east of UTC */
	uint8_t *isdst;	     /* per type */
	bool has_footer;     /* times after the last transition follow: */
	struct posix_tz footer;
};

static int32_t utc_off[1];
static uint8_t utc_dst[1];
/* "UTC" needs no file: the default zone of every tenant works even where
 * tzdata is missing. */
static struct zone utc_zone = {
    .name = "UTC", .ntypes = 1, .utoff = utc_off, .isdst = utc_dst};

/* Loaded zones. Guarded by cache_lock; a zone in the list never changes
 * and is freed only by tz_cache_clear(), so a pointer to one is used
 * without the lock. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct zone *cache;

/* ---- calendar arithmetic ------------------------------------------------ */

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tz_month_days(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	return days[month - 1] + (month == 2 && leap(year));
}

/* Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* 0 Sunday .. 6 Saturday; 1970-01-01 was a Thursday. */
static int weekday_of(int64_t days)
{
	int64_t w = (days + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

int tz_weekday(int year, int month, int day)
{
	return weekday_of(days_from_civil(year, month, day));
}

/* ---- POSIX TZ strings (the footer of a TZif file) ----------------------- */

/* Up to `max` digits as a number; NULL if there is none. */
static const char *num(const char *p, int max, long *v)
{
	int n = 0;

	*v = 0;
	while (n < max && isdigit((unsigned char)p[n]))
		*v = *v * 10 + (p[n++] - '0');
	return n ? p + n : NULL;
}

/* A zone abbreviation: "<+03>" or three letters or more. */
static const char *parse_abbr(const char *p)
{
	const char *s = p;

	if (*p == '<') {
		p = strchr(p, '>');
		return p ? p + 1 : NULL;
	}
	while (isalpha((unsigned char)*p))
		p++;
	return p - s >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] in seconds; RFC 8536 allows hours up to 167. */
static const char *parse_hms(const char *p, long *secs)
{
	long h, m = 0, s = 0, sign = 1;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	p = num(p, 3, &h);
	if (!p || h > 167)
		return NULL;
	if (*p == ':' && (!(p = num(p + 1, 2, &m)) || m > 59))
		return NULL;
	if (*p == ':' && (!(p = num(p + 1, 2, &s)) || s > 59))
		return NULL;
	*secs = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *parse_date(const char *p, struct rule_date *d)
{
	long a, b = 0, c = 0;

	d->kind = *p == 'J' || *p == 'M' ? *p++ : 'D';
	if (d->kind == 'M') {
		if (!(p = num(p, 2, &a)) || *p++ != '.' ||
		    !(p = num(p, 1, &b)) || *p++ != '.' ||
		    !(p = num(p, 1, &c)) || a < 1 || a > 12 || b < 1 || b > 5 ||
		    c > 6)
			return NULL;
	} else if (!(p = num(p, 3, &a)) || a > 365 ||
		   (d->kind == 'J' && a < 1)) {
		return NULL;
	}
	d->a = (int)a;
	d->b = (int)b;
	d->c = (int)c;
	d->secs = 7200; /* 02:00 unless said */
	if (*p == '/')
		p = parse_hms(p + 1, &d->secs);
	return p;
}

static int parse_posix(const char *s, struct posix_tz *tz)
{
	const char *p = parse_abbr(s);
	long off;

	memset(tz, 0, sizeof(*tz));
	if (!p || !(p = parse_hms(p, &off)))
		return -EBADMSG;
	tz->std_off = -off;
	if (!*p)
		return 0;
	if (!(p = parse_abbr(p)))
		return -EBADMSG;
	tz->has_dst = true;
	tz->dst_off = tz->std_off + 3600; /* no offset given: an hour ahead */
	if (*p && *p != ',') {
		if (!(p = parse_hms(p, &off)))
			return -EBADMSG;
		tz->dst_off = -off;
	}
	if (!*p) {
		/* No rule: POSIX leaves it to the system; glibc (and the
		 * tz code) take the US rule. */
		tz->start = (struct rule_date){'M', 3, 2, 0, 7200};
		tz->end = (struct rule_date){'M', 11, 1, 0, 7200};
		return 0;
	}
	if (*p != ',')
		return -EBADMSG;
	p = parse_date(p + 1, &tz->start);
	if (!p || *p != ',')
		return -EBADMSG;
	p = parse_date(p + 1, &tz->end);
	return p && !*p ? 0 : -EBADMSG;
}

/* The day (since 1970-01-01) a rule date falls on in year y. */
static int64_t rule_day(int64_t y, const struct rule_date *d)
{
	int64_t first;
	int day;

	switch (d->kind) {
	case 'J':
		return days_from_civil(y, 1, 1) + d->a - 1 +
		       (leap(y) && d->a >= 60);
	case 'D':
		return days_from_civil(y, 1, 1) + d->a;
	default:
		first = days_from_civil(y, d->a, 1);
		day = 1 + (d->c - weekday_of(first) + 7) % 7 + 7 * (d->b - 1);
		while (day > tz_month_days((int)y, d->a))
			day -= 7;
		return first + day - 1;
	}
}

static bool footer_dst(const struct posix_tz *tz, int64_t t)
{
	time_t std_local = (time_t)(t + tz->std_off);
	int64_t y, start, end;
	struct tm tm;

	if (!tz->has_dst || !gmtime_r(&std_local, &tm))
		return false;
	/* Both changes of the year t falls in, standard time. The start is
	 * said in standard time, the end in daylight time. */
	y = (int64_t)tm.tm_year + 1900;
	start = rule_day(y, &tz->start) * 86400 + tz->start.secs - tz->std_off;
	end = rule_day(y, &tz->end) * 86400 + tz->end.secs - tz->dst_off;
	if (start < end)
		return t >= start && t < end;
	/* Southern hemisphere: daylight time across the new year. */
	return !(t >= end && t < start);
}

/* ---- TZif files --------------------------------------------------------- */

struct tzif_hdr {
	char version;
	uint32_t isut, isstd, leap, time, type, chars;
};

static int64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return n == 4 ? (int32_t)(uint32_t)v : (int64_t)v;
}

static int read_hdr(const unsigned char *p, size_t len, struct tzif_hdr *h)
{
	if (len < TZIF_HDR_LEN || memcmp(p, "TZif", 4))
		return -EBADMSG;
	h->version = (char)p[4];
	h->isut = (uint32_t)be(p + 20, 4);
	h->isstd = (uint32_t)be(p + 24, 4);
	h->leap = (uint32_t)be(p + 28, 4);
	h->time = (uint32_t)be(p + 32, 4);
	h->type = (uint32_t)be(p + 36, 4);
	h->chars = (uint32_t)be(p + 40, 4);
	/* Bounds that also keep block_len() from overflowing. */
	if (h->type < 1 || h->type > 256 || h->time > TZIF_MAX_SIZE ||
	    h->leap > TZIF_MAX_SIZE || h->chars > TZIF_MAX_SIZE ||
	    (h->isut && h->isut != h->type) ||
	    (h->isstd && h->isstd != h->type))
		return -EBADMSG;
	return 0;
}

/* Bytes of the data block after a header, with times of `tsize` bytes. */
static size_t block_len(const struct tzif_hdr *h, size_t tsize)
{
	return h->time * tsize + h->time + h->type * 6 + h->chars +
	       h->leap * (tsize + 4) + h->isstd + h->isut;
}

static void zone_free(struct zone *z)
{
	if (!z || z == &utc_zone)
		return;
	free(z->trans);
	free(z->trans_type);
	free(z->utoff);
	free(z->isdst);
	free(z);
}

/* The footer: "\nTZ string\n" after the version 2+ data. A footer that
 * does not parse is ignored: the table still holds until its end. */
static void read_footer(struct zone *z, const unsigned char *p, size_t len)
{
	char s[FOOTER_LEN];
	const unsigned char *nl;

	if (len < 2 || p[0] != '\n')
		return;
	nl = memchr(p + 1, '\n', len - 1);
	if (!nl || nl == p + 1 || (size_t)(nl - p - 1) >= sizeof(s))
		return;
	memcpy(s, p + 1, (size_t)(nl - p - 1));
	s[nl - p - 1] = '\0';
	z->has_footer = parse_posix(s, &z->footer) == 0;
}

static int parse_tzif(const unsigned char *buf, size_t len, struct zone *z)
{
	const unsigned char *p, *types;
	struct tzif_hdr h;
	size_t off = 0, tsize = 4;
	int err = read_hdr(buf, len, &h);

	/* Version 2 and later repeat the data with 64-bit times after the
	 * 32-bit block, then the footer: skip to them. */
	if (!err && h.version >= '2') {
		off = TZIF_HDR_LEN + block_len(&h, 4);
		err =
		    off <= len ? read_hdr(buf + off, len - off, &h) : -EBADMSG;
		tsize = 8;
	}
	if (err)
		return err;
	off += TZIF_HDR_LEN;
	if (block_len(&h, tsize) > len - off)
		return -EBADMSG;
	p = buf + off;
	z->ntrans = (int)h.time;
	z->ntypes = (int)h.type;
	z->trans = calloc(h.time + 1, sizeof(*z->trans));
	z->trans_type = calloc(h.time + 1, 1);
	z->utoff = calloc(h.type, sizeof(*z->utoff));
	z->isdst = calloc(h.type, 1);
	if (!z->trans || !z->trans_type || !z->utoff || !z->isdst)
		return -ENOMEM;
	for (uint32_t i = 0; i < h.time; i++) {
		z->trans[i] = be(p + i * tsize, (int)tsize);
		z->trans_type[i] = p[h.time * tsize + i];
		if (z->trans_type[i] >= h.type ||
		    (i && z->trans[i] <= z->trans[i - 1]))
			return -EBADMSG;
	}
	types = p + h.time * tsize + h.time;
	for (uint32_t i = 0; i < h.type; i++) {
		z->utoff[i] = (int32_t)be(types + 6 * i, 4);
		z->isdst[i] = types[6 * i + 4] != 0;
	}
	off += block_len(&h, tsize);
	if (tsize == 8)
		read_footer(z, buf + off, len - off);
	return 0;
}

static bool name_ok(const char *s)
{
	size_t n;

	if (!s || !*s || (n = strnlen(s, TZ_NAME_LEN)) >= TZ_NAME_LEN ||
	    s[0] == '/' || s[n - 1] == '/')
		return false;
	/* No '.' at all: no "..", and none of the data files (zone.tab,
	 * tzdata.zi) beside the zones. */
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || strchr("_+-/", s[i])) ||
		    (s[i] == '/' && s[i + 1] == '/'))
			return false;
	return true;
}

static int read_file(const char *path, unsigned char **bufp, size_t *lenp)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*bufp = NULL;
	*lenp = 0;
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? -ENOENT : -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENOENT;
	}
	if (st.st_size > TZIF_MAX_SIZE ||
	    !(buf = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return st.st_size > TZIF_MAX_SIZE ? -EBADMSG : -ENOMEM;
	}
	while (got < (size_t)st.st_size &&
	       (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	*bufp = buf;
	*lenp = got;
	return 0;
}

static int zone_load(const char *name, struct zone **zp)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	unsigned char *buf;
	struct zone *z;
	size_t len;
	int err;

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : ZONEINFO_DIR,
		 name);
	err = read_file(path, &buf, &len);
	if (err)
		return err;
	z = calloc(1, sizeof(*z));
	err = z ? parse_tzif(buf, len, z) : -ENOMEM;
	free(buf);
	if (err) {
		zone_free(z);
		return err;
	}
	snprintf(z->name, sizeof(z->name), "%s", name);
	*zp = z;
	return 0;
}

static struct zone *cache_find(const char *name)
{
	struct zone *z;

	for (z = cache; z && strcmp(z->name, name); z = z->next)
		;
	return z;
}

static int zone_get(const char *name, const struct zone **zp)
{
	struct zone *z, *have;
	int err;

	if (!name_ok(name))
		return -EINVAL;
	if (!strcmp(name, "UTC")) {
		*zp = &utc_zone;
		return 0;
	}
	pthread_mutex_lock(&cache_lock);
	have = cache_find(name);
	pthread_mutex_unlock(&cache_lock);
	if (have) {
		*zp = have;
		return 0;
	}
	/* The file is read outside the lock; a thread that loaded the same
	 * zone meanwhile wins, and ours is dropped. */
	err = zone_load(name, &z);
	if (err)
		return err;
	pthread_mutex_lock(&cache_lock);
	have = cache_find(name);
	if (!have) {
		z->next = cache;
		cache = have = z;
		z = NULL;
	}
	pthread_mutex_unlock(&cache_lock);
	zone_free(z);
	*zp = have;
	return 0;
}

void tz_cache_clear(void)
{
	struct zone *z;

	pthread_mutex_lock(&cache_lock);
	while ((z = cache)) {
		cache = z->next;
		zone_free(z);
	}
	pthread_mutex_unlock(&cache_lock);
}

int tz_check(const char *zone)
{
	const struct zone *z;

	return zone_get(zone, &z);
}

/* The offset east of UTC and the DST flag in force at t. */
static void offset_at(const struct zone *z, int64_t t, long *off, int *dst)
{
	int lo = 0, hi = z->ntrans - 1, type = 0;

	if (z->has_footer && (!z->ntrans || t >= z->trans[z->ntrans - 1])) {
		*dst = footer_dst(&z->footer, t);
		*off = *dst ? z->footer.dst_off : z->footer.std_off;
		return;
	}
	/* Before the first transition: type 0 (RFC 8536 3.2). Else the
	 * last transition at or before t. */
	if (z->ntrans && t >= z->trans[0]) {
		while (lo < hi) {
			int mid = lo + (hi - lo + 1) / 2;

			if (z->trans[mid] <= t)
				lo = mid;
			else
				hi = mid - 1;
		}
		type = z->trans_type[lo];
	}
	*off = z->utoff[type];
	*dst = z->isdst[type];
}

int tz_local(const char *zone, time_t t, struct tm *tm)
{
	const struct zone *z;
	time_t local;
	long off;
	int dst, err;

	if (!tm)
		return -EINVAL;
	err = zone_get(zone, &z);
	if (err)
		return err;
	offset_at(z, (int64_t)t, &off, &dst);
	local = t + off;
	if (!gmtime_r(&local, tm))
		return -EOVERFLOW;
	tm->tm_isdst = dst;
	tm->tm_gmtoff = off;
	tm->tm_zone = NULL;
	return 0;
}
