/* dp_cos.c - classes of service: which routes out of the tenant a caller
 * may use. Shared by calls the SIP side routes and numbers an app dials
 * (a mailbox's call back), so both are held to the same class. */
#include "dialplan/dialplan.h"
#include "db_trunk.h"

int dp_cos_allows(struct db *db, const struct db_tenant *t,
		  const char *caller, int cos, const struct dp_result *r,
		  const char *dialled)
{
	char need[DB_WORD_LEN], have[DB_WORD_LEN], did[DB_NUMBER_LEN];
	char main_no[DB_NUMBER_LEN], emergency[DB_EMERGENCY_LEN];
	int need_cos;

	if (r->route_id == 0)
		return 1;
	if (db_route_cos(db, t->id, r->route_id, need))
		return 0;
	need_cos = db_cos_parse(need);
	if (need_cos == DB_COS_INTERNAL)
		return 1;
	if (db_tenant_out(db, t->id, main_no, emergency) == 0 &&
	    db_emergency_match(emergency, dialled))
		return 1;
	if (cos < 0)
		cos = db_ext_out(db, t->id, caller, have, did) == 0
			  ? db_cos_parse(have)
			  : DB_COS_INTERNAL;
	return need_cos >= 0 && cos >= need_cos;
}
