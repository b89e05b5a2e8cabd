/* apps.h - the daemon's table of dialplan applications. */
#ifndef ONDO_APPS_H
#define ONDO_APPS_H

#include "core/chan.h"
#include "apps/app_list.h"

/* Every app's descriptor, declared from the one list. */
#define APP_DECLARE(n, args, help) extern const struct app app_##n;
APP_LIST(APP_DECLARE)
#undef APP_DECLARE

/* Apps no route names: the daemon starts them itself. */
extern const struct app app_transfer; /* call_xfer.c's target */
extern const struct app app_park;     /* call_park.c's parked calls */

/* The app of that name (a route's, or an internal one), or NULL. */
const struct app *app_find(const char *name);

#endif
