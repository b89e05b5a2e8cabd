/* vm_greeting.c - recorded greetings: a new recording replaces the old one
 * only once it is whole and long enough, so a caller cut off half way
 * through re-recording still hears the old greeting. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "vm/vm_priv.h"

int vm_greeting_rec_path(char *buf, size_t len, const char *spool,
			 const char *domain, const char *ext,
			 enum vm_greeting g)
{
	char final[PATH_MAX];
	int err = vm_greeting_path(final, sizeof(final), spool, domain, ext, g);

	if (err)
		return err;
	/* Beside the greeting, so the rename is atomic; reconciliation
	 * leaves the greetings folder alone but for *.part-* files, and a
	 * stale ".rec" is overwritten by the next recording. */
	if (snprintf(buf, len, "%s.rec", final) >= (int)len)
		return -ENAMETOOLONG;
	return fs_mkdirs(buf, 0750, 1);
}

int vm_greeting_install(const char *rec, const char *spool,
			const char *domain, const char *ext,
			enum vm_greeting g)
{
	char final[PATH_MAX];
	int64_t ms = vm_wav_ms(rec);
	int err;

	if (ms < VM_MIN_MS) {
		unlink(rec);
		return ms < 0 ? (int)ms : -ENODATA;
	}
	err = vm_greeting_path(final, sizeof(final), spool, domain, ext, g);
	if (err)
		return err;
	if (rename(rec, final))
		return -errno;
	return fs_sync_parent(final);
}

int vm_greeting_import(const char *src, const char *spool, const char *domain,
		       const char *ext, enum vm_greeting g)
{
	char rec[PATH_MAX];
	int err = vm_greeting_rec_path(rec, sizeof(rec), spool, domain, ext, g);

	if (!err)
		err = vm_copy_file(src, rec);
	return err ? err : vm_greeting_install(rec, spool, domain, ext, g);
}

int vm_greeting_delete(const char *spool, const char *domain, const char *ext,
		       enum vm_greeting g)
{
	char path[PATH_MAX];
	int err = vm_greeting_path(path, sizeof(path), spool, domain, ext, g);

	if (err)
		return err;
	if (unlink(path))
		return -errno;
	return fs_sync_parent(path);
}

bool vm_greeting_exists(const char *spool, const char *domain,
			const char *ext, enum vm_greeting g)
{
	char path[PATH_MAX];

	return !vm_greeting_path(path, sizeof(path), spool, domain, ext, g) &&
	       access(path, R_OK) == 0;
}
