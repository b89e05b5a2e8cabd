/* ctl_did.c - ondoctl did add | set | del | list: the public numbers a
 * tenant owns and where calls to them go. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_timecond.h"
#include "ondoctl/ondoctl.h"

/* Fills d from "NUMBER TYPE DEST" and checks them in the tenant, so that
 * the error names the word that is wrong (db_dest_check's words). */
static int fill_did(struct octl *o, struct db_did *d, const struct db_tenant *t,
		    const char *number, const char *type, const char *dest)
{
	char why[200];

	memset(d, 0, sizeof(*d));
	d->tenant_id = t->id;
	if (octl_check_e164("DID", number, false))
		return OCTL_ERR;
	if (db_dest_check(o->db, t->id, type, dest, DB_DEST_DID, why,
			  sizeof(why)))
		return octl_err("%s", why);
	snprintf(d->number, sizeof(d->number), "%s", number);
	snprintf(d->dest_type, sizeof(d->dest_type), "%s", type);
	snprintf(d->dest, sizeof(d->dest), "%s", dest);
	return OCTL_OK;
}

/* What -ENOENT from add or set means once the DID itself is known: what
 * it points to went away since fill_did looked. */
static int no_dest(struct octl *o, const struct db_tenant *t,
		   const struct db_did *d)
{
	char why[200];

	db_dest_check(o->db, t->id, d->dest_type, d->dest, DB_DEST_DID, why,
		      sizeof(why));
	return octl_err("%s", why[0] ? why : "the destination is gone");
}

int octl_did_add(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	struct db_did d, owner;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 4, 4, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) ||
	    fill_did(o, &d, &t, argv[1], argv[2], argv[3]))
		return OCTL_ERR;
	err = db_did_add(o->db, &d, NULL);
	if (err == -ENOENT)
		return no_dest(o, &t, &d);
	/* Another tenant's number is not named: tenants do not learn of
	 * each other here. */
	if (err == -EEXIST && !db_did_get(o->db, d.number, &owner) &&
	    owner.tenant_id == t.id)
		return octl_err("%s already has DID %s", t.domain, d.number);
	if (err == -EEXIST)
		return octl_err("DID %s belongs to another tenant", d.number);
	if (err)
		return octl_err("cannot add DID %s to %s: %s", d.number,
				t.domain, octl_strerror(err));
	printf("DID %s of %s goes to %s %s\n", d.number, t.domain, d.dest_type,
	       d.dest);
	return OCTL_OK;
}

/* The tenant's DID `number`; prints why not. */
static int find_did(struct octl *o, const struct db_tenant *t,
		    const char *number)
{
	struct db_did d;
	int err;

	if (octl_check_e164("DID", number, false))
		return OCTL_ERR;
	err = db_did_get(o->db, number, &d);
	if (err == -ENOENT || (!err && d.tenant_id != t->id))
		return octl_err("no DID %s in tenant %s", number, t->domain);
	if (err)
		return octl_err("cannot look up DID %s: %s", number,
				octl_strerror(err));
	return OCTL_OK;
}

int octl_did_set(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	struct db_did d;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 4, 4, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || find_did(o, &t, argv[1]) ||
	    fill_did(o, &d, &t, argv[1], argv[2], argv[3]))
		return OCTL_ERR;
	err = db_did_set_dest(o->db, &d);
	if (err == -ENOENT)
		return no_dest(o, &t, &d);
	if (err)
		return octl_err("cannot change DID %s of %s: %s", d.number,
				t.domain, octl_strerror(err));
	printf("DID %s of %s goes to %s %s\n", d.number, t.domain, d.dest_type,
	       d.dest);
	return OCTL_OK;
}

int octl_did_del(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) ||
	    octl_check_e164("DID", argv[1], false))
		return OCTL_ERR;
	err = db_did_del(o->db, t.id, argv[1]);
	if (err == -ENOENT)
		return octl_err("no DID %s in tenant %s", argv[1], t.domain);
	if (err)
		return octl_err("cannot delete DID %s of %s: %s", argv[1],
				t.domain, octl_strerror(err));
	printf("DID %s deleted from %s\n", argv[1], t.domain);
	return OCTL_OK;
}

static int did_row_h(const struct db_did *d, void *arg)
{
	struct octl_rows *rows = arg;
	char dest[sizeof(d->dest_type) + sizeof(d->dest)];

	snprintf(dest, sizeof(dest), "%s %s", d->dest_type, d->dest);
	return octl_table_add(
	    rows->table, octl_domain_of(rows->o, &rows->cache, d->tenant_id),
	    d->number, dest);
}

int octl_did_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"TENANT", "NUMBER", "DESTINATION"};
	struct octl_rows rows = {.o = o};
	struct db_tenant t;
	char empty[DB_DOMAIN_LEN + 64];
	int status, err;

	status = octl_list_begin(o, argc, argv, &t, 3, header, &rows.table);
	if (status)
		return status;
	err = db_did_list(o->db, t.id, did_row_h, &rows);
	snprintf(empty, sizeof(empty),
		 "no DIDs%s%s yet (add one with ondoctl did add)",
		 t.id ? " in " : "", t.id ? t.domain : "");
	return octl_list_end(rows.table, err, "DIDs", empty);
}
