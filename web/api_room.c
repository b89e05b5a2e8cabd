/* api_room.c - /api/v1/tenants/{domain}/rooms and /room-recordings:
 * conference rooms (checked by db_room_check, as ondoctl conf add|set
 * checks them), the people in a room now (pbx/room: members, mute, kick,
 * lock, as ondoctl conf members|mute|kick|lock), and the recordings of
 * rooms' mixes. The live registry takes its own lock briefly, so these
 * run on the HTTP thread without sip_sync. PINs are given back: admins
 * read them out to the people they invite (migration 0013). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "core/log.h"
#include "db_room.h"
#include "db_ringgroup.h"
#include "room/room.h"
#include "sip/sip.h"
#include "db_park.h"
#include "web/web_priv.h"

/* The live rooms, or NULL (a test server without the SIP side). */
static struct rooms *live(struct web_req *r)
{
	return r->w->sip ? sip_rooms(r->w->sip) : NULL;
}

/* A room and, when people are in it, its live state (ri NULL: nobody). */
static json_t *room_json(const struct db_room *rm, const struct room_info *ri)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:b, s:i, s:b, "
			 "s:b, s:I}",
			 "number", rm->number, "name", rm->name, "pin", rm->pin,
			 "mod_pin", rm->mod_pin, "max_members", rm->max_members,
			 "wait_moderator", rm->wait_moderator, "announce_count",
			 rm->announce_count, "record", rm->record, "members",
			 ri ? ri->members : 0, "locked", ri && ri->locked,
			 "recording", ri && ri->recording, "opened",
			 (json_int_t)(ri ? ri->opened : 0));
}

/* The tenant's open rooms, copied out of the registry. */
struct live_set {
	struct room_info *v;
	int n, cap;
};

static int live_h(const struct room_info *ri, void *arg)
{
	struct live_set *s = arg;

	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		struct room_info *nv = realloc(s->v, sizeof(*nv) * (size_t)cap);
		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = *ri;
	return 0;
}

static const struct room_info *live_find(const struct live_set *s,
					 const char *number)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].number, number))
			return &s->v[i];
	return NULL;
}

struct list_arg {
	json_t *rows;
	const struct live_set *open;
};

static int room_h(const struct db_room *rm, void *arg)
{
	struct list_arg *a = arg;

	json_array_append_new(a->rows,
			      room_json(rm, live_find(a->open, rm->number)));
	return 0;
}

/* GET .../rooms: every room with how many are in it now and its lock. */
int api_room_list(struct web_req *r)
{
	struct live_set open = {0};
	struct list_arg a = {json_array(), &open};
	struct rooms *rs = live(r);
	int err = rs ? rooms_list(rs, r->tenant.domain, live_h, &open) : 0;

	if (!err)
		err = db_room_list(r->db, r->tenant.id, room_h, &a);
	free(open.v);
	if (err) {
		json_decref(a.rows);
		return web_errno(r, err, "room");
	}
	return web_json(r, 200, json_pack("{s:o}", "rooms", a.rows));
}

/* A JSON flag: true/false, or 0/1 as ondoctl's --record 1 takes it. */
static int flag(struct web_req *r, const char *k, json_t *v, int *out)
{
	if (json_is_boolean(v))
		*out = json_is_true(v);
	else if (json_is_integer(v) &&
		 (json_integer_value(v) == 0 || json_integer_value(v) == 1))
		*out = (int)json_integer_value(v);
	else
		return web_error(r, 422, k, "%s: true or false", k), 1;
	return 0;
}

static int text(struct web_req *r, const char *k, json_t *v, char *out,
		size_t len, const char *rule)
{
	if (!json_is_string(v) || json_string_length(v) >= len)
		return web_error(r, 422, k, "%s", rule), 1;
	snprintf(out, len, "%s", json_string_value(v));
	return 0;
}

/* The body's fields onto rm, then the whole room checked as ondoctl
 * checks it; the number only when adding. 0, or 1 when answered. */
static int fill(struct web_req *r, json_t *b, struct db_room *rm, bool adding)
{
	char why[160];
	const char *k;
	json_t *v;
	int bad = 0;

	json_object_foreach(b, k, v)
	{
		if (!strcmp(k, "number")) {
			if (adding)
				bad = text(r, k, v, rm->number,
					   sizeof(rm->number),
					   "number: 1 to 31 digits");
			else if (!json_is_string(v) ||
				 strcmp(json_string_value(v), rm->number))
				bad = (web_error(r, 422, k,
						 "a room's number is never "
						 "changed: add a new room"),
				       1);
		} else if (!strcmp(k, "name")) {
			bad = text(r, k, v, rm->name, sizeof(rm->name),
				   "name: at most 127 characters, no quotes "
				   "or backslashes");
		} else if (!strcmp(k, "pin")) {
			bad = text(r, k, v, rm->pin, sizeof(rm->pin),
				   "pin: up to 12 digits, as a string");
		} else if (!strcmp(k, "mod_pin")) {
			bad = text(r, k, v, rm->mod_pin, sizeof(rm->mod_pin),
				   "mod_pin: up to 12 digits, as a string");
		} else if (!strcmp(k, "max_members")) {
			if (!json_is_integer(v) || json_integer_value(v) < 2 ||
			    json_integer_value(v) > DB_ROOM_MAX_MEMBERS)
				bad = (web_error(r, 422, k,
						 "max_members: 2 to %d",
						 DB_ROOM_MAX_MEMBERS),
				       1);
			else
				rm->max_members = (int)json_integer_value(v);
		} else if (!strcmp(k, "wait_moderator")) {
			bad = flag(r, k, v, &rm->wait_moderator);
		} else if (!strcmp(k, "announce_count")) {
			bad = flag(r, k, v, &rm->announce_count);
		} else if (!strcmp(k, "record")) {
			bad = flag(r, k, v, &rm->record);
		} else {
			bad = (web_error(r, 422, k, "unknown field %s", k), 1);
		}
		if (bad)
			return 1;
	}
	if (adding && !json_object_get(b, "number"))
		return web_error(r, 422, "number", "number is required"), 1;
	if (db_room_check(rm, why, sizeof(why))) {
		/* "mod_pin: must differ from pin" names its field first. */
		char field[32];
		snprintf(field, sizeof(field), "%.*s", (int)strcspn(why, ":"),
			 why);
		return web_error(r, 422, field, "%s", why), 1;
	}
	return 0;
}

int api_room_add(struct web_req *r)
{
	struct db_room rm;
	struct db_ext e;
	struct db_rg g;
	json_t *b = web_body_object(r);
	int err;

	if (!b)
		return 0;
	db_room_defaults(&rm);
	rm.tenant_id = r->tenant.id;
	if (fill(r, b, &rm, true))
		goto out;
	err = db_room_add(r->db, &rm, NULL);
	snprintf(r->audit_object, sizeof(r->audit_object), "room %s",
		 rm.number);
	if (err == -EEXIST && !db_ext_get(r->db, r->tenant.id, rm.number, &e))
		web_error(r, 409, "number",
			  "%s is an extension: a room needs a number of its "
			  "own",
			  rm.number);
	else if (err == -EEXIST && !db_rg_get(r->db, r->tenant.id, rm.number,
					      &g))
		web_error(r, 409, "number",
			  "%s is a ring group: a room needs a number of its "
			  "own",
			  rm.number);
	else if (err == -EEXIST &&
		 db_park_takes(r->db, r->tenant.id, rm.number))
		web_error(r, 409, "number",
			  "%s is the park number or a park slot", rm.number);
	else if (err == -EEXIST)
		web_error(r, 409, "number", "room %s exists already",
			  rm.number);
	else if (err)
		web_errno(r, err, "room");
	else
		web_json(r, 201, room_json(&rm, NULL));
out:
	json_decref(b);
	return 0;
}

/* The room of the path; 0, or 1 when answered (404). */
static int get_room(struct web_req *r, struct db_room *rm)
{
	int err = db_room_get(r->db, r->tenant.id, r->params[1], rm);

	if (err == -EINVAL || err == -ENOENT)
		return web_error(r, 404, NULL, "no such room"), 1;
	if (err)
		return web_errno(r, err, "room"), 1;
	return 0;
}

static json_t *room_now(struct web_req *r, const struct db_room *rm)
{
	struct room_info ri;
	struct rooms *rs = live(r);
	bool open = rs && !rooms_members(rs, r->tenant.domain, rm->number, &ri,
					 NULL, NULL);

	return room_json(rm, open ? &ri : NULL);
}

int api_room_get(struct web_req *r)
{
	struct db_room rm;

	if (get_room(r, &rm))
		return 0;
	return web_json(r, 200, room_now(r, &rm));
}

/* PATCH .../rooms/{number}: any field but the number; people already in
 * keep the settings they entered with (as after ondoctl conf set). */
int api_room_patch(struct web_req *r)
{
	struct db_room rm;
	json_t *b;
	int err;

	if (get_room(r, &rm))
		return 0;
	if (!(b = web_body_object(r)))
		return 0;
	if (!fill(r, b, &rm, false)) {
		err = db_room_update(r->db, &rm);
		snprintf(r->audit_object, sizeof(r->audit_object), "room %s",
			 rm.number);
		if (err)
			web_errno(r, err, "room");
		else
			web_json(r, 200, room_now(r, &rm));
	}
	json_decref(b);
	return 0;
}

/* DELETE .../rooms/{number}: as ondoctl conf del, people in it stay until
 * they leave; nobody new gets in. Its recordings stay listed. */
int api_room_del(struct web_req *r)
{
	int err = db_valid_number(r->params[1])
		      ? db_room_del(r->db, r->tenant.id, r->params[1])
		      : -ENOENT;

	snprintf(r->audit_object, sizeof(r->audit_object), "room %s",
		 r->params[1]);
	return err ? web_errno(r, err, "room") : web_no_content(r);
}

/* ---- the people in a room now ------------------------------------------- */

/* The live registry and the room of the path, which is in the database
 * or still open after it was deleted (its people can still be muted and
 * removed). 0, or 1 when answered. */
static int live_room(struct web_req *r, struct rooms **rsp)
{
	struct db_room rm;
	struct rooms *rs = live(r);
	int err;

	if (!rs)
		return web_error(r, 503, NULL, "no live rooms in this process"),
		       1;
	err = db_room_get(r->db, r->tenant.id, r->params[1], &rm);
	if (err == -ENOENT && !rooms_members(rs, r->tenant.domain, r->params[1],
					     NULL, NULL, NULL))
		err = 0;
	if (err == -EINVAL || err == -ENOENT)
		return web_error(r, 404, NULL, "no such room"), 1;
	if (err)
		return web_errno(r, err, "room"), 1;
	*rsp = rs;
	return 0;
}

static int member_h(const struct room_member_info *mi, void *arg)
{
	json_array_append_new(
	    arg,
	    json_pack("{s:i, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:I}", "id",
		      mi->id, "caller", mi->caller, "name", mi->name, "call_id",
		      mi->call_id, "moderator", mi->moderator, "muted",
		      mi->muted, "speaking", mi->speaking, "waiting", mi->held,
		      "joined", (json_int_t)mi->joined));
	return 0;
}

/* GET .../rooms/{number}/members: who is in, in the order they came; an
 * empty room is {"open": false, "members": []}. */
int api_room_members(struct web_req *r)
{
	struct room_info ri = {0};
	struct rooms *rs;
	json_t *rows;
	int err;

	if (live_room(r, &rs))
		return 0;
	rows = json_array();
	err = rooms_members(rs, r->tenant.domain, r->params[1], &ri, member_h,
			    rows);
	if (err && err != -ENOENT) {
		json_decref(rows);
		return web_errno(r, err, "room");
	}
	return web_json(r, 200,
			json_pack("{s:b, s:b, s:b, s:I, s:o}", "open", !err,
				  "locked", !err && ri.locked, "recording",
				  !err && ri.recording, "opened",
				  (json_int_t)(err ? 0 : ri.opened), "members",
				  rows));
}

struct who {
	int id;
	char caller[DB_NUMBER_LEN];
};

static int who_h(const struct room_member_info *mi, void *arg)
{
	struct who *w = arg;

	if (mi->id == w->id)
		snprintf(w->caller, sizeof(w->caller), "%s", mi->caller);
	return 0;
}

/* {id} of the path and, for the audit log, who that is. 0, or 1 when
 * answered (404). */
static int member_of(struct web_req *r, struct rooms *rs, struct who *w)
{
	const char *s = r->params[2];
	char *end;
	long id = strtol(s, &end, 10);

	memset(w, 0, sizeof(*w));
	if (*s < '1' || *s > '9' || *end || id > INT_MAX)
		return web_error(r, 404, NULL, "no such member"), 1;
	w->id = (int)id;
	(void)rooms_members(rs, r->tenant.domain, r->params[1], NULL, who_h, w);
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "room %s member %d (%s)", r->params[1], w->id,
		 w->caller[0] ? w->caller : "?");
	return 0;
}

static int member_gone(struct web_req *r, int id)
{
	return web_error(r, 404, NULL, "no member %d in room %s", id,
			 r->params[1]);
}

static int mute(struct web_req *r, int muted)
{
	struct rooms *rs;
	struct who w;
	int err;

	if (live_room(r, &rs) || member_of(r, rs, &w))
		return 0;
	err = rooms_mute(rs, r->tenant.domain, r->params[1], w.id, muted);
	if (err == -ENOENT)
		return member_gone(r, w.id);
	return err ? web_errno(r, err, "member") : web_no_content(r);
}

/* POST .../rooms/{number}/members/{id}/mute and .../unmute */
int api_room_mute(struct web_req *r)
{
	return mute(r, 1);
}

int api_room_unmute(struct web_req *r)
{
	return mute(r, 0);
}

/* DELETE .../rooms/{number}/members/{id}: the member hears "you have been
 * removed" and its call ends; nobody hears it from now on. */
int api_room_kick(struct web_req *r)
{
	struct rooms *rs;
	struct who w;
	int err;

	if (live_room(r, &rs) || member_of(r, rs, &w))
		return 0;
	err = rooms_kick(rs, r->tenant.domain, r->params[1], w.id);
	if (err == -ENOENT)
		return member_gone(r, w.id);
	return err ? web_errno(r, err, "member") : web_no_content(r);
}

/* A lock lasts while the room is open: an empty room has none to set. */
static int lock(struct web_req *r, int locked)
{
	struct rooms *rs;
	int err;

	if (live_room(r, &rs))
		return 0;
	err = rooms_lock(rs, r->tenant.domain, r->params[1], locked);
	snprintf(r->audit_object, sizeof(r->audit_object), "room %s",
		 r->params[1]);
	if (err == -ENOENT)
		return web_error(r, 409, NULL,
				 "nobody is in room %s: a room is locked only "
				 "while people are in it",
				 r->params[1]);
	return err ? web_errno(r, err, "room") : web_no_content(r);
}

/* POST .../rooms/{number}/lock and .../unlock: moderators still get in. */
int api_room_lock(struct web_req *r)
{
	return lock(r, 1);
}

int api_room_unlock(struct web_req *r)
{
	return lock(r, 0);
}

/* ---- recordings --------------------------------------------------------- */

/* The file of a recording under the spool; -ENOENT for a stored name that
 * could climb out of it (the daemon never makes one). */
static int rec_file(struct web_req *r, const struct db_room_rec *rec,
		    char *path, size_t len)
{
	if (!rec->path[0] || rec->path[0] == '/' || strstr(rec->path, ".."))
		return -ENOENT;
	if (snprintf(path, len, "%s/%s", r->w->conf->spool_dir, rec->path) >=
	    (int)len)
		return -ENOENT;
	return 0;
}

struct rec_arg {
	struct web_req *r;
	json_t *rows;
};

static int rec_h(const struct db_room_rec *rec, void *arg)
{
	struct rec_arg *a = arg;
	char path[PATH_MAX];
	bool missing =
	    rec_file(a->r, rec, path, sizeof(path)) || access(path, R_OK);

	json_array_append_new(
	    a->rows,
	    json_pack("{s:I, s:s, s:I, s:i, s:b}", "id", (json_int_t)rec->id,
		      "room", rec->room, "started", (json_int_t)rec->started,
		      "duration_s", rec->duration_s, "missing", missing));
	return 0;
}

/* GET .../room-recordings[?room=N]: newest first. */
int api_room_rec_list(struct web_req *r)
{
	const char *room = web_query(r, "room");
	struct rec_arg a = {r, NULL};
	int err;

	if (room && *room && !db_valid_number(room))
		return web_error(r, 422, "room", "room: 1 to 31 digits");
	a.rows = json_array();
	err = db_room_rec_list(r->db, r->tenant.id, room, rec_h, &a);
	if (err) {
		json_decref(a.rows);
		return web_errno(r, err, "recording");
	}
	return web_json(r, 200, json_pack("{s:o}", "recordings", a.rows));
}

/* {id} of the path and its row; 0, or 1 when answered (404). */
static int rec_of(struct web_req *r, struct db_room_rec *rec)
{
	const char *s = r->params[1];
	char *end;
	long long id = strtoll(s, &end, 10);

	if (*s < '1' || *s > '9' || *end ||
	    db_room_rec_get(r->db, r->tenant.id, id, rec))
		return web_error(r, 404, NULL, "no such recording"), 1;
	return 0;
}

/* GET .../room-recordings/{id}/audio: the WAV, for an <audio> element;
 * 410 when its file is gone. */
int api_room_rec_audio(struct web_req *r)
{
	char path[PATH_MAX];
	struct MHD_Response *resp;
	struct db_room_rec rec;
	struct stat st;
	int fd;

	if (rec_of(r, &rec))
		return 0;
	if (rec_file(r, &rec, path, sizeof(path)))
		return web_error(r, 404, NULL, "no such recording");
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return web_error(r, 410, NULL,
				 "the recording's file is missing");
	if (fstat(fd, &st) ||
	    !(resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd))) {
		close(fd);
		return -ENOMEM;
	}
	MHD_add_response_header(resp, "Content-Type", "audio/wav");
	MHD_add_response_header(resp, "Cache-Control", "private, no-store");
	r->resp = resp;
	r->status = 200;
	return 0;
}

/* DELETE .../room-recordings/{id}: the row, then the file. A file that
 * cannot be removed is logged and left (no longer listed). */
int api_room_rec_del(struct web_req *r)
{
	char path[PATH_MAX];
	struct db_room_rec rec;
	int err;

	if (rec_of(r, &rec))
		return 0;
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "room recording %lld (room %s)", (long long)rec.id, rec.room);
	if ((err = db_room_rec_del(r->db, r->tenant.id, rec.id)))
		return web_errno(r, err, "recording");
	if (!rec_file(r, &rec, path, sizeof(path)) && unlink(path) &&
	    errno != ENOENT)
		LOGW("web", "room recording %s not removed: %s", path,
		     strerror(errno));
	return web_no_content(r);
}
