/* status.h - `ondoctl status`: what the running daemon holds and uses. */
#ifndef ONDO_STATUS_H
#define ONDO_STATUS_H

#include <stdio.h>
#include <time.h>

struct sip;
struct media;

/* Prints one "key value" line per figure: uptime, registrations, calls,
 * RTP ports in use, heap in use (malloc's own count, which falls when
 * memory is freed, unlike RSS), RSS and its peak, open files. */
int status_print(struct sip *s, struct media *m, time_t started, FILE *out);

#endif
