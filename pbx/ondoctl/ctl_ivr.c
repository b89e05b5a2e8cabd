/* ctl_ivr.c - ondoctl ivr ...: a tenant's IVR menus and what their keys do. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ondoctl/ondoctl.h"

#define PROMPT_RULE "a-z, 0-9 and _, at most 63 characters"
#define MENU_RULE   "1 to 32 characters: a-z, 0-9, _ and -"

/* The command-line options `ivr add` and `ivr set` share; NULL where
 * not given. */
struct menu_opts {
	const char *greeting, *timeout, *retries, *invalid, *timeout_prompt;
	const char *fallback, *direct, *no_direct;
};

/* The options of `ivr add` and `ivr set`, with their {NULL} end. */
#define NOPTS 9

static void menu_opts_table(struct menu_opts *mo, struct octl_opt *opts)
{
	const struct octl_opt table[NOPTS] = {
	    {"--greeting", &mo->greeting},
	    {"--timeout", &mo->timeout},
	    {"--retries", &mo->retries},
	    {"--invalid", &mo->invalid},
	    {"--timeout-prompt", &mo->timeout_prompt},
	    {"--fallback", &mo->fallback},
	    {"--direct-dial", &mo->direct, 1},
	    {"--no-direct-dial", &mo->no_direct, 1},
	    {NULL, NULL},
	};

	memcpy(opts, table, sizeof(table));
}

static bool any_opt(const struct menu_opts *mo)
{
	return mo->greeting || mo->timeout || mo->retries || mo->invalid ||
	       mo->timeout_prompt || mo->fallback || mo->direct ||
	       mo->no_direct;
}

static int parse_int(const char *s, long min, long max, int *vp)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*vp = (int)v;
	return 0;
}

/* Copies prompt id `s`, given as `opt`, into `out` (DB_IVR_PROMPT_LEN). */
static int set_prompt(char *out, const char *s, const char *opt)
{
	if (!db_valid_prompt(s))
		return octl_err(
		    "invalid prompt id '%s' for %s (" PROMPT_RULE ")", s, opt);
	snprintf(out, DB_IVR_PROMPT_LEN, "%s", s);
	return OCTL_OK;
}

/* "ACTION" or "ACTION:ARG"; whether they make sense is
 * db_ivr_menu_check's business. */
static int set_fallback(struct db_ivr_menu *m, const char *s)
{
	const char *colon = strchr(s, ':');
	size_t alen = colon ? (size_t)(colon - s) : strlen(s);
	const char *arg = colon ? colon + 1 : "";

	if (alen >= sizeof(m->fallback_action))
		return octl_err(
		    "unknown action '%.*s' for the fallback (known: "
		    "hangup, extension, menu, number)",
		    (int)alen, s);
	if (strlen(arg) >= sizeof(m->fallback_arg))
		return octl_err("fallback argument longer than %zu characters",
				sizeof(m->fallback_arg) - 1);
	snprintf(m->fallback_action, sizeof(m->fallback_action), "%.*s",
		 (int)alen, s);
	snprintf(m->fallback_arg, sizeof(m->fallback_arg), "%s", arg);
	return OCTL_OK;
}

/* Applies the options given onto `m`; OCTL_OK or OCTL_ERR (printed). */
static int apply_opts(struct db_ivr_menu *m, const struct menu_opts *mo)
{
	if (mo->timeout && parse_int(mo->timeout, DB_IVR_TIMEOUT_MIN_MS,
				     DB_IVR_TIMEOUT_MAX_MS, &m->timeout_ms))
		return octl_err("invalid timeout '%s' (%d to %d milliseconds)",
				mo->timeout, DB_IVR_TIMEOUT_MIN_MS,
				DB_IVR_TIMEOUT_MAX_MS);
	if (mo->retries &&
	    parse_int(mo->retries, 0, DB_IVR_RETRIES_MAX, &m->max_retries))
		return octl_err("invalid number of retries '%s' (0 to %d)",
				mo->retries, DB_IVR_RETRIES_MAX);
	if (mo->direct && mo->no_direct)
		return octl_err("give --direct-dial or --no-direct-dial, not "
				"both");
	if (mo->direct)
		m->direct_dial = 1;
	if (mo->no_direct)
		m->direct_dial = 0;
	if ((mo->greeting &&
	     set_prompt(m->greeting, mo->greeting, "--greeting")) ||
	    (mo->invalid &&
	     set_prompt(m->invalid_prompt, mo->invalid, "--invalid")) ||
	    (mo->timeout_prompt &&
	     set_prompt(m->timeout_prompt, mo->timeout_prompt,
			"--timeout-prompt")) ||
	    (mo->fallback && set_fallback(m, mo->fallback)))
		return OCTL_ERR;
	return OCTL_OK;
}

/* The menu as a whole, the fallback's target included. */
static int check_menu(struct octl *o, const struct db_ivr_menu *m)
{
	char why[256];
	int err = db_ivr_menu_check(o->db, m, why, sizeof(why));

	if (err == -EINVAL)
		return octl_err("%s", why);
	if (err)
		return octl_err("cannot check menu '%s': %s", m->name,
				octl_strerror(err));
	return OCTL_OK;
}

static int check_name(const char *name)
{
	if (db_valid_ivr_name(name))
		return OCTL_OK;
	return octl_err("invalid menu name '%s' (" MENU_RULE ")", name);
}

/* Looks up menu `name` of tenant `t`; prints why not. */
static int find_menu(struct octl *o, const struct db_tenant *t,
		     const char *name, struct db_ivr_menu *m)
{
	int err;

	if (check_name(name))
		return OCTL_ERR;
	err = db_ivr_menu_get(o->db, t->id, name, m);
	if (err == -ENOENT)
		return octl_err("no menu '%s' in tenant %s", name, t->domain);
	if (err)
		return octl_err("cannot look up menu '%s' of %s: %s", name,
				t->domain, octl_strerror(err));
	return OCTL_OK;
}

int octl_ivr_add(struct octl *o, int argc, char **argv)
{
	struct menu_opts mo = {0};
	struct octl_opt opts[NOPTS];
	struct db_ivr_menu m;
	struct db_tenant t;
	int64_t id;
	int n, err;

	menu_opts_table(&mo, opts);
	if (octl_parse(o, argc, argv, opts, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || check_name(argv[1]))
		return OCTL_ERR;
	/* No stock prompt fits every menu: an admin who forgot it would
	 * only find out from a caller hearing silence. */
	if (!mo.greeting)
		return octl_err("ivr add needs --greeting PROMPT (what callers "
				"hear first)");
	db_ivr_menu_defaults(&m);
	m.tenant_id = t.id;
	snprintf(m.name, sizeof(m.name), "%s", argv[1]);
	if (apply_opts(&m, &mo) || check_menu(o, &m))
		return OCTL_ERR;
	err = db_ivr_menu_add(o->db, &m, &id);
	if (err == -EEXIST)
		return octl_err("%s already has a menu '%s'", t.domain, m.name);
	if (err)
		return octl_err("cannot add menu '%s' to %s: %s", m.name,
				t.domain, octl_strerror(err));
	printf("menu %s added to %s\n", m.name, t.domain);
	return OCTL_OK;
}

int octl_ivr_set(struct octl *o, int argc, char **argv)
{
	struct menu_opts mo = {0};
	struct octl_opt opts[NOPTS];
	struct db_ivr_menu m;
	struct db_tenant t;
	int n, err;

	menu_opts_table(&mo, opts);
	if (octl_parse(o, argc, argv, opts, 2, 2, &n))
		return OCTL_USAGE;
	if (!any_opt(&mo))
		return octl_usage(o);
	if (octl_tenant(o, argv[0], &t) || find_menu(o, &t, argv[1], &m) ||
	    apply_opts(&m, &mo) || check_menu(o, &m))
		return OCTL_ERR;
	err = db_ivr_menu_update(o->db, &m);
	if (err == -ENOENT)
		return octl_err("no menu '%s' in tenant %s", m.name, t.domain);
	if (err)
		return octl_err("cannot change menu '%s' of %s: %s", m.name,
				t.domain, octl_strerror(err));
	printf("menu %s of %s changed\n", m.name, t.domain);
	return OCTL_OK;
}

/* "hangup", "menu:sales": as --fallback takes it. */
static void fmt_fallback(char *buf, size_t len, const struct db_ivr_menu *m)
{
	snprintf(buf, len, "%s%s%s", m->fallback_action,
		 m->fallback_arg[0] ? ":" : "", m->fallback_arg);
}

/* "1 2 0 #": 12 digits and their spaces. */
#define DIGITS_LEN 32

/* Appends the option's digit to the string at `arg` (DIGITS_LEN). */
static int digits_h(const struct db_ivr_option *opt, void *arg)
{
	char *s = arg;
	size_t n = strlen(s);

	snprintf(s + n, DIGITS_LEN - n, "%s%c", n ? " " : "", opt->digit);
	return 0;
}

struct list_ctx {
	struct octl *o;
	struct octl_table *table;
};

static int menu_row_h(const struct db_ivr_menu *m, void *arg)
{
	struct list_ctx *c = arg;
	char digits[DIGITS_LEN] = "", timeout[24], retries[16];
	char fallback[DB_IVR_ACTION_LEN + DB_IVR_ARG_LEN];
	int err;

	/* Another statement than the menu walk's, so allowed (db.h). */
	err = db_ivr_options(c->o->db, m->id, digits_h, digits);
	if (err)
		return err;
	snprintf(timeout, sizeof(timeout), "%dms", m->timeout_ms);
	snprintf(retries, sizeof(retries), "%d", m->max_retries);
	fmt_fallback(fallback, sizeof(fallback), m);
	return octl_table_add(c->table, m->name, m->greeting,
			      digits[0] ? digits : "-", timeout, retries,
			      fallback, m->direct_dial ? "yes" : "no");
}

int octl_ivr_list(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"NAME",	"GREETING", "OPTIONS",
					     "TIMEOUT", "RETRIES",  "FALLBACK",
					     "DIRECT"};
	struct list_ctx c = {.o = o};
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 1, 1, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t))
		return OCTL_ERR;
	if (octl_table_alloc(&c.table, 7, header))
		return octl_err("out of memory");
	err = db_ivr_menu_list(o->db, t.id, menu_row_h, &c);
	if (err)
		octl_err("cannot list the menus of %s: %s", t.domain,
			 octl_strerror(err));
	else if (octl_table_rows(c.table) == 0)
		printf("no IVR menus in %s yet (add one with ondoctl ivr "
		       "add)\n",
		       t.domain);
	else
		octl_table_print(c.table, stdout);
	octl_table_free(c.table);
	return err ? OCTL_ERR : OCTL_OK;
}

static int option_row_h(const struct db_ivr_option *opt, void *arg)
{
	char digit[2] = {opt->digit, '\0'};

	return octl_table_add(arg, digit, opt->action, opt->arg);
}

int octl_ivr_show(struct octl *o, int argc, char **argv)
{
	static const char *const header[] = {"DIGIT", "ACTION", "ARG"};
	char fallback[DB_IVR_ACTION_LEN + DB_IVR_ARG_LEN];
	struct octl_table *table;
	struct db_ivr_menu m;
	struct db_tenant t;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || find_menu(o, &t, argv[1], &m))
		return OCTL_ERR;
	if (octl_table_alloc(&table, 3, header))
		return octl_err("out of memory");
	err = db_ivr_options(o->db, m.id, option_row_h, table);
	if (err) {
		octl_table_free(table);
		return octl_err("cannot list the options of menu '%s': %s",
				m.name, octl_strerror(err));
	}
	fmt_fallback(fallback, sizeof(fallback), &m);
	printf("menu            %s\n"
	       "greeting        %s\n"
	       "timeout         %d ms\n"
	       "retries         %d\n"
	       "invalid prompt  %s\n"
	       "timeout prompt  %s\n"
	       "fallback        %s\n"
	       "direct dial     %s\n\n",
	       m.name, m.greeting, m.timeout_ms, m.max_retries,
	       m.invalid_prompt, m.timeout_prompt, fallback,
	       m.direct_dial ? "yes" : "no");
	if (octl_table_rows(table) == 0)
		printf("no options yet (add one with ondoctl ivr option)\n");
	else
		octl_table_print(table, stdout);
	octl_table_free(table);
	return OCTL_OK;
}

/* Says what keeps menu `name` from being deleted: routes and other
 * menus name it, and a deleted target would fail calls. */
static int busy(struct octl *o, const struct db_tenant *t, const char *name)
{
	struct db_ivr_ref ref;
	int err = db_ivr_menu_ref(o->db, t->id, name, &ref);

	if (err)
		return octl_err("menu '%s' is in use; delete what uses it "
				"first",
				name);
	if (ref.route_id)
		return octl_err("menu '%s' is used by route %" PRId64
				"; delete that first",
				name, ref.route_id);
	if (ref.digit)
		return octl_err("menu '%s' is used by option %c of menu '%s'; "
				"delete that first",
				name, ref.digit, ref.menu);
	return octl_err("menu '%s' is the fallback of menu '%s'; change that "
			"first",
			name, ref.menu);
}

int octl_ivr_del(struct octl *o, int argc, char **argv)
{
	struct db_tenant t;
	const char *name;
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 2, 2, &n))
		return OCTL_USAGE;
	name = argv[1];
	if (octl_tenant(o, argv[0], &t) || check_name(name))
		return OCTL_ERR;
	err = db_ivr_menu_del(o->db, t.id, name);
	if (err == -ENOENT)
		return octl_err("no menu '%s' in tenant %s", name, t.domain);
	if (err == -EBUSY)
		return busy(o, &t, name);
	if (err)
		return octl_err("cannot delete menu '%s' of %s: %s", name,
				t.domain, octl_strerror(err));
	printf("menu %s deleted from %s\n", name, t.domain);
	return OCTL_OK;
}

/* One of 0-9 * #, as a single character. */
static int parse_digit(const char *s, char *dp)
{
	if (!s[0] || s[1] || !strchr("0123456789*#", s[0]))
		return octl_err("invalid digit '%s' (one of 0-9, * and #)", s);
	*dp = s[0];
	return OCTL_OK;
}

int octl_ivr_option(struct octl *o, int argc, char **argv)
{
	struct db_ivr_option opt = {0};
	const char *action, *arg;
	struct db_ivr_menu m;
	struct db_tenant t;
	char why[256];
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 4, 5, &n))
		return OCTL_USAGE;
	action = argv[3];
	arg = n > 4 ? argv[4] : "";
	if (octl_tenant(o, argv[0], &t) || find_menu(o, &t, argv[1], &m) ||
	    parse_digit(argv[2], &opt.digit))
		return OCTL_ERR;
	/* Checked on the words as typed, before they are cut to fit the
	 * struct: too long is an error, not a silent truncation. */
	err = db_ivr_action_check(o->db, t.id, action, arg, why, sizeof(why));
	if (err == -EINVAL)
		return octl_err("%s for option %c", why, opt.digit);
	if (err)
		return octl_err("cannot check option %c: %s", opt.digit,
				octl_strerror(err));
	snprintf(opt.action, sizeof(opt.action), "%s", action);
	snprintf(opt.arg, sizeof(opt.arg), "%s", arg);
	err = db_ivr_option_set(o->db, m.id, &opt);
	if (err)
		return octl_err("cannot set option %c of menu '%s': %s",
				opt.digit, m.name, octl_strerror(err));
	printf("option %c of menu %s in %s: %s%s%s\n", opt.digit, m.name,
	       t.domain, opt.action, opt.arg[0] ? " " : "", opt.arg);
	return OCTL_OK;
}

int octl_ivr_option_del(struct octl *o, int argc, char **argv)
{
	struct db_ivr_menu m;
	struct db_tenant t;
	char digit = '\0';
	int n, err;

	if (octl_parse(o, argc, argv, NULL, 3, 3, &n))
		return OCTL_USAGE;
	if (octl_tenant(o, argv[0], &t) || find_menu(o, &t, argv[1], &m) ||
	    parse_digit(argv[2], &digit))
		return OCTL_ERR;
	err = db_ivr_option_del(o->db, m.id, digit);
	if (err == -ENOENT)
		return octl_err("menu '%s' in %s has no option %c", m.name,
				t.domain, digit);
	if (err)
		return octl_err("cannot delete option %c of menu '%s': %s",
				digit, m.name, octl_strerror(err));
	printf("option %c deleted from menu %s in %s\n", digit, m.name,
	       t.domain);
	return OCTL_OK;
}
