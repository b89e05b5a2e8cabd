/* reg_save.c - the registrar: REGISTER handling, persistence and expiry. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/sip_priv.h"
#include "sip/reg.h"
#include "sip/tenant.h"
#include "core/dbq.h"
#include "core/log.h"

#define REG_MIN_EXPIRES 60
#define REG_MAX_EXPIRES 3600
#define REG_DEFAULT_EXPIRES 3600

/* ---- persistence: these run on the DB thread ---- */

static void save_job(struct db *db, void *arg)
{
	db_reg_save(db, arg);
}

struct del_job {
	int64_t ext_id;
	int all;
	char contact[DB_URI_LEN];
};

static void del_job(struct db *db, void *arg)
{
	struct del_job *j = arg;

	if (j->all)
		db_reg_del_ext(db, j->ext_id);
	else
		db_reg_del(db, j->ext_id, j->contact);
}

static void expire_job(struct db *db, void *arg)
{
	db_reg_expire(db, *(int64_t *)arg);
}

static void persist_del(struct sip *s, int64_t ext_id, const char *contact)
{
	struct del_job *j = calloc(1, sizeof(*j)); /* freed by dbq */

	if (!j)
		return;
	j->ext_id = ext_id;
	j->all = contact == NULL;
	if (contact)
		sip_strlcpy(j->contact, contact, sizeof(j->contact));
	dbq_post(s->dbq, del_job, j);
}

static int load_h(const struct db_reg *r, void *arg)
{
	return reg_table_set(arg, r);
}

int reg_load(struct sip *s)
{
	int err = db_reg_list(s->db, 0, time(NULL), load_h, s->regs);

	if (!err)
		LOGI("reg", "%d registration(s) restored from the database",
		     reg_table_count(s->regs));
	return err;
}

void reg_tick(struct sip *s)
{
	int64_t *now;

	/* Once every 10 ticks is often enough: a dead contact is also
	 * skipped at lookup by its expiry time. */
	if (s->ticks % 10)
		return;
	if (reg_table_expire(s->regs, time(NULL)) == 0)
		return;
	now = malloc(sizeof(*now)); /* freed by dbq */
	if (!now)
		return;
	*now = time(NULL);
	dbq_post(s->dbq, expire_job, now);
}

/* ---- REGISTER ---- */

static long contact_expires(const sip_contact_t *m, const sip_t *sip)
{
	if (m->m_expires)
		return strtol(m->m_expires, NULL, 10);
	if (sip->sip_expires)
		return (long)sip->sip_expires->ex_delta;
	return REG_DEFAULT_EXPIRES;
}

struct reply_ctx {
	char buf[4096];
	size_t n;
	int64_t now;
};

static void add_contact(struct reply_ctx *rc, const struct db_reg *r)
{
	int k = snprintf(rc->buf + rc->n, sizeof(rc->buf) - rc->n,
			 "%s<%s>;expires=%lld", rc->n ? ", " : "", r->contact,
			 (long long)(r->expires - rc->now));
	if (k > 0 && (size_t)k < sizeof(rc->buf) - rc->n)
		rc->n += (size_t)k;
}

/* 200 OK listing every live contact of the extension (RFC 3261 10.3). */
static void reply_ok(struct sip *s, nua_handle_t *nh, int64_t ext_id)
{
	struct db_reg *list = calloc(REG_MAX_CONTACTS, sizeof(*list));
	struct reply_ctx rc = {.n = 0, .now = time(NULL)};
	int n;

	if (!list) {
		sip_reply(s, nh, SIP_500_INTERNAL_SERVER_ERROR);
		return;
	}
	rc.buf[0] = '\0';
	n = reg_table_get(s->regs, ext_id, rc.now, list, REG_MAX_CONTACTS);
	for (int i = 0; i < n; i++)
		add_contact(&rc, &list[i]);
	free(list);
	nua_respond(nh, SIP_200_OK, NUTAG_WITH_THIS(s->nua),
		    TAG_IF(rc.n, SIPTAG_CONTACT_STR(rc.buf)), TAG_END());
	nua_handle_destroy(nh);
}

static int save_contact(struct sip *s, const sip_t *sip,
			const sip_contact_t *m, const struct db_ext *ext,
			long expires, const char *route)
{
	struct db_reg *r = calloc(1, sizeof(*r)); /* freed by dbq */
	char *uri;
	int err;

	if (!r)
		return -ENOMEM;
	uri = url_as_string(NULL, m->m_url);
	if (!uri || strlen(uri) >= sizeof(r->contact)) {
		su_free(NULL, uri);
		free(r);
		return -EINVAL;
	}
	r->ext_id = ext->id;
	r->tenant_id = ext->tenant_id;
	sip_strlcpy(r->contact, uri, sizeof(r->contact));
	su_free(NULL, uri);
	if (expires == 0) {
		reg_table_del(s->regs, ext->id, r->contact);
		persist_del(s, ext->id, r->contact);
		free(r);
		return 0;
	}
	sip_strlcpy(r->route, route, sizeof(r->route));
	sip_strlcpy(r->call_id, sip->sip_call_id->i_id, sizeof(r->call_id));
	r->cseq = sip->sip_cseq ? sip->sip_cseq->cs_seq : 0;
	r->expires = (int64_t)time(NULL) + expires;
	if (sip->sip_user_agent)
		sip_strlcpy(r->user_agent, sip->sip_user_agent->g_string,
			    sizeof(r->user_agent));
	err = reg_table_set(s->regs, r);
	if (err) {
		free(r);
		return err;
	}
	return dbq_post(s->dbq, save_job, r);
}

/* Checks every Contact before changing anything, so a REGISTER is
 * applied whole or not at all. */
static int check_contacts(struct sip *s, nua_handle_t *nh, const sip_t *sip)
{
	for (const sip_contact_t *m = sip->sip_contact; m; m = m->m_next) {
		long e = contact_expires(m, sip);

		if (m->m_url->url_type == url_any) {
			if (m != sip->sip_contact || m->m_next ||
			    !sip->sip_expires || sip->sip_expires->ex_delta) {
				sip_reply(s, nh, 400, "Bad Wildcard Contact");
				return -EINVAL;
			}
			continue;
		}
		if (e > 0 && e < REG_MIN_EXPIRES) {
			char min[16];
			snprintf(min, sizeof(min), "%d", REG_MIN_EXPIRES);
			nua_respond(nh, SIP_423_INTERVAL_TOO_BRIEF,
				    NUTAG_WITH_THIS(s->nua),
				    SIPTAG_MIN_EXPIRES_STR(min), TAG_END());
			nua_handle_destroy(nh);
			return -EINVAL;
		}
	}
	return 0;
}

static void apply(struct sip *s, nua_handle_t *nh, const sip_t *sip,
		  const struct db_ext *ext, const char *tenant)
{
	char route[DB_URI_LEN];
	struct sockaddr_storage src;
	int added = 0;

	if (sip_request_source(s, &src, route, sizeof(route))) {
		sip_reply(s, nh, SIP_500_INTERNAL_SERVER_ERROR);
		return;
	}
	for (const sip_contact_t *m = sip->sip_contact; m; m = m->m_next) {
		long e = contact_expires(m, sip);

		if (m->m_url->url_type == url_any) {
			reg_table_del(s->regs, ext->id, NULL);
			persist_del(s, ext->id, NULL);
			LOGC(LOGL_INFO, "reg", tenant, sip->sip_call_id->i_id,
			     "%s unregistered all contacts", ext->number);
			break;
		}
		if (e > REG_MAX_EXPIRES)
			e = REG_MAX_EXPIRES;
		if (e < 0)
			e = 0;
		if (save_contact(s, sip, m, ext, e, route)) {
			sip_reply(s, nh, 400, "Bad Contact");
			return;
		}
		LOGC(LOGL_INFO, "reg", tenant, sip->sip_call_id->i_id,
		     "%s %s via %s (%lds)", ext->number,
		     e ? "registered" : "unregistered", route, e);
		added |= e > 0;
	}
	reply_ok(s, nh, ext->id);
	/* Messages that waited for this extension go to it now. */
	if (added)
		msg_registered(s, tenant, ext->tenant_id, ext->id, ext->number);
}

void reg_on_register(struct sip *s, nua_handle_t *nh, const sip_t *sip)
{
	struct db_tenant t;
	struct db_ext ext;
	const char *host = sip->sip_request->rq_url->url_host;

	if (!sip->sip_call_id || !sip->sip_to || !sip->sip_from) {
		sip_reply(s, nh, SIP_400_BAD_REQUEST);
		return;
	}
	if (s->shutting_down) {
		sip_reply(s, nh, SIP_503_SERVICE_UNAVAILABLE);
		return;
	}
	if (!host || tenant_lookup(s->db, host, s->conf->default_tenant, &t)) {
		LOGC(LOGL_INFO, "reg", host, sip->sip_call_id->i_id,
		     "REGISTER for a domain not served here");
		sip_reply(s, nh, 404, "Domain Not Served Here");
		return;
	}
	if (auth_request(s, nh, sip, &t, 0, &ext))
		return;
	/* Credentials of 1001 may only register 1001. */
	if (!sip->sip_to->a_url->url_user ||
	    strcmp(sip->sip_to->a_url->url_user, ext.number)) {
		sip_reply(s, nh, SIP_403_FORBIDDEN);
		return;
	}
	if (check_contacts(s, nh, sip))
		return;
	apply(s, nh, sip, &ext, t.domain);
}

static void print_h(const struct db_reg *r, void *arg)
{
	fprintf(arg, "%lld\t%s\t%s\t%lld\t%s\n", (long long)r->ext_id,
		r->contact, r->route, (long long)(r->expires - time(NULL)),
		r->user_agent);
}

int sip_regs_print(struct sip *s, FILE *out)
{
	reg_table_walk(s->regs, print_h, out);
	return 0;
}
