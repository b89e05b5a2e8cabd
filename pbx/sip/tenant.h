/* tenant.h - which tenant a SIP request belongs to. */
#ifndef ONDO_TENANT_H
#define ONDO_TENANT_H

#include <stddef.h>
#include "db.h"

/* The domain a request to `host` addresses: `host` itself, lower-cased, if
 * it is a name; `default_domain` if it is an IP literal (a request to the
 * server's own address). 0, or -EINVAL for an empty or oversized host. */
int tenant_domain_for_host(const char *host, const char *default_domain,
			   char *out, size_t len);

/* Resolves `host` to a tenant row. -ENOENT for an unknown domain. */
int tenant_lookup(struct db *db, const char *host,
		  const char *default_domain, struct db_tenant *t);

#endif
