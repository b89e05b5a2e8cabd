/* ctl_cluster.c - ondoctl cluster sync | list, and the front's table kept
 * in step when a tenant comes or goes ([cluster] api, front_api.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cluster/front_api.h"
#include "ondoctl/ondoctl.h"

int octl_cluster_tenant(struct octl *o, const char *domain, int here)
{
	char err[512];
	int rc;

	if (!front_api_on(&o->conf.cluster))
		return OCTL_OK;
	rc = front_api_follow(&o->conf.cluster, domain, here, err,
			      sizeof(err));
	if (rc)
		return octl_err("the front's table still %s %s: %s (run "
				"'ondoctl cluster sync' once the front "
				"answers)",
				here ? "lacks" : "sends to this node", domain,
				err);
	printf("front: %s -> node %d%s\n", domain, o->conf.cluster.node,
	       here ? "" : " removed");
	return OCTL_OK;
}

static void sync_fail_h(const char *domain, const char *err)
{
	fprintf(stderr, "ondoctl: %s: %s\n", domain, err);
}

/* cluster sync: every tenant of this node, pointed at it again. */
int octl_cluster_sync(struct octl *o, int argc, char **argv)
{
	char why[512];
	int n, sent, failed, err;

	if (octl_parse(o, argc, argv, NULL, 0, 0, &n))
		return OCTL_USAGE;
	if (!front_api_on(&o->conf.cluster))
		return octl_err("no [cluster] api in the configuration");
	err = front_api_sync(&o->conf.cluster, o->db, &sent, &failed, why,
			     sizeof(why), sync_fail_h);
	if (err)
		return octl_err("cannot list tenants: %s", octl_strerror(err));
	printf("front: %d tenant%s -> node %d, %d failed\n", sent,
	       sent == 1 ? "" : "s", o->conf.cluster.node, failed);
	return failed ? OCTL_ERR : OCTL_OK;
}

/* cluster list: the front's whole table, as it answers it. */
int octl_cluster_list(struct octl *o, int argc, char **argv)
{
	static char out[1 << 20];
	char err[512];
	int n;

	if (octl_parse(o, argc, argv, NULL, 0, 0, &n))
		return OCTL_USAGE;
	if (!front_api_on(&o->conf.cluster))
		return octl_err("no [cluster] api in the configuration");
	if (front_api_list(&o->conf.cluster, out, sizeof(out), err,
			   sizeof(err)))
		return octl_err("%s", err);
	fputs(out, stdout);
	return OCTL_OK;
}
