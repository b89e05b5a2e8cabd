/* log.h - log lines with module, tenant and Call-ID, to stderr. */
#ifndef ONDO_LOG_H
#define ONDO_LOG_H

#include "conf/conf.h"

/* Sets the threshold; lines above it are not formatted at all. */
void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
int log_level_parse(const char *s, enum log_level *lvl);

/* One line: "LEVEL module [tenant call-id] message". tenant and callid may
 * be NULL. Thread-safe (one write(2) per line). */
void log_line(enum log_level lvl, const char *mod, const char *tenant,
	      const char *callid, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define LOG_ON(lvl) ((lvl) <= log_get_level())
#define LOGC(lvl, mod, tenant, cid, ...)                                    \
	do {                                                                 \
		if (LOG_ON(lvl))                                             \
			log_line(lvl, mod, tenant, cid, __VA_ARGS__);        \
	} while (0)
/* Module-level logging without call context. */
#define LOGE(mod, ...) LOGC(LOGL_ERROR, mod, NULL, NULL, __VA_ARGS__)
#define LOGW(mod, ...) LOGC(LOGL_WARN, mod, NULL, NULL, __VA_ARGS__)
#define LOGI(mod, ...) LOGC(LOGL_INFO, mod, NULL, NULL, __VA_ARGS__)
#define LOGD(mod, ...) LOGC(LOGL_DEBUG, mod, NULL, NULL, __VA_ARGS__)

#endif
