/* api_ivr.c - /api/v1/tenants/{domain}/ivr: IVR menus and their digit
 * tables. Every field is checked by the same db_ivr_*_check functions as
 * ondoctl's, so a menu made in the panel works as one made by hand. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_priv.h"

static json_t *menu_json(const struct db_ivr_menu *m)
{
	return json_pack("{s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:b}",
			 "name", m->name, "greeting", m->greeting,
			 "timeout_ms", m->timeout_ms, "max_retries",
			 m->max_retries, "invalid_prompt", m->invalid_prompt,
			 "timeout_prompt", m->timeout_prompt,
			 "fallback_action", m->fallback_action, "fallback_arg",
			 m->fallback_arg, "direct_dial", m->direct_dial);
}

static int menu_h(const struct db_ivr_menu *m, void *arg)
{
	json_array_append_new(arg, menu_json(m));
	return 0;
}

int api_ivr_list(struct web_req *r)
{
	json_t *rows = json_array();
	int err = db_ivr_menu_list(r->db, r->tenant.id, menu_h, rows);

	if (err) {
		json_decref(rows);
		return web_errno(r, err, "menu");
	}
	return web_json(r, 200, json_pack("{s:o}", "menus", rows));
}

static int str_field(struct web_req *r, json_t *b, const char *key, char *out,
		     size_t len)
{
	json_t *v = json_object_get(b, key);

	if (!v)
		return 0;
	if (!json_is_string(v) || strlen(json_string_value(v)) >= len)
		return web_error(r, 422, key,
				 "%s: a string of at most %zu characters", key,
				 len - 1),
		       1;
	snprintf(out, len, "%s", json_string_value(v));
	return 0;
}

static int int_field(struct web_req *r, json_t *b, const char *key, int *out)
{
	json_t *v = json_object_get(b, key);

	if (!v)
		return 0;
	if (!json_is_integer(v) && !json_is_boolean(v))
		return web_error(r, 422, key, "%s must be a number", key), 1;
	*out = json_is_boolean(v) ? json_is_true(v)
				  : (int)json_integer_value(v);
	return 0;
}

/* Which field a db_ivr_menu_check sentence is about. */
static const char *menu_field(const char *why)
{
	static const char *const keys[] = {"greeting", "timeout", "retries",
					   "fallback", "invalid", "name"};
	static const char *const fields[] = {
	    "greeting", "timeout_ms", "max_retries", "fallback_action",
	    "invalid_prompt", "name"};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strstr(why, keys[i]))
			return fields[i];
	return NULL;
}

/* Applies the body's fields onto m and checks the whole menu. 0, or 1
 * when answered. */
static int apply(struct web_req *r, json_t *b, struct db_ivr_menu *m)
{
	char why[256];
	int err;

	if (str_field(r, b, "greeting", m->greeting, sizeof(m->greeting)) ||
	    str_field(r, b, "invalid_prompt", m->invalid_prompt,
		      sizeof(m->invalid_prompt)) ||
	    str_field(r, b, "timeout_prompt", m->timeout_prompt,
		      sizeof(m->timeout_prompt)) ||
	    str_field(r, b, "fallback_action", m->fallback_action,
		      sizeof(m->fallback_action)) ||
	    str_field(r, b, "fallback_arg", m->fallback_arg,
		      sizeof(m->fallback_arg)) ||
	    int_field(r, b, "timeout_ms", &m->timeout_ms) ||
	    int_field(r, b, "max_retries", &m->max_retries) ||
	    int_field(r, b, "direct_dial", &m->direct_dial))
		return 1;
	m->direct_dial = !!m->direct_dial;
	err = db_ivr_menu_check(r->db, m, why, sizeof(why));
	if (err == -EINVAL)
		return web_error(r, 422, menu_field(why), "%s", why), 1;
	if (err)
		return web_errno(r, err, "menu"), 1;
	return 0;
}

int api_ivr_add(struct web_req *r)
{
	struct db_ivr_menu m;
	json_t *b = web_body_object(r);
	int err;

	if (!b)
		return 0;
	db_ivr_menu_defaults(&m);
	m.tenant_id = r->tenant.id;
	if (str_field(r, b, "name", m.name, sizeof(m.name)))
		goto out;
	if (!db_valid_ivr_name(m.name)) {
		web_error(r, 422, "name",
			  "name: 1 to 32 characters: a-z, 0-9, _ and -");
		goto out;
	}
	if (apply(r, b, &m))
		goto out;
	err = db_ivr_menu_add(r->db, &m, NULL);
	if (err == -EEXIST) {
		web_error(r, 409, "name", "a menu named %s exists", m.name);
		goto out;
	}
	snprintf(r->audit_object, sizeof(r->audit_object), "ivr %s", m.name);
	if (err)
		web_errno(r, err, "menu");
	else
		web_json(r, 201, menu_json(&m));
out:
	json_decref(b);
	return 0;
}

static int opt_h(const struct db_ivr_option *o, void *arg)
{
	char d[2] = {o->digit, 0};

	json_array_append_new(arg, json_pack("{s:s, s:s, s:s}", "digit", d,
					     "action", o->action, "arg",
					     o->arg));
	return 0;
}

int api_ivr_get(struct web_req *r)
{
	struct db_ivr_menu m;
	json_t *j, *opts;
	int err = db_ivr_menu_get(r->db, r->tenant.id, r->params[1], &m);

	if (err)
		return web_errno(r, err, "menu");
	j = menu_json(&m);
	opts = json_array();
	err = db_ivr_options(r->db, m.id, opt_h, opts);
	json_object_set_new(j, "options", opts);
	if (err) {
		json_decref(j);
		return web_errno(r, err, "menu");
	}
	return web_json(r, 200, j);
}

int api_ivr_patch(struct web_req *r)
{
	struct db_ivr_menu m;
	json_t *b;
	int err = db_ivr_menu_get(r->db, r->tenant.id, r->params[1], &m);

	if (err)
		return web_errno(r, err, "menu");
	if (!(b = web_body_object(r)))
		return 0;
	if (json_object_get(b, "name")) {
		web_error(r, 422, "name", "a menu is never renamed");
	} else if (!apply(r, b, &m)) {
		err = db_ivr_menu_update(r->db, &m);
		snprintf(r->audit_object, sizeof(r->audit_object), "ivr %s",
			 m.name);
		if (err)
			web_errno(r, err, "menu");
		else
			api_ivr_get(r);
	}
	json_decref(b);
	return 0;
}

int api_ivr_del(struct web_req *r)
{
	struct db_ivr_ref ref;
	int err = db_ivr_menu_del(r->db, r->tenant.id, r->params[1]);

	snprintf(r->audit_object, sizeof(r->audit_object), "ivr %s",
		 r->params[1]);
	if (err != -EBUSY)
		return err ? web_errno(r, err, "menu") : web_no_content(r);
	if (db_ivr_menu_ref(r->db, r->tenant.id, r->params[1], &ref))
		return web_error(r, 409, NULL, "the menu is in use");
	if (ref.route_id)
		return web_error(r, 409, NULL, "route %lld uses this menu",
				 (long long)ref.route_id);
	return web_error(r, 409, NULL, "menu %s points at this menu", ref.menu);
}

/* {digit}: one of 0-9 * # (the URL has %2A and %23 for the last two). */
static int digit_of(struct web_req *r, char *d)
{
	const char *p = r->params[2];

	if (strlen(p) != 1 || !strchr("0123456789*#", *p))
		return web_error(r, 404, NULL, "no such key (0-9, * or #)"), 1;
	*d = *p;
	return 0;
}

int api_ivr_opt_put(struct web_req *r)
{
	struct db_ivr_menu m;
	struct db_ivr_option o = {0};
	char why[256];
	json_t *b;
	int err;

	if (digit_of(r, &o.digit))
		return 0;
	if ((err = db_ivr_menu_get(r->db, r->tenant.id, r->params[1], &m)))
		return web_errno(r, err, "menu");
	if (!(b = web_body_object(r)))
		return 0;
	if (str_field(r, b, "action", o.action, sizeof(o.action)) ||
	    str_field(r, b, "arg", o.arg, sizeof(o.arg)))
		goto out;
	err = db_ivr_action_check(r->db, r->tenant.id, o.action, o.arg, why,
				  sizeof(why));
	if (err == -EINVAL) {
		web_error(r, 422, strstr(why, "action") ? "action" : "arg",
			  "%s", why);
		goto out;
	}
	if (!err)
		err = db_ivr_option_set(r->db, m.id, &o);
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "ivr %s key %c: %s %s", m.name, o.digit, o.action, o.arg);
	if (err)
		web_errno(r, err, "option");
	else
		api_ivr_get(r);
out:
	json_decref(b);
	return 0;
}

int api_ivr_opt_del(struct web_req *r)
{
	struct db_ivr_menu m;
	char d;
	int err;

	if (digit_of(r, &d))
		return 0;
	if ((err = db_ivr_menu_get(r->db, r->tenant.id, r->params[1], &m)))
		return web_errno(r, err, "menu");
	err = db_ivr_option_del(r->db, m.id, d);
	snprintf(r->audit_object, sizeof(r->audit_object), "ivr %s key %c",
		 m.name, d);
	return err ? web_errno(r, err, "option") : web_no_content(r);
}
