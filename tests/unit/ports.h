/* ports.h - the unit tests' UDP ports: a run of N consecutive ports, the
 * first even, free on 127.0.0.1 when picked. Taken at random from
 * 20000-32767 (below the kernel's ephemeral range, so no outgoing
 * connection holds one), as the shell tests do (free_port_range in
 * tests/lib/common.sh), so unit tests may run beside each other and beside
 * other suites without a fixed range to collide on.
 *
 *   int base = unit_free_ports(12);   // base .. base + 11, or -1
 */
#ifndef ONDO_TESTS_PORTS_H
#define ONDO_TESTS_PORTS_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

/* 1 if nothing is bound to UDP port on 127.0.0.1 right now. */
static inline int unit_port_free(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ok;

	if (fd < 0)
		return 0;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

static inline int unit_free_ports(int n)
{
	unsigned int r;
	int tries, base, i;

	for (tries = 0; tries < 500; tries++) {
		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (unsigned int)rand();
		base = (20000 + (int)(r % (unsigned int)(12768 - n))) & ~1;
		for (i = 0; i < n && unit_port_free(base + i); i++)
			;
		if (i == n)
			return base;
	}
	return -1;
}

#endif
