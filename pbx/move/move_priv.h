/* move_priv.h - what the files of pbx/move/ share: the archive's names,
 * its limits, the spool's file list. */
#ifndef ONDO_MOVE_PRIV_H
#define ONDO_MOVE_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "move/move.h"
#include "move/tar.h"

#define MOVE_MANIFEST  "manifest.json"
#define MOVE_ROWS_DIR  "rows/"	/* rows/TABLE.jsonl */
#define MOVE_SPOOL_DIR "spool/" /* spool/tenants/DOMAIN/..., spool/rooms/...   \
				 */

/* Limits an import holds an archive to. */
#define MOVE_MANIFEST_MAX (64 << 10)	       /* the manifest's bytes */
#define MOVE_LINE_MAX	  (1 << 20)	       /* one row's line */
#define MOVE_FILE_MAX	  (UINT64_C(2) << 30)  /* one spool file: 2 GiB */
#define MOVE_ROWS_MAX	  (UINT64_C(8) << 30)  /* one table's member */
#define MOVE_TOTAL_MAX	  (UINT64_C(64) << 30) /* the whole archive */
#define MOVE_ENTRIES_MAX  1000000L

/* A file of the tenant in the spool, relative to it
 * ("tenants/DOMAIN/vm/1001/new/x.wav"). */
struct move_file {
	char rel[TAR_PATH_MAX];
	uint64_t size;
	int64_t mtime;
};

/* move_files.c: the tenant's files under SPOOL/tenants/DOMAIN and
 * SPOOL/rooms/DOMAIN, regular files only, without the temporaries of
 * writes in progress (".part-", dot files), sorted. *filesp is a new
 * array of *np (caller frees). 0 or -errno. */
int move_files_list(const char *spool, const char *domain,
		    struct move_file **filesp, long *np);
/* True if `rel` (a path after "spool/") is one of `domain`'s. */
bool move_file_ours(const char *rel, const char *domain);

#endif
