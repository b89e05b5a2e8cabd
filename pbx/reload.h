/* reload.h - `ondoctl reload` and SIGHUP: the config file read again and
 * what can change while calls go on applied at once (docs/ondoctl.md,
 * "reload"). */
#ifndef ONDO_RELOAD_H
#define ONDO_RELOAD_H

#include <stdio.h>
#include "conf/conf.h"

struct sip;

/*
 * app_reload - reads `path` (NULL: the daemon runs on the embedded
 * defaults, there is nothing to read) into a new conf; if it loads,
 * copies what can change live into *live (the daemon's own conf, which
 * the SIP thread borrows) and tells the SIP side; the trunks are read
 * from the database again. One line per change to `out` ("log level:
 * info -> warn", "sip listen: takes effect at the next start"). A file
 * that does not load changes nothing: its error is the first line and
 * -EINVAL is returned. SIP thread only; no call is touched.
 */
int app_reload(struct conf *live, const char *path, struct sip *sip,
	       FILE *out);

#endif
