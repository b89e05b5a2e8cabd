/* fdlimit.h - the open-file limit the daemon needs. */
#ifndef ONDO_FDLIMIT_H
#define ONDO_FDLIMIT_H

/* Raises the soft RLIMIT_NOFILE towards `want` (never above the hard
 * limit, never lowering it). Returns the soft limit now in force, or a
 * negative errno if it cannot be read. */
long fd_limit_raise(long want);

#endif
