/* front_api.h - keeps the front's tenant-to-node table in step
 * ([cluster] api, docs/scale-out.md). The front is Kamailio with
 * deploy/kamailio/ondo-front.cfg: its xhttp route answers
 *   POST {api}/set?domain=D&node=N      D's requests go to node N
 *   POST {api}/del?domain=D&node=N      D is gone, if node N owned it
 *   GET  {api}/list                     "domain node" lines
 * each with the header X-Ondo-Secret: {api_secret}. Calls block (5 s at
 * most); ondoctl and the REST API make them, never the SIP thread. */
#ifndef ONDO_FRONT_API_H
#define ONDO_FRONT_API_H

#include <stddef.h>

#include "conf/conf.h"

/* 1 if [cluster] api is set (a table to keep), else 0. */
int front_api_on(const struct conf_cluster *c);

/* Points the front at this node for `domain`. 0, or a negative errno with
 * what went wrong in err. */
int front_api_set(const struct conf_cluster *c, const char *domain,
		  char *err, size_t errlen);

/* Takes `domain` off the table, only if this node owns it there (a
 * tenant already moved to another node keeps its row). */
int front_api_del(const struct conf_cluster *c, const char *domain,
		  char *err, size_t errlen);

/* front_api_set (here = 1) or front_api_del (here = 0): the table follows
 * a tenant added to or deleted from this node. */
int front_api_follow(const struct conf_cluster *c, const char *domain,
		     int here, char *err, size_t errlen);

struct db;
/* Points the front at this node for every tenant in db: *sent and
 * *failed count them; on_fail (may be NULL) hears each failure, err holds
 * the last one's text. 0, or the database's negative errno. */
int front_api_sync(const struct conf_cluster *c, struct db *db, int *sent,
		   int *failed, char *err, size_t errlen,
		   void (*on_fail)(const char *domain, const char *err));

/* The whole table as the front sends it ("domain node\n" lines) into out
 * (NUL-terminated; -E2BIG if it does not fit). */
int front_api_list(const struct conf_cluster *c, char *out, size_t outlen,
		   char *err, size_t errlen);

#endif
