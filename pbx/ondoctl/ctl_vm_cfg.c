/* ctl_vm_cfg.c - ondoctl vm settings (a tenant's voicemail limits) and
 * vm greeting (a mailbox's recorded greetings from sound files). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ondoctl/ondoctl.h"
#include "vm/vm_store.h"

static int parse_own_pin(const char *s, int *nopin)
{
	if (!strcmp(s, "ask"))
		*nopin = 0;
	else if (!strcmp(s, "skip"))
		*nopin = 1;
	else
		return octl_err("invalid --own-phone-pin '%s' (ask or skip)", s);
	return OCTL_OK;
}

int octl_vm_settings(struct octl *o, int argc, char **argv)
{
	const char *max = NULL, *silence = NULL, *own = NULL;
	const struct octl_opt opts[] = {{"--max-message", &max},
					{"--silence", &silence},
					{"--own-phone-pin", &own},
					{NULL, NULL}};
	struct db_vm_tenant v;
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, opts, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	err = db_vm_tenant_get(o->db, t.id, &v);
	if (err)
		return octl_err("cannot read the voicemail settings of %s: %s",
				t.domain, octl_strerror(err));
	if ((max && octl_parse_int("--max-message", max, DB_VM_MESSAGE_S_MIN,
				   DB_VM_MESSAGE_S_MAX, "seconds",
				   &v.max_message_s)) ||
	    (silence && octl_parse_int("--silence", silence, 0,
				       DB_VM_SILENCE_S_MAX, "seconds",
				       &v.silence_s)) ||
	    (own && parse_own_pin(own, &v.own_phone_nopin)))
		return OCTL_ERR;
	if ((max || silence || own) && (err = db_vm_tenant_set(o->db, t.id, &v)))
		return octl_err("cannot change the voicemail settings of %s: %s",
				t.domain, octl_strerror(err));
	printf("voicemail of %s\n"
	       "longest message:  %d s\n"
	       "silence ends it:  %s%d%s\n"
	       "own phone's PIN:  %s\n",
	       t.domain, v.max_message_s, v.silence_s ? "after " : "",
	       v.silence_s, v.silence_s ? " s" : " (off)",
	       v.own_phone_nopin ? "skip (the owner's phone needs no PIN)"
				 : "ask");
	return OCTL_OK;
}

static int greeting_kind(const char *s, enum vm_greeting *g)
{
	int k = vm_greeting_parse(s);

	if (k < 0)
		return octl_err("invalid greeting '%s' (unavail, busy, temp or "
				"name)",
				s);
	*g = (enum vm_greeting)k;
	return OCTL_OK;
}

static int greeting_change(struct octl *o, const struct db_tenant *t,
			   const char *ext, const char *set, const char *file,
			   const char *del)
{
	enum vm_greeting g = VM_GREET_UNAVAIL;
	int err;

	if (greeting_kind(set ? set : del, &g))
		return OCTL_ERR;
	err = set ? vm_greeting_import(file, o->conf.spool_dir, t->domain, ext,
				       g)
		  : vm_greeting_delete(o->conf.spool_dir, t->domain, ext, g);
	if (err == -ENODATA)
		return octl_err("%s: no such file, or under a second of audio",
				file);
	if (err == -EINVAL && set)
		return octl_err("%s: not a sound file", file);
	if (err == -ENOENT && del)
		return octl_err("mailbox %s of %s has no %s greeting", ext,
				t->domain, del);
	if (err)
		return octl_err("cannot change the %s greeting of %s: %s",
				vm_greeting_name(g), ext, octl_strerror(err));
	return OCTL_OK;
}

int octl_vm_greeting(struct octl *o, int argc, char **argv)
{
	const char *set = NULL, *del = NULL;
	const struct octl_opt opts[] = {
	    {"--set", &set}, {"--del", &del}, {NULL, NULL}};
	struct db_tenant t;
	struct db_ext e;
	int n, err;

	if (octl_parse(o, argc, argv, opts, 2, 3, &n))
		return OCTL_USAGE;
	if ((set && del) || (set && n != 3) || (!set && n != 2))
		return octl_usage(o);
	if (octl_tenant(o, argv[0], &t) || octl_check_number(argv[1]))
		return OCTL_ERR;
	err = db_ext_get(o->db, t.id, argv[1], &e);
	if (err)
		return octl_err("no extension %s in tenant %s", argv[1],
				t.domain);
	if ((set || del) &&
	    greeting_change(o, &t, argv[1], set, set ? argv[2] : NULL, del))
		return OCTL_ERR;
	printf("greetings of mailbox %s of %s\n", argv[1], t.domain);
	for (int g = VM_GREET_UNAVAIL; g <= VM_GREET_NAME; g++)
		printf("%-8s %s\n", vm_greeting_name(g),
		       vm_greeting_exists(o->conf.spool_dir, t.domain, argv[1],
					  g)
			   ? "recorded"
			   : "stock prompt");
	return OCTL_OK;
}
