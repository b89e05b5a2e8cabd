/* api_cdr_rec.c - the recordings of a call record: their list in the
 * CDR's JSON, and each WAV (GET .../cdr/{id}/recording for the first,
 * GET .../cdr/{id}/recordings/{n} for any). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "db_record.h"
#include "web/web_priv.h"

static int rec_h(const struct db_recording *rec, void *arg)
{
	json_array_append_new(arg, json_pack("{s:i, s:s, s:I}", "n", rec->seq,
					     "path", rec->path, "started_us",
					     (json_int_t)rec->started_us));
	return 0;
}

json_t *api_cdr_recs_json(struct web_req *r, const struct db_cdr *c)
{
	json_t *list = json_array();

	/* An unrecorded call (most of them) costs no query: its first
	 * recording would be in c->recording. */
	if (c->recording[0] &&
	    db_recording_list(r->db, c->tenant_id, c->id, rec_h, list))
		json_array_clear(list);
	return list;
}

/* Serves the WAV at spool-relative `rel`. */
static int send_wav(struct web_req *r, const char *rel)
{
	char path[PATH_MAX];
	struct MHD_Response *resp;
	struct stat st;
	int fd;

	/* The stored name is relative and made by the daemon; refuse
	 * anything that could climb out of the spool all the same. */
	if (!rel[0] || rel[0] == '/' || strstr(rel, ".."))
		return web_error(r, 404, NULL, "the call was not recorded");
	if (snprintf(path, sizeof(path), "%s/%s", r->w->conf->spool_dir, rel) >=
		(int)sizeof(path) ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
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

/* A whole positive decimal number, or 0. */
static long long positive(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	return *s && !*end && v > 0 ? v : 0;
}

/* GET .../cdr/{id}/recording: the call's first recording (the WAV the
 * CDR row names, under the spool). */
int api_cdr_recording(struct web_req *r)
{
	long long id = positive(r->params[1]);
	struct db_cdr c;

	if (!id || db_cdr_get(r->db, r->tenant.id, id, &c))
		return web_error(r, 404, NULL, "no such call record");
	return send_wav(r, c.recording);
}

/* GET .../cdr/{id}/recordings/{n}: the call's n-th recording, n from 1
 * as the CDR's "recordings" list numbers them. */
int api_cdr_recording_n(struct web_req *r)
{
	long long id = positive(r->params[1]), n = positive(r->params[2]);
	struct db_recording rec;
	struct db_cdr c;

	if (!id || db_cdr_get(r->db, r->tenant.id, id, &c))
		return web_error(r, 404, NULL, "no such call record");
	if (!n || n > DB_REC_MAX ||
	    db_recording_get(r->db, r->tenant.id, id, (int)n, &rec))
		return web_error(r, 404, NULL, "the call has no recording %s",
				 r->params[2]);
	return send_wav(r, rec.path);
}
