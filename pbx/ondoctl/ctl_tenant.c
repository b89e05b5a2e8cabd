/* ctl_tenant.c - ondoctl tenant add | list | del | codecs | main-number |
 * emergency | timezone. */
#include <errno.h>
#include <ctype.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "db_timecond.h"
#include "db_record.h"
#include "ondoctl/ondoctl.h"

int octl_tenant_add(struct octl *o, int argc, char **argv)
{
	const char *name, *domain;
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	name = argv[0];
	domain = argv[1];
	if (octl_check_domain(domain))
		return OCTL_ERR;
	if (!name[0] || !db_valid_name(name))
		return octl_err("invalid tenant name '%s' (1 to 127 "
				"characters, no control characters, quotes "
				"or backslashes)",
				name);
	err = db_tenant_add(o->db, name, domain, NULL);
	/* Read back for the lower-cased domain the phones must use. */
	if (!err)
		err = db_tenant_by_domain(o->db, domain, &t);
	if (err == -EEXIST)
		return octl_err("tenant %s already exists", domain);
	if (err)
		return octl_err("cannot add tenant %s: %s", domain,
				octl_strerror(err));
	printf("tenant %s added\n", t.domain);
	return OCTL_OK;
}

struct tenant_rows {
	struct octl *o;
	struct octl_table *table;
};

static int count_ext_h(const struct db_ext *e, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static int tenant_row_h(const struct db_tenant *t, void *arg)
{
	struct tenant_rows *rows = arg;
	char count[16], main_no[DB_NUMBER_LEN], emergency[DB_EMERGENCY_LEN];
	char code[DB_REC_CODE_LEN];
	int n = 0, err;

	err = db_ext_list(rows->o->db, t->id, count_ext_h, &n);
	if (!err)
		err = db_tenant_out(rows->o->db, t->id, main_no, emergency);
	if (err)
		return err;
	db_tenant_record_code(rows->o->db, t->id, code);
	snprintf(count, sizeof(count), "%d", n);
	return octl_table_add(rows->table, t->domain, t->name, count, t->codecs,
			      main_no[0] ? main_no : "-",
			      emergency[0] ? emergency : "-", code);
}

int octl_tenant_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {
	    "DOMAIN",	   "NAME",	"EXTENSIONS", "CODECS",
	    "MAIN NUMBER", "EMERGENCY", "RECORD CODE"};
	struct tenant_rows rows = {.o = o};
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 0, 0, &n))
		return OCTL_USAGE;
	if (octl_table_alloc(&rows.table, 7, header))
		return octl_err("out of memory");
	err = db_tenant_list(o->db, tenant_row_h, &rows);
	if (err)
		octl_err("cannot list tenants: %s", octl_strerror(err));
	else if (octl_table_rows(rows.table) == 0)
		printf("no tenants yet (add one with: ondoctl tenant add NAME "
		       "DOMAIN)\n");
	else
		octl_table_print(rows.table, stdout);
	octl_table_free(rows.table);
	return err ? OCTL_ERR : OCTL_OK;
}

static int rm_h(const char *path, const struct stat *st, int flag,
		struct FTW *ftw)
{
	return remove(path) ? -1 : 0;
}

/* A tenant's files go with it: a new tenant of the same domain must not
 * inherit its prompts (or, later, its voicemail). */
static void remove_spool(struct octl *o, const char *domain)
{
	char dir[PATH_MAX];
	size_t n;
	int k;

	k = snprintf(dir, sizeof(dir), "%s/tenants/", o->conf.spool_dir);
	if (k < 0 || (size_t)k >= sizeof(dir))
		return;
	n = (size_t)k;
	/* The domain was validated: letters, digits, dots and hyphens only,
	 * so it cannot climb out of the spool folder. */
	for (const char *d = domain; *d && n < sizeof(dir) - 1; d++)
		dir[n++] = (char)tolower((unsigned char)*d);
	dir[n] = '\0';
	if (nftw(dir, rm_h, 16, FTW_DEPTH | FTW_PHYS) && errno != ENOENT)
		octl_err("tenant deleted, but its files in %s could not all be "
			 "removed: %s",
			 dir, strerror(errno));
}

int octl_tenant_del(struct octl *o, int argc, char **argv)
{
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]))
		return OCTL_ERR;
	err = db_tenant_del(o->db, argv[0]);
	if (err == -ENOENT)
		return octl_err("no tenant %s", argv[0]);
	if (err)
		return octl_err("cannot delete tenant %s: %s", argv[0],
				octl_strerror(err));
	remove_spool(o, argv[0]);
	printf("tenant %s deleted\n", argv[0]);
	return OCTL_OK;
}

int octl_tenant_codecs(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]))
		return OCTL_ERR;
	if (!db_valid_codecs(argv[1]))
		return octl_err("bad codec list '%s': want a comma-separated "
				"list of G722, PCMU, PCMA",
				argv[1]);
	err = db_tenant_set_codecs(o->db, argv[0], argv[1]);
	/* Read back for the canonical spelling that was stored. */
	if (!err)
		err = db_tenant_by_domain(o->db, argv[0], &t);
	if (err == -ENOENT)
		return octl_err("no tenant %s", argv[0]);
	if (err)
		return octl_err("cannot set the codecs of tenant %s: %s",
				argv[0], octl_strerror(err));
	printf("codecs of %s: %s\n", t.domain, t.codecs);
	return OCTL_OK;
}

/* What a setter's errno means; on success prints "WHAT of DOMAIN: VALUE"
 * ("none" for ""). */
static int tenant_set_result(int err, const char *domain, const char *what,
			     const char *value)
{
	char dom[DB_DOMAIN_LEN];

	if (err == -ENOENT)
		return octl_err("no tenant %s", domain);
	if (err)
		return octl_err("cannot set the %s of tenant %s: %s", what,
				domain, octl_strerror(err));
	/* As stored: lower case. */
	snprintf(dom, sizeof(dom), "%s", domain);
	for (char *p = dom; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	printf("%s of %s: %s\n", what, dom, value[0] ? value : "none");
	return OCTL_OK;
}

int octl_tenant_main_number(struct octl *o, int argc, char **argv)
{
	int n;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]) ||
	    octl_check_e164("main number", argv[1], true))
		return OCTL_ERR;
	return tenant_set_result(
	    db_tenant_set_main_number(o->db, argv[0], argv[1]), argv[0],
	    "main number", argv[1]);
}

int octl_tenant_emergency(struct octl *o, int argc, char **argv)
{
	int n;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]))
		return OCTL_ERR;
	if (!db_valid_emergency(argv[1]))
		return octl_err(
		    "bad emergency list '%s': numbers separated by "
		    "commas without blanks, each 1 to 31 of digits, "
		    "letters, * # + . _ -, %d characters in all at "
		    "most",
		    argv[1], DB_EMERGENCY_LEN - 1);
	return tenant_set_result(
	    db_tenant_set_emergency(o->db, argv[0], argv[1]), argv[0],
	    "emergency numbers", argv[1]);
}

int octl_tenant_timezone(struct octl *o, int argc, char **argv)
{
	int n;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]))
		return OCTL_ERR;
	if (!db_valid_timezone(argv[1]))
		return octl_err("unknown time zone '%s' (an IANA name such as "
				"Europe/Berlin or America/New_York, as in "
				"/usr/share/zoneinfo)",
				argv[1]);
	return tenant_set_result(
	    db_tenant_set_timezone(o->db, argv[0], argv[1]), argv[0],
	    "time zone", argv[1]);
}

int octl_tenant_record_code(struct octl *o, int argc, char **argv)
{
	char why[128];
	int n;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]))
		return OCTL_ERR;
	if (!db_record_code_why(argv[1], why, sizeof(why)))
		return octl_err("bad record code: %s", why);
	/* Calls recording on demand now keep the code they started with. */
	return tenant_set_result(
	    db_tenant_set_record_code(o->db, argv[0], argv[1]), argv[0],
	    "record code", argv[1]);
}
