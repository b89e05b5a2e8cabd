/* voicemail.c - leaving a message: "voicemail EXT[,busy|unavail]". The
 * caller hears the mailbox's greeting (its own recording, else the stock
 * "the person at extension 1 0 0 1 is not available"), a beep, and speaks
 * until '#', silence, the length limit or hanging up. The store
 * (pbx/vm/vm_store.h) keeps the message whole or not at all. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "apps/apps.h"
#include "vm/vm_mail.h"
#include "vm/vm_store.h"
#include "core/log.h"

/* When the tenant's settings cannot be read: migration 0010's defaults. */
#define MAX_MESSAGE_MS 180000
#define SILENCE_MS     6000

/* The mailbox's own greeting if it recorded one: the temporary greeting
 * first, then the one for the reason. 1 if played (or hung up: r). */
static int own_greeting(struct chan *c, const char *ext, int busy, int *r)
{
	const enum vm_greeting order[] = {
	    VM_GREET_TEMP, busy ? VM_GREET_BUSY : VM_GREET_UNAVAIL};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (vm_greeting_path(path, sizeof(path), chan_spool_dir(c),
				     chan_domain(c), ext, order[i]) ||
		    access(path, R_OK))
			continue;
		*r = chan_play(c, path, "#", NULL);
		return 1;
	}
	return 0;
}

/* The stock greeting: "the person at extension 1 0 0 2", or the name the
 * owner recorded, then "is not available" or "is busy". */
static int greet(struct chan *c, const char *ext, int busy)
{
	char skip = 0, name[PATH_MAX]; /* '#' skips the rest */
	int r = 0;

	if (own_greeting(c, ext, busy, &r))
		return r;
	if (vm_greeting_exists(chan_spool_dir(c), chan_domain(c), ext,
			       VM_GREET_NAME) &&
	    !vm_greeting_path(name, sizeof(name), chan_spool_dir(c),
			      chan_domain(c), ext, VM_GREET_NAME)) {
		r = chan_play(c, name, "#", &skip);
	} else {
		r = chan_play(c, "vm_intro_unavailable", "#", &skip);
		if (!r && !skip)
			r = chan_say_digits(c, ext);
	}
	if (!r && !skip)
		r = chan_play(c, busy ? "vm_is_busy" : "vm_is_unavailable", "#",
			      &skip);
	return r;
}

/* "1002,busy" -> ext, busy */
static int parse(const char *args, char *ext, size_t len, int *busy)
{
	size_t n = strcspn(args, ",");

	if (!n || n >= len)
		return -EINVAL;
	memcpy(ext, args, n);
	ext[n] = '\0';
	*busy = args[n] == ',' && !strcmp(args + n + 1, "busy");
	return 0;
}

/* The message could not be kept (a full disk, a failing one, the
 * database): the caller is told so rather than left to believe it was,
 * and the call ends. Whatever part was written is left to the start-up
 * reconciliation, which indexes a whole file and removes a broken one. */
static int not_saved(struct chan *c, const char *ext, int err)
{
	int r;

	LOGC(LOGL_WARN, "vm", chan_domain(c), chan_call_id(c),
	     "message from %s for %s not saved: %s", chan_caller(c), ext,
	     strerror(-err));
	r = chan_play(c, "vm_not_saved", NULL, NULL);
	return r ? r : chan_play(c, "goodbye", NULL, NULL);
}

static int deposit(struct chan *c, const char *ext, const char *path)
{
	struct db_vm_tenant vt = {.max_message_s = MAX_MESSAGE_MS / 1000,
				  .silence_s = SILENCE_MS / 1000};
	char pressed = 0;
	int ms = 0, r;

	db_vm_tenant_get(chan_db(c), chan_tenant_id(c), &vt);

	r = chan_play(c, "vm_leave_message", NULL, NULL);
	if (!r)
		r = chan_play_tone(c, "beep", 400);
	if (r)
		return r;
	r = chan_record(c, path, vt.max_message_s * 1000, vt.silence_s * 1000,
			"#", &pressed, &ms);
	/* Kept even when the caller hung up (the usual end) or the disk
	 * filled up: whatever was said is the message. */
	if (r == -ECONNRESET && access(path, R_OK))
		return r; /* gone before anything was written */
	if (r && r != -ECONNRESET && access(path, R_OK))
		return not_saved(c, ext, r);
	r = vm_deposit_commit(chan_db(c), chan_spool_dir(c), chan_tenant_id(c),
			      ext, path, chan_caller(c), chan_caller_name(c),
			      NULL);
	if (r == -ENODATA) /* under a second: nothing was said */
		return chan_play(c, "goodbye", NULL, NULL);
	if (r)
		return not_saved(c, ext, r);
	LOGC(LOGL_INFO, "vm", chan_domain(c), chan_call_id(c),
	     "message from %s for %s (%d ms)", chan_caller(c), ext, ms);
	chan_mwi_changed(c, ext);
	vm_mail_kick(); /* its email, if the box has an address */
	r = chan_play(c, "vm_message_kept", NULL, NULL);
	return r ? r : chan_play(c, "goodbye", NULL, NULL);
}

static int voicemail_run(struct chan *c, const char *args)
{
	char ext[DB_NUMBER_LEN], path[PATH_MAX];
	int busy, r;

	if (parse(args, ext, sizeof(ext), &busy))
		return -EINVAL;
	r = vm_deposit_path(chan_db(c), chan_spool_dir(c), chan_tenant_id(c),
			    ext, path, sizeof(path));
	if (r == -ENOENT || r == -EPERM)
		return -EHOSTUNREACH; /* no mailbox to leave a message in */
	if (!chan_answered(c) && (r == 0 || r == -EDQUOT)) {
		int a = chan_answer(c);
		if (a)
			return a;
	}
	if (r == -EDQUOT) {
		r = chan_play(c, "vm_box_full", NULL, NULL);
		return r ? r : chan_play(c, "goodbye", NULL, NULL);
	}
	if (r)
		return r;
	r = greet(c, ext, busy);
	return r ? r : deposit(c, ext, path);
}

const struct app app_voicemail = {.name = "voicemail", .run = voicemail_run};
