/* dp_expand.c - route arguments: ${EXTEN}, ${1}, ${EXTEN:N:L} and friends. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialplan/dialplan.h"

struct ctx {
	const struct dp_vars *v;
	const struct dp_match *m; /* may be NULL */
	int ncap;		  /* captures that exist */
	char *err;		  /* may be NULL */
	size_t errlen;
};

static int fail(struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err && c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A signed decimal of at most four digits: offsets beyond a 31-character
 * number mean nothing, and this keeps the arithmetic far from overflow. */
static bool parse_int(const char *s, size_t len, int *vp)
{
	size_t i = 0;
	int v = 0, sign = 1;

	if (len && (s[0] == '-' || s[0] == '+')) {
		sign = s[0] == '-' ? -1 : 1;
		i = 1;
	}
	if (i == len || len - i > 4)
		return false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*vp = sign * v;
	return true;
}

/* Asterisk's ${VAR:off:len} on a value of n characters: sets *startp and
 * *lenp to the slice, clamped to the value. */
static void slice(size_t n, int off, bool has_len, int len, size_t *startp,
		  size_t *lenp)
{
	long start = off, end = (long)n;

	if (start < 0)
		start = (long)n + start;
	if (start < 0)
		start = 0;
	if (start > (long)n)
		start = (long)n;
	if (has_len)
		end = len >= 0 ? start + len : (long)n + len;
	if (end > (long)n)
		end = (long)n;
	if (end < start)
		end = start;
	*startp = (size_t)start;
	*lenp = (size_t)(end - start);
}

/* The value of the variable named by ref[0..namelen), or NULL (reason in
 * c->err). `pos` is the 1-based position of its "${" for messages. */
static const char *lookup(struct ctx *c, const char *ref, size_t namelen,
			  size_t pos)
{
	const char *val = NULL;

	if (namelen == 5 && !strncmp(ref, "EXTEN", 5))
		val = c->v ? c->v->exten : NULL;
	else if (namelen == 6 && !strncmp(ref, "CALLER", 6))
		val = c->v ? c->v->caller : NULL;
	else if (namelen == 6 && !strncmp(ref, "DOMAIN", 6))
		val = c->v ? c->v->domain : NULL;
	else if (namelen == 1 && ref[0] >= '0' && ref[0] <= '9') {
		int i = ref[0] - '0';

		if (i >= c->ncap) {
			if (c->ncap <= 1)
				fail(c,
				     "${%d} at position %zu: the pattern has "
				     "no capture %d (it has $0 only)",
				     i, pos, i);
			else
				fail(c,
				     "${%d} at position %zu: the pattern has "
				     "no capture %d (it has $0..$%d)",
				     i, pos, i, c->ncap - 1);
			return NULL;
		}
		val = c->m ? c->m->cap[i] : "";
	} else {
		fail(c,
		     "unknown variable ${%.*s} at position %zu (known: "
		     "${EXTEN}, ${CALLER}, ${DOMAIN}, ${0}..${9})",
		     (int)namelen, ref, pos);
		return NULL;
	}
	return val ? val : "";
}

/* Expands the reference ref[0..len) (between "${" and "}") onto out at
 * *op. */
static int expand_ref(struct ctx *c, const char *ref, size_t len, size_t pos,
		      char *out, size_t outlen, size_t *op)
{
	const char *colon = memchr(ref, ':', len), *colon2 = NULL, *val;
	size_t namelen = colon ? (size_t)(colon - ref) : len, start, n;
	int off = 0, sublen = 0;

	val = lookup(c, ref, namelen, pos);
	if (!val)
		return -EINVAL;
	if (colon) {
		const char *rest = colon + 1, *end = ref + len;

		colon2 = memchr(rest, ':', (size_t)(end - rest));
		if (!parse_int(rest, (size_t)((colon2 ? colon2 : end) - rest),
			       &off) ||
		    (colon2 && !parse_int(colon2 + 1,
					  (size_t)(end - colon2 - 1), &sublen)))
			return fail(c,
				    "bad substring ${%.*s} at position %zu "
				    "(${VAR:SKIP} or ${VAR:SKIP:LENGTH}, "
				    "whole numbers)",
				    (int)len, ref, pos);
	}
	slice(strlen(val), off, colon2 != NULL, sublen, &start, &n);
	if (n >= outlen - *op)
		return -ENOSPC;
	memcpy(out + *op, val + start, n);
	*op += n;
	return 0;
}

static int expand(struct ctx *c, const char *tmpl, char *out, size_t outlen)
{
	size_t o = 0, i = 0;
	int err = 0;

	while (tmpl[i]) {
		const char *close;

		if (tmpl[i] != '$' || tmpl[i + 1] != '{') {
			if (o + 1 >= outlen) {
				err = -ENOSPC;
				break;
			}
			out[o++] = tmpl[i++];
			continue;
		}
		close = strchr(tmpl + i + 2, '}');
		if (!close) {
			err = fail(c, "unclosed ${ at position %zu", i + 1);
			break;
		}
		err =
		    expand_ref(c, tmpl + i + 2, (size_t)(close - tmpl) - i - 2,
			       i + 1, out, outlen, &o);
		if (err)
			break;
		i = (size_t)(close - tmpl) + 1;
	}
	out[err ? 0 : o] = '\0';
	return err;
}

int dp_expand(const char *tmpl, const struct dp_vars *v,
	      const struct dp_match *m, char *out, size_t outlen)
{
	struct ctx c = {.v = v, .m = m, .ncap = m ? m->ncap : 0};

	if (!out || !outlen)
		return -EINVAL;
	out[0] = '\0';
	if (!tmpl)
		return -EINVAL;
	if (c.ncap > DP_NCAP)
		c.ncap = DP_NCAP;
	return expand(&c, tmpl, out, outlen);
}

int dp_expand_check(const char *tmpl, int ncap, char *err, size_t errlen)
{
	/* Every value empty: the result is never longer than the template,
	 * so only syntax and names can fail. */
	struct dp_vars v = {0};
	struct ctx c = {.v = &v, .ncap = ncap, .err = err, .errlen = errlen};
	char *out;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!tmpl || ncap < 1 || ncap > DP_NCAP)
		return -EINVAL;
	out = malloc(strlen(tmpl) + 1);
	if (!out)
		return -ENOMEM;
	rc = expand(&c, tmpl, out, strlen(tmpl) + 1);
	free(out);
	return rc;
}
