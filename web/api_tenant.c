/* api_tenant.c - /api/v1/tenants: the superadmin's list of customer
 * companies (every other role sees its own tenant only), and a tenant's
 * settings: the table of db_tenant_cfg.h, shared with ondoctl. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_tenant_cfg.h"
#include "web/web_priv.h"

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
	return web_json(r, status, j);
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
	size_t used;
	json_t *v;
	int k, err;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	json_object_foreach(b, key, v)
	{
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
	err = db_tenant_change_apply(r->db, r->tenant.domain, &c);
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
	return err ? web_errno(r, err, "tenant") : web_no_content(r);
}
