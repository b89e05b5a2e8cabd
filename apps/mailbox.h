/* mailbox.h - what the files of the mailbox app share: the session and
 * the menu engine. Menus are tables (STYLE.md rule 5): a prompt, a digit
 * per action, and a function per action. */
#ifndef ONDO_APPS_MAILBOX_H
#define ONDO_APPS_MAILBOX_H

#include "apps/apps.h"
#include "db.h"
#include "db_vm.h"

/* What an action tells its menu: play the menu again, go back to the
 * menu before, or end the call. */
enum mbx_next { MBX_STAY, MBX_BACK, MBX_END };

struct mbx;

struct mbx_key {
	char digit;
	/* *r gets 0 or a chan_* error (the call then ends) */
	enum mbx_next (*fn)(struct mbx *m, int *r);
};

struct mbx_menu {
	const char *prompt;
	/* Played before the prompt (may be NULL); a key pressed during it
	 * goes to *pressed and skips the prompt. */
	int (*intro)(struct mbx *m, char *pressed);
	const struct mbx_key *keys; /* ends with digit 0 */
};

struct mbx {
	struct chan *c;
	struct db *db;
	struct db_tenant t;
	char ext[DB_NUMBER_LEN];
	/* the folder being listened to, oldest first; owned */
	const char *folder;
	struct db_vm_msg *msgs;
	int n, cur;
	int play;	/* the intro plays msgs[cur] next */
};

/* Runs a menu until an action goes back (0) or ends the call (1), or a
 * chan_* error (< 0). Three prompts in a row without a key end the
 * call. */
int mbx_menu_run(struct mbx *m, const struct mbx_menu *menu);

/* Says "you have N new messages" (kind: "vm_new", "vm_saved"); with and
 * set, "and N saved messages". */
int mbx_say_count(struct mbx *m, int n, const char *kind, int and);

/* The folder menus (mailbox_msgs.c): listen to "new" or "saved". */
enum mbx_next mbx_folder(struct mbx *m, const char *folder, int *r);
/* The options menu (mailbox_opts.c): greetings, name, PIN. */
enum mbx_next mbx_options(struct mbx *m, int *r);

#endif
