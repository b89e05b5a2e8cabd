/* memtrim.h - gives memory freed after a burst back to the system. */
#ifndef ONDO_MEMTRIM_H
#define ONDO_MEMTRIM_H

/* Called now and then (the SIP thread's tick): when malloc holds more
 * than MEMTRIM_FREE_MB freed, returns the free pages to the system.
 * Returns 1 if it trimmed. */
int mem_trim_maybe(void);

#define MEMTRIM_FREE_MB 64

#endif
