/* mwi.c - message-waiting lamps: when a mailbox's counts change, an
 * unsolicited NOTIFY (RFC 3842) to every registered phone of the
 * extension and an in-dialog one on every subscription to the box. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/call.h"
#include "sip/mwi.h"
#include "sip/reg.h"
#include "sip/tenant.h"
#include "db_vm.h"
#include "core/log.h"

struct mwi_job {
	int64_t tenant_id;
	char ext[DB_NUMBER_LEN];
};

void mwi_summary(char *buf, size_t len, const char *ext, const char *domain,
		 const struct db_vm_counts *n)
{
	snprintf(buf, len,
		 "Messages-Waiting: %s\r\n"
		 "Message-Account: sip:%s@%s\r\n"
		 "Voice-Message: %d/%d\r\n",
		 n->new_msgs ? "yes" : "no", ext, domain, n->new_msgs,
		 n->saved_msgs);
}

static void notify_contact(struct sip *s, const struct db_reg *r,
			   const char *aor, const char *body)
{
	/* Released when the phone answers (sip_stack.c, nua_r_notify). */
	nua_handle_t *nh = nua_handle(s->nua, NULL, SIPTAG_TO_STR(aor),
				      SIPTAG_FROM_STR(aor), TAG_END());

	if (!nh)
		return;
	nua_notify(nh, NUTAG_URL(r->contact), SIP_ROUTE_TAGS(r->route),
		   NUTAG_NEWSUB(1), SIPTAG_EVENT_STR("message-summary"),
		   SIPTAG_SUBSCRIPTION_STATE_STR("active"),
		   SIPTAG_CONTENT_TYPE_STR("application/simple-message-summary"),
		   SIPTAG_PAYLOAD_STR(body), TAG_END());
}

/* Recounts the box and tells its phones and subscribers; what was told
 * goes to `out` (may be NULL) as "NEW\tSAVED\tPHONES\tSUBSCRIPTIONS".
 * 0, or -ENOENT for an extension that is gone. */
static int tell(struct sip *s, const struct db_tenant *t, const char *ext,
		FILE *out)
{
	struct db_reg contacts[REG_MAX_CONTACTS];
	struct db_vm_counts n;
	struct db_ext e;
	char aor[DB_NUMBER_LEN + DB_DOMAIN_LEN + 8], body[MWI_BODY_LEN];
	int k, told = 0, subs, err;

	err = db_ext_get(s->db, t->id, ext, &e);
	if (!err)
		err = db_vm_counts(s->db, e.id, &n);
	if (err)
		return err;
	mwi_summary(body, sizeof(body), e.number, t->domain, &n);
	snprintf(aor, sizeof(aor), "<sip:%s@%s>", e.number, t->domain);
	k = reg_table_get(s->regs, e.id, time(NULL), contacts,
			  REG_MAX_CONTACTS);
	for (int i = 0; i < k; i++) {
		if (mwi_sub_covers(s, t->id, e.number, contacts[i].route))
			continue;
		notify_contact(s, &contacts[i], aor, body);
		told++;
	}
	subs = mwi_sub_notify(s, t->id, e.number, body);
	LOGI("mwi",
	     "%s@%s: %d new, %d saved (%d phone(s) and %d subscription(s) "
	     "told)",
	     e.number, t->domain, n.new_msgs, n.saved_msgs, told, subs);
	if (out)
		fprintf(out, "%d\t%d\t%d\t%d\n", n.new_msgs, n.saved_msgs,
			told, subs);
	return 0;
}

static void mwi_job_h(struct sip *s, void *arg)
{
	struct mwi_job *j = arg;
	struct db_tenant t;

	if (!db_tenant_by_id(s->db, j->tenant_id, &t))
		tell(s, &t, j->ext, NULL);
	free(j);
}

int sip_mwi_refresh(struct sip *s, const char *domain, const char *ext,
		    FILE *out)
{
	struct db_tenant t;
	int err;

	if (!domain || !ext || !*ext)
		return -EINVAL;
	err = tenant_lookup(s->db, domain, s->conf->default_tenant, &t);
	return err ? err : tell(s, &t, ext, out);
}

int sip_mwi_changed(struct sip *s, int64_t tenant_id, const char *ext)
{
	struct mwi_job *j = calloc(1, sizeof(*j)); /* freed by mwi_job_h */

	if (!j)
		return -ENOMEM;
	j->tenant_id = tenant_id;
	sip_strlcpy(j->ext, ext, sizeof(j->ext));
	if (sip_post(s, mwi_job_h, j)) {
		free(j);
		return -ENOMEM;
	}
	return 0;
}
