/* ctl_prompt.c - ondoctl prompt upload | list | del: a tenant's own prompts. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ondoctl/ondoctl.h"
#include "prompt/prompt.h"

/*
 * A tenant's prompt ID lives in SPOOL/tenants/DOMAIN/prompts/ID.wav, where
 * the daemon looks before the stock SOUNDS/RATE/ID.wav (chan_prompt_path).
 * Storing, converting and listing them is pbx/prompt/, shared with the
 * REST API; this file is the command line around it.
 */

/* Looks up the tenant of `domain` and puts the folder of its prompts,
 * SPOOL/tenants/DOMAIN/prompts, into `dir`. OCTL_OK or OCTL_ERR
 * (printed). */
static int tenant_dir(struct octl *o, const char *domain, struct db_tenant *t,
		      char *dir, size_t len)
{
	if (octl_tenant(o, domain, t))
		return OCTL_ERR;
	/* The stored domain, lower case: the folder the daemon looks in. */
	if (prompt_dir(dir, len, o->conf.spool_dir, t->domain))
		return octl_err("the spool folder %s is too long a path",
				o->conf.spool_dir);
	return OCTL_OK;
}

/* tenant_dir, then checks the prompt id. OCTL_OK or OCTL_ERR (printed). */
static int prompt_target(struct octl *o, const char *domain, const char *id,
			 struct db_tenant *t)
{
	char dir[PATH_MAX];

	if (tenant_dir(o, domain, t, dir, sizeof(dir)))
		return OCTL_ERR;
	if (!db_valid_prompt(id))
		return octl_err("invalid prompt id '%s' (%s)", id,
				PROMPT_ID_RULE);
	return OCTL_OK;
}

int octl_prompt_upload(struct octl *o, int argc, char **argv)
{
	char why[PATH_MAX + 256];
	struct db_tenant t;
	int64_t samples = 0;
	bool replaced = false;
	int n;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (prompt_target(o, argv[0], argv[1], &t))
		return OCTL_ERR;
	if (prompt_import(o->conf.spool_dir, t.domain, argv[1], argv[2],
			  argv[2], &samples, &replaced, why, sizeof(why)))
		return octl_err("%s", why);
	printf("prompt %s %s for %s (%.1f s)\n", argv[1],
	       replaced ? "replaced" : "stored", t.domain,
	       (double)samples / PROMPT_RATE);
	return OCTL_OK;
}

static int add_row(const struct prompt_info *info, void *arg)
{
	char secs[32], size[32], when[32];
	time_t at = (time_t)info->uploaded;
	struct tm tm;

	/* "?": it does not read as audio; the daemon plays the stock one. */
	if (info->seconds < 0)
		snprintf(secs, sizeof(secs), "?");
	else
		snprintf(secs, sizeof(secs), "%.1f", info->seconds);
	snprintf(size, sizeof(size), "%lld", (long long)info->bytes);
	localtime_r(&at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	return octl_table_add(arg, info->id, secs, size, when);
}

int octl_prompt_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"ID", "SECONDS", "BYTES",
					     "UPLOADED"};
	char dir[PATH_MAX];
	struct octl_table *table = NULL;
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (tenant_dir(o, argv[0], &t, dir, sizeof(dir)))
		return OCTL_ERR;
	if (octl_table_alloc(&table, 4, header))
		return octl_err("out of memory");
	err = prompt_list(o->conf.spool_dir, t.domain, add_row, table);
	if (err == -ENOMEM)
		octl_err("out of memory");
	else if (err)
		octl_err("cannot read the folder %s: %s", dir, strerror(-err));
	else if (octl_table_rows(table) == 0)
		printf("no prompts of %s yet (callers hear the stock ones; "
		       "upload one with ondoctl prompt upload)\n",
		       t.domain);
	else
		octl_table_print(table, stdout);
	octl_table_free(table);
	return err ? OCTL_ERR : OCTL_OK;
}

int octl_prompt_del(struct octl *o, int argc, char **argv)
{
	char path[PATH_MAX];
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (prompt_target(o, argv[0], argv[1], &t))
		return OCTL_ERR;
	err = prompt_delete(o->conf.spool_dir, t.domain, argv[1]);
	if (err == -ENOENT)
		return octl_err("%s has no prompt '%s' of its own", t.domain,
				argv[1]);
	if (err) {
		prompt_path(path, sizeof(path), o->conf.spool_dir, t.domain,
			    argv[1]);
		return octl_err("cannot delete %s: %s", path, strerror(-err));
	}
	printf("prompt %s deleted from %s\n", argv[1], t.domain);
	return OCTL_OK;
}
