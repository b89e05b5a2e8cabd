/* api_tenant.c - /api/v1/tenants: the superadmin's list of customer
 * companies; every other role sees its own tenant only. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "web/web_priv.h"

static json_t *tenant_json(const struct db_tenant *t)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)t->id,
			 "name", t->name, "domain", t->domain, "codecs",
			 t->codecs);
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
	if (!db_valid_name(name) || !*name) {
		web_error(r, 422, "name", "name: 1 to 127 characters, no "
					  "control characters, quotes or "
					  "backslashes");
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
	web_json(r, 201, tenant_json(&t));
out:
	json_decref(b);
	return 0;
}

int api_tenant_get(struct web_req *r)
{
	return web_json(r, 200, tenant_json(&r->tenant));
}

int api_tenant_del(struct web_req *r)
{
	int err = db_tenant_del(r->db, r->tenant.domain);

	snprintf(r->audit_object, sizeof(r->audit_object), "tenant %s",
		 r->tenant.domain);
	return err ? web_errno(r, err, "tenant") : web_no_content(r);
}
