/* ctl.c - a UNIX-socket line protocol: one command in, "OK"/"ERR" + lines out. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <sofia-sip/su_config.h>
#include "core/ctl.h"
#include "core/log.h"

#define CTL_MAX_CMDS 32
#define CTL_LINE_MAX 512
#define CTL_READ_MS 500 /* a client that sends nothing is dropped */

struct ctl_cmd {
	const char *name;
	ctl_cmd_h *h;
	void *arg;
};

struct ctl {
	su_root_t *root;
	int fd;
	int reg_id;
	su_wait_t wait[1];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ctl_cmd cmds[CTL_MAX_CMDS];
	int ncmds;
};

/* Reads one line with a short deadline: the control socket is local and
 * its clients are quick, but a stuck one must not hold the SIP thread. */
static int read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n < len - 1) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t k;

		if (poll(&p, 1, CTL_READ_MS) <= 0)
			return -ETIMEDOUT;
		k = read(fd, buf + n, len - 1 - n);
		if (k <= 0)
			break;
		n += (size_t)k;
		if (memchr(buf, '\n', n))
			break;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return n ? 0 : -EIO;
}

static void serve(struct ctl *c, int fd)
{
	char line[CTL_LINE_MAX], *body = NULL, *args;
	size_t bodylen = 0;
	FILE *out;
	int err = 0, found = 0;

	if (read_line(fd, line, sizeof(line)))
		return;
	args = line + strcspn(line, " ");
	if (*args)
		*args++ = '\0';
	out = open_memstream(&body, &bodylen);
	if (!out)
		return;
	for (int i = 0; i < c->ncmds; i++) {
		if (!strcmp(c->cmds[i].name, line)) {
			err = c->cmds[i].h(c->cmds[i].arg, args, out);
			found = 1;
			break;
		}
	}
	fclose(out);
	if (!found)
		dprintf(fd, "ERR unknown command '%s'\n", line);
	else if (err && bodylen)
		/* A handler that failed may say why in its first line. */
		dprintf(fd, "ERR %.*s\n", (int)strcspn(body, "\n"), body);
	else if (err)
		dprintf(fd, "ERR %s\n", strerror(-err));
	else {
		dprintf(fd, "OK\n");
		if (bodylen && write(fd, body, bodylen) < 0)
			LOGW("ctl", "reply lost: %s", strerror(errno));
	}
	free(body);
}

static int accept_h(void *magic, su_wait_t *w, void *arg)
{
	struct ctl *c = arg;
	int fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return 0;
	serve(c, fd);
	close(fd);
	return 0;
}

int ctl_alloc(struct ctl **cp, su_root_t *root, const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct ctl *c;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		LOGE("ctl", "control socket path too long: %s", path);
		return -ENAMETOOLONG;
	}
	c = calloc(1, sizeof(*c)); /* caller frees: ctl_free */
	if (!c)
		return -ENOMEM;
	c->root = root;
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		goto fail;
	unlink(path); /* a socket left by a daemon that died */
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0600) < 0 || listen(c->fd, 16) < 0)
		goto fail;
	su_wait_create(c->wait, c->fd, SU_WAIT_ACCEPT);
	c->reg_id = su_root_register(root, c->wait, accept_h, c, 0);
	if (c->reg_id < 0)
		goto fail;
	*cp = c;
	return 0;
fail:
	LOGE("ctl", "cannot listen on %s: %s", path, strerror(errno));
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return -EIO;
}

int ctl_register(struct ctl *c, const char *name, ctl_cmd_h *h, void *arg)
{
	if (c->ncmds == CTL_MAX_CMDS)
		return -ENOSPC;
	c->cmds[c->ncmds++] = (struct ctl_cmd){name, h, arg};
	return 0;
}

void ctl_free(struct ctl *c)
{
	if (!c)
		return;
	su_root_deregister(c->root, c->reg_id);
	close(c->fd);
	unlink(c->path);
	free(c);
}
