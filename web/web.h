/* web.h - the HTTP server: the REST API under /api/v1 and the static
 * admin panel (docs/api.md). */
#ifndef ONDO_WEB_H
#define ONDO_WEB_H

struct conf;
struct sip;
struct web;

/* Listens on conf's [http] listen with libmicrohttpd's own thread pool;
 * each thread opens its own database connection. `sip` (may be NULL in
 * tests) answers the live views. Borrows both. Caller frees with
 * web_stop(), before the SIP side goes. */
int web_start(struct web **wp, const struct conf *conf, struct sip *sip);
void web_stop(struct web *w);

#endif
