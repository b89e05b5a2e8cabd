/* db_vm_tenant.c - a tenant's voicemail settings: message length, silence
 * limit, and whether the owner's own phone skips the PIN. */
#include <errno.h>
#include <string.h>

#include "db_priv.h"
#include "db_vm.h"

static void row_tenant(sqlite3_stmt *st, void *out)
{
	struct db_vm_tenant *v = out;

	v->max_message_s = sqlite3_column_int(st, 0);
	v->silence_s = sqlite3_column_int(st, 1);
	v->own_phone_nopin = sqlite3_column_int(st, 2);
}

int db_vm_tenant_get(struct db *db, int64_t tenant_id, struct db_vm_tenant *v)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !v)
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_TENANT_GET,
		      "SELECT vm_max_message_s, vm_silence_s, "
		      "vm_own_phone_nopin FROM tenants WHERE id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	return db_fetch_row(db, st, row_tenant, v,
			    "reading a tenant's voicemail settings");
}

int db_vm_tenant_set(struct db *db, int64_t tenant_id,
		     const struct db_vm_tenant *v)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !v || v->max_message_s < DB_VM_MESSAGE_S_MIN ||
	    v->max_message_s > DB_VM_MESSAGE_S_MAX || v->silence_s < 0 ||
	    v->silence_s > DB_VM_SILENCE_S_MAX ||
	    (v->own_phone_nopin != 0 && v->own_phone_nopin != 1))
		return -EINVAL;
	err = db_stmt(db, DB_ST_VM_TENANT_SET,
		      "UPDATE tenants SET vm_max_message_s = ?2, "
		      "vm_silence_s = ?3, vm_own_phone_nopin = ?4 "
		      "WHERE id = ?1",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int(st, 2, v->max_message_s);
	sqlite3_bind_int(st, 3, v->silence_s);
	sqlite3_bind_int(st, 4, v->own_phone_nopin);
	return db_change_one(db, st, "changing a tenant's voicemail settings");
}
