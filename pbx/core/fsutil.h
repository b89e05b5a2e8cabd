/* fsutil.h - small file-system helpers shared by the daemon and ondoctl. */
#ifndef ONDO_FSUTIL_H
#define ONDO_FSUTIL_H

#include <sys/types.h>

/* mkdir -p: creates `path` and every missing folder above it with `mode`
 * (existing ones are left as they are). With `parent` set, stops at the
 * path's parent folder (for a file about to be created). 0 or -errno. */
int fs_mkdirs(const char *path, mode_t mode, int parent);

/* fsyncs the folder that holds `path`, so that a rename or unlink in it
 * survives a crash (without it a crash can undo the change). 0 or -errno. */
int fs_sync_parent(const char *path);

#endif
