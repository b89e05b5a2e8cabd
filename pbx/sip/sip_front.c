/* sip_front.c - requests that come through the cluster's SIP front
 * ([cluster] front, docs/scale-out.md). The front (Kamailio) adds its own
 * Via on top, so the transport source of every request is the front; the
 * phone's address is in the Via below it (with received/rport as the front
 * saw it). Bans, flood limits and media address checks need the phone's
 * address, or one bad phone would block every tenant of the node. A
 * REGISTER through the front carries a Path (RFC 3327): requests to that
 * binding go back through the front, which knows the phone's connection. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <sofia-sip/url.h>

#include "sip/sip_priv.h"

/* 1 if ss holds the address `ip` (any port). */
static int same_ip(const struct sockaddr_storage *ss, const char *ip)
{
	unsigned char a[sizeof(struct in6_addr)];

	if (ss->ss_family == AF_INET && inet_pton(AF_INET, ip, a) == 1)
		return !memcmp(&((const struct sockaddr_in *)ss)->sin_addr, a,
			       4);
	if (ss->ss_family == AF_INET6 && inet_pton(AF_INET6, ip, a) == 1)
		return !memcmp(&((const struct sockaddr_in6 *)ss)->sin6_addr,
			       a, 16);
	return 0;
}

int sip_front_is(const struct conf *conf, const struct sockaddr_storage *ss)
{
	return conf->cluster.front[0] && same_ip(ss, conf->cluster.front);
}

/* The port the phone sent from: rport as the front filled it in, else the
 * Via's port, else 5060. */
static int via_port(const sip_via_t *v)
{
	const char *p = v->v_rport && v->v_rport[0] ? v->v_rport : v->v_port;
	long n = p ? strtol(p, NULL, 10) : 5060;

	return n > 0 && n < 65536 ? (int)n : 5060;
}

int sip_front_client(const sip_t *sip, struct sockaddr_storage *ss)
{
	const sip_via_t *v = sip && sip->sip_via ? sip->sip_via->v_next : NULL;
	const char *host;
	char ip[INET6_ADDRSTRLEN];
	size_t n;

	if (!v)
		return -ENOENT;
	host = v->v_received ? v->v_received : v->v_host;
	if (!host)
		return -ENOENT;
	n = strlen(host);
	/* [v6] in a Via host; bare in received. */
	if (host[0] == '[' && n > 2 && n - 2 < sizeof(ip)) {
		memcpy(ip, host + 1, n - 2);
		ip[n - 2] = '\0';
	} else if (n < sizeof(ip)) {
		memcpy(ip, host, n + 1);
	} else {
		return -ENOENT;
	}
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, ip, &((struct sockaddr_in *)ss)->sin_addr) ==
	    1) {
		ss->ss_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons(via_port(v));
		return 0;
	}
	if (inet_pton(AF_INET6, ip, &((struct sockaddr_in6 *)ss)->sin6_addr) ==
	    1) {
		ss->ss_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons(via_port(v));
		return 0;
	}
	return -ENOENT;
}

int sip_front_path(const sip_t *sip, char *route, size_t len)
{
	const sip_path_t *p;
	size_t used = 0;

	if (!sip || !sip->sip_path)
		return -ENOENT;
	route[0] = '\0';
	for (p = sip->sip_path; p; p = p->r_next) {
		char *u = url_as_string(NULL, p->r_url);
		int k;

		if (!u)
			return -ENOMEM;
		k = snprintf(route + used, len - used, "%s<%s>",
			     used ? ", " : "", u);
		free(u);
		if (k < 0 || (size_t)k >= len - used)
			return -ENAMETOOLONG;
		used += (size_t)k;
	}
	return 0;
}
