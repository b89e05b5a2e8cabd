/* ipnet.h - IPv4 and IPv6 addresses and prefixes (CIDR), as a trunk's
 * `ips` lists them, and whether a source address falls in one. Pure: no
 * DNS, no state; safe in any thread. */
#ifndef ONDO_IPNET_H
#define ONDO_IPNET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* "255.255.255.255/32" or a full IPv6 text with "/128", and the NUL. */
#define IPNET_TEXT_LEN 50

/* A network: `prefix` leading bits of `addr` count, the rest are zero. A
 * single address is a network of 32 (IPv4) or 128 (IPv6) bits. */
struct ipnet {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char addr[16]; /* network byte order; IPv4 in the first 4 */
	int prefix;		/* 0..32 or 0..128 */
};

/* Parses an address ("192.0.2.1", "2001:db8::1") or a prefix
 * ("10.0.0.0/24", "2001:db8::/32", "0.0.0.0/0"). Strict: dotted quads
 * without leading zeros, no zone ("%eth0"), no blanks, a prefix length
 * in decimal without leading zeros. 0; -EINVAL if it is neither;
 * -EDOM if it is a prefix whose address has bits set past the length
 * ("10.0.0.1/24": a typo for 10.0.0.0/24, or an address meant alone?
 * guessing either way would admit the wrong carriers); *net is filled
 * then too, as written. */
int ipnet_parse(const char *s, struct ipnet *net);
/* Clears the bits of net->addr past net->prefix. */
void ipnet_clear_host_bits(struct ipnet *net);
/* The one address in sa (AF_INET or AF_INET6; an IPv4-mapped IPv6
 * address "::ffff:192.0.2.1" is taken as the IPv4 address it carries,
 * which is how a dual-stack socket shows an IPv4 peer). -EAFNOSUPPORT
 * for another family. */
int ipnet_from_sockaddr(const struct sockaddr *sa, struct ipnet *net);
/* True if address `a` (a network of full length) lies in `net`. */
bool ipnet_contains(const struct ipnet *net, const struct ipnet *a);
/* True if the source sa lies in one of nets[0..n-1]. */
bool ipnet_match_any(const struct ipnet *nets, int n,
		     const struct sockaddr *sa);
/* The network as ipnet_parse takes it: the address alone for a full
 * length, else "ADDR/LEN". buf of at least IPNET_TEXT_LEN. */
void ipnet_format(const struct ipnet *net, char *buf, size_t len);

#endif
