/* memtrim.c - after a burst (a REGISTER storm keeps ~10 KB of sofia-sip
 * transaction state per request for 32 s), glibc keeps the freed memory
 * mapped, so RSS stays at the peak for good and looks like a leak
 * (bench/RESULTS.md: 2.1 GB RSS for 40 MB in use). malloc_trim() hands
 * the free pages back (madvise), including those between live blocks. */
#include <malloc.h>

#include "core/memtrim.h"

int mem_trim_maybe(void)
{
	struct mallinfo2 mi = mallinfo2();

	if (mi.fordblks < (size_t)MEMTRIM_FREE_MB * 1024 * 1024)
		return 0;
	malloc_trim(0);
	return 1;
}
