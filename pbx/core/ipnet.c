/* ipnet.c - IPv4/IPv6 addresses and CIDR prefixes: parsing, matching. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "core/ipnet.h"

/* The prefix length after '/': 1 to 3 decimal digits, no leading zero
 * (so "/024" is not read as 24 by one tool and 20 by another). */
static int parse_len(const char *s, int max)
{
	size_t n = strspn(s, "0123456789");
	int v = 0;

	if (n == 0 || n > 3 || s[n] || (n > 1 && s[0] == '0'))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v > max ? -EINVAL : v;
}

static unsigned char byte_mask(int prefix, int i)
{
	int keep = prefix - 8 * i; /* bits of byte i that count */

	return keep >= 8   ? 0xff
	       : keep <= 0 ? 0
			   : (unsigned char)(0xff << (8 - keep));
}

void ipnet_clear_host_bits(struct ipnet *net)
{
	for (int i = 0; net && i < 16; i++)
		net->addr[i] &= byte_mask(net->prefix, i);
}

int ipnet_parse(const char *s, struct ipnet *net)
{
	char text[INET6_ADDRSTRLEN];
	const char *slash;
	size_t alen;
	int len;

	if (!s || !net)
		return -EINVAL;
	memset(net, 0, sizeof(*net));
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(text))
		return -EINVAL;
	memcpy(text, s, alen);
	text[alen] = '\0';
	/* glibc's inet_pton takes only a full dotted quad without leading
	 * zeros for IPv4, and no zone or blank for IPv6: strict enough. */
	if (inet_pton(AF_INET, text, net->addr) == 1) {
		net->family = AF_INET;
		net->prefix = 32;
	} else if (inet_pton(AF_INET6, text, net->addr) == 1) {
		net->family = AF_INET6;
		net->prefix = 128;
	} else {
		return -EINVAL;
	}
	if (!slash)
		return 0;
	len = parse_len(slash + 1, net->prefix);
	if (len < 0)
		return -EINVAL;
	net->prefix = len;
	for (int i = 0; i < 16; i++)
		if (net->addr[i] & (unsigned char)~byte_mask(len, i))
			return -EDOM;
	return 0;
}

int ipnet_from_sockaddr(const struct sockaddr *sa, struct ipnet *net)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0,	   0,
						 0, 0, 0, 0, 0xff, 0xff};

	if (!sa || !net)
		return -EINVAL;
	memset(net, 0, sizeof(*net));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)sa;
		memcpy(net->addr, &a->sin_addr, 4);
		net->family = AF_INET;
		net->prefix = 32;
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;
		const unsigned char *b = a->sin6_addr.s6_addr;
		if (!memcmp(b, mapped, sizeof(mapped))) {
			memcpy(net->addr, b + 12, 4);
			net->family = AF_INET;
			net->prefix = 32;
		} else {
			memcpy(net->addr, b, 16);
			net->family = AF_INET6;
			net->prefix = 128;
		}
		return 0;
	}
	return -EAFNOSUPPORT;
}

bool ipnet_contains(const struct ipnet *net, const struct ipnet *a)
{
	int full, rest;

	if (!net || !a || net->family != a->family || a->prefix < net->prefix)
		return false;
	full = net->prefix / 8;
	rest = net->prefix % 8;
	if (memcmp(net->addr, a->addr, (size_t)full))
		return false;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((net->addr[full] ^ a->addr[full]) & mask)
			return false;
	}
	return true;
}

bool ipnet_match_any(const struct ipnet *nets, int n, const struct sockaddr *sa)
{
	struct ipnet a;

	if (!nets || ipnet_from_sockaddr(sa, &a))
		return false;
	for (int i = 0; i < n; i++)
		if (ipnet_contains(&nets[i], &a))
			return true;
	return false;
}

void ipnet_format(const struct ipnet *net, char *buf, size_t len)
{
	char text[INET6_ADDRSTRLEN] = "?";
	int full;

	if (!buf || !len)
		return;
	if (!net || (net->family != AF_INET && net->family != AF_INET6)) {
		snprintf(buf, len, "?");
		return;
	}
	inet_ntop(net->family, net->addr, text, sizeof(text));
	full = net->family == AF_INET ? 32 : 128;
	if (net->prefix == full)
		snprintf(buf, len, "%s", text);
	else
		snprintf(buf, len, "%s/%d", text, net->prefix);
}
