/* db_ivr.c - IVR menus and their {digit, action, arg} options. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "db_room.h"
#include "db_ringgroup.h"

/* The order options are listed in: as on a phone's keypad. */
#define KEYPAD "1234567890*#"

#define MENU_COLS                                                              \
	"SELECT id, tenant_id, name, greeting, timeout_ms, invalid_prompt, "   \
	"timeout_prompt, max_retries, fallback_action, fallback_arg, "         \
	"direct_dial FROM ivr_menus "

#define PROMPT_RULE "a-z, 0-9 and _, at most 63 characters"
#define MENU_RULE   "1 to 32 characters: a-z, 0-9, _ and -"

/* What an action's arg holds. */
enum arg_kind {
	ARG_NONE,
	ARG_EXTENSION,
	ARG_MAILBOX, /* an extension whose mailbox takes the message */
	ARG_MENU,
	ARG_NUMBER,
	ARG_PROMPTS,
	ARG_ROOM,  /* a conference room of the tenant */
	ARG_GROUP, /* a ring group of the tenant */
	ARG_LATER, /* an action of a later release: refused for now */
};

/* The actions a key (or a fallback) can take. The IVR app interprets
 * them; this table only says what each needs to be stored. One action a
 * line: */
/* clang-format off */
static const struct action {
	const char *name;
	enum arg_kind arg;
	/* may end a menu whose retries are used up: playback and repeat
	 * go back to the menu, so as a fallback they would never end */
	bool fallback;
} actions[] = {
    {"extension", ARG_EXTENSION, true},
    {"menu", ARG_MENU, true},
    {"number", ARG_NUMBER, true},
    {"playback", ARG_PROMPTS, false},
    {"repeat", ARG_NONE, false},
    {"hangup", ARG_NONE, true},
    {"voicemail", ARG_MAILBOX, true},
    {"conference", ARG_ROOM, true},
    {"ringgroup", ARG_GROUP, true},
};
/* clang-format on */
#define KNOWN_ACTIONS                                                          \
	"extension, menu, number, voicemail, conference, ringgroup, "          \
	"playback, repeat, hangup"

/* Where a check writes its one line. `suffix` ends the messages shared by
 * options and fallbacks (" for the fallback"), not those only a fallback
 * gets, which say so themselves. */
struct why {
	char *buf; /* may be NULL */
	size_t len;
	const char *suffix;
};

static int vsay(const struct why *w, bool suffix, const char *fmt, va_list ap)
{
	size_t n;

	if (!w->buf || !w->len)
		return -EINVAL;
	vsnprintf(w->buf, w->len, fmt, ap);
	n = strlen(w->buf);
	if (suffix && w->suffix)
		snprintf(w->buf + n, w->len - n, "%s", w->suffix);
	return -EINVAL;
}

/* Writes the reason and returns -EINVAL. */
__attribute__((format(printf, 2, 3))) static int say(const struct why *w,
						     const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vsay(w, true, fmt, ap);
	va_end(ap);
	return err;
}

/* The same without the suffix. */
__attribute__((format(printf, 2, 3))) static int say_bare(const struct why *w,
							  const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vsay(w, false, fmt, ap);
	va_end(ap);
	return err;
}

/* A database failure (already logged by db_fail) as the reason. */
static int db_error(const struct why *w, int err)
{
	if (w->buf && w->len)
		snprintf(w->buf, w->len, "database error");
	return err;
}

static void row_menu(sqlite3_stmt *st, struct db_ivr_menu *m)
{
	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->tenant_id = sqlite3_column_int64(st, 1);
	db_col_text(st, 2, m->name, sizeof(m->name));
	db_col_text(st, 3, m->greeting, sizeof(m->greeting));
	m->timeout_ms = sqlite3_column_int(st, 4);
	db_col_text(st, 5, m->invalid_prompt, sizeof(m->invalid_prompt));
	db_col_text(st, 6, m->timeout_prompt, sizeof(m->timeout_prompt));
	m->max_retries = sqlite3_column_int(st, 7);
	db_col_text(st, 8, m->fallback_action, sizeof(m->fallback_action));
	db_col_text(st, 9, m->fallback_arg, sizeof(m->fallback_arg));
	m->direct_dial = sqlite3_column_int(st, 10);
}

static void row_option(sqlite3_stmt *st, struct db_ivr_option *o)
{
	const unsigned char *digit = sqlite3_column_text(st, 1);

	memset(o, 0, sizeof(*o));
	o->menu_id = sqlite3_column_int64(st, 0);
	o->digit = digit ? (char)digit[0] : '\0';
	db_col_text(st, 2, o->action, sizeof(o->action));
	db_col_text(st, 3, o->arg, sizeof(o->arg));
}

void db_ivr_menu_defaults(struct db_ivr_menu *m)
{
	memset(m, 0, sizeof(*m));
	m->timeout_ms = DB_IVR_TIMEOUT_DEFAULT_MS;
	snprintf(m->invalid_prompt, sizeof(m->invalid_prompt),
		 "invalid_option");
	snprintf(m->timeout_prompt, sizeof(m->timeout_prompt),
		 "please_try_again");
	m->max_retries = DB_IVR_RETRIES_DEFAULT;
	snprintf(m->fallback_action, sizeof(m->fallback_action), "hangup");
}

static const struct action *find_action(const char *name)
{
	for (size_t i = 0; name && i < sizeof(actions) / sizeof(actions[0]);
	     i++)
		if (!strcmp(actions[i].name, name))
			return &actions[i];
	return NULL;
}

/* "no extension 1009 in tenant acme.test": names the tenant by domain,
 * which is what the admin typed. */
static int missing(struct db *db, const struct why *w, int64_t tenant_id,
		   const char *what)
{
	struct db_tenant t;
	int err = db_tenant_by_id(db, tenant_id, &t);

	if (err == -ENOENT)
		return say(w, "no tenant %" PRId64, tenant_id);
	if (err)
		return db_error(w, err);
	return say(w, "no %s in tenant %s", what, t.domain);
}

static int check_extension(struct db *db, const struct why *w,
			   int64_t tenant_id, const char *action,
			   const char *arg)
{
	char what[DB_NUMBER_LEN + 16];
	struct db_ext e;
	int err;

	if (!arg[0])
		return say(w, "%s needs an extension number", action);
	if (!db_valid_number(arg))
		return say(w, "invalid extension number '%s' (1 to 31 digits)",
			   arg);
	err = db_ext_get(db, tenant_id, arg, &e);
	if (err == -ENOENT) {
		snprintf(what, sizeof(what), "extension %s", arg);
		return missing(db, w, tenant_id, what);
	}
	return err ? db_error(w, err) : 0;
}

static int check_room(struct db *db, const struct why *w, int64_t tenant_id,
		      const char *arg)
{
	char what[DB_NUMBER_LEN + 24];
	struct db_room r;
	int err;

	if (!arg[0])
		return say(w, "conference needs a room number");
	if (!db_valid_number(arg))
		return say(w, "invalid room number '%s' (1 to 31 digits)", arg);
	err = db_room_get(db, tenant_id, arg, &r);
	if (err == -ENOENT) {
		snprintf(what, sizeof(what), "conference room %s", arg);
		return missing(db, w, tenant_id, what);
	}
	return err ? db_error(w, err) : 0;
}

static int check_group(struct db *db, const struct why *w, int64_t tenant_id,
		       const char *arg)
{
	char what[DB_NUMBER_LEN + 24];
	struct db_rg g;
	int err;

	if (!arg[0])
		return say(w, "ringgroup needs a group number");
	if (!db_valid_number(arg))
		return say(w, "invalid ring group number '%s' (1 to 31 digits)",
			   arg);
	err = db_rg_get(db, tenant_id, arg, &g);
	if (err == -ENOENT) {
		snprintf(what, sizeof(what), "ring group %s", arg);
		return missing(db, w, tenant_id, what);
	}
	return err ? db_error(w, err) : 0;
}

/* `self`: the menu whose fallback this is, or NULL for an option (which
 * may name its own menu: that only starts it over). */
static int check_menu(struct db *db, const struct why *w, int64_t tenant_id,
		      const char *self, const char *arg)
{
	char what[DB_IVR_NAME_LEN + 16];
	struct db_ivr_menu m;
	int err;

	if (!arg[0])
		return say(w, "menu needs a menu name");
	if (!db_valid_ivr_name(arg))
		return say(w, "invalid menu name '%s' (" MENU_RULE ")", arg);
	if (self && !strcmp(self, arg))
		return say_bare(w,
				"menu '%s' cannot fall back to itself (it "
				"would never end)",
				arg);
	err = db_ivr_menu_get(db, tenant_id, arg, &m);
	if (err == -ENOENT) {
		snprintf(what, sizeof(what), "menu '%s'", arg);
		return missing(db, w, tenant_id, what);
	}
	return err ? db_error(w, err) : 0;
}

static int check_prompts(const struct why *w, const char *arg)
{
	char id[DB_IVR_ARG_LEN];

	if (!arg[0])
		return say(w, "playback needs prompts (PROMPT[&PROMPT...])");
	for (const char *p = arg;;) {
		size_t n = strcspn(p, "&");

		snprintf(id, sizeof(id), "%.*s", (int)n, p);
		if (!n)
			return say(w, "empty prompt id in '%s'", arg);
		if (!db_valid_prompt(id))
			return say(w, "invalid prompt '%s' (" PROMPT_RULE ")",
				   id);
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* Shared by options (self NULL) and fallbacks. */
static int check_action(struct db *db, const struct why *w, int64_t tenant_id,
			const char *self, const char *action, const char *arg)
{
	const struct action *a = find_action(action);

	if (w->buf && w->len)
		w->buf[0] = '\0';
	if (!db)
		return -EINVAL;
	if (!a)
		return say(w, "unknown action '%s' (known: " KNOWN_ACTIONS ")",
			   action ? action : "");
	if (a->arg == ARG_LATER)
		return say(w, "%s is not available yet", a->name);
	if (self && !a->fallback)
		return say_bare(w,
				"%s cannot be a fallback: it returns to the "
				"menu, which would never end (use hangup, "
				"extension, menu or number)",
				a->name);
	if (!arg)
		arg = "";
	if (!db_fits(arg, DB_IVR_ARG_LEN))
		return say(w, "%s argument longer than %d characters", a->name,
			   DB_IVR_ARG_LEN - 1);
	switch (a->arg) {
	case ARG_NONE:
		if (arg[0])
			return say(w, "%s takes no argument (got '%s')",
				   a->name, arg);
		return 0;
	case ARG_EXTENSION:
		return check_extension(db, w, tenant_id, "extension", arg);
	case ARG_MAILBOX:
		return check_extension(db, w, tenant_id, "voicemail", arg);
	case ARG_ROOM:
		return check_room(db, w, tenant_id, arg);
	case ARG_GROUP:
		return check_group(db, w, tenant_id, arg);
	case ARG_MENU:
		return check_menu(db, w, tenant_id, self, arg);
	case ARG_NUMBER:
		if (!arg[0])
			return say(w, "number needs a number to dial");
		if (!db_valid_dialable(arg))
			return say(w,
				   "invalid number '%s' (1 to 31 characters: "
				   "digits, letters, * # + . _ -)",
				   arg);
		return 0;
	case ARG_PROMPTS:
		return check_prompts(w, arg);
	case ARG_LATER:
		break;
	}
	return -EINVAL;
}

int db_ivr_action_check(struct db *db, int64_t tenant_id, const char *action,
			const char *arg, char *err, size_t errlen)
{
	const struct why w = {err, errlen, ""};

	return check_action(db, &w, tenant_id, NULL, action, arg);
}

int db_ivr_fallback_check(struct db *db, int64_t tenant_id, const char *menu,
			  const char *action, const char *arg, char *err,
			  size_t errlen)
{
	const struct why w = {err, errlen, " for the fallback"};

	return check_action(db, &w, tenant_id, menu ? menu : "", action, arg);
}

/* Everything but the fallback's target, which needs the database. */
static int check_fields(const struct why *w, const struct db_ivr_menu *m)
{
	if (!db_valid_ivr_name(m->name))
		return say(w, "invalid menu name '%.40s' (" MENU_RULE ")",
			   m->name);
	if (!db_valid_prompt(m->greeting))
		return say(w,
			   "invalid greeting '%.70s' (a prompt id: " PROMPT_RULE
			   ")",
			   m->greeting);
	if (!db_valid_prompt(m->invalid_prompt))
		return say(
		    w,
		    "invalid prompt '%.70s' for a wrong key (" PROMPT_RULE ")",
		    m->invalid_prompt);
	if (!db_valid_prompt(m->timeout_prompt))
		return say(
		    w, "invalid prompt '%.70s' for a timeout (" PROMPT_RULE ")",
		    m->timeout_prompt);
	if (m->timeout_ms < DB_IVR_TIMEOUT_MIN_MS ||
	    m->timeout_ms > DB_IVR_TIMEOUT_MAX_MS)
		return say(w, "invalid timeout %d ms (%d to %d)", m->timeout_ms,
			   DB_IVR_TIMEOUT_MIN_MS, DB_IVR_TIMEOUT_MAX_MS);
	if (m->max_retries < 0 || m->max_retries > DB_IVR_RETRIES_MAX)
		return say(w, "invalid number of retries %d (0 to %d)",
			   m->max_retries, DB_IVR_RETRIES_MAX);
	if (m->direct_dial != 0 && m->direct_dial != 1)
		return say(w, "direct_dial is %d, not 0 or 1", m->direct_dial);
	return 0;
}

int db_ivr_menu_check(struct db *db, const struct db_ivr_menu *m, char *err,
		      size_t errlen)
{
	const struct why w = {err, errlen, ""};
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (!db || !m)
		return -EINVAL;
	rc = check_fields(&w, m);
	if (!rc)
		rc = db_ivr_fallback_check(db, m->tenant_id, m->name,
					   m->fallback_action, m->fallback_arg,
					   err, errlen);
	return rc;
}

/* ?1 tenant_id, ?2 name, ?3.. the rest: the same for INSERT and UPDATE. */
static void bind_menu(sqlite3_stmt *st, const struct db_ivr_menu *m)
{
	sqlite3_bind_int64(st, 1, m->tenant_id);
	db_bind_text(st, 2, m->name);
	db_bind_text(st, 3, m->greeting);
	sqlite3_bind_int(st, 4, m->timeout_ms);
	db_bind_text(st, 5, m->invalid_prompt);
	db_bind_text(st, 6, m->timeout_prompt);
	sqlite3_bind_int(st, 7, m->max_retries);
	db_bind_text(st, 8, m->fallback_action);
	db_bind_text(st, 9, m->fallback_arg);
	sqlite3_bind_int(st, 10, m->direct_dial);
}

/* Checks m and runs `sql` (an INSERT or an UPDATE of every column, bound
 * by bind_menu) as statement `id`, in one transaction: the menu the
 * fallback names cannot be deleted in between. *idp (may be NULL) gets
 * the row id of an insert; an update that changed no row is -ENOENT. */
static int menu_write(struct db *db, const struct db_ivr_menu *m,
		      enum db_stmt_id id, const char *sql, const char *what,
		      int64_t *idp)
{
	sqlite3_stmt *st;
	int64_t row = 0;
	int err;

	if (!db || !m)
		return -EINVAL;
	err = db_tx_begin(db);
	if (err)
		return err;
	err = db_ivr_menu_check(db, m, NULL, 0);
	if (!err)
		err = db_stmt(db, id, sql, &st);
	if (!err) {
		bind_menu(st, m);
		err = db_exec_step(db, st, what);
		if (!err && !idp && sqlite3_changes(db->sql) == 0)
			err = -ENOENT;
		row = sqlite3_last_insert_rowid(db->sql);
		db_done(st);
	}
	err = db_tx_end(db, err);
	if (!err && idp)
		*idp = row;
	return err;
}

int db_ivr_menu_add(struct db *db, const struct db_ivr_menu *m, int64_t *idp)
{
	int64_t id;
	int err = menu_write(db, m, DB_ST_IVR_MENU_ADD,
			     "INSERT INTO ivr_menus (tenant_id, name, "
			     "greeting, timeout_ms, invalid_prompt, "
			     "timeout_prompt, max_retries, fallback_action, "
			     "fallback_arg, direct_dial) VALUES (?1, ?2, ?3, "
			     "?4, ?5, ?6, ?7, ?8, ?9, ?10)",
			     "adding an IVR menu", &id);

	if (!err && idp)
		*idp = id;
	return err;
}

int db_ivr_menu_update(struct db *db, const struct db_ivr_menu *m)
{
	return menu_write(db, m, DB_ST_IVR_MENU_UPDATE,
			  "UPDATE ivr_menus SET greeting = ?3, "
			  "timeout_ms = ?4, invalid_prompt = ?5, "
			  "timeout_prompt = ?6, max_retries = ?7, "
			  "fallback_action = ?8, fallback_arg = ?9, "
			  "direct_dial = ?10 "
			  "WHERE tenant_id = ?1 AND name = ?2",
			  "changing an IVR menu", NULL);
}

int db_ivr_menu_get(struct db *db, int64_t tenant_id, const char *name,
		    struct db_ivr_menu *m)
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !m || !db_fits(name, DB_IVR_NAME_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_IVR_MENU_GET,
		      MENU_COLS "WHERE tenant_id = ?1 AND name = ?2", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row_menu(st, m);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = db_fail(db, rc, "reading an IVR menu");
	db_done(st);
	return err;
}

int db_ivr_menu_ref(struct db *db, int64_t tenant_id, const char *name,
		    struct db_ivr_ref *ref)
{
	sqlite3_stmt *st;
	int rc;

	if (!db || !ref || !db_fits(name, DB_IVR_NAME_LEN))
		return -EINVAL;
	memset(ref, 0, sizeof(*ref));
	/* ctl_route.c stores an ivr route's args as the bare menu name, so
	 * equality finds every route that runs it. */
	rc = db_route_running(db, tenant_id, "ivr", name, &ref->route_id);
	if (rc != -ENOENT)
		return rc;
	/* A menu's own options and fallback do not keep it: they go with
	 * it. */
	rc = db_stmt(db, DB_ST_IVR_REF_OPTION,
		     "SELECT m.name, o.digit FROM ivr_options o "
		     "JOIN ivr_menus m ON m.id = o.menu_id "
		     "WHERE m.tenant_id = ?1 AND o.action = 'menu' AND "
		     "o.arg = ?2 AND m.name <> ?2 "
		     "ORDER BY m.name, instr('" KEYPAD "', o.digit) LIMIT 1",
		     &st);
	if (rc)
		return rc;
	rc = db_named_row(db, st, tenant_id, name, "finding options to a menu");
	if (rc == 1) {
		const unsigned char *d = sqlite3_column_text(st, 1);

		db_col_text(st, 0, ref->menu, sizeof(ref->menu));
		ref->digit = d ? (char)d[0] : '\0';
	}
	db_done(st);
	if (rc)
		return rc < 0 ? rc : 0;
	rc = db_stmt(db, DB_ST_IVR_REF_FALLBACK,
		     "SELECT name FROM ivr_menus WHERE tenant_id = ?1 AND "
		     "fallback_action = 'menu' AND fallback_arg = ?2 AND "
		     "name <> ?2 ORDER BY name LIMIT 1",
		     &st);
	if (rc)
		return rc;
	rc = db_named_row(db, st, tenant_id, name,
			  "finding fallbacks to a menu");
	if (rc == 1)
		db_col_text(st, 0, ref->menu, sizeof(ref->menu));
	db_done(st);
	if (rc)
		return rc < 0 ? rc : 0;
	return -ENOENT;
}

static int menu_id(struct db *db, int64_t tenant_id, const char *name,
		   int64_t *idp)
{
	struct db_ivr_menu m;
	int err = db_ivr_menu_get(db, tenant_id, name, &m);

	if (!err)
		*idp = m.id;
	return err;
}

static int menu_in_use(struct db *db, int64_t tenant_id, const char *name)
{
	struct db_ivr_ref ref;
	int err = db_ivr_menu_ref(db, tenant_id, name, &ref);

	return err == -ENOENT ? 0 : err ? err : -EBUSY;
}

int db_ivr_menu_del(struct db *db, int64_t tenant_id, const char *name)
{
	static const struct db_named menu = {
	    menu_id, menu_in_use, DB_ST_IVR_MENU_DEL,
	    "DELETE FROM ivr_menus WHERE id = ?1", "deleting an IVR menu"};

	if (!db || !db_fits(name, DB_IVR_NAME_LEN))
		return -EINVAL;
	return db_del_named(db, &menu, tenant_id, name);
}

int db_ivr_menu_list(struct db *db, int64_t tenant_id,
		     int (*h)(const struct db_ivr_menu *m, void *arg),
		     void *arg)
{
	struct db_ivr_menu m;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_IVR_MENU_LIST,
		      MENU_COLS "WHERE tenant_id = ?1 ORDER BY name", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_menu(st, &m);
		err = h(&m, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing IVR menus");
	db_done(st);
	return err;
}

static bool valid_digit(char d)
{
	/* strchr would find the terminator for '\0'. */
	return d && strchr(KEYPAD, d);
}

/* The tenant of menu `menu_id`; -ENOENT if there is no such menu. */
static int menu_tenant(struct db *db, int64_t menu_id, int64_t *tenant_idp)
{
	sqlite3_stmt *st;
	int rc, err;

	err = db_stmt(db, DB_ST_IVR_MENU_TENANT,
		      "SELECT tenant_id FROM ivr_menus WHERE id = ?1", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, menu_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*tenant_idp = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		err = -ENOENT;
	else
		err = db_fail(db, rc, "reading an IVR menu");
	db_done(st);
	return err;
}

int db_ivr_option_set(struct db *db, int64_t menu_id,
		      const struct db_ivr_option *o)
{
	int64_t tenant_id = 0;
	sqlite3_stmt *st;
	int err;

	if (!db || !o || !valid_digit(o->digit))
		return -EINVAL;
	err = db_tx_begin(db);
	if (err)
		return err;
	err = menu_tenant(db, menu_id, &tenant_id);
	/* In the menu's own tenant: an option can never reach another
	 * tenant's extension or menu, whatever the caller passes. */
	if (!err)
		err = db_ivr_action_check(db, tenant_id, o->action, o->arg,
					  NULL, 0);
	if (!err)
		err = db_stmt(db, DB_ST_IVR_OPT_SET,
			      "INSERT INTO ivr_options (menu_id, digit, "
			      "action, arg) VALUES (?1, ?2, ?3, ?4) "
			      "ON CONFLICT (menu_id, digit) DO UPDATE SET "
			      "action = excluded.action, arg = excluded.arg",
			      &st);
	if (!err) {
		sqlite3_bind_int64(st, 1, menu_id);
		sqlite3_bind_text(st, 2, &o->digit, 1, SQLITE_STATIC);
		db_bind_text(st, 3, o->action);
		db_bind_text(st, 4, o->arg);
		err = db_exec_step(db, st, "setting an IVR option");
		db_done(st);
	}
	return db_tx_end(db, err);
}

int db_ivr_option_del(struct db *db, int64_t menu_id, char digit)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !valid_digit(digit))
		return -EINVAL;
	err = db_stmt(db, DB_ST_IVR_OPT_DEL,
		      "DELETE FROM ivr_options WHERE menu_id = ?1 AND "
		      "digit = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, menu_id);
	sqlite3_bind_text(st, 2, &digit, 1, SQLITE_STATIC);
	err = db_exec_step(db, st, "deleting an IVR option");
	if (!err && sqlite3_changes(db->sql) == 0)
		err = -ENOENT;
	db_done(st);
	return err;
}

int db_ivr_options(struct db *db, int64_t menu_id,
		   int (*h)(const struct db_ivr_option *o, void *arg),
		   void *arg)
{
	struct db_ivr_option o;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_IVR_OPT_LIST,
		      "SELECT menu_id, digit, action, arg FROM ivr_options "
		      "WHERE menu_id = ?1 ORDER BY instr('" KEYPAD "', digit)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, menu_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_option(st, &o);
		err = h(&o, arg);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing IVR options");
	db_done(st);
	return err;
}
