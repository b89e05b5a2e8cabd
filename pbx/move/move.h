/* move.h - a tenant moved between nodes as one archive file: `ondoctl
 * tenant export | import` and the superadmin's REST calls
 * (docs/tenant-move.md).
 *
 * Both do blocking file I/O and long SQLite transactions on the caller's
 * thread with the caller's connection (`db` borrowed): call them from
 * ondoctl or an HTTP thread, never the SIP thread or a media worker. */
#ifndef ONDO_MOVE_H
#define ONDO_MOVE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* The archive layout this code writes; an import refuses other ones. */
#define MOVE_FORMAT 1

struct move_report {
	char domain[DB_DOMAIN_LEN];
	int64_t rows;	/* every table's together */
	int64_t trunks; /* the tenant's own trunks among them */
	long files;
	uint64_t bytes; /* of the files */
	int schema;	/* the source's schema version */
};

/* Writes tenant `domain`'s rows (one read transaction) and its files
 * under `spool` into `path`, through a temporary file beside it renamed
 * when complete: a failure never leaves a partial archive under `path`.
 * *rep (may be NULL) gets what went in; `why` (wlen bytes) the sentence
 * for an error. 0, -ENOENT (no such tenant), -ENOSPC and other -errno. */
int move_export(struct db *db, const char *spool, const char *domain,
		const char *path, struct move_report *rep, char *why,
		size_t wlen);

/* Recreates the tenant of archive `path` in `db` and `spool`: all of it,
 * or, on any error, nothing (one transaction; files placed only once
 * every row is in, and removed again if the commit fails). 0, or:
 *   -EEXIST   the tenant, one of its DIDs or user names, or one of its
 *             files is on this node already
 *   -EBADMSG  a damaged, truncated or inconsistent archive
 *   -EPERM    an unsafe entry (an absolute path, "..", a link, a device)
 *   -EFBIG    sizes beyond the limits of move_priv.h
 *   -EPROTO   an archive of a newer schema or another format
 *   other -errno from the file system or the database. */
int move_import(struct db *db, const char *spool, const char *path,
		struct move_report *rep, char *why, size_t wlen);

#endif
