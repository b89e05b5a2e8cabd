/* forward.c - feature codes that set the caller's own forwarding and DND:
 * "forward KIND[,TARGET|off]" (KIND always, busy, noanswer,
 * unregistered), "forward dnd[,on|off]". Without a target it asks for
 * the number ("*72", then 1003 and '#'); with one it takes it ("*721003",
 * a route _*72. passing ${1}). The caller hears what was set, said back
 * digit by digit. Only a phone digest-authenticated as an extension may
 * use it: a carrier's caller ID proves nothing. docs/forwarding.md. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apps/apps.h"
#include "core/log.h"
#include "db_fwd.h"
#include "dialplan/fwd.h"

#define ASK_MS 10000 /* for the first digit; then as long between digits */

static int confirm(struct chan *c, const char *prompt, const char *digits)
{
	int r = chan_play(c, prompt, NULL, NULL);

	if (!r && digits)
		r = chan_say_digits(c, digits);
	return r ? r : chan_play(c, "goodbye", NULL, NULL);
}

static int set_dnd(struct chan *c, struct db *db, const struct db_tenant *t,
		   const char *ext, const char *arg)
{
	struct db_fwd f;
	int on, err;

	if (!strcmp(arg, "on") || !strcmp(arg, "off")) {
		on = !strcmp(arg, "on");
	} else if (!*arg && db_fwd_get(db, t->id, ext, &f) == 0) {
		on = !f.dnd; /* "forward dnd": a toggle */
	} else {
		LOGC(LOGL_WARN, "fwd", t->domain, chan_call_id(c),
		     "forward app: bad args 'dnd,%s'", arg);
		return chan_play(c, "cannot_complete", NULL, NULL);
	}
	err = db_ext_set_dnd(db, t->id, ext, on);
	if (err)
		return err;
	LOGC(LOGL_INFO, "fwd", t->domain, chan_call_id(c),
	     "%s turned do-not-disturb %s by phone", ext, on ? "on" : "off");
	return confirm(c, on ? "dnd_on" : "dnd_off", NULL);
}

static int set_fwd(struct chan *c, struct db *db, const struct db_tenant *t,
		   const char *ext, enum db_fwd_kind kind, const char *arg)
{
	const char *word = db_fwd_kind_name(kind);
	char keyed[DB_NUMBER_LEN], why[160], prompt[32], text[96];
	struct db_fwd_target target;
	int r;

	if (!strcmp(arg, "off")) {
		r = db_fwd_set(db, t->id, ext, kind, NULL);
		if (r)
			return r;
		LOGC(LOGL_INFO, "fwd", t->domain, chan_call_id(c),
		     "%s turned forward %s off by phone", ext, word);
		snprintf(prompt, sizeof(prompt), "fwd_%s_off", word);
		return confirm(c, prompt, NULL);
	}
	if (!*arg) {
		char first = 0;

		/* A digit keyed during the prompt starts the number. */
		r = chan_play(c, "fwd_enter_number", "0123456789*", &first);
		keyed[0] = first;
		if (!r)
			r = chan_read_digits(
			    c, keyed + !!first, sizeof(keyed) - !!first,
			    (int)sizeof(keyed) - 1 - !!first, ASK_MS, '#');
		if (r == -ETIMEDOUT && first) {
			r = 0; /* one digit, then nothing */
			keyed[1] = '\0';
		}
		if (r == -ETIMEDOUT)
			return chan_play(c, "goodbye", NULL, NULL);
		if (r)
			return r;
		arg = keyed;
	}
	r = fwd_target_parse(db, t->id, ext, arg, &target);
	if (r)
		snprintf(why, sizeof(why), "not a number");
	else
		r = fwd_target_check(db, t, ext, kind, &target, why,
				     sizeof(why));
	if (r == -EINVAL) {
		LOGC(LOGL_INFO, "fwd", t->domain, chan_call_id(c),
		     "%s: forward %s to '%s' refused: %s", ext, word, arg, why);
		r = chan_play(c, "fwd_invalid", NULL, NULL);
		return r ? r : chan_play(c, "goodbye", NULL, NULL);
	}
	if (!r)
		r = db_fwd_set(db, t->id, ext, kind, &target);
	if (r)
		return r;
	fwd_target_text(&target, text, sizeof(text));
	LOGC(LOGL_INFO, "fwd", t->domain, chan_call_id(c),
	     "%s set forward %s to %s by phone", ext, word, text);
	snprintf(prompt, sizeof(prompt), "fwd_%s_on", word);
	return confirm(c, prompt, target.dest);
}

static int forward_run(struct chan *c, const char *args)
{
	const char *ext = chan_caller_ext(c);
	char kind[DB_WORD_LEN];
	const char *arg;
	struct db *db = chan_db(c);
	struct db_tenant t;
	size_t n = strcspn(args, ",");
	int k, r;

	if (!ext)
		return -EACCES; /* 403: only an extension's own phone */
	if (!db || db_tenant_by_id(db, chan_tenant_id(c), &t))
		return -EIO;
	if (n >= sizeof(kind))
		return -EINVAL;
	memcpy(kind, args, n);
	kind[n] = '\0';
	arg = args[n] == ',' ? args + n + 1 : "";
	k = db_fwd_kind_parse(kind);
	if (k < 0 && strcmp(kind, "dnd")) {
		LOGC(LOGL_WARN, "fwd", t.domain, chan_call_id(c),
		     "forward app: unknown kind '%s'", kind);
		return -EINVAL;
	}
	r = chan_answer(c);
	if (r)
		return r;
	if (k < 0)
		return set_dnd(c, db, &t, ext, arg);
	return set_fwd(c, db, &t, ext, (enum db_fwd_kind)k, arg);
}

const struct app app_forward = {.name = "forward", .run = forward_run};
