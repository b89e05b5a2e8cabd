/* api_user.c - a tenant's web users: its admins and its extension users.
 * A tenant admin manages its own tenant's; superadmins are made with
 * ondoctl only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_priv.h"

static json_t *user_json(const struct db_web_user *u)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)u->id,
			 "username", u->username, "role",
			 db_web_role_name(u->role), "extension", u->ext);
}

static int user_h(const struct db_web_user *u, void *arg)
{
	json_array_append_new(arg, user_json(u));
	return 0;
}

int api_user_list(struct web_req *r)
{
	json_t *rows = json_array();
	int err = db_web_user_list(r->db, r->tenant.id, user_h, rows);

	if (err) {
		json_decref(rows);
		return web_errno(r, err, "user");
	}
	return web_json(r, 200, json_pack("{s:o}", "users", rows));
}

/* The fields of a new user into *u; 0, or 1 when answered (422). */
static int new_user(struct web_req *r, json_t *b, struct db_web_user *u,
		    const char **pw)
{
	const char *name = web_want_string(r, b, "username"),
		   *role = name ? web_want_string(r, b, "role") : NULL;
	json_t *ext = json_object_get(b, "extension");
	struct db_ext e;

	if (!role || !(*pw = web_want_string(r, b, "password")))
		return 1;
	if (!db_web_valid_username(name))
		return web_error(r, 422, "username",
				 "username: 1 to 63 of a-z A-Z 0-9 . _ @ -"),
		       1;
	if (strcmp(role, "admin") && strcmp(role, "user"))
		return web_error(r, 422, "role", "role: admin or user"), 1;
	if (!web_pass_valid(*pw))
		return web_error(r, 422, "password",
				 "password: 8 to 128 characters"),
		       1;
	snprintf(u->username, sizeof(u->username), "%s", name);
	u->role = db_web_role_parse(role);
	u->tenant_id = r->tenant.id;
	if (u->role != DB_WEB_USER)
		return ext ? web_error(r, 422, "extension",
				       "only a user has an extension"),
		       1 : 0;
	if (!json_is_string(ext) ||
	    db_ext_get(r->db, r->tenant.id, json_string_value(ext), &e))
		return web_error(r, 422, "extension",
				 "extension: a number of this tenant"),
		       1;
	u->ext_id = e.id;
	return 0;
}

int api_user_add(struct web_req *r)
{
	struct db_web_user u = {0};
	const char *pw = NULL;
	int64_t id;
	int err;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	if (new_user(r, b, &u, &pw))
		goto out;
	if ((err = web_pass_hash(pw, u.pass_hash))) {
		web_errno(r, err, "user");
		goto out;
	}
	err = db_web_user_add(r->db, &u, &id);
	if (err == -EEXIST) {
		web_error(r, 409, "username", "that username is taken");
		goto out;
	}
	if (err || (err = db_web_user_by_id(r->db, id, &u))) {
		web_errno(r, err, "user");
		goto out;
	}
	snprintf(r->audit_object, sizeof(r->audit_object), "user %s (%s)",
		 u.username, db_web_role_name(u.role));
	web_json(r, 201, user_json(&u));
out:
	json_decref(b);
	return 0;
}

int api_user_del(struct web_req *r)
{
	char *end;
	long long id = strtoll(r->params[1], &end, 10);
	int err;

	if (!*r->params[1] || *end || id <= 0)
		return web_error(r, 404, NULL, "no such user");
	if (id == r->who.id)
		return web_error(r, 409, NULL, "you cannot delete yourself");
	err = db_web_user_del(r->db, r->tenant.id, id);
	snprintf(r->audit_object, sizeof(r->audit_object), "user %lld", id);
	return err ? web_errno(r, err, "user") : web_no_content(r);
}
