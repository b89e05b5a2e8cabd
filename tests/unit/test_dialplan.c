/* test_dialplan.c - dialplan patterns, argument expansion, route storage
 * and lookup against a real SQLite file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "db_priv.h"
#include "dialplan/dialplan.h"
#include "dbcheck.h"
#include "tmpdb.h"

/* ---- patterns ---------------------------------------------------------- */

struct match_row {
	const char *pattern;
	const char *number;
	int match;
	const char *cap1; /* NULL: not checked */
};

static const struct match_row match_rows[] = {
    /* exact */
    {"1001", "1001", 1, NULL},
    {"1001", "100", 0, NULL},
    {"1001", "10011", 0, NULL},
    {"*97", "*97", 1, NULL},
    {"*97", "97", 0, NULL},
    {"#1", "#1", 1, NULL},
    {"+4930123", "+4930123", 1, NULL},
    {"+4930123", "4930123", 0, NULL},
    /* _ with X, Z, N */
    {"_2XXX", "2000", 1, NULL},
    {"_2XXX", "2999", 1, NULL},
    {"_2XXX", "200", 0, NULL},
    {"_2XXX", "20000", 0, NULL},
    {"_2XXX", "3000", 0, NULL},
    {"_2XXX", "2*00", 0, NULL},
    {"_ZXX", "100", 1, NULL},
    {"_ZXX", "099", 0, NULL},
    {"_NXX", "200", 1, NULL},
    {"_NXX", "199", 0, NULL},
    {"_nxx", "299", 1, NULL},
    {"_zx", "10", 1, NULL},
    {"_x", "a", 0, NULL},
    /* classes and ranges */
    {"_1[2-4]X", "130", 1, NULL},
    {"_1[2-4]X", "150", 0, NULL},
    {"_1[135-7]", "13", 1, NULL},
    {"_1[135-7]", "16", 1, NULL},
    {"_1[135-7]", "14", 0, NULL},
    {"_1[135-7]", "18", 0, NULL},
    {"_[*#]X", "*1", 1, NULL},
    {"_[*#]X", "#1", 1, NULL},
    {"_[*#]X", "11", 0, NULL},
    {"_+49X.", "+4930", 1, "0"},
    {"_NXX-XXXX", "5551234", 1, NULL},
    /* trailing . and ! */
    {"_X.", "1", 0, NULL},
    {"_X.", "12", 1, "2"},
    {"_X!", "1", 1, ""},
    {"_X!", "123", 1, "23"},
    {"_9.", "9", 0, NULL},
    {"_9.", "9001555", 1, "001555"},
    {"_.", "anything", 1, "anything"},
    {"_!", "7", 1, "7"},
    {"_0.", "0abc", 1, "abc"},
    /* regular expressions: anchored, captures kept */
    {"~12", "12", 1, NULL},
    {"~12", "123", 0, NULL},
    {"~12", "012", 0, NULL},
    {"~12|123", "123", 1, NULL},
    {"~9(\\d+)", "9555", 1, "555"},
    {"~9(\\d+)", "9", 0, NULL},
    {"~(?:00|\\+)(\\d{2,})", "+4930", 1, "4930"},
    {"~(?:00|\\+)(\\d{2,})", "004930", 1, "4930"},
    {"~1(2)?3", "13", 1, ""},
    {"~[a-z]+", "alice", 1, NULL},
    {"~.*", "", 0, NULL}, /* an empty number never matches */
    {"_X.", "12345678901234567890123456789012", 0, NULL}, /* 32 chars */
};

static void test_pattern_table(void **state)
{
	for (size_t i = 0; i < sizeof(match_rows) / sizeof(match_rows[0]);
	     i++) {
		const struct match_row *row = &match_rows[i];
		struct dp_pattern *p;
		struct dp_match m;
		char err[256];
		int rc;

		rc = dp_pattern_compile(&p, row->pattern, err, sizeof(err));
		if (rc)
			fail_msg("pattern '%s' is refused: %s", row->pattern,
				 err);
		rc = dp_pattern_match(p, row->number, &m);
		if (rc != row->match)
			fail_msg("a call to %s %s pattern '%s', expected it %s",
				 row->number, rc == 1 ? "matches" : "misses",
				 row->pattern,
				 row->match ? "to match" : "not to");
		if (rc == 1 && strcmp(m.cap[0], row->number))
			fail_msg("'%s' vs %s: $0 is '%s', not the number",
				 row->pattern, row->number, m.cap[0]);
		if (rc == 1 && row->cap1 &&
		    (m.ncap < 2 || strcmp(m.cap[1], row->cap1)))
			fail_msg("'%s' vs %s: $1 is '%s' (of %d captures), "
				 "expected '%s'",
				 row->pattern, row->number,
				 m.ncap > 1 ? m.cap[1] : "(none)", m.ncap,
				 row->cap1);
		dp_pattern_free(p);
	}
}

static void test_pattern_errors(void **state)
{
	static const struct {
		const char *pattern, *error;
	} rows[] = {
	    {"", "empty pattern"},
	    {"_12[3", "unclosed [ at position 4"},
	    {"_", "nothing after _"},
	    {"_1[]", "empty [] at position 3"},
	    {"_1[5-1]", "backwards range 5-1 at position 4"},
	    {"_1[a]", "bad character 'a' in [ ] at position 4"},
	    {"_1[*-9]", "bad range *-9 at position 4"},
	    {"_1.2", "'.' at position 3 must be the last character"},
	    {"_!1", "'!' at position 2 must be the last character"},
	    {"_12Y", "bad character 'Y' at position 4"},
	    {"10a1", "bad character 'a' at position 3"},
	    {"_X X", "bad character ' ' at position 3"},
	    {"~", "nothing after ~"},
	    {"~9(\\d+", "missing closing parenthesis at position 7"},
	    {"~1[2", "missing terminating ] for character class"},
	    {"~(1)(2)(3)(4)(5)(6)(7)(8)(9)(0)", "10 capture groups, at most 9"},
	};
	char longpat[200];
	struct dp_pattern *p = (void *)1;
	char err[256];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc =
		    dp_pattern_compile(&p, rows[i].pattern, err, sizeof(err));

		if (rc != -EINVAL || p)
			fail_msg("bad pattern '%s' is accepted",
				 rows[i].pattern);
		if (!strstr(err, rows[i].error))
			fail_msg("pattern '%s': the admin reads '%s', "
				 "expected it to say '%s'",
				 rows[i].pattern, err, rows[i].error);
	}
	memset(longpat, '1', sizeof(longpat) - 1);
	longpat[sizeof(longpat) - 1] = '\0';
	FAILS_WITH(dp_pattern_compile(&p, longpat, err, sizeof(err)), -EINVAL,
		   "a 199-character pattern");
	/* A tiny error buffer is truncated, never overrun. */
	FAILS_WITH(dp_pattern_compile(&p, "_12[3", err, 4), -EINVAL,
		   "a bad pattern with a small error buffer");
	if (strlen(err) != 3)
		fail_msg("error text not truncated to its buffer: '%s'", err);
	FAILS_WITH(dp_pattern_compile(&p, "_1[", NULL, 0), -EINVAL,
		   "a bad pattern without an error buffer");
}

static int rank_of(const char *text)
{
	struct dp_pattern *p;
	int rank;

	if (dp_pattern_compile(&p, text, NULL, 0))
		fail_msg("pattern '%s' is refused", text);
	rank = dp_pattern_rank(p);
	dp_pattern_free(p);
	return rank;
}

static void test_pattern_rank(void **state)
{
	/* Each more specific than the next. */
	static const char *const order[] = {"2001",  "_200X", "_20[0-4]X",
					    "_20XX", "_2XXX", "_2.",
					    "_2!",   "~2\\d+"};

	for (size_t i = 0; i + 1 < sizeof(order) / sizeof(order[0]); i++)
		if (rank_of(order[i]) >= rank_of(order[i + 1]))
			fail_msg("'%s' (rank %d) should rank as more specific "
				 "than '%s' (rank %d)",
				 order[i], rank_of(order[i]), order[i + 1],
				 rank_of(order[i + 1]));
	if (rank_of("_2XXXXXXXXXXXXXXXXXXXXXXXXXXXXX") >= rank_of("_2."))
		fail_msg("a long fixed-length pattern ranks after _2.");
}

static void test_pattern_ncap_and_limit(void **state)
{
	struct dp_pattern *p;
	struct dp_match m;
	int rc;

	OK(dp_pattern_compile(&p, "~(1)(2)?(3)", NULL, 0));
	if (dp_pattern_ncap(p) != 4)
		fail_msg("~(1)(2)?(3) has %d captures, expected 4",
			 dp_pattern_ncap(p));
	if (dp_pattern_match(p, "13", &m) != 1 || m.ncap != 4 ||
	    strcmp(m.cap[1], "1") || strcmp(m.cap[2], "") ||
	    strcmp(m.cap[3], "3"))
		fail_msg("an unset group is not an empty capture");
	dp_pattern_free(p);

	/* Exponential backtracking gives up instead of stalling a call. */
	OK(dp_pattern_compile(&p, "~(1*)*2", NULL, 0));
	rc = dp_pattern_match(p, "111111111111111111111111111113", &m);
	if (rc != -E2BIG && rc != 0)
		fail_msg("a runaway regex returned %d", rc);
	dp_pattern_free(p);
}

/* ---- expansion --------------------------------------------------------- */

static void test_expand(void **state)
{
	static const struct {
		const char *tmpl, *want;
		int err;
	} rows[] = {
	    {"", "", 0},
	    {"plain", "plain", 0},
	    {"${EXTEN}", "0049301234", 0},
	    {"sip:${EXTEN}@${DOMAIN}", "sip:0049301234@demo.localhost", 0},
	    {"${CALLER}", "1001", 0},
	    {"${EXTEN:1}", "049301234", 0},
	    {"${EXTEN:2:4}", "4930", 0},
	    {"${EXTEN:-4}", "1234", 0},
	    {"${EXTEN:0:-4}", "004930", 0},
	    {"${EXTEN:50}", "", 0},
	    {"${EXTEN:-50:3}", "004", 0},
	    {"${EXTEN:3:0}", "", 0},
	    {"${0}", "0049301234", 0},
	    {"${1}/${2}", "49/301234", 0},
	    {"${2:0:3}", "301", 0},
	    {"$5 and $ {x}", "$5 and $ {x}", 0},
	    {"hello&goodbye,hangup", "hello&goodbye,hangup", 0},
	    {"${3}", "", -EINVAL},
	    {"${FOO}", "", -EINVAL},
	    {"${exten}", "", -EINVAL},
	    {"${EXTEN", "", -EINVAL},
	    {"${}", "", -EINVAL},
	    {"${EXTEN:}", "", -EINVAL},
	    {"${EXTEN:a}", "", -EINVAL},
	    {"${EXTEN:1:2:3}", "", -EINVAL},
	    {"${EXTEN:99999}", "", -EINVAL},
	};
	struct dp_vars v = {.exten = "0049301234",
			    .caller = "1001",
			    .domain = "demo.localhost"};
	struct dp_match m = {.ncap = 3, .cap = {"0049301234", "49", "301234"}};
	char out[64];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int rc = dp_expand(rows[i].tmpl, &v, &m, out, sizeof(out));

		if (rc != rows[i].err || strcmp(out, rows[i].want))
			fail_msg("'%s' expands to '%s' (%s), expected '%s' "
				 "(%s)",
				 rows[i].tmpl, out, strerror(-rc), rows[i].want,
				 strerror(-rows[i].err));
	}
	/* No match given: captures are unknown, variables still work. */
	FAILS_WITH(dp_expand("${1}", &v, NULL, out, sizeof(out)), -EINVAL,
		   "${1} without a match");
	OK(dp_expand("${EXTEN}", &v, NULL, out, sizeof(out)));
	/* NULL variables expand to "". */
	v.caller = NULL;
	OK(dp_expand("<${CALLER}>", &v, &m, out, sizeof(out)));
	if (strcmp(out, "<>"))
		fail_msg("a NULL caller expands to '%s'", out);
}

static void test_expand_overflow(void **state)
{
	struct dp_vars v = {.exten = "12345678", .domain = "demo.localhost"};
	char out[16];

	/* Exactly fits: 15 characters and the NUL. */
	OK(dp_expand("sip:${EXTEN}@xy", &v, NULL, out, sizeof(out)));
	if (strcmp(out, "sip:12345678@xy"))
		fail_msg("15 characters expand to '%s'", out);
	FAILS_WITH(dp_expand("sip:${EXTEN}@xyz", &v, NULL, out, 16), -ENOSPC,
		   "16 characters into 16 bytes (a literal overflows)");
	if (out[0] != '\0')
		fail_msg("after an overflow the output is '%s', not empty",
			 out);
	FAILS_WITH(dp_expand("${DOMAIN}${DOMAIN}", &v, NULL, out, 16), -ENOSPC,
		   "a variable that overflows");
	FAILS_WITH(dp_expand("${EXTEN}", &v, NULL, out, 8), -ENOSPC,
		   "8 characters into 8 bytes");
	OK(dp_expand("${EXTEN}", &v, NULL, out, 9));
	FAILS_WITH(dp_expand("x", &v, NULL, out, 1), -ENOSPC,
		   "one character into one byte");
	FAILS_WITH(dp_expand("x", &v, NULL, out, 0), -EINVAL,
		   "a zero-length buffer");
}

static void test_expand_check(void **state)
{
	char err[256];

	OK(dp_expand_check("sip:${1}@gw ${EXTEN:1:3} ${CALLER}", 2, err,
			   sizeof(err)));
	FAILS_WITH(dp_expand_check("${2}", 2, err, sizeof(err)), -EINVAL,
		   "${2} for a pattern with $0..$1");
	if (!strstr(err, "no capture 2 (it has $0..$1)"))
		fail_msg("the admin reads '%s'", err);
	FAILS_WITH(dp_expand_check("${1}", 1, err, sizeof(err)), -EINVAL,
		   "${1} for an exact pattern");
	if (!strstr(err, "it has $0 only"))
		fail_msg("the admin reads '%s'", err);
	FAILS_WITH(dp_expand_check("a${EXTEN", 1, err, sizeof(err)), -EINVAL,
		   "an unclosed ${");
	if (!strstr(err, "unclosed ${ at position 2"))
		fail_msg("the admin reads '%s'", err);
}

static void test_apps(void **state)
{
	char joined[256] = "";
	int n = 0;

	if (!app_known("dial") || !app_known("echo") || !app_known("hangup"))
		fail_msg("dial, echo or hangup is not a known application");
	if (app_known("voicemial") || app_known("") || app_known(NULL) ||
	    app_known("DIAL"))
		fail_msg("an unlisted application is known");
	/* The names in error messages are the list, in its order. */
	for (const struct dp_app_info *a = dp_apps(); a->name; a++, n++) {
		if (!app_known(a->name) || !a->help || !a->help[0])
			fail_msg("application %s is not known or has no help",
				 a->name);
		if (n)
			strcat(joined, ", ");
		strcat(joined, a->name);
	}
	if (n < 3 || strcmp(dp_app_names(), joined))
		fail_msg("application names read '%s', the list is '%s'",
			 dp_app_names(), joined);
}

/* ---- storage and lookup ------------------------------------------------ */

struct fx {
	struct tmpdb tmp;
	struct db *db;
	struct db_tenant a, b;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (tmpdb_open(&fx->tmp, "dp", &fx->db)) {
		free(fx);
		return -1;
	}
	if (db_tenant_add(fx->db, "A", "a.test", &fx->a.id) ||
	    db_tenant_add(fx->db, "B", "b.test", &fx->b.id) ||
	    db_tenant_by_id(fx->db, fx->a.id, &fx->a) ||
	    db_tenant_by_id(fx->db, fx->b.id, &fx->b)) {
		fprintf(stderr, "cannot set up a database in %s\n",
			fx->tmp.dir);
		tmpdb_close(&fx->tmp, fx->db);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	tmpdb_close(&fx->tmp, fx->db);
	free(fx);
	return 0;
}

static int64_t add_route(struct fx *fx, int64_t tenant_id, int prio,
			 const char *pattern, const char *app, const char *args)
{
	struct db_route r = {.tenant_id = tenant_id, .priority = prio};
	int64_t id = 0;

	snprintf(r.pattern, sizeof(r.pattern), "%s", pattern);
	snprintf(r.app, sizeof(r.app), "%s", app);
	snprintf(r.args, sizeof(r.args), "%s", args);
	OK(db_route_add(fx->db, &r, &id));
	return id;
}

/* Looks `number` up in tenant `t` and checks it reaches route `want_id`
 * (0: the extension rule) with "app args". */
static void expect_route(struct fx *fx, const struct db_tenant *t,
			 const char *number, int64_t want_id,
			 const char *want_app, const char *want_args)
{
	struct dp_result res;
	int err = dp_lookup(fx->db, t, number, "1001", &res);

	if (err)
		fail_msg("%s dialled in %s reaches nothing (%s), expected "
			 "route %lld: %s %s",
			 number, t->domain, strerror(-err), (long long)want_id,
			 want_app, want_args);
	if (res.route_id != want_id || strcmp(res.app, want_app) ||
	    strcmp(res.args, want_args))
		fail_msg("%s dialled in %s reaches route %lld (%s): %s %s; "
			 "expected route %lld: %s %s",
			 number, t->domain, (long long)res.route_id,
			 res.pattern, res.app, res.args, (long long)want_id,
			 want_app, want_args);
}

static void expect_nothing(struct fx *fx, const struct db_tenant *t,
			   const char *number)
{
	struct dp_result res;
	int err = dp_lookup(fx->db, t, number, NULL, &res);

	if (err != -ENOENT)
		fail_msg("%s dialled in %s should get 404 (-ENOENT), got %s "
			 "(route %lld, %s %s)",
			 number, t->domain, strerror(-err),
			 (long long)res.route_id, res.app, res.args);
}

static void test_lookup_priority(void **state)
{
	struct fx *fx = *state;
	int64_t wide, narrow, regex;

	wide = add_route(fx, fx->a.id, 50, "_2XXX", "playback", "wide");
	narrow = add_route(fx, fx->a.id, 10, "_20XX", "playback", "narrow");
	regex = add_route(fx, fx->a.id, 5, "~9(\\d+)", "dial", "${1}");
	expect_route(fx, &fx->a, "2005", narrow, "playback", "narrow");
	expect_route(fx, &fx->a, "2100", wide, "playback", "wide");
	expect_route(fx, &fx->a, "9555", regex, "dial", "555");
	expect_nothing(fx, &fx->a, "3000");
	/* Lower priority first even when the other is more specific. */
	add_route(fx, fx->a.id, 60, "2100", "echo", "");
	expect_route(fx, &fx->a, "2100", wide, "playback", "wide");
}

static void test_lookup_ties(void **state)
{
	struct fx *fx = *state;
	int64_t any, four, exact, first;

	/* Same priority: the most specific pattern wins, whatever the
	 * order the routes were added in. */
	any = add_route(fx, fx->a.id, 100, "~\\d+", "playback", "regex");
	first = add_route(fx, fx->a.id, 100, "_3.", "playback", "dot");
	four = add_route(fx, fx->a.id, 100, "_3XXX", "playback", "four");
	exact = add_route(fx, fx->a.id, 100, "3001", "playback", "exact");
	expect_route(fx, &fx->a, "3001", exact, "playback", "exact");
	expect_route(fx, &fx->a, "3002", four, "playback", "four");
	expect_route(fx, &fx->a, "30021", first, "playback", "dot");
	expect_route(fx, &fx->a, "4", any, "playback", "regex");
	/* Equal rank: the older route wins. */
	first = add_route(fx, fx->a.id, 100, "_5XX", "playback", "older");
	add_route(fx, fx->a.id, 100, "_X5X", "playback", "newer");
	expect_route(fx, &fx->a, "555", first, "playback", "older");
}

static void test_lookup_extension_rule(void **state)
{
	struct fx *fx = *state;
	struct dp_result res;
	int64_t id;

	OK(db_ext_add(fx->db, fx->a.id, "1001", "Alice", "secret123", NULL));
	OK(db_ext_add(fx->db, fx->a.id, "1002", "Bob", "secret123", NULL));
	expect_route(fx, &fx->a, "1001", 0, "dial", "1001");
	OK(dp_lookup(fx->db, &fx->a, "1001", NULL, &res));
	if (res.pattern[0] || res.priority)
		fail_msg("the extension rule reports pattern '%s' prio %d",
			 res.pattern, res.priority);
	expect_nothing(fx, &fx->a, "1003");
	/* A route overrides the extension: 1002 goes to voicemail-like
	 * playback, 1001 still rings. */
	id = add_route(fx, fx->a.id, 100, "1002", "playback", "away&bye");
	expect_route(fx, &fx->a, "1002", id, "playback", "away&bye");
	expect_route(fx, &fx->a, "1001", 0, "dial", "1001");
	OK(db_route_del(fx->db, fx->a.id, id));
	expect_route(fx, &fx->a, "1002", 0, "dial", "1002");
	/* A catch-all overrides every extension. */
	id = add_route(fx, fx->a.id, 9999, "_X!", "hangup", "");
	expect_route(fx, &fx->a, "1001", id, "hangup", "");
}

static void test_lookup_variables(void **state)
{
	struct fx *fx = *state;
	struct dp_result res;
	int64_t id;

	id = add_route(fx, fx->a.id, 100, "_0.", "dial",
		       "sip:${1}@gw.${DOMAIN};from=${CALLER}");
	expect_route(fx, &fx->a, "0301234", id, "dial",
		     "sip:301234@gw.a.test;from=1001");
	/* A caller that could break out of a URI is dropped. */
	OK(dp_lookup(fx->db, &fx->a, "0301234", "x>;evil", &res));
	if (strcmp(res.args, "sip:301234@gw.a.test;from="))
		fail_msg("a hostile caller expanded to '%s'", res.args);
	FAILS_WITH(dp_lookup(fx->db, &fx->a, "03 01", NULL, &res), -EINVAL,
		   "a number with a space");
	FAILS_WITH(dp_lookup(fx->db, &fx->a, "0301@x", NULL, &res), -EINVAL,
		   "a number with '@'");
	FAILS_WITH(dp_lookup(fx->db, &fx->a, "", NULL, &res), -EINVAL,
		   "an empty number");
	FAILS_WITH(dp_lookup(fx->db, &fx->a, NULL, NULL, &res), -EINVAL,
		   "a NULL number");
}

static void test_tenants_isolated(void **state)
{
	struct fx *fx = *state;
	int64_t id;

	id = add_route(fx, fx->a.id, 100, "_2XXX", "echo", "");
	OK(db_ext_add(fx->db, fx->a.id, "1001", "", "secret123", NULL));
	expect_route(fx, &fx->a, "2000", id, "echo", "");
	expect_nothing(fx, &fx->b, "2000");
	expect_nothing(fx, &fx->b, "1001");
	/* B cannot delete A's route by its id. */
	FAILS_WITH(db_route_del(fx->db, fx->b.id, id), -ENOENT,
		   "tenant B deleting tenant A's route");
	expect_route(fx, &fx->a, "2000", id, "echo", "");
	/* The same pattern in B is B's own. */
	add_route(fx, fx->b.id, 100, "_2XXX", "hangup", "");
	expect_route(fx, &fx->a, "2000", id, "echo", "");
}

static void exec_sql(struct db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail_msg("%s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
	}
}

static void test_lookup_skips_broken_routes(void **state)
{
	struct fx *fx = *state;
	char sql[512];
	int64_t good;

	/* Rows ondoctl would refuse, written behind its back. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO routes (tenant_id, priority, pattern, app, args) "
		 "VALUES (%lld, 1, '_2XXX', 'voicemial', ''),"
		 "(%lld, 2, '_2[XXX', 'echo', ''),"
		 "(%lld, 3, '_2XXX', 'dial', '${7}')",
		 (long long)fx->a.id, (long long)fx->a.id, (long long)fx->a.id);
	fprintf(stderr, "(three WARN lines about skipped routes are expected "
			"next)\n");
	exec_sql(fx->db, sql);
	good = add_route(fx, fx->a.id, 4, "_2XXX", "echo", "");
	expect_route(fx, &fx->a, "2000", good, "echo", "");
}

static int count_route_h(const struct db_route *r, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int collect_h(const struct db_route *r, void *arg)
{
	char *out = arg;
	char one[160];

	snprintf(one, sizeof(one), "%d:%s ", r->priority, r->pattern);
	strcat(out, one);
	return 0;
}

static void test_route_storage(void **state)
{
	struct fx *fx = *state;
	struct db_route r = {.tenant_id = fx->a.id, .priority = 100};
	char list[512] = "";
	int n = 0;

	add_route(fx, fx->a.id, 20, "_2XXX", "echo", "");
	add_route(fx, fx->a.id, 10, "_3XXX", "echo", "");
	add_route(fx, fx->a.id, 20, "1001", "echo", "");
	OK(db_route_list(fx->db, fx->a.id, collect_h, list));
	/* *97 and *98 come with every tenant (migration 0010's trigger),
	 * then the forwarding codes (0015's) */
	if (strcmp(list, "10:_3XXX 20:_2XXX 20:1001 50:*97 50:*98 50:*72 "
			 "50:_*72. 50:*73 50:*90 50:_*90. 50:*91 50:*52 "
			 "50:_*52. 50:*53 50:*54 50:_*54. 50:*55 50:*78 "
			 "50:*79 "))
		fail_msg("routes listed as '%s', expected by priority then "
			 "age",
			 list);
	snprintf(r.pattern, sizeof(r.pattern), "_2XXX");
	snprintf(r.app, sizeof(r.app), "echo");
	r.priority = 20;
	FAILS_WITH(db_route_add(fx->db, &r, NULL), -EEXIST,
		   "the same priority and pattern twice");
	r.priority = 10000;
	FAILS_WITH(db_route_add(fx->db, &r, NULL), -EINVAL, "priority 10000");
	r.priority = -1;
	FAILS_WITH(db_route_add(fx->db, &r, NULL), -EINVAL, "priority -1");
	r.priority = 100;
	r.app[0] = '\0';
	FAILS_WITH(db_route_add(fx->db, &r, NULL), -EINVAL, "an empty app");
	snprintf(r.app, sizeof(r.app), "echo");
	r.tenant_id = 9999;
	FAILS_WITH(db_route_add(fx->db, &r, NULL), -ENOENT,
		   "a route of a tenant that does not exist");
	FAILS_WITH(db_route_del(fx->db, fx->a.id, 9999), -ENOENT,
		   "deleting a route that does not exist");

	/* Deleting the tenant takes its routes along. */
	OK(db_tenant_del(fx->db, "a.test"));
	OK(db_route_list(fx->db, fx->a.id, count_route_h, &n));
	if (n != 0 || count_rows(fx->db, "SELECT count(*) FROM routes "
					 "WHERE tenant_id NOT IN "
					 "(SELECT id FROM tenants)") != 0)
		fail_msg("routes of a deleted tenant are left behind");
}

/* A database made by a build before routes existed (schema version 1,
 * with a tenant and an extension) gains the routes table on open and
 * keeps its rows. */
static void test_migration_from_v1(void **state)
{
	struct fx *fx = *state;
	struct db_tenant t;
	struct db_ext e;
	int64_t tid, id;

	db_close(fx->db);
	tmpdb_unlink(&fx->tmp);
	OK(db_open_with(&fx->db, fx->tmp.path, NULL, 0));
	if (db_schema_version(fx->db) != 1)
		fail_msg("a schema-1-only build made version %d",
			 db_schema_version(fx->db));
	if (count_rows(fx->db, "SELECT count(*) FROM sqlite_schema "
			       "WHERE name = 'routes'") != 0)
		fail_msg("version 1 already has a routes table");
	OK(db_tenant_add(fx->db, "Old", "old.test", &tid));
	/* By hand, as the old build stored it: db_ext_add reads the
	 * tenant with this build's columns, which the old schema lacks. */
	if (sqlite3_exec(fx->db->sql,
			 "INSERT INTO extensions (tenant_id, number, ha1) "
			 "SELECT id, '1001', '' FROM tenants",
			 NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("cannot add an extension to the old database: %s",
			 sqlite3_errmsg(fx->db->sql));
	db_close(fx->db);

	OK(db_open(&fx->db, fx->tmp.path));
	if (db_schema_version(fx->db) < 2)
		fail_msg("opening a version 1 database left it at version %d",
			 db_schema_version(fx->db));
	OK(db_tenant_by_domain(fx->db, "old.test", &t));
	OK(db_ext_get(fx->db, t.id, "1001", &e));
	id = add_route(fx, t.id, 100, "_2XXX", "echo", "");
	expect_route(fx, &t, "2000", id, "echo", "");
	expect_route(fx, &t, "1001", 0, "dial", "1001");
	if (count_rows(fx->db, "SELECT count(*) FROM sqlite_schema "
			       "WHERE name = 'routes_tenant'") != 1)
		fail_msg("the routes_tenant index is missing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pattern_table),
	    cmocka_unit_test(test_pattern_errors),
	    cmocka_unit_test(test_pattern_rank),
	    cmocka_unit_test(test_pattern_ncap_and_limit),
	    cmocka_unit_test(test_expand),
	    cmocka_unit_test(test_expand_overflow),
	    cmocka_unit_test(test_expand_check),
	    cmocka_unit_test(test_apps),
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_lookup_priority),
	    T(test_lookup_ties),
	    T(test_lookup_extension_rule),
	    T(test_lookup_variables),
	    T(test_tenants_isolated),
	    T(test_lookup_skips_broken_routes),
	    T(test_route_storage),
	    T(test_migration_from_v1),
#undef T
	};

	return cmocka_run_group_tests_name("dialplan", tests, NULL, NULL);
}
