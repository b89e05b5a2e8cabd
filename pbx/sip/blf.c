/* blf.c - busy lamps: subscriptions to the dialog event package (RFC 4235)
 * of an extension of the subscriber's own tenant, and the NOTIFYs that
 * follow its calls (idle, ringing, in a call). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sip/sub_priv.h"
#include "sip/call.h"
#include "core/log.h"

enum blf_state { BLF_IDLE, BLF_EARLY, BLF_CONFIRMED };

#define BODY_LEN 1024

/* The extension's state from the calls now: the strongest of its calls,
 * as caller, callee (or the extension a direct call is forwarded to) or
 * the target of a bridge. `dir` and `id` describe
 * that call. No hook in the call code: the tick compares, so the call
 * paths stay as they are and a lamp can never miss a state for a missed
 * hook. */
static enum blf_state state_of(struct sip *s, int64_t tenant_id,
			       const char *ext, const char **dir,
			       unsigned *id, const char **caller)
{
	enum blf_state best = BLF_IDLE;

	for (struct call *c = s->calls; c; c = c->next) {
		enum blf_state st = BLF_IDLE;
		const char *d = "recipient";

		if (c->tenant_id != tenant_id || c->state == CALL_ENDED)
			continue;
		int side = call_has_ext(c, ext);

		if (side == CALL_EXT_CALLEE)
			st = c->state == CALL_ANSWERED &&
				     (c->bridged || !c->bridging)
				 ? BLF_CONFIRMED
				 : BLF_EARLY;
		else if (side == CALL_EXT_CALLER) {
			st = c->state == CALL_ANSWERED ? BLF_CONFIRMED
						       : BLF_EARLY;
			d = "initiator";
		}
		if (st > best) {
			uint32_t h = 2166136261u;
			best = st;
			*dir = d;
			*caller = c->caller;
			for (const char *p = c->call_id; *p; p++)
				h = (h ^ (unsigned char)*p) * 16777619u;
			*id = h;
		}
	}
	return best;
}

/* The full dialog-info document of `ext` in state st (RFC 4235 4.1). The
 * dialog's id is a hash of the Call-ID, which may hold characters XML
 * would need escaped; phones only compare it. A call ringing `ext` names
 * its caller (the lamp's display) and, as the local target, the directed
 * pickup code for it: phones whose BLF key picks up a ringing line dial
 * that (RFC 4235 4.1.6). Numbers are [0-9*#+] and safe in XML. */
static void body_of(char *buf, size_t len, unsigned version, const char *ext,
		    const char *domain, enum blf_state st, const char *dir,
		    unsigned id, const char *caller)
{
	int n = snprintf(buf, len,
			 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
			 "<dialog-info xmlns=\"urn:ietf:params:xml:ns:"
			 "dialog-info\" version=\"%u\" state=\"full\" "
			 "entity=\"sip:%s@%s\">\r\n",
			 version, ext, domain);

	if (n < 0 || (size_t)n >= len)
		return;
	if (st == BLF_EARLY && !strcmp(dir, "recipient") && caller &&
	    db_valid_number(caller))
		n += snprintf(buf + n, len - (size_t)n,
			      "<dialog id=\"%08x\" direction=\"%s\">"
			      "<state>early</state>"
			      "<local><identity>sip:%s@%s</identity>"
			      "<target uri=\"sip:" CALL_PICKUP_DIRECTED
			      "%s@%s\"/></local>"
			      "<remote><identity>sip:%s@%s</identity></remote>"
			      "</dialog>\r\n",
			      id, dir, ext, domain, ext, domain, caller, domain);
	else if (st != BLF_IDLE)
		n += snprintf(buf + n, len - (size_t)n,
			      "<dialog id=\"%08x\" direction=\"%s\">"
			      "<state>%s</state></dialog>\r\n",
			      id, dir, st == BLF_EARLY ? "early" : "confirmed");
	if ((size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "</dialog-info>\r\n");
}

void blf_subscribe(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		   const struct db_tenant *t, const struct db_ext *watcher)
{
	const char *target = sub_target(s, sip, t);
	const char *dir = "recipient", *caller = NULL;
	char body[BODY_LEN];
	struct db_ext e;
	struct sub *u;
	unsigned id = 0;
	enum blf_state st;
	long expires;

	/* Only extensions of the watcher's own tenant; the watcher already
	 * proved it is one of the tenant's extensions, who may see the
	 * tenant's directory anyway. */
	if (!target) {
		LOGC(LOGL_WARN, "blf", t->domain, sip->sip_call_id->i_id,
		     "%s may not watch a line of another tenant",
		     watcher->number);
		sip_reply(s, nh, SIP_403_FORBIDDEN);
		return;
	}
	if (!db_valid_number(target) || db_ext_get(s->db, t->id, target, &e)) {
		sip_reply(s, nh, SIP_404_NOT_FOUND);
		return;
	}
	if ((expires = sub_expires(s, nh, sip)) < 0)
		return;
	st = state_of(s, t->id, e.number, &dir, &id, &caller);
	body_of(body, sizeof(body), 0, e.number, t->domain, st, dir, id,
		caller);
	if (expires == 0) {
		sub_fetch_once(s, nh, SUB_DIALOG, body);
		return;
	}
	sub_accept(s, nh, sip, t, SUB_DIALOG, e.number, watcher->number,
		   expires, body, &u);
	if (u)
		u->state = (int)st;
}

static void check_h(struct sip *s, struct sub *u, void *arg)
{
	const char *dir = "recipient", *caller = NULL;
	char body[BODY_LEN];
	unsigned id = 0;
	enum blf_state st =
	    state_of(s, u->tenant_id, u->ext, &dir, &id, &caller);

	(void)arg;
	if ((int)st == u->state)
		return;
	u->state = (int)st;
	body_of(body, sizeof(body), ++u->version, u->ext, u->domain, st, dir,
		id, caller);
	sub_notify(u, body);
	LOGC(LOGL_DEBUG, "blf", u->domain, u->call_id, "%s -> %s: %s", u->ext,
	     u->watcher,
	     st == BLF_IDLE ? "idle" : st == BLF_EARLY ? "ringing" : "busy");
}

void blf_tick(struct sip *s)
{
	sub_each(s, SUB_DIALOG, check_h, NULL);
}
