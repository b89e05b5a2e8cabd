/* api_ringgroup.c - /api/v1/tenants/{domain}/ringgroups: ring groups and
 * their members in ring order, checked by db_rg_check and
 * db_rg_set_members as ondoctl ringgroup add|set checks them. A group's
 * members are given as a list, whole: [{"extension":"1002"},
 * {"extension":"1003","ring_time":30}] (or plain "1002" strings). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_ringgroup.h"
#include "db_park.h"
#include "web/web_priv.h"

static json_t *group_json(struct web_req *r, const struct db_rg *g)
{
	struct db_rg_member m[DB_RG_MAX_MEMBERS];
	json_t *members = json_array();
	int n = 0;

	if (db_rg_members(r->db, g->tenant_id, g->number, m, DB_RG_MAX_MEMBERS,
			  &n))
		n = 0;
	for (int i = 0; i < n; i++)
		json_array_append_new(members,
				      json_pack("{s:s, s:s, s:i}", "extension",
						m[i].ext, "name", m[i].name,
						"ring_time", m[i].ring_time));
	return json_pack(
	    "{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:o}", "number", g->number,
	    "name", g->name, "strategy", db_rg_strategy_name(g->strategy),
	    "ring_time", g->ring_time, "timeout", g->timeout, "fallback_type",
	    g->fallback_type, "fallback", g->fallback, "members", members);
}

struct list_arg {
	struct web_req *r;
	json_t *rows;
};

static int group_h(const struct db_rg *g, void *arg)
{
	struct list_arg *a = arg;

	json_array_append_new(a->rows, group_json(a->r, g));
	return 0;
}

/* GET .../ringgroups: every group of the tenant with its members. */
int api_rg_list(struct web_req *r)
{
	struct list_arg a = {r, json_array()};
	int err = db_rg_list(r->db, r->tenant.id, group_h, &a);

	if (err) {
		json_decref(a.rows);
		return web_errno(r, err, "ring group");
	}
	return web_json(r, 200, json_pack("{s:o}", "ringgroups", a.rows));
}

static int text(struct web_req *r, const char *k, json_t *v, char *out,
		size_t len, const char *rule)
{
	if (!json_is_string(v) || json_string_length(v) >= len)
		return web_error(r, 422, k, "%s", rule), 1;
	snprintf(out, len, "%s", json_string_value(v));
	return 0;
}

static int seconds(struct web_req *r, const char *k, json_t *v, int min,
		   int max, int *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return web_error(r, 422, k, "%s: %d to %d seconds", k, min,
				 max),
		       1;
	*out = (int)json_integer_value(v);
	return 0;
}

/* The "members" list into m; 0, or 1 when answered (422). */
static int members_of(struct web_req *r, json_t *v, struct db_rg_member *m,
		      int *n)
{
	size_t i;
	json_t *x;

	*n = 0;
	if (!json_is_array(v))
		return web_error(r, 422, "members",
				 "members: a list of extensions"),
		       1;
	if (json_array_size(v) > DB_RG_MAX_MEMBERS)
		return web_error(r, 422, "members", "members: at most %d",
				 DB_RG_MAX_MEMBERS),
		       1;
	json_array_foreach(v, i, x)
	{
		json_t *ext =
		    json_is_object(x) ? json_object_get(x, "extension") : x;
		json_t *ring =
		    json_is_object(x) ? json_object_get(x, "ring_time") : NULL;
		struct db_rg_member *y = &m[(*n)++];

		memset(y, 0, sizeof(*y));
		if (!json_is_string(ext) ||
		    json_string_length(ext) >= sizeof(y->ext))
			return web_error(r, 422, "members",
					 "members: each an extension number "
					 "(\"1002\" or {\"extension\": "
					 "\"1002\", \"ring_time\": 30})"),
			       1;
		snprintf(y->ext, sizeof(y->ext), "%s", json_string_value(ext));
		if (ring && !json_is_null(ring) &&
		    (!json_is_integer(ring) ||
		     (json_integer_value(ring) != 0 &&
		      (json_integer_value(ring) < DB_RG_RING_MIN ||
		       json_integer_value(ring) > DB_RG_RING_MAX))))
			return web_error(r, 422, "members",
					 "members: %s rings %d to %d seconds "
					 "(or 0: the group's time)",
					 y->ext, DB_RG_RING_MIN,
					 DB_RG_RING_MAX),
			       1;
		y->ring_time = ring && json_is_integer(ring)
				   ? (int)json_integer_value(ring)
				   : 0;
	}
	return 0;
}

/* The body's fields onto g and *m (members given: *have_m), then the
 * whole group checked as ondoctl checks it; the number only when adding.
 * 0, or 1 when answered. */
static int fill(struct web_req *r, json_t *b, struct db_rg *g, bool adding,
		struct db_rg_member *m, int *nm, bool *have_m)
{
	char why[256];
	const char *k;
	json_t *v;
	int bad = 0, err;

	*have_m = false;
	json_object_foreach(b, k, v)
	{
		if (!strcmp(k, "number")) {
			if (adding)
				bad =
				    text(r, k, v, g->number, sizeof(g->number),
					 "number: 1 to 31 digits");
			else if (!json_is_string(v) ||
				 strcmp(json_string_value(v), g->number))
				bad = (web_error(r, 422, k,
						 "a group's number is never "
						 "changed: add a new group"),
				       1);
		} else if (!strcmp(k, "name")) {
			bad = text(r, k, v, g->name, sizeof(g->name),
				   "name: at most 127 characters, no quotes "
				   "or backslashes");
		} else if (!strcmp(k, "strategy")) {
			g->strategy =
			    json_is_string(v)
				? db_rg_strategy_parse(json_string_value(v))
				: -1;
			if (g->strategy < 0)
				bad = (web_error(r, 422, k,
						 "strategy: simultaneous or "
						 "sequential"),
				       1);
		} else if (!strcmp(k, "ring_time")) {
			bad = seconds(r, k, v, DB_RG_RING_MIN, DB_RG_RING_MAX,
				      &g->ring_time);
		} else if (!strcmp(k, "timeout")) {
			bad = seconds(r, k, v, DB_RG_TIMEOUT_MIN,
				      DB_RG_TIMEOUT_MAX, &g->timeout);
		} else if (!strcmp(k, "fallback_type")) {
			bad = text(r, k, v, g->fallback_type,
				   sizeof(g->fallback_type),
				   "fallback_type: \"\" (none), voicemail, "
				   "extension, number, ivr, conference or "
				   "ringgroup");
		} else if (!strcmp(k, "fallback")) {
			bad = text(r, k, v, g->fallback, sizeof(g->fallback),
				   "fallback: what the fallback_type names");
		} else if (!strcmp(k, "members")) {
			bad = members_of(r, v, m, nm);
			*have_m = true;
		} else {
			bad = (web_error(r, 422, k, "unknown field %s", k), 1);
		}
		if (bad)
			return 1;
	}
	if (adding && !json_object_get(b, "number"))
		return web_error(r, 422, "number", "number is required"), 1;
	/* No fallback kind: no argument either (a form sends both). */
	if (!g->fallback_type[0])
		g->fallback[0] = '\0';
	err = db_rg_check(r->db, g, why, sizeof(why));
	if (err == -EIO)
		return web_errno(r, err, "ring group"), 1;
	if (err) {
		char field[32];
		snprintf(field, sizeof(field), "%.*s", (int)strcspn(why, ":"),
			 why);
		return web_error(r, 422, field, "%s", why), 1;
	}
	return 0;
}

/* Stores the member list; 0, or 1 when answered (422 naming
 * "members"). */
static int store_members(struct web_req *r, const char *number,
			 const struct db_rg_member *m, int n)
{
	char why[256];
	int err = db_rg_set_members(r->db, r->tenant.id, number, m, n, why,
				    sizeof(why));

	if (err == -EINVAL || err == -ENOENT)
		return web_error(r, 422, "members", "%s", why), 1;
	if (err)
		return web_errno(r, err, "ring group"), 1;
	return 0;
}

int api_rg_add(struct web_req *r)
{
	struct db_rg_member m[DB_RG_MAX_MEMBERS];
	json_t *b = web_body_object(r);
	bool have_m;
	struct db_rg g;
	int n = 0, err;

	if (!b)
		return 0;
	db_rg_defaults(&g);
	g.tenant_id = r->tenant.id;
	if (fill(r, b, &g, true, m, &n, &have_m))
		goto out;
	snprintf(r->audit_object, sizeof(r->audit_object), "ring group %s",
		 g.number);
	err = db_rg_add(r->db, &g, NULL);
	if (err == -EEXIST && db_park_takes(r->db, r->tenant.id, g.number))
		web_error(r, 409, "number",
			  "%s is the park number or a park slot", g.number);
	else if (err == -EEXIST)
		web_error(r, 409, "number",
			  "%s is taken: an extension, a room or a ring group "
			  "of this tenant has that number",
			  g.number);
	else if (err)
		web_errno(r, err, "ring group");
	else if (have_m && n && store_members(r, g.number, m, n))
		db_rg_del(r->db, r->tenant.id, g.number); /* not half made */
	else
		web_json(r, 201, group_json(r, &g));
out:
	json_decref(b);
	return 0;
}

/* The group of the path; 0, or 1 when answered (404). */
static int get_group(struct web_req *r, struct db_rg *g)
{
	int err = db_rg_get(r->db, r->tenant.id, r->params[1], g);

	if (err == -EINVAL || err == -ENOENT)
		return web_error(r, 404, NULL, "no such ring group"), 1;
	if (err)
		return web_errno(r, err, "ring group"), 1;
	return 0;
}

int api_rg_get(struct web_req *r)
{
	struct db_rg g;

	if (get_group(r, &g))
		return 0;
	return web_json(r, 200, group_json(r, &g));
}

/* PATCH .../ringgroups/{number}: any field but the number; "members"
 * replaces the whole list. Everything is checked before anything is
 * written: the members (in their own transaction), then the fields. */
int api_rg_patch(struct web_req *r)
{
	struct db_rg_member m[DB_RG_MAX_MEMBERS];
	bool have_m;
	struct db_rg g;
	json_t *b;
	int n = 0, err;

	if (get_group(r, &g))
		return 0;
	if (!(b = web_body_object(r)))
		return 0;
	snprintf(r->audit_object, sizeof(r->audit_object), "ring group %s",
		 g.number);
	if (!fill(r, b, &g, false, m, &n, &have_m) &&
	    !(have_m && store_members(r, g.number, m, n))) {
		err = db_rg_update(r->db, &g);
		if (err)
			web_errno(r, err, "ring group");
		else
			web_json(r, 200, group_json(r, &g));
	}
	json_decref(b);
	return 0;
}

int api_rg_del(struct web_req *r)
{
	int err = db_valid_number(r->params[1])
		      ? db_rg_del(r->db, r->tenant.id, r->params[1])
		      : -ENOENT;

	snprintf(r->audit_object, sizeof(r->audit_object), "ring group %s",
		 r->params[1]);
	return err ? web_errno(r, err, "ring group") : web_no_content(r);
}
