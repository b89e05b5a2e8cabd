/* dtmf.c - RFC 4733 events, SpanDSP in-band DTMF, SIP INFO DTMF bodies. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <spandsp.h>

#include "media/dtmf.h"

/* RFC 4733 event codes 0-15 in order. */
static const char events[] = "0123456789*#ABCD";

/* Well over the 40 ms minimum of Q.24, so that a lossy or transcoded leg
 * still detects each digit; 200 ms a digit is still brisk dialling. */
#define GEN_ON_MS  100
#define GEN_OFF_MS 100
#define GEN_LEVEL  -10 /* dBm0, low group; twist 0 */

/* The event code of a digit (A-D in either case), or -1. */
static int event_of(char c)
{
	const char *p;

	if (c >= 'a' && c <= 'd')
		c = (char)(c - 'a' + 'A');
	if (!c)
		return -1;
	p = strchr(events, c);
	return p ? (int)(p - events) : -1;
}

int dtmf_4733_parse(const uint8_t *p, size_t len, struct dtmf_event *ev)
{
	if (!p || !ev || len < 4 || p[0] > 15)
		return -EINVAL;
	ev->digit = events[p[0]];
	ev->end = p[1] >> 7;
	ev->volume = p[1] & 0x3f;
	ev->duration = p[2] << 8 | p[3];
	return 0;
}

int dtmf_4733_pack(uint8_t *p, size_t len, const struct dtmf_event *ev)
{
	int code;

	if (!p || !ev)
		return -EINVAL;
	code = event_of(ev->digit);
	if (code < 0 || ev->volume < 0 || ev->volume > 63 || ev->duration < 0 ||
	    ev->duration > 0xffff)
		return -EINVAL;
	if (len < 4)
		return -ENOSPC;
	p[0] = (uint8_t)code;
	p[1] = (uint8_t)((ev->end ? 0x80 : 0) | ev->volume);
	p[2] = (uint8_t)(ev->duration >> 8);
	p[3] = (uint8_t)ev->duration;
	return 4;
}

void dtmf_4733_rx_init(struct dtmf_4733_rx *r)
{
	memset(r, 0, sizeof(*r));
}

int dtmf_4733_rx_feed(struct dtmf_4733_rx *r, uint32_t rtp_ts,
		      const struct dtmf_event *ev, char *digit)
{
	uint32_t since;

	if (!r || !ev || !digit || event_of(ev->digit) < 0)
		return -EINVAL;
	if (r->active) {
		since = rtp_ts - r->ts;
		if (since == 0) {
			/* A repeat or an end packet of the current press. */
			if ((uint32_t)ev->duration > r->duration)
				r->duration = (uint32_t)ev->duration;
			r->ended |= ev->end;
			return 0;
		}
		/* Serial-number order: an older timestamp is a stale
		 * retransmission of a press already reported. */
		if ((int32_t)since < 0)
			return 0;
		if (!r->ended && ev->digit == r->digit &&
		    since <= r->duration) {
			/* Next segment of a long press: same press. */
			r->ts = rtp_ts;
			r->duration = (uint32_t)ev->duration;
			r->ended = ev->end;
			return 0;
		}
	}
	r->active = 1;
	r->ts = rtp_ts;
	r->digit = ev->digit;
	r->ended = ev->end;
	r->duration = (uint32_t)ev->duration;
	*digit = ev->digit;
	return 1;
}

struct dtmf_det {
	dtmf_rx_state_t *rx;
	void (*h)(char digit, void *arg);
	void *arg;
};

/* SpanDSP hands over digits in batches; the owner wants them one by one.
 * Only this callback is registered, never the realtime one: with both set
 * 0.0.6 stops calling this one. */
static void digits_h(void *user_data, const char *digits, int len)
{
	struct dtmf_det *d = user_data;
	int i;

	for (i = 0; i < len; i++)
		d->h(digits[i], d->arg);
}

int dtmf_det_alloc(struct dtmf_det **dp, void (*h)(char digit, void *arg),
		   void *arg)
{
	struct dtmf_det *d;

	if (!dp || !h)
		return -EINVAL;
	/* Caller frees with dtmf_det_free(). */
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->h = h;
	d->arg = arg;
	d->rx = dtmf_rx_init(NULL, digits_h, d);
	if (!d->rx) {
		free(d);
		return -ENOMEM;
	}
	*dp = d;
	return 0;
}

void dtmf_det_feed(struct dtmf_det *d, const int16_t *pcm8k, int n)
{
	if (!d || !pcm8k || n <= 0)
		return;
	dtmf_rx(d->rx, pcm8k, n);
}

void dtmf_det_free(struct dtmf_det *d)
{
	if (!d)
		return;
	dtmf_rx_free(d->rx);
	free(d);
}

struct dtmf_gen {
	dtmf_tx_state_t *tx;
};

int dtmf_gen_alloc(struct dtmf_gen **gp)
{
	struct dtmf_gen *g;

	if (!gp)
		return -EINVAL;
	/* Caller frees with dtmf_gen_free(). */
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->tx = dtmf_tx_init(NULL);
	if (!g->tx) {
		free(g);
		return -ENOMEM;
	}
	dtmf_tx_set_level(g->tx, GEN_LEVEL, 0);
	dtmf_tx_set_timing(g->tx, GEN_ON_MS, GEN_OFF_MS);
	*gp = g;
	return 0;
}

int dtmf_gen_digits(struct dtmf_gen *g, const char *digits)
{
	char buf[MAX_DTMF_DIGITS + 1];
	size_t i, n;
	int code;

	if (!g || !digits)
		return -EINVAL;
	n = strlen(digits);
	/* SpanDSP would skip unknown characters, lower-case a-d included,
	 * silently; a caller that asked for them has a bug worth hearing
	 * about. */
	for (i = 0; i < n; i++) {
		code = event_of(digits[i]);
		if (code < 0)
			return -EINVAL;
		if (i < MAX_DTMF_DIGITS)
			buf[i] = events[code];
	}
	if (!n)
		return 0;
	if (n > MAX_DTMF_DIGITS)
		return -ENOSPC;
	buf[n] = '\0';
	/* 0.0.6 returns how many digits did not fit, and then queues none
	 * of them (its header says otherwise). */
	if (dtmf_tx_put(g->tx, buf, (int)n) != 0)
		return -ENOSPC;
	return 0;
}

int dtmf_gen_fill(struct dtmf_gen *g, int16_t *pcm8k, int n)
{
	int got;

	if (!g || !pcm8k || n <= 0)
		return 0;
	got = dtmf_tx(g->tx, pcm8k, n);
	if (got < 0)
		got = 0;
	if (got < n)
		memset(pcm8k + got, 0, (size_t)(n - got) * sizeof(*pcm8k));
	return got;
}

void dtmf_gen_free(struct dtmf_gen *g)
{
	if (!g)
		return;
	dtmf_tx_free(g->tx);
	free(g);
}

/* Skips blanks (space, tab) from *p up to end. */
static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Parses a digit token [p, end): one digit character, or "10"-"15". */
static int token_digit(const char *p, const char *end, char *digit)
{
	size_t n = (size_t)(end - p);
	int code;

	if (n == 1) {
		code = event_of(*p);
		if (code < 0)
			return -EINVAL;
		*digit = events[code];
		return 0;
	}
	if (n == 2 && p[0] == '1' && p[1] >= '0' && p[1] <= '5') {
		*digit = events[10 + p[1] - '0'];
		return 0;
	}
	return -EINVAL;
}

/* The token at p: up to whitespace or end. */
static const char *token_end(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
		p++;
	return p;
}

/* True if the media type of ct (parameters and blanks aside) is `type`. */
static int type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, type, n))
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

static int relay_parse(const char *p, const char *end, char *digit)
{
	const char *eol, *v;

	while (p < end) {
		eol = p;
		while (eol < end && *eol != '\r' && *eol != '\n')
			eol++;
		p = skip_blanks(p, eol);
		if (eol - p > 6 && !strncasecmp(p, "signal", 6)) {
			v = skip_blanks(p + 6, eol);
			if (v < eol && *v == '=') {
				v = skip_blanks(v + 1, eol);
				if (skip_blanks(token_end(v, eol), eol) != eol)
					return -EINVAL;
				return token_digit(v, token_end(v, eol), digit);
			}
		}
		if (eol == end)
			break;
		p = eol + 1;
	}
	return -EINVAL;
}

/*
 * Fuzz target: the body comes from any phone of any tenant. Every scan is
 * bounded by body + len; content_type is a NUL-terminated header value.
 */
int dtmf_info_parse(const char *content_type, const char *body, size_t len,
		    char *digit)
{
	const char *end, *p, *t;

	if (!content_type || !body || !digit || !len)
		return -EINVAL;
	end = body + len;
	if (type_is(content_type, "application/dtmf-relay"))
		return relay_parse(body, end, digit);
	if (!type_is(content_type, "application/dtmf"))
		return -EINVAL;
	p = body;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	t = token_end(p, end);
	for (end = t; t < body + len; t++)
		if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\n')
			return -EINVAL;
	return token_digit(p, end, digit);
}
