/* api_prompt.c - a tenant's own prompts from the browser: listed, played,
 * uploaded (any sound file, converted as `ondoctl prompt upload` converts
 * it, by pbx/prompt/) and deleted. The prompt `moh` is the music on hold. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "core/log.h"
#include "prompt/prompt.h"
#include "web/web_priv.h"

static const char *spool(struct web_req *r)
{
	return r->w->conf->spool_dir;
}

/* {"id","seconds","bytes","uploaded"}; seconds in tenths, null for a
 * file that does not read as audio (callers hear the stock prompt). */
static json_t *prompt_json(const struct prompt_info *p)
{
	json_t *secs = p->seconds < 0 ? json_null()
				      : json_real(round(p->seconds * 10) / 10);

	return json_pack("{s:s, s:o, s:I, s:I}", "id", p->id, "seconds", secs,
			 "bytes", (json_int_t)p->bytes, "uploaded",
			 (json_int_t)p->uploaded);
}

static int list_h(const struct prompt_info *p, void *arg)
{
	json_t *j = prompt_json(p);

	if (!j || json_array_append_new(arg, j))
		return -ENOMEM;
	return 0;
}

/* GET /api/v1/tenants/{t}/prompts, by id. */
int api_prompt_list(struct web_req *r)
{
	json_t *rows = json_array();
	int err = rows ? prompt_list(spool(r), r->tenant.domain, list_h, rows)
		       : -ENOMEM;

	if (err) {
		json_decref(rows);
		return web_errno(r, err, "prompt folder");
	}
	return web_json(r, 200, json_pack("{s:o}", "prompts", rows));
}

/* GET .../prompts/{id}: the stored WAV, streamed from the file. An id
 * that cannot be a prompt's is no such prompt, as one never uploaded. */
int api_prompt_audio(struct web_req *r)
{
	char path[PATH_MAX];
	struct MHD_Response *resp;
	struct stat st;
	int fd;

	if (prompt_path(path, sizeof(path), spool(r), r->tenant.domain,
			r->params[1]) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return web_error(r, 404, NULL, "no such prompt");
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return web_error(r, 404, NULL, "no such prompt");
	}
	/* MHD owns fd from here and closes it with the response. */
	resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!resp) {
		close(fd);
		return -ENOMEM;
	}
	MHD_add_response_header(resp, "Content-Type", "audio/wav");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	r->resp = resp;
	r->status = 200;
	return 0;
}

/* The answer to prompt_import_mem's error `err` with its sentence `why`. */
static int import_error(struct web_req *r, int err, const char *why)
{
	switch (err) {
	case -EINVAL:	/* not audio */
	case -ENODATA:	/* empty, or no sound in it */
	case -ENOTSUP:	/* more than two channels, an odd rate */
	case -EMSGSIZE: /* longer than 10 minutes */
		return web_error(r, 422, "file", "%s", why);
	case -ENOSPC:
	case -EDQUOT:
		return web_error(r, 507, NULL, "the disk is full");
	default:
		LOGW("web", "prompt upload for %s: %s", r->tenant.domain, why);
		return web_error(r, 500, NULL,
				 "the prompt could not be stored");
	}
}

/* PUT .../prompts/{id} with the sound file as the body: 201 with the
 * prompt when new, 200 when it replaced one. */
int api_prompt_put(struct web_req *r)
{
	const char *id = r->params[1];
	struct prompt_info info;
	char why[PATH_MAX + 256];
	bool replaced = false;
	int err;

	if (!db_valid_prompt(id))
		return web_error(r, 422, "id", "id: %s", PROMPT_ID_RULE);
	err = prompt_import_mem(spool(r), r->tenant.domain, id, r->body, r->len,
				NULL, &replaced, why, sizeof(why));
	if (err)
		return import_error(r, err, why);
	snprintf(r->audit_object, sizeof(r->audit_object), "prompt %s", id);
	err = prompt_stat(spool(r), r->tenant.domain, id, &info);
	if (err)
		return web_errno(r, err, "prompt");
	return web_json(r, replaced ? 200 : 201, prompt_json(&info));
}

/* DELETE .../prompts/{id}: callers hear the stock prompt again. */
int api_prompt_del(struct web_req *r)
{
	int err = prompt_delete(spool(r), r->tenant.domain, r->params[1]);

	snprintf(r->audit_object, sizeof(r->audit_object), "prompt %s",
		 r->params[1]);
	if (err == -ENOENT || err == -EINVAL)
		return web_error(r, 404, NULL, "no such prompt");
	return err ? web_errno(r, err, "prompt") : web_no_content(r);
}
