/* api_timecond.c - a tenant's time conditions: where calls go when open
 * and when closed, the weekly rules, the holidays, and whether it is open
 * now (tc_choose, as calls decide). The rule and date texts are the ones
 * ondoctl takes ("mon-fri 08:00-17:30", "12-25"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_timecond.h"
#include "dialplan/dialplan.h"
#include "web/web_priv.h"

static json_t *tc_json(const struct db_timecond *tc)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", tc->name,
			 "open_type", tc->open_type, "open_dest", tc->open_dest,
			 "closed_type", tc->closed_type, "closed_dest",
			 tc->closed_dest);
}

static int tc_h(const struct db_timecond *tc, void *arg)
{
	json_array_append_new(arg, tc_json(tc));
	return 0;
}

int api_tc_list(struct web_req *r)
{
	json_t *rows = json_array();
	int err = db_timecond_list(r->db, r->tenant.id, tc_h, rows);

	if (err) {
		json_decref(rows);
		return web_errno(r, err, "time condition");
	}
	return web_json(r, 200, json_pack("{s:o}", "timeconds", rows));
}

static int copy(struct web_req *r, json_t *b, const char *key, char *out,
		size_t len)
{
	json_t *v = json_object_get(b, key);

	if (!json_is_string(v) || json_string_length(v) >= len)
		return web_error(r, 422, key,
				 "%s is required: a string of at most %zu "
				 "characters",
				 key, len - 1),
		       1;
	snprintf(out, len, "%s", json_string_value(v));
	return 0;
}

int api_tc_add(struct web_req *r)
{
	struct db_timecond tc = {.tenant_id = r->tenant.id};
	char why[200], field[16];
	int err;
	json_t *b = web_body_object(r);

	if (!b)
		return 0;
	if (copy(r, b, "name", tc.name, sizeof(tc.name)) ||
	    copy(r, b, "open_type", tc.open_type, sizeof(tc.open_type)) ||
	    copy(r, b, "open_dest", tc.open_dest, sizeof(tc.open_dest)) ||
	    copy(r, b, "closed_type", tc.closed_type, sizeof(tc.closed_type)) ||
	    copy(r, b, "closed_dest", tc.closed_dest, sizeof(tc.closed_dest)))
		goto out;
	err = db_timecond_check(r->db, &tc, why, sizeof(why));
	if (err == -EINVAL || err == -ENOENT) {
		/* "open: no extension 1009 ..." names its field first. */
		snprintf(field, sizeof(field), "%.*s", (int)strcspn(why, ":"), why);
		web_error(r, 422,
			  !strcmp(field, "open") ? "open_dest"
			  : !strcmp(field, "closed") ? "closed_dest"
						     : "name",
			  "%s", why);
		goto out;
	}
	if (!err)
		err = db_timecond_add(r->db, &tc, NULL);
	snprintf(r->audit_object, sizeof(r->audit_object), "timecond %s",
		 tc.name);
	if (err == -EEXIST)
		web_error(r, 409, "name", "a time condition named %s exists",
			  tc.name);
	else if (err)
		web_errno(r, err, "time condition");
	else
		web_json(r, 201, tc_json(&tc));
out:
	json_decref(b);
	return 0;
}

static int rule_h(const struct db_tc_rule *ru, void *arg)
{
	char text[DB_TC_RULE_TEXT_LEN];

	db_tc_rule_format(ru, text);
	json_array_append_new(arg, json_pack("{s:I, s:s}", "id",
					     (json_int_t)ru->id, "rule", text));
	return 0;
}

static int holiday_h(const struct db_tc_holiday *hd, void *arg)
{
	char date[DB_TC_DATE_LEN];

	db_tc_date_format(hd, date);
	json_array_append_new(arg, json_pack("{s:s, s:s}", "date", date,
					     "name", hd->name));
	return 0;
}

/* GET .../timeconds/{name}: the condition, its rules and holidays, and
 * whether it is open now. */
int api_tc_get(struct web_req *r)
{
	struct db_timecond tc;
	struct tc_choice ch;
	json_t *j, *rules = json_array(), *hols = json_array();
	int err = db_timecond_get(r->db, r->tenant.id, r->params[1], &tc);

	if (!err)
		err = db_tc_rule_list(r->db, tc.id, rule_h, rules);
	if (!err)
		err = db_tc_holiday_list(r->db, tc.id, holiday_h, hols);
	if (err) {
		json_decref(rules);
		json_decref(hols);
		return web_errno(r, err, "time condition");
	}
	j = tc_json(&tc);
	json_object_set_new(j, "rules", rules);
	json_object_set_new(j, "holidays", hols);
	if (tc_choose(r->db, &r->tenant, tc.name, time(NULL), NULL, &ch) == 0)
		json_object_set_new(j, "open_now", json_boolean(ch.open));
	return web_json(r, 200, j);
}

int api_tc_del(struct web_req *r)
{
	struct db_tc_ref ref;
	int err = db_timecond_del(r->db, r->tenant.id, r->params[1]);

	snprintf(r->audit_object, sizeof(r->audit_object), "timecond %s",
		 r->params[1]);
	if (err != -EBUSY)
		return err ? web_errno(r, err, "time condition")
			   : web_no_content(r);
	if (db_timecond_ref(r->db, r->tenant.id, r->params[1], &ref))
		return web_error(r, 409, NULL, "the time condition is in use");
	if (ref.route_id)
		return web_error(r, 409, NULL, "route %lld uses it",
				 (long long)ref.route_id);
	return web_error(r, 409, NULL, "DID %s goes to it", ref.did);
}

/* POST .../timeconds/{name}/rules {"rule": "mon-fri 08:00-17:30"} */
int api_tc_rule_add(struct web_req *r)
{
	struct db_timecond tc;
	struct db_tc_rule ru;
	char why[160];
	const char *text;
	json_t *b;
	int err = db_timecond_get(r->db, r->tenant.id, r->params[1], &tc);

	if (err)
		return web_errno(r, err, "time condition");
	if (!(b = web_body_object(r)))
		return 0;
	if (!(text = web_want_string(r, b, "rule")))
		goto out;
	if (db_tc_rule_parse(text, &ru, why, sizeof(why))) {
		web_error(r, 422, "rule", "%s", why);
		goto out;
	}
	err = db_tc_rule_add(r->db, tc.id, &ru, NULL);
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "timecond %s rule %s", tc.name, text);
	if (err == -ENOSPC)
		web_error(r, 409, "rule", "at most %d rules", DB_TC_RULES_MAX);
	else if (err)
		web_errno(r, err, "rule");
	else
		api_tc_get(r);
out:
	json_decref(b);
	return 0;
}

int api_tc_rule_del(struct web_req *r)
{
	struct db_timecond tc;
	char *end;
	long long id = strtoll(r->params[2], &end, 10);
	int err = db_timecond_get(r->db, r->tenant.id, r->params[1], &tc);

	if (err)
		return web_errno(r, err, "time condition");
	if (!*r->params[2] || *end || id <= 0)
		return web_error(r, 404, NULL, "no such rule");
	err = db_tc_rule_del(r->db, tc.id, id);
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "timecond %s rule %lld", tc.name, id);
	return err ? web_errno(r, err, "rule") : web_no_content(r);
}

/* POST .../timeconds/{name}/holidays {"date": "12-25", "name"?} */
int api_tc_holiday_add(struct web_req *r)
{
	struct db_tc_holiday hd = {0};
	struct db_timecond tc;
	json_t *b, *name;
	const char *date;
	int err = db_timecond_get(r->db, r->tenant.id, r->params[1], &tc);

	if (err)
		return web_errno(r, err, "time condition");
	if (!(b = web_body_object(r)))
		return 0;
	if (!(date = web_want_string(r, b, "date")))
		goto out;
	name = json_object_get(b, "name");
	if (db_tc_date_parse(date, &hd)) {
		web_error(r, 422, "date", "date: YYYY-MM-DD for one day, MM-DD "
					  "for every year");
		goto out;
	}
	if (name && (!json_is_string(name) ||
		     json_string_length(name) >= sizeof(hd.name) ||
		     !db_valid_name(json_string_value(name)))) {
		web_error(r, 422, "name", "name: at most 63 characters, no "
					  "quotes or control characters");
		goto out;
	}
	snprintf(hd.name, sizeof(hd.name), "%s",
		 name ? json_string_value(name) : "");
	err = db_tc_holiday_add(r->db, tc.id, &hd, NULL);
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "timecond %s holiday %s", tc.name, date);
	if (err == -EEXIST)
		web_error(r, 409, "date", "%s is a holiday already", date);
	else if (err)
		web_errno(r, err, "holiday");
	else
		api_tc_get(r);
out:
	json_decref(b);
	return 0;
}

int api_tc_holiday_del(struct web_req *r)
{
	struct db_tc_holiday hd = {0};
	struct db_timecond tc;
	int err = db_timecond_get(r->db, r->tenant.id, r->params[1], &tc);

	if (err)
		return web_errno(r, err, "time condition");
	if (db_tc_date_parse(r->params[2], &hd))
		return web_error(r, 404, NULL, "no such holiday");
	err = db_tc_holiday_del(r->db, tc.id, &hd);
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "timecond %s holiday %s", tc.name, r->params[2]);
	return err ? web_errno(r, err, "holiday") : web_no_content(r);
}
