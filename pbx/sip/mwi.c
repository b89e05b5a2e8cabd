/* mwi.c - message-waiting lamps: an unsolicited NOTIFY (RFC 3842) to every
 * registered phone of an extension when its mailbox's counts change. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sip/call.h"
#include "sip/reg.h"
#include "db_vm.h"
#include "core/log.h"

struct mwi_job {
	int64_t tenant_id;
	char ext[DB_NUMBER_LEN];
};

/* The simple-message-summary body: new/saved voice messages. */
static void summary(char *buf, size_t len, const char *ext,
		    const char *domain, const struct db_vm_counts *n)
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
	nua_notify(nh, NUTAG_URL(r->contact), NUTAG_PROXY(r->route),
		   NUTAG_NEWSUB(1), SIPTAG_EVENT_STR("message-summary"),
		   SIPTAG_SUBSCRIPTION_STATE_STR("active"),
		   SIPTAG_CONTENT_TYPE_STR("application/simple-message-summary"),
		   SIPTAG_PAYLOAD_STR(body), TAG_END());
}

static void mwi_job_h(struct sip *s, void *arg)
{
	struct mwi_job *j = arg;
	struct db_reg contacts[REG_MAX_CONTACTS];
	struct db_vm_counts n;
	struct db_tenant t;
	struct db_ext e;
	char aor[DB_NUMBER_LEN + DB_DOMAIN_LEN + 8], body[DB_URI_LEN];
	int k;

	if (db_tenant_by_id(s->db, j->tenant_id, &t) ||
	    db_ext_get(s->db, j->tenant_id, j->ext, &e) ||
	    db_vm_counts(s->db, e.id, &n))
		goto out;
	summary(body, sizeof(body), e.number, t.domain, &n);
	snprintf(aor, sizeof(aor), "<sip:%s@%s>", e.number, t.domain);
	k = reg_table_get(s->regs, e.id, time(NULL), contacts,
			  REG_MAX_CONTACTS);
	for (int i = 0; i < k; i++)
		notify_contact(s, &contacts[i], aor, body);
	LOGI("mwi", "%s@%s: %d new, %d saved (%d phone(s) told)", e.number,
	     t.domain, n.new_msgs, n.saved_msgs, k);
out:
	free(j);
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
