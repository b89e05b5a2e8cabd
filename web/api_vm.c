/* api_vm.c - a mailbox in the browser: list, play (the WAV streamed),
 * mark heard, delete. The lamps follow each change (through the SIP
 * thread, as for the mailbox menu). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "sip/sip.h"
#include "vm/vm_store.h"
#include "web/web_priv.h"

static int msg_h(const struct db_vm_msg *m, void *arg)
{
	json_array_append_new(
	    arg, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:b}", "id",
			   (json_int_t)m->id, "folder", m->folder, "caller",
			   m->caller, "caller_name", m->caller_name,
			   "received_at", (json_int_t)m->received_at,
			   "duration_ms", (json_int_t)m->duration_ms,
			   "missing", m->missing));
	return 0;
}

int api_vm_list(struct web_req *r)
{
	const char *folder = web_query(r, "folder");
	json_t *rows = json_array();
	int err;

	if (folder && strcmp(folder, "new") && strcmp(folder, "saved")) {
		json_decref(rows);
		return web_error(r, 422, "folder", "folder: new or saved");
	}
	err = vm_msg_list(r->db, r->tenant.id, r->params[1], folder, msg_h,
			  rows);
	if (err) {
		json_decref(rows);
		return web_errno(r, err, "mailbox");
	}
	return web_json(r, 200, json_pack("{s:o}", "messages", rows));
}

static int box_sum_h(const struct db_vm_box_sum *b, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:i, s:i}",
					     "extension", b->number, "name",
					     b->name, "new", b->new_msgs,
					     "saved", b->saved_msgs));
	return 0;
}

/* GET /api/v1/tenants/{t}/voicemail: the boxes that hold messages. */
int api_vm_tenant(struct web_req *r)
{
	json_t *rows = json_array();
	int err = db_vm_tenant_boxes(r->db, r->tenant.id, box_sum_h, rows);

	if (err) {
		json_decref(rows);
		return web_errno(r, err, "mailbox");
	}
	return web_json(r, 200, json_pack("{s:o}", "boxes", rows));
}

/* {id}: digits only, else no such message. */
static int msg_id(struct web_req *r, int64_t *id)
{
	char *end;
	long long v = strtoll(r->params[2], &end, 10);

	if (!*r->params[2] || *end || v <= 0)
		return web_error(r, 404, NULL, "no such message"), 1;
	*id = v;
	return 0;
}

int api_vm_audio(struct web_req *r)
{
	char path[PATH_MAX];
	struct MHD_Response *resp;
	struct stat st;
	int64_t id;
	int fd, err;

	if (msg_id(r, &id))
		return 0;
	err = vm_msg_file(r->db, r->w->conf->spool_dir, r->tenant.id,
			  r->params[1], id, path, sizeof(path));
	if (err == -ENODATA)
		return web_error(r, 410, NULL, "the message's file is missing");
	if (err)
		return web_errno(r, err, "message");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return web_error(r, 410, NULL, "the message's file is missing");
	}
	resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!resp) {
		close(fd);
		return -ENOMEM;
	}
	MHD_add_response_header(resp, "Content-Type", "audio/wav");
	MHD_add_response_header(resp, "Cache-Control", "private, no-store");
	r->resp = resp;
	r->status = 200;
	return 0;
}

struct mwi_arg {
	const char *domain, *ext;
};

static int mwi_sync(struct sip *s, void *arg)
{
	struct mwi_arg *a = arg;
	FILE *null = fopen("/dev/null", "w");
	int err;

	if (!null)
		return -errno;
	err = sip_mwi_refresh(s, a->domain, a->ext, null);
	fclose(null);
	return err;
}

static void lamps(struct web_req *r)
{
	struct mwi_arg a = {r->tenant.domain, r->params[1]};

	if (r->w->sip)
		sip_sync(r->w->sip, mwi_sync, &a);
}

int api_vm_heard(struct web_req *r)
{
	int64_t id;
	int err;

	if (msg_id(r, &id))
		return 0;
	err = vm_msg_mark_heard(r->db, r->w->conf->spool_dir, r->tenant.id,
				r->params[1], id);
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "voicemail %s/%lld heard", r->params[1], (long long)id);
	if (err)
		return web_errno(r, err, "message");
	lamps(r);
	return web_no_content(r);
}

int api_vm_del(struct web_req *r)
{
	int64_t id;
	int err;

	if (msg_id(r, &id))
		return 0;
	err = vm_msg_delete(r->db, r->w->conf->spool_dir, r->tenant.id,
			    r->params[1], id);
	snprintf(r->audit_object, sizeof(r->audit_object),
		 "voicemail %s/%lld", r->params[1], (long long)id);
	if (err)
		return web_errno(r, err, "message");
	lamps(r);
	return web_no_content(r);
}
