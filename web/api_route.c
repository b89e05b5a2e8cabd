/* api_route.c - /api/v1/tenants/{domain}/routes: the tenant's dialplan
 * rows, checked as ondoctl checks them (dp_route_check). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_record.h"
#include "db_trunk.h"
#include "dialplan/dialplan.h"
#include "web/web_priv.h"

/* A route as JSON; its recording mode read from db (a route just made
 * records never). */
static json_t *route_json(struct db *db, const struct db_route *r)
{
	return json_pack(
	    "{s:I, s:i, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id,
	    "priority", r->priority, "pattern", r->pattern, "app", r->app,
	    "args", r->args, "cos", r->cos, "record",
	    db_record_name(db ? db_route_record(db, r->tenant_id, r->id)
			      : DB_REC_NEVER));
}

struct list_arg {
	struct db *db;
	json_t *rows;
};

static int route_h(const struct db_route *r, void *arg)
{
	struct list_arg *l = arg;

	json_array_append_new(l->rows, route_json(l->db, r));
	return 0;
}

int api_route_list(struct web_req *r)
{
	json_t *rows = json_array();
	struct list_arg l = {r->db, rows};
	int err = db_route_list(r->db, r->tenant.id, route_h, &l);

	if (err) {
		json_decref(rows);
		return web_errno(r, err, "route");
	}
	return web_json(r, 200, json_pack("{s:o}", "routes", rows));
}

/* Copies a string member into buf; 0, 1 when answered (422). */
static int take(struct web_req *r, json_t *b, const char *key, char *buf,
		size_t len, bool required)
{
	json_t *v = json_object_get(b, key);

	if (!v && !required)
		return 0;
	if (!json_is_string(v))
		return web_error(r, 422, key, "%s must be a string", key), 1;
	if (strlen(json_string_value(v)) >= len)
		return web_error(r, 422, key, "%s: at most %zu characters", key,
				 len - 1),
		       1;
	snprintf(buf, len, "%s", json_string_value(v));
	return 0;
}

static int fill(struct web_req *r, json_t *b, struct db_route *rt)
{
	json_t *prio = json_object_get(b, "priority");

	if (take(r, b, "pattern", rt->pattern, sizeof(rt->pattern), true) ||
	    take(r, b, "app", rt->app, sizeof(rt->app), true) ||
	    take(r, b, "args", rt->args, sizeof(rt->args), false) ||
	    take(r, b, "cos", rt->cos, sizeof(rt->cos), false))
		return 1;
	if (prio && (!json_is_integer(prio) ||
		     json_integer_value(prio) < DB_ROUTE_PRIO_MIN ||
		     json_integer_value(prio) > DB_ROUTE_PRIO_MAX))
		return web_error(r, 422, "priority", "priority: %d to %d",
				 DB_ROUTE_PRIO_MIN, DB_ROUTE_PRIO_MAX),
		       1;
	rt->priority = prio ? (int)json_integer_value(prio)
			    : DB_ROUTE_PRIO_DEFAULT;
	if (rt->cos[0] && db_cos_parse(rt->cos) < 0)
		return web_error(r, 422, "cos",
				 "cos: internal, local, national or "
				 "international"),
		       1;
	return 0;
}

/* Which field a dp_route_check sentence is about. */
static const char *field_of(const char *why)
{
	if (!strncmp(why, "bad pattern", 11))
		return "pattern";
	if (!strncmp(why, "no application", 14))
		return "app";
	return "args";
}

int api_route_add(struct web_req *r)
{
	struct db_route rt = {0};
	char why[512];
	int64_t id;
	int err;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	if (fill(r, b, &rt))
		goto out;
	err = dp_route_check(r->db, r->tenant.id, &rt, why, sizeof(why));
	if (err == -EINVAL) {
		web_error(r, 422, field_of(why), "%s", why);
		goto out;
	}
	rt.tenant_id = r->tenant.id;
	if (!err)
		err = db_route_add(r->db, &rt, &id);
	if (err == -EEXIST) {
		web_error(r, 409, "pattern",
			  "a route with priority %d and pattern '%s' exists",
			  rt.priority, rt.pattern);
		goto out;
	}
	if (err) {
		web_errno(r, err, "route");
		goto out;
	}
	rt.id = id;
	if (!rt.cos[0])
		snprintf(rt.cos, sizeof(rt.cos), "internal");
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "route %lld: %s -> %s %s", (long long)id, rt.pattern, rt.app,
		 rt.args);
	web_json(r, 201, route_json(NULL, &rt));
out:
	json_decref(b);
	return 0;
}

/* The route of {id} in the path: its id, or 0 after a 404. */
static int64_t path_id(struct web_req *r)
{
	char *end;
	long long id = strtoll(r->params[1], &end, 10);

	if (!*r->params[1] || *end || id <= 0) {
		web_error(r, 404, NULL, "no such route");
		return 0;
	}
	return id;
}

/* PATCH: a route's class of service and recording, as `ondoctl route cos
 * | record` (its pattern and app are changed by delete and add). */
int api_route_patch(struct web_req *r)
{
	json_t *b = web_body_object(r), *cos, *rec;
	struct list_arg l = {r->db, NULL};
	int64_t id;
	const char *k;
	json_t *v;
	int err = 0;

	if (!b)
		return 0;
	if (!(id = path_id(r)))
		goto out;
	json_object_foreach(b, k, v)
	{
		if (strcmp(k, "cos") && strcmp(k, "record")) {
			web_error(r, 422, k,
				  "%s: only cos and record change; delete "
				  "and add the route for the rest",
				  k);
			goto out;
		}
	}
	cos = json_object_get(b, "cos");
	rec = json_object_get(b, "record");
	if (cos && (!json_is_string(cos) ||
		    db_cos_parse(json_string_value(cos)) < 0)) {
		web_error(r, 422, "cos",
			  "cos: internal, local, national or international");
		goto out;
	}
	if (rec && (!json_is_string(rec) ||
		    db_record_parse(json_string_value(rec)) < 0)) {
		web_error(r, 422, "record", "record: never, on-demand or always");
		goto out;
	}
	if (cos)
		err = db_route_set_cos(r->db, r->tenant.id, id,
				       json_string_value(cos));
	if (!err && rec)
		err = db_route_set_record(r->db, r->tenant.id, id,
					  json_string_value(rec));
	snprintf(r->audit_object, sizeof(r->audit_object), "route %lld",
		 (long long)id);
	if (err) {
		web_errno(r, err, "route");
		goto out;
	}
	/* The answer: the route as the list shows it. */
	l.rows = json_array();
	err = db_route_list(r->db, r->tenant.id, route_h, &l);
	for (size_t i = 0; !err && i < json_array_size(l.rows); i++) {
		json_t *row = json_array_get(l.rows, i);
		if (json_integer_value(json_object_get(row, "id")) == id) {
			web_json(r, 200, json_incref(row));
			break;
		}
	}
	json_decref(l.rows);
out:
	json_decref(b);
	return 0;
}

int api_route_del(struct web_req *r)
{
	int64_t id = path_id(r);
	int err;

	if (!id)
		return 0;
	err = db_route_del(r->db, r->tenant.id, id);
	snprintf(r->audit_object, sizeof(r->audit_object), "route %lld",
		 (long long)id);
	return err ? web_errno(r, err, "route") : web_no_content(r);
}
