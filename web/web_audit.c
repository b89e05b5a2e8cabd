/* web_audit.c - every change made through the API, and each log-in, as a
 * row of audit_log: who, when, what, from where. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "web/web_priv.h"

void web_audit(struct web_req *r, const char *action, const char *object,
	       const char *detail)
{
	struct db_web_audit a = {0};
	int err;

	snprintf(a.username, sizeof(a.username), "%s", r->who.username);
	/* The tenant the change was about, else the user's own. */
	snprintf(a.tenant, sizeof(a.tenant), "%s",
		 r->tenant.domain[0] ? r->tenant.domain : r->who.domain);
	snprintf(a.action, sizeof(a.action), "%s", action);
	snprintf(a.object, sizeof(a.object), "%s", object ? object : "");
	snprintf(a.detail, sizeof(a.detail), "%s", detail ? detail : "");
	snprintf(a.source, sizeof(a.source), "%s", r->source);
	err = db_web_audit_add(r->db, &a);
	if (err)
		LOGE("web", "audit log not written (%s %s by %s): %s", action,
		     a.object, a.username, strerror(-err));
}

static int audit_h(const struct db_web_audit *a, void *arg)
{
	json_array_append_new(
	    arg, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
			   (json_int_t)a->id, "at", (json_int_t)a->at, "user",
			   a->username, "tenant", a->tenant, "action",
			   a->action, "object", a->object, "detail", a->detail,
			   "source", a->source));
	return 0;
}

/* GET /api/v1/audit[?tenant=D][&before=ID][&limit=N]: newest first. A
 * tenant admin sees its own tenant's rows only. */
int api_audit_list(struct web_req *r)
{
	const char *t = web_query(r, "tenant"), *b = web_query(r, "before"),
		   *l = web_query(r, "limit");
	long limit = l ? strtol(l, NULL, 10) : 100;
	long long before = b ? strtoll(b, NULL, 10) : 0;
	json_t *rows;
	int err;

	if (limit < 1 || limit > 1000)
		return web_error(r, 422, "limit", "limit: 1 to 1000");
	rows = json_array();
	if (r->who.role != DB_WEB_SUPERADMIN)
		t = r->who.domain;
	err = db_web_audit_list(r->db, t, before, (int)limit, audit_h, rows);
	if (err) {
		json_decref(rows);
		return web_errno(r, err, "audit log");
	}
	return web_json(r, 200, json_pack("{s:o}", "entries", rows));
}
