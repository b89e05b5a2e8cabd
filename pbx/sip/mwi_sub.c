/* mwi_sub.c - message-summary subscriptions (RFC 3842, RFC 6665): the
 * mailbox owner's SUBSCRIBE, digest-checked, and the in-dialog NOTIFYs
 * that keep its lamp right. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/mwi.h"
#include "sip/sub_priv.h"
#include "sip/tenant.h"
#include "core/log.h"

#define EVENT		"message-summary"
#define CONTENT_TYPE	"application/simple-message-summary"
/* Each kind's Event and body type. */
static const char *const event_of[] = {[SUB_MWI] = EVENT,
				       [SUB_DIALOG] = "dialog"};
static const char *const ctype_of[] = {
    [SUB_MWI] = CONTENT_TYPE, [SUB_DIALOG] = "application/dialog-info+xml"};
#define MIN_EXPIRES	60
#define MAX_EXPIRES	MWI_SUB_MAX_EXPIRES
#define DEFAULT_EXPIRES 3600
/* Phones of one extension (up to REG_MAX_CONTACTS) each subscribe once;
 * the rest covers a phone that re-subscribes on a new dialog after a
 * reboot while its old one runs out. Past it the oldest is ended. */
#define PER_BOX 16
/* A flood of SUBSCRIBEs (which needs an extension's password) costs at
 * most this many entries of about 1 KB; past it new ones get 503. */
#define MAX_SUBS 4096
/* Seconds past expiry before the sweep drops an entry the stack never
 * reported ended: the stack's own last NOTIFY has timed out by then. */
#define GRACE	40
#define BUCKETS SUB_BUCKETS
/* Ending subscriptions at shutdown: "probation" asks phones to subscribe
 * again a little later, when the daemon is back (the stack's own choice,
 * "noresource", would tell them not to). */
#define SHUTDOWN_STATE "terminated;reason=probation;retry-after=10"



int mwi_subs_alloc(struct mwi_subs **tp)
{
	*tp = calloc(1, sizeof(**tp)); /* caller frees: mwi_subs_free */
	return *tp ? 0 : -ENOMEM;
}

void mwi_subs_free(struct mwi_subs *t)
{
	if (!t)
		return;
	for (int i = 0; i < BUCKETS; i++) {
		while (t->bucket[i]) {
			struct sub *u = t->bucket[i];
			t->bucket[i] = u->next;
			free(u);
		}
	}
	free(t);
}

static unsigned bucket_of(int64_t tenant_id, const char *ext)
{
	uint32_t h = 2166136261u ^ (uint32_t)tenant_id;

	for (; *ext; ext++)
		h = (h ^ (unsigned char)*ext) * 16777619u;
	return h % BUCKETS;
}

/* The link pointing at the entry of `nh`, or NULL. Walks every bucket:
 * only NOTIFY answers and refreshes look up by handle, and the table is
 * capped, so this stays a few microseconds. */
static struct sub **find_nh(struct mwi_subs *t, nua_handle_t *nh)
{
	for (int i = 0; i < BUCKETS; i++)
		for (struct sub **pp = &t->bucket[i]; *pp; pp = &(*pp)->next)
			if ((*pp)->nh == nh)
				return pp;
	return NULL;
}

static void drop(struct sip *s, struct sub **pp)
{
	struct sub *u = *pp;

	*pp = u->next;
	nua_handle_destroy(u->nh);
	free(u);
	s->subs->n--;
}

void sub_notify(struct sub *u, const char *body)
{
	nua_notify(u->nh, SIP_DIALOG_ROUTE_TAG(u->route),
		   NUTAG_SUBSTATE(nua_substate_active),
		   SIPTAG_EVENT_STR(event_of[u->kind]),
		   SIPTAG_CONTENT_TYPE_STR(ctype_of[u->kind]),
		   SIPTAG_PAYLOAD_STR(body), TAG_END());
}

/* Ends a subscription with a terminated NOTIFY in `state`; the entry
 * stays until that NOTIFY is answered. */
static void end_sub(struct sub *u, const char *state)
{
	u->ending = 1;
	u->expires = time(NULL);
	nua_notify(u->nh, SIP_DIALOG_ROUTE_TAG(u->route),
		   SIPTAG_SUBSCRIPTION_STATE_STR(state),
		   SIPTAG_EVENT_STR(event_of[u->kind]), TAG_END());
}

/* Ends the oldest live subscription of a box that has PER_BOX: the one a
 * rebooted phone most likely left behind. "deactivated" lets a phone
 * still using it subscribe again at once. */
static void evict_oldest(struct sip *s, struct sub *oldest)
{
	LOGC(LOGL_INFO, "mwi", oldest->domain, oldest->call_id,
	     "%s has %d subscriptions; ending the oldest", oldest->ext,
	     PER_BOX);
	end_sub(oldest, "terminated;reason=deactivated");
}

/* Makes room for one more subscription to the box: -ENOSPC when the
 * whole table is full. */
static int make_room(struct sip *s, int64_t tenant_id, const char *ext,
		     enum sub_kind kind)
{
	struct sub *oldest = NULL;
	int n = 0;

	if (s->subs->n >= MAX_SUBS)
		return -ENOSPC;
	for (struct sub *u = s->subs->bucket[bucket_of(tenant_id, ext)]; u;
	     u = u->next) {
		if (u->ending || u->kind != kind ||
		    u->tenant_id != tenant_id || strcmp(u->ext, ext))
			continue;
		n++;
		if (!oldest || u->since < oldest->since)
			oldest = u;
	}
	if (n >= PER_BOX)
		evict_oldest(s, oldest);
	return 0;
}

/* Adds the entry of an accepted subscription; the table takes the
 * handle. 0, -ENOSPC or -ENOMEM. */
static int add(struct sip *s, nua_handle_t *nh, const sip_t *sip,
	       const struct db_tenant *t, enum sub_kind kind, const char *ext,
	       const char *watcher, long expires, struct sub **up)
{
	struct sockaddr_storage src;
	unsigned b = bucket_of(t->id, ext);
	struct sub *u;
	int err = make_room(s, t->id, ext, kind);

	if (err)
		return err;
	u = calloc(1, sizeof(*u)); /* owned by the table; freed by drop */
	if (!u)
		return -ENOMEM;
	u->nh = nh;
	u->kind = kind;
	u->tenant_id = t->id;
	sip_strlcpy(u->ext, ext, sizeof(u->ext));
	sip_strlcpy(u->watcher, watcher, sizeof(u->watcher));
	sip_strlcpy(u->domain, t->domain, sizeof(u->domain));
	sip_strlcpy(u->call_id, sip->sip_call_id->i_id, sizeof(u->call_id));
	/* No source (cannot happen for a request from the network): the
	 * NOTIFYs go to the Contact, as any UA would send them. */
	if (sip_request_source(s, &src, u->route, sizeof(u->route)))
		u->route[0] = '\0';
	u->since = time(NULL);
	u->expires = u->since + expires;
	u->next = s->subs->bucket[b];
	s->subs->bucket[b] = u;
	s->subs->n++;
	*up = u;
	return 0;
}

/* Whether the authenticated `ext` may watch the mailbox the request
 * names: only its own, in the tenant it authenticated in. The
 * Request-URI user names the box (the To user when the Request-URI has
 * none); when both are there they must agree, and To must name the same
 * tenant, so a request cannot point its parts at two tenants and leave
 * the PBX to pick one. No mailbox is looked up: any other box gets the
 * same 403 whether it exists or not. */
const char *sub_target(struct sip *s, const sip_t *sip,
		       const struct db_tenant *t)
{
	const url_t *ru = sip->sip_request->rq_url, *to = sip->sip_to->a_url;
	const char *user = ru->url_user ? ru->url_user : to->url_user;
	char dom[DB_DOMAIN_LEN];

	if (!user || (to->url_user && strcmp(to->url_user, user)))
		return NULL;
	if (!to->url_host ||
	    tenant_domain_for_host(to->url_host, s->conf->default_tenant, dom,
				   sizeof(dom)) ||
	    strcmp(dom, t->domain))
		return NULL;
	return user;
}

static int is_owner(struct sip *s, const sip_t *sip, const struct db_tenant *t,
		    const struct db_ext *ext)
{
	const char *box = sub_target(s, sip, t);

	return box && !strcmp(box, ext->number);
}

static const char *or_none(const char *v)
{
	return v ? v : "(none)";
}

static long requested_expires(const sip_t *sip)
{
	if (!sip->sip_expires)
		return DEFAULT_EXPIRES;
	if (sip->sip_expires->ex_delta > MAX_EXPIRES)
		return MAX_EXPIRES;
	return (long)sip->sip_expires->ex_delta;
}

long sub_expires(struct sip *s, nua_handle_t *nh, const sip_t *sip)
{
	long expires = requested_expires(sip);
	char min[16];

	if (expires > 0 && expires < MIN_EXPIRES) {
		snprintf(min, sizeof(min), "%d", MIN_EXPIRES);
		nua_respond(nh, SIP_423_INTERVAL_TOO_BRIEF,
			    NUTAG_WITH_THIS(s->nua),
			    SIPTAG_MIN_EXPIRES_STR(min), TAG_END());
		nua_handle_destroy(nh);
		return -1;
	}
	return expires;
}

static void respond_ok(struct sip *s, nua_handle_t *nh, long expires)
{
	char ex[16];

	snprintf(ex, sizeof(ex), "%ld", expires);
	nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(s->nua),
		    SIPTAG_EXPIRES_STR(ex), TAG_END());
}

/* Expires: 0 asks for the state once: 200, then a NOTIFY that ends the
 * subscription. Nothing is kept; the handle goes when that NOTIFY is
 * answered (sip_stack.c, as for an unsolicited one). */
void sub_fetch_once(struct sip *s, nua_handle_t *nh, enum sub_kind kind,
		    const char *body)
{
	respond_ok(s, nh, 0);
	nua_notify(nh, NUTAG_SUBSTATE(nua_substate_terminated),
		   SIPTAG_EVENT_STR(event_of[kind]),
		   SIPTAG_CONTENT_TYPE_STR(ctype_of[kind]),
		   SIPTAG_PAYLOAD_STR(body), TAG_END());
}

void sub_accept(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		const struct db_tenant *t, enum sub_kind kind, const char *ext,
		const char *watcher, long expires, const char *body,
		struct sub **up)
{
	const char *cid = sip->sip_call_id->i_id;
	struct sub *u;
	int err = add(s, nh, sip, t, kind, ext, watcher, expires, &u);

	if (up)
		*up = err ? NULL : u;
	if (err) {
		LOGC(LOGL_WARN, event_of[kind], t->domain, cid,
		     "subscription of %s refused: %s", watcher,
		     err == -ENOSPC ? "too many subscriptions" : "no memory");
		sip_reply(s, nh, 503, "Too Many Subscriptions");
		return;
	}
	respond_ok(s, nh, expires);
	/* RFC 6665 4.2.1.2: the first NOTIFY goes out at once, whatever
	 * happens to the 200. */
	sub_notify(u, body);
	if (kind == SUB_MWI)
		LOGC(LOGL_INFO, "mwi", t->domain, cid,
		     "%s subscribed to its mailbox via %s (%lds)", ext,
		     u->route, expires);
	else
		LOGC(LOGL_INFO, "blf", t->domain, cid,
		     "%s watches %s via %s (%lds)", watcher, ext, u->route,
		     expires);
}

void sub_each(struct sip *s, enum sub_kind kind,
	      void (*h)(struct sip *s, struct sub *u, void *arg), void *arg)
{
	for (int i = 0; i < BUCKETS; i++)
		for (struct sub *u = s->subs->bucket[i]; u; u = u->next)
			if (!u->ending && u->kind == kind)
				h(s, u, arg);
}

/* The authenticated owner's SUBSCRIBE: the box's counts now, and either
 * a one-time answer or a kept subscription. */
static void answer_owner(struct sip *s, nua_handle_t *nh, const sip_t *sip,
			 const struct db_tenant *t, const struct db_ext *ext)
{
	long expires = sub_expires(s, nh, sip);
	char body[MWI_BODY_LEN];
	struct db_vm_counts n;

	if (expires < 0)
		return;
	if (db_vm_counts(s->db, ext->id, &n)) {
		sip_reply(s, nh, SIP_500_INTERNAL_SERVER_ERROR);
		return;
	}
	mwi_summary(body, sizeof(body), ext->number, t->domain, &n);
	if (expires == 0) {
		LOGC(LOGL_DEBUG, "mwi", t->domain, sip->sip_call_id->i_id,
		     "%s fetched its mailbox state once", ext->number);
		sub_fetch_once(s, nh, SUB_MWI, body);
	} else
		sub_accept(s, nh, sip, t, SUB_MWI, ext->number, ext->number,
			   expires, body, NULL);
}

static void new_subscription(struct sip *s, nua_handle_t *nh, const sip_t *sip)
{
	const char *host = sip->sip_request->rq_url->url_host;
	struct db_tenant t;
	struct db_ext ext;

	if (!sip->sip_call_id || !sip->sip_to || !sip->sip_from ||
	    !sip->sip_event) {
		sip_reply(s, nh, SIP_400_BAD_REQUEST);
		return;
	}
	/* The stack refuses events missing from Allow-Events itself; this
	 * keeps a later addition there from reaching the mailbox code. */
	if (strcmp(sip->sip_event->o_type, EVENT) &&
	    strcmp(sip->sip_event->o_type, event_of[SUB_DIALOG])) {
		sip_reply(s, nh, SIP_489_BAD_EVENT);
		return;
	}
	if (s->shutting_down) {
		sip_reply(s, nh, SIP_503_SERVICE_UNAVAILABLE);
		return;
	}
	if (!host || tenant_lookup(s->db, host, s->conf->default_tenant, &t)) {
		sip_reply(s, nh, 404, "Domain Not Served Here");
		return;
	}
	if (auth_request(s, nh, sip, &t, 0, &ext))
		return;
	if (!strcmp(sip->sip_event->o_type, event_of[SUB_DIALOG])) {
		blf_subscribe(s, nh, sip, &t, &ext);
		return;
	}
	if (!is_owner(s, sip, &t, &ext)) {
		LOGC(LOGL_WARN, "mwi", t.domain, sip->sip_call_id->i_id,
		     "%s may not subscribe to the mailbox of "
		     "sip:%s@%s (To: sip:%s@%s)",
		     ext.number, or_none(sip->sip_request->rq_url->url_user),
		     host, or_none(sip->sip_to->a_url->url_user),
		     or_none(sip->sip_to->a_url->url_host));
		sip_reply(s, nh, SIP_403_FORBIDDEN);
		return;
	}
	answer_owner(s, nh, sip, &t, &ext);
}

/* A refresh or an unsubscribe, already answered by the stack (which
 * also repeats the last NOTIFY): the entry follows. */
static void refreshed(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		      tagi_t tags[])
{
	int substate = nua_substate_active;
	struct sub **pp = find_nh(s->subs, nh);
	struct sub *u;

	if (!pp)
		return;
	u = *pp;
	tl_gets(tags, NUTAG_SUBSTATE_REF(substate), TAG_END());
	if (substate == nua_substate_terminated) {
		/* Kept until the stack's last NOTIFY is answered. */
		u->ending = 1;
		u->expires = time(NULL);
		LOGC(LOGL_INFO, "mwi", u->domain, u->call_id, "%s unsubscribed",
		     u->ext);
		return;
	}
	u->expires =
	    time(NULL) + (sip ? requested_expires(sip) : DEFAULT_EXPIRES);
	LOGC(LOGL_DEBUG, "mwi", u->domain, u->call_id,
	     "%s refreshed its subscription (%llds)", u->ext,
	     (long long)(u->expires - time(NULL)));
}

void mwi_sub_on_subscribe(struct sip *s, int status, nua_handle_t *nh,
			  const sip_t *sip, tagi_t tags[])
{
	/* A handle already in the table is never new, whatever the
	 * status says. */
	if (status < 200 && sip && !find_nh(s->subs, nh))
		new_subscription(s, nh, sip);
	else if (status < 300)
		refreshed(s, nh, sip, tags);
}

int mwi_sub_on_notify_r(struct sip *s, int status, nua_handle_t *nh,
			tagi_t tags[])
{
	int substate = nua_substate_active;
	struct sub **pp = find_nh(s->subs, nh);

	if (!pp)
		return 0;
	if (status < 200)
		return 1;
	tl_gets(tags, NUTAG_SUBSTATE_REF(substate), TAG_END());
	/* An error answer ends it too: the phone lost the dialog (481) or
	 * is gone (408), and subscribes afresh when it comes back. */
	if (status >= 300 || substate == nua_substate_terminated) {
		LOGC(LOGL_INFO, "mwi", (*pp)->domain, (*pp)->call_id,
		     "subscription of %s ended (%d)", (*pp)->ext, status);
		drop(s, pp);
	}
	return 1;
}

int mwi_sub_notify(struct sip *s, int64_t tenant_id, const char *ext,
		   const char *body)
{
	int n = 0;

	for (struct sub *u = s->subs->bucket[bucket_of(tenant_id, ext)]; u;
	     u = u->next) {
		if (u->ending || u->kind != SUB_MWI ||
		    u->tenant_id != tenant_id || strcmp(u->ext, ext))
			continue;
		sub_notify(u, body);
		n++;
	}
	return n;
}

void mwi_sub_shutdown(struct sip *s)
{
	for (int i = 0; i < BUCKETS; i++)
		for (struct sub *u = s->subs->bucket[i]; u; u = u->next)
			if (!u->ending)
				end_sub(u, SHUTDOWN_STATE);
}

int mwi_sub_covers(struct sip *s, int64_t tenant_id, const char *ext,
		   const char *route)
{
	for (struct sub *u = s->subs->bucket[bucket_of(tenant_id, ext)]; u;
	     u = u->next)
		if (!u->ending && u->kind == SUB_MWI &&
		    u->tenant_id == tenant_id && !strcmp(u->ext, ext) &&
		    u->route[0] &&
		    !strcmp(u->route, route))
			return 1;
	return 0;
}

void mwi_sub_tick(struct sip *s)
{
	static int calls;
	time_t now = time(NULL);

	/* Every 10 s is plenty for a backstop of a 40 s grace. */
	if (++calls % 10)
		return;
	for (int i = 0; i < BUCKETS; i++) {
		struct sub **pp = &s->subs->bucket[i];
		while (*pp) {
			if (now <= (*pp)->expires + GRACE) {
				pp = &(*pp)->next;
				continue;
			}
			LOGC(LOGL_INFO, "mwi", (*pp)->domain, (*pp)->call_id,
			     "subscription of %s expired", (*pp)->ext);
			drop(s, pp);
		}
	}
}
