/* fdlimit.c - raises the open-file limit to what the RTP port range needs.
 * A service's soft limit is often 1024, and every relayed call holds four
 * sockets: without this the PBX would refuse calls past about 250 long
 * before its ports run out. */
#include <errno.h>
#include <sys/resource.h>

#include "core/fdlimit.h"

long fd_limit_raise(long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -errno;
	if (want > 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)want) {
		struct rlimit up = rl;

		up.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
				      rl.rlim_max > (rlim_t)want
				  ? (rlim_t)want
				  : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	return rl.rlim_cur == RLIM_INFINITY ? want : (long)rl.rlim_cur;
}
