/* ctl_vm.c - ondoctl vm list | play | export | del | pin | box | mwi |
 * reconcile | mailq. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_vm_mail.h"
#include "ondoctl/ondoctl.h"
#include "vm/vm_store.h"

#define PIN_BUF 64
/* ondoctl vm reconcile leaves files younger than this alone by default: a
 * running daemon may be recording or committing them. */
#define RECONCILE_MIN_AGE 60

/* The tenant of argv[0] and its extension argv[1] (which must exist).
 * OCTL_OK or OCTL_ERR (printed). */
static int box_target(struct octl *o, char **argv, struct db_tenant *t)
{
	struct db_ext e;
	int err;

	if (octl_tenant(o, argv[0], t) || octl_check_number(argv[1]))
		return OCTL_ERR;
	err = db_ext_get(o->db, t->id, argv[1], &e);
	if (err == -ENOENT)
		return octl_err("no extension %s in tenant %s", argv[1],
				t->domain);
	if (err)
		return octl_err("cannot look up extension %s of %s: %s",
				argv[1], t->domain, octl_strerror(err));
	return OCTL_OK;
}

/* "DOMAIN EXT ID ...": the box and the message id in argv[2]. */
static int msg_target(struct octl *o, int argc, char **argv, int nargs,
		      struct db_tenant *t, long long *idp)
{
	int n;

	if (octl_parse(o, argc, argv, NULL, nargs, nargs, &n))
		return OCTL_USAGE;
	if (box_target(o, argv, t) ||
	    octl_parse_id("message", "vm list", argv[2], idp))
		return OCTL_ERR;
	return OCTL_OK;
}

/* What a message function's errno means to the admin; OCTL_OK for 0. */
static int msg_result(int err, const struct db_tenant *t, const char *ext,
		      long long id, const char *what)
{
	switch (err) {
	case 0:
		return OCTL_OK;
	case -ENOENT:
		return octl_err("no message %lld in mailbox %s of %s", id, ext,
				t->domain);
	case -ENODATA:
		return octl_err("the file of message %lld in mailbox %s of %s "
				"is missing (delete the message with ondoctl "
				"vm del)",
				id, ext, t->domain);
	default:
		return octl_err("cannot %s message %lld in mailbox %s of %s: "
				"%s",
				what, id, ext, t->domain, octl_strerror(err));
	}
}

/* The daemon's command that recounts a box and updates its lamps. */
static void lamp_cmd(char *cmd, size_t len, const struct db_tenant *t,
		     const char *ext)
{
	snprintf(cmd, len, "mwi %s %s", t->domain, ext);
}

/* Asks a running daemon to update the box's lamps (every registered
 * phone and subscription): the counts changed behind its back. Best
 * effort: with no daemon running there is no lamp to update. */
static void tell_lamps(struct octl *o, const struct db_tenant *t,
		       const char *ext)
{
	char cmd[DB_DOMAIN_LEN + DB_NUMBER_LEN + 8];

	lamp_cmd(cmd, sizeof(cmd), t, ext);
	octl_tell(o, cmd, "the message-waiting lamps were not updated");
}

static void fmt_from(char *buf, size_t len, const struct db_vm_msg *m)
{
	const char *who = m->caller[0] ? m->caller : "unknown";

	if (m->caller_name[0])
		snprintf(buf, len, "%s \"%s\"", who, m->caller_name);
	else
		snprintf(buf, len, "%s", who);
}

static void fmt_when(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static int msg_row_h(const struct db_vm_msg *m, void *arg)
{
	char id[24], from[DB_VM_CALLER_LEN + DB_NAME_LEN + 4], when[32],
	    dur[32];

	snprintf(id, sizeof(id), "%lld", (long long)m->id);
	fmt_from(from, sizeof(from), m);
	fmt_when(when, sizeof(when), m->received_at);
	octl_fmt_duration(dur, sizeof(dur), (m->duration_ms + 500) / 1000);
	return octl_table_add(arg, id, m->folder, from, when, dur,
			      m->missing ? "MISSING" : "ok");
}

int octl_vm_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"ID",	 "FOLDER",   "FROM",
					     "RECEIVED", "DURATION", "FILE"};
	const char *folder = NULL;
	const struct octl_opt opts[] = {{"--folder", &folder}, {NULL, NULL}};
	struct octl_table *table;
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, opts, 2, 2, &n))
		return OCTL_USAGE;
	if (box_target(o, argv, &t))
		return OCTL_ERR;
	if (folder && strcmp(folder, "new") && strcmp(folder, "saved"))
		return octl_err("invalid folder '%s' (new or saved)", folder);
	if (octl_table_alloc(&table, 6, header))
		return octl_err("out of memory");
	err = vm_msg_list(o->db, t.id, argv[1], folder, msg_row_h, table);
	if (err)
		octl_err("cannot list mailbox %s of %s: %s", argv[1], t.domain,
			 octl_strerror(err));
	else if (octl_table_rows(table) == 0)
		printf("no %s%smessages in mailbox %s of %s\n",
		       folder ? folder : "", folder ? " " : "", argv[1],
		       t.domain);
	else
		octl_table_print(table, stdout);
	octl_table_free(table);
	return err ? OCTL_ERR : OCTL_OK;
}

int octl_vm_play(struct octl *o, int argc, char **argv)
{
	char path[PATH_MAX], from[DB_VM_CALLER_LEN + DB_NAME_LEN + 4], when[32],
	    dur[32];
	struct db_vm_msg m;
	struct db_tenant t;
	long long id;
	int status = msg_target(o, argc, argv, 3, &t, &id);

	if (status)
		return status;
	status = msg_result(vm_msg_get(o->db, t.id, argv[1], id, &m), &t,
			    argv[1], id, "read");
	if (status)
		return status;
	status = msg_result(vm_msg_file(o->db, o->conf.spool_dir, t.id, argv[1],
					id, path, sizeof(path)),
			    &t, argv[1], id, "read");
	if (status)
		return status;
	fmt_from(from, sizeof(from), &m);
	fmt_when(when, sizeof(when), m.received_at);
	octl_fmt_duration(dur, sizeof(dur), (m.duration_ms + 500) / 1000);
	printf("message %lld in mailbox %s of %s\n"
	       "folder:   %s\nfrom:     %s\nreceived: %s\n"
	       "duration: %s (%.1f s)\nfile:     %s\n",
	       id, argv[1], t.domain, m.folder, from, when, dur,
	       m.duration_ms / 1000.0, path);
	return OCTL_OK;
}

int octl_vm_export(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	long long id;
	int err, status = msg_target(o, argc, argv, 4, &t, &id);

	if (status)
		return status;
	err =
	    vm_msg_export(o->db, o->conf.spool_dir, t.id, argv[1], id, argv[3]);
	if (err == -ENOENT || err == -ENODATA || err == -EIO)
		return msg_result(err, &t, argv[1], id, "export");
	if (err)
		return octl_err("cannot write %s: %s", argv[3], strerror(-err));
	printf("message %lld in mailbox %s of %s exported to %s\n", id, argv[1],
	       t.domain, argv[3]);
	return OCTL_OK;
}

int octl_vm_del(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	long long id;
	int status = msg_target(o, argc, argv, 3, &t, &id);

	if (status)
		return status;
	status = msg_result(
	    vm_msg_delete(o->db, o->conf.spool_dir, t.id, argv[1], id), &t,
	    argv[1], id, "delete");
	if (status == OCTL_OK) {
		printf("message %lld in mailbox %s of %s deleted\n", id,
		       argv[1], t.domain);
		tell_lamps(o, &t, argv[1]);
	}
	return status;
}

int octl_vm_pin(struct octl *o, int argc, char **argv)
{
	char buf[PIN_BUF], why[128];
	struct db_tenant t;
	const char *pin;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (box_target(o, argv, &t))
		return OCTL_ERR;
	/* "-": from standard input, out of ps(1) and the shell history. */
	if (!strcmp(argv[2], "-")) {
		if (!fgets(buf, sizeof(buf), stdin))
			return octl_err("no PIN on standard input");
		buf[strcspn(buf, "\r\n")] = '\0';
		pin = buf;
	} else {
		pin = argv[2];
	}
	/* The PIN itself is never echoed. */
	err = vm_box_set_pin(o->db, t.id, argv[1], pin, why, sizeof(why));
	if (err == -EINVAL)
		return octl_err("invalid PIN: %s", why);
	if (err)
		return octl_err("cannot set the PIN of mailbox %s of %s: %s",
				argv[1], t.domain, octl_strerror(err));
	printf("PIN of mailbox %s of %s set\n", argv[1], t.domain);
	return OCTL_OK;
}

/* A whole number in min..max for option `opt`; prints why not. */
static int parse_count(const char *opt, const char *s, int min, int max,
		       int *vp)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return octl_err("invalid %s '%s' (%d to %d)", opt, s, min, max);
	*vp = (int)v;
	return OCTL_OK;
}

static void print_box(const struct db_tenant *t, const char *ext,
		      const struct vm_box *b)
{
	printf("mailbox %s of %s\n"
	       "enabled:  %s\nPIN:      %s\n"
	       "messages: %d new, %d saved, %d missing (at most %d)\n"
	       "minutes:  %.1f of %d\nfull:     %s\n",
	       ext, t->domain, b->enabled ? "yes" : "no",
	       b->has_pin ? "set" : "not set", b->counts.new_msgs,
	       b->counts.saved_msgs, b->counts.missing, b->max_messages,
	       b->counts.total_ms / 60000.0, b->max_minutes,
	       b->full ? "yes" : "no");
	if (b->email[0])
		printf("email:    %s (%s)\n", b->email,
		       b->email_attach ? "WAV attached" : "link only");
	else
		printf("email:    none\n");
}

struct box_opts {
	const char *enable, *disable, *msgs, *mins, *email, *attach, *link;
	int max_messages, max_minutes, attach_v;
};

/* Every option of "vm box" checked before anything is written. */
static int check_box_opts(struct box_opts *b)
{
	b->max_messages = b->max_minutes = b->attach_v = -1;
	if (b->enable && b->disable)
		return octl_err("--enable and --disable cannot go together");
	if (b->attach && b->link)
		return octl_err("--attach and --link cannot go together");
	if (b->msgs &&
	    parse_count("--max-messages", b->msgs, VM_MAX_MESSAGES_MIN,
			VM_MAX_MESSAGES_MAX, &b->max_messages))
		return OCTL_ERR;
	if (b->mins && parse_count("--max-minutes", b->mins, VM_MAX_MINUTES_MIN,
				   VM_MAX_MINUTES_MAX, &b->max_minutes))
		return OCTL_ERR;
	if (b->email && b->email[0] && !vm_valid_email(b->email))
		return octl_err("invalid email address '%s' (name@domain; "
				"\"\" for none)",
				b->email);
	if (b->attach || b->link)
		b->attach_v = b->attach ? 1 : 0;
	return OCTL_OK;
}

int octl_vm_box(struct octl *o, int argc, char **argv)
{
	struct box_opts b = {0};
	const struct octl_opt opts[] = {
	    {"--enable", &b.enable, 1},	 {"--disable", &b.disable, 1},
	    {"--max-messages", &b.msgs}, {"--max-minutes", &b.mins},
	    {"--email", &b.email},	 {"--attach", &b.attach, 1},
	    {"--link", &b.link, 1},	 {NULL, NULL}};
	struct db_tenant t;
	struct vm_box box;
	int n, err = 0;

	if (octl_parse(o, argc, argv, opts, 2, 2, &n))
		return OCTL_USAGE;
	if (box_target(o, argv, &t) || check_box_opts(&b))
		return OCTL_ERR;
	if (b.enable || b.disable)
		err = vm_box_set_enabled(o->db, t.id, argv[1], !!b.enable);
	if (!err && (b.msgs || b.mins))
		err = vm_box_set_quota(o->db, t.id, argv[1], b.max_messages,
				       b.max_minutes);
	if (!err && (b.email || b.attach_v >= 0))
		err =
		    vm_box_set_email(o->db, t.id, argv[1], b.email, b.attach_v);
	if (!err)
		err = vm_box_get(o->db, t.id, argv[1], &box);
	if (err)
		return octl_err("cannot change mailbox %s of %s: %s", argv[1],
				t.domain, octl_strerror(err));
	print_box(&t, argv[1], &box);
	return OCTL_OK;
}

struct lamp_ctx {
	const struct db_tenant *t;
	const char *ext;
};

static int lamp_row_h(char **f, void *arg)
{
	struct lamp_ctx *c = arg;

	printf("mailbox %s of %s: %s new, %s saved; told %s phone(s) and %s "
	       "subscription(s)\n",
	       c->ext, c->t->domain, f[0], f[1], f[2], f[3]);
	return 0;
}

int octl_vm_mwi(struct octl *o, int argc, char **argv)
{
	char cmd[DB_DOMAIN_LEN + DB_NUMBER_LEN + 8], *body = NULL;
	struct db_tenant t;
	struct lamp_ctx c = {&t, NULL};
	int n, status;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (box_target(o, argv, &t))
		return OCTL_ERR;
	c.ext = argv[1];
	lamp_cmd(cmd, sizeof(cmd), &t, argv[1]);
	status = octl_ask(o, cmd, &body);
	if (status == OCTL_OK)
		status = octl_reply_rows(body, 4, "lamp", lamp_row_h, &c);
	free(body);
	return status;
}

static void print_line_h(void *arg, const char *line)
{
	printf("%s\n", line);
}

int octl_vm_reconcile(struct octl *o, int argc, char **argv)
{
	const char *age_arg = NULL;
	const struct octl_opt opts[] = {{"--min-age", &age_arg}, {NULL, NULL}};
	struct vm_reconcile_counts c;
	int n, err, age = RECONCILE_MIN_AGE;
	char sum[160];

	if (octl_parse(o, argc, argv, opts, 0, 0, &n))
		return OCTL_USAGE;
	if (age_arg && parse_count("--min-age", age_arg, 0, 86400, &age))
		return OCTL_ERR;
	err =
	    vm_reconcile(o->db, o->conf.spool_dir, age, print_line_h, NULL, &c);
	if (err)
		return octl_err("cannot reconcile the spool %s: %s",
				o->conf.spool_dir, octl_strerror(err));
	vm_reconcile_summary(sum, sizeof(sum), &c);
	printf("voicemail in %s: %s\n", o->conf.spool_dir, sum);
	return OCTL_OK;
}

/* One queued mail: who it is for, how it went so far. */
static int mail_row_h(const struct db_vm_mail *q, void *arg)
{
	char id[24], box[DB_NUMBER_LEN + DB_DOMAIN_LEN + 2], tries[16],
	    next[32];

	snprintf(id, sizeof(id), "%lld", (long long)q->msg_id);
	snprintf(box, sizeof(box), "%s@%s", q->ext, q->domain);
	snprintf(tries, sizeof(tries), "%d", q->attempts);
	if (q->next_at <= time(NULL))
		snprintf(next, sizeof(next), "now");
	else
		fmt_when(next, sizeof(next), q->next_at);
	return octl_table_add(arg, id, box, q->rcpt, q->attach ? "WAV" : "link",
			      tries, next,
			      q->last_error[0] ? q->last_error : "-");
}

int octl_vm_mailq(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {
	    "MESSAGE",	"MAILBOX",  "TO",	 "SENDS",
	    "ATTEMPTS", "NEXT TRY", "LAST ERROR"};
	struct octl_table *table;
	struct db_tenant t;
	char empty[DB_DOMAIN_LEN + 32];
	int status, err;

	status = octl_list_begin(o, argc, argv, &t, 7, header, &table);
	if (status)
		return status;
	err = db_vm_mail_list(o->db, t.id, mail_row_h, table);
	snprintf(empty, sizeof(empty), "no voicemail email queued%s%s",
		 t.id ? " in " : "", t.id ? t.domain : "");
	return octl_list_end(table, err, "the voicemail email queue", empty);
}
