/* call_fwd.c - forwarding and do-not-disturb for calls the SIP core
 * places (docs/forwarding.md): the decision of pbx/dialplan/fwd.h fed
 * with what the SIP thread knows (extensions and routes from its read
 * connection, registrations from the location table), and its steps
 * carried out for a direct call: ring another extension on the same
 * relay, divert to voicemail or a route's app, or fail. chan_bridge acts
 * on the same steps in call_bridge.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sip/call.h"
#include "sip/limits.h"
#include "sip/reg.h"
#include "db_fwd.h"
#include "db_record.h"
#include "db_vm.h"
#include "core/log.h"

static int ext_h(void *arg, const char *number, struct fwd_ext *e)
{
	struct call_fwd_ctx *x = arg;
	struct db_vm_box box;
	struct db_reg one;
	struct db_ext ext;
	int err = db_ext_get(x->s->db, x->t.id, number, &ext);

	if (err == -EINVAL)
		err = -ENOENT;
	if (!err)
		err = db_fwd_get(x->s->db, x->t.id, number, &e->fwd);
	if (err)
		return err;
	sip_strlcpy(e->number, ext.number, sizeof(e->number));
	e->ring_timeout = ext.ring_timeout;
	e->registered = reg_table_get(x->s->regs, ext.id, time(NULL), &one, 1);
	e->full = lim_ext_full(x->s, x->t.id, ext.number, x->call_id);
	e->vm_on =
	    db_vm_box_get(x->s->db, x->t.id, number, &box) == 0 && box.enabled;
	return 0;
}

static int route_h(void *arg, const char *by, const char *number,
		   struct dp_result *res)
{
	struct call_fwd_ctx *x = arg;
	int err = dp_lookup(x->s->db, &x->t, number, x->caller, res);

	if (err == -EINVAL)
		return -ENOENT;
	if (err)
		return err;
	/* The forward is the forwarding extension's call: its class of
	 * service, whoever called (a carrier's caller has none). */
	return dp_cos_allows(x->s->db, &x->t, by, -1, res, number) ? 0
								   : -EACCES;
}

static void log_h(void *arg, int warn, const char *line)
{
	struct call_fwd_ctx *x = arg;

	LOGC(warn ? LOGL_WARN : LOGL_INFO, "fwd", x->t.domain, x->call_id, "%s",
	     line);
}

void call_fwd_ops(struct call_fwd_ctx *x, struct fwd_ops *ops, struct sip *s,
		  const struct db_tenant *t, const char *caller,
		  const char *call_id, int default_vm)
{
	x->s = s;
	x->t = *t;
	x->caller = caller;
	x->call_id = call_id;
	memset(ops, 0, sizeof(*ops));
	ops->ext = ext_h;
	ops->route = route_h;
	ops->log = log_h;
	ops->arg = x;
	ops->default_vm = default_vm;
}

int call_fwd_status(enum fwd_result r, const char **phrase,
		    const char **disposition)
{
	switch (r) {
	case FWD_R_BUSY:
		*phrase = "Busy Here";
		*disposition = "BUSY";
		return 486;
	case FWD_R_NOANSWER:
		*phrase = "No Answer";
		*disposition = "NO ANSWER";
		return 480;
	case FWD_R_NOTFOUND:
		*phrase = "Not Found";
		*disposition = "FAILED";
		return 404;
	default:
		*phrase = "Temporarily Unavailable";
		*disposition = "FAILED";
		return 480;
	}
}

int call_fwd_errno(enum fwd_result r)
{
	switch (r) {
	case FWD_R_BUSY:
		return -EBUSY;
	case FWD_R_NOANSWER:
		return -ETIMEDOUT;
	case FWD_R_NOTFOUND:
		return -ENOENT;
	default:
		return -EHOSTUNREACH;
	}
}

void call_fwd_diversion(struct call *c, const struct fwd_step *st)
{
	if (!st->diverted_by[0] || !st->reason) {
		c->b_headers[0] = '\0';
		return;
	}
	/* RFC 5806: who forwarded last and why; counter: forwards so far. */
	snprintf(c->b_headers, sizeof(c->b_headers),
		 "Diversion: <sip:%s@%s>;reason=%s;counter=%d", st->diverted_by,
		 c->domain, st->reason, c->fwd.hops > 0 ? c->fwd.hops : 1);
}

int call_fwd_ring(struct call *c, const struct fwd_step *st)
{
	struct db_reg contacts[REG_MAX_CONTACTS];
	struct sip *s = c->sip;
	struct db_ext callee;
	int n, started = 0;

	if (db_ext_get(s->db, c->tenant_id, st->ext, &callee))
		return -EHOSTUNREACH;
	n = reg_table_get(s->regs, callee.id, time(NULL), contacts,
			  REG_MAX_CONTACTS);
	/* Phones of the extension rung before (no answer) stop; whatever
	 * they still send belongs to an older generation of legs. */
	leg_cancel_others(c, NULL);
	c->gen++;
	sip_strlcpy(c->ring_ext, callee.number, sizeof(c->ring_ext));
	call_fwd_diversion(c, st);
	/* The callee sees who really called: the authenticated extension,
	 * never a From the caller made up. */
	call_b_from_to(c, callee.number);
	for (int i = 0; i < n; i++)
		if (!leg_b_start(c, contacts[i].contact, contacts[i].route, 0))
			started++;
	if (!started)
		return -EHOSTUNREACH;
	c->rec_mode =
	    call_rec_max(c->rec_mode, (int)db_ext_record(s->db, c->tenant_id,
							 callee.number));
	c->ring_deadline_us = now_us() + (int64_t)st->ring_s * 1000000;
	if (strcmp(callee.number, c->callee))
		LOGC(LOGL_INFO, "call", c->domain, c->call_id,
		     "%s -> %s: forwarded, ringing %s (%d contact(s), %d s)",
		     c->caller, c->callee, callee.number, started, st->ring_s);
	else
		LOGC(LOGL_INFO, "call", c->domain, c->call_id,
		     "%s -> %s ringing %d contact(s)", c->caller, c->callee,
		     started);
	return 0;
}

/* Acts on `st` for direct call c, whose phones rang already or never
 * did. Fails the call when nothing can be done. */
static void act(struct call *c, const struct fwd_ops *ops, struct fwd_step *st)
{
	char args[DB_NUMBER_LEN + 16];
	const char *phrase, *disp;
	int status;

	for (;;) {
		switch (st->action) {
		case FWD_RING:
			if (call_fwd_ring(c, st) == 0)
				return;
			/* No phone took the INVITE: as if they failed. */
			if (fwd_decide(ops, &c->fwd, st->ext, FWD_EV_FAILED,
				       st)) {
				call_fail(c, 480, "Temporarily Unavailable",
					  "FAILED");
				return;
			}
			continue;
		case FWD_VOICEMAIL:
			snprintf(args, sizeof(args), "%s,%s", st->ext,
				 st->busy ? "busy" : "unavail");
			if (call_divert(c, "voicemail", args) == 0)
				return;
			st->action = FWD_REFUSE;
			st->result = st->busy ? FWD_R_BUSY : FWD_R_UNAVAIL;
			continue;
		case FWD_ROUTE:
			if (call_divert(c, st->app, st->args) == 0) {
				/* Its bridges go on counting this chain. */
				c->fwd_nested = 1;
				return;
			}
			st->action = FWD_REFUSE;
			st->result = FWD_R_UNAVAIL;
			continue;
		default:
			status = call_fwd_status(st->result, &phrase, &disp);
			call_fail(c, status, phrase, disp);
			return;
		}
	}
}

void call_fwd_direct(struct call *c, enum fwd_event ev)
{
	struct call_fwd_ctx x;
	struct fwd_ops ops;
	struct fwd_step st;
	struct db_tenant t;

	if (db_tenant_by_id(c->sip->db, c->tenant_id, &t) ||
	    (call_fwd_ops(&x, &ops, c->sip, &t, c->caller, c->call_id, 1),
	     fwd_decide(&ops, &c->fwd, c->ring_ext[0] ? c->ring_ext : c->callee,
			ev, &st))) {
		/* The database failed: the plain outcome, no forwarding. */
		if (ev == FWD_EV_BUSY)
			call_fail(c, SIP_486_BUSY_HERE, "BUSY");
		else
			call_fail(
			    c, 480,
			    ev == FWD_EV_NOANSWER ? "No Answer"
						  : "Temporarily Unavailable",
			    ev == FWD_EV_NOANSWER ? "NO ANSWER" : "FAILED");
		return;
	}
	act(c, &ops, &st);
}
