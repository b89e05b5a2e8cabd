/* fwd_decide.c - where a call to an extension goes now: its forwards, DND
 * and registration, followed through the extensions they lead to, with
 * loops and long chains stopped (fwd.h). Pure: all it knows comes
 * through struct fwd_ops. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dialplan/fwd.h"

#define NSEEN (int)(sizeof(((struct fwd_chain *)0)->seen) / DB_NUMBER_LEN)

static void say(const struct fwd_ops *ops, int warn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(const struct fwd_ops *ops, int warn, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ops->log(ops->arg, warn, line);
}

void fwd_chain_reset(struct fwd_chain *ch)
{
	memset(ch, 0, sizeof(*ch));
}

static int seen(const struct fwd_chain *ch, const char *ext)
{
	for (int i = 0; i < ch->nseen; i++)
		if (!strcmp(ch->seen[i], ext))
			return 1;
	return 0;
}

/* -ENOSPC when the chain is full (only an app run as a forward's target
 * that bridges again and again gets there). */
static int add(struct fwd_chain *ch, const char *ext)
{
	size_t n = strlen(ext);

	if (ch->nseen >= NSEEN)
		return -ENOSPC;
	if (n >= DB_NUMBER_LEN)
		return -EINVAL; /* no extension has such a number */
	memcpy(ch->seen[ch->nseen++], ext, n + 1);
	return 0;
}

/* "1001 -> 1002 -> 1001" for the log. */
static const char *path(const struct fwd_chain *ch, const char *next, char *out,
			size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < ch->nseen && n < len; i++)
		n += (size_t)snprintf(out + n, len - n, "%s%s", i ? " -> " : "",
				      ch->seen[i]);
	if (next && n < len)
		snprintf(out + n, len - n, " -> %s", next);
	return out;
}

static void refuse(struct fwd_step *st, enum fwd_result r)
{
	st->action = FWD_REFUSE;
	st->result = r;
}

static void to_voicemail(struct fwd_step *st, const char *ext, int busy)
{
	st->action = FWD_VOICEMAIL;
	snprintf(st->ext, sizeof(st->ext), "%s", ext);
	st->busy = busy;
}

/* The chain stops (a loop, too many forwards): the first extension's
 * mailbox if it takes messages, else busy. Always decides. */
static int stop(const struct fwd_ops *ops, const struct fwd_chain *ch,
		struct fwd_step *st, const char *why)
{
	const char *first = ch->nseen ? ch->seen[0] : "";
	struct fwd_ext e;

	memset(st, 0, sizeof(*st));
	if (*first && ops->ext(ops->arg, first, &e) == 0 && e.vm_on) {
		to_voicemail(st, first, 0);
		say(ops, 1, "%s: the call goes to the mailbox of %s", why,
		    first);
	} else {
		refuse(st, FWD_R_BUSY);
		say(ops, 1, "%s: the caller gets busy", why);
	}
	return 0;
}

/* Extension e has no forward for what happened: its own mailbox for a
 * direct call, else the result. */
static void end_at(const struct fwd_ops *ops, const struct fwd_ext *e,
		   enum fwd_result r, struct fwd_step *st)
{
	if (ops->default_vm && e->vm_on)
		to_voicemail(st, e->number, r == FWD_R_BUSY);
	else
		refuse(st, r);
}

/* Follows `ev` at extension `e` (already read) through its forwards. */
static int run(const struct fwd_ops *ops, struct fwd_chain *ch,
	       struct fwd_ext *e, enum fwd_event ev, struct fwd_step *st)
{
	char by[DB_NUMBER_LEN] = "", trail[256];
	const char *by_reason = NULL;
	struct fwd_ext next;
	int err, skip_always = 0;

	memset(st, 0, sizeof(*st));
	for (;;) {
		const struct db_fwd_target *t, *na;
		enum db_fwd_kind kind;
		enum fwd_result res = FWD_R_BUSY;
		const char *reason, *to;
		struct dp_result r;

		switch (ev) {
		case FWD_EV_CALL:
			if (!skip_always &&
			    e->fwd.t[DB_FWD_ALWAYS].type != DB_FWD_NONE) {
				kind = DB_FWD_ALWAYS;
				reason = "unconditional";
			} else if (e->fwd.dnd) {
				kind = DB_FWD_BUSY;
				reason = "do-not-disturb";
				say(ops, 0, "%s is on do-not-disturb",
				    e->number);
			} else if (e->full) {
				kind = DB_FWD_BUSY;
				reason = "user-busy";
				say(ops, 0, "%s has its maximum of calls",
				    e->number);
			} else if (!e->registered) {
				kind = DB_FWD_UNREG;
				reason = "unavailable";
				res = FWD_R_UNAVAIL;
			} else {
				na = &e->fwd.t[DB_FWD_NOANSWER];
				st->action = FWD_RING;
				snprintf(st->ext, sizeof(st->ext), "%s",
					 e->number);
				st->ring_s =
				    na->type != DB_FWD_NONE && na->after_s
					? na->after_s
					: e->ring_timeout;
				if (st->ring_s <= 0)
					st->ring_s = 30;
				snprintf(st->diverted_by,
					 sizeof(st->diverted_by), "%s", by);
				st->reason = by_reason;
				return 0;
			}
			break;
		case FWD_EV_BUSY:
			kind = DB_FWD_BUSY;
			reason = "user-busy";
			break;
		case FWD_EV_NOANSWER:
			kind = DB_FWD_NOANSWER;
			reason = "no-answer";
			res = FWD_R_NOANSWER;
			break;
		default:
			kind = DB_FWD_NOANSWER;
			reason = "unavailable";
			res = FWD_R_UNAVAIL;
			break;
		}
		t = &e->fwd.t[kind];
		if (t->type == DB_FWD_NONE) {
			end_at(ops, e, res, st);
			return 0;
		}
		if (ch->hops >= FWD_MAX_HOPS) {
			char why[320];
			snprintf(why, sizeof(why),
				 "more than %d forwards (%s, then %s)",
				 FWD_MAX_HOPS,
				 path(ch, NULL, trail, sizeof(trail)), t->dest);
			return stop(ops, ch, st, why);
		}
		to = NULL;
		switch (t->type) {
		case DB_FWD_VOICEMAIL:
			ch->hops++;
			to_voicemail(st, t->dest, kind == DB_FWD_BUSY);
			snprintf(st->diverted_by, sizeof(st->diverted_by), "%s",
				 e->number);
			st->reason = reason;
			say(ops, 0, "%s forwards (%s) to the mailbox of %s",
			    e->number, db_fwd_kind_name(kind), t->dest);
			return 0;
		case DB_FWD_NUMBER:
			err = ops->route(ops->arg, e->number, t->dest, &r);
			/* A feature code that sets forwards would set the
			 * caller's own, not the forwarding extension's. */
			if (!err && !strcmp(r.app, "forward"))
				err = -EPERM;
			if (err) {
				say(ops, 1,
				    "%s forwards (%s) to number %s, which %s: "
				    "taken as if the forward were off",
				    e->number, db_fwd_kind_name(kind), t->dest,
				    err == -EACCES
					? "its class of service may not call"
				    : err == -EPERM ? "is a feature code"
						    : "reaches nothing");
				break;
			}
			if (r.route_id || strcmp(r.app, "dial")) {
				ch->hops++;
				st->action = FWD_ROUTE;
				snprintf(st->app, sizeof(st->app), "%s", r.app);
				snprintf(st->args, sizeof(st->args), "%s",
					 r.args);
				snprintf(st->diverted_by,
					 sizeof(st->diverted_by), "%s",
					 e->number);
				st->reason = reason;
				say(ops, 0,
				    "%s forwards (%s) to number %s: %s %s",
				    e->number, db_fwd_kind_name(kind), t->dest,
				    r.app, r.args);
				return 0;
			}
			to = r.args; /* the number is an extension */
			break;
		default:
			to = t->dest;
			break;
		}
		if (to && seen(ch, to)) {
			char why[320];
			snprintf(why, sizeof(why), "forward loop (%s)",
				 path(ch, to, trail, sizeof(trail)));
			return stop(ops, ch, st, why);
		}
		err = to ? ops->ext(ops->arg, to, &next) : -ENOENT;
		if (to && err == -ENOENT)
			say(ops, 1,
			    "%s forwards (%s) to extension %s, which does not "
			    "exist: taken as if the forward were off",
			    e->number, db_fwd_kind_name(kind), to);
		if (err == -ENOENT) {
			/* A forward that cannot be used counts as off: an
			 * always-forward lets the call ring (or meet DND, or
			 * the unregistered forward), the others end here. */
			if (kind == DB_FWD_ALWAYS) {
				skip_always = 1;
				continue;
			}
			end_at(ops, e, res, st);
			return 0;
		}
		if (err)
			return err;
		if (add(ch, to))
			return stop(ops, ch, st,
				    "too many extensions in one call");
		ch->hops++;
		say(ops, 0, "%s forwards (%s) to %s", e->number,
		    db_fwd_kind_name(kind), to);
		snprintf(by, sizeof(by), "%s", e->number);
		by_reason = reason;
		*e = next;
		ev = FWD_EV_CALL;
		skip_always = 0;
	}
}

int fwd_arrive(const struct fwd_ops *ops, struct fwd_chain *ch, const char *ext,
	       struct fwd_step *st)
{
	char trail[256], why[320];
	struct fwd_ext e;
	int err;

	if (!ops || !ch || !ext || !st)
		return -EINVAL;
	if (ch->nseen && seen(ch, ext)) {
		snprintf(why, sizeof(why), "forward loop (%s)",
			 path(ch, ext, trail, sizeof(trail)));
		return stop(ops, ch, st, why);
	}
	err = ops->ext(ops->arg, ext, &e);
	if (err)
		return err;
	if (add(ch, ext))
		return stop(ops, ch, st, "too many extensions in one call");
	return run(ops, ch, &e, FWD_EV_CALL, st);
}

int fwd_decide(const struct fwd_ops *ops, struct fwd_chain *ch, const char *ext,
	       enum fwd_event ev, struct fwd_step *st)
{
	struct fwd_ext e;
	int err;

	if (!ops || !ch || !ext || !st)
		return -EINVAL;
	err = ops->ext(ops->arg, ext, &e);
	if (err)
		return err;
	if (!ch->nseen)
		add(ch, ext);
	return run(ops, ch, &e, ev, st);
}
