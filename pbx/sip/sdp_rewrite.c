/* sdp_rewrite.c - SDP rewriting for media anchoring, on sofia's SDP parser. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <sofia-sip/su_config.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/sdp.h>

#include "sip/sdp_rewrite.h"

/* Attributes that name addresses or ports the PBX no longer uses. */
static int drop_attr(const char *name)
{
	static const char *const names[] = {
		"rtcp", "candidate", "ice-ufrag", "ice-pwd", "ice-options",
		"ice-lite", "remote-candidates", "ice-mismatch"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(name, names[i]))
			return 1;
	return 0;
}

static void strip_attrs(sdp_attribute_t **list)
{
	while (*list) {
		if ((*list)->a_name && drop_attr((*list)->a_name))
			*list = (*list)->a_next;
		else
			list = &(*list)->a_next;
	}
}

/*
 * sofia-sip 1.12.11 (Debian 12's) never returns from sdp_parse() when an
 * entry of the format list of an m= line whose transport is not RTP
 * starts with something other than a token character, e.g. "m=audio 8000
 * X /V": its loop adds an empty entry without moving on, allocating until
 * the memory is gone (fixed upstream in 2022, freeswitch/sofia-sip
 * a953f25). One such SDP from any phone or carrier would stop the SIP
 * thread. The functions below walk each m= line the way that parser does
 * and refuse the SDP where it would get stuck; anything else is left to
 * the parser.
 */
#define SDP_TOKEN                                                              \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"       \
	"-!#$%&'*+.^_`{|}~"

/* Characters of `set` from s, before e. */
static size_t span(const char *s, const char *e, const char *set)
{
	size_t n = 0;

	while (s + n < e && s[n] && strchr(set, s[n]))
		n++;
	return n;
}

/* As sofia's parse_ul(): blanks, a number (strtoul: sign allowed), blanks.
 * 0 if there is no number. */
static int skip_number(const char **rp, const char *e)
{
	const char *r = *rp;
	size_t d;

	r += span(r, e, " \t\v\f");
	if (r < e && (*r == '+' || *r == '-'))
		r++;
	d = span(r, e, "0123456789");
	if (!d)
		return 0;
	r += d;
	*rp = r + span(r, e, " \t");
	return 1;
}

/* As sofia's token(): after a token, one separator character and then
 * any of `more`. */
static const char *after_token(const char *r, const char *e, const char *more)
{
	if (r < e) {
		r++;
		r += span(r, e, more);
	}
	return r;
}

/* 1 if sofia's parse_media() would loop forever on the m= line [r, e),
 * "m=" and the blanks after it skipped. */
static int media_line_stuck(const char *r, const char *e)
{
	size_t n = span(r, e, SDP_TOKEN); /* media */

	if (!n)
		return 0; /* an error for sofia, not a loop */
	r = after_token(r + n, e, " ");
	if (!skip_number(&r, e))
		return 0;
	if (r < e && *r == '/') {
		r++;
		if (!skip_number(&r, e))
			return 0;
	}
	r += span(r, e, " "); /* transport */
	n = span(r, e, "/" SDP_TOKEN);
	if (!n)
		return 0;
	r = after_token(r + n, e, " ");
	/* The format list as the non-RTP loop reads it. An RTP one is read
	 * by another loop, which stops at anything this one stops at. */
	while (r < e) {
		r += span(r, e, " \t");
		n = span(r, e, SDP_TOKEN);
		if (!n)
			return 1;
		r = after_token(r + n, e, " \t");
	}
	return 0;
}

int sdp_parse_safe(const char *in, size_t len)
{
	/* sofia reads its copy as a C string: up to the first NUL. */
	const char *p = in, *end = in + strnlen(in, len);

	while (p < end) {
		const char *eol = p;

		while (eol < end && *eol != '\r' && *eol != '\n')
			eol++;
		p += span(p, eol, " \t");
		if (eol - p >= 2 && p[0] == 'm' && p[1] == '=') {
			p += 2;
			p += span(p, eol, " \t");
			if (media_line_stuck(p, eol))
				return -EINVAL;
		}
		p = eol + (eol < end);
	}
	return 0;
}

int sdp_conn_addr(const sdp_connection_t *c, unsigned long port,
		  struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (!c || !c->c_address || port == 0 || port > 65535)
		return -EINVAL;
	if (c->c_addrtype == sdp_addr_ip4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		return inet_pton(AF_INET, c->c_address, &s4->sin_addr) == 1
			       ? 0
			       : -EINVAL;
	}
	if (c->c_addrtype == sdp_addr_ip6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, c->c_address, &s6->sin6_addr) == 1
			       ? 0
			       : -EINVAL;
	}
	return -EINVAL;
}

/* Rewrites the parsed session in place; strings point at `conn`. */
static int rewrite(sdp_session_t *sess, sdp_connection_t *conn, int port,
		   struct sockaddr_storage *remote)
{
	sdp_connection_t *sess_c = sess->sdp_connection;
	int found = 0;

	for (sdp_media_t *m = sess->sdp_media; m; m = m->m_next) {
		sdp_connection_t *c = m->m_connections ? m->m_connections
						       : sess_c;
		if (m->m_type != sdp_media_audio || found || m->m_port == 0 ||
		    m->m_rejected) {
			/* Only one audio stream is anchored for now: the
			 * rest are declined rather than sent around us. */
			m->m_port = 0;
			m->m_rejected = 1;
			continue;
		}
		if (sdp_conn_addr(c, m->m_port, remote))
			return -EINVAL;
		found = 1;
		m->m_port = (unsigned long)port;
		m->m_number_of_ports = 0;
		m->m_connections = conn;
		strip_attrs(&m->m_attributes);
	}
	if (!found)
		return -EINVAL;
	strip_attrs(&sess->sdp_attributes);
	sess->sdp_connection = conn;
	if (sess->sdp_origin)
		sess->sdp_origin->o_address = conn;
	return 0;
}

int sdp_rewrite(const char *in, size_t len, const char *ip, int port,
		char **out, struct sockaddr_storage *remote)
{
	su_home_t home[1] = {SU_HOME_INIT(home)};
	sdp_connection_t conn;
	sdp_parser_t *p;
	sdp_printer_t *pr = NULL;
	sdp_session_t *sess;
	const char *msg;
	int err = -EINVAL;

	if (!in || !len || !ip || !out || !remote || port <= 0)
		return -EINVAL;
	*out = NULL;
	memset(&conn, 0, sizeof(conn));
	conn.c_size = sizeof(conn);
	conn.c_nettype = sdp_net_in;
	conn.c_addrtype = strchr(ip, ':') ? sdp_addr_ip6 : sdp_addr_ip4;
	conn.c_address = (char *)ip;

	if (sdp_parse_safe(in, len))
		return -EINVAL;
	p = sdp_parse(home, in, (issize_t)len, sdp_f_mode_manual);
	sess = sdp_session(p);
	if (!sess)
		goto out;
	err = rewrite(sess, &conn, port, remote);
	if (err)
		goto out;
	pr = sdp_print(home, sess, NULL, 0, sdp_f_mode_manual);
	msg = sdp_message(pr);
	if (!msg) {
		err = -EINVAL;
		goto out;
	}
	*out = strdup(msg); /* caller frees */
	err = *out ? 0 : -ENOMEM;
out:
	if (pr)
		sdp_printer_free(pr);
	sdp_parser_free(p);
	su_home_deinit(home);
	return err;
}
