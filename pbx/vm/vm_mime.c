/* vm_mime.c - the text of a voicemail email: headers, MIME parts, base64,
 * and the retry back-off. Pure: no I/O, so the tests check it byte for
 * byte. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tz.h"
#include "vm/vm_mail.h"

#define B64_LINE 76 /* RFC 2045's longest encoded line */
/* Raw bytes per RFC 2047 encoded word: 45 bytes are 60 base64 characters,
 * plus "=?UTF-8?B?" and "?=" stays under the 75 the RFC allows. */
#define WORD_BYTES 45

/* A growing string. `err` sticks at the first failure, so a builder can
 * append freely and check once at the end. */
struct sbuf {
	char *p; /* owned; NUL-terminated when len > 0 */
	size_t len, cap;
	int err;
};

static void sb_grow(struct sbuf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->err || b->len + more + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 1024;
	while (cap < b->len + more + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->err = -ENOMEM;
		return;
	}
	b->p = p;
	b->cap = cap;
}

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	if (b->err)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = b->err ? b->err : -EINVAL;
		return;
	}
	sb_grow(b, (size_t)n);
	if (b->err)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int vm_base64(const void *data, size_t n, int wrap, char **out, size_t *lenp)
{
	const unsigned char *s = data;
	size_t chars = (n + 2) / 3 * 4, lines, len, i, o = 0, col = 0;
	char *p;

	if (!out || (n && !data))
		return -EINVAL;
	lines = wrap ? (chars + B64_LINE - 1) / B64_LINE : 0;
	len = chars + 2 * lines;
	p = malloc(len + 1); /* caller frees */
	if (!p)
		return -ENOMEM;
	for (i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;
		size_t k = n - i;

		if (k > 1)
			v |= (uint32_t)s[i + 1] << 8;
		if (k > 2)
			v |= s[i + 2];
		p[o++] = b64[v >> 18 & 63];
		p[o++] = b64[v >> 12 & 63];
		p[o++] = k > 1 ? b64[v >> 6 & 63] : '=';
		p[o++] = k > 2 ? b64[v & 63] : '=';
		col += 4;
		if (wrap && (col == B64_LINE || i + 3 >= n)) {
			p[o++] = '\r';
			p[o++] = '\n';
			col = 0;
		}
	}
	p[o] = '\0';
	*out = p;
	if (lenp)
		*lenp = o;
	return 0;
}

/* Copies `s` into `buf` without control characters (each becomes a
 * space): a caller's display name comes from the network and must not
 * end a header line or start a new one. */
static void clean(char *buf, size_t len, const char *s)
{
	size_t i = 0;

	for (; s && *s && i + 1 < len; s++)
		buf[i++] = ((unsigned char)*s < ' ' || *s == 0x7f) ? ' ' : *s;
	buf[i] = '\0';
}

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

void vm_mime_subject(char *buf, size_t len, const struct vm_mail_msg *m)
{
	const char *caller = m->caller && m->caller[0] ? m->caller : "unknown";
	char name[160];

	clean(name, sizeof(name), m->caller_name);
	snprintf(buf, len, "New voicemail from %s%s%s%s for %s", caller,
		 name[0] ? " (" : "", name, name[0] ? ")" : "", m->ext);
}

/* "Subject: TEXT" with TEXT as RFC 2047 encoded words if it is not ASCII,
 * each word a whole number of UTF-8 characters, one word per folded line. */
static void add_subject(struct sbuf *b, const char *text)
{
	size_t n = strlen(text), at = 0;

	if (is_ascii(text)) {
		sb_printf(b, "Subject: %s\r\n", text);
		return;
	}
	sb_printf(b, "Subject:");
	while (at < n) {
		size_t k = n - at < WORD_BYTES ? n - at : WORD_BYTES;
		char *enc;

		/* Back off to the start of a character: never split one. */
		while (k < n - at && k > 1 &&
		       ((unsigned char)text[at + k] & 0xc0) == 0x80)
			k--;
		if (vm_base64(text + at, k, 0, &enc, NULL)) {
			b->err = -ENOMEM;
			return;
		}
		sb_printf(b, "%s=?UTF-8?B?%s?=", at ? "\r\n " : " ", enc);
		free(enc);
		at += k;
	}
	sb_add(b, "\r\n", 2);
}

/* RFC 5322 date in UTC, spelled out by hand: strftime's %a and %b follow
 * the locale. */
static void add_date(struct sbuf *b, time_t now)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed",
					   "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
					     "May", "Jun", "Jul", "Aug",
					     "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;

	gmtime_r(&now, &tm);
	sb_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
		  days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		  tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* When the message was left, in the tenant's zone if it loads. */
static void fmt_received(char *buf, size_t len, int64_t t, const char *zone)
{
	const char *z = zone && zone[0] ? zone : "UTC";
	struct tm tm;
	time_t tt = (time_t)t;

	if (tz_local(z, tt, &tm)) {
		z = "UTC";
		gmtime_r(&tt, &tm);
	}
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d (%s)",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, z);
}

/* The text part's body, CRLF lines. */
static void text_body(struct sbuf *b, const struct vm_mail_msg *m)
{
	char name[160], ext_name[160], when[96];
	int64_t secs = (m->duration_ms + 500) / 1000;

	clean(name, sizeof(name), m->caller_name);
	clean(ext_name, sizeof(ext_name), m->ext_name);
	fmt_received(when, sizeof(when), m->received, m->zone);
	sb_printf(b, "New voicemail for %s%s%s%s at %s.\r\n\r\n", m->ext,
		  ext_name[0] ? " (" : "", ext_name, ext_name[0] ? ")" : "",
		  m->domain);
	if (m->caller && m->caller[0] && name[0])
		sb_printf(b, "From:     %s <%s>\r\n", name, m->caller);
	else
		sb_printf(b, "From:     %s\r\n",
			  m->caller && m->caller[0] ? m->caller : "unknown");
	sb_printf(b, "Received: %s\r\n", when);
	sb_printf(b, "Length:   %" PRId64 ":%02" PRId64 "\r\n", secs / 60,
		  secs % 60);
	sb_printf(b, "Message:  %" PRId64 "\r\n\r\n", m->msg_id);
	if (m->wav)
		sb_printf(b,
			  "The recording is attached (voicemail-%" PRId64
			  ".wav).\r\n",
			  m->msg_id);
	if (m->note && m->note[0])
		sb_printf(b, "%s\r\n", m->note);
	if (m->link && m->link[0])
		sb_printf(b, "Listen to it: %s\r\n", m->link);
}

int vm_mime_build(const struct vm_mail_msg *m, char **out, size_t *lenp)
{
	char subject[512], boundary[64], from_dom[256];
	struct sbuf b = {0}, text = {0};
	const char *at;
	char *enc = NULL;

	if (!m || !out || !lenp || !m->from || !m->rcpt || !m->ext ||
	    !m->domain || (m->wav_len && !m->wav))
		return -EINVAL;
	at = strchr(m->from, '@');
	snprintf(from_dom, sizeof(from_dom), "%s", at ? at + 1 : "localhost");
	/* '=' and '_' never occur in base64 text, and the text part is
	 * checked below: the boundary cannot appear inside a part. */
	snprintf(boundary, sizeof(boundary), "=_ondo_vm_%" PRId64, m->msg_id);
	vm_mime_subject(subject, sizeof(subject), m);
	text_body(&text, m);
	if (text.err) {
		free(text.p);
		return text.err;
	}

	sb_printf(&b, "From: Voicemail <%s>\r\nTo: <%s>\r\n", m->from, m->rcpt);
	add_subject(&b, subject);
	add_date(&b, m->now);
	/* The same id on every try: a mail that did reach the server before
	 * a failure is reported is recognisable as a duplicate. */
	sb_printf(&b, "Message-ID: <vm.%" PRId64 ".%" PRId64 "@%s>\r\n",
		  m->msg_id, m->received, from_dom);
	sb_printf(&b,
		  "MIME-Version: 1.0\r\n"
		  "Content-Type: multipart/mixed; boundary=\"%s\"\r\n"
		  "\r\nThis is a MIME message.\r\n",
		  boundary);

	sb_printf(&b, "\r\n--%s\r\n", boundary);
	if (is_ascii(text.p) && !strstr(text.p, boundary)) {
		sb_printf(&b, "Content-Type: text/plain; charset=us-ascii\r\n"
			      "Content-Transfer-Encoding: 7bit\r\n\r\n");
		sb_add(&b, text.p, text.len);
	} else {
		if (vm_base64(text.p, text.len, 1, &enc, NULL))
			b.err = -ENOMEM;
		sb_printf(&b,
			  "Content-Type: text/plain; charset=utf-8\r\n"
			  "Content-Transfer-Encoding: base64\r\n\r\n%s",
			  enc ? enc : "");
		free(enc);
		enc = NULL;
	}
	if (m->wav) {
		size_t n = 0;

		if (vm_base64(m->wav, m->wav_len, 1, &enc, &n))
			b.err = -ENOMEM;
		sb_printf(&b,
			  "\r\n--%s\r\n"
			  "Content-Type: audio/wav; name=\"voicemail-%" PRId64
			  ".wav\"\r\n"
			  "Content-Transfer-Encoding: base64\r\n"
			  "Content-Disposition: attachment; "
			  "filename=\"voicemail-%" PRId64 ".wav\"\r\n\r\n",
			  boundary, m->msg_id, m->msg_id);
		if (enc)
			sb_add(&b, enc, n);
		free(enc);
	}
	sb_printf(&b, "\r\n--%s--\r\n", boundary);
	free(text.p);
	if (b.err) {
		free(b.p);
		return b.err;
	}
	*out = b.p; /* caller frees */
	*lenp = b.len;
	return 0;
}

int vm_mail_backoff(int attempts, int retry_min, int retry_max)
{
	int64_t d = retry_min > 0 ? retry_min : 1;

	if (retry_max < d)
		retry_max = (int)d;
	/* Doubling stops at the cap, so it cannot overflow. */
	for (int i = 1; i < attempts && d < retry_max; i++)
		d *= 2;
	return d > retry_max ? retry_max : (int)d;
}
