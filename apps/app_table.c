/* app_table.c - the descriptor table built from apps/app_list.h. */
#include <string.h>

#include "apps/apps.h"

#define APP_ENTRY(n, args, help) &app_##n,
static const struct app *const table[] = {APP_LIST(APP_ENTRY)
					  &app_transfer, &app_park};
#undef APP_ENTRY

const struct app *app_find(const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}
