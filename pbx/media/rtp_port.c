/* rtp_port.c - hands out even/odd UDP port pairs from the configured range. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "media/media_priv.h"
#include "core/log.h"

int rtp_ports_init(struct media *m, int port_min, int port_max)
{
	if (port_min < 1024 || port_max > 65535 || port_min + 3 > port_max)
		return -EINVAL;
	m->port_min = port_min + (port_min & 1);
	m->npairs = (port_max - m->port_min + 1) / 2;
	m->pairs_used = calloc((size_t)m->npairs, 1); /* owned by m */
	if (!m->pairs_used)
		return -ENOMEM;
	pthread_mutex_init(&m->plock, NULL);
	return 0;
}

void rtp_ports_close(struct media *m)
{
	free(m->pairs_used);
	m->pairs_used = NULL;
	pthread_mutex_destroy(&m->plock);
}

static int udp_bind(const char *ip, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (strchr(ip, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, ip, &s6->sin6_addr) != 1)
			return -EINVAL;
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, ip, &s4->sin_addr) != 1)
			return -EINVAL;
		len = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	(void)one;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Takes the next free pair after the cursor, so a port just released is
 * not reused at once (late packets of the old call would leak into it). */
static int take_pair(struct media *m)
{
	int idx = -1;

	pthread_mutex_lock(&m->plock);
	for (int i = 0; i < m->npairs; i++) {
		int k = (m->cursor + i) % m->npairs;
		if (!m->pairs_used[k]) {
			m->pairs_used[k] = 1;
			m->cursor = (k + 1) % m->npairs;
			m->in_use++;
			m->takes++;
			idx = k;
			break;
		}
	}
	pthread_mutex_unlock(&m->plock);
	return idx;
}

static void give_pair(struct media *m, int idx)
{
	pthread_mutex_lock(&m->plock);
	if (m->pairs_used[idx]) {
		m->pairs_used[idx] = 0;
		m->in_use--;
	}
	pthread_mutex_unlock(&m->plock);
}

/* Out of file descriptors (or kernel memory): every other pair would fail
 * the same way, so trying them all (thousands of syscalls per call while
 * the daemon is already overloaded) only burns CPU. */
static int fatal_socket_err(int err)
{
	return err == -EMFILE || err == -ENFILE || err == -ENOMEM ||
	       err == -ENOBUFS || err == -EINVAL || err == -EADDRNOTAVAIL;
}

/* One line per second at most: under overload every call would log. */
static void warn_no_pair(struct media *m, int err)
{
	time_t now = time(NULL);
	int quiet;

	pthread_mutex_lock(&m->plock);
	quiet = now == m->warned;
	m->warned = now;
	pthread_mutex_unlock(&m->plock);
	if (quiet)
		return;
	LOGW("rtp", "no free RTP port pair in %d-%d (%s)", m->port_min,
	     m->port_min + 2 * m->npairs - 1,
	     err == -EADDRINUSE ? "all in use" : strerror(-err));
}

int rtp_port_open(struct media *m, struct mend *e)
{
	int last_err = -EADDRINUSE;

	/* A port taken by another program is skipped; give up after trying
	 * every pair once, or at the first error no other pair can mend. */
	for (int tries = 0; tries < m->npairs; tries++) {
		int idx = take_pair(m), port, fd0, fd1;

		if (idx < 0)
			break;
		port = m->port_min + 2 * idx;
		fd0 = udp_bind(m->bind_ip, port);
		fd1 = fd0 >= 0 ? udp_bind(m->bind_ip, port + 1) : -1;
		if (fd0 >= 0 && fd1 >= 0) {
			e->port = port;
			e->sock[MKIND_RTP].fd = fd0;
			e->sock[MKIND_RTCP].fd = fd1;
			return 0;
		}
		last_err = fd0 < 0 ? fd0 : fd1;
		if (fd0 >= 0)
			close(fd0);
		give_pair(m, idx);
		if (fatal_socket_err(last_err))
			break;
	}
	warn_no_pair(m, last_err);
	return last_err == -EINVAL ? -EINVAL : -EAGAIN;
}

void rtp_port_close(struct media *m, struct mend *e)
{
	for (int k = 0; k < 2; k++) {
		if (e->sock[k].fd >= 0)
			close(e->sock[k].fd);
		e->sock[k].fd = -1;
	}
	if (e->port)
		give_pair(m, (e->port - m->port_min) / 2);
	e->port = 0;
}

int media_ports_in_use(struct media *m)
{
	int n;

	pthread_mutex_lock(&m->plock);
	n = m->in_use;
	pthread_mutex_unlock(&m->plock);
	return n;
}
