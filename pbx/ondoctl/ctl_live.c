/* ctl_live.c - ondoctl reg list | calls | cdr: who is online, what is
 * ringing or talking now, and what happened. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include "ondoctl/ondoctl.h"

#define CDR_DEFAULT_LIMIT 20
#define CDR_MAX_LIMIT	  100000
/* A daemon that does not answer in this time is stuck, not busy. */
#define CTL_TIMEOUT_S 5
/* More than any real list of calls; guards against a runaway reply. */
#define CTL_MAX_REPLY (16 << 20)

struct live_rows {
	struct octl *o;
	struct octl_table *table;
	int64_t now;
};

static int reg_row_h(const struct db_reg *r, void *arg)
{
	struct live_rows *rows = arg;
	char ext[DB_NUMBER_LEN + DB_DOMAIN_LEN], expires[32];

	snprintf(ext, sizeof(ext), "%s@%s", r->number, r->domain);
	octl_fmt_duration(expires, sizeof(expires), r->expires - rows->now);
	return octl_table_add(rows->table, ext, r->contact, r->route, expires,
			      r->user_agent);
}

int octl_reg_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"EXTENSION", "CONTACT", "ROUTE",
					     "EXPIRES IN", "USER AGENT"};
	struct live_rows rows = {.o = o, .now = time(NULL)};
	struct db_tenant t = {0};
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 0, 1, &n))
		return OCTL_USAGE;
	if (n == 1 && octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	if (octl_table_alloc(&rows.table, 5, header))
		return octl_err("out of memory");
	err = db_reg_list(o->db, t.id, rows.now, reg_row_h, &rows);
	if (err)
		octl_err("cannot list registrations: %s", octl_strerror(err));
	else if (octl_table_rows(rows.table) == 0)
		printf("no phones registered%s%s\n", n ? " in " : "",
		       n ? t.domain : "");
	else
		octl_table_print(rows.table, stdout);
	octl_table_free(rows.table);
	return err ? OCTL_ERR : OCTL_OK;
}

/* Connects to the daemon's control socket; a file descriptor, or -1
 * after printing why not. */
static int ctl_connect(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = CTL_TIMEOUT_S};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		octl_err("control socket path %s is too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		octl_err("cannot create a socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return fd;
	if (errno == ENOENT)
		octl_err("the daemon is not running (no control socket at %s)",
			 path);
	else if (errno == ECONNREFUSED)
		octl_err("the daemon is not running (nothing listens on the "
			 "control socket %s)",
			 path);
	else
		octl_err("cannot connect to the control socket %s: %s", path,
			 strerror(errno));
	close(fd);
	return -1;
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

/* Sends `cmd` and reads the whole reply into *replyp (caller frees).
 * OCTL_OK or OCTL_ERR (printed). */
static int ctl_ask(const char *path, const char *cmd, char **replyp)
{
	int fd = ctl_connect(path), err = 0;

	if (fd < 0)
		return OCTL_ERR;
	/* MSG_NOSIGNAL: a daemon that just died must not kill us. */
	if (send(fd, cmd, strlen(cmd), MSG_NOSIGNAL) < 0)
		err = -errno;
	else
		err = read_all(fd, replyp);
	close(fd);
	if (err == -EAGAIN || err == -EWOULDBLOCK)
		return octl_err("the daemon did not answer within %d seconds",
				CTL_TIMEOUT_S);
	if (err)
		return octl_err("talking to the daemon on %s failed: %s", path,
				strerror(-err));
	return OCTL_OK;
}

/* Splits a "calls" reply line into its 6 tab-separated fields; -EINVAL
 * (line untouched, so it can be shown) if it has another number. */
static int split_call(char *line, char **f)
{
	int tabs = 0;

	for (const char *p = line; *p; p++)
		tabs += *p == '\t';
	if (tabs != 5)
		return -EINVAL;
	f[0] = line;
	for (int n = 1; n < 6; n++) {
		f[n] = strchr(f[n - 1], '\t');
		*f[n]++ = '\0';
	}
	return 0;
}

/* Fills the table from the lines after "OK". */
static int calls_table(char *lines, struct octl_table *table)
{
	char *line, *save = NULL, *f[6], dur[32];

	for (line = strtok_r(lines, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (split_call(line, f))
			return octl_err("the daemon sent a call line this "
					"ondoctl does not understand: '%s'",
					line);
		octl_fmt_duration(dur, sizeof(dur), strtoll(f[5], NULL, 10));
		if (octl_table_add(table, f[0], f[2], f[3], f[4], dur, f[1]))
			return octl_err("out of memory");
	}
	return OCTL_OK;
}

static int show_calls(char *reply)
{
	static const char *const header[] = {"DOMAIN", "CALLER", "CALLEE",
					     "STATE",  "TIME",	 "CALL-ID"};
	struct octl_table *table;
	char *rest = strchr(reply, '\n');
	int status;

	if (rest)
		*rest++ = '\0';
	if (!reply[0])
		return octl_err("the daemon closed the connection without "
				"answering");
	if (!strncmp(reply, "ERR", 3))
		return octl_err("the daemon refused: %s",
				reply[3] ? reply + 4 : "no reason given");
	if (strcmp(reply, "OK"))
		return octl_err("unexpected reply from the daemon: '%s'",
				reply);
	if (octl_table_alloc(&table, 6, header))
		return octl_err("out of memory");
	status = calls_table(rest ? rest : reply + 2, table);
	if (status == OCTL_OK && octl_table_rows(table) == 0)
		printf("no calls in progress\n");
	else if (status == OCTL_OK)
		octl_table_print(table, stdout);
	octl_table_free(table);
	return status;
}

int octl_calls(struct octl *o, int argc, char **argv)
{
	char *reply = NULL;
	int n, status;

	if (octl_parse(o, argc, argv, NULL, 0, 0, &n))
		return OCTL_USAGE;
	status = ctl_ask(o->conf.ctl_socket, "calls\n", &reply);
	if (status == OCTL_OK)
		status = show_calls(reply);
	free(reply);
	return status;
}

struct cdr_rows {
	struct octl *o;
	struct octl_table *table;
	struct db_tenant t; /* the last tenant looked up: rows come in runs */
};

static int cdr_row_h(const struct db_cdr *c, void *arg)
{
	struct cdr_rows *rows = arg;
	char start[32], dur[32], status[16];
	time_t secs = (time_t)(c->start_us / 1000000);
	struct tm tm;

	if (rows->t.id != c->tenant_id &&
	    db_tenant_by_id(rows->o->db, c->tenant_id, &rows->t))
		snprintf(rows->t.domain, sizeof(rows->t.domain), "?");
	rows->t.id = c->tenant_id;
	localtime_r(&secs, &tm);
	strftime(start, sizeof(start), "%Y-%m-%d %H:%M:%S", &tm);
	octl_fmt_duration(dur, sizeof(dur), c->duration);
	snprintf(status, sizeof(status), "%d", c->sip_status);
	return octl_table_add(rows->table, start, rows->t.domain, c->caller,
			      c->callee, c->disposition, dur, status,
			      c->call_id);
}

static int parse_limit(const char *s, int *limitp)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > CDR_MAX_LIMIT)
		return octl_err("invalid limit '%s' (a number from 1 to %d)", s,
				CDR_MAX_LIMIT);
	*limitp = (int)v;
	return OCTL_OK;
}

int octl_cdr(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"START",  "DOMAIN", "CALLER",
					     "CALLEE", "RESULT", "DURATION",
					     "STATUS", "CALL-ID"};
	const char *limit_arg = NULL;
	const struct octl_opt opts[] = {{"--limit", &limit_arg}, {NULL, NULL}};
	struct cdr_rows rows = {.o = o};
	struct db_tenant t = {0};
	int n, err, limit = CDR_DEFAULT_LIMIT;

	if (octl_parse(o, argc, argv, opts, 0, 1, &n))
		return OCTL_USAGE;
	if ((limit_arg && parse_limit(limit_arg, &limit)) ||
	    (n == 1 && octl_tenant(o, argv[0], &t)))
		return OCTL_ERR;
	if (octl_table_alloc(&rows.table, 8, header))
		return octl_err("out of memory");
	err = db_cdr_list(o->db, t.id, limit, cdr_row_h, &rows);
	if (err)
		octl_err("cannot list call records: %s", octl_strerror(err));
	else if (octl_table_rows(rows.table) == 0)
		printf("no calls recorded%s%s\n", n ? " in " : "",
		       n ? t.domain : "");
	else
		octl_table_print(rows.table, stdout);
	octl_table_free(rows.table);
	return err ? OCTL_ERR : OCTL_OK;
}
