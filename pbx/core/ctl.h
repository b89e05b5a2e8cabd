/* ctl.h - the control socket ondoctl talks to (live state, reload). */
#ifndef ONDO_CTL_H
#define ONDO_CTL_H

#include <stdio.h>
#include <sofia-sip/su_wait.h>

struct ctl;

/* A command handler writes its reply lines (after the "OK" line the
 * server writes) to out, and returns 0 or a negative errno; on an error
 * the first line it wrote, if any, is the reason given ("ERR reason"),
 * else the errno's text. */
typedef int(ctl_cmd_h)(void *arg, const char *args, FILE *out);

/* Listens on the UNIX socket `path` (replacing a stale one) and serves
 * it from `root`'s loop. Caller frees with ctl_free(). */
int ctl_alloc(struct ctl **cp, su_root_t *root, const char *path);
/* Adds a command; `name` is borrowed and must be a literal. */
int ctl_register(struct ctl *c, const char *name, ctl_cmd_h *h, void *arg);
/* Stops listening and unlinks the socket file. */
void ctl_free(struct ctl *c);

#endif
