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
