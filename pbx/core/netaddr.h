/* netaddr.h - which address the PBX puts in SDP and binds its RTP to. */
#ifndef ONDO_NETADDR_H
#define ONDO_NETADDR_H

struct net_addrs {
	char sdp[64];	     /* the address phones send media to */
	char media_bind[64]; /* what the RTP sockets bind to */
};

/* The SDP address is public_ip if set, else the listen IP, else the first
 * non-loopback IPv4 address of the host. RTP binds to the listen IP if it
 * is specific, else to the SDP address when that is local, so that relayed
 * packets leave from the very address the SDP names (a phone may drop RTP
 * from any other source); a public_ip that is not local (1:1 NAT) binds
 * the wildcard. Returns 0 or -EINVAL for a malformed address. */
int net_pick(struct net_addrs *a, const char *listen_ip,
	     const char *public_ip);

#endif
