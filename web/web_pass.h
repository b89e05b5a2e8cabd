/* web_pass.h - web users' password hashes (argon2id), shared by the HTTP
 * server and ondoctl. */
#ifndef ONDO_WEB_PASS_H
#define ONDO_WEB_PASS_H

#include <stdbool.h>
#include "db_web.h"

/* 0, -ENOMEM (the memory cost could not be had) or -EIO. */
int web_pass_hash(const char *password, char out[DB_WEB_HASH_LEN]);
bool web_pass_ok(const char *hash, const char *password);
/* 8 to 128 characters. */
bool web_pass_valid(const char *password);

#endif
