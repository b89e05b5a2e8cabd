/* ctl_fwd.c - ondoctl ext fwd | dnd | show: an extension's forwards and
 * do-not-disturb (docs/forwarding.md), and everything about one
 * extension on one screen. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ondoctl/ondoctl.h"
#include "db_fwd.h"
#include "db_record.h"
#include "db_trunk.h"
#include "db_vm.h"
#include "dialplan/fwd.h"

/* The tenant and an extension that exists. */
static int ext_of(struct octl *o, const char *domain, const char *number,
		  struct db_tenant *t, struct db_ext *e)
{
	int err;

	if (octl_tenant(o, domain, t) || octl_check_number(number))
		return OCTL_ERR;
	err = db_ext_get(o->db, t->id, number, e);
	if (err == -ENOENT)
		return octl_err("no extension %s in tenant %s", number,
				t->domain);
	if (err)
		return octl_err("cannot read extension %s of %s: %s", number,
				t->domain, octl_strerror(err));
	return OCTL_OK;
}

int octl_ext_fwd(struct octl *o, int argc, char **argv)
{
	const char *after = NULL;
	const struct octl_opt opts[] = {{"--after", &after}, {NULL, NULL}};
	struct db_fwd_target target = {0};
	char why[200], text[96];
	struct db_tenant t;
	struct db_ext e;
	int n, kind, off, err;

	if (octl_parse(o, argc, argv, opts, 4, 4, &n))
		return OCTL_USAGE;
	if (ext_of(o, argv[0], argv[1], &t, &e))
		return OCTL_ERR;
	kind = db_fwd_kind_parse(argv[2]);
	if (kind < 0)
		return octl_err("invalid forward '%s' (always, busy, noanswer "
				"or unregistered)",
				argv[2]);
	off = !strcmp(argv[3], "off");
	if (after && (off || kind != DB_FWD_NOANSWER))
		return octl_err("--after is for a noanswer forward to a "
				"target");
	if (!off && fwd_target_parse(o->db, t.id, e.number, argv[3], &target))
		return octl_err("invalid target '%s' (an extension, a number, "
				"voicemail, voicemail:EXT, extension:EXT or "
				"number:NUMBER)",
				argv[3]);
	if (after && octl_parse_int("--after", after, 0, DB_RING_TIMEOUT_MAX,
				    "seconds", &target.after_s))
		return OCTL_ERR;
	if (!off) {
		err = fwd_target_check(o->db, &t, e.number, kind, &target, why,
				       sizeof(why));
		if (err == -EINVAL)
			return octl_err("cannot forward %s %s: %s", e.number,
					argv[2], why);
		if (err)
			return octl_err("cannot check the target: %s",
					octl_strerror(err));
	}
	err = db_fwd_set(o->db, t.id, e.number, kind, off ? NULL : &target);
	if (err)
		return octl_err("cannot set forward %s of %s in %s: %s",
				argv[2], e.number, t.domain,
				octl_strerror(err));
	fwd_target_text(&target, text, sizeof(text));
	printf("extension %s of %s: forward %s %s%s\n", e.number, t.domain,
	       argv[2], off ? "" : "to ", text);
	return OCTL_OK;
}

int octl_ext_dnd(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	struct db_ext e;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (ext_of(o, argv[0], argv[1], &t, &e))
		return OCTL_ERR;
	if (strcmp(argv[2], "on") && strcmp(argv[2], "off"))
		return octl_err("invalid do-not-disturb '%s' (on or off)",
				argv[2]);
	err = db_ext_set_dnd(o->db, t.id, e.number, !strcmp(argv[2], "on"));
	if (err)
		return octl_err("cannot set do-not-disturb of %s in %s: %s",
				e.number, t.domain, octl_strerror(err));
	printf("extension %s of %s: do-not-disturb %s\n", e.number, t.domain,
	       argv[2]);
	return OCTL_OK;
}

void octl_fwd_summary(const struct db_fwd *f, char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	if (f->dnd)
		n += (size_t)snprintf(out, len, "dnd");
	for (int k = 0; k < DB_FWD_NKINDS && n < len; k++) {
		const struct db_fwd_target *t = &f->t[k];
		if (t->type == DB_FWD_NONE)
			continue;
		n += (size_t)snprintf(out + n, len - n, "%s%s>%s%s",
				      n ? "," : "",
				      db_fwd_kind_name((enum db_fwd_kind)k),
				      t->type == DB_FWD_VOICEMAIL ? "vm:"
				      : t->type == DB_FWD_NUMBER  ? "number:"
								  : "",
				      t->dest);
	}
	if (!out[0])
		snprintf(out, len, "-");
}

static int count_reg_h(const struct db_reg *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

int octl_ext_show(struct octl *o, int argc, char **argv)
{
	char cos[DB_WORD_LEN], did[DB_NUMBER_LEN], text[96];
	struct db_vm_box box;
	struct db_tenant t;
	struct db_fwd f;
	struct db_ext e;
	const char *rec;
	int n, phones = 0, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (ext_of(o, argv[0], argv[1], &t, &e))
		return OCTL_ERR;
	err = db_fwd_get(o->db, t.id, e.number, &f);
	if (!err)
		err = db_ext_out(o->db, t.id, e.number, cos, did);
	if (!err)
		err =
		    db_reg_load(o->db, e.id, time(NULL), count_reg_h, &phones);
	if (err)
		return octl_err("cannot read extension %s of %s: %s", e.number,
				t.domain, octl_strerror(err));
	rec = db_record_name(db_ext_record(o->db, t.id, e.number));
	printf("extension %s of %s\n", e.number, t.domain);
	printf("  name                  %s\n", e.name[0] ? e.name : "-");
	printf("  ring timeout          %d s\n", e.ring_timeout);
	printf("  registered phones     %d\n", phones);
	printf("  class of service      %s\n", cos);
	printf("  DID                   %s\n", did[0] ? did : "-");
	printf("  recording             %s\n", rec ? rec : "never");
	if (db_vm_box_get(o->db, t.id, e.number, &box) == 0)
		printf("  mailbox               %s\n",
		       box.enabled ? "on" : "off");
	printf("  do-not-disturb        %s\n", f.dnd ? "on" : "off");
	for (int k = 0; k < DB_FWD_NKINDS; k++) {
		char label[32];
		snprintf(label, sizeof(label), "forward %s",
			 db_fwd_kind_name((enum db_fwd_kind)k));
		fwd_target_text(&f.t[k], text, sizeof(text));
		printf("  %-21s %s\n", label, text);
	}
	return OCTL_OK;
}
