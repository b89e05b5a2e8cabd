/* api_live.c - what is happening: registered phones, calls in progress
 * (asked from the SIP thread), and the call records. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

struct cdr_page {
	json_t *rows;
	const char *ext, *disposition;
	long limit, n;
};

static int cdr_h(const struct db_cdr *c, void *arg)
{
	struct cdr_page *p = arg;

	if (p->ext && strcmp(c->caller, p->ext) && strcmp(c->callee, p->ext))
		return 0;
	if (p->disposition && strcasecmp(c->disposition, p->disposition))
		return 0;
	json_array_append_new(
	    p->rows,
	    json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:s, s:i}",
		      "call_id", c->call_id, "caller", c->caller, "callee",
		      c->callee, "start_us", (json_int_t)c->start_us,
		      "answer_us", (json_int_t)c->answer_us, "end_us",
		      (json_int_t)c->end_us, "duration", c->duration,
		      "disposition", c->disposition, "sip_status",
		      c->sip_status));
	return ++p->n >= p->limit; /* 1 stops the walk */
}

/* GET .../cdr[?limit=N][&extension=E][&disposition=D]: newest first. */
int api_cdr_list(struct web_req *r)
{
	const char *l = web_query(r, "limit");
	long limit = l ? strtol(l, NULL, 10) : 100;
	struct cdr_page p = {.rows = json_array(),
			     .ext = web_query(r, "extension"),
			     .disposition = web_query(r, "disposition"),
			     .limit = limit};
	int err;

	if (limit < 1 || limit > 1000) {
		json_decref(p.rows);
		return web_error(r, 422, "limit", "limit: 1 to 1000");
	}
	/* The filters are applied while walking, so the walk is not bounded
	 * by the page (linear in the tenant's records: see docs/api.md). */
	err = db_cdr_list(r->db, r->tenant.id, 0, cdr_h, &p);
	if (err < 0) {
		json_decref(p.rows);
		return web_errno(r, err, "call record");
	}
	return web_json(r, 200, json_pack("{s:o}", "cdr", p.rows));
}
