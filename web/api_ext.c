/* api_ext.c - /api/v1/tenants/{domain}/extensions: an admin lists (with
 * search and pages), adds, changes and deletes extensions; an extension
 * user reads its own and changes its SIP password, its forwarding and its
 * do-not-disturb (api_fwd.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_limits.h"
#include "db_record.h"
#include "db_trunk.h"
#include "db_park.h"
#include "web/web_priv.h"
#include "vm/vm_store.h"
#include "db_room.h"
#include "db_ringgroup.h"

#define PAGE_MAX 500

static json_t *ext_json(const struct db_ext *e)
{
	return json_pack("{s:s, s:s, s:i}", "number", e->number, "name",
			 e->name, "ring_timeout", e->ring_timeout);
}

static int ext_h(const struct db_ext *e, void *arg)
{
	json_array_append_new(arg, ext_json(e));
	return 0;
}

static long num_arg(struct web_req *r, const char *key, long def, long max)
{
	const char *s = web_query(r, key);
	char *end;
	long v;

	if (!s)
		return def;
	v = strtol(s, &end, 10);
	return *s && !*end && v >= 0 && v <= max ? v : -1;
}

int api_ext_list(struct web_req *r)
{
	long offset = num_arg(r, "offset", 0, 10000000),
	     limit = num_arg(r, "limit", 100, PAGE_MAX), total = 0;
	json_t *rows;
	int err;

	if (offset < 0 || limit < 1)
		return web_error(r, 422, offset < 0 ? "offset" : "limit",
				 "offset: 0 or more; limit: 1 to %d",
				 PAGE_MAX);
	rows = json_array();
	err = db_ext_search(r->db, r->tenant.id, web_query(r, "q"), offset,
			    (int)limit, &total, ext_h, rows);
	if (err) {
		json_decref(rows);
		return err == -EINVAL ? web_error(r, 422, "q", "q is too long")
				      : web_errno(r, err, "extension");
	}
	return web_json(r, 200, json_pack("{s:o, s:I}", "extensions", rows,
					  "total", (json_int_t)total));
}

/* The optional fields of a new or changed extension, checked before
 * anything is written. 0, or 1 when answered (422). */
static int check_fields(struct web_req *r, json_t *b, bool user)
{
	json_t *name = json_object_get(b, "name"),
	       *pw = json_object_get(b, "password"),
	       *rt = json_object_get(b, "ring_timeout"),
	       *pg = json_object_get(b, "pickup_group"),
	       *mc = json_object_get(b, "max_calls"),
	       *cos = json_object_get(b, "cos"),
	       *did = json_object_get(b, "did"),
	       *rec = json_object_get(b, "record");
	const char *k;
	json_t *v;

	json_object_foreach(b, k, v) if (strcmp(k, "name") &&
					 strcmp(k, "password") &&
					 strcmp(k, "ring_timeout") &&
					 strcmp(k, "number") &&
					 strcmp(k, "dnd") &&
					 strcmp(k, "forward") &&
					 strcmp(k, "pickup_group") &&
					 strcmp(k, "max_calls") &&
					 strcmp(k, "cos") && strcmp(k, "did") &&
					 strcmp(k, "record"))
		return web_error(r, 422, k, "unknown field %s", k), 1;
	if (user && (name || rt || pg || mc || cos || did || rec))
		return web_error(r, 403,
				 name ? "name"
				 : rt ? "ring_timeout"
				 : pg ? "pickup_group"
				 : mc ? "max_calls"
				 : cos ? "cos"
				 : did ? "did"
				       : "record",
				 "an extension user may change only its "
				 "password, forwarding and do-not-disturb"),
		       1;
	if (name && (!json_is_string(name) ||
		     !db_valid_name(json_string_value(name))))
		return web_error(r, 422, "name",
				 "name: up to 127 characters, no control "
				 "characters, quotes or backslashes"),
		       1;
	if (pw && (!json_is_string(pw) ||
		   !db_valid_password(json_string_value(pw))))
		return web_error(r, 422, "password",
				 "password: 8 to 127 printable characters"),
		       1;
	if (pg && (!json_is_string(pg) ||
		   (json_string_length(pg) &&
		    !db_valid_ivr_name(json_string_value(pg)))))
		return web_error(r, 422, "pickup_group",
				 "pickup_group: 1 to 32 characters: a-z, 0-9, "
				 "_ and -; \"\" for none"),
		       1;
	if (cos && (!json_is_string(cos) ||
		    db_cos_parse(json_string_value(cos)) < 0))
		return web_error(r, 422, "cos",
				 "cos: internal, local, national or "
				 "international"),
		       1;
	if (did && (!json_is_string(did) ||
		    (json_string_length(did) &&
		     !db_valid_e164(json_string_value(did)))))
		return web_error(r, 422, "did",
				 "did: E.164 (+ and 2 to 15 digits, the first "
				 "not 0), or \"\" for none"),
		       1;
	if (rec && (!json_is_string(rec) ||
		    db_record_parse(json_string_value(rec)) < 0))
		return web_error(r, 422, "record",
				 "record: never, on-demand or always"),
		       1;
	if (mc && (!json_is_integer(mc) || json_integer_value(mc) < 0 ||
		   json_integer_value(mc) > DB_LIMIT_CALLS_MAX))
		return web_error(r, 422, "max_calls",
				 "max_calls: 0 (no limit) to %d calls at once",
				 DB_LIMIT_CALLS_MAX),
		       1;
	if (rt && (!json_is_integer(rt) ||
		   json_integer_value(rt) < DB_RING_TIMEOUT_MIN ||
		   json_integer_value(rt) > DB_RING_TIMEOUT_MAX))
		return web_error(r, 422, "ring_timeout",
				 "ring_timeout: %d to %d seconds",
				 DB_RING_TIMEOUT_MIN, DB_RING_TIMEOUT_MAX),
		       1;
	return 0;
}

/* The settings of body b (checked by check_fields) written to extension
 * ext, each its own write: POST (after the add) and PATCH. */
static int apply_settings(struct web_req *r, const char *ext, json_t *b)
{
	int64_t t = r->tenant.id;
	json_t *v;
	int err = 0;

	if ((v = json_object_get(b, "ring_timeout")))
		err = db_ext_set_ring_timeout(r->db, t, ext,
					      (int)json_integer_value(v));
	if (!err && (v = json_object_get(b, "pickup_group")))
		err = db_ext_set_pickup_group(r->db, t, ext,
					      json_string_value(v));
	if (!err && (v = json_object_get(b, "max_calls")))
		err = db_ext_set_max_calls(r->db, t, ext,
					   (int)json_integer_value(v));
	if (!err && (v = json_object_get(b, "cos")))
		err = db_ext_set_cos(r->db, t, ext, json_string_value(v));
	if (!err && (v = json_object_get(b, "did")))
		err = db_ext_set_did(r->db, t, ext, json_string_value(v));
	if (!err && (v = json_object_get(b, "record")))
		err = db_ext_set_record(r->db, t, ext, json_string_value(v));
	return err;
}

int api_ext_add(struct web_req *r)
{
	const char *number;
	json_t *b = web_body_object(r);
	struct db_ext e;
	int err;

	if (!b)
		return 0;
	if (!(number = web_want_string(r, b, "number")) ||
	    check_fields(r, b, false))
		goto out;
	if (json_object_get(b, "dnd") || json_object_get(b, "forward")) {
		web_error(r, 422,
			  json_object_get(b, "dnd") ? "dnd" : "forward",
			  "forwarding and do-not-disturb are set with PATCH "
			  "once the extension exists");
		goto out;
	}
	if (!db_valid_number(number)) {
		web_error(r, 422, "number", "number: 1 to 31 digits");
		goto out;
	}
	if (!json_is_string(json_object_get(b, "password"))) {
		web_error(r, 422, "password", "password is required");
		goto out;
	}
	err = db_ext_add(r->db, r->tenant.id, number,
			 json_string_value(json_object_get(b, "name")),
			 json_string_value(json_object_get(b, "password")),
			 NULL);
	if (!err)
		err = apply_settings(r, number, b);
	if (err == -EEXIST) {
		struct db_room room;
		struct db_rg g;
		if (db_room_get(r->db, r->tenant.id, number, &room) == 0)
			web_error(r, 409, "number",
				  "%s is a conference room's number", number);
		else if (db_rg_get(r->db, r->tenant.id, number, &g) == 0)
			web_error(r, 409, "number",
				  "%s is a ring group's number", number);
		else if (db_park_takes(r->db, r->tenant.id, number))
			web_error(r, 409, "number",
				  "%s is the park number or a park slot",
				  number);
		else
			web_error(r, 409, "number",
				  "extension %s exists already", number);
		goto out;
	}
	if (err == -EDQUOT) {
		web_error(r, 409, "number",
			  "the tenant has its maximum of extensions");
		goto out;
	}
	if (err || (err = db_ext_get(r->db, r->tenant.id, number, &e))) {
		web_errno(r, err, "extension");
		goto out;
	}
	snprintf(r->audit_object, sizeof(r->audit_object), "extension %s",
		 number);
	web_json(r, 201, ext_json(&e));
out:
	json_decref(b);
	return 0;
}

int api_ext_get(struct web_req *r)
{
	struct db_ext e;
	struct vm_box box;
	json_t *j;
	int err = db_ext_get(r->db, r->tenant.id, r->params[1], &e);

	if (err)
		return web_errno(r, err, "extension");
	j = ext_json(&e);
	err = api_fwd_json(r, e.number, j);
	if (err) {
		json_decref(j);
		return web_errno(r, err, "extension");
	}
	{
		char pg[DB_PICKUP_GROUP_LEN];
		if (db_ext_pickup_group(r->db, r->tenant.id, e.number, pg))
			pg[0] = '\0';
		json_object_set_new(j, "pickup_group", json_string(pg));
	}
	{
		int mc = db_ext_max_calls(r->db, r->tenant.id, e.number);
		char cos[DB_WORD_LEN], did[DB_NUMBER_LEN];

		json_object_set_new(j, "max_calls",
				    json_integer(mc > 0 ? mc : 0));
		if (db_ext_out(r->db, r->tenant.id, e.number, cos, did) == 0) {
			json_object_set_new(j, "cos", json_string(cos));
			json_object_set_new(j, "did", json_string(did));
		}
		json_object_set_new(
		    j, "record",
		    json_string(db_record_name(
			db_ext_record(r->db, r->tenant.id, e.number))));
	}
	if (vm_box_get(r->db, r->tenant.id, e.number, &box) == 0)
		json_object_set_new(
		    j, "voicemail",
		    json_pack("{s:b, s:b, s:i, s:i, s:s, s:b, s:i, s:i, s:b}",
			      "enabled", box.enabled, "pin_set", box.has_pin,
			      "new", box.counts.new_msgs, "saved",
			      box.counts.saved_msgs, "email", box.email,
			      "attach", box.email_attach, "max_messages",
			      box.max_messages, "max_minutes", box.max_minutes,
			      "full", box.full));
	return web_json(r, 200, j);
}

int api_ext_patch(struct web_req *r)
{
	const char *ext = r->params[1];
	json_t *b = web_body_object(r), *v;
	struct api_fwd_patch fwd;
	struct db_ext e;
	int err = 0;

	if (!b)
		return 0;
	if (check_fields(r, b, r->who.role == DB_WEB_USER))
		goto out;
	if (json_object_get(b, "number")) {
		web_error(r, 422, "number", "the number cannot be changed");
		goto out;
	}
	if ((err = db_ext_get(r->db, r->tenant.id, ext, &e))) {
		web_errno(r, err, "extension");
		goto out;
	}
	if (api_fwd_check(r, e.number, b, &fwd))
		goto out;
	/* Each setting is its own write; all were checked above. */
	err = api_fwd_apply(r, e.number, &fwd);
	if (!err && (v = json_object_get(b, "password")))
		err = db_ext_passwd(r->db, r->tenant.id, ext,
				    json_string_value(v));
	if (!err && (v = json_object_get(b, "name")))
		err = db_ext_set_name(r->db, r->tenant.id, ext,
				      json_string_value(v));
	if (!err)
		err = apply_settings(r, ext, b);
	snprintf(r->audit_object, sizeof(r->audit_object), "extension %s",
		 ext);
	if (err)
		web_errno(r, err, "extension");
	else
		api_ext_get(r);
out:
	json_decref(b);
	return 0;
}

int api_ext_del(struct web_req *r)
{
	int err = db_ext_del(r->db, r->tenant.id, r->params[1]);

	snprintf(r->audit_object, sizeof(r->audit_object), "extension %s",
		 r->params[1]);
	return err ? web_errno(r, err, "extension") : web_no_content(r);
}
