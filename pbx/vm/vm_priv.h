/* vm_priv.h - what the files of pbx/vm/ share. */
#ifndef ONDO_VM_PRIV_H
#define ONDO_VM_PRIV_H

#include "vm/vm_store.h"

/* Where a box is: its extension's id and the names its folder is made
 * of. */
struct vm_loc {
	int64_t tenant_id;
	int64_t ext_id;
	char domain[DB_DOMAIN_LEN]; /* lower case, as stored */
	char ext[DB_NUMBER_LEN];
};

/* Looks up the tenant and its extension `ext`. -ENOENT if either is
 * missing, -EINVAL for a bad number. */
int vm_locate(struct db *db, int64_t tenant_id, const char *ext,
	      struct vm_loc *l);

/* Milliseconds of audio in the file at `path`, if libsndfile reads it as
 * audio with at least one frame; else -EINVAL (or -ENOENT, -EACCES). */
int64_t vm_wav_ms(const char *path);

/* Turns `path` under `spool` into the relative form stored in rows:
 * "tenants/...". -EINVAL if it is not under the spool. */
int vm_rel_path(const char *spool, const char *path, const char **relp);

/* Copies `from` to `to` through a temporary file beside it, renamed into
 * place: `to` is whole or untouched. -ENODATA if `from` is missing. */
int vm_copy_file(const char *from, const char *to);

#endif
