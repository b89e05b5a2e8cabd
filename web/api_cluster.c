/* api_cluster.c - GET /api/v1/cluster, POST /api/v1/cluster/sync: this
 * node's place behind a cluster front (docs/scale-out.md), for the
 * superadmin. The front's table is read from the front each time; a front
 * that does not answer is an "error" field, not a failed request, so the
 * panel can still show this node's own settings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_priv.h"
#include "cluster/front_api.h"
#include "core/log.h"

#define TABLE_MAX (256 << 10)

/* "domain node" lines into [{"domain": .., "node": ..}]. */
static json_t *table_json(char *text)
{
	json_t *rows = json_array();
	char *save = NULL, *line;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char dom[256];
		int node;

		if (sscanf(line, "%255s %d", dom, &node) == 2)
			json_array_append_new(
			    rows, json_pack("{s:s,s:i}", "domain", dom, "node",
					    node));
	}
	return rows;
}

int api_cluster_get(struct web_req *r)
{
	const struct conf_cluster *c = &r->w->conf->cluster;
	char err[512];
	json_t *j;
	char *text;

	j = json_pack("{s:s,s:i,s:b}", "front", c->front, "node", c->node,
		      "table_api", front_api_on(c));
	if (!front_api_on(c))
		return web_json(r, 200, j);
	text = malloc(TABLE_MAX); /* freed below */
	if (!text) {
		json_decref(j);
		return web_errno(r, -ENOMEM, "cluster");
	}
	if (front_api_list(c, text, TABLE_MAX, err, sizeof(err)))
		json_object_set_new(j, "error", json_string(err));
	else
		json_object_set_new(j, "table", table_json(text));
	free(text);
	return web_json(r, 200, j);
}

int api_cluster_sync(struct web_req *r)
{
	const struct conf_cluster *c = &r->w->conf->cluster;
	char why[512];
	int sent, failed, err;

	if (!front_api_on(c))
		return web_error(r, 409, NULL,
				 "this node has no [cluster] api");
	err = front_api_sync(c, r->db, &sent, &failed, why, sizeof(why), NULL);
	if (err)
		return web_errno(r, err, "tenant");
	snprintf(r->audit_object, sizeof(r->audit_object), "cluster sync");
	return web_json(r, 200,
			json_pack("{s:i,s:i,s:s}", "sent", sent, "failed",
				  failed, "error", failed ? why : ""));
}

/* The cluster front's table follows a tenant added (here = 1) or deleted
 * here, as after ondoctl (front_api.h). The tenant change stands if the
 * front does not answer: logged, and `ondoctl cluster sync` mends it. */
void web_front_follow(struct web_req *r, const char *domain, int here)
{
	const struct conf_cluster *c = &r->w->conf->cluster;
	char err[512];
	int rc;

	if (!front_api_on(c))
		return;
	rc = front_api_follow(c, domain, here, err, sizeof(err));
	if (rc)
		LOGW("web", "the cluster front's table was not updated for %s: "
			    "%s (run ondoctl cluster sync)",
		     domain, err);
}
