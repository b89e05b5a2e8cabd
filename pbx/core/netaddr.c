/* netaddr.c - picks the SDP address and the RTP bind address. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/netaddr.h"

static int is_wildcard(const char *ip)
{
	return !strcmp(ip, "0.0.0.0") || !strcmp(ip, "::") || !*ip;
}

/* An address is local if a socket can bind to it. */
static int is_local(const char *ip)
{
	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
	struct sockaddr_in s4 = {.sin_family = AF_INET};
	int fd, ok = 0;

	if (inet_pton(AF_INET, ip, &s4.sin_addr) == 1) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		ok = fd >= 0 && !bind(fd, (struct sockaddr *)&s4, sizeof(s4));
	} else if (inet_pton(AF_INET6, ip, &s6.sin6_addr) == 1) {
		fd = socket(AF_INET6, SOCK_DGRAM, 0);
		ok = fd >= 0 && !bind(fd, (struct sockaddr *)&s6, sizeof(s6));
	} else {
		return 0;
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

static void first_ipv4(char *out, size_t len)
{
	struct ifaddrs *ifa = NULL;

	snprintf(out, len, "127.0.0.1");
	if (getifaddrs(&ifa) < 0)
		return;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    (i->ifa_flags & IFF_LOOPBACK) || !(i->ifa_flags & IFF_UP))
			continue;
		inet_ntop(AF_INET,
			  &((struct sockaddr_in *)i->ifa_addr)->sin_addr, out,
			  (socklen_t)len);
		break;
	}
	freeifaddrs(ifa);
}

int net_pick(struct net_addrs *a, const char *listen_ip,
	     const char *public_ip)
{
	if (!a || !listen_ip)
		return -EINVAL;
	if (public_ip && *public_ip)
		snprintf(a->sdp, sizeof(a->sdp), "%s", public_ip);
	else if (!is_wildcard(listen_ip))
		snprintf(a->sdp, sizeof(a->sdp), "%s", listen_ip);
	else
		first_ipv4(a->sdp, sizeof(a->sdp));
	if (!is_wildcard(listen_ip))
		snprintf(a->media_bind, sizeof(a->media_bind), "%s", listen_ip);
	else if (is_local(a->sdp))
		snprintf(a->media_bind, sizeof(a->media_bind), "%s", a->sdp);
	else
		snprintf(a->media_bind, sizeof(a->media_bind), "%s",
			 strchr(a->sdp, ':') ? "::" : "0.0.0.0");
	return 0;
}
