/* api_greet.c - a mailbox's greetings and settings from the browser:
 * greetings uploaded as WAV files (checked as sound, at least a second,
 * put in place only once whole), the PIN, email and quota. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "vm/vm_store.h"
#include "web/web_priv.h"

static const char *spool(struct web_req *r)
{
	return r->w->conf->spool_dir;
}

int api_greet_list(struct web_req *r)
{
	json_t *j = json_object();

	for (int g = VM_GREET_UNAVAIL; g <= VM_GREET_NAME; g++)
		json_object_set_new(
		    j, vm_greeting_name(g),
		    json_boolean(vm_greeting_exists(spool(r), r->tenant.domain,
						    r->params[1], g)));
	return web_json(r, 200, json_pack("{s:o}", "greetings", j));
}

static int kind_of(struct web_req *r, enum vm_greeting *g)
{
	int k = vm_greeting_parse(r->params[2]);

	if (k < 0)
		return web_error(r, 404, NULL,
				 "no such greeting (unavail, busy, temp, "
				 "name)"),
		       1;
	*g = (enum vm_greeting)k;
	return 0;
}

int api_greet_audio(struct web_req *r)
{
	char path[PATH_MAX];
	struct MHD_Response *resp;
	enum vm_greeting g;
	struct stat st;
	int fd;

	if (kind_of(r, &g))
		return 0;
	if (vm_greeting_path(path, sizeof(path), spool(r), r->tenant.domain,
			     r->params[1], g) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return web_error(r, 404, NULL, "no such greeting recorded");
	if (fstat(fd, &st) ||
	    !(resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd))) {
		close(fd);
		return -ENOMEM;
	}
	MHD_add_response_header(resp, "Content-Type", "audio/wav");
	r->resp = resp;
	r->status = 200;
	return 0;
}

/* RIFF....WAVE: the upload says what it is before libsndfile reads it. */
static bool looks_wav(const char *b, size_t n)
{
	return n >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WAVE", 4);
}

static int write_all(const char *path, const char *b, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	int err = 0;

	if (fd < 0)
		return -errno;
	while (n && !err) {
		ssize_t w = write(fd, b, n);
		if (w < 0)
			err = -errno;
		else
			b += w, n -= (size_t)w;
	}
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (err)
		unlink(path);
	return err;
}

/* PUT .../greetings/{kind} with the WAV as the body. */
int api_greet_put(struct web_req *r)
{
	char rec[PATH_MAX];
	enum vm_greeting g;
	int err;

	if (kind_of(r, &g))
		return 0;
	if (!looks_wav(r->body, r->len))
		return web_error(r, 422, "file",
				 "the upload is not a WAV file (RIFF/WAVE)");
	err = vm_greeting_rec_path(rec, sizeof(rec), spool(r),
				   r->tenant.domain, r->params[1], g);
	if (!err)
		err = write_all(rec, r->body, r->len);
	if (err == -ENOSPC)
		return web_error(r, 507, NULL, "the disk is full");
	if (err)
		return web_errno(r, err, "greeting");
	err = vm_greeting_install(rec, spool(r), r->tenant.domain,
				  r->params[1], g);
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "greeting %s of %s", vm_greeting_name(g), r->params[1]);
	if (err == -ENODATA)
		return web_error(r, 422, "file",
				 "the recording is shorter than a second");
	if (err == -EINVAL)
		return web_error(r, 422, "file",
				 "the WAV file cannot be read as sound");
	if (err)
		return web_errno(r, err, "greeting");
	return api_greet_list(r);
}

int api_greet_del(struct web_req *r)
{
	enum vm_greeting g;
	int err;

	if (kind_of(r, &g))
		return 0;
	err = vm_greeting_delete(spool(r), r->tenant.domain, r->params[1], g);
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "greeting %s of %s", vm_greeting_name(g), r->params[1]);
	if (err == -ENOENT)
		return web_error(r, 404, NULL, "no such greeting recorded");
	return err ? web_errno(r, err, "greeting") : web_no_content(r);
}

/* ---- mailbox settings ---- */

static int get_int(json_t *b, const char *key, int *out)
{
	json_t *v = json_object_get(b, key);

	if (!v)
		return 0;
	if (!json_is_integer(v))
		return -1;
	*out = (int)json_integer_value(v);
	return 1;
}

static int box_admin_fields(struct web_req *r, json_t *b)
{
	json_t *en = json_object_get(b, "enabled");
	int msgs = -1, mins = -1, a, c, err = 0;

	if (en && !json_is_boolean(en))
		return web_error(r, 422, "enabled", "enabled: true or false"), 1;
	a = get_int(b, "max_messages", &msgs);
	c = get_int(b, "max_minutes", &mins);
	if (a < 0 || (a && (msgs < VM_MAX_MESSAGES_MIN ||
			    msgs > VM_MAX_MESSAGES_MAX)))
		return web_error(r, 422, "max_messages", "max_messages: %d to %d",
				 VM_MAX_MESSAGES_MIN, VM_MAX_MESSAGES_MAX),
		       1;
	if (c < 0 ||
	    (c && (mins < VM_MAX_MINUTES_MIN || mins > VM_MAX_MINUTES_MAX)))
		return web_error(r, 422, "max_minutes", "max_minutes: %d to %d",
				 VM_MAX_MINUTES_MIN, VM_MAX_MINUTES_MAX),
		       1;
	if (en)
		err = vm_box_set_enabled(r->db, r->tenant.id, r->params[1],
					 json_is_true(en));
	if (!err && (a || c))
		err = vm_box_set_quota(r->db, r->tenant.id, r->params[1], msgs,
				       mins);
	return err ? web_errno(r, err, "mailbox"), 1 : 0;
}

static int box_user_fields(struct web_req *r, json_t *b)
{
	json_t *pin = json_object_get(b, "pin"), *email = json_object_get(b, "email"),
	       *att = json_object_get(b, "attach");
	char why[160];
	int err = 0;

	if ((pin && !json_is_string(pin)) || (email && !json_is_string(email)) ||
	    (att && !json_is_boolean(att)))
		return web_error(r, 422, pin && !json_is_string(pin) ? "pin"
					 : att && !json_is_boolean(att)
					     ? "attach"
					     : "email",
				 "pin and email are strings, attach true or "
				 "false"),
		       1;
	if (email && json_string_length(email) &&
	    !vm_valid_email(json_string_value(email)))
		return web_error(r, 422, "email", "email: name@domain, or \"\""),
		       1;
	if (pin) {
		err = vm_box_set_pin(r->db, r->tenant.id, r->params[1],
				     json_string_value(pin), why, sizeof(why));
		if (err == -EINVAL)
			return web_error(r, 422, "pin", "%s", why), 1;
	}
	if (!err && (email || att))
		err = vm_box_set_email(r->db, r->tenant.id, r->params[1],
				       email ? json_string_value(email) : NULL,
				       att ? json_is_true(att) : -1);
	return err ? web_errno(r, err, "mailbox"), 1 : 0;
}

/* PATCH .../mailbox {pin?, email?, attach?} and, for an admin,
 * {enabled?, max_messages?, max_minutes?}. */
int api_box_patch(struct web_req *r)
{
	static const char *const user_keys[] = {"pin", "email", "attach"};
	static const char *const admin_keys[] = {"enabled", "max_messages",
						 "max_minutes"};
	json_t *b = web_body_object(r), *v;
	bool admin = r->who.role != DB_WEB_USER;
	const char *k;

	if (!b)
		return 0;
	json_object_foreach(b, k, v)
	{
		bool known = false;
		for (int i = 0; i < 3; i++)
			known |= !strcmp(k, user_keys[i]) ||
				 (admin && !strcmp(k, admin_keys[i]));
		if (!known) {
			web_error(r, admin ? 422 : 403, k,
				  admin ? "unknown field %s"
					: "an extension user may not set %s",
				  k);
			goto out;
		}
	}
	snprintf(r->audit_object, sizeof(r->audit_object), "mailbox %s",
		 r->params[1]);
	if ((admin && box_admin_fields(r, b)) || box_user_fields(r, b))
		goto out;
	api_ext_get(r);
out:
	json_decref(b);
	return 0;
}
