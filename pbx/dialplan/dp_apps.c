/* dp_apps.c - the dialplan applications' names and help, from app_list.h. */
#include <string.h>

#include "apps/app_list.h"
#include "dialplan/dialplan.h"

#define APP_INFO(n, args, help) {#n, args, help},

static const struct dp_app_info apps[] = {APP_LIST(APP_INFO){NULL, NULL, NULL}};

/* Built by the compiler from the same list: nothing to keep in step. */
static const char names[] = APP_LIST(APP_NAME_COMMA);

int app_known(const char *name)
{
	if (!name)
		return 0;
	for (const struct dp_app_info *a = apps; a->name; a++)
		if (!strcmp(a->name, name))
			return 1;
	return 0;
}

const struct dp_app_info *dp_apps(void)
{
	return apps;
}

const char *dp_app_names(void)
{
	return names + 2; /* past the first ", " */
}
