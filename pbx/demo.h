/* demo.h - the demo tenant created on a first run with no config file. */
#ifndef ONDO_DEMO_H
#define ONDO_DEMO_H

/* If the database at db_path has no tenant yet, creates tenant `domain`
 * with extensions 1001 and 1002 under random passwords and prints them
 * to stdout (they are stored only as HA1, so this is the one chance to
 * see them). 0 or a negative errno. */
int demo_seed(const char *db_path, const char *domain);

#endif
