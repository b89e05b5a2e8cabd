/* sdp_rewrite.h - points a phone's SDP at the PBX's relay ports. */
#ifndef ONDO_SDP_REWRITE_H
#define ONDO_SDP_REWRITE_H

#include <stddef.h>
#include <sys/socket.h>

/* Parses `in` (len bytes) and rewrites it so that its first audio stream
 * is received at ip:port (c=, o= and m= lines); other streams are
 * declined (port 0), and attributes that would route media around the
 * PBX (ICE candidates, a=rtcp) are dropped. Codecs, telephone-event and
 * direction attributes pass unchanged.
 * On success *out is a NUL-terminated copy the caller frees with free(),
 * and *remote is where the sender wants its audio (IP and RTP port).
 * Returns -EINVAL for SDP that does not parse or has no usable audio
 * stream, -ENOMEM. */
int sdp_rewrite(const char *in, size_t len, const char *ip, int port,
		char **out, struct sockaddr_storage *remote);

/* 0 if sofia-sip's SDP parser can be given `in` (len bytes), -EINVAL if
 * it would never return from it (see sdp_rewrite.c). Every sdp_parse() of
 * SDP from a phone or a carrier goes through this first. */
int sdp_parse_safe(const char *in, size_t len);

/* The address of an SDP c= line and a port as a socket address (IPv4 or
 * IPv6 literals only). 0, or -EINVAL for a name, port 0 or garbage.
 * Shared by the rewriter and offer/answer (sdp_oa.c). */
struct sdp_connection_s;
int sdp_conn_addr(const struct sdp_connection_s *c, unsigned long port,
		  struct sockaddr_storage *ss);

#endif
