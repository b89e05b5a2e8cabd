/* ctl_tenant.c - ondoctl tenant add | list | del | codecs | main-number |
 * emergency | timezone | name. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "db_tenant_cfg.h"
#include "core/fsutil.h"
#include "ondoctl/ondoctl.h"

int octl_tenant_add(struct octl *o, int argc, char **argv)
{
	const struct db_tenant_setting *s;
	const char *name, *domain;
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	name = argv[0];
	domain = argv[1];
	if (octl_check_domain(domain))
		return OCTL_ERR;
	s = db_tenant_setting(DB_TK_NAME);
	if (!s->valid(name))
		return octl_err("invalid tenant name '%s' (%s)", name, s->rule);
	err = db_tenant_add(o->db, name, domain, NULL);
	/* Read back for the lower-cased domain the phones must use. */
	if (!err)
		err = db_tenant_by_domain(o->db, domain, &t);
	if (err == -EEXIST)
		return octl_err("tenant %s already exists", domain);
	if (err)
		return octl_err("cannot add tenant %s: %s", domain,
				octl_strerror(err));
	octl_audit_tenant(o, t.domain);
	printf("tenant %s added\n", t.domain);
	return octl_cluster_tenant(o, t.domain, 1);
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
	struct db_tenant_cfg c;
	const char *main_no, *emergency;
	char count[16];
	int n = 0, err;

	err = db_ext_list(rows->o->db, t->id, count_ext_h, &n);
	if (!err)
		err = db_tenant_cfg_get(rows->o->db, t->id, &c);
	if (err)
		return err;
	snprintf(count, sizeof(count), "%d", n);
	main_no = c.val[DB_TK_MAIN_NUMBER];
	emergency = c.val[DB_TK_EMERGENCY];
	return octl_table_add(rows->table, t->domain, t->name, count, t->codecs,
			      main_no[0] ? main_no : "-",
			      emergency[0] ? emergency : "-",
			      c.val[DB_TK_RECORD_CODE]);
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

/* A tenant's files go with it (fs_tenant_spool_remove). */
static void remove_spool(struct octl *o, const char *domain)
{
	char err[PATH_MAX + 128];

	if (fs_tenant_spool_remove(o->conf.spool_dir, domain, err,
				   sizeof(err)))
		octl_err("tenant deleted, but its files in %s could not all "
			 "be removed", err);
}

int octl_tenant_del(struct octl *o, int argc, char **argv)
{
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]))
		return OCTL_ERR;
	octl_audit_tenant(o, argv[0]);
	err = db_tenant_del(o->db, argv[0]);
	if (err == -ENOENT)
		return octl_err("no tenant %s", argv[0]);
	if (err)
		return octl_err("cannot delete tenant %s: %s", argv[0],
				octl_strerror(err));
	remove_spool(o, argv[0]);
	printf("tenant %s deleted\n", argv[0]);
	return octl_cluster_tenant(o, argv[0], 0);
}

/* tenant name | codecs | main-number | emergency | timezone DOMAIN VALUE:
 * the verb names the setting (db_tenant_cfg.h), "-" read as "_". The
 * daemon reads these settings for each call, so nothing is told to it. */
int octl_tenant_set(struct octl *o, int argc, char **argv)
{
	const struct db_tenant_setting *s;
	struct db_tenant_change c = {0};
	struct db_tenant_cfg cfg;
	struct db_tenant t;
	char key[32];
	int n, k, err;

	snprintf(key, sizeof(key), "%s", o->cmd->verb);
	for (char *p = key; *p; p++)
		*p = *p == '-' ? '_' : *p;
	k = db_tenant_key(key);
	s = db_tenant_setting(k);
	if (!s)
		return octl_err("no tenant setting '%s'", o->cmd->verb);
	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]))
		return OCTL_ERR;
	c.val[k] = argv[1];
	if (db_tenant_change_check(&c) == k) {
		char why[160];
		if (s->why && !s->why(argv[1], why, sizeof(why)))
			return octl_err("invalid %s: %s", s->what, why);
		return octl_err("invalid %s '%s' (%s)", s->what, argv[1],
				s->rule);
	}
	err = db_tenant_change_apply(o->db, argv[0], &c);
	/* Read back: the domain and the codecs as they are stored. */
	if (!err)
		err = db_tenant_by_domain(o->db, argv[0], &t);
	if (!err)
		err = db_tenant_cfg_get(o->db, t.id, &cfg);
	if (err == -ENOENT)
		return octl_err("no tenant %s", argv[0]);
	if (err)
		return octl_err("cannot set the %s of tenant %s: %s", s->what,
				argv[0], octl_strerror(err));
	octl_audit_tenant(o, t.domain);
	printf("%s of %s: %s\n", s->what, t.domain,
	       cfg.val[k][0] ? cfg.val[k] : "none");
	return OCTL_OK;
}
