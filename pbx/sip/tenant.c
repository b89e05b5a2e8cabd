/* tenant.c - maps a request's domain to a tenant (tenancy from line one). */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "sip/tenant.h"

static int is_ip_literal(const char *host)
{
	unsigned char buf[16];
	char tmp[64];
	size_t n = strlen(host);

	if (inet_pton(AF_INET, host, buf) == 1)
		return 1;
	/* IPv6 in a URI comes bracketed: [::1] */
	if (n >= 2 && n < sizeof(tmp) && host[0] == '[' && host[n - 1] == ']') {
		memcpy(tmp, host + 1, n - 2);
		tmp[n - 2] = '\0';
		host = tmp;
	}
	return inet_pton(AF_INET6, host, buf) == 1;
}

int tenant_domain_for_host(const char *host, const char *default_domain,
			   char *out, size_t len)
{
	const char *src;
	size_t n;

	if (!host || !*host || !out || !len)
		return -EINVAL;
	src = is_ip_literal(host) ? default_domain : host;
	if (!src || !*src)
		return -EINVAL;
	n = strlen(src);
	if (n >= len)
		return -EINVAL;
	for (size_t i = 0; i <= n; i++)
		out[i] = (char)tolower((unsigned char)src[i]);
	return 0;
}

int tenant_lookup(struct db *db, const char *host,
		  const char *default_domain, struct db_tenant *t)
{
	char domain[DB_DOMAIN_LEN];
	int err;

	err = tenant_domain_for_host(host, default_domain, domain,
				     sizeof(domain));
	if (err)
		return -ENOENT;
	return db_tenant_by_domain(db, domain, t);
}
