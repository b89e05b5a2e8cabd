/* fuzz_dialplan.c - libFuzzer target: what an admin types into a route
 * (pattern and argument template, from the REST API or ondoctl) and what a
 * phone dials, through dp_pattern_compile, dp_pattern_match,
 * dp_expand_check and dp_expand as dp_lookup and dp_route_check use them;
 * and the time-condition rule and holiday parsers behind the same API
 * (db_tc_rule_parse, db_tc_date_parse) with their formatters.
 *
 * Besides memory errors and PCRE2 blow-ups (a pattern that takes over the
 * -timeout), it checks that a capture is a piece of the dialled number (so
 * a dialable number cannot expand into something that breaks out of a SIP
 * URI), that a template dp_expand_check accepted expands, and that rules
 * and dates read back as they were written.
 *
 * Input: fields separated by NUL bytes: pattern, dialled number, template,
 * caller, time-condition rule, holiday date. Missing fields are "". */
#include "dialplan/dialplan.h"
#include "fuzz/fuzz_util.h"

enum { F_PATTERN, F_NUMBER, F_TMPL, F_CALLER, F_RULE, F_DATE, NF };

static void check_err(const char *err, size_t len, int rc)
{
	FUZZ_CHECK(memchr(err, '\0', len), "error text not terminated");
	if (rc == -EINVAL)
		FUZZ_CHECK(err[0], "-EINVAL without a reason");
}

static void expand(const char *tmpl, const char *number, const char *caller,
		   const struct dp_match *m, int ncap)
{
	struct dp_vars v = {
	    .exten = number, .caller = caller, .domain = "acme.test"};
	char err[256], out[DB_ROUTE_ARGS_LEN], small[8];
	int ok, rc;

	ok = dp_expand_check(tmpl, ncap, err, sizeof(err));
	check_err(err, sizeof(err), ok);
	rc = dp_expand(tmpl, &v, m, out, sizeof(out));
	FUZZ_CHECK(memchr(out, '\0', sizeof(out)), "expansion not terminated");
	FUZZ_CHECK(rc == 0 || !out[0], "output left after error %d", rc);
	if (ok == 0)
		FUZZ_CHECK(rc == 0 || rc == -ENOSPC,
			   "template '%s' passed the check but expands with "
			   "%d: the route would be skipped at every call",
			   tmpl, rc);
	rc = dp_expand(tmpl, &v, m, small, sizeof(small));
	FUZZ_CHECK(memchr(small, '\0', sizeof(small)) && (rc == 0 || !small[0]),
		   "short expansion not terminated or left after error");
}

static void pattern(char **f)
{
	struct dp_pattern *p = NULL;
	struct dp_match m;
	char err[256];
	int rc, ncap;

	rc = dp_pattern_compile(&p, f[F_PATTERN], err, sizeof(err));
	check_err(err, sizeof(err), rc);
	if (rc) {
		FUZZ_CHECK(!p, "pattern left on error");
		return;
	}
	ncap = dp_pattern_ncap(p);
	FUZZ_CHECK(ncap >= 1 && ncap <= DP_NCAP, "%d captures", ncap);
	FUZZ_CHECK(dp_pattern_rank(p) >= 0, "rank %d", dp_pattern_rank(p));
	memset(&m, 0, sizeof(m));
	rc = dp_pattern_match(p, f[F_NUMBER], &m);
	/* -EINVAL: a PCRE2 match error (e.g. a recursion loop), which
	 * dp_lookup logs and skips like -E2BIG. */
	FUZZ_CHECK(rc == 0 || rc == 1 || rc == -E2BIG || rc == -EINVAL,
		   "match returned %d", rc);
	if (rc == 1) {
		FUZZ_CHECK(m.ncap == ncap, "match has %d captures of %d",
			   m.ncap, ncap);
		FUZZ_CHECK(!strcmp(m.cap[0], f[F_NUMBER]),
			   "$0 '%s' is not the number", m.cap[0]);
		for (int i = 0; i < DP_NCAP; i++) {
			FUZZ_CHECK(memchr(m.cap[i], '\0', sizeof(m.cap[i])),
				   "capture %d not terminated", i);
			FUZZ_CHECK(strstr(f[F_NUMBER], m.cap[i]),
				   "capture %d '%s' is not a piece of the "
				   "number",
				   i, m.cap[i]);
		}
		expand(f[F_TMPL], f[F_NUMBER], f[F_CALLER], &m, ncap);
	} else {
		/* As a route is checked before it is stored: every capture
		 * there, all empty. */
		memset(&m, 0, sizeof(m));
		m.ncap = ncap;
		expand(f[F_TMPL], f[F_NUMBER], f[F_CALLER], &m, ncap);
	}
	dp_pattern_free(p);
}

static void rule(const char *text)
{
	char err[256], back[DB_TC_RULE_TEXT_LEN];
	struct db_tc_rule r, r2;
	int rc = db_tc_rule_parse(text, &r, err, sizeof(err));

	check_err(err, sizeof(err), rc);
	if (rc)
		return;
	FUZZ_CHECK(r.days && !(r.days & ~(unsigned)DB_TC_ALL_DAYS), "days %#x",
		   r.days);
	/* An end of 00:00 is midnight, like 24:00 (tc_eval reads both). */
	FUZZ_CHECK(r.start_min >= 0 && r.start_min < 1440 && r.end_min >= 0 &&
		       r.end_min <= 1440 && r.start_min != r.end_min,
		   "times %d-%d", r.start_min, r.end_min);
	db_tc_rule_format(&r, back);
	FUZZ_CHECK(
	    db_tc_rule_parse(back, &r2, NULL, 0) == 0 && r2.days == r.days &&
		r2.start_min == r.start_min && r2.end_min == r.end_min,
	    "rule '%s' is shown as '%s', which reads differently", text, back);
}

static void date(const char *text)
{
	struct db_tc_holiday h, h2;
	char back[DB_TC_DATE_LEN];

	if (db_tc_date_parse(text, &h))
		return;
	db_tc_date_format(&h, back);
	FUZZ_CHECK(db_tc_date_parse(back, &h2) == 0 && h2.year == h.year &&
		       h2.month == h.month && h2.day == h.day,
		   "date '%s' is shown as '%s', which reads differently", text,
		   back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[NF];

	fuzz_fields(data, size, '\0', f, NF);
	pattern(f);
	(void)dp_dialable(f[F_NUMBER]);
	rule(f[F_RULE]);
	date(f[F_DATE]);
	fuzz_fields_free(f, NF);
	return 0;
}
