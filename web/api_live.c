/* api_live.c - what is happening: registered phones, calls in progress
 * (asked from the SIP thread), and the call records. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/conf.h"
#include "sip/sip.h"
#include "web/web_priv.h"

static int reg_h(const struct db_reg *g, void *arg)
{
	json_array_append_new(
	    arg, json_pack("{s:s, s:s, s:s, s:I, s:s}", "extension", g->number,
			   "contact", g->contact, "route", g->route, "expires",
			   (json_int_t)g->expires, "user_agent",
			   g->user_agent));
	return 0;
}

int api_reg_list(struct web_req *r)
{
	json_t *rows = json_array();
	int err = db_reg_list(r->db, r->tenant.id, (int64_t)time(NULL), reg_h,
			      rows);

	if (err) {
		json_decref(rows);
		return web_errno(r, err, "registration");
	}
	return web_json(r, 200, json_pack("{s:o}", "registrations", rows));
}

struct calls_text {
	char *buf;
	size_t len;
};

/* On the SIP thread: the call list as the control socket prints it. */
static int calls_sync(struct sip *s, void *arg)
{
	struct calls_text *t = arg;
	FILE *f = open_memstream(&t->buf, &t->len);
	int err;

	if (!f)
		return -ENOMEM;
	err = sip_calls_print(s, f);
	fclose(f);
	return err;
}

/* "DOMAIN\tCALL-ID\tCALLER\tCALLEE\tSTATE\tSECONDS" lines of one
 * tenant into JSON. */
static json_t *calls_json(char *text, const char *domain)
{
	json_t *rows = json_array();
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[6], *s2 = NULL;
		int n = 0;
		for (char *p = strtok_r(line, "\t", &s2); p && n < 6;
		     p = strtok_r(NULL, "\t", &s2))
			f[n++] = p;
		if (n != 6 || strcmp(f[0], domain))
			continue;
		json_array_append_new(
		    rows, json_pack("{s:s, s:s, s:s, s:s, s:I}", "call_id", f[1],
				    "caller", f[2], "callee", f[3], "state",
				    f[4], "seconds",
				    (json_int_t)strtoll(f[5], NULL, 10)));
	}
	return rows;
}

int api_call_list(struct web_req *r)
{
	struct calls_text t = {0};
	int err;

	if (!r->w->sip)
		return web_error(r, 503, NULL, "no SIP side in this process");
	err = sip_sync(r->w->sip, calls_sync, &t);
	if (err) {
		free(t.buf);
		return web_error(r, 503, NULL, "live calls unavailable: %s",
				 strerror(-err));
	}
	err = web_json(r, 200, json_pack("{s:o}", "calls",
					  calls_json(t.buf ? t.buf : (char[]){0},
						     r->tenant.domain)));
	free(t.buf);
	return err;
}

struct end_arg {
	const char *domain, *call_id;
};

static int end_sync(struct sip *s, void *arg)
{
	struct end_arg *a = arg;

	return sip_call_end(s, a->domain, a->call_id);
}

/* DELETE .../calls/{call_id}: hangs the call up. */
int api_call_end(struct web_req *r)
{
	struct end_arg a = {r->tenant.domain, r->params[1]};
	int err;

	if (!r->w->sip)
		return web_error(r, 503, NULL, "no SIP side in this process");
	err = sip_sync(r->w->sip, end_sync, &a);
	snprintf(r->audit_object, sizeof(r->audit_object), "call %s",
		 r->params[1]);
	if (err == -ENOENT)
		return web_error(r, 404, NULL, "no such call");
	if (err)
		return web_error(r, 503, NULL, "the call could not be ended: %s",
				 strerror(-err));
	return web_no_content(r);
}

/* "recording" is the first of "recordings" (api_cdr_rec.c), as before
 * there could be several. */
static json_t *cdr_json(struct web_req *r, const struct db_cdr *c)
{
	return json_pack(
	    "{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:s, s:i, "
	    "s:s, s:o}",
	    "id", (json_int_t)c->id, "call_id", c->call_id, "caller", c->caller,
	    "callee", c->callee, "start_us", (json_int_t)c->start_us,
	    "answer_us", (json_int_t)c->answer_us, "end_us",
	    (json_int_t)c->end_us, "duration", c->duration, "disposition",
	    c->disposition, "sip_status", c->sip_status, "recording",
	    c->recording, "recordings", api_cdr_recs_json(r, c));
}

struct cdr_rows {
	struct web_req *r;
	json_t *rows;
};

static int cdr_h(const struct db_cdr *c, void *arg)
{
	struct cdr_rows *a = arg;

	json_array_append_new(a->rows, cdr_json(a->r, c));
	return 0;
}

/* A CSV field: quoted, with quotes doubled; a leading = + - @ is
 * prefixed with ' so a spreadsheet does not run it as a formula. */
static void csv_field(FILE *f, const char *s, bool last)
{
	fputc('"', f);
	if (*s && strchr("=+-@", *s))
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputs(last ? "\"\r\n" : "\",", f);
}

static int csv_h(const struct db_cdr *c, void *arg)
{
	char num[3][24];

	snprintf(num[0], sizeof(num[0]), "%lld", (long long)(c->start_us / 1000000));
	snprintf(num[1], sizeof(num[1]), "%d", c->duration);
	snprintf(num[2], sizeof(num[2]), "%d", c->sip_status);
	csv_field(arg, num[0], false);
	csv_field(arg, c->caller, false);
	csv_field(arg, c->callee, false);
	csv_field(arg, num[1], false);
	csv_field(arg, c->disposition, false);
	csv_field(arg, num[2], false);
	csv_field(arg, c->call_id, true);
	return 0;
}

static int64_t arg_i64(struct web_req *r, const char *key, int *bad)
{
	const char *s = web_query(r, key);
	char *end;
	long long v;

	if (!s)
		return 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || v < 0)
		*bad = 1;
	return v;
}

/* A time in seconds (from=, to=) as microseconds; one too large for that
 * is bad rather than a signed overflow. */
static int64_t arg_us(struct web_req *r, const char *key, int *bad)
{
	int64_t s = arg_i64(r, key, bad);

	if (s > INT64_MAX / 1000000) {
		*bad = 1;
		return 0;
	}
	return s * 1000000;
}

static int cdr_filter(struct web_req *r, struct db_cdr_filter *f)
{
	const char *l = web_query(r, "limit"), *e = web_query(r, "extension"),
		   *d = web_query(r, "disposition");
	int bad = 0;

	memset(f, 0, sizeof(*f));
	f->tenant_id = r->tenant.id;
	f->from_us = arg_us(r, "from", &bad);
	f->to_us = arg_us(r, "to", &bad);
	f->before_start_us = arg_i64(r, "before_start_us", &bad);
	f->before_id = arg_i64(r, "before_id", &bad);
	f->limit = l ? (int)strtol(l, NULL, 10) : 100;
	f->ext = e ? e : "";
	f->disposition = d ? d : "";
	if (bad)
		return web_error(r, 422, NULL,
				 "from, to (seconds since the epoch) and the "
				 "cursor are whole numbers"),
		       1;
	if (f->limit < 1 || f->limit > 10000)
		return web_error(r, 422, "limit", "limit: 1 to 10000"), 1;
	return 0;
}

static int cdr_csv(struct web_req *r, const struct db_cdr_filter *f)
{
	struct MHD_Response *resp;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int err;

	if (!out)
		return -ENOMEM;
	fputs("start,caller,callee,duration,disposition,sip_status,call_id\r\n",
	      out);
	err = db_cdr_search(r->db, f, csv_h, out);
	fclose(out);
	if (err) {
		free(buf);
		return web_errno(r, err, "call record");
	}
	/* MHD frees buf. */
	resp = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(buf);
		return -ENOMEM;
	}
	MHD_add_response_header(resp, "Content-Type", "text/csv; charset=utf-8");
	MHD_add_response_header(resp, "Content-Disposition",
				"attachment; filename=\"cdr.csv\"");
	r->resp = resp;
	r->status = 200;
	return 0;
}

/* GET .../cdr?from=&to=&extension=&disposition=&limit=
 * [&before_start_us=&before_id=][&format=csv]: newest first; the next
 * page starts before the last row's start_us and id. */
int api_cdr_list(struct web_req *r)
{
	const char *fmt = web_query(r, "format");
	struct db_cdr_filter f;
	json_t *rows;
	int err;

	if (cdr_filter(r, &f))
		return 0;
	if (fmt && !strcmp(fmt, "csv"))
		return cdr_csv(r, &f);
	rows = json_array();
	err = db_cdr_search(r->db, &f, cdr_h,
			    &(struct cdr_rows){.r = r, .rows = rows});
	if (err) {
		json_decref(rows);
		return web_errno(r, err, "call record");
	}
	return web_json(r, 200, json_pack("{s:o}", "cdr", rows));
}
