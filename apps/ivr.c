/* ivr.c - IVR menus: a greeting, then digits choose actions from a table. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apps/apps.h"
#include "dialplan/dialplan.h"
#include "core/log.h"
#include "db.h"

#define IVR_MAX_HOPS 16	  /* menus entered in one call: stops menu loops */
#define IVR_DIGITS "0123456789*#"

/* What an action tells the menu loop to do next. */
enum next { NEXT_STAY, NEXT_MENU, NEXT_END };

struct ivr {
	struct chan *c;
	struct db *db;
	struct db_tenant t;
	struct db_ivr_menu m;
	int hops;
};

struct option_ctx {
	char digit;
	struct db_ivr_option found;
	int have;
};

static int option_h(const struct db_ivr_option *o, void *arg)
{
	struct option_ctx *x = arg;

	if (o->digit != x->digit)
		return 0;
	x->found = *o;
	x->have = 1;
	return 1;
}

static int load_menu(struct ivr *v, const char *name)
{
	if (++v->hops > IVR_MAX_HOPS) {
		LOGC(LOGL_WARN, "ivr", v->t.domain, chan_call_id(v->c),
		     "menu loop: more than %d menus entered", IVR_MAX_HOPS);
		return -ELOOP;
	}
	return db_ivr_menu_get(v->db, v->t.id, name, &v->m);
}

/* The caller is put through; a failed attempt is explained and the caller
 * goes back to the menu (never to silence). */
static enum next bridge(struct ivr *v, const char *number, int *r)
{
	*r = chan_play(v->c, "transferring", NULL, NULL);
	if (*r)
		return NEXT_END;
	*r = chan_bridge(v->c, number, 0);
	switch (*r) {
	case 0:
	case -ECONNRESET:
		return NEXT_END; /* a conversation took place, or the caller left */
	case -EBUSY:
		*r = chan_play(v->c, "busy", NULL, NULL);
		break;
	case -ETIMEDOUT:
		*r = chan_play(v->c, "no_answer", NULL, NULL);
		break;
	case -EHOSTUNREACH:
		*r = chan_play(v->c, "not_available", NULL, NULL);
		break;
	default:
		*r = chan_play(v->c, "cannot_complete", NULL, NULL);
		break;
	}
	return *r ? NEXT_END : NEXT_STAY;
}

/* A number through the tenant's dialplan, as if the caller dialled it. */
static enum next run_number(struct ivr *v, const char *number, int *r)
{
	const struct app *app;
	struct dp_result res;

	if (dp_lookup(v->db, &v->t, number, chan_caller(v->c), &res)) {
		*r = chan_play(v->c, "cannot_complete", NULL, NULL);
		return *r ? NEXT_END : NEXT_STAY;
	}
	if (!strcmp(res.app, "dial"))
		return bridge(v, res.args, r);
	if (!strcmp(res.app, "ivr")) {
		*r = load_menu(v, res.args);
		return *r ? NEXT_END : NEXT_MENU;
	}
	app = app_find(res.app);
	*r = app ? app->run(v->c, res.args) : -ENOENT;
	return NEXT_END;
}

static enum next play_list(struct ivr *v, const char *list, int *r)
{
	char buf[64], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	*r = 0;
	for (char *id = strtok_r(buf, "&", &save); !*r && id;
	     id = strtok_r(NULL, "&", &save))
		*r = chan_play(v->c, id, NULL, NULL);
	return *r ? NEXT_END : NEXT_STAY;
}

static enum next do_action(struct ivr *v, const char *action,
			   const char *arg, int *r)
{
	*r = 0;
	if (!strcmp(action, "extension"))
		return bridge(v, arg, r);
	if (!strcmp(action, "number"))
		return run_number(v, arg, r);
	if (!strcmp(action, "menu")) {
		*r = load_menu(v, arg);
		return *r ? NEXT_END : NEXT_MENU;
	}
	if (!strcmp(action, "playback"))
		return play_list(v, arg, r);
	if (!strcmp(action, "repeat"))
		return NEXT_STAY;
	if (!strcmp(action, "conference") || !strcmp(action, "ringgroup")) {
		const struct app *app = app_find(action);

		*r = app ? app->run(v->c, arg) : -ENOENT;
		return NEXT_END;
	}
	if (!strcmp(action, "voicemail")) {
		const struct app *vm = app_find("voicemail");
		char args[DB_NUMBER_LEN + 16];

		snprintf(args, sizeof(args), "%s,unavail", arg);
		*r = vm ? vm->run(v->c, args) : -ENOENT;
		return NEXT_END;
	}
	/* hangup, and anything this build does not know */
	*r = chan_play(v->c, "goodbye", NULL, NULL);
	return NEXT_END;
}

/* Direct dialling: the first digit began an extension number. */
static enum next direct(struct ivr *v, char first, int *r)
{
	char rest[DB_NUMBER_LEN - 1], number[DB_NUMBER_LEN];
	struct db_ext e;

	*r = chan_read_digits(v->c, rest, sizeof(rest), sizeof(rest) - 1,
			      v->m.timeout_ms > 3000 ? 3000 : v->m.timeout_ms,
			      '#');
	if (*r == -ETIMEDOUT)
		rest[0] = '\0';
	else if (*r)
		return NEXT_END;
	snprintf(number, sizeof(number), "%c%s", first, rest);
	if (db_ext_get(v->db, v->t.id, number, &e)) {
		*r = chan_play(v->c, v->m.invalid_prompt, NULL, NULL);
		return *r ? NEXT_END : NEXT_STAY;
	}
	return bridge(v, number, r);
}

/* One pass: greeting, a digit, its action. *retries counts mistakes. */
static enum next one_pass(struct ivr *v, int *retries, int *r)
{
	struct option_ctx x = {0};
	char d[2] = "";

	*r = chan_play(v->c, v->m.greeting, IVR_DIGITS, &d[0]);
	if (*r && *r != -ENOENT)
		return NEXT_END;
	if (!d[0]) {
		*r = chan_read_digits(v->c, d, sizeof(d), 1, v->m.timeout_ms, 0);
		if (*r == -ETIMEDOUT) {
			++*retries;
			*r = chan_play(v->c, v->m.timeout_prompt, NULL, NULL);
			return *r ? NEXT_END : NEXT_STAY;
		}
		if (*r)
			return NEXT_END;
	}
	x.digit = d[0];
	db_ivr_options(v->db, v->m.id, option_h, &x);
	if (x.have)
		return do_action(v, x.found.action, x.found.arg, r);
	if (v->m.direct_dial && d[0] >= '0' && d[0] <= '9')
		return direct(v, d[0], r);
	++*retries;
	*r = chan_play(v->c, v->m.invalid_prompt, NULL, NULL);
	return *r ? NEXT_END : NEXT_STAY;
}

static int menu_loop(struct ivr *v)
{
	int retries = 0, r = 0;

	for (;;) {
		enum next n = one_pass(v, &retries, &r);

		if (n == NEXT_END)
			return r;
		if (n == NEXT_MENU) {
			retries = 0;
			continue;
		}
		if (retries > v->m.max_retries) {
			/* Out of tries: the menu's fallback, once. */
			n = do_action(v, v->m.fallback_action, v->m.fallback_arg,
				      &r);
			if (n != NEXT_MENU)
				return r;
			retries = 0;
		}
	}
}

static int ivr_run(struct chan *c, const char *args)
{
	struct ivr v = {.c = c};
	int r;

	v.db = chan_db(c);
	if (!v.db || db_tenant_by_id(v.db, chan_tenant_id(c), &v.t))
		return -EIO;
	r = chan_answer(c);
	if (r)
		return r;
	if (load_menu(&v, args)) {
		LOGC(LOGL_WARN, "ivr", v.t.domain, chan_call_id(c),
		     "no IVR menu '%s'", args);
		return chan_play(c, "cannot_complete", NULL, NULL);
	}
	return menu_loop(&v);
}

const struct app app_ivr = {.name = "ivr", .run = ivr_run};
