/* mailbox.c - listening to a mailbox: "mailbox" (the caller's own, the
 * *97 feature code), "mailbox any" (asks which, *98) or "mailbox EXT".
 * The caller proves it with the box's PIN; three wrong tries end the
 * call. Then the main menu: new messages, saved messages, options. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/mailbox.h"
#include "core/log.h"
#include "vm/vm_store.h"

#define PIN_TRIES     3
#define IDLE_PROMPTS  3	    /* menu prompts in a row with no key */
#define KEY_WAIT_MS   6000  /* after a menu prompt */
#define ENTRY_WAIT_MS 8000  /* while keying a number or PIN */

static const struct mbx_key *find_key(const struct mbx_key *k, char d)
{
	for (; k->digit; k++)
		if (k->digit == d)
			return k;
	return NULL;
}

/* A key: pressed during the intro or the prompt, else waited for. */
static int get_key(struct mbx *m, const struct mbx_menu *menu, char *d)
{
	char keys[16], buf[2];
	size_t n = 0;
	int r = 0;

	for (const struct mbx_key *k = menu->keys; k->digit && n + 1 < sizeof(keys); k++)
		keys[n++] = k->digit;
	keys[n] = '\0';
	*d = 0;
	if (menu->intro)
		r = menu->intro(m, d);
	if (!r && !*d)
		r = chan_play(m->c, menu->prompt, keys, d);
	if (r || *d)
		return r;
	r = chan_read_digits(m->c, buf, sizeof(buf), 1, KEY_WAIT_MS, 0);
	*d = buf[0];
	return r;
}

int mbx_menu_run(struct mbx *m, const struct mbx_menu *menu)
{
	int idle = 0;

	for (;;) {
		const struct mbx_key *k;
		enum mbx_next next;
		char d;
		int r = get_key(m, menu, &d);

		if (r == -ETIMEDOUT || (!r && !d)) {
			if (++idle < IDLE_PROMPTS)
				continue;
			r = chan_play(m->c, "goodbye", NULL, NULL);
			return r ? r : 1;
		}
		if (r)
			return r;
		idle = 0;
		k = find_key(menu->keys, d);
		if (!k) {
			r = chan_play(m->c, "invalid_option", NULL, NULL);
			if (r)
				return r;
			continue;
		}
		next = k->fn(m, &r);
		if (r)
			return r;
		if (next != MBX_STAY)
			return next == MBX_END;
	}
}

int mbx_say_count(struct mbx *m, int n, const char *kind, int and)
{
	int r = chan_play(m->c, and ? "vm_and" : "vm_you_have", NULL, NULL);

	if (!r)
		r = n ? chan_say_number(m->c, n) : chan_play(m->c, "vm_no", NULL, NULL);
	if (!r)
		r = chan_play(m->c, kind, NULL, NULL);
	if (!r)
		r = chan_play(m->c, n == 1 ? "vm_message" : "vm_messages", NULL,
			      NULL);
	return r;
}

/* ---- the main menu ---- */

static enum mbx_next main_new(struct mbx *m, int *r)
{
	return mbx_folder(m, "new", r);
}

static enum mbx_next main_saved(struct mbx *m, int *r)
{
	return mbx_folder(m, "saved", r);
}

static enum mbx_next main_help(struct mbx *m, int *r)
{
	(void)m;
	*r = 0;
	return MBX_STAY;
}

static enum mbx_next main_exit(struct mbx *m, int *r)
{
	*r = chan_play(m->c, "goodbye", NULL, NULL);
	return MBX_END;
}

static const struct mbx_key main_keys[] = {
    {'1', main_new}, {'2', main_saved}, {'0', mbx_options},
    {'*', main_help}, {'#', main_exit}, {0, NULL}};

static const struct mbx_menu main_menu = {
    .prompt = "vm_main_menu", .intro = NULL, .keys = main_keys};

/* ---- logging in ---- */

/* Asks for a mailbox number; "" if none was keyed. */
static int ask_box(struct mbx *m)
{
	int r = chan_play(m->c, "vm_enter_mailbox", NULL, NULL);

	if (!r)
		r = chan_read_digits(m->c, m->ext, sizeof(m->ext),
				     (int)sizeof(m->ext) - 1, ENTRY_WAIT_MS,
				     '#');
	return r == -ETIMEDOUT ? 0 : r;
}

/* The owner's own phone (digest-authenticated as the extension) may skip
 * the PIN if the tenant allows it, or if the box has none yet: the phone
 * has proved who it is already. */
static int pin_needed(struct mbx *m)
{
	const char *own = chan_caller_ext(m->c);
	struct db_vm_tenant vt;
	struct vm_box b;

	if (!own || strcmp(own, m->ext))
		return 1;
	if (vm_box_get(m->db, m->t.id, m->ext, &b) == 0 && !b.has_pin)
		return 0;
	return db_vm_tenant_get(m->db, m->t.id, &vt) || !vt.own_phone_nopin;
}

/* 0 once the PIN was right; 1 after PIN_TRIES wrong ones. A box that does
 * not exist, or has no PIN, is refused the same way as a wrong PIN, so
 * that the menu tells nobody which numbers have mailboxes. */
static int check_pin(struct mbx *m)
{
	char pin[VM_PIN_MAX_LEN + 2];

	for (int i = 0; i < PIN_TRIES; i++) {
		int r = chan_play(m->c, "vm_enter_pin", NULL, NULL);

		if (!r)
			r = chan_read_digits(m->c, pin, sizeof(pin),
					     (int)sizeof(pin) - 1,
					     ENTRY_WAIT_MS, '#');
		if (r && r != -ETIMEDOUT)
			return r;
		if (!r && *m->ext &&
		    vm_box_check_pin(m->db, m->t.id, m->ext, pin) == 0)
			return 0;
		r = chan_play(m->c, "vm_invalid_pin", NULL, NULL);
		if (r)
			return r;
	}
	LOGC(LOGL_WARN, "vm", m->t.domain, chan_call_id(m->c),
	     "mailbox %s: %d wrong PINs from %s; call ended", m->ext,
	     PIN_TRIES, chan_caller(m->c));
	return 1;
}

static int log_in(struct mbx *m, const char *args)
{
	const char *own = chan_caller_ext(m->c);
	int r = 0;

	if (!strcmp(args, "any") || (!*args && !own))
		r = ask_box(m); /* *98, or *97 from a trunk */
	else
		snprintf(m->ext, sizeof(m->ext), "%s", *args ? args : own);
	if (r)
		return r;
	return pin_needed(m) ? check_pin(m) : 0;
}

static int greet(struct mbx *m)
{
	int nnew = 0, nsaved = 0;
	int r = vm_counts(m->db, m->t.id, m->ext, &nnew, &nsaved);

	if (r)
		return r;
	r = mbx_say_count(m, nnew, "vm_new", 0);
	return r ? r : mbx_say_count(m, nsaved, "vm_saved", 1);
}

static int mailbox_run(struct chan *c, const char *args)
{
	struct mbx m = {.c = c, .db = chan_db(c)};
	int r;

	if (!m.db || db_tenant_by_id(m.db, chan_tenant_id(c), &m.t))
		return -EIO;
	r = chan_answer(c);
	if (!r)
		r = log_in(&m, args ? args : "");
	if (r == 1)
		return chan_play(c, "goodbye", NULL, NULL);
	if (!r) {
		LOGC(LOGL_INFO, "vm", m.t.domain, chan_call_id(c),
		     "mailbox %s opened by %s", m.ext, chan_caller(c));
		r = greet(&m);
	}
	if (!r)
		r = mbx_menu_run(&m, &main_menu);
	free(m.msgs);
	return r < 0 ? r : 0;
}

const struct app app_mailbox = {.name = "mailbox", .run = mailbox_run};
