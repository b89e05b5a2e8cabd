/* db_vm.h - voicemail rows: mailboxes and the index of their messages
 * (migrations/0009_voicemail.sql). The files are pbx/vm/vm_store.h's. */
#ifndef ONDO_DB_VM_H
#define ONDO_DB_VM_H

#include "db.h"

/* crypto_pwhash_STRBYTES (128) is the longest hash string. */
#define DB_VM_PIN_HASH_LEN 128
#define DB_VM_EMAIL_LEN	   255
#define DB_VM_FOLDER_LEN   8
/* A caller ID from SIP may be longer than an extension number. */
#define DB_VM_CALLER_LEN 64

/* A mailbox's settings. Every extension has one (a trigger adds it). */
struct db_vm_box {
	int64_t ext_id;
	int64_t tenant_id;
	int enabled;			   /* 0 or 1 */
	char pin_hash[DB_VM_PIN_HASH_LEN]; /* "" until a PIN is set */
	int max_messages;		   /* quota */
	int max_minutes;
	char email[DB_VM_EMAIL_LEN]; /* "" for none */
	int email_attach;	     /* 1: WAV attached, 0: a link */
};

/* One message. */
struct db_vm_msg {
	int64_t id;
	int64_t tenant_id;
	int64_t ext_id;
	char folder[DB_VM_FOLDER_LEN]; /* "new" or "saved" */
	char caller[DB_VM_CALLER_LEN];
	char caller_name[DB_NAME_LEN];
	int64_t received_at; /* seconds since the epoch */
	int64_t duration_ms;
	char file[DB_URI_LEN]; /* relative to the spool folder */
	int missing;	       /* flagged_missing */
};

/* What a box holds, flagged rows apart (they take no disk). */
struct db_vm_counts {
	int new_msgs;
	int saved_msgs;
	int missing;	  /* rows flagged missing, in either folder */
	int64_t total_ms; /* of the playable messages */
};

/* The box of extension `number` of the tenant. -ENOENT if there is no
 * such extension. */
int db_vm_box_get(struct db *db, int64_t tenant_id, const char *number,
		  struct db_vm_box *b);
/* Reads the box, lets `edit` change *b (a non-zero return cancels and is
 * returned) and writes every setting back, in one write transaction, so
 * that two edits of different settings never undo each other. -EINVAL
 * for a setting that does not fit its column; -ENOENT if there is no
 * such extension. */
int db_vm_box_update(struct db *db, int64_t tenant_id, const char *number,
		     int (*edit)(struct db_vm_box *b, void *arg), void *arg);
int db_vm_counts(struct db *db, int64_t ext_id, struct db_vm_counts *c);

/* Stores `m` (id and missing ignored) and puts the new id in *idp (may be
 * NULL). If the box has an email address, the message's mail is queued
 * (db_vm_mail.h) in the same transaction, so not within another one.
 * -EEXIST if a row has that file already; -ENOENT if the extension is
 * gone; -EINVAL for a bad folder or a string too long. */
int db_vm_msg_add(struct db *db, const struct db_vm_msg *m, int64_t *idp);
/* Message `id` of the box; -ENOENT if the box has none such (another
 * tenant's or box's id included). */
int db_vm_msg_get(struct db *db, int64_t tenant_id, int64_t ext_id, int64_t id,
		  struct db_vm_msg *m);
/* The row of `file`; -ENOENT if none. */
int db_vm_msg_by_file(struct db *db, const char *file, struct db_vm_msg *m);
/* Calls `h` for each message of the box in `folder` ("new", "saved", or
 * NULL for both), newest first; flagged rows included. A non-zero return
 * stops the walk and is returned. */
int db_vm_msg_list(struct db *db, int64_t tenant_id, int64_t ext_id,
		   const char *folder,
		   int (*h)(const struct db_vm_msg *m, void *arg), void *arg);
/* Every message of every tenant, by id (for reconciling the spool). */
int db_vm_msg_walk(struct db *db,
		   int (*h)(const struct db_vm_msg *m, void *arg), void *arg);
/* Points message `id` at `file` in `folder`, and clears its flag. */
int db_vm_msg_move(struct db *db, int64_t id, const char *folder,
		   const char *file);
int db_vm_msg_set_missing(struct db *db, int64_t id, int missing);
int db_vm_msg_del(struct db *db, int64_t id);

/* The mailboxes of a tenant that hold playable messages, with their
 * counts, in extension order (the dashboard's "new voicemail"). */
struct db_vm_box_sum {
	char number[DB_NUMBER_LEN];
	char name[DB_NAME_LEN];
	int new_msgs, saved_msgs;
};
int db_vm_tenant_boxes(struct db *db, int64_t tenant_id,
		       int (*h)(const struct db_vm_box_sum *b, void *arg),
		       void *arg);

/* A tenant's voicemail settings (migration 0010). */
#define DB_VM_MESSAGE_S_MIN 10	 /* longest message: 10 s .. 1 h */
#define DB_VM_MESSAGE_S_MAX 3600
#define DB_VM_SILENCE_S_MAX 60	 /* silence that ends one: 0 (off) .. 60 s */
struct db_vm_tenant {
	int max_message_s;
	int silence_s;	      /* 0: no silence limit */
	int own_phone_nopin;  /* 1: the owner's own phone skips the PIN */
};

int db_vm_tenant_get(struct db *db, int64_t tenant_id,
		     struct db_vm_tenant *v);
/* -EINVAL for a value out of its range; -ENOENT if there is no tenant. */
int db_vm_tenant_set(struct db *db, int64_t tenant_id,
		     const struct db_vm_tenant *v);

#endif
