/* api_fwd.c - an extension's forwards and do-not-disturb as fields of
 * the extension resource (api_ext.c): "dnd" and "forward" in what GET
 * gives and what PATCH takes, for admins and for the extension's own
 * user. Targets are checked by fwd_target_check, as ondoctl and the
 * feature codes check them (docs/forwarding.md). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "web/web_priv.h"
#include "db_fwd.h"
#include "dialplan/fwd.h"

static json_t *target_json(const struct db_fwd_target *t, enum db_fwd_kind k)
{
	json_t *j;

	if (t->type == DB_FWD_NONE)
		return json_null();
	j = json_pack("{s:s, s:s}", "type", db_fwd_type_name(t->type), "dest",
		      t->dest);
	if (k == DB_FWD_NOANSWER)
		json_object_set_new(j, "after", json_integer(t->after_s));
	return j;
}

int api_fwd_json(struct web_req *r, const char *number, json_t *ext)
{
	json_t *fwd = json_object();
	struct db_fwd f;
	int err = db_fwd_get(r->db, r->tenant.id, number, &f);

	if (err) {
		json_decref(fwd);
		return err;
	}
	for (int k = 0; k < DB_FWD_NKINDS; k++)
		json_object_set_new(fwd, db_fwd_kind_name((enum db_fwd_kind)k),
				    target_json(&f.t[k], (enum db_fwd_kind)k));
	json_object_set_new(ext, "dnd", json_boolean(f.dnd));
	json_object_set_new(ext, "forward", fwd);
	return 0;
}

/* One kind's value in a PATCH: null (off) or {"type", "dest", "after"?};
 * 0 with *t filled, or 1 when answered (422). */
static int parse_one(struct web_req *r, const char *number, const char *kind,
		     json_t *v, struct db_fwd_target *t)
{
	json_t *type, *dest, *after;
	char field[48];
	const char *k;
	json_t *x;
	int ty;

	memset(t, 0, sizeof(*t));
	if (json_is_null(v))
		return 0;
	snprintf(field, sizeof(field), "forward.%s", kind);
	if (!json_is_object(v))
		return web_error(r, 422, field,
				 "%s: null, or {\"type\", \"dest\"}", field),
		       1;
	json_object_foreach(v, k, x) if (strcmp(k, "type") &&
					 strcmp(k, "dest") &&
					 strcmp(k, "after"))
	{
		snprintf(field, sizeof(field), "forward.%s.%s", kind, k);
		return web_error(r, 422, field, "unknown field %s", field), 1;
	}
	type = json_object_get(v, "type");
	dest = json_object_get(v, "dest");
	after = json_object_get(v, "after");
	ty = json_is_string(type) ? db_fwd_type_parse(json_string_value(type))
				  : -EINVAL;
	if (ty < 0) {
		snprintf(field, sizeof(field), "forward.%s.type", kind);
		return web_error(r, 422, field,
				 "type: extension, number or voicemail"),
		       1;
	}
	t->type = (enum db_fwd_type)ty;
	/* A mailbox without a dest is the extension's own. */
	if (!dest && t->type == DB_FWD_VOICEMAIL)
		snprintf(t->dest, sizeof(t->dest), "%s", number);
	else if (json_is_string(dest) &&
		 strlen(json_string_value(dest)) < sizeof(t->dest))
		snprintf(t->dest, sizeof(t->dest), "%s",
			 json_string_value(dest));
	else {
		snprintf(field, sizeof(field), "forward.%s.dest", kind);
		return web_error(r, 422, field,
				 "dest: the extension, number or mailbox"),
		       1;
	}
	if (after &&
	    (!json_is_integer(after) || json_integer_value(after) < 0 ||
	     json_integer_value(after) > DB_RING_TIMEOUT_MAX)) {
		snprintf(field, sizeof(field), "forward.%s.after", kind);
		return web_error(r, 422, field,
				 "after: %d to %d seconds, or 0 for the ring "
				 "timeout",
				 DB_RING_TIMEOUT_MIN, DB_RING_TIMEOUT_MAX),
		       1;
	}
	t->after_s = after ? (int)json_integer_value(after) : 0;
	return 0;
}

int api_fwd_check(struct web_req *r, const char *number, json_t *b,
		  struct api_fwd_patch *p)
{
	json_t *dnd = json_object_get(b, "dnd"),
	       *fwd = json_object_get(b, "forward");
	char why[200], field[48];
	const char *kind;
	json_t *v;
	int k, err;

	memset(p, 0, sizeof(*p));
	if (dnd && !json_is_boolean(dnd))
		return web_error(r, 422, "dnd", "dnd: true or false"), 1;
	p->set_dnd = dnd != NULL;
	p->dnd = json_is_true(dnd);
	if (!fwd)
		return 0;
	if (!json_is_object(fwd))
		return web_error(r, 422, "forward",
				 "forward: an object of always, busy, "
				 "noanswer, unregistered"),
		       1;
	json_object_foreach(fwd, kind, v)
	{
		k = db_fwd_kind_parse(kind);
		if (k < 0) {
			snprintf(field, sizeof(field), "forward.%.30s", kind);
			return web_error(r, 422, field,
					 "forward: always, busy, noanswer or "
					 "unregistered, not %.30s",
					 kind),
			       1;
		}
		if (parse_one(r, number, kind, v, &p->t[k]))
			return 1;
		p->set[k] = 1;
		if (p->t[k].type == DB_FWD_NONE)
			continue;
		err = fwd_target_check(r->db, &r->tenant, number,
				       (enum db_fwd_kind)k, &p->t[k], why,
				       sizeof(why));
		if (err == -EINVAL) {
			snprintf(field, sizeof(field), "forward.%s.%s", kind,
				 strncmp(why, "after", 5) ? "dest" : "after");
			return web_error(r, 422, field, "%s", why), 1;
		}
		if (err)
			return web_errno(r, err, "forward"), 1;
	}
	return 0;
}

int api_fwd_apply(struct web_req *r, const char *number,
		  const struct api_fwd_patch *p)
{
	int err = 0;

	if (p->set_dnd)
		err = db_ext_set_dnd(r->db, r->tenant.id, number, p->dnd);
	for (int k = 0; !err && k < DB_FWD_NKINDS; k++)
		if (p->set[k])
			err = db_fwd_set(r->db, r->tenant.id, number,
					 (enum db_fwd_kind)k, &p->t[k]);
	return err;
}
