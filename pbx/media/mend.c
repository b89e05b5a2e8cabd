/* mend.c - one RTP endpoint's addresses: strict symmetric RTP and latching. */
#include <string.h>
#include <netinet/in.h>

#include "media/media_priv.h"

#define RTP_LEARN_PKTS 4 /* in a row from an unexpected source: 80 ms */

static int same_ip(const struct sockaddr_storage *a,
		   const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr,
			       16);
	return 0;
}

static int port_of(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)a)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)a)->sin6_port);
}

static void set_port(struct sockaddr_storage *a, int port)
{
	if (a->ss_family == AF_INET)
		((struct sockaddr_in *)a)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)a)->sin6_port = htons((uint16_t)port);
}

socklen_t mend_addr_len(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET ? sizeof(struct sockaddr_in)
				       : sizeof(struct sockaddr_in6);
}

static int same_addr(const struct sockaddr_storage *a,
		     const struct sockaddr_storage *b)
{
	return same_ip(a, b) && port_of(a) == port_of(b);
}

static int expected_ip(const struct mend *e, const struct sockaddr_storage *src)
{
	for (int i = 0; i < e->n_ok; i++)
		if (same_ip(&e->ok_ip[i], src))
			return 1;
	return 0;
}

/*
 * Which packets a side accepts (strict symmetric RTP):
 * - from the IP its SDP names or its signalling came from: always, and the
 *   source becomes the send address (NAT, port changes);
 * - from the source already latched: always;
 * - from any other source, only while nothing is latched yet and only once
 *   RTP_LEARN_PKTS packets in a row came from it: a phone whose media
 *   leaves from another of its addresses (a multi-homed host, a softphone
 *   on the PBX's own machine). Once a source is latched, a stranger can no
 *   longer take the stream over.
 */
int mend_admit(struct mend *e, int kind, const struct sockaddr_storage *src)
{
	if (expected_ip(e, src)) {
		e->latched[kind] = 1;
		e->dst[kind] = *src;
		return 1;
	}
	if (e->latched[kind])
		return same_addr(&e->dst[kind], src);
	if (e->learn_n[kind] && same_addr(&e->learn[kind], src)) {
		if (++e->learn_n[kind] < RTP_LEARN_PKTS)
			return 0;
		e->latched[kind] = 1;
		e->dst[kind] = *src;
		return 1;
	}
	e->learn[kind] = *src;
	e->learn_n[kind] = 1;
	return 0;
}

void mend_set_remote(struct mend *e, const struct sockaddr_storage *sdp,
		     const struct sockaddr_storage *sig)
{
	e->dst[MKIND_RTP] = *sdp;
	e->dst[MKIND_RTCP] = *sdp;
	set_port(&e->dst[MKIND_RTCP], port_of(sdp) + 1);
	e->have_dst = 1;
	e->latched[0] = e->latched[1] = 0;
	e->learn_n[0] = e->learn_n[1] = 0;
	e->ok_ip[0] = *sdp;
	e->n_ok = 1;
	if (sig && sig->ss_family && !same_ip(sig, sdp))
		e->ok_ip[e->n_ok++] = *sig;
}
