/* demo.h - the demo tenant created on a first run with no config file. */
#ifndef ONDO_DEMO_H
#define ONDO_DEMO_H

/* If the database at db_path has no tenant yet, creates tenant `domain`
 * with extensions 1001 and 1002 and its web admin "admin" under random
 * passwords and prints them to stdout with the panel's address `http`
 * (they are stored only hashed, so this is the one chance to see them).
 * 0 or a negative errno. */
int demo_seed(const char *db_path, const char *domain, const char *http);

#endif
