/* ctl_move.c - ondoctl tenant export | import: a tenant moved between
 * nodes as one archive file (pbx/move/, docs/tenant-move.md). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "move/move.h"
#include "ondoctl/ondoctl.h"

static void print_report(const char *verb, const char *file,
			 const struct move_report *r)
{
	printf("tenant %s %s %s: %lld rows, %ld files (%llu bytes)\n",
	       r->domain, verb, file, (long long)r->rows, r->files,
	       (unsigned long long)r->bytes);
}

int octl_tenant_export(struct octl *o, int argc, char **argv)
{
	struct move_report r;
	char why[1024];
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_check_domain(argv[0]))
		return OCTL_ERR;
	err = move_export(o->db, o->conf.spool_dir, argv[0], argv[1], &r, why,
			  sizeof(why));
	if (err)
		return octl_err("cannot export tenant %s: %s", argv[0], why);
	print_report("exported to", argv[1], &r);
	return OCTL_OK;
}

int octl_tenant_import(struct octl *o, int argc, char **argv)
{
	struct move_report r;
	char why[1024];
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	err = move_import(o->db, o->conf.spool_dir, argv[0], &r, why,
			  sizeof(why));
	if (err)
		return octl_err("cannot import %s: %s (nothing was changed)",
				argv[0], why);
	octl_audit_tenant(o, r.domain);
	print_report("imported from", argv[0], &r);
	/* Extensions, routes, DIDs and voicemail are read per call, as
	 * after `tenant add`; the SIP side keeps its trunks in memory. */
	if (r.trunks > 0)
		octl_tell(o, "trunks-reload",
			  "the daemon did not load the tenant's trunks "
			  "(ondoctl reload, or restart it)");
	/* Behind a cluster front, the tenant's requests come here now. */
	return octl_cluster_tenant(o, r.domain, 1);
}
