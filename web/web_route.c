/* web_route.c - the API's route table and who may use each route. The
 * order of the checks is the access policy, tested as a matrix
 * (tests/api/test_matrix.py):
 *   no or bad credentials                        401
 *   cookie auth changing state without the CSRF  403
 *   a tenant (or extension) the caller may not see 404, as for one that
 *                                                   does not exist
 *   a route above the caller's role              403
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "web/web_priv.h"

static const struct web_route routes[] = {
    {"POST", "/api/v1/login", web_login, WEB_ANY, false},
    {"POST", "/api/v1/logout", web_logout, WEB_USER, false},
    {"GET", "/api/v1/me", web_me, WEB_USER, false},
    {"POST", "/api/v1/tokens", web_token_create, WEB_USER, true},
    {"GET", "/api/v1/tenants", api_tenant_list, WEB_USER, false},
    {"POST", "/api/v1/tenants", api_tenant_add, WEB_SUPER, true},
    {"GET", "/api/v1/tenants/{domain}", api_tenant_get, WEB_USER, false},
    {"PATCH", "/api/v1/tenants/{domain}", api_tenant_patch, WEB_ADMIN,
     true},
    {"DELETE", "/api/v1/tenants/{domain}", api_tenant_del, WEB_SUPER, true},
    {"GET", "/api/v1/cluster", api_cluster_get, WEB_SUPER, false},
    {"POST", "/api/v1/cluster/sync", api_cluster_sync, WEB_SUPER, true},
    {"GET", "/api/v1/tenants/{domain}/archive", api_tenant_export, WEB_SUPER,
     false},
    {"POST", "/api/v1/tenant-import", api_tenant_import, WEB_SUPER, true,
     WEB_ARCHIVE_MAX},
    {"GET", "/api/v1/tenants/{domain}/extensions", api_ext_list, WEB_ADMIN,
     false},
    {"POST", "/api/v1/tenants/{domain}/extensions", api_ext_add, WEB_ADMIN,
     true},
    {"GET", "/api/v1/tenants/{domain}/extensions/{ext}", api_ext_get,
     WEB_USER, false},
    {"PATCH", "/api/v1/tenants/{domain}/extensions/{ext}", api_ext_patch,
     WEB_USER, true},
    {"DELETE", "/api/v1/tenants/{domain}/extensions/{ext}", api_ext_del,
     WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/extensions/{ext}/voicemail",
     api_vm_list, WEB_USER, false},
    {"GET", "/api/v1/tenants/{domain}/extensions/{ext}/voicemail/{id}/audio",
     api_vm_audio, WEB_USER, false},
    {"POST", "/api/v1/tenants/{domain}/extensions/{ext}/voicemail/{id}/heard",
     api_vm_heard, WEB_USER, true},
    {"DELETE", "/api/v1/tenants/{domain}/extensions/{ext}/voicemail/{id}",
     api_vm_del, WEB_USER, true},
    {"PATCH", "/api/v1/tenants/{domain}/extensions/{ext}/mailbox",
     api_box_patch, WEB_USER, true},
    {"GET", "/api/v1/tenants/{domain}/extensions/{ext}/greetings",
     api_greet_list, WEB_USER, false},
    {"GET", "/api/v1/tenants/{domain}/extensions/{ext}/greetings/{kind}",
     api_greet_audio, WEB_USER, false},
    {"PUT", "/api/v1/tenants/{domain}/extensions/{ext}/greetings/{kind}",
     api_greet_put, WEB_USER, true, WEB_UPLOAD_MAX},
    {"DELETE", "/api/v1/tenants/{domain}/extensions/{ext}/greetings/{kind}",
     api_greet_del, WEB_USER, true},
    {"GET", "/api/v1/tenants/{domain}/voicemail", api_vm_tenant, WEB_ADMIN,
     false},
    {"GET", "/api/v1/tenants/{domain}/registrations", api_reg_list,
     WEB_ADMIN, false},
    {"GET", "/api/v1/tenants/{domain}/calls", api_call_list, WEB_ADMIN,
     false},
    {"DELETE", "/api/v1/tenants/{domain}/calls/{id}", api_call_end,
     WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/cdr", api_cdr_list, WEB_ADMIN, false},
    {"GET", "/api/v1/tenants/{domain}/cdr/{id}/recording", api_cdr_recording,
     WEB_ADMIN, false},
    {"GET", "/api/v1/tenants/{domain}/cdr/{id}/recordings/{n}",
     api_cdr_recording_n, WEB_ADMIN, false},
    {"GET", "/api/v1/tenants/{domain}/trunks", api_trunk_list, WEB_ADMIN,
     false},
    {"POST", "/api/v1/tenants/{domain}/trunks", api_trunk_add, WEB_ADMIN,
     true},
    {"PATCH", "/api/v1/tenants/{domain}/trunks/{name}", api_trunk_patch,
     WEB_ADMIN, true},
    {"DELETE", "/api/v1/tenants/{domain}/trunks/{name}", api_trunk_del,
     WEB_ADMIN, true},
    {"GET", "/api/v1/trunks", api_shared_trunk_list, WEB_SUPER, false},
    {"POST", "/api/v1/trunks", api_shared_trunk_add, WEB_SUPER, true},
    {"PATCH", "/api/v1/trunks/{name}", api_shared_trunk_patch, WEB_SUPER,
     true},
    {"DELETE", "/api/v1/trunks/{name}", api_shared_trunk_del, WEB_SUPER,
     true},
    {"GET", "/api/v1/tenants/{domain}/trunk-status", api_trunk_status,
     WEB_ADMIN, false},
    {"GET", "/api/v1/tenants/{domain}/dids", api_did_list, WEB_ADMIN, false},
    {"POST", "/api/v1/tenants/{domain}/dids", api_did_add, WEB_ADMIN, true},
    {"PATCH", "/api/v1/tenants/{domain}/dids/{number}", api_did_patch,
     WEB_ADMIN, true},
    {"DELETE", "/api/v1/tenants/{domain}/dids/{number}", api_did_del,
     WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/timeconds", api_tc_list, WEB_ADMIN,
     false},
    {"POST", "/api/v1/tenants/{domain}/timeconds", api_tc_add, WEB_ADMIN,
     true},
    {"GET", "/api/v1/tenants/{domain}/timeconds/{name}", api_tc_get,
     WEB_ADMIN, false},
    {"DELETE", "/api/v1/tenants/{domain}/timeconds/{name}", api_tc_del,
     WEB_ADMIN, true},
    {"POST", "/api/v1/tenants/{domain}/timeconds/{name}/rules",
     api_tc_rule_add, WEB_ADMIN, true},
    {"DELETE", "/api/v1/tenants/{domain}/timeconds/{name}/rules/{id}",
     api_tc_rule_del, WEB_ADMIN, true},
    {"POST", "/api/v1/tenants/{domain}/timeconds/{name}/holidays",
     api_tc_holiday_add, WEB_ADMIN, true},
    {"DELETE", "/api/v1/tenants/{domain}/timeconds/{name}/holidays/{date}",
     api_tc_holiday_del, WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/routes", api_route_list, WEB_ADMIN,
     false},
    {"POST", "/api/v1/tenants/{domain}/routes", api_route_add, WEB_ADMIN,
     true},
    {"PATCH", "/api/v1/tenants/{domain}/routes/{id}", api_route_patch,
     WEB_ADMIN, true},
    {"DELETE", "/api/v1/tenants/{domain}/routes/{id}", api_route_del,
     WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/ivr", api_ivr_list, WEB_ADMIN, false},
    {"POST", "/api/v1/tenants/{domain}/ivr", api_ivr_add, WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/ivr/{name}", api_ivr_get, WEB_ADMIN,
     false},
    {"PATCH", "/api/v1/tenants/{domain}/ivr/{name}", api_ivr_patch,
     WEB_ADMIN, true},
    {"DELETE", "/api/v1/tenants/{domain}/ivr/{name}", api_ivr_del,
     WEB_ADMIN, true},
    {"PUT", "/api/v1/tenants/{domain}/ivr/{name}/options/{digit}",
     api_ivr_opt_put, WEB_ADMIN, true},
    {"DELETE", "/api/v1/tenants/{domain}/ivr/{name}/options/{digit}",
     api_ivr_opt_del, WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/prompts", api_prompt_list, WEB_ADMIN,
     false},
    {"GET", "/api/v1/tenants/{domain}/prompts/{id}", api_prompt_audio,
     WEB_ADMIN, false},
    {"PUT", "/api/v1/tenants/{domain}/prompts/{id}", api_prompt_put,
     WEB_ADMIN, true, WEB_PROMPT_MAX},
    {"DELETE", "/api/v1/tenants/{domain}/prompts/{id}", api_prompt_del,
     WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/rooms", api_room_list, WEB_ADMIN,
     false},
    {"POST", "/api/v1/tenants/{domain}/rooms", api_room_add, WEB_ADMIN,
     true},
    {"GET", "/api/v1/tenants/{domain}/rooms/{number}", api_room_get,
     WEB_ADMIN, false},
    {"PATCH", "/api/v1/tenants/{domain}/rooms/{number}", api_room_patch,
     WEB_ADMIN, true},
    {"DELETE", "/api/v1/tenants/{domain}/rooms/{number}", api_room_del,
     WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/rooms/{number}/members",
     api_room_members, WEB_ADMIN, false},
    {"POST", "/api/v1/tenants/{domain}/rooms/{number}/members/{id}/mute",
     api_room_mute, WEB_ADMIN, true},
    {"POST", "/api/v1/tenants/{domain}/rooms/{number}/members/{id}/unmute",
     api_room_unmute, WEB_ADMIN, true},
    {"DELETE", "/api/v1/tenants/{domain}/rooms/{number}/members/{id}",
     api_room_kick, WEB_ADMIN, true},
    {"POST", "/api/v1/tenants/{domain}/rooms/{number}/lock", api_room_lock,
     WEB_ADMIN, true},
    {"POST", "/api/v1/tenants/{domain}/rooms/{number}/unlock",
     api_room_unlock, WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/room-recordings", api_room_rec_list,
     WEB_ADMIN, false},
    {"GET", "/api/v1/tenants/{domain}/room-recordings/{id}/audio",
     api_room_rec_audio, WEB_ADMIN, false},
    {"DELETE", "/api/v1/tenants/{domain}/room-recordings/{id}",
     api_room_rec_del, WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/ringgroups", api_rg_list, WEB_ADMIN,
     false},
    {"POST", "/api/v1/tenants/{domain}/ringgroups", api_rg_add, WEB_ADMIN,
     true},
    {"GET", "/api/v1/tenants/{domain}/ringgroups/{number}", api_rg_get,
     WEB_ADMIN, false},
    {"PATCH", "/api/v1/tenants/{domain}/ringgroups/{number}", api_rg_patch,
     WEB_ADMIN, true},
    {"DELETE", "/api/v1/tenants/{domain}/ringgroups/{number}", api_rg_del,
     WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/park", api_park_get, WEB_ADMIN,
     false},
    {"PUT", "/api/v1/tenants/{domain}/park", api_park_put, WEB_ADMIN, true},
    {"GET", "/api/v1/tenants/{domain}/parked", api_parked_list, WEB_ADMIN,
     false},
    {"GET", "/api/v1/tenants/{domain}/users", api_user_list, WEB_ADMIN,
     false},
    {"POST", "/api/v1/tenants/{domain}/users", api_user_add, WEB_ADMIN,
     true},
    {"DELETE", "/api/v1/tenants/{domain}/users/{id}", api_user_del,
     WEB_ADMIN, true},
    {"GET", "/api/v1/audit", api_audit_list, WEB_ADMIN, false},
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/* Matches `url` against `pattern`, segment by segment; {name} takes one
 * segment into r->params in order. */
static bool match(const char *pattern, const char *url, struct web_req *r)
{
	int np = 0;

	while (*pattern && *url) {
		if (*pattern != '/' || *url != '/')
			return false;
		pattern++;
		url++;
		size_t pl = strcspn(pattern, "/"), ul = strcspn(url, "/");
		if (*pattern == '{') {
			if (!ul || ul >= sizeof(r->params[0]) || np == WEB_PARAMS)
				return false;
			memcpy(r->params[np], url, ul);
			r->params[np++][ul] = '\0';
		} else if (pl != ul || strncmp(pattern, url, pl)) {
			return false;
		}
		pattern += pl;
		url += ul;
	}
	return !*pattern && !*url;
}

static bool has(const char *path, const char *name)
{
	return strstr(path, name) != NULL;
}

/* The tenant of {domain} if the caller may see it; 404 (answered) if
 * not, whether or not it exists. */
static int scope_tenant(struct web_req *r)
{
	int err = db_tenant_by_domain(r->db, r->params[0], &r->tenant);

	if (err == -ENOENT || err == -EINVAL ||
	    (!err && r->who.role != DB_WEB_SUPERADMIN &&
	     r->who.tenant_id != r->tenant.id)) {
		web_error(r, 404, NULL, "no such tenant");
		return 1;
	}
	if (err) {
		web_errno(r, err, "tenant");
		return 1;
	}
	return 0;
}

/* An extension user sees only its own extension. */
static int scope_ext(struct web_req *r)
{
	if (r->who.role == DB_WEB_USER && strcmp(r->who.ext, r->params[1])) {
		web_error(r, 404, NULL, "no such extension");
		return 1;
	}
	return 0;
}

static int guard(struct web_req *r, const struct web_route *rt)
{
	if (rt->min_role == WEB_ANY)
		return 0;
	web_authenticate(r);
	if (!r->authed)
		return web_error(r, 401, NULL, "log in first"), 1;
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD") &&
	    !web_csrf_ok(r))
		return web_error(r, 403, NULL,
				 "missing or wrong X-CSRF-Token header"),
		       1;
	if (has(rt->path, "{domain}") && scope_tenant(r))
		return 1;
	if (has(rt->path, "{ext}") && scope_ext(r))
		return 1;
	if ((int)r->who.role < (int)rt->min_role)
		return web_error(r, 403, NULL,
				 "your role (%s) may not do this",
				 db_web_role_name(r->who.role)),
		       1;
	return 0;
}

size_t web_body_limit(const char *method, const char *url)
{
	struct web_req scratch;

	for (size_t i = 0; i < NROUTES; i++)
		if (routes[i].upload && !strcmp(routes[i].method, method) &&
		    match(routes[i].path, url, &scratch))
			return routes[i].upload;
	return WEB_BODY_MAX;
}

int web_dispatch(struct web_req *r)
{
	bool path_known = false;

	if (strncmp(r->url, "/api/", 5))
		return web_static(r);
	for (size_t i = 0; i < NROUTES; i++) {
		const struct web_route *rt = &routes[i];

		memset(r->params, 0, sizeof(r->params));
		if (!match(rt->path, r->url, r))
			continue;
		path_known = true;
		if (strcmp(rt->method, r->method))
			continue;
		if (r->too_big)
			return web_error(r, 413, NULL,
					 "the body is larger than %zu bytes",
					 r->max_body);
		if (guard(r, rt))
			return 0;
		int err = rt->fn(r);
		if (!err && rt->changes && r->status < 300) {
			char action[300];
			snprintf(action, sizeof(action), "%s %s", r->method,
				 r->url);
			web_audit(r, action, r->audit_object, "");
		}
		return err;
	}
	if (path_known)
		return web_error(r, 405, NULL, "%s is not allowed here",
				 r->method);
	return web_error(r, 404, NULL, "no such resource");
}
