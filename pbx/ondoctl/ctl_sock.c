/* ctl_sock.c - ondoctl's side of the daemon's control socket: one command
 * line out, "OK" and its lines (or "ERR reason") back. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include "ondoctl/ondoctl.h"

/* A daemon that does not answer in this time is stuck, not busy. */
#define CTL_TIMEOUT_S 5
/* More than any real list of calls; guards against a runaway reply. */
#define CTL_MAX_REPLY (16 << 20)
/* The daemon reads at most 512 bytes of command line (pbx/core/ctl.c). */
#define CTL_LINE_MAX 512

/* What went wrong, for the caller to print or not. */
struct why {
	char msg[512];
};

/* Writes the reason into w and returns err. */
__attribute__((format(printf, 3, 4))) static int say(struct why *w, int err,
						     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
	return err;
}

/* Connects to the daemon's control socket: a file descriptor, or a
 * negative errno with the reason in w. -ENOTCONN: the daemon is not
 * running (no socket, or nothing listens on it). */
static int ctl_connect(const char *path, struct why *w)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = CTL_TIMEOUT_S};
	int fd, err;

	if (strlen(path) >= sizeof(sun.sun_path))
		return say(w, -ENAMETOOLONG,
			   "control socket path %s is too long", path);
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return say(w, -errno, "cannot create a socket: %s",
			   strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return fd;
	err = errno;
	close(fd);
	if (err == ENOENT)
		return say(w, -ENOTCONN,
			   "the daemon is not running (no control socket at "
			   "%s)",
			   path);
	if (err == ECONNREFUSED)
		return say(w, -ENOTCONN,
			   "the daemon is not running (nothing listens on the "
			   "control socket %s)",
			   path);
	return say(w, -err, "cannot connect to the control socket %s: %s", path,
		   strerror(err));
}

/* Reads until EOF into a NUL-terminated buffer (caller frees). 0 or a
 * negative errno; -EFBIG past CTL_MAX_REPLY. */
static int read_all(int fd, char **bufp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *grown;
	ssize_t k;

	for (;;) {
		if (len + 1 >= cap) {
			cap = cap ? cap * 2 : 4096;
			grown = cap <= CTL_MAX_REPLY ? realloc(buf, cap) : NULL;
			if (!grown) {
				free(buf);
				return cap <= CTL_MAX_REPLY ? -ENOMEM : -EFBIG;
			}
			buf = grown;
		}
		k = read(fd, buf + len, cap - len - 1);
		if (k == 0)
			break;
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(buf);
			return -errno;
		}
		len += (size_t)k;
	}
	buf[len] = '\0';
	*bufp = buf;
	return 0;
}

/* Sends `line` (with its newline) and reads the whole reply into *replyp
 * (caller frees). 0 or a negative errno with the reason in w. */
static int exchange(const char *path, const char *line, char **replyp,
		    struct why *w)
{
	int fd = ctl_connect(path, w), err;

	if (fd < 0)
		return fd;
	/* MSG_NOSIGNAL: a daemon that just died must not kill us. */
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) < 0)
		err = -errno;
	else
		err = read_all(fd, replyp);
	close(fd);
	if (err == -EAGAIN || err == -EWOULDBLOCK)
		return say(w, err,
			   "the daemon did not answer within %d seconds",
			   CTL_TIMEOUT_S);
	if (err)
		return say(w, err, "talking to the daemon on %s failed: %s",
			   path, strerror(-err));
	return 0;
}

/* Checks the reply's first line: 0 and *bodyp pointing at the lines
 * after "OK" (inside reply), or -EPROTO with the reason in w ("ERR
 * reason" from the daemon, or a reply this ondoctl does not know). */
static int parse_reply(char *reply, char **bodyp, struct why *w)
{
	char *rest = strchr(reply, '\n');

	if (rest)
		*rest++ = '\0';
	if (!reply[0])
		return say(w, -EPROTO,
			   "the daemon closed the connection "
			   "without answering");
	if (!strncmp(reply, "ERR", 3))
		return say(w, -EPROTO, "the daemon refused: %s",
			   reply[3] ? reply + 4 : "no reason given");
	if (strcmp(reply, "OK"))
		return say(w, -EPROTO, "unexpected reply from the daemon: '%s'",
			   reply);
	*bodyp = rest ? rest : reply + 2;
	return 0;
}

/* The exchange behind octl_ask and octl_tell: 0 with *bodyp a new string
 * (caller frees), or a negative errno with the reason in w. */
static int call(struct octl *o, const char *cmd, char **bodyp, struct why *w)
{
	char line[CTL_LINE_MAX], *reply = NULL, *body = NULL;
	int err;

	if (strchr(cmd, '\n') ||
	    (size_t)snprintf(line, sizeof(line), "%s\n", cmd) >= sizeof(line))
		return say(w, -EINVAL, "command too long for the daemon");
	err = exchange(o->conf.ctl_socket, line, &reply, w);
	if (!err)
		err = parse_reply(reply, &body, w);
	if (!err) {
		*bodyp = strdup(body);
		if (!*bodyp)
			err = say(w, -ENOMEM, "out of memory");
	}
	free(reply);
	return err;
}

int octl_ask(struct octl *o, const char *cmd, char **bodyp)
{
	struct why w;

	*bodyp = NULL;
	if (call(o, cmd, bodyp, &w))
		return octl_err("%s", w.msg);
	return OCTL_OK;
}

void octl_tell(struct octl *o, const char *cmd, const char *what)
{
	char *body = NULL;
	struct why w;
	int err = call(o, cmd, &body, &w);

	free(body);
	/* Not running: it reads the database when it starts. */
	if (err && err != -ENOTCONN)
		fprintf(stderr, "ondoctl: warning: %s: %s\n", what, w.msg);
}

/* Splits `line` into exactly n tab-separated fields; -EINVAL (line
 * untouched, so it can be shown) if it has another number. */
static int split_fields(char *line, char **f, int n)
{
	int tabs = 0;

	for (const char *p = line; *p; p++)
		tabs += *p == '\t';
	if (tabs != n - 1)
		return -EINVAL;
	f[0] = line;
	for (int i = 1; i < n; i++) {
		f[i] = strchr(f[i - 1], '\t');
		*f[i]++ = '\0';
	}
	return 0;
}

int octl_reply_rows(char *body, int nf, const char *what,
		    int (*row)(char **f, void *arg), void *arg)
{
	char *line, *save = NULL, *f[OCTL_REPLY_FIELDS_MAX];

	if (nf < 1 || nf > OCTL_REPLY_FIELDS_MAX)
		return octl_err("internal error: %s lines of %d fields", what,
				nf);
	for (line = strtok_r(body, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (split_fields(line, f, nf))
			return octl_err("the daemon sent a %s line this "
					"ondoctl does not understand: '%s'",
					what, line);
		if (row(f, arg))
			return octl_err("out of memory");
	}
	return OCTL_OK;
}
