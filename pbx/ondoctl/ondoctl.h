/* ondoctl.h - what the ondoctl command handlers share. */
#ifndef ONDO_ONDOCTL_H
#define ONDO_ONDOCTL_H

#include <stdio.h>

#include "conf/conf.h"
#include "db.h"
#include "db_web.h"

/* Exit statuses: every handler returns one of these. */
enum { OCTL_OK = 0, OCTL_ERR = 1, OCTL_USAGE = 2 };

/* What main() must have ready before a handler runs. */
enum octl_need {
	OCTL_NEED_CONF,	     /* the configuration only */
	OCTL_NEED_DB,	     /* an existing database */
	OCTL_NEED_DB_CREATE, /* the database, created if missing */
};

struct octl;
/* Gets the words after the command's verb; returns an exit status. */
typedef int(octl_cmd_h)(struct octl *o, int argc, char **argv);

/* What a command does with the PBX's state, for the audit log
 * (ctl_audit.c). A command without flags changes something: a run that
 * succeeds is a row. */
enum octl_cmd_flags {
	OCTL_READS = 1,	      /* shows only: never a row */
	OCTL_SHOWS_BARE = 2,  /* shows without options, changes with them */
	OCTL_SECRET_LAST = 4, /* its last word is a password or PIN */
};

struct octl_cmd {
	const char *noun;
	const char *verb; /* NULL: the noun alone is the command */
	octl_cmd_h *run;
	enum octl_need need;
	const char *args; /* what follows "noun verb" in the usage line */
	const char *help; /* one sentence for --help */
	unsigned flags;	  /* enum octl_cmd_flags */
};

struct octl {
	struct conf conf;
	struct db *db; /* owned by main(); NULL for OCTL_NEED_CONF */
	const struct octl_cmd *cmd; /* the command running */
	/* The audit-log row of the command (ctl_audit.c): its words with
	 * the secrets hidden, whether it had options, the tenant. */
	char audit_object[DB_WEB_AUDIT_LEN];
	bool audit_opts;
	char audit_tenant[DB_DOMAIN_LEN];
};

/* ctl_audit.c: main() calls octl_audit_begin with the command's words
 * before it runs (a handler's octl_parse reorders them) and
 * octl_audit_end with its exit status after: a command that changed
 * something writes a row of the audit log, as the REST API does, by
 * "ondoctl:UNIXUSER" from "local", its object the words with every
 * password and PIN as "***" (OCTL_SECRET_LAST, and the value of an option
 * whose name ends in "password" or "pin"). A failed write is a warning on
 * stderr; the exit status stays. */
void octl_audit_begin(struct octl *o, int argc, char **argv);
void octl_audit_end(struct octl *o, int status);
/* Names the tenant the running command is about, for its row (so the
 * tenant's admin sees it); octl_tenant() calls it. `domain` is copied,
 * lower-cased. */
void octl_audit_tenant(struct octl *o, const char *domain);

/* A command-line option of a handler: "--name VALUE" or "--name=VALUE",
 * or with `flag` set a switch "--name" that takes no value. `val`
 * receives a pointer into argv (borrowed), or "" for a switch given. */
struct octl_opt {
	const char *name; /* with the leading dashes, e.g. "--password" */
	const char **val;
	int flag;
};

/* Prints "ondoctl: MESSAGE" as one line on stderr; returns OCTL_ERR. */
int octl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the running command's usage line on stderr; returns OCTL_USAGE. */
int octl_usage(struct octl *o);
/* Words for a negative errno from db_*: -EIO was already logged by the
 * database layer, so it is only "database error". */
const char *octl_strerror(int err);

/* Takes the options in `opts` (NULL, or ended by a {NULL} entry) out of
 * argv and moves the remaining words to its front; *npos gets their count.
 * "--" ends the options. Returns OCTL_OK, or OCTL_USAGE (printed) for an
 * unknown option, one without its value, or fewer than `min` or more than
 * `max` words. */
int octl_parse(struct octl *o, int argc, char **argv,
	       const struct octl_opt *opts, int min, int max, int *npos);

/* OCTL_OK if db_valid_domain(domain), else prints why not and returns
 * OCTL_ERR. */
int octl_check_domain(const char *domain);

/* Looks up the tenant of `domain`; prints why not and returns OCTL_ERR
 * for an invalid domain, a missing tenant or a database error. */
int octl_tenant(struct octl *o, const char *domain, struct db_tenant *t);

/* What a list's row handler gets when rows name their tenant. */
struct octl_rows {
	struct octl *o;
	struct octl_table *table;
	struct db_tenant cache; /* octl_domain_of's; zeroed at the start */
};

/* The domain of tenant `id` for a row of a list: "shared" for 0, "?" if
 * it cannot be read. `cache` (zeroed before the first call) keeps the last
 * tenant looked up, since rows come in runs of one tenant; the string
 * lives in it. */
const char *octl_domain_of(struct octl *o, struct db_tenant *cache, int64_t id);

/* OCTL_OK if `number` is an extension number (db_valid_number), else
 * prints why not and returns OCTL_ERR. */
int octl_check_number(const char *number);
/* A row id `s` from the ID column of "ondoctl LIST" into *idp; else prints
 * "invalid WHAT id '...'" and returns OCTL_ERR. */
/* A whole number in min..max for `what` (an option's name), with its
 * unit ("seconds", or NULL) in the complaint; OCTL_OK or OCTL_ERR
 * (printed). */
int octl_parse_int(const char *what, const char *s, int min, int max,
		   const char *unit, int *vp);
int octl_parse_id(const char *what, const char *list, const char *s,
		  long long *idp);

/* OCTL_OK if `word` is a class of service (db_cos_parse), else prints
 * why not and returns OCTL_ERR. */
int octl_check_cos(const char *word);
/* The same for a recording mode (db_record_parse). */
int octl_check_record(const char *word);
/* OCTL_OK if `number` is E.164 (db_valid_e164), or "" where `empty_ok`;
 * else prints "invalid WHAT '...'" with the rule and returns OCTL_ERR. */
int octl_check_e164(const char *what, const char *number, bool empty_ok);

/* A password argument; "-" reads it from the first line of standard input
 * into `buf`. *pwp points into argv or buf. OCTL_OK or OCTL_ERR (printed). */
int octl_password(const char *arg, char *buf, size_t len, const char **pwp);

/* ctl_sock.c: the running daemon's control socket ([ctl] socket). */
/* Sends the command line `cmd` (no newline) and reads the reply. OCTL_OK
 * with *bodyp the lines after the daemon's "OK" ("" if none; caller
 * frees); else OCTL_ERR after printing why (*bodyp NULL): the daemon is
 * not running, did not answer, or refused ("ERR reason"). */
int octl_ask(struct octl *o, const char *cmd, char **bodyp);
/* Best effort, for a change the running daemon should pick up: sends
 * `cmd`, says nothing if the daemon is not running (it reads the database
 * when it starts), and prints "ondoctl: warning: WHAT: reason" on stderr
 * if it refused or did not answer. Never fails the command. */
void octl_tell(struct octl *o, const char *cmd, const char *what);
/* The most fields octl_reply_rows splits a line into. */
#define OCTL_REPLY_FIELDS_MAX 8
/* Walks the lines of a reply body (changed in place), each of exactly nf
 * tab-separated fields, calling row(f, arg) with f[0..nf-1]; a non-zero
 * return means out of memory. OCTL_OK, or OCTL_ERR (printed, naming the
 * line as a WHAT line) for a line of another shape. */
int octl_reply_rows(char *body, int nf, const char *what,
		    int (*row)(char **f, void *arg), void *arg);

/* "1:05" or "2:03:07" for a number of seconds. */
void octl_fmt_duration(char *buf, size_t len, long long seconds);

/* A table printed with aligned columns under a header. */
struct octl_table;
/* `header` has `ncols` column titles, borrowed for the table's life.
 * Caller frees with octl_table_free(). 0 or -ENOMEM. */
int octl_table_alloc(struct octl_table **tp, int ncols,
		     const char *const *header);
/* Appends a row of ncols strings (copied; NULL prints as "").
 * 0 or -ENOMEM. */
int octl_table_add(struct octl_table *t, ...);
int octl_table_rows(const struct octl_table *t);
void octl_table_print(const struct octl_table *t, FILE *out);
void octl_table_free(struct octl_table *t);
/* The start of a list command taking "[DOMAIN]": *t is the tenant, or
 * zeroed (id 0) without DOMAIN, and *tp a new table. OCTL_OK, or
 * OCTL_USAGE or OCTL_ERR (printed; nothing to free). */
int octl_list_begin(struct octl *o, int argc, char **argv, struct db_tenant *t,
		    int ncols, const char *const *header,
		    struct octl_table **tp);
/* Its end: prints "cannot list WHAT: reason" if err, the sentence `empty`
 * if the table has no rows, else the table; frees the table. Returns the
 * exit status. */
int octl_list_end(struct octl_table *t, int err, const char *what,
		  const char *empty);

/* ctl_tenant.c */
/* octl_tenant_set: every "tenant SETTING DOMAIN VALUE" command, the verb
 * naming the setting (db_tenant_cfg.h). */
octl_cmd_h octl_tenant_add, octl_tenant_list, octl_tenant_del,
    octl_tenant_set;
/* ctl_move.c */
octl_cmd_h octl_tenant_export, octl_tenant_import;
/* ctl_prompt.c */
octl_cmd_h octl_prompt_upload, octl_prompt_list, octl_prompt_del;
/* ctl_ext.c */
octl_cmd_h octl_ext_add, octl_ext_list, octl_ext_del, octl_ext_passwd,
    octl_ext_cos, octl_ext_did, octl_ext_record;
/* ctl_fwd.c */
octl_cmd_h octl_ext_fwd, octl_ext_dnd, octl_ext_show;
struct db_fwd;
/* "dnd,always>1002,busy>vm:1001" for a list's column; "-" for nothing. */
void octl_fwd_summary(const struct db_fwd *f, char *out, size_t len);
/* ctl_live.c */
octl_cmd_h octl_reg_list, octl_calls, octl_cdr;
/* ctl_route.c */
octl_cmd_h octl_route_add, octl_route_list, octl_route_del, octl_route_cos,
    octl_route_record;
/* ctl_dialplan.c */
octl_cmd_h octl_dialplan_test, octl_dialplan_apps;
/* ctl_ivr.c */
octl_cmd_h octl_ivr_add, octl_ivr_set, octl_ivr_list, octl_ivr_show,
    octl_ivr_del, octl_ivr_option, octl_ivr_option_del;
/* ctl_trunk.c */
octl_cmd_h octl_trunk_add, octl_trunk_set, octl_trunk_del, octl_trunk_list,
    octl_trunk_status;
/* ctl_vm.c */
octl_cmd_h octl_vm_list, octl_vm_play, octl_vm_export, octl_vm_del, octl_vm_pin,
    octl_vm_box, octl_vm_mwi, octl_vm_reconcile, octl_vm_mailq;
/* ctl_user.c */
octl_cmd_h octl_user_add, octl_user_list, octl_user_del, octl_user_passwd;
/* ctl_vm_cfg.c */
octl_cmd_h octl_vm_settings, octl_vm_greeting;
/* ctl_conf.c, ctl_conf_live.c */
octl_cmd_h octl_conf_add, octl_conf_set, octl_conf_del, octl_conf_list,
    octl_conf_recordings, octl_conf_live, octl_conf_members, octl_conf_mute,
    octl_conf_unmute, octl_conf_kick, octl_conf_lock, octl_conf_unlock;
/* ctl_ringgroup.c */
octl_cmd_h octl_rg_add, octl_rg_set, octl_rg_del, octl_rg_list, octl_rg_show,
    octl_rg_member_add, octl_rg_member_del, octl_ext_pickup;
/* ctl_reload.c */
octl_cmd_h octl_reload;
octl_cmd_h octl_status;

/* ctl_cluster.c: cluster sync | list. */
octl_cmd_h octl_cluster_sync, octl_cluster_list;
/* After a tenant was added here (here = 1) or deleted (0): the front's
 * table follows, if [cluster] api is set. OCTL_OK, or OCTL_ERR with the
 * error printed (the local change stands). */
int octl_cluster_tenant(struct octl *o, const char *domain, int here);

/* ctl_limits.c */
octl_cmd_h octl_limits_show, octl_limits_set, octl_ext_max_calls;

/* ctl_park.c */
octl_cmd_h octl_park_show, octl_park_set, octl_park_list;
/* ctl_ban.c */
octl_cmd_h octl_ban_list, octl_ban_del;
/* ctl_did.c */
octl_cmd_h octl_did_add, octl_did_set, octl_did_del, octl_did_list;
/* ctl_timecond.c */
octl_cmd_h octl_timecond_add, octl_timecond_set, octl_timecond_del,
    octl_timecond_list, octl_timecond_show, octl_timecond_rule_add,
    octl_timecond_rule_del, octl_timecond_holiday_add,
    octl_timecond_holiday_del;
struct tc_choice;
struct tm;
/* "2026-12-25 10:00 Fri": a local time as ondoctl shows it. */
void octl_fmt_local(char *buf, size_t len, const struct tm *tm);
/* tc_choose for condition `name` of the tenant, now or at `at` (local
 * time; may be NULL); prints why not and returns OCTL_ERR. */
int octl_tc_decide(struct octl *o, const struct db_tenant *t, const char *name,
		   const struct tm *at, struct tc_choice *ch);

#endif
