/* ctl_live.c - ondoctl reg list | calls | cdr: who is online, what is
 * ringing or talking now, and what happened. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_record.h"
#include "ondoctl/ondoctl.h"

#define CDR_DEFAULT_LIMIT 20
#define CDR_MAX_LIMIT	  100000

struct live_rows {
	struct octl *o;
	struct octl_table *table;
	int64_t now;
};

static int reg_row_h(const struct db_reg *r, void *arg)
{
	struct live_rows *rows = arg;
	char ext[DB_NUMBER_LEN + DB_DOMAIN_LEN], expires[32];

	snprintf(ext, sizeof(ext), "%s@%s", r->number, r->domain);
	octl_fmt_duration(expires, sizeof(expires), r->expires - rows->now);
	return octl_table_add(rows->table, ext, r->contact, r->route, expires,
			      r->user_agent);
}

int octl_reg_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"EXTENSION", "CONTACT", "ROUTE",
					     "EXPIRES IN", "USER AGENT"};
	struct live_rows rows = {.o = o, .now = time(NULL)};
	struct db_tenant t;
	char empty[DB_DOMAIN_LEN + 32];
	int status, err;

	status = octl_list_begin(o, argc, argv, &t, 5, header, &rows.table);
	if (status)
		return status;
	err = db_reg_list(o->db, t.id, rows.now, reg_row_h, &rows);
	snprintf(empty, sizeof(empty), "no phones registered%s%s",
		 t.id ? " in " : "", t.id ? t.domain : "");
	return octl_list_end(rows.table, err, "registrations", empty);
}

/* One "calls" line: domain, call_id, caller, callee, state, seconds. */
static int call_row_h(char **f, void *arg)
{
	char dur[32];

	octl_fmt_duration(dur, sizeof(dur), strtoll(f[5], NULL, 10));
	return octl_table_add(arg, f[0], f[2], f[3], f[4], dur, f[1]);
}

static int show_calls(char *body)
{
	static const char *const header[] = {"DOMAIN", "CALLER", "CALLEE",
					     "STATE",  "TIME",	 "CALL-ID"};
	struct octl_table *table;
	int status;

	if (octl_table_alloc(&table, 6, header))
		return octl_err("out of memory");
	status = octl_reply_rows(body, 6, "call", call_row_h, table);
	if (status == OCTL_OK && octl_table_rows(table) == 0)
		printf("no calls in progress\n");
	else if (status == OCTL_OK)
		octl_table_print(table, stdout);
	octl_table_free(table);
	return status;
}

int octl_calls(struct octl *o, int argc, char **argv)
{
	char *body = NULL;
	int n, status;

	if (octl_parse(o, argc, argv, NULL, 0, 0, &n))
		return OCTL_USAGE;
	status = octl_ask(o, "calls", &body);
	if (status == OCTL_OK)
		status = show_calls(body);
	free(body);
	return status;
}

/* A call's second and later recordings: a line each under its row, the
 * other columns empty. */
static int more_rec_h(const struct db_recording *rec, void *arg)
{
	if (rec->seq < 2)
		return 0; /* the first is on the call's own line */
	return octl_table_add(arg, "", "", "", "", "", "", "", "", rec->path);
}

static int cdr_row_h(const struct db_cdr *c, void *arg)
{
	struct octl_rows *rows = arg;
	char start[32], dur[32], status[16];
	time_t secs = (time_t)(c->start_us / 1000000);
	struct tm tm;
	int err;

	localtime_r(&secs, &tm);
	strftime(start, sizeof(start), "%Y-%m-%d %H:%M:%S", &tm);
	octl_fmt_duration(dur, sizeof(dur), c->duration);
	snprintf(status, sizeof(status), "%d", c->sip_status);
	err =
	    octl_table_add(rows->table, start,
			   octl_domain_of(rows->o, &rows->cache, c->tenant_id),
			   c->caller, c->callee, c->disposition, dur, status,
			   c->call_id, c->recording[0] ? c->recording : "-");
	if (!err && c->recording[0])
		err = db_recording_list(rows->o->db, c->tenant_id, c->id,
					more_rec_h, rows->table);
	return err;
}

static int parse_limit(const char *s, int *limitp)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > CDR_MAX_LIMIT)
		return octl_err("invalid limit '%s' (a number from 1 to %d)", s,
				CDR_MAX_LIMIT);
	*limitp = (int)v;
	return OCTL_OK;
}

int octl_cdr(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {
	    "START",  "DOMAIN",	 "CALLER",
	    "CALLEE", "RESULT",	 "DURATION",
	    "STATUS", "CALL-ID", "RECORDINGS (under the spool)"};
	const char *limit_arg = NULL;
	const struct octl_opt opts[] = {{"--limit", &limit_arg}, {NULL, NULL}};
	struct octl_rows rows = {.o = o};
	struct db_tenant t = {0};
	int n, err, limit = CDR_DEFAULT_LIMIT;

	if (octl_parse(o, argc, argv, opts, 0, 1, &n))
		return OCTL_USAGE;
	if ((limit_arg && parse_limit(limit_arg, &limit)) ||
	    (n == 1 && octl_tenant(o, argv[0], &t)))
		return OCTL_ERR;
	if (octl_table_alloc(&rows.table, 9, header))
		return octl_err("out of memory");
	err = db_cdr_list(o->db, t.id, limit, cdr_row_h, &rows);
	if (err)
		octl_err("cannot list call records: %s", octl_strerror(err));
	else if (octl_table_rows(rows.table) == 0)
		printf("no calls recorded%s%s\n", n ? " in " : "",
		       n ? t.domain : "");
	else
		octl_table_print(rows.table, stdout);
	octl_table_free(rows.table);
	return err ? OCTL_ERR : OCTL_OK;
}
