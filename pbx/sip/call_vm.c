/* call_vm.c - calls an extension does not take go to its voicemail. */
#include <errno.h>
#include <stdio.h>

#include "sip/call.h"
#include "apps/apps.h"
#include "db_vm.h"

/* Whether extension `number` has a mailbox that takes messages. */
static int box_on(struct sip *s, int64_t tenant_id, const char *number)
{
	struct db_vm_box b;

	return db_vm_box_get(s->db, tenant_id, number, &b) == 0 && b.enabled;
}

int call_to_voicemail(struct call *c, const char *reason)
{
	char args[DB_NUMBER_LEN + 16];

	if (!box_on(c->sip, c->tenant_id, c->callee))
		return -ENOENT;
	snprintf(args, sizeof(args), "%s,%s", c->callee, reason);
	return call_divert(c, "voicemail", args);
}

int call_vm_unregistered(struct sip *s, nua_handle_t *nh, const sip_t *sip,
			 const struct db_tenant *t, const struct db_ext *caller,
			 const struct db_ext *callee)
{
	const struct app *vm = app_find("voicemail");
	char args[DB_NUMBER_LEN + 16];

	if (!vm || !box_on(s, t->id, callee->number))
		return -ENOENT;
	snprintf(args, sizeof(args), "%s,unavail", callee->number);
	call_start_app(s, nh, sip, t, caller, callee->number, vm, args, 0);
	return 0;
}
