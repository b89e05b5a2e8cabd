/* fwd_target.c - a forward's target as typed, checked before it is
 * stored, and said back (fwd.h). ondoctl, the REST API and the forward
 * app share these, so a target one accepts the others accept. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dialplan/fwd.h"
#include "db_vm.h"

/* "word:rest" -> rest if `text` starts with "word:" */
static const char *after_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(text, word, n) && text[n] == ':' ? text + n + 1 : NULL;
}

int fwd_target_parse(struct db *db, int64_t tenant_id, const char *owner,
		     const char *text, struct db_fwd_target *t)
{
	struct db_ext e;
	const char *rest;

	if (!text || !t)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	if (!strcmp(text, "voicemail")) {
		t->type = DB_FWD_VOICEMAIL;
		rest = owner ? owner : "";
	} else if ((rest = after_word(text, "voicemail"))) {
		t->type = DB_FWD_VOICEMAIL;
	} else if ((rest = after_word(text, "extension")) ||
		   (rest = after_word(text, "ext"))) {
		t->type = DB_FWD_EXT;
	} else if ((rest = after_word(text, "number"))) {
		t->type = DB_FWD_NUMBER;
	} else {
		/* An extension's number is also a dialplan number; the
		 * extension is meant unless a route says otherwise, and a
		 * route that takes an extension's number is followed either
		 * way at the call. */
		rest = text;
		t->type = db && db_ext_get(db, tenant_id, text, &e) == 0
			      ? DB_FWD_EXT
			      : DB_FWD_NUMBER;
	}
	if (!db_valid_dialable(rest))
		return -EINVAL;
	snprintf(t->dest, sizeof(t->dest), "%s", rest);
	return 0;
}

static int say(char *why, size_t len, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int say(char *why, size_t len, int err, const char *fmt, ...)
{
	va_list ap;

	if (why && len) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return err;
}

static int check_number(struct db *db, const struct db_tenant *t,
			const char *owner, const char *number, char *why,
			size_t len)
{
	struct dp_result r;
	int err = dp_lookup(db, t, number, owner, &r);

	if (err == -ENOENT || err == -EINVAL)
		return say(why, len, -EINVAL,
			   "number %s reaches no route or extension of %s",
			   number, t->domain);
	if (err)
		return say(why, len, err, "cannot route %s: %s", number,
			   strerror(-err));
	if (!strcmp(r.app, "forward"))
		return say(why, len, -EINVAL,
			   "%s is a forwarding feature code: it would change "
			   "the caller's own settings",
			   number);
	if (!dp_cos_allows(db, t, owner, -1, &r, number))
		return say(why, len, -EINVAL,
			   "the class of service of %s may not call %s", owner,
			   number);
	if (!r.route_id && !strcmp(r.app, "dial") && !strcmp(r.args, owner))
		return say(why, len, -EINVAL,
			   "%s cannot be forwarded to itself", owner);
	return 0;
}

int fwd_target_check(struct db *db, const struct db_tenant *t,
		     const char *owner, enum db_fwd_kind kind,
		     const struct db_fwd_target *target, char *why, size_t len)
{
	struct db_vm_box box;
	struct db_ext e;
	int err;

	if (why && len)
		why[0] = '\0';
	if (!db || !t || !owner || !target || !db_fwd_kind_name(kind))
		return -EINVAL;
	if (target->after_s && kind != DB_FWD_NOANSWER)
		return say(why, len, -EINVAL,
			   "after: only a noanswer forward waits");
	if (target->after_s && (target->after_s < DB_RING_TIMEOUT_MIN ||
				target->after_s > DB_RING_TIMEOUT_MAX))
		return say(why, len, -EINVAL,
			   "after: %d to %d seconds, or 0 for the ring "
			   "timeout",
			   DB_RING_TIMEOUT_MIN, DB_RING_TIMEOUT_MAX);
	if (!db_valid_dialable(target->dest))
		return say(why, len, -EINVAL,
			   "the target must be 1 to 31 of digits, letters, "
			   "* # + . _ -");
	switch (target->type) {
	case DB_FWD_EXT:
		err = db_ext_get(db, t->id, target->dest, &e);
		if (err == -ENOENT || err == -EINVAL)
			return say(why, len, -EINVAL, "no extension %s in %s",
				   target->dest, t->domain);
		if (err)
			return err;
		if (!strcmp(target->dest, owner))
			return say(why, len, -EINVAL,
				   "%s cannot be forwarded to itself", owner);
		return 0;
	case DB_FWD_VOICEMAIL:
		err = db_vm_box_get(db, t->id, target->dest, &box);
		if (err == -ENOENT || err == -EINVAL)
			return say(why, len, -EINVAL, "no mailbox %s in %s",
				   target->dest, t->domain);
		return err;
	case DB_FWD_NUMBER:
		return check_number(db, t, owner, target->dest, why, len);
	default:
		return say(why, len, -EINVAL,
			   "the type must be extension, number or voicemail");
	}
}

void fwd_target_text(const struct db_fwd_target *t, char *out, size_t len)
{
	int n;

	if (t->type == DB_FWD_NONE) {
		snprintf(out, len, "off");
		return;
	}
	n = snprintf(
	    out, len, "%s%s %s", t->type == DB_FWD_VOICEMAIL ? "voicemail" : "",
	    t->type == DB_FWD_VOICEMAIL ? " of" : db_fwd_type_name(t->type),
	    t->dest);
	if (t->after_s && n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, " after %d s", t->after_s);
}
