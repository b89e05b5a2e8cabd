/* db_msg.h - SIP MESSAGEs waiting for their recipient
 * (migrations/0014_messages.sql). */
#ifndef ONDO_DB_MSG_H
#define ONDO_DB_MSG_H

#include "db.h"

#define DB_MSG_BODY_MAX 4096 /* bytes of a message's body */
#define DB_MSG_CTYPE_LEN 128

struct db_msg {
	int64_t id, tenant_id;
	char to_ext[DB_NUMBER_LEN], from_ext[DB_NUMBER_LEN];
	char from_name[DB_NAME_LEN];
	char content_type[DB_MSG_CTYPE_LEN];
	char body[DB_MSG_BODY_MAX + 1];
	int64_t created;
};

/* Stores m (its id is ignored) unless `to_ext` already has `max` waiting:
 * then -ENOSPC. */
int db_msg_add(struct db *db, const struct db_msg *m, int max);
/* How many wait for to_ext, into *n. */
int db_msg_count(struct db *db, int64_t tenant_id, const char *to_ext, int *n);
/* The messages waiting for to_ext, oldest first; h returning non-zero
 * stops the walk. */
int db_msg_list(struct db *db, int64_t tenant_id, const char *to_ext,
		int (*h)(const struct db_msg *m, void *arg), void *arg);
int db_msg_del(struct db *db, int64_t id);
/* Drops messages created before `before`; how many in *n (may be NULL). */
int db_msg_expire(struct db *db, int64_t before, int *n);

#endif
