/* ctl_trunk.c - ondoctl trunk add | set | del | list | status: carrier
 * trunks of a tenant, or shared by every tenant. */
#include <errno.h>
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_trunk.h"
#include "ondoctl/ondoctl.h"

#define NAME_RULE    "1 to 32 characters: a-z, 0-9, _ and -"
#define PW_BUF	     256
#define RELOAD	     "trunks-reload"
#define NOT_RELOADED "the daemon did not reload its trunks"

/* Where an option's value goes in struct db_trunk: a string buffer of
 * `len` bytes, or (len 0) an int. */
#define STR(f) offsetof(struct db_trunk, f), sizeof(((struct db_trunk *)0)->f)
#define INT(f) offsetof(struct db_trunk, f), 0

/* The options of trunk add and set, one a setting. `opt` less its dashes
 * is the field's name as db_trunk_check reports it, and db_trunk_rule's
 * key for what an error says a good value is. */
/* clang-format off */
static const struct field {
	const char *opt;
	size_t off, len;
} fields[] = {
    {"--host", STR(host)},
    {"--port", INT(port)},
    {"--transport", STR(transport)},
    {"--auth", STR(auth)},
    {"--username", STR(username)},
    {"--password", STR(password)},
    {"--expiry", INT(expiry)},
    {"--ips", STR(ips)},
    {"--codecs", STR(codecs)},
    {"--callerid", STR(callerid)},
    {"--max-calls", INT(max_calls)},
    {"--max-per-hour", INT(max_per_hour)},
    {"--out-strip", INT(out_strip)},
    {"--out-prefix", STR(out_prefix)},
    {"--in-strip", INT(in_strip)},
    {"--in-prefix", STR(in_prefix)},
};
/* clang-format on */
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* The command line of trunk add and set: the values given (NULL where
 * not), in the order of fields[], and --shared. */
struct trunk_args {
	const char *val[NFIELDS];
	const char *shared;
	struct octl_opt opts[NFIELDS + 2]; /* for octl_parse, {NULL} ended */
};

/* Whose trunk: a tenant's, or (id 0) the shared set. */
struct owner {
	int64_t id;
	char label[DB_DOMAIN_LEN]; /* the domain, or "the shared set" */
};

static void args_init(struct trunk_args *a)
{
	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < NFIELDS; i++)
		a->opts[i] = (struct octl_opt){fields[i].opt, &a->val[i]};
	a->opts[NFIELDS] = (struct octl_opt){"--shared", &a->shared, 1};
}

static bool any_value(const struct trunk_args *a)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (a->val[i])
			return true;
	return false;
}

/* "ondoctl: bad --port '70000': 1 to 65535"; a password is not echoed.
 * A list of ips names its bad entry: in a list of ten, "IPv4 or IPv6
 * addresses ..." alone would leave the admin to find it. */
static int bad(const struct field *f, const char *value)
{
	char why[DB_TRUNK_IPS_LEN + 96];

	if (!strcmp(f->opt, "--password"))
		return octl_err("bad --password: %s", db_trunk_rule("password"));
	if (!strcmp(f->opt, "--ips") &&
	    !db_ip_list_why(value, why, sizeof(why)))
		return octl_err("bad --ips '%s': %s", value, why);
	return octl_err("bad %s '%s': %s", f->opt, value,
			db_trunk_rule(f->opt + 2));
}

/* A whole decimal number of int range, or -EINVAL. */
static int parse_int(const char *s, int *vp)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < -1000000000L || v > 1000000000L)
		return -EINVAL;
	*vp = (int)v;
	return 0;
}

/* Copies one given value into t, the password read from standard input
 * if it is "-". Ranges and words are db_trunk_check's: see check(). */
static int apply_one(struct db_trunk *t, const struct field *f,
		     const char *value)
{
	char *dst = (char *)t + f->off, buf[PW_BUF];

	if (!f->len)
		return parse_int(value, (int *)dst) ? bad(f, value) : OCTL_OK;
	if (!strcmp(f->opt, "--password") &&
	    octl_password(value, buf, sizeof(buf), &value))
		return OCTL_ERR;
	if (strlen(value) >= f->len)
		return bad(f, value);
	memcpy(dst, value, strlen(value) + 1);
	return OCTL_OK;
}

static int apply(struct db_trunk *t, const struct trunk_args *a)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (a->val[i] && apply_one(t, &fields[i], a->val[i]))
			return OCTL_ERR;
	return OCTL_OK;
}

/* The trunk as a whole: names the option of the first bad setting, or
 * the one a register trunk still lacks. */
static int check(const struct db_trunk *t, const struct trunk_args *a)
{
	const char *bad_field = db_trunk_check(t);

	if (!bad_field)
		return OCTL_OK;
	for (size_t i = 0; i < NFIELDS; i++) {
		if (strcmp(fields[i].opt + 2, bad_field))
			continue;
		if (a->val[i])
			return bad(&fields[i], a->val[i]);
		/* Not given, and what is stored does not do: only ever a
		 * setting without a default that this trunk needs. */
		return octl_err(
		    "trunk %s needs %s%s (%s)", t->name, fields[i].opt,
		    strcmp(t->auth, "register") ? "" : " for --auth register",
		    db_trunk_rule(fields[i].opt + 2));
	}
	return octl_err("invalid trunk name '%s' (" NAME_RULE ")", t->name);
}

/* "DOMAIN NAME" or "--shared NAME": fills `who` and returns the name, or
 * NULL after printing why (*status says how to exit). */
static const char *owner_and_name(struct octl *o, int n, char **argv,
				  bool shared, struct owner *who, int *status)
{
	struct db_tenant t;
	const char *name = argv[n - 1];

	*status = OCTL_ERR;
	if (n != (shared ? 1 : 2)) {
		*status = octl_usage(o);
		return NULL;
	}
	if (!shared && octl_tenant(o, argv[0], &t))
		return NULL;
	who->id = shared ? 0 : t.id;
	snprintf(who->label, sizeof(who->label), "%s",
		 shared ? "the shared set" : t.domain);
	if (!db_valid_trunk_name(name)) {
		octl_err("invalid trunk name '%s' (" NAME_RULE ")", name);
		return NULL;
	}
	return name;
}

/* The common part of add and set: the words, the owner and the name. */
static const char *parse_trunk_cmd(struct octl *o, int argc, char **argv,
				   struct trunk_args *a, struct owner *who,
				   int *status)
{
	int n;

	args_init(a);
	*status = octl_parse(o, argc, argv, a->opts, 1, 2, &n);
	if (*status)
		return NULL;
	return owner_and_name(o, n, argv, a->shared != NULL, who, status);
}

/* trunk add (`add`) and trunk set: they differ in where the trunk
 * starts from (the defaults, or what is stored) and in what can go
 * wrong when it is written. */
static int save(struct octl *o, int argc, char **argv, bool add)
{
	struct trunk_args a;
	struct owner who;
	struct db_trunk t;
	const char *name;
	int status, err = 0;

	name = parse_trunk_cmd(o, argc, argv, &a, &who, &status);
	if (!name)
		return status;
	if (!add && !any_value(&a))
		return octl_usage(o);
	if (add) {
		db_trunk_defaults(&t);
		t.tenant_id = who.id;
		snprintf(t.name, sizeof(t.name), "%s", name);
	} else {
		err = db_trunk_get(o->db, who.id, name, &t);
	}
	if (!err && (apply(&t, &a) || check(&t, &a)))
		return OCTL_ERR;
	if (!err)
		err = add ? db_trunk_add(o->db, &t, NULL)
			  : db_trunk_update(o->db, &t);
	if (err == -EEXIST)
		return octl_err("%s already has a trunk %s", who.label, name);
	if (err == -ENOENT)
		return octl_err("no trunk %s in %s", name, who.label);
	if (err)
		return octl_err("cannot %s trunk %s of %s: %s",
				add ? "add" : "change", name, who.label,
				octl_strerror(err));
	if (add)
		printf("trunk %s added to %s\n", name, who.label);
	else
		printf("trunk %s of %s changed\n", name, who.label);
	octl_tell(o, RELOAD, NOT_RELOADED);
	return OCTL_OK;
}

int octl_trunk_add(struct octl *o, int argc, char **argv)
{
	return save(o, argc, argv, true);
}

int octl_trunk_set(struct octl *o, int argc, char **argv)
{
	return save(o, argc, argv, false);
}

int octl_trunk_del(struct octl *o, int argc, char **argv)
{
	const char *shared = NULL, *name;
	const struct octl_opt opts[] = {{"--shared", &shared, 1}, {NULL}};
	struct owner who;
	int n, status, err;

	if (octl_parse(o, argc, argv, opts, 1, 2, &n))
		return OCTL_USAGE;
	name = owner_and_name(o, n, argv, shared != NULL, &who, &status);
	if (!name)
		return status;
	err = db_trunk_del(o->db, who.id, name);
	if (err == -ENOENT)
		return octl_err("no trunk %s in %s", name, who.label);
	if (err)
		return octl_err("cannot delete trunk %s of %s: %s", name,
				who.label, octl_strerror(err));
	printf("trunk %s deleted from %s\n", name, who.label);
	octl_tell(o, RELOAD, NOT_RELOADED);
	return OCTL_OK;
}

/* The password is not a column: an admin's screen is no place for it. */
static int trunk_row_h(const struct db_trunk *t, void *arg)
{
	struct octl_rows *rows = arg;
	char addr[DB_DOMAIN_LEN + 32], max[40];

	snprintf(addr, sizeof(addr), "%s:%d/%s", t->host, t->port,
		 t->transport);
	if (t->max_calls)
		snprintf(max, sizeof(max), "%d", t->max_calls);
	else
		snprintf(max, sizeof(max), "unlimited");
	if (t->max_per_hour)
		snprintf(max + strlen(max), sizeof(max) - strlen(max),
			 ", %d/h out", t->max_per_hour);
	return octl_table_add(
	    rows->table, octl_domain_of(rows->o, &rows->cache, t->tenant_id),
	    t->name, addr, t->auth, t->username[0] ? t->username : "-",
	    t->callerid, max, t->codecs);
}

int octl_trunk_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {
	    "TENANT", "NAME",	   "HOST:PORT/TRANSPORT", "AUTH",
	    "USER",   "CALLER ID", "MAX CALLS",		  "CODECS"};
	struct octl_rows rows = {.o = o};
	struct db_tenant t;
	char empty[DB_DOMAIN_LEN + 64];
	int status, err;

	status = octl_list_begin(o, argc, argv, &t, 8, header, &rows.table);
	if (status)
		return status;
	/* A tenant's calls may use the shared trunks too: list them with
	 * its own. */
	err = db_trunk_list(o->db, t.id ? 0 : -1, trunk_row_h, &rows);
	if (!err && t.id)
		err = db_trunk_list(o->db, t.id, trunk_row_h, &rows);
	snprintf(empty, sizeof(empty),
		 "no trunks%s%s yet (add one with ondoctl trunk add)",
		 t.id ? " for " : "", t.id ? t.domain : "");
	return octl_list_end(rows.table, err, "trunks", empty);
}

/* One "trunks" line: tenant, name, registration, reachable, calls,
 * detail; shown as sent. */
static int status_row_h(char **f, void *arg)
{
	return octl_table_add(arg, f[0], f[1], f[2], f[3], f[4], f[5]);
}

int octl_trunk_status(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {
	    "TENANT", "NAME", "REGISTRATION", "REACHABLE", "CALLS", "DETAIL"};
	char cmd[DB_DOMAIN_LEN + 16], *body = NULL;
	struct octl_table *table;
	int n, status;

	if (octl_parse(o, argc, argv, NULL, 0, 1, &n))
		return OCTL_USAGE;
	if (n == 1 && octl_check_domain(argv[0]))
		return OCTL_ERR;
	/* The daemon knows domains in lower case, as they are stored. */
	snprintf(cmd, sizeof(cmd), "trunks%s%s", n ? " " : "",
		 n ? argv[0] : "");
	for (char *p = cmd; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	status = octl_ask(o, cmd, &body);
	if (status)
		return status;
	if (octl_table_alloc(&table, 6, header)) {
		free(body);
		return octl_err("out of memory");
	}
	status = octl_reply_rows(body, 6, "trunk", status_row_h, table);
	if (status == OCTL_OK && octl_table_rows(table) == 0)
		printf("the daemon has no trunks%s%s\n", n ? " for " : "",
		       n ? cmd + 7 : "");
	else if (status == OCTL_OK)
		octl_table_print(table, stdout);
	octl_table_free(table);
	free(body);
	return status;
}
