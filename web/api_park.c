/* api_park.c - /api/v1/tenants/{domain}/park: the tenant's call park
 * settings (checked by db_park_set as ondoctl park set checks them), and
 * /parked: the calls waiting in its slots now (asked from the SIP
 * thread). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_park.h"
#include "sip/sip.h"
#include "web/web_priv.h"

static json_t *park_json(const struct db_park *p)
{
	char slots[32];

	db_park_slots_str(p, slots, sizeof(slots));
	return json_pack("{s:s, s:s, s:i, s:i, s:i}", "number", p->number,
			 "slots", slots, "first", p->first, "last", p->last,
			 "timeout", p->timeout);
}

int api_park_get(struct web_req *r)
{
	struct db_park p;
	int err = db_park_get(r->db, r->tenant.id, &p);

	if (err)
		return web_errno(r, err, "tenant");
	return web_json(r, 200, park_json(&p));
}

/* The body's members over p; 0, or 1 when answered (422 naming the
 * field). Members not given stay as they are. */
static int fill(struct web_req *r, json_t *b, struct db_park *p)
{
	json_t *v;

	if ((v = json_object_get(b, "number"))) {
		if (!json_is_string(v) ||
		    json_string_length(v) >= sizeof(p->number))
			return web_error(r, 422, "number",
					 "number: digits, or \"\" for none"),
			       1;
		snprintf(p->number, sizeof(p->number), "%s",
			 json_string_value(v));
	}
	if ((v = json_object_get(b, "slots")) &&
	    (!json_is_string(v) ||
	     db_park_parse_slots(json_string_value(v), &p->first, &p->last)))
		return web_error(r, 422, "slots",
				 "slots: \"FIRST-LAST\" such as \"71-79\", one "
				 "slot, or \"\" for none"),
		       1;
	if ((v = json_object_get(b, "timeout"))) {
		if (!json_is_integer(v) ||
		    json_integer_value(v) < DB_PARK_TIMEOUT_MIN ||
		    json_integer_value(v) > DB_PARK_TIMEOUT_MAX)
			return web_error(r, 422, "timeout",
					 "timeout: %d to %d seconds",
					 DB_PARK_TIMEOUT_MIN,
					 DB_PARK_TIMEOUT_MAX),
			       1;
		p->timeout = (int)json_integer_value(v);
	}
	return 0;
}

/* The field a db_park_check or clash message names: its first word. */
static const char *field_of(const char *why)
{
	if (!strncmp(why, "number:", 7))
		return "number";
	if (!strncmp(why, "slots:", 6))
		return "slots";
	if (!strncmp(why, "timeout:", 8))
		return "timeout";
	return NULL;
}

/* PUT .../park {"number", "slots", "timeout"}: any of them. */
int api_park_put(struct web_req *r)
{
	char why[160] = "";
	struct db_park p;
	json_t *b;
	int err = db_park_get(r->db, r->tenant.id, &p);

	if (err)
		return web_errno(r, err, "tenant");
	if (!(b = web_body_object(r)))
		return 0;
	snprintf(r->audit_object, sizeof(r->audit_object), "park settings");
	if (fill(r, b, &p)) {
		json_decref(b);
		return 0;
	}
	json_decref(b);
	err = db_park_set(r->db, &p, why, sizeof(why));
	if (err == -EINVAL)
		return web_error(r, 422, field_of(why), "%s", why);
	if (err == -EEXIST)
		return web_error(r, 409, field_of(why), "%s", why);
	if (err)
		return web_errno(r, err, "tenant");
	return web_json(r, 200, park_json(&p));
}

struct parked_text {
	char *buf;
	size_t len;
};

/* On the SIP thread: the parked calls as the control socket prints
 * them. */
static int parked_sync(struct sip *s, void *arg)
{
	struct parked_text *t = arg;
	FILE *f = open_memstream(&t->buf, &t->len);
	int err;

	if (!f)
		return -ENOMEM;
	err = sip_parked_print(s, f);
	fclose(f);
	return err;
}

/* "DOMAIN\tSLOT\tCALLER\tNAME\tPARKER\tSECONDS\tCALL-ID" lines of one
 * tenant into JSON ("-" is none). */
static json_t *parked_json(char *text, const char *domain)
{
	json_t *rows = json_array();
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[7], *s2 = NULL;
		int n = 0;
		for (char *p = strtok_r(line, "\t", &s2); p && n < 7;
		     p = strtok_r(NULL, "\t", &s2))
			f[n++] = p;
		if (n != 7 || strcmp(f[0], domain))
			continue;
		json_array_append_new(
		    rows, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "slot",
				    f[1], "caller", f[2], "caller_name",
				    strcmp(f[3], "-") ? f[3] : "", "parker",
				    strcmp(f[4], "-") ? f[4] : "", "seconds",
				    (json_int_t)strtoll(f[5], NULL, 10),
				    "call_id", f[6]));
	}
	return rows;
}

/* GET .../parked: the calls parked in the tenant's slots now. */
int api_parked_list(struct web_req *r)
{
	struct parked_text t = {0};
	int err;

	if (!r->w->sip)
		return web_error(r, 503, NULL, "no SIP side in this process");
	err = sip_sync(r->w->sip, parked_sync, &t);
	if (err) {
		free(t.buf);
		return web_error(r, 503, NULL, "parked calls unavailable: %s",
				 strerror(-err));
	}
	err = web_json(r, 200,
		       json_pack("{s:o}", "parked",
				 parked_json(t.buf ? t.buf : (char[]){0},
					     r->tenant.domain)));
	free(t.buf);
	return err;
}
