/* ctl_did.c - ondoctl did add | set | del | list: the public numbers a
 * tenant owns and where calls to them go. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_trunk.h"
#include "ondoctl/ondoctl.h"

/* The destinations a DID can have, and how their DEST looks. */
static const struct dest_kind {
	const char *type;
	bool (*valid)(const char *dest);
	const char *rule;
	const char *missing; /* -ENOENT: "no MISSING DEST in tenant ..." */
} kinds[] = {
    {"extension", db_valid_number, "1 to 31 digits", "extension"},
    {"ivr", db_valid_ivr_name,
     "a menu name: 1 to 32 characters: a-z, 0-9, _ and -", "menu"},
    {"number", db_valid_dialable,
     "1 to 31 characters: digits, letters, * # + . _ -", NULL},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct dest_kind *find_kind(const char *type)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].type, type))
			return &kinds[i];
	return NULL;
}

/* Fills d from "NUMBER TYPE DEST" and checks their shape, so that the
 * error names the word that is wrong; whether the extension or menu
 * exists is the database's check. */
static int fill_did(struct db_did *d, const struct db_tenant *t,
		    const char *number, const char *type, const char *dest)
{
	const struct dest_kind *k = find_kind(type);

	memset(d, 0, sizeof(*d));
	d->tenant_id = t->id;
	if (octl_check_e164("DID", number, false))
		return OCTL_ERR;
	if (!k)
		return octl_err("unknown destination '%s' (extension, ivr or "
				"number)",
				type);
	if (!k->valid(dest))
		return octl_err("invalid %s '%s' for a DID (%s)", type, dest,
				k->rule);
	snprintf(d->number, sizeof(d->number), "%s", number);
	snprintf(d->dest_type, sizeof(d->dest_type), "%s", type);
	snprintf(d->dest, sizeof(d->dest), "%s", dest);
	return OCTL_OK;
}

/* What -ENOENT from add or set means once the DID itself is known: its
 * extension or menu is missing. */
static int no_dest(const struct db_tenant *t, const struct db_did *d)
{
	const struct dest_kind *k = find_kind(d->dest_type);
	/* Menus are quoted, as ondoctl ivr and route say them. */
	const char *q = strcmp(d->dest_type, "ivr") ? "" : "'";

	return octl_err("no %s %s%s%s in tenant %s",
			k && k->missing ? k->missing : d->dest_type, q, d->dest,
			q, t->domain);
}

int octl_did_add(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	struct db_did d, owner;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 4, 4, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) ||
	    fill_did(&d, &t, argv[1], argv[2], argv[3]))
		return OCTL_ERR;
	err = db_did_add(o->db, &d, NULL);
	if (err == -ENOENT)
		return no_dest(&t, &d);
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
	    fill_did(&d, &t, argv[1], argv[2], argv[3]))
		return OCTL_ERR;
	err = db_did_set_dest(o->db, &d);
	if (err == -ENOENT)
		return no_dest(&t, &d);
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
