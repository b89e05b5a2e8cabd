/* log.c - formats log lines and writes each with one write(2). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include <sys/time.h>

#include "core/log.h"

static volatile enum log_level threshold = LOGL_INFO;

void log_set_level(enum log_level lvl)
{
	threshold = lvl;
}

enum log_level log_get_level(void)
{
	return threshold;
}

int log_level_parse(const char *s, enum log_level *lvl)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcasecmp(s, names[i])) {
			*lvl = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

void log_line(enum log_level lvl, const char *mod, const char *tenant,
	      const char *callid, const char *fmt, ...)
{
	static const char *const tags[] = {"ERR ", "WARN", "INFO", "DBG "};
	char buf[1024];
	struct timeval tv;
	struct tm tm;
	size_t n;
	va_list ap;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	n += snprintf(buf + n, sizeof(buf) - n, ".%03ld %s %s ",
		      (long)(tv.tv_usec / 1000), tags[lvl], mod);
	if (tenant || callid)
		n += snprintf(buf + n, sizeof(buf) - n, "[%s %s] ",
			      tenant ? tenant : "-", callid ? callid : "-");
	if (n < sizeof(buf)) {
		va_start(ap, fmt);
		n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
		va_end(ap);
	}
	if (n >= sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	/* One write per line keeps lines from threads whole. */
	if (write(STDERR_FILENO, buf, n) < 0)
		(void)errno;
}
