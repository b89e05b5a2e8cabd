/* sip_msg.c - SIP MESSAGE (RFC 3428) between extensions of one tenant: the
 * sender is digest-checked, the message goes to every registered phone
 * of the recipient, or waits in the database until one registers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/sip_priv.h"
#include "sip/sub_priv.h"
#include "sip/reg.h"
#include "sip/tenant.h"
#include "core/dbq.h"
#include "core/log.h"
#include "db_msg.h"

#define QUEUE_MAX 50		     /* messages waiting for one extension */
#define KEEP_S (7 * 24 * 3600)	     /* then a waiting message is dropped */
#define OUT_MAX 1024		     /* MESSAGEs in flight from the PBX */

/* A MESSAGE the PBX sent and waits on: a stored one is deleted on 2xx. */
struct msg_out {
	nua_handle_t *nh; /* owned */
	int64_t id;	  /* its row, or 0 for one relayed at once */
	struct msg_out *next;
};

static void store_job(struct db *db, void *arg)
{
	struct db_msg *m = arg;
	int err = db_msg_add(db, m, QUEUE_MAX);

	if (err)
		LOGW("msg", "message for %s not kept: %s", m->to_ext,
		     err == -ENOSPC ? "too many waiting" : strerror(-err));
}

static void del_job(struct db *db, void *arg)
{
	db_msg_del(db, *(int64_t *)arg);
}

static void expire_job(struct db *db, void *arg)
{
	int n = 0;

	if (!db_msg_expire(db, *(int64_t *)arg, &n) && n)
		LOGI("msg", "dropped %d message(s) nobody collected in a week",
		     n);
}

static int in_flight(struct sip *s, int64_t id)
{
	int n = 0;

	for (struct msg_out *o = s->msg_out; o; o = o->next)
		if (id && o->id == id)
			return 1;
		else
			n++;
	return n >= OUT_MAX ? -1 : 0;
}

/* Sends m to one registered phone of its recipient. */
static void send_to(struct sip *s, const char *domain, const struct db_msg *m,
		    const struct db_reg *r)
{
	char from[DB_NAME_LEN + DB_NUMBER_LEN + DB_DOMAIN_LEN + 16];
	char to[DB_NUMBER_LEN + DB_DOMAIN_LEN + 16];
	struct msg_out *o;

	if (in_flight(s, 0) < 0 || !(o = calloc(1, sizeof(*o))))
		return; /* a stored one goes at the next registration */
	if (m->from_name[0])
		snprintf(from, sizeof(from), "\"%s\" <sip:%s@%s>", m->from_name,
			 m->from_ext, domain);
	else
		snprintf(from, sizeof(from), "<sip:%s@%s>", m->from_ext,
			 domain);
	snprintf(to, sizeof(to), "<sip:%s@%s>", m->to_ext, domain);
	o->id = m->id;
	o->nh = nua_handle(s->nua, NULL, SIPTAG_TO_STR(to),
			   SIPTAG_FROM_STR(from), TAG_END());
	if (!o->nh) {
		free(o);
		return;
	}
	nua_message(o->nh, NUTAG_URL(r->contact),
		    SIP_ROUTE_TAGS(r->route),
		    SIPTAG_CONTENT_TYPE_STR(m->content_type),
		    SIPTAG_PAYLOAD_STR(m->body), TAG_END());
	o->next = s->msg_out;
	s->msg_out = o;
}

/* To every registered phone of the recipient; how many. */
static int deliver(struct sip *s, const char *domain, int64_t ext_id,
		   const struct db_msg *m)
{
	struct db_reg contacts[REG_MAX_CONTACTS];
	int n = reg_table_get(s->regs, ext_id, time(NULL), contacts,
			      REG_MAX_CONTACTS);

	for (int i = 0; i < n; i++)
		send_to(s, domain, m, &contacts[i]);
	return n;
}

/* The request's body, type and size checked; fills m. */
static int take_body(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		     struct db_msg *m)
{
	const sip_payload_t *pl = sip->sip_payload;
	const sip_content_type_t *ct = sip->sip_content_type;

	if (!pl || !pl->pl_len || !ct || !ct->c_type ||
	    strlen(ct->c_type) >= sizeof(m->content_type) ||
	    strpbrk(ct->c_type, "\r\n")) {
		sip_reply(s, nh, SIP_400_BAD_REQUEST);
		return -EINVAL;
	}
	if (pl->pl_len > DB_MSG_BODY_MAX ||
	    memchr(pl->pl_data, '\0', pl->pl_len)) {
		sip_reply(s, nh, SIP_413_REQUEST_TOO_LARGE);
		return -EMSGSIZE;
	}
	memcpy(m->body, pl->pl_data, pl->pl_len);
	m->body[pl->pl_len] = '\0';
	sip_strlcpy(m->content_type, ct->c_type, sizeof(m->content_type));
	return 0;
}

void msg_on_request(struct sip *s, nua_handle_t *nh, const sip_t *sip)
{
	const char *host = sip->sip_request->rq_url->url_host, *target;
	static struct db_msg m; /* the SIP thread's; 4 KB off the stack */
	struct db_tenant t;
	struct db_ext from, to;
	struct db_msg *copy;
	int waiting = 0;

	if (!sip->sip_call_id || !sip->sip_to || !sip->sip_from) {
		sip_reply(s, nh, SIP_400_BAD_REQUEST);
		return;
	}
	if (!host || tenant_lookup(s->db, host, s->conf->default_tenant, &t)) {
		sip_reply(s, nh, 404, "Domain Not Served Here");
		return;
	}
	if (auth_request(s, nh, sip, &t, 1, &from))
		return;
	/* Only to an extension of the sender's own tenant. */
	target = sub_target(s, sip, &t);
	if (!target) {
		LOGC(LOGL_WARN, "msg", t.domain, sip->sip_call_id->i_id,
		     "%s may not send a message to another tenant",
		     from.number);
		sip_reply(s, nh, SIP_403_FORBIDDEN);
		return;
	}
	if (!db_valid_number(target) || db_ext_get(s->db, t.id, target, &to)) {
		sip_reply(s, nh, SIP_404_NOT_FOUND);
		return;
	}
	memset(&m, 0, sizeof(m));
	if (take_body(s, nh, sip, &m))
		return;
	m.tenant_id = t.id;
	sip_strlcpy(m.to_ext, to.number, sizeof(m.to_ext));
	sip_strlcpy(m.from_ext, from.number, sizeof(m.from_ext));
	sip_strlcpy(m.from_name, from.name, sizeof(m.from_name));
	m.created = time(NULL);
	if (deliver(s, t.domain, to.id, &m)) {
		LOGC(LOGL_INFO, "msg", t.domain, sip->sip_call_id->i_id,
		     "message %s -> %s relayed", from.number, to.number);
		sip_reply(s, nh, SIP_202_ACCEPTED);
		return;
	}
	/* Nobody to take it now: it waits for the next registration, if
	 * there is room (the DB thread counts again as it stores). */
	if (db_msg_count(s->db, t.id, to.number, &waiting) ||
	    waiting >= QUEUE_MAX) {
		sip_reply(s, nh, 480, "Too Many Messages Waiting");
		return;
	}
	copy = malloc(sizeof(*copy)); /* the DB job's; freed by dbq */
	if (!copy) {
		sip_reply(s, nh, SIP_500_INTERNAL_SERVER_ERROR);
		return;
	}
	*copy = m;
	dbq_post(s->dbq, store_job, copy);
	LOGC(LOGL_INFO, "msg", t.domain, sip->sip_call_id->i_id,
	     "message %s -> %s kept until %s registers", from.number,
	     to.number, to.number);
	sip_reply(s, nh, SIP_202_ACCEPTED);
}

int msg_notice(struct sip *s, int64_t tenant_id, const char *domain,
	       const char *to_ext, const char *from_ext, const char *from_name,
	       const char *text)
{
	static struct db_msg m; /* the SIP thread's; 4 KB off the stack */
	struct db_ext to;

	if (!db_valid_number(to_ext) ||
	    db_ext_get(s->db, tenant_id, to_ext, &to))
		return 0;
	memset(&m, 0, sizeof(m));
	m.tenant_id = tenant_id;
	sip_strlcpy(m.to_ext, to.number, sizeof(m.to_ext));
	sip_strlcpy(m.from_ext, from_ext, sizeof(m.from_ext));
	sip_strlcpy(m.from_name, from_name, sizeof(m.from_name));
	sip_strlcpy(m.content_type, "text/plain", sizeof(m.content_type));
	sip_strlcpy(m.body, text, sizeof(m.body));
	m.created = time(NULL);
	return deliver(s, domain, to.id, &m);
}

struct flush {
	struct sip *s;
	const char *domain;
	int64_t ext_id;
	int n;
};

static int flush_h(const struct db_msg *m, void *arg)
{
	struct flush *f = arg;

	if (in_flight(f->s, m->id))
		return 0; /* sent at an earlier registration, not answered */
	f->n += deliver(f->s, f->domain, f->ext_id, m) > 0;
	return 0;
}

void msg_registered(struct sip *s, const char *domain, int64_t tenant_id,
		    int64_t ext_id, const char *ext)
{
	struct flush f = {.s = s, .domain = domain, .ext_id = ext_id};

	if (db_msg_list(s->db, tenant_id, ext, flush_h, &f) == 0 && f.n)
		LOGI("msg", "%d waiting message(s) sent to %s@%s", f.n, ext,
		     domain);
}

int msg_on_response(struct sip *s, int status, nua_handle_t *nh)
{
	struct msg_out **pp, *o;

	for (pp = &s->msg_out; *pp && (*pp)->nh != nh; pp = &(*pp)->next)
		;
	if (!(o = *pp))
		return 0;
	if (status < 200)
		return 1;
	if (status < 300 && o->id) {
		int64_t *id = malloc(sizeof(*id)); /* the DB job's */
		if (id) {
			*id = o->id;
			dbq_post(s->dbq, del_job, id);
		}
	}
	*pp = o->next;
	nua_handle_destroy(o->nh);
	free(o);
	return 1;
}

void msg_tick(struct sip *s)
{
	static int calls;
	int64_t *before;

	/* Once an hour is plenty for a week's limit. */
	if (++calls % 3600 != 1 || !(before = malloc(sizeof(*before))))
		return;
	*before = (int64_t)time(NULL) - KEEP_S;
	dbq_post(s->dbq, expire_job, before);
}

void msg_free_all(struct sip *s)
{
	while (s->msg_out) {
		struct msg_out *o = s->msg_out;
		s->msg_out = o->next;
		free(o); /* its handle went with nua_destroy() */
	}
}
