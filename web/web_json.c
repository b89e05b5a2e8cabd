/* web_json.c - JSON responses and request bodies. Every error is
 * {"error": "...", "field": "..."} with the status that says what kind. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "web/web_priv.h"

static int respond(struct web_req *r, unsigned status, char *text,
		   const char *type)
{
	/* MHD frees text (MHD_RESPMEM_MUST_FREE). */
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    strlen(text), text, MHD_RESPMEM_MUST_FREE);

	if (!resp) {
		free(text);
		return -ENOMEM;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->resp)
		MHD_destroy_response(r->resp);
	r->resp = resp;
	r->status = status;
	return 0;
}

int web_json(struct web_req *r, unsigned status, json_t *j)
{
	/* Ten digits: a prompt's 3.2 seconds is 3.2, not the 17 digits
	 * of the double nearest to it. */
	char *text =
	    j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;

	json_decref(j);
	if (!text)
		return -ENOMEM;
	return respond(r, status, text, "application/json");
}

int web_error(struct web_req *r, unsigned status, const char *field,
	      const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *j;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	j = json_pack("{s:s}", "error", msg);
	if (!j) {
		/* The message quotes the request (a method, a name from the
		 * path), which need not be UTF-8; jansson refuses such a
		 * string, and the client would get a 500 instead. */
		for (char *p = msg; *p; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		j = json_pack("{s:s}", "error", msg);
	}
	if (j && field)
		json_object_set_new(j, "field", json_string(field));
	return web_json(r, status, j);
}

int web_errno(struct web_req *r, int err, const char *what)
{
	switch (err) {
	case -ENOENT:
		return web_error(r, 404, NULL, "no such %s", what);
	case -EEXIST:
		return web_error(r, 409, NULL, "that %s exists already", what);
	case -EINVAL:
		return web_error(r, 422, NULL, "invalid %s", what);
	default:
		LOGW("web", "%s %s: %s", r->method, r->url, strerror(-err));
		return web_error(r, 500, NULL, "the %s could not be changed: %s",
				 what, strerror(-err));
	}
}

int web_no_content(struct web_req *r)
{
	char *empty = strdup("");

	return empty ? respond(r, 204, empty, "text/plain") : -ENOMEM;
}

json_t *web_body_object(struct web_req *r)
{
	json_error_t e;
	json_t *j;

	if (!r->len) {
		web_error(r, 400, NULL, "a JSON object is required");
		return NULL;
	}
	j = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		web_error(r, 400, NULL, "malformed JSON at line %d: %s", e.line,
			  e.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		web_error(r, 400, NULL, "the body must be a JSON object");
		return NULL;
	}
	return j;
}

const char *web_want_string(struct web_req *r, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v)) {
		web_error(r, 422, key, "%s is required and must be a string",
			  key);
		return NULL;
	}
	return json_string_value(v);
}

const char *web_query(struct web_req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}
