/* api_trunk.c - carriers and numbers: a tenant's trunks, the shared
 * trunks (the superadmin's), their live state from the SIP thread, and a
 * tenant's DIDs. Every value is checked by the same
 * db_trunk_check / db_dest_check as ondoctl's; the SIP side re-reads the
 * trunks after each change. Passwords are written, never read back. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_timecond.h"
#include "db_trunk.h"
#include "sip/sip.h"
#include "web/web_priv.h"

/* A trunk as JSON; `hide_account` leaves out the username (a shared
 * trunk's account at the carrier is the superadmin's business). */
static json_t *trunk_json(const struct db_trunk *t, bool hide_account)
{
	return json_pack("{s:s, s:b, s:s, s:i, s:s, s:s, s:s, s:b, s:i, s:s, "
			 "s:s, s:s, s:i, s:i, s:s, s:i, s:s, s:i}",
			 "name", t->name, "shared", t->tenant_id == 0, "host",
			 t->host, "port", t->port, "transport", t->transport,
			 "auth", t->auth, "username",
			 hide_account ? "" : t->username, "password_set",
			 t->password[0] != '\0', "expiry", t->expiry, "ips",
			 t->ips, "codecs", t->codecs, "callerid", t->callerid,
			 "max_calls", t->max_calls, "out_strip", t->out_strip,
			 "out_prefix", t->out_prefix, "in_strip", t->in_strip,
			 "in_prefix", t->in_prefix, "max_per_hour",
			 t->max_per_hour);
}

struct list_arg {
	json_t *rows;
	bool superadmin;
};

static int trunk_h(const struct db_trunk *t, void *arg)
{
	struct list_arg *l = arg;

	json_array_append_new(l->rows,
			      trunk_json(t, t->tenant_id == 0 && !l->superadmin));
	return 0;
}

/* The trunks a tenant's calls may use: the shared ones first, then its
 * own (as ondoctl trunk list DOMAIN shows them). */
int api_trunk_list(struct web_req *r)
{
	struct list_arg l = {json_array(),
			     r->who.role == DB_WEB_SUPERADMIN};
	int err = db_trunk_list(r->db, 0, trunk_h, &l);

	if (!err)
		err = db_trunk_list(r->db, r->tenant.id, trunk_h, &l);
	if (err) {
		json_decref(l.rows);
		return web_errno(r, err, "trunk");
	}
	return web_json(r, 200, json_pack("{s:o}", "trunks", l.rows));
}

/* GET /api/v1/trunks (superadmin): the shared trunks alone. */
int api_shared_trunk_list(struct web_req *r)
{
	struct list_arg l = {json_array(), true};
	int err = db_trunk_list(r->db, 0, trunk_h, &l);

	if (err) {
		json_decref(l.rows);
		return web_errno(r, err, "trunk");
	}
	return web_json(r, 200, json_pack("{s:o}", "trunks", l.rows));
}

static int reload_sync(struct sip *s, void *arg)
{
	(void)arg;
	return sip_trunks_reload(s);
}

/* What ondoctl's "trunks-reload" does: the SIP side re-reads the trunks
 * (registrations follow). */
static void reload(struct web_req *r)
{
	if (r->w->sip)
		sip_sync(r->w->sip, reload_sync, NULL);
}

/* The body's fields onto t: strings and numbers of the right type; what
 * they hold is db_trunk_check's business. 0, or 1 when answered. */
static int fill(struct web_req *r, json_t *b, struct db_trunk *t)
{
	static const struct {
		const char *key;
		size_t off, len;
	} strs[] = {
#define S(f) {#f, offsetof(struct db_trunk, f), sizeof(((struct db_trunk *)0)->f)}
	    S(name),	 S(host),     S(transport), S(auth),
	    S(username), S(password), S(ips),	    S(codecs),
	    S(callerid), S(out_prefix), S(in_prefix),
#undef S
	};
	static const struct {
		const char *key;
		size_t off;
	} ints[] = {{"port", offsetof(struct db_trunk, port)},
		    {"expiry", offsetof(struct db_trunk, expiry)},
		    {"max_calls", offsetof(struct db_trunk, max_calls)},
		    {"max_per_hour", offsetof(struct db_trunk, max_per_hour)},
		    {"out_strip", offsetof(struct db_trunk, out_strip)},
		    {"in_strip", offsetof(struct db_trunk, in_strip)}};
	const char *k;
	json_t *v;

	json_object_foreach(b, k, v)
	{
		size_t i;
		for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
			if (!strcmp(k, strs[i].key))
				break;
		if (i < sizeof(strs) / sizeof(strs[0])) {
			if (!json_is_string(v) ||
			    json_string_length(v) >= strs[i].len)
				return web_error(r, 422, k,
						 "%s: a string of at most %zu "
						 "characters",
						 k, strs[i].len - 1),
				       1;
			snprintf((char *)t + strs[i].off, strs[i].len, "%s",
				 json_string_value(v));
			continue;
		}
		for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
			if (!strcmp(k, ints[i].key))
				break;
		if (i == sizeof(ints) / sizeof(ints[0]))
			return web_error(r, 422, k, "unknown field %s", k), 1;
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 1000000)
			return web_error(r, 422, k, "%s must be a number", k), 1;
		*(int *)((char *)t + ints[i].off) = (int)json_integer_value(v);
	}
	return 0;
}

/* db_trunk_check's verdict on t: 0, or 1 after a 422 naming the field as
 * the API spells it (max-calls -> max_calls) with its rule. */
static int refuse_bad(struct web_req *r, const struct db_trunk *t)
{
	const char *why = db_trunk_check(t);
	char field[32], entry[DB_TRUNK_IPS_LEN + 96];

	if (!why)
		return 0;
	snprintf(field, sizeof(field), "%s", why);
	for (char *p = field; *p; p++)
		*p = *p == '-' ? '_' : *p; /* max-calls -> max_calls */
	/* ips: the bad entry by name, as ondoctl says it */
	if (!strcmp(why, "ips") && !db_ip_list_why(t->ips, entry, sizeof(entry)))
		web_error(r, 422, field, "ips: %s", entry);
	else
		web_error(r, 422, field, "%s: %s", field, db_trunk_rule(why));
	return 1;
}

/* POST: a new trunk of `owner` (a tenant's id, or 0: shared) from the
 * body, over the defaults. */
static int trunk_add(struct web_req *r, int64_t owner)
{
	struct db_trunk t;
	int err;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	db_trunk_defaults(&t);
	if (fill(r, b, &t))
		goto out;
	t.tenant_id = owner;
	if (refuse_bad(r, &t))
		goto out;
	err = db_trunk_add(r->db, &t, NULL);
	snprintf(r->audit_object, sizeof(r->audit_object), "%strunk %s",
		 owner ? "" : "shared ", t.name);
	if (err == -EEXIST)
		web_error(r, 409, "name", "a trunk named %s exists", t.name);
	else if (err)
		web_errno(r, err, "trunk");
	else {
		reload(r);
		web_json(r, 201, trunk_json(&t, false));
	}
out:
	json_decref(b);
	return 0;
}

/* PATCH: trunk `name` of `owner` with the body's fields over what is
 * stored (as ondoctl trunk set: what is not given stays; a password
 * left out is kept). Checked whole before it is written. */
static int trunk_patch(struct web_req *r, int64_t owner, const char *name)
{
	struct db_trunk t;
	json_t *b, *nv;
	int err = db_trunk_get(r->db, owner, name, &t);

	if (err)
		return web_errno(r, err, "trunk");
	if (!(b = web_body_object(r)))
		return 0;
	/* A route or a DID's trunk app names the trunk: no renaming. */
	nv = json_object_get(b, "name");
	if (nv && !(json_is_string(nv) && !strcmp(json_string_value(nv), name))) {
		web_error(r, 422, "name", "name: cannot be changed");
		goto out;
	}
	if (fill(r, b, &t) || refuse_bad(r, &t))
		goto out;
	err = db_trunk_update(r->db, &t);
	snprintf(r->audit_object, sizeof(r->audit_object), "%strunk %s",
		 owner ? "" : "shared ", t.name);
	if (err)
		web_errno(r, err, "trunk");
	else {
		reload(r);
		web_json(r, 200, trunk_json(&t, false));
	}
out:
	json_decref(b);
	return 0;
}

static int trunk_del(struct web_req *r, int64_t owner, const char *name)
{
	int err = db_trunk_del(r->db, owner, name);

	snprintf(r->audit_object, sizeof(r->audit_object), "%strunk %s",
		 owner ? "" : "shared ", name);
	if (err)
		return web_errno(r, err, "trunk");
	reload(r);
	return web_no_content(r);
}

/* A tenant's own trunks, /api/v1/tenants/{t}/trunks[/{name}]: a shared
 * trunk is not one of them (404), whoever asks. */
int api_trunk_add(struct web_req *r)
{
	return trunk_add(r, r->tenant.id);
}

int api_trunk_patch(struct web_req *r)
{
	return trunk_patch(r, r->tenant.id, r->params[1]);
}

int api_trunk_del(struct web_req *r)
{
	return trunk_del(r, r->tenant.id, r->params[1]);
}

/* The shared trunks, /api/v1/trunks[/{name}]: the route table lets only
 * a superadmin here. */
int api_shared_trunk_add(struct web_req *r)
{
	return trunk_add(r, 0);
}

int api_shared_trunk_patch(struct web_req *r)
{
	return trunk_patch(r, 0, r->params[0]);
}

int api_shared_trunk_del(struct web_req *r)
{
	return trunk_del(r, 0, r->params[0]);
}

struct status_arg {
	const char *domain;
	char *buf;
	size_t len;
};

static int status_sync(struct sip *s, void *arg)
{
	struct status_arg *a = arg;
	FILE *f = open_memstream(&a->buf, &a->len);
	int err;

	if (!f)
		return -ENOMEM;
	err = sip_trunks_print(s, a->domain, f);
	fclose(f);
	return err;
}

/* GET .../trunk-status: "TENANT\tNAME\tREGISTRATION\tREACHABLE\tCALLS\t
 * DETAIL" lines of the tenant's trunks (and the shared ones) as JSON. */
int api_trunk_status(struct web_req *r)
{
	struct status_arg a = {r->tenant.domain, NULL, 0};
	json_t *rows;
	char *save = NULL;
	int err;

	if (!r->w->sip)
		return web_error(r, 503, NULL, "no SIP side in this process");
	err = sip_sync(r->w->sip, status_sync, &a);
	if (err) {
		free(a.buf);
		return web_error(r, 503, NULL, "trunk states unavailable: %s",
				 strerror(-err));
	}
	rows = json_array();
	for (char *l = a.buf ? strtok_r(a.buf, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *f[6], *s2 = NULL;
		int n = 0;
		for (char *p = strtok_r(l, "\t", &s2); p && n < 6;
		     p = strtok_r(NULL, "\t", &s2))
			f[n++] = p;
		if (n == 6)
			json_array_append_new(
			    rows, json_pack("{s:b, s:s, s:s, s:s, s:s, s:s}",
					    "shared", !strcmp(f[0], "shared"),
					    "name", f[1], "registration", f[2],
					    "reachable", f[3], "calls", f[4],
					    "detail", f[5]));
	}
	free(a.buf);
	return web_json(r, 200, json_pack("{s:o}", "trunks", rows));
}

/* ---- DIDs ---- */

static json_t *did_json(const struct db_did *d)
{
	return json_pack("{s:s, s:s, s:s}", "number", d->number, "dest_type",
			 d->dest_type, "dest", d->dest);
}

static int did_h(const struct db_did *d, void *arg)
{
	json_array_append_new(arg, did_json(d));
	return 0;
}

int api_did_list(struct web_req *r)
{
	json_t *rows = json_array();
	int err = db_did_list(r->db, r->tenant.id, did_h, rows);

	if (err) {
		json_decref(rows);
		return web_errno(r, err, "DID");
	}
	return web_json(r, 200, json_pack("{s:o}", "dids", rows));
}

/* The body's dest_type and dest into d, checked as ondoctl checks them:
 * 0, 1 when answered (422 naming the field), or a negative errno. */
static int did_dest_from(struct web_req *r, json_t *b, struct db_did *d)
{
	const char *type, *dest;
	char why[200];
	int err;

	if (!(type = web_want_string(r, b, "dest_type")) ||
	    !(dest = web_want_string(r, b, "dest")))
		return 1;
	snprintf(d->dest_type, sizeof(d->dest_type), "%.*s",
		 (int)sizeof(d->dest_type) - 1, type);
	snprintf(d->dest, sizeof(d->dest), "%.*s", (int)sizeof(d->dest) - 1,
		 dest);
	err = db_dest_check(r->db, r->tenant.id, d->dest_type, d->dest,
			    DB_DEST_DID, why, sizeof(why));
	if (err == -EINVAL || err == -ENOENT) {
		web_error(r, 422, strstr(why, "destination") ? "dest_type"
							      : "dest",
			  "%s", why);
		return 1;
	}
	return err;
}

int api_did_add(struct web_req *r)
{
	struct db_did d = {.tenant_id = r->tenant.id};
	const char *num;
	int err;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	if (!(num = web_want_string(r, b, "number")))
		goto out;
	if (!db_valid_e164(num)) {
		web_error(r, 422, "number", "number: E.164, such as +4930123456");
		goto out;
	}
	snprintf(d.number, sizeof(d.number), "%s", num);
	err = did_dest_from(r, b, &d);
	if (err == 1)
		goto out;
	if (!err)
		err = db_did_add(r->db, &d, NULL);
	snprintf(r->audit_object, sizeof(r->audit_object), "DID %s -> %s %s",
		 d.number, d.dest_type, d.dest);
	if (err == -EEXIST)
		web_error(r, 409, "number", "%s is taken", d.number);
	else if (err)
		web_errno(r, err, "DID");
	else
		web_json(r, 201, did_json(&d));
out:
	json_decref(b);
	return 0;
}

/* PATCH: where a DID of the tenant goes (`ondoctl did set`). */
int api_did_patch(struct web_req *r)
{
	struct db_did d;
	int err;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	if (db_did_get(r->db, r->params[1], &d) || d.tenant_id != r->tenant.id) {
		web_error(r, 404, NULL, "no such DID");
		goto out;
	}
	err = did_dest_from(r, b, &d);
	if (err == 1)
		goto out;
	if (!err)
		err = db_did_set_dest(r->db, &d);
	snprintf(r->audit_object, sizeof(r->audit_object), "DID %s -> %s %s",
		 d.number, d.dest_type, d.dest);
	if (err)
		web_errno(r, err, "DID");
	else
		web_json(r, 200, did_json(&d));
out:
	json_decref(b);
	return 0;
}

int api_did_del(struct web_req *r)
{
	int err = db_did_del(r->db, r->tenant.id, r->params[1]);

	snprintf(r->audit_object, sizeof(r->audit_object), "DID %s",
		 r->params[1]);
	return err ? web_errno(r, err, "DID") : web_no_content(r);
}
