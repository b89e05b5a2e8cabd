/* web_static.c - the admin panel's files (HTML, CSS, JavaScript modules)
 * from [http] web_dir. Only plain names are served: no "..", no hidden
 * files, nothing outside the folder (checked again after realpath, so a
 * symbolic link cannot lead out either). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "web/web_priv.h"

static const struct {
	const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return NULL;
}

static bool plain_name(const char *p)
{
	if (*p++ != '/')
		return false;
	for (const char *s = p; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./",
			    *s))
			return false;
	return !strstr(p, "..") && !strstr(p, "/.") && *p != '.';
}

int web_static(struct web_req *r)
{
	const char *url = strcmp(r->url, "/") ? r->url : "/index.html";
	char path[PATH_MAX], real[PATH_MAX], root[PATH_MAX];
	const char *type = type_of(url);
	struct MHD_Response *resp;
	struct stat st;
	int fd;

	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
		return web_error(r, 405, NULL, "%s is not allowed here",
				 r->method);
	if (!plain_name(url) || !type ||
	    snprintf(path, sizeof(path), "%s%s", r->w->conf->web_dir, url) >=
		(int)sizeof(path) ||
	    !realpath(r->w->conf->web_dir, root) || !realpath(path, real) ||
	    strncmp(real, root, strlen(root)) || real[strlen(root)] != '/')
		return web_error(r, 404, NULL, "no such page");
	fd = open(real, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return web_error(r, 404, NULL, "no such page");
	}
	resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!resp) {
		close(fd);
		return -ENOMEM;
	}
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; object-src 'none'; "
				"frame-ancestors 'none'");
	if (r->resp)
		MHD_destroy_response(r->resp);
	r->resp = resp;
	r->status = 200;
	return 0;
}
