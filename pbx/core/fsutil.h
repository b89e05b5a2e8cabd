/* fsutil.h - small file-system helpers shared by the daemon and ondoctl. */
#ifndef ONDO_FSUTIL_H
#define ONDO_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* mkdir -p: creates `path` and every missing folder above it with `mode`
 * (existing ones are left as they are). With `parent` set, stops at the
 * path's parent folder (for a file about to be created). 0 or -errno. */
int fs_mkdirs(const char *path, mode_t mode, int parent);

/* fsyncs the folder that holds `path`, so that a rename or unlink in it
 * survives a crash (without it a crash can undo the change). 0 or -errno. */
int fs_sync_parent(const char *path);

/* Removes a deleted tenant's files: SPOOL/tenants/DOMAIN (prompts,
 * voicemail, recordings) and SPOOL/rooms/DOMAIN (its rooms' recordings),
 * so that a new tenant of the same domain inherits none of them and a
 * `tenant import` of it finds no file in its way. `domain` must be a
 * validated domain (letters, digits, dots, hyphens). 0 (also when there
 * was nothing), or -errno with the folder that could not be removed in
 * err. */
int fs_tenant_spool_remove(const char *spool, const char *domain, char *err,
			   size_t errlen);

#endif
