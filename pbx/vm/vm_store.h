/* vm_store.h - voicemail storage: mailboxes, messages in the spool and their
 * index in SQLite, kept in step across crashes. */
#ifndef ONDO_VM_STORE_H
#define ONDO_VM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "db_vm.h"

/*
 * Layout under the spool folder `spool` ([spool] dir), per tenant domain
 * (lower case, as stored) and extension number:
 *
 *   SPOOL/tenants/DOMAIN/vm/EXT/new/<received>-<random>.wav   unheard
 *   SPOOL/tenants/DOMAIN/vm/EXT/saved/<same name>.wav          heard
 *   SPOOL/tenants/DOMAIN/vm/EXT/greetings/{unavail,busy,temp,name}.wav
 *   SPOOL/tenants/DOMAIN/vm/EXT/quarantine/                    see vm_reconcile
 *
 * A message is a file and a row of vm_messages (db_vm.h) naming it; the
 * rules that keep the two in step through a crash at any point are in
 * docs/voicemail.md and at each function below.
 *
 * Threads: every function here does blocking file I/O (fsync, rename,
 * libsndfile) and SQLite writes on the calling thread, with the caller's
 * own connection (`db` is borrowed, not shared between threads). Call
 * them from an app thread, the HTTP threads, ondoctl or start-up; never
 * from the SIP thread or a media worker.
 *
 * Errors are 0 or a negative errno:
 *   -ENOENT  no such extension (mailbox) or message in that tenant
 *   -EINVAL  bad argument;       -EIO  database error (logged)
 *   -EPERM   the mailbox is turned off (deposit)
 *   -EDQUOT  the mailbox is full (deposit)
 *   -ENODATA a deposit shorter than VM_MIN_MS, discarded
 *   -ENOSPC, -EACCES... from the file system
 * Every lookup is by tenant id and extension number: a message id of
 * another tenant's or another box's message is -ENOENT.
 */

/* Shorter messages are discarded (file deleted, nothing indexed). */
#define VM_MIN_MS 1000
/* Accepted quota settings. */
#define VM_MAX_MESSAGES_MIN 1
#define VM_MAX_MESSAGES_MAX 10000
#define VM_MAX_MINUTES_MIN  1
#define VM_MAX_MINUTES_MAX  6000
#define VM_PIN_MIN_LEN	    4
#define VM_PIN_MAX_LEN	    10

/* A mailbox: its settings and what it holds. */
struct vm_box {
	int64_t ext_id;
	bool enabled;
	bool has_pin;
	int max_messages;
	int max_minutes;
	char email[DB_VM_EMAIL_LEN]; /* "" for none */
	bool email_attach;	     /* else a link only */
	struct db_vm_counts counts;  /* playable new/saved, flagged, total */
	bool full; /* a deposit would be refused with -EDQUOT */
};

enum vm_greeting {
	VM_GREET_UNAVAIL,
	VM_GREET_BUSY,
	VM_GREET_TEMP,
	VM_GREET_NAME
};

/* ---- paths (pure: no I/O) ---- */

/* SPOOL/tenants/DOMAIN/vm/EXT into `buf` of `len` bytes. 0, or -EINVAL for
 * a bad domain or number, -ENAMETOOLONG. */
int vm_box_dir(char *buf, size_t len, const char *spool, const char *domain,
	       const char *ext);
/* SPOOL/tenants/DOMAIN/vm/EXT/greetings/NAME.wav. Whether it exists is the
 * greeting's only flag: no file, the stock prompt. */
int vm_greeting_path(char *buf, size_t len, const char *spool,
		     const char *domain, const char *ext, enum vm_greeting g);

/* The absolute path of message `m`'s file. 0 or -ENAMETOOLONG. */
int vm_msg_path(char *buf, size_t len, const char *spool,
		const struct db_vm_msg *m);

/* ---- greetings (files only: pbx/vm/vm_greeting.c) ---- */

/* Where to record a new greeting of kind g: beside the greeting
 * (greetings/NAME.wav.rec), its folder made. 0 or -errno. */
int vm_greeting_rec_path(char *buf, size_t len, const char *spool,
			 const char *domain, const char *ext,
			 enum vm_greeting g);
/* Puts the recording at `rec` in place as greeting g (rename, folder
 * fsynced): the old one stays until the new one is whole. -ENODATA (and
 * `rec` deleted) when it holds under VM_MIN_MS of audio. */
int vm_greeting_install(const char *rec, const char *spool,
			const char *domain, const char *ext,
			enum vm_greeting g);
/* Installs a copy of the sound file `src` (any file libsndfile reads; the
 * player resamples it) as greeting g, as vm_greeting_install does; -EINVAL
 * if it is not audio, -ENODATA if missing or under VM_MIN_MS. */
int vm_greeting_import(const char *src, const char *spool, const char *domain,
		       const char *ext, enum vm_greeting g);
/* Removes greeting g: the stock prompt is heard again. -ENOENT if none. */
int vm_greeting_delete(const char *spool, const char *domain, const char *ext,
		       enum vm_greeting g);
bool vm_greeting_exists(const char *spool, const char *domain,
			const char *ext, enum vm_greeting g);
/* "unavail", "busy", "temp", "name" <-> enum vm_greeting; -EINVAL. */
const char *vm_greeting_name(enum vm_greeting g);
int vm_greeting_parse(const char *name);

/* ---- mailboxes ---- */

/* Fills *b. -ENOENT if the tenant has no extension `ext`. */
int vm_box_get(struct db *db, int64_t tenant_id, const char *ext,
	       struct vm_box *b);
int vm_box_set_enabled(struct db *db, int64_t tenant_id, const char *ext,
		       bool enabled);
/* Either may be -1 to keep it; -EINVAL outside VM_MAX_*_MIN..MAX. */
int vm_box_set_quota(struct db *db, int64_t tenant_id, const char *ext,
		     int max_messages, int max_minutes);
/* email NULL keeps it, "" clears it; attach -1 keeps it, 1 attach, 0 link.
 * -EINVAL for an address that is not one (vm_valid_email). */
int vm_box_set_email(struct db *db, int64_t tenant_id, const char *ext,
		     const char *email, int attach);
/* local@domain: no blanks or control characters, one '@', a dot in the
 * domain, at most DB_VM_EMAIL_LEN - 1 bytes. */
bool vm_valid_email(const char *s);

/* ---- PINs ---- */

/* Checks the rules for a new PIN of extension `ext`: 4 to 10 digits, not
 * one digit repeated (1111), not a run up or down (1234, 98765), not the
 * extension's own number. 0, or -EINVAL with one sentence in `why` (may
 * be NULL). Pure. */
int vm_pin_rules(const char *pin, const char *ext, char *why, size_t len);
/* Stores a hash of `pin` (argon2id) after vm_pin_rules. -EINVAL with the
 * reason in `why`; -ENOENT; -ENOMEM if hashing ran out of memory. */
int vm_box_set_pin(struct db *db, int64_t tenant_id, const char *ext,
		   const char *pin, char *why, size_t len);
/* 0 if `pin` is the box's PIN, -EACCES if not, -ENOKEY if no PIN was ever
 * set (the app decides what that allows), -ENOENT. The comparison is
 * libsodium's, in constant time; it costs a few milliseconds and 8 MiB on
 * purpose. */
int vm_box_check_pin(struct db *db, int64_t tenant_id, const char *ext,
		     const char *pin);

/* ---- deposit, in two steps around a recorder (media/recorder.h) ---- */

/*
 * Checks that the box takes a message now and puts into `path` (`len`
 * bytes; PATH_MAX is enough) a new, unique final name in its new/ folder,
 * creating the folders. The caller records to it with recorder_open(),
 * which writes PATH.part-XXXXXX and renames it to PATH only when complete
 * and on disk, then calls vm_deposit_commit(). -EPERM box off, -EDQUOT
 * full (say so to the caller before recording), -ENOENT no such box.
 */
int vm_deposit_path(struct db *db, const char *spool, int64_t tenant_id,
		    const char *ext, char *path, size_t len);
/*
 * Indexes the complete file at `path` (from vm_deposit_path) as a new
 * message from `caller` / `caller_name` (NULL or "" for unknown; too long
 * ones are cut), received now; the duration is read from the file. A
 * message under VM_MIN_MS is discarded: the file is deleted and -ENODATA
 * returned. The quota is not checked again: a message the caller has
 * already spoken is kept even if another deposit filled the box in the
 * meantime. *idp (may be NULL) gets its id. -EINVAL if `path` is not a
 * deposit path of that box or not a readable WAV (the file is left for
 * vm_reconcile to quarantine).
 */
int vm_deposit_commit(struct db *db, const char *spool, int64_t tenant_id,
		      const char *ext, const char *path, const char *caller,
		      const char *caller_name, int64_t *idp);

/* ---- messages ---- */

/* Calls h for each message of the box in `folder` ("new", "saved" or NULL
 * for both), newest first. Rows flagged missing are included with
 * m->missing set: show them, but they cannot be played. */
int vm_msg_list(struct db *db, int64_t tenant_id, const char *ext,
		const char *folder,
		int (*h)(const struct db_vm_msg *m, void *arg), void *arg);
int vm_msg_get(struct db *db, int64_t tenant_id, const char *ext, int64_t id,
	       struct db_vm_msg *m);
/* For streaming: message `id`'s absolute path, to open with player_open()
 * or read as bytes. -ENOENT for no such message, -ENODATA if it is
 * flagged missing. */
int vm_msg_file(struct db *db, const char *spool, int64_t tenant_id,
		const char *ext, int64_t id, char *path, size_t len);
/* Moves a new message to saved: renames the file, then updates the row
 * (a crash in between is repaired by vm_reconcile). A saved message is
 * left as it is (0). */
int vm_msg_mark_heard(struct db *db, const char *spool, int64_t tenant_id,
		      const char *ext, int64_t id);
/* Deletes file and row: flags the row, removes the file, deletes the row.
 * A crash in between leaves a flagged row, never an unflagged row without
 * its file nor a file that comes back as a message. */
int vm_msg_delete(struct db *db, const char *spool, int64_t tenant_id,
		  const char *ext, int64_t id);
/* Copies the message's WAV to `dest` (replaced if it exists; written to a
 * temporary file beside it and renamed, so `dest` is whole or absent).
 * -ENODATA if the message's file is missing. */
int vm_msg_export(struct db *db, const char *spool, int64_t tenant_id,
		  const char *ext, int64_t id, const char *dest);
/* Message-waiting counts: playable new and saved messages. */
int vm_counts(struct db *db, int64_t tenant_id, const char *ext, int *newp,
	      int *savedp);

/* ---- start-up ---- */

struct vm_reconcile_counts {
	int indexed;	 /* orphan WAVs given a row (caller "unknown") */
	int quarantined; /* files that are no message: moved aside */
	int removed;	 /* recorder .part files, orphans under VM_MIN_MS */
	int repaired;	 /* rows pointed at the folder their file is in */
	int flagged;	 /* rows whose file is missing, newly flagged */
	int unflagged;	 /* flagged rows whose file is back */
};

/* What vm_reconcile did, one sentence per file or row. */
typedef void(vm_log_h)(void *arg, const char *line);

/*
 * Brings the spool and vm_messages in step, for every tenant:
 * - a row whose file is missing points at the file if it is in the box's
 *   other folder (a mark-heard cut short), else is flagged missing; a
 *   flagged row whose file is there again is unflagged;
 * - a .wav in new/ or saved/ with no row is indexed as a message from
 *   "unknown" received at the file's time, if libsndfile reads it as
 *   audio of at least VM_MIN_MS; shorter, it is deleted (a deposit cut
 *   short before its commit would have discarded it); anything else that
 *   is no message (not audio, another name, a box of no extension) is
 *   moved to the box's quarantine/ folder;
 * - the recorder's PATH.part-XXXXXX files are deleted: a deposit that did
 *   not finish is absent, never half there.
 * Files changed less than `min_age` seconds ago are left alone: 0 at
 * start-up, before any deposit can run; more (ondoctl) while the daemon
 * may be recording. `log` (may be NULL) hears of each change. *c gets the
 * counts. Returns 0 or the first error that stopped it (-EIO...); a file
 * it cannot move is logged and skipped.
 */
int vm_reconcile(struct db *db, const char *spool, int min_age, vm_log_h *log,
		 void *arg, struct vm_reconcile_counts *c);
/* The counts as the one line the daemon logs and ondoctl prints:
 * "1 indexed, 0 quarantined, 2 removed, 0 repaired, 1 flagged,
 * 0 unflagged". */
void vm_reconcile_summary(char *buf, size_t len,
			  const struct vm_reconcile_counts *c);

#endif
