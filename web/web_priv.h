/* web_priv.h - what the files of web/ share: the request, the route
 * table, sessions, and the response helpers. */
#ifndef ONDO_WEB_PRIV_H
#define ONDO_WEB_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <microhttpd.h>

#include "db.h"
#include "db_web.h"
#include "db_fwd.h"
#include "web/web.h"
#include "web/web_pass.h"

#define WEB_BODY_MAX (1 << 20)	    /* a JSON body: 1 MiB */
#define WEB_UPLOAD_MAX (10 << 20)   /* an uploaded greeting: 10 MiB */
/* An uploaded prompt: 20 MiB, so that 10 minutes of 16-bit mono 16 kHz
 * WAV (18.3 MiB, what the PBX stores and gives back) can be uploaded
 * again; longer or wider sound fits as FLAC or OGG. Each of the pool's
 * threads may hold one such body in memory. */
#define WEB_PROMPT_MAX (20 << 20)
/* An uploaded tenant archive (api_tenant_move.c): held in memory like
 * every body, so bounded well below what `ondoctl tenant import` takes;
 * a bigger tenant moves with ondoctl. */
#define WEB_ARCHIVE_MAX (256 << 20)
#define WEB_PARAMS 4

struct web_sessions;

struct web {
	struct MHD_Daemon *mhd;
	const struct conf *conf;
	struct sip *sip;
	struct web_sessions *sess;
	pthread_key_t db_key; /* each HTTP thread's struct db */
	char *cert, *key;     /* PEM, owned; NULL for plain HTTP */
};

/* One request, from its first call of the access handler to the
 * response. */
struct web_req {
	struct web *w;
	struct MHD_Connection *conn;
	const char *method;
	const char *url;
	char *body;		/* owned; NUL-terminated */
	size_t len, cap;
	bool too_big;
	size_t max_body;	/* WEB_BODY_MAX, or the route's upload limit */
	char source[64];	/* the client's address */
	struct db *db;		/* the thread's connection, borrowed */
	/* who, once authenticated */
	bool authed, by_cookie;
	struct db_web_user who;
	char csrf[65];		/* the session's token, cookie auth only */
	/* what the route's {placeholders} matched */
	char params[WEB_PARAMS][128];
	struct db_tenant tenant; /* {domain}, when the path has it */
	/* the response */
	struct MHD_Response *resp;
	unsigned status;
	char audit_object[512]; /* set by a handler that changed something */
};

/* ---- responses (web_json.c) ---- */
/* Sends `j` (reference stolen) with `status`. */
int web_json(struct web_req *r, unsigned status, json_t *j);
/* {"error": msg, "field": field} (field may be NULL). */
int web_error(struct web_req *r, unsigned status, const char *field,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The error for a negative errno from the db/store layers. */
int web_errno(struct web_req *r, int err, const char *what);
/* 204, no body. */
int web_no_content(struct web_req *r);
/* The body as a JSON object; NULL after answering 400 (bad JSON, not an
 * object). The caller owns the result. */
json_t *web_body_object(struct web_req *r);
/* A string member that must be there (else 422 naming it). */
const char *web_want_string(struct web_req *r, json_t *o, const char *key);
/* A query string argument, or NULL. */
const char *web_query(struct web_req *r, const char *key);

/* ---- routes (web_route.c) ---- */
enum web_min_role { WEB_ANY = -1, WEB_USER = 0, WEB_ADMIN = 1, WEB_SUPER = 2 };
struct web_route {
	const char *method;
	const char *path; /* "/api/v1/tenants/{domain}/extensions/{ext}" */
	int (*fn)(struct web_req *r);
	enum web_min_role min_role;
	bool changes;	  /* written to the audit log when it succeeds */
	size_t upload;	  /* takes a file body up to this many bytes;
			   * 0: a JSON body up to WEB_BODY_MAX */
};
int web_dispatch(struct web_req *r);
/* The body limit of the route method+url would take (before the body is
 * read, so that a big body is refused as it comes). */
size_t web_body_limit(const char *method, const char *url);

/* ---- sessions and log-in (web_auth.c) ---- */
int web_sessions_alloc(struct web_sessions **sp);
void web_sessions_free(struct web_sessions *s);
/* Fills r->who from the session cookie or the Bearer token; 0 if the
 * request carries neither or they are not valid (r->authed false). */
int web_authenticate(struct web_req *r);
/* A state-changing request with cookie auth must carry the session's
 * CSRF token in X-CSRF-Token. */
bool web_csrf_ok(struct web_req *r);
int web_login(struct web_req *r);
int web_logout(struct web_req *r);
int web_me(struct web_req *r);
int web_token_create(struct web_req *r);

/* ---- static files (web_static.c) ---- */
int web_static(struct web_req *r);

/* ---- the audit log (web_audit.c) ---- */
void web_audit(struct web_req *r, const char *action, const char *object,
	       const char *detail);
int api_audit_list(struct web_req *r);

/* ---- resources (api_*.c) ---- */
int api_tenant_list(struct web_req *r);
/* api_cluster.c: this node behind a cluster front. */
int api_cluster_get(struct web_req *r);
int api_cluster_sync(struct web_req *r);
/* After a tenant was added (here = 1) or deleted (0) on this node: the
 * front's table follows, if [cluster] api is set; a front that does not
 * answer is logged (the tenant change stands). */
void web_front_follow(struct web_req *r, const char *domain, int here);
int api_tenant_add(struct web_req *r);
int api_tenant_get(struct web_req *r);
int api_tenant_patch(struct web_req *r);
int api_tenant_del(struct web_req *r);
int api_tenant_export(struct web_req *r);
int api_tenant_import(struct web_req *r);
int api_ext_list(struct web_req *r);
int api_ext_add(struct web_req *r);
int api_ext_get(struct web_req *r);
int api_ext_patch(struct web_req *r);
int api_ext_del(struct web_req *r);
/* api_fwd.c: the extension's "dnd" and "forward" fields. */
struct api_fwd_patch {
	int set_dnd, dnd;
	int set[DB_FWD_NKINDS]; /* the kinds the PATCH names */
	struct db_fwd_target t[DB_FWD_NKINDS];
};
/* Adds "dnd" and "forward" of extension `number` to `ext`; 0 or errno. */
int api_fwd_json(struct web_req *r, const char *number, json_t *ext);
/* Checks the body's "dnd" and "forward" into *p; 0, or 1 when answered
 * (422 naming the field: "dnd", "forward.busy.dest", ...). */
int api_fwd_check(struct web_req *r, const char *number, json_t *b,
		  struct api_fwd_patch *p);
/* Writes what *p holds; 0 or a negative errno. */
int api_fwd_apply(struct web_req *r, const char *number,
		  const struct api_fwd_patch *p);
int api_reg_list(struct web_req *r);
int api_call_list(struct web_req *r);
int api_call_end(struct web_req *r);
int api_trunk_list(struct web_req *r);
int api_trunk_add(struct web_req *r);
int api_trunk_patch(struct web_req *r);
int api_trunk_del(struct web_req *r);
int api_shared_trunk_list(struct web_req *r);
int api_shared_trunk_add(struct web_req *r);
int api_shared_trunk_patch(struct web_req *r);
int api_shared_trunk_del(struct web_req *r);
int api_trunk_status(struct web_req *r);
int api_did_list(struct web_req *r);
int api_did_add(struct web_req *r);
int api_did_del(struct web_req *r);
int api_tc_list(struct web_req *r);
int api_tc_add(struct web_req *r);
int api_tc_get(struct web_req *r);
int api_tc_del(struct web_req *r);
int api_tc_rule_add(struct web_req *r);
int api_tc_rule_del(struct web_req *r);
int api_tc_holiday_add(struct web_req *r);
int api_tc_holiday_del(struct web_req *r);
int api_route_list(struct web_req *r);
int api_route_add(struct web_req *r);
int api_route_del(struct web_req *r);
int api_route_patch(struct web_req *r);
int api_did_patch(struct web_req *r);
int api_ivr_list(struct web_req *r);
int api_ivr_add(struct web_req *r);
int api_ivr_get(struct web_req *r);
int api_ivr_patch(struct web_req *r);
int api_ivr_del(struct web_req *r);
int api_ivr_opt_put(struct web_req *r);
int api_ivr_opt_del(struct web_req *r);
int api_vm_tenant(struct web_req *r);
int api_vm_list(struct web_req *r);
int api_vm_audio(struct web_req *r);
int api_vm_heard(struct web_req *r);
int api_vm_del(struct web_req *r);
int api_greet_list(struct web_req *r);
int api_greet_put(struct web_req *r);
int api_greet_del(struct web_req *r);
int api_greet_audio(struct web_req *r);
int api_box_patch(struct web_req *r);
int api_prompt_list(struct web_req *r);
int api_prompt_audio(struct web_req *r);
int api_prompt_put(struct web_req *r);
int api_prompt_del(struct web_req *r);
int api_rg_list(struct web_req *r);
int api_rg_add(struct web_req *r);
int api_rg_get(struct web_req *r);
int api_rg_patch(struct web_req *r);
int api_rg_del(struct web_req *r);
int api_park_get(struct web_req *r);
int api_park_put(struct web_req *r);
int api_parked_list(struct web_req *r);
int api_room_list(struct web_req *r);
int api_room_add(struct web_req *r);
int api_room_get(struct web_req *r);
int api_room_patch(struct web_req *r);
int api_room_del(struct web_req *r);
int api_room_members(struct web_req *r);
int api_room_mute(struct web_req *r);
int api_room_unmute(struct web_req *r);
int api_room_kick(struct web_req *r);
int api_room_lock(struct web_req *r);
int api_room_unlock(struct web_req *r);
int api_room_rec_list(struct web_req *r);
int api_room_rec_audio(struct web_req *r);
int api_room_rec_del(struct web_req *r);
int api_user_list(struct web_req *r);
int api_user_add(struct web_req *r);
int api_user_del(struct web_req *r);
int api_cdr_list(struct web_req *r);
int api_cdr_recording(struct web_req *r);
int api_cdr_recording_n(struct web_req *r);
/* api_cdr_rec.c: the "recordings" list of CDR c (new reference). */
json_t *api_cdr_recs_json(struct web_req *r, const struct db_cdr *c);

#endif
