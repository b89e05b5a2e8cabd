/* dp_pattern.c - route patterns: exact numbers, "_" wildcards, "~" regexes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "dialplan/dialplan.h"

enum kind { KIND_EXACT, KIND_WILD, KIND_REGEX };

/* What may follow the fixed positions of a "_" pattern. */
enum tail { TAIL_NONE, TAIL_ONE_OR_MORE, TAIL_ZERO_OR_MORE };

/* The symbols a "_" position can name, one bit each: 0-9, '*', '#', '+'. */
#define SYM_STAR 10
#define SYM_HASH 11
#define SYM_PLUS 12
#define SET_DIGITS(lo, hi)                                                     \
	((uint16_t)(((1u << ((hi) + 1)) - 1) & ~((1u << (lo)) - 1)))

/* Ranks (see dp_pattern_rank): a trailing wildcard outweighs any number of
 * fixed positions (at most 127 x 12), and a regex outweighs everything,
 * since nothing can be said about what it admits. */
#define RANK_TAIL_ONE  10000
#define RANK_TAIL_ZERO 10001
#define RANK_REGEX     1000000

/* PCRE2 limits: a number is at most 31 characters, but a pattern such as
 * ~(1*)*2 still backtracks exponentially; this bounds a lookup to well
 * under a millisecond, far more than any sane dialplan regex needs. */
#define REGEX_MATCH_LIMIT 100000
#define REGEX_DEPTH_LIMIT 1000

struct dp_pattern {
	enum kind kind;
	int rank;
	int ncap;
	char text[DB_ROUTE_PATTERN_LEN]; /* KIND_EXACT: the number */
	/* KIND_WILD: the set of symbols each fixed position admits */
	uint16_t set[DB_ROUTE_PATTERN_LEN];
	int nset;
	enum tail tail;
	/* KIND_REGEX: owned, freed by dp_pattern_free */
	pcre2_code *re;
	pcre2_match_context *mctx;
};

/* Bit index of `c` in a position's set, or -1 if no "_" position can
 * name it. */
static int sym_index(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c == '*')
		return SYM_STAR;
	if (c == '#')
		return SYM_HASH;
	if (c == '+')
		return SYM_PLUS;
	return -1;
}

static int perr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes the reason into err; returns -EINVAL. */
static int perr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int popcount16(uint16_t v)
{
	int n = 0;

	for (; v; v &= (uint16_t)(v - 1))
		n++;
	return n;
}

static int compile_exact(struct dp_pattern *p, const char *text, char *err,
			 size_t errlen)
{
	for (size_t i = 0; text[i]; i++)
		if (sym_index(text[i]) < 0)
			return perr(err, errlen,
				    "bad character '%c' at position %zu (a "
				    "number has digits, *, # and +; start "
				    "with _ for a pattern, ~ for a regular "
				    "expression)",
				    text[i], i + 1);
	p->kind = KIND_EXACT;
	p->rank = 0;
	p->ncap = 1;
	return 0;
}

/* Parses the class opening at text[*ip] == '[' into *setp and leaves *ip
 * on its ']'. Digits, ranges of digits, '*', '#', '+'. */
static int parse_class(const char *text, size_t *ip, uint16_t *setp, char *err,
		       size_t errlen)
{
	size_t open = *ip, i = open + 1;
	uint16_t set = 0;

	if (text[i] == ']')
		return perr(err, errlen, "empty [] at position %zu", open + 1);
	for (; text[i] && text[i] != ']'; i++) {
		int a = sym_index(text[i]), b;

		if (a < 0)
			return perr(err, errlen,
				    "bad character '%c' in [ ] at position "
				    "%zu (digits, ranges like 1-5, *, # "
				    "and +)",
				    text[i], i + 1);
		if (text[i + 1] != '-' || !text[i + 2] || text[i + 2] == ']') {
			set |= (uint16_t)(1u << a);
			continue;
		}
		b = sym_index(text[i + 2]);
		if (a > 9 || b < 0 || b > 9)
			return perr(err, errlen,
				    "bad range %c-%c at position %zu (a range "
				    "is of digits)",
				    text[i], text[i + 2], i + 1);
		if (b < a)
			return perr(err, errlen,
				    "backwards range %c-%c at position %zu",
				    text[i], text[i + 2], i + 1);
		set |= SET_DIGITS(a, b);
		i += 2;
	}
	if (!text[i])
		return perr(err, errlen, "unclosed [ at position %zu",
			    open + 1);
	*setp = set;
	*ip = i;
	return 0;
}

/* The Asterisk syntax, after the leading '_'. */
static int compile_wild(struct dp_pattern *p, const char *text, char *err,
			size_t errlen)
{
	int rank = 0, err2;

	for (size_t i = 1; text[i]; i++) {
		uint16_t set = 0;

		switch (text[i]) {
		case 'X':
		case 'x':
			set = SET_DIGITS(0, 9);
			break;
		case 'Z':
		case 'z':
			set = SET_DIGITS(1, 9);
			break;
		case 'N':
		case 'n':
			set = SET_DIGITS(2, 9);
			break;
		case '-':
			/* As in Asterisk: _NXX-XXXX reads better, and
			 * matches the same numbers as _NXXXXXX. */
			continue;
		case '.':
		case '!':
			if (text[i + 1])
				return perr(err, errlen,
					    "'%c' at position %zu must be the "
					    "last character",
					    text[i], i + 1);
			p->tail = text[i] == '.' ? TAIL_ONE_OR_MORE
						 : TAIL_ZERO_OR_MORE;
			continue;
		case '[':
			err2 = parse_class(text, &i, &set, err, errlen);
			if (err2)
				return err2;
			break;
		default:
			if (sym_index(text[i]) < 0)
				return perr(err, errlen,
					    "bad character '%c' at position "
					    "%zu (digits, *, #, +, X, Z, N, "
					    "[...], and . or ! at the end)",
					    text[i], i + 1);
			set = (uint16_t)(1u << sym_index(text[i]));
		}
		p->set[p->nset++] = set;
		rank += popcount16(set) - 1;
	}
	if (p->nset == 0 && p->tail == TAIL_NONE)
		return perr(err, errlen, "nothing after _ (e.g. _2XXX)");
	if (p->tail == TAIL_ONE_OR_MORE)
		rank += RANK_TAIL_ONE;
	else if (p->tail == TAIL_ZERO_OR_MORE)
		rank += RANK_TAIL_ZERO;
	p->kind = KIND_WILD;
	p->rank = rank;
	p->ncap = p->tail == TAIL_NONE ? 1 : 2;
	return 0;
}

static int compile_regex(struct dp_pattern *p, const char *text, char *err,
			 size_t errlen)
{
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE off;
	uint32_t ngroups = 0;
	int code;

	if (!text[1])
		return perr(err, errlen, "nothing after ~ (e.g. ~0(\\d+))");
	/* Anchored at both ends: "~12" must not take 123 or 012, as a
	 * forgotten ^ or $ would otherwise route calls nobody meant. */
	p->re = pcre2_compile((PCRE2_SPTR)text + 1, PCRE2_ZERO_TERMINATED,
			      PCRE2_ANCHORED | PCRE2_ENDANCHORED, &code, &off,
			      NULL);
	if (!p->re) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		return perr(err, errlen, "%s at position %zu", (char *)msg,
			    (size_t)off + 2);
	}
	pcre2_pattern_info(p->re, PCRE2_INFO_CAPTURECOUNT, &ngroups);
	if (ngroups > DP_NCAP - 1)
		return perr(err, errlen,
			    "%u capture groups, at most %d (group with "
			    "(?:...) to not capture)",
			    ngroups, DP_NCAP - 1);
	p->mctx = pcre2_match_context_create(NULL);
	if (!p->mctx)
		return -ENOMEM;
	pcre2_set_match_limit(p->mctx, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(p->mctx, REGEX_DEPTH_LIMIT);
	p->kind = KIND_REGEX;
	p->rank = RANK_REGEX;
	p->ncap = 1 + (int)ngroups;
	return 0;
}

int dp_pattern_compile(struct dp_pattern **pp, const char *text, char *err,
		       size_t errlen)
{
	struct dp_pattern *p;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!pp)
		return -EINVAL;
	*pp = NULL;
	if (!text || !text[0])
		return perr(err, errlen, "empty pattern");
	if (strlen(text) >= DB_ROUTE_PATTERN_LEN)
		return perr(err, errlen, "longer than %d characters",
			    DB_ROUTE_PATTERN_LEN - 1);
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	snprintf(p->text, sizeof(p->text), "%s", text);
	if (text[0] == '_')
		rc = compile_wild(p, text, err, errlen);
	else if (text[0] == '~')
		rc = compile_regex(p, text, err, errlen);
	else
		rc = compile_exact(p, text, err, errlen);
	if (rc) {
		dp_pattern_free(p);
		return rc;
	}
	*pp = p;
	return 0;
}

void dp_pattern_free(struct dp_pattern *p)
{
	if (!p)
		return;
	pcre2_match_context_free(p->mctx);
	pcre2_code_free(p->re);
	free(p);
}

static void set_cap(struct dp_match *m, int i, const char *s, size_t len)
{
	if (len >= sizeof(m->cap[i]))
		len = sizeof(m->cap[i]) - 1;
	memcpy(m->cap[i], s, len);
	m->cap[i][len] = '\0';
}

static int match_wild(const struct dp_pattern *p, const char *number,
		      size_t len, struct dp_match *m)
{
	size_t rest;

	if (len < (size_t)p->nset)
		return 0;
	for (int i = 0; i < p->nset; i++) {
		int sym = sym_index(number[i]);

		if (sym < 0 || !(p->set[i] & (1u << sym)))
			return 0;
	}
	rest = len - (size_t)p->nset;
	if ((p->tail == TAIL_NONE && rest) ||
	    (p->tail == TAIL_ONE_OR_MORE && !rest))
		return 0;
	if (m && p->tail != TAIL_NONE)
		set_cap(m, 1, number + p->nset, rest);
	return 1;
}

static int match_regex(const struct dp_pattern *p, const char *number,
		       size_t len, struct dp_match *m)
{
	pcre2_match_data *md;
	PCRE2_SIZE *ov;
	int rc;

	/* Per call rather than in the pattern: a pattern stays immutable,
	 * so a cache may share it between threads. One small malloc. */
	md = pcre2_match_data_create((uint32_t)DP_NCAP, NULL);
	if (!md)
		return -ENOMEM;
	rc = pcre2_match(p->re, (PCRE2_SPTR)number, len, 0, 0, md, p->mctx);
	if (rc == PCRE2_ERROR_NOMATCH) {
		rc = 0;
	} else if (rc == PCRE2_ERROR_MATCHLIMIT ||
		   rc == PCRE2_ERROR_DEPTHLIMIT) {
		rc = -E2BIG;
	} else if (rc < 0) {
		rc = -EINVAL;
	} else {
		ov = pcre2_get_ovector_pointer(md);
		for (int i = 1; m && i < p->ncap; i++) {
			PCRE2_SIZE a = ov[2 * i], b = ov[2 * i + 1];

			/* Unset groups, and \K tricks that end a group
			 * before it starts, give "". */
			if (i < rc && a != PCRE2_UNSET && b >= a)
				set_cap(m, i, number + a, b - a);
		}
		rc = 1;
	}
	pcre2_match_data_free(md);
	return rc;
}

int dp_pattern_match(const struct dp_pattern *p, const char *number,
		     struct dp_match *m)
{
	struct dp_match tmp;
	size_t len;
	int rc;

	if (!p || !number)
		return -EINVAL;
	len = strnlen(number, DB_NUMBER_LEN);
	if (len == 0 || len >= DB_NUMBER_LEN)
		return 0;
	memset(&tmp, 0, sizeof(tmp));
	switch (p->kind) {
	case KIND_EXACT:
		rc = strcmp(p->text, number) == 0;
		break;
	case KIND_WILD:
		rc = match_wild(p, number, len, &tmp);
		break;
	default:
		rc = match_regex(p, number, len, &tmp);
	}
	/* m is only written on a match, so a caller may keep its best
	 * match in it while trying other patterns. */
	if (rc == 1 && m) {
		tmp.ncap = p->ncap;
		set_cap(&tmp, 0, number, len);
		*m = tmp;
	}
	return rc;
}

int dp_pattern_rank(const struct dp_pattern *p)
{
	return p ? p->rank : RANK_REGEX;
}

int dp_pattern_ncap(const struct dp_pattern *p)
{
	return p ? p->ncap : 1;
}

/* The rule lives in the db layer, which checks the numbers IVR options
 * dial before storing them and does not link the dialplan. */
bool dp_dialable(const char *s)
{
	return db_valid_dialable(s);
}
