/* api_tenant.c - /api/v1/tenants: the superadmin's list of customer
 * companies (every other role sees its own tenant only), and a tenant's
 * settings: the table of db_tenant_cfg.h, shared with ondoctl. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_limits.h"
#include "db_vm.h"
#include "db_tenant_cfg.h"
#include "web/web_priv.h"
#include "core/fsutil.h"
#include "core/log.h"

static json_t *tenant_json(const struct db_tenant *t)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)t->id,
			 "name", t->name, "domain", t->domain, "codecs",
			 t->codecs);
}

/* r->tenant with every setting (db_tenant_cfg.h) as JSON, with `status`;
 * the answer of GET, PATCH and POST. */
static int tenant_settings(struct web_req *r, unsigned status)
{
	struct db_tenant_cfg c;
	json_t *j;
	int err = db_tenant_cfg_get(r->db, r->tenant.id, &c);

	if (err)
		return web_errno(r, err, "tenant");
	j = json_pack("{s:I, s:s}", "id", (json_int_t)r->tenant.id, "domain",
		      r->tenant.domain);
	for (int k = 0; k < DB_TK_COUNT; k++)
		json_object_set_new(j, db_tenant_setting(k)->key,
				    json_string(c.val[k]));
	{
		struct db_vm_tenant v;
		if (db_vm_tenant_get(r->db, r->tenant.id, &v) == 0)
			json_object_set_new(
			    j, "voicemail",
			    json_pack("{s:i, s:i, s:s}", "max_message_s",
				      v.max_message_s, "silence_s",
				      v.silence_s, "own_phone_pin",
				      v.own_phone_nopin ? "skip" : "ask"));
	}
	{
		struct db_limits l;
		if (db_limits_get(r->db, r->tenant.id, &l) == 0)
			json_object_set_new(
			    j, "limits",
			    json_pack("{s:i, s:i, s:i}", "max_calls",
				      l.max_calls, "max_extensions",
				      l.max_extensions, "max_call_secs",
				      l.max_call_secs));
	}
	return web_json(r, status, j);
}

/* "voicemail" of a PATCH into *v (the stored settings changed by what is
 * given), as `ondoctl vm settings` takes them. 0, or 1 when answered (422
 * naming "voicemail.FIELD"). */
static int vm_from(struct web_req *r, json_t *o, struct db_vm_tenant *v)
{
	const char *k;
	json_t *x;

	if (!json_is_object(o))
		return web_error(r, 422, "voicemail",
				 "voicemail: an object of settings"),
		       1;
	if (db_vm_tenant_get(r->db, r->tenant.id, v))
		return web_errno(r, -EIO, "tenant"), 1;
	json_object_foreach(o, k, x)
	{
		json_int_t n = json_integer_value(x);
		if (!strcmp(k, "max_message_s")) {
			if (!json_is_integer(x) || n < DB_VM_MESSAGE_S_MIN ||
			    n > DB_VM_MESSAGE_S_MAX)
				return web_error(r, 422,
						 "voicemail.max_message_s",
						 "voicemail.max_message_s: %d "
						 "to %d seconds",
						 DB_VM_MESSAGE_S_MIN,
						 DB_VM_MESSAGE_S_MAX),
				       1;
			v->max_message_s = (int)n;
		} else if (!strcmp(k, "silence_s")) {
			if (!json_is_integer(x) || n < 0 ||
			    n > DB_VM_SILENCE_S_MAX)
				return web_error(r, 422, "voicemail.silence_s",
						 "voicemail.silence_s: 0 (off) "
						 "to %d seconds",
						 DB_VM_SILENCE_S_MAX),
				       1;
			v->silence_s = (int)n;
		} else if (!strcmp(k, "own_phone_pin")) {
			const char *s = json_string_value(x);
			if (!s || (strcmp(s, "ask") && strcmp(s, "skip")))
				return web_error(r, 422,
						 "voicemail.own_phone_pin",
						 "voicemail.own_phone_pin: ask "
						 "or skip"),
				       1;
			v->own_phone_nopin = !strcmp(s, "skip");
		} else {
			return web_error(r, 422, "voicemail",
					 "unknown field voicemail.%s", k),
			       1;
		}
	}
	return 0;
}

/* "limits" of a PATCH into *l (the stored ones changed by what is given):
 * the hosting provider's to set, so a superadmin's only. 0, or 1 when
 * answered (403, 422 naming "limits.FIELD"). */
static int limits_from(struct web_req *r, json_t *v, struct db_limits *l)
{
	static const char *const keys[] = {"max_calls", "max_extensions",
					   "max_call_secs"};
	int *dst[] = {&l->max_calls, &l->max_extensions, &l->max_call_secs};
	char err[160], field[40];
	const char *k;
	json_t *x;
	size_t i;

	if (r->who.role != DB_WEB_SUPERADMIN)
		return web_error(r, 403, "limits",
				 "limits are set by a superadmin"),
		       1;
	if (!json_is_object(v))
		return web_error(r, 422, "limits",
				 "limits: an object of whole numbers"),
		       1;
	if (db_limits_get(r->db, r->tenant.id, l))
		return web_errno(r, -EIO, "tenant"), 1;
	json_object_foreach(v, k, x)
	{
		for (i = 0; i < 3 && strcmp(keys[i], k); i++)
			;
		snprintf(field, sizeof(field), "limits.%s", k);
		if (i == 3)
			return web_error(r, 422, field, "unknown field %s",
					 field),
			       1;
		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    json_integer_value(x) > 10000000)
			return web_error(r, 422, field, "%s: a whole number",
					 field),
			       1;
		*dst[i] = (int)json_integer_value(x);
	}
	if (db_limits_check(l, err, sizeof(err))) {
		snprintf(field, sizeof(field), "limits.%.*s",
			 (int)strcspn(err, ":"), err);
		return web_error(r, 422, field, "limits.%s", err), 1;
	}
	return 0;
}

struct list_ctx {
	json_t *rows;
	int64_t only; /* 0: all */
};

static int tenant_h(const struct db_tenant *t, void *arg)
{
	struct list_ctx *l = arg;

	if (!l->only || l->only == t->id)
		json_array_append_new(l->rows, tenant_json(t));
	return 0;
}

int api_tenant_list(struct web_req *r)
{
	struct list_ctx l = {.rows = json_array(),
			     .only = r->who.role == DB_WEB_SUPERADMIN
					 ? 0
					 : r->who.tenant_id};
	int err = db_tenant_list(r->db, tenant_h, &l);

	if (err) {
		json_decref(l.rows);
		return web_errno(r, err, "tenant");
	}
	return web_json(r, 200, json_pack("{s:o}", "tenants", l.rows));
}


int api_tenant_add(struct web_req *r)
{
	const char *name, *domain;
	struct db_tenant t;
	int64_t id;
	int err;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	if (!(name = web_want_string(r, b, "name")) ||
	    !(domain = web_want_string(r, b, "domain")))
		goto out;
	if (!db_tenant_setting(DB_TK_NAME)->valid(name)) {
		web_error(r, 422, "name", "name: %s",
			  db_tenant_setting(DB_TK_NAME)->rule);
		goto out;
	}
	if (!db_valid_domain(domain)) {
		web_error(r, 422, "domain", "domain: a DNS name such as "
					    "acme.example.com");
		goto out;
	}
	err = db_tenant_add(r->db, name, domain, &id);
	if (err == -EEXIST) {
		web_error(r, 409, "domain", "a tenant with that domain exists");
		goto out;
	}
	if (err || (err = db_tenant_by_id(r->db, id, &t))) {
		web_errno(r, err, "tenant");
		goto out;
	}
	snprintf(r->audit_object, sizeof(r->audit_object), "tenant %s",
		 t.domain);
	r->tenant = t;
	web_front_follow(r, t.domain, 1);
	tenant_settings(r, 201);
out:
	json_decref(b);
	return 0;
}

int api_tenant_get(struct web_req *r)
{
	return tenant_settings(r, 200);
}

/* PATCH /api/v1/tenants/{t}: any of the settings db_tenant_cfg.h names,
 * each a string checked as ondoctl checks it. Every value is checked
 * before any is written, and they are written in one transaction: a
 * refusal (422 naming the field) changes nothing. The daemon reads these
 * settings for each call, so there is nothing to tell it (as ondoctl
 * tells it nothing). A new setting needs no change here. */
int api_tenant_patch(struct web_req *r)
{
	struct db_tenant_change c = {0};
	const struct db_tenant_setting *s;
	const char *key, *sep = "";
	struct db_limits lim;
	struct db_vm_tenant vm;
	int has_lim = 0, has_vm = 0;
	size_t used;
	json_t *v;
	int k, err;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	json_object_foreach(b, key, v)
	{
		if (!strcmp(key, "limits")) {
			if (limits_from(r, v, &lim))
				goto out;
			has_lim = 1;
			continue;
		}
		if (!strcmp(key, "voicemail")) {
			if (vm_from(r, v, &vm))
				goto out;
			has_vm = 1;
			continue;
		}
		k = db_tenant_key(key);
		if (k < 0 && (!strcmp(key, "domain") || !strcmp(key, "id"))) {
			web_error(r, 422, key, "%s: cannot be changed", key);
			goto out;
		}
		if (k < 0) {
			web_error(r, 422, key, "unknown field %s", key);
			goto out;
		}
		if (!json_is_string(v)) {
			web_error(r, 422, key, "%s: a string", key);
			goto out;
		}
		c.val[k] = json_string_value(v);
	}
	if ((s = db_tenant_setting(db_tenant_change_check(&c)))) {
		char why[160];
		k = db_tenant_key(s->key);
		if (s->why && !s->why(c.val[k], why, sizeof(why)))
			web_error(r, 422, s->key, "%s: %s", s->key, why);
		else
			web_error(r, 422, s->key, "%s: %s", s->key, s->rule);
		goto out;
	}
	/* "tenant acme.test: codecs, timezone" */
	used = (size_t)snprintf(r->audit_object, sizeof(r->audit_object),
				"tenant %s:", r->tenant.domain);
	for (k = 0; k < DB_TK_COUNT && used < sizeof(r->audit_object); k++) {
		if (!c.val[k])
			continue;
		used += (size_t)snprintf(r->audit_object + used,
					 sizeof(r->audit_object) - used,
					 "%s %s", sep, db_tenant_setting(k)->key);
		sep = ",";
	}
	if (has_vm && used < sizeof(r->audit_object))
		used += (size_t)snprintf(r->audit_object + used,
					 sizeof(r->audit_object) - used,
					 "%s voicemail", sep);
	if (has_vm)
		sep = ",";
	if (has_lim && used < sizeof(r->audit_object))
		snprintf(r->audit_object + used, sizeof(r->audit_object) - used,
			 "%s limits", sep);
	err = db_tenant_change_apply(r->db, r->tenant.domain, &c);
	if (!err && has_vm)
		err = db_vm_tenant_set(r->db, r->tenant.id, &vm);
	if (!err && has_lim)
		err = db_limits_set(r->db, r->tenant.id, &lim, NULL, 0);
	if (err)
		web_errno(r, err, "tenant");
	else
		tenant_settings(r, 200);
out:
	json_decref(b);
	return 0;
}

int api_tenant_del(struct web_req *r)
{
	int err = db_tenant_del(r->db, r->tenant.domain);

	snprintf(r->audit_object, sizeof(r->audit_object), "tenant %s",
		 r->tenant.domain);
	if (!err) {
		char why[PATH_MAX + 128];

		/* Its files go with it, as after ondoctl tenant del. */
		if (fs_tenant_spool_remove(r->w->conf->spool_dir,
					   r->tenant.domain, why, sizeof(why)))
			LOGW("web", "tenant %s deleted, but its files could "
				    "not all be removed: %s",
			     r->tenant.domain, why);
		web_front_follow(r, r->tenant.domain, 0);
	}
	return err ? web_errno(r, err, "tenant") : web_no_content(r);
}
