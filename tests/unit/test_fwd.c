/* test_fwd.c - where a call to an extension goes (pbx/dialplan/fwd_decide.c)
 * driven by a table of extensions and routes: ring, always, DND, not
 * registered, busy, no answer, failed, targets that are extensions,
 * mailboxes and dialplan numbers, loops and chains stopped; then the
 * stored side (db/db_fwd.c, pbx/dialplan/fwd_target.c) on a real database:
 * set, get, DND, cascade, the checks on targets and the feature-code
 * routes every tenant gets (migration 0015). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "tmpdb.h"
#include "db_fwd.h"
#include "db_vm.h"
#include "dialplan/fwd.h"

/* ---- the decision, from tables ---- */

#define NEXT   12
#define NROUTE 8

struct world {
	struct fwd_ext ext[NEXT];
	int next;
	struct {
		char number[DB_NUMBER_LEN];
		struct dp_result res;
		int err; /* what route() says for it */
	} route[NROUTE];
	int nroute;
	char log[2048];
	int warns;
	char route_by[DB_NUMBER_LEN]; /* who the last route() was for */
};

static struct fwd_ext *add_ext(struct world *w, const char *number,
			       int registered, int vm_on)
{
	struct fwd_ext *e = &w->ext[w->next++];

	memset(e, 0, sizeof(*e));
	snprintf(e->number, sizeof(e->number), "%s", number);
	e->ring_timeout = 30;
	e->registered = registered;
	e->vm_on = vm_on;
	return e;
}

static struct fwd_ext *find(struct world *w, const char *number)
{
	for (int i = 0; i < w->next; i++)
		if (!strcmp(w->ext[i].number, number))
			return &w->ext[i];
	return NULL;
}

static void set(struct world *w, const char *number, enum db_fwd_kind k,
		enum db_fwd_type type, const char *dest, int after_s)
{
	struct db_fwd_target *t = &find(w, number)->fwd.t[k];

	t->type = type;
	snprintf(t->dest, sizeof(t->dest), "%s", dest);
	t->after_s = after_s;
}

static void add_route(struct world *w, const char *number, int64_t id,
		      const char *app, const char *args, int err)
{
	int i = w->nroute++;

	snprintf(w->route[i].number, DB_NUMBER_LEN, "%s", number);
	w->route[i].res.route_id = id;
	snprintf(w->route[i].res.app, sizeof(w->route[i].res.app), "%s", app);
	snprintf(w->route[i].res.args, sizeof(w->route[i].res.args), "%s",
		 args);
	w->route[i].err = err;
}

static int ext_h(void *arg, const char *number, struct fwd_ext *e)
{
	struct fwd_ext *x = find(arg, number);

	if (!x)
		return -ENOENT;
	*e = *x;
	return 0;
}

static int route_h(void *arg, const char *by, const char *number,
		   struct dp_result *res)
{
	struct world *w = arg;

	snprintf(w->route_by, sizeof(w->route_by), "%s", by);
	for (int i = 0; i < w->nroute; i++) {
		if (strcmp(w->route[i].number, number))
			continue;
		if (w->route[i].err)
			return w->route[i].err;
		*res = w->route[i].res;
		return 0;
	}
	/* the built-in rule: an extension's number dials it */
	if (find(w, number)) {
		memset(res, 0, sizeof(*res));
		snprintf(res->app, sizeof(res->app), "dial");
		snprintf(res->args, sizeof(res->args), "%s", number);
		return 0;
	}
	return -ENOENT;
}

static void log_h(void *arg, int warn, const char *line)
{
	struct world *w = arg;
	size_t n = strlen(w->log);

	snprintf(w->log + n, sizeof(w->log) - n, "%s%s\n", warn ? "W " : "",
		 line);
	w->warns += warn;
}

static struct fwd_ops ops_of(struct world *w, int default_vm)
{
	struct fwd_ops o = {.ext = ext_h,
			    .route = route_h,
			    .log = log_h,
			    .arg = w,
			    .default_vm = default_vm};
	return o;
}

/* Arrives at `ext` with a fresh chain. */
static int arrive(struct world *w, int default_vm, struct fwd_chain *ch,
		  const char *ext, struct fwd_step *st)
{
	struct fwd_ops o = ops_of(w, default_vm);

	fwd_chain_reset(ch);
	return fwd_arrive(&o, ch, ext, st);
}

static void test_plain_ring(void **state)
{
	struct world w = {0};
	struct fwd_chain ch;
	struct fwd_step st;

	(void)state;
	add_ext(&w, "1002", 1, 1)->ring_timeout = 25;
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_RING);
	assert_string_equal(st.ext, "1002");
	assert_int_equal(st.ring_s, 25);
	assert_string_equal(st.diverted_by, "");
	assert_null(st.reason);
	assert_int_equal(ch.hops, 0);
	/* a noanswer forward with its own time rings that long */
	set(&w, "1002", DB_FWD_NOANSWER, DB_FWD_VOICEMAIL, "1002", 12);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.ring_s, 12);
	/* without a time of its own: the ring timeout */
	set(&w, "1002", DB_FWD_NOANSWER, DB_FWD_VOICEMAIL, "1002", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.ring_s, 25);
	/* no such extension first: 404 for the caller */
	assert_int_equal(arrive(&w, 1, &ch, "1999", &st), -ENOENT);
}

static void test_always(void **state)
{
	struct world w = {0};
	struct fwd_chain ch;
	struct fwd_step st;

	(void)state;
	add_ext(&w, "1002", 1, 1);
	add_ext(&w, "1003", 1, 1)->ring_timeout = 20;
	add_ext(&w, "1004", 1, 1);
	set(&w, "1002", DB_FWD_ALWAYS, DB_FWD_EXT, "1003", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_RING);
	assert_string_equal(st.ext, "1003");
	assert_int_equal(st.ring_s, 20); /* the target's own ring time */
	assert_string_equal(st.diverted_by, "1002");
	assert_string_equal(st.reason, "unconditional");
	assert_int_equal(ch.hops, 1);
	/* a chain: 1002 -> 1003 -> 1004 */
	set(&w, "1003", DB_FWD_ALWAYS, DB_FWD_EXT, "1004", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_string_equal(st.ext, "1004");
	assert_string_equal(st.diverted_by, "1003");
	assert_int_equal(ch.hops, 2);
	assert_int_equal(ch.nseen, 3);
	assert_non_null(strstr(w.log, "1002 forwards (always) to 1003"));
	assert_int_equal(w.warns, 0);
	/* always wins over DND and over not being registered */
	find(&w, "1002")->fwd.dnd = 1;
	find(&w, "1002")->registered = 0;
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_string_equal(st.ext, "1004");
}

static void test_dnd(void **state)
{
	struct world w = {0};
	struct fwd_chain ch;
	struct fwd_step st;

	(void)state;
	add_ext(&w, "1002", 1, 1)->fwd.dnd = 1;
	add_ext(&w, "1003", 1, 1);
	/* direct call: the mailbox, busy greeting */
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	assert_string_equal(st.ext, "1002");
	assert_true(st.busy);
	/* an app's bridge: busy, the app says what */
	assert_int_equal(arrive(&w, 0, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_REFUSE);
	assert_int_equal(st.result, FWD_R_BUSY);
	/* mailbox off: 486 */
	find(&w, "1002")->vm_on = 0;
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_REFUSE);
	assert_int_equal(st.result, FWD_R_BUSY);
	/* with a busy forward: there, with DND as the reason */
	set(&w, "1002", DB_FWD_BUSY, DB_FWD_EXT, "1003", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_RING);
	assert_string_equal(st.ext, "1003");
	assert_string_equal(st.reason, "do-not-disturb");
	assert_non_null(strstr(w.log, "1002 is on do-not-disturb"));
	/* the target on DND too, with no forward: its own busy handling */
	find(&w, "1003")->fwd.dnd = 1;
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	assert_string_equal(st.ext, "1003");
	assert_true(st.busy);
}

static void test_unregistered(void **state)
{
	struct world w = {0};
	struct fwd_chain ch;
	struct fwd_step st;

	(void)state;
	add_ext(&w, "1005", 0, 1);
	add_ext(&w, "1003", 1, 1);
	assert_int_equal(arrive(&w, 1, &ch, "1005", &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	assert_false(st.busy);
	assert_int_equal(arrive(&w, 0, &ch, "1005", &st), 0);
	assert_int_equal(st.action, FWD_REFUSE);
	assert_int_equal(st.result, FWD_R_UNAVAIL);
	set(&w, "1005", DB_FWD_UNREG, DB_FWD_EXT, "1003", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1005", &st), 0);
	assert_int_equal(st.action, FWD_RING);
	assert_string_equal(st.ext, "1003");
	assert_string_equal(st.reason, "unavailable");
	/* registered again: its own phones ring */
	find(&w, "1005")->registered = 2;
	assert_int_equal(arrive(&w, 1, &ch, "1005", &st), 0);
	assert_string_equal(st.ext, "1005");
}

static void test_events(void **state)
{
	struct world w = {0};
	struct fwd_ops o = ops_of(&w, 1);
	struct fwd_chain ch;
	struct fwd_step st;

	(void)state;
	add_ext(&w, "1002", 1, 1);
	add_ext(&w, "1003", 1, 1);
	add_ext(&w, "1004", 1, 0);
	/* nothing set: the mailbox (busy or unavailable greeting) */
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(fwd_decide(&o, &ch, "1002", FWD_EV_BUSY, &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	assert_true(st.busy);
	assert_int_equal(fwd_decide(&o, &ch, "1002", FWD_EV_NOANSWER, &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	assert_false(st.busy);
	/* mailbox off: each its own result */
	o.default_vm = 0;
	assert_int_equal(fwd_decide(&o, &ch, "1002", FWD_EV_BUSY, &st), 0);
	assert_int_equal(st.result, FWD_R_BUSY);
	assert_int_equal(fwd_decide(&o, &ch, "1002", FWD_EV_NOANSWER, &st), 0);
	assert_int_equal(st.result, FWD_R_NOANSWER);
	assert_int_equal(fwd_decide(&o, &ch, "1002", FWD_EV_FAILED, &st), 0);
	assert_int_equal(st.result, FWD_R_UNAVAIL);
	o.default_vm = 1;
	/* busy and no-answer forwards; a failure uses the no-answer one */
	set(&w, "1002", DB_FWD_BUSY, DB_FWD_EXT, "1003", 0);
	set(&w, "1002", DB_FWD_NOANSWER, DB_FWD_EXT, "1004", 0);
	assert_int_equal(fwd_decide(&o, &ch, "1002", FWD_EV_BUSY, &st), 0);
	assert_string_equal(st.ext, "1003");
	assert_string_equal(st.reason, "user-busy");
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(fwd_decide(&o, &ch, "1002", FWD_EV_NOANSWER, &st), 0);
	assert_string_equal(st.ext, "1004");
	assert_string_equal(st.reason, "no-answer");
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(fwd_decide(&o, &ch, "1002", FWD_EV_FAILED, &st), 0);
	assert_string_equal(st.ext, "1004");
	assert_string_equal(st.reason, "unavailable");
	/* at 1004 (mailbox off), no answer, nothing set: 480 No Answer */
	assert_int_equal(fwd_decide(&o, &ch, "1004", FWD_EV_NOANSWER, &st), 0);
	assert_int_equal(st.action, FWD_REFUSE);
	assert_int_equal(st.result, FWD_R_NOANSWER);
}

static void test_targets(void **state)
{
	struct world w = {0};
	struct fwd_chain ch;
	struct fwd_step st;

	(void)state;
	add_ext(&w, "1002", 1, 1);
	add_ext(&w, "1003", 1, 1);
	add_route(&w, "600", 4, "echo", "", 0);
	add_route(&w, "0049301234", 9, "trunk", "carrier +49301234", 0);
	add_route(&w, "0099", 10, "trunk", "carrier +99", -EACCES);
	add_route(&w, "7003", 11, "dial", "1003", 0);
	add_route(&w, "*78", 12, "forward", "dnd,on", 0);
	/* to a mailbox (another's), busy greeting on a busy forward */
	set(&w, "1002", DB_FWD_ALWAYS, DB_FWD_VOICEMAIL, "1003", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	assert_string_equal(st.ext, "1003");
	assert_false(st.busy);
	find(&w, "1002")->fwd.t[DB_FWD_ALWAYS].type = DB_FWD_NONE;
	find(&w, "1002")->fwd.dnd = 1;
	set(&w, "1002", DB_FWD_BUSY, DB_FWD_VOICEMAIL, "1002", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	assert_true(st.busy);
	find(&w, "1002")->fwd.dnd = 0;
	/* to a number that is an extension: as to the extension */
	set(&w, "1002", DB_FWD_ALWAYS, DB_FWD_NUMBER, "1003", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_RING);
	assert_string_equal(st.ext, "1003");
	assert_string_equal(w.route_by, "1002");
	/* to a route: its app */
	set(&w, "1002", DB_FWD_ALWAYS, DB_FWD_NUMBER, "0049301234", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_ROUTE);
	assert_string_equal(st.app, "trunk");
	assert_string_equal(st.args, "carrier +49301234");
	assert_string_equal(st.diverted_by, "1002");
	/* a dial route to an extension is a route too (its app dials) */
	set(&w, "1002", DB_FWD_ALWAYS, DB_FWD_NUMBER, "7003", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_ROUTE);
	assert_string_equal(st.app, "dial");
	/* a number its class may not call, or that reaches nothing, or an
	 * extension deleted since: as if the forward were off, warned */
	set(&w, "1002", DB_FWD_ALWAYS, DB_FWD_NUMBER, "0099", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_RING);
	assert_string_equal(st.ext, "1002");
	assert_non_null(strstr(w.log, "its class of service may not call"));
	set(&w, "1002", DB_FWD_ALWAYS, DB_FWD_NUMBER, "5555", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_string_equal(st.ext, "1002");
	assert_non_null(strstr(w.log, "reaches nothing"));
	set(&w, "1002", DB_FWD_ALWAYS, DB_FWD_EXT, "1999", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_string_equal(st.ext, "1002");
	assert_string_equal(st.diverted_by, "");
	assert_non_null(strstr(w.log, "1999, which does not exist"));
	/* a feature code would change the caller's settings: never */
	set(&w, "1002", DB_FWD_ALWAYS, DB_FWD_NUMBER, "*78", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_string_equal(st.ext, "1002");
	assert_non_null(strstr(w.log, "*78, which is a feature code"));
	assert_int_equal(w.warns, 4);
}

static void test_loops(void **state)
{
	struct world w = {0};
	struct fwd_ops o = ops_of(&w, 1);
	struct fwd_chain ch;
	struct fwd_step st;

	(void)state;
	add_ext(&w, "1002", 1, 1);
	add_ext(&w, "1003", 1, 1);
	/* always: 1002 -> 1003 -> 1002, the first's mailbox */
	set(&w, "1002", DB_FWD_ALWAYS, DB_FWD_EXT, "1003", 0);
	set(&w, "1003", DB_FWD_ALWAYS, DB_FWD_EXT, "1002", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	assert_string_equal(st.ext, "1002");
	assert_non_null(strstr(w.log, "W forward loop (1002 -> 1003 -> 1002): "
				      "the call goes to the mailbox of 1002"));
	/* the same for an app's bridge: the mailbox is the loop's answer */
	assert_int_equal(arrive(&w, 0, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	/* called at 1003: its own loop, its own mailbox */
	assert_int_equal(arrive(&w, 1, &ch, "1003", &st), 0);
	assert_string_equal(st.ext, "1003");
	/* the first's mailbox off: busy */
	find(&w, "1002")->vm_on = 0;
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_REFUSE);
	assert_int_equal(st.result, FWD_R_BUSY);
	assert_non_null(strstr(w.log, "the caller gets busy"));
	find(&w, "1002")->vm_on = 1;
	/* busy: 1002 busy -> 1003 rings, 1003 busy -> back to 1002: stop */
	memset(&find(&w, "1002")->fwd, 0, sizeof(struct db_fwd));
	memset(&find(&w, "1003")->fwd, 0, sizeof(struct db_fwd));
	set(&w, "1002", DB_FWD_BUSY, DB_FWD_EXT, "1003", 0);
	set(&w, "1003", DB_FWD_BUSY, DB_FWD_EXT, "1002", 0);
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_string_equal(st.ext, "1002");
	assert_int_equal(fwd_decide(&o, &ch, "1002", FWD_EV_BUSY, &st), 0);
	assert_int_equal(st.action, FWD_RING);
	assert_string_equal(st.ext, "1003");
	assert_int_equal(fwd_decide(&o, &ch, "1003", FWD_EV_BUSY, &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	assert_string_equal(st.ext, "1002");
	/* an app a forward ran bridges back to an extension of the chain */
	assert_int_equal(arrive(&w, 1, &ch, "1002", &st), 0);
	assert_int_equal(fwd_arrive(&o, &ch, "1003", &st), 0);
	assert_int_equal(st.action, FWD_RING); /* new to the chain */
	assert_int_equal(fwd_arrive(&o, &ch, "1002", &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL); /* seen: a loop */
}

static void test_long_chain(void **state)
{
	struct world w = {0};
	struct fwd_chain ch;
	struct fwd_step st;
	char a[8], b[8];

	(void)state;
	/* 2001 -> 2002 -> ... -> 2007: five forwards go, the sixth stops */
	for (int i = 1; i <= 7; i++) {
		snprintf(a, sizeof(a), "200%d", i);
		add_ext(&w, a, 1, i == 1);
	}
	for (int i = 1; i <= 5; i++) {
		snprintf(a, sizeof(a), "200%d", i);
		snprintf(b, sizeof(b), "200%d", i + 1);
		set(&w, a, DB_FWD_ALWAYS, DB_FWD_EXT, b, 0);
	}
	assert_int_equal(arrive(&w, 1, &ch, "2001", &st), 0);
	assert_int_equal(st.action, FWD_RING);
	assert_string_equal(st.ext, "2006");
	assert_int_equal(ch.hops, FWD_MAX_HOPS);
	set(&w, "2006", DB_FWD_ALWAYS, DB_FWD_EXT, "2007", 0);
	assert_int_equal(arrive(&w, 1, &ch, "2001", &st), 0);
	assert_int_equal(st.action, FWD_VOICEMAIL);
	assert_string_equal(st.ext, "2001");
	assert_non_null(strstr(w.log,
			       "W more than 5 forwards (2001 -> 2002 -> 2003 "
			       "-> 2004 -> 2005 -> 2006, then 2007)"));
	/* a chain full of extensions an app bridged to stops too */
	assert_int_equal(arrive(&w, 1, &ch, "2007", &st), 0);
	for (int i = 0; i < 10 && st.action == FWD_RING; i++) {
		struct fwd_ops o = ops_of(&w, 1);
		snprintf(a, sizeof(a), "200%d", 6 - i);
		if (fwd_arrive(&o, &ch, a, &st))
			break;
	}
	assert_int_not_equal(st.action, FWD_ROUTE);
}

/* ---- the stored side ---- */

struct fix {
	struct tmpdb tmp;
	struct db *db;
	struct db_tenant t;
};

static int setup(void **state)
{
	static struct fix f;
	const char *const nums[] = {"1001", "1002", "1003"};

	memset(&f, 0, sizeof(f));
	if (tmpdb_open(&f.tmp, "fwd", &f.db) ||
	    db_tenant_add(f.db, "acme", "acme.test", NULL) ||
	    db_tenant_by_domain(f.db, "acme.test", &f.t))
		return -1;
	for (size_t i = 0; i < 3; i++)
		if (db_ext_add(f.db, f.t.id, nums[i], "", "pw-fwd-unit-1",
			       NULL))
			return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	tmpdb_close(&f->tmp, f->db);
	return 0;
}

static void test_words(void **state)
{
	(void)state;
	assert_int_equal(db_fwd_kind_parse("always"), DB_FWD_ALWAYS);
	assert_int_equal(db_fwd_kind_parse("unregistered"), DB_FWD_UNREG);
	assert_int_equal(db_fwd_kind_parse("unreg"), -EINVAL);
	assert_int_equal(db_fwd_kind_parse(NULL), -EINVAL);
	assert_string_equal(db_fwd_kind_name(DB_FWD_NOANSWER), "noanswer");
	assert_int_equal(db_fwd_type_parse("voicemail"), DB_FWD_VOICEMAIL);
	assert_int_equal(db_fwd_type_parse("none"), -EINVAL);
	assert_null(db_fwd_type_name(DB_FWD_NONE));
}

static void test_store(void **state)
{
	struct fix *f = *state;
	struct db_fwd_target t = {.type = DB_FWD_EXT, .dest = "1003"};
	struct db_fwd got;

	assert_int_equal(db_fwd_get(f->db, f->t.id, "1002", &got), 0);
	assert_int_equal(got.dnd, 0);
	for (int k = 0; k < DB_FWD_NKINDS; k++)
		assert_int_equal(got.t[k].type, DB_FWD_NONE);
	assert_int_equal(db_fwd_set(f->db, f->t.id, "1002", DB_FWD_BUSY, &t),
			 0);
	t.type = DB_FWD_VOICEMAIL;
	snprintf(t.dest, sizeof(t.dest), "1002");
	t.after_s = 15;
	assert_int_equal(
	    db_fwd_set(f->db, f->t.id, "1002", DB_FWD_NOANSWER, &t), 0);
	assert_int_equal(db_ext_set_dnd(f->db, f->t.id, "1002", 1), 0);
	assert_int_equal(db_fwd_get(f->db, f->t.id, "1002", &got), 0);
	assert_int_equal(got.dnd, 1);
	assert_int_equal(got.t[DB_FWD_BUSY].type, DB_FWD_EXT);
	assert_string_equal(got.t[DB_FWD_BUSY].dest, "1003");
	assert_int_equal(got.t[DB_FWD_NOANSWER].type, DB_FWD_VOICEMAIL);
	assert_int_equal(got.t[DB_FWD_NOANSWER].after_s, 15);
	assert_int_equal(got.t[DB_FWD_ALWAYS].type, DB_FWD_NONE);
	/* set again replaces; off removes */
	t.type = DB_FWD_NUMBER;
	snprintf(t.dest, sizeof(t.dest), "*97");
	t.after_s = 0;
	assert_int_equal(db_fwd_set(f->db, f->t.id, "1002", DB_FWD_BUSY, &t),
			 0);
	assert_int_equal(
	    db_fwd_set(f->db, f->t.id, "1002", DB_FWD_NOANSWER, NULL), 0);
	assert_int_equal(db_fwd_get(f->db, f->t.id, "1002", &got), 0);
	assert_int_equal(got.t[DB_FWD_BUSY].type, DB_FWD_NUMBER);
	assert_string_equal(got.t[DB_FWD_BUSY].dest, "*97");
	assert_int_equal(got.t[DB_FWD_NOANSWER].type, DB_FWD_NONE);
	/* the shape is checked: an after on busy, an undialable dest */
	t.after_s = 10;
	assert_int_equal(db_fwd_set(f->db, f->t.id, "1002", DB_FWD_BUSY, &t),
			 -EINVAL);
	t.after_s = 0;
	snprintf(t.dest, sizeof(t.dest), "10 02");
	assert_int_equal(db_fwd_set(f->db, f->t.id, "1002", DB_FWD_BUSY, &t),
			 -EINVAL);
	/* no such extension */
	assert_int_equal(db_fwd_get(f->db, f->t.id, "1999", &got), -ENOENT);
	assert_int_equal(db_fwd_set(f->db, f->t.id, "1999", DB_FWD_BUSY, NULL),
			 -ENOENT);
	assert_int_equal(db_ext_set_dnd(f->db, f->t.id, "1999", 1), -ENOENT);
	/* deleting the extension deletes its forwards */
	assert_int_equal(db_ext_del(f->db, f->t.id, "1002"), 0);
	assert_int_equal(
	    db_ext_add(f->db, f->t.id, "1002", "", "pw-fwd-unit-1", NULL), 0);
	assert_int_equal(db_fwd_get(f->db, f->t.id, "1002", &got), 0);
	assert_int_equal(got.dnd, 0);
	assert_int_equal(got.t[DB_FWD_BUSY].type, DB_FWD_NONE);
}

static void test_parse_check(void **state)
{
	struct fix *f = *state;
	struct db_fwd_target t;
	char why[200], text[96];
	struct db_route r = {0};

	assert_int_equal(fwd_target_parse(f->db, f->t.id, "1001", "1003", &t),
			 0);
	assert_int_equal(t.type, DB_FWD_EXT);
	assert_int_equal(fwd_target_parse(f->db, f->t.id, "1001", "600", &t),
			 0);
	assert_int_equal(t.type, DB_FWD_NUMBER);
	assert_int_equal(
	    fwd_target_parse(f->db, f->t.id, "1001", "voicemail", &t), 0);
	assert_int_equal(t.type, DB_FWD_VOICEMAIL);
	assert_string_equal(t.dest, "1001");
	assert_int_equal(
	    fwd_target_parse(f->db, f->t.id, "1001", "voicemail:1003", &t), 0);
	assert_string_equal(t.dest, "1003");
	assert_int_equal(
	    fwd_target_parse(f->db, f->t.id, "1001", "number:1003", &t), 0);
	assert_int_equal(t.type, DB_FWD_NUMBER);
	assert_int_equal(
	    fwd_target_parse(f->db, f->t.id, "1001", "extension:", &t),
	    -EINVAL);
	assert_int_equal(fwd_target_parse(f->db, f->t.id, "1001", "a b", &t),
			 -EINVAL);

	/* checks */
	t = (struct db_fwd_target){.type = DB_FWD_EXT, .dest = "1003"};
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_BUSY, &t,
					  why, sizeof(why)),
			 0);
	snprintf(t.dest, sizeof(t.dest), "1001");
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_BUSY, &t,
					  why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "1001 cannot be forwarded to itself");
	snprintf(t.dest, sizeof(t.dest), "1999");
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_BUSY, &t,
					  why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "no extension 1999 in acme.test");
	t = (struct db_fwd_target){.type = DB_FWD_VOICEMAIL, .dest = "1999"};
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_BUSY, &t,
					  why, sizeof(why)),
			 -EINVAL);
	t = (struct db_fwd_target){.type = DB_FWD_VOICEMAIL, .dest = "1001"};
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_BUSY, &t,
					  why, sizeof(why)),
			 0);
	/* numbers: through the dialplan, with the owner's class */
	t = (struct db_fwd_target){.type = DB_FWD_NUMBER, .dest = "600"};
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_ALWAYS,
					  &t, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "number 600 reaches no route or extension of "
				 "acme.test");
	r.tenant_id = f->t.id;
	r.priority = 100;
	snprintf(r.pattern, sizeof(r.pattern), "600");
	snprintf(r.app, sizeof(r.app), "echo");
	assert_int_equal(db_route_add(f->db, &r, NULL), 0);
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_ALWAYS,
					  &t, why, sizeof(why)),
			 0);
	snprintf(t.dest, sizeof(t.dest), "1001");
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_ALWAYS,
					  &t, why, sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "1001 cannot be forwarded to itself");
	/* the forwarding codes are refused as targets */
	snprintf(t.dest, sizeof(t.dest), "*78");
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_ALWAYS,
					  &t, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "forwarding feature code"));
	/* after: noanswer only, 5..600 */
	t = (struct db_fwd_target){
	    .type = DB_FWD_EXT, .dest = "1003", .after_s = 20};
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_NOANSWER,
					  &t, why, sizeof(why)),
			 0);
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_BUSY, &t,
					  why, sizeof(why)),
			 -EINVAL);
	t.after_s = 3;
	assert_int_equal(fwd_target_check(f->db, &f->t, "1001", DB_FWD_NOANSWER,
					  &t, why, sizeof(why)),
			 -EINVAL);
	t.after_s = 20;
	fwd_target_text(&t, text, sizeof(text));
	assert_string_equal(text, "extension 1003 after 20 s");
	t = (struct db_fwd_target){.type = DB_FWD_VOICEMAIL, .dest = "1001"};
	fwd_target_text(&t, text, sizeof(text));
	assert_string_equal(text, "voicemail of 1001");
	t.type = DB_FWD_NONE;
	fwd_target_text(&t, text, sizeof(text));
	assert_string_equal(text, "off");
}

static int code_h(const struct db_route *r, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	if (!strcmp(r->app, "forward") || !strcmp(r->app, "mailbox"))
		snprintf(out + n, 1024 - n, "%s=%s ", r->pattern, r->args);
	return 0;
}

static void test_codes(void **state)
{
	struct fix *f = *state;
	struct dp_result res;
	char codes[1024] = "";

	/* a new tenant gets the codes after *97 and *98 */
	assert_int_equal(db_route_list(f->db, f->t.id, code_h, codes), 0);
	assert_string_equal(
	    codes, "*97= *98=any *72=always _*72.=always,${1} *73=always,off "
		   "*90=busy _*90.=busy,${1} *91=busy,off *52=noanswer "
		   "_*52.=noanswer,${1} *53=noanswer,off *54=unregistered "
		   "_*54.=unregistered,${1} *55=unregistered,off *78=dnd,on "
		   "*79=dnd,off ");
	/* *721003 dialled: the forward app with the number */
	assert_int_equal(dp_lookup(f->db, &f->t, "*721003", "1001", &res), 0);
	assert_string_equal(res.app, "forward");
	assert_string_equal(res.args, "always,1003");
	assert_int_equal(dp_lookup(f->db, &f->t, "*72", "1001", &res), 0);
	assert_string_equal(res.args, "always");
}

int main(void)
{
	const struct CMUnitTest pure[] = {
	    cmocka_unit_test(test_plain_ring),
	    cmocka_unit_test(test_always),
	    cmocka_unit_test(test_dnd),
	    cmocka_unit_test(test_unregistered),
	    cmocka_unit_test(test_events),
	    cmocka_unit_test(test_targets),
	    cmocka_unit_test(test_loops),
	    cmocka_unit_test(test_long_chain),
	    cmocka_unit_test(test_words),
	};
	const struct CMUnitTest stored[] = {
	    cmocka_unit_test_setup_teardown(test_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_parse_check, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_codes, setup, teardown),
	};
	int fails =
	    cmocka_run_group_tests_name("fwd decision", pure, NULL, NULL);

	return fails +
	       cmocka_run_group_tests_name("fwd storage", stored, NULL, NULL);
}
