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
	rc = here ? front_api_set(&o->conf.cluster, domain, err, sizeof(err))
		  : front_api_del(&o->conf.cluster, domain, err, sizeof(err));
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

struct sync_state {
	struct octl *o;
	int sent, failed;
};

static int sync_h(const struct db_tenant *t, void *arg)
{
	struct sync_state *st = arg;
	char err[512];

	if (front_api_set(&st->o->conf.cluster, t->domain, err, sizeof(err))) {
		fprintf(stderr, "ondoctl: %s: %s\n", t->domain, err);
		st->failed++;
	} else {
		st->sent++;
	}
	return 0;
}

/* cluster sync: every tenant of this node, pointed at it again. */
int octl_cluster_sync(struct octl *o, int argc, char **argv)
{
	struct sync_state st = {o, 0, 0};
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 0, 0, &n))
		return OCTL_USAGE;
	if (!front_api_on(&o->conf.cluster))
		return octl_err("no [cluster] api in the configuration");
	err = db_tenant_list(o->db, sync_h, &st);
	if (err)
		return octl_err("cannot list tenants: %s", octl_strerror(err));
	printf("front: %d tenant%s -> node %d, %d failed\n", st.sent,
	       st.sent == 1 ? "" : "s", o->conf.cluster.node, st.failed);
	return st.failed ? OCTL_ERR : OCTL_OK;
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
