/* fsutil.c - small file-system helpers shared by the daemon and ondoctl. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <ftw.h>
#include <sys/stat.h>

#include "core/fsutil.h"

int fs_mkdirs(const char *path, mode_t mode, int parent)
{
	char buf[PATH_MAX], *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	if (parent) {
		p = strrchr(buf, '/');
		if (!p || p == buf)
			return 0;
		*p = '\0';
	}
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (buf[0] && mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int fs_sync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, ret = 0;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return -ENOMEM;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int rm_h(const char *path, const struct stat *st, int flag,
		struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) ? -1 : 0;
}

int fs_tenant_spool_remove(const char *spool, const char *domain, char *err,
			   size_t errlen)
{
	static const char *const tops[] = {"tenants", "rooms"};
	char dir[PATH_MAX];
	size_t n;
	int k, rc = 0;

	for (size_t i = 0; i < 2; i++) {
		k = snprintf(dir, sizeof(dir), "%s/%s/", spool, tops[i]);
		if (k < 0 || (size_t)k + strlen(domain) >= sizeof(dir))
			return -ENAMETOOLONG;
		n = (size_t)k;
		/* Lower case, as the folders are named; the domain was
		 * validated, so it cannot climb out of the spool. */
		for (const char *d = domain; *d; d++)
			dir[n++] = (char)tolower((unsigned char)*d);
		dir[n] = '\0';
		if (nftw(dir, rm_h, 16, FTW_DEPTH | FTW_PHYS) &&
		    errno != ENOENT && !rc) {
			rc = -errno;
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		}
	}
	return rc;
}
