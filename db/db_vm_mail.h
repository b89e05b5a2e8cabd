/* db_vm_mail.h - the voicemail email queue (migrations/0011_vm_mail.sql):
 * what the daemon's mail thread (pbx/vm/vm_mail.h) still has to send. */
#ifndef ONDO_DB_VM_MAIL_H
#define ONDO_DB_VM_MAIL_H

#include "db.h"
#include "db_timecond.h"
#include "db_vm.h"

/* The last failure's text, as curl or the server said it. */
#define DB_VM_MAIL_ERR_LEN 256

/* One queued mail, with what it announces. */
struct db_vm_mail {
	int64_t id;
	int64_t tenant_id;
	int64_t msg_id;
	char rcpt[DB_VM_EMAIL_LEN]; /* the box's address at deposit */
	int attach;		    /* 1: the WAV, 0: a link */
	int attempts;		    /* failed tries so far */
	int64_t next_at;	    /* seconds since the epoch */
	int64_t created;
	char last_error[DB_VM_MAIL_ERR_LEN];
	/* filled by db_vm_mail_next and db_vm_mail_list: */
	char domain[DB_DOMAIN_LEN];
	char ext[DB_NUMBER_LEN];
	char ext_name[DB_NAME_LEN];
	char timezone[DB_TZ_LEN]; /* the tenant's */
	struct db_vm_msg msg;
};

/* Queues the mail for message `msg_id` if its box has an address, due at
 * `now`; nothing (still 0) if it has none or there is no such message.
 * Called by db_vm_msg_add inside the transaction that inserts the
 * message. */
int db_vm_mail_add(struct db *db, int64_t msg_id, int64_t now);

/* The queued mail due first (lowest next_at, then id) if it is due at
 * `now`, with its message, box and tenant. -ENOENT if none is due. */
int db_vm_mail_next(struct db *db, int64_t now, struct db_vm_mail *m);
/* When the next mail is due (seconds since the epoch); -ENOENT if the
 * queue is empty. */
int db_vm_mail_next_at(struct db *db, int64_t *atp);
/* Records a failed try: attempts, when to try again, why. -ENOENT if the
 * row is gone (its message was deleted meanwhile). */
int db_vm_mail_retry(struct db *db, int64_t id, int attempts, int64_t next_at,
		     const char *error);
/* Removes the row: sent, or given up. -ENOENT if it is gone already. */
int db_vm_mail_del(struct db *db, int64_t id);
/* Calls `h` for each queued mail of a tenant (0: every tenant), by next_at;
 * a non-zero return stops the walk and is returned. */
int db_vm_mail_list(struct db *db, int64_t tenant_id,
		    int (*h)(const struct db_vm_mail *m, void *arg), void *arg);
/* How many mailboxes have an email address (for the start-up line that
 * says email is off). */
int db_vm_mail_boxes(struct db *db, int *np);

#endif
