/* api_tenant_move.c - a tenant's archive over REST, for the superadmin:
 * GET /api/v1/tenants/{domain}/archive downloads what `ondoctl tenant
 * export` writes, POST /api/v1/tenant-import takes one as the body and
 * does what `ondoctl tenant import` does (pbx/move/,
 * docs/tenant-move.md). */
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
#include "move/move.h"
#include "sip/sip.h"
#include "web/web_priv.h"

static const char *spool(struct web_req *r)
{
	return r->w->conf->spool_dir;
}

/* A new empty file SPOOL/.NAME-XXXXXX (the spool: the same file system
 * the archive's files come from or go to) into `path`. 0 or -errno. */
static int spool_tmp(struct web_req *r, const char *name, char *path,
		     size_t len)
{
	int fd;

	if (snprintf(path, len, "%s/.%s-XXXXXX", spool(r), name) >= (int)len)
		return -ENAMETOOLONG;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* GET .../archive: written to a temporary file, opened, unlinked, and
 * streamed from the open file, so that nothing stays behind whatever
 * the client does. */
int api_tenant_export(struct web_req *r)
{
	char path[PATH_MAX], why[1024], disp[DB_DOMAIN_LEN + 40];
	struct MHD_Response *resp;
	struct stat st;
	int fd, err;

	if ((err = spool_tmp(r, "export", path, sizeof(path))))
		return web_errno(r, err, "archive");
	err = move_export(r->db, spool(r), r->tenant.domain, path, NULL, why,
			  sizeof(why));
	fd = err ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	unlink(path);
	if (err || fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		LOGW("web", "export of %s: %s", r->tenant.domain,
		     err ? why : strerror(errno));
		return web_error(r, err == -ENOSPC ? 507 : 500, NULL,
				 "the archive could not be made: %s",
				 err ? why : "cannot read it back");
	}
	/* MHD owns fd from here and closes it with the response. */
	resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!resp) {
		close(fd);
		return -ENOMEM;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.tar\"",
		 r->tenant.domain);
	MHD_add_response_header(resp, "Content-Type", "application/x-tar");
	MHD_add_response_header(resp, "Content-Disposition", disp);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	r->resp = resp;
	r->status = 200;
	return 0;
}

static int write_all(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	int err = fd < 0 ? -errno : 0;

	while (!err && len) {
		ssize_t k = write(fd, buf, len);
		if (k <= 0)
			err = k < 0 ? -errno : -EIO;
		else {
			buf += k;
			len -= (size_t)k;
		}
	}
	if (fd >= 0 && close(fd) && !err)
		err = -errno;
	return err;
}

static int import_error(struct web_req *r, int err, const char *why)
{
	switch (err) {
	case -EEXIST:
		return web_error(r, 409, NULL, "%s", why);
	case -EBADMSG:
	case -EPERM:
	case -EFBIG:
	case -EPROTO:
		return web_error(r, 422, "archive", "%s", why);
	case -ENOSPC:
	case -EDQUOT:
		return web_error(r, 507, NULL, "the disk is full: %s", why);
	default:
		LOGW("web", "tenant import: %s", why);
		return web_error(r, 500, NULL, "the import failed: %s", why);
	}
}

static int reload_sync(struct sip *s, void *arg)
{
	(void)arg;
	return sip_trunks_reload(s);
}

/* POST /api/v1/tenant-import with the archive as the body: 201 with what
 * came in; 409 if the tenant (or a DID, a user name) is here already,
 * 422 for a damaged or unsafe archive. Nothing changes on an error. */
int api_tenant_import(struct web_req *r)
{
	char path[PATH_MAX], why[1024];
	struct move_report rep;
	int err;

	if (!r->len)
		return web_error(r, 422, "archive", "the body is empty");
	if ((err = spool_tmp(r, "upload-archive", path, sizeof(path))))
		return web_errno(r, err, "archive");
	err = write_all(path, r->body, r->len);
	if (err)
		snprintf(why, sizeof(why), "cannot store the upload: %s",
			 strerror(-err));
	else
		err =
		    move_import(r->db, spool(r), path, &rep, why, sizeof(why));
	unlink(path);
	if (err)
		return import_error(r, err, why);
	snprintf(r->audit_object, sizeof(r->audit_object), "tenant %s",
		 rep.domain);
	/* As `ondoctl tenant import`: only trunks live in the SIP side's
	 * memory; everything else is read per call. */
	if (rep.trunks > 0 && r->w->sip)
		sip_sync(r->w->sip, reload_sync, NULL);
	web_front_follow(r, rep.domain, 1);
	return web_json(r, 201,
			json_pack("{s:s, s:I, s:I, s:I}", "domain", rep.domain,
				  "rows", (json_int_t)rep.rows, "files",
				  (json_int_t)rep.files, "bytes",
				  (json_int_t)rep.bytes));
}
