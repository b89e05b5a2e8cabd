/* mailbox_msgs.c - listening to a folder: each message in turn, oldest
 * first, and the message menu (previous, repeat, next, delete, save,
 * envelope, call back). A new message that was played is heard: it moves
 * to the saved folder, and the lamps follow. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apps/mailbox.h"
#include "core/log.h"
#include "core/tz.h"
#include "db_timecond.h"
#include "dialplan/dialplan.h"
#include "vm/vm_store.h"

#define MSG_KEYS "3456789#*"

struct list_ctx {
	struct db_vm_msg *v;
	int n, cap;
};

static int list_h(const struct db_vm_msg *msg, void *arg)
{
	struct list_ctx *l = arg;

	if (msg->missing)
		return 0; /* listed for admins, nothing to play */
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 16;
		struct db_vm_msg *v = realloc(l->v, (size_t)cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *msg;
	return 0;
}

/* The folder's messages, oldest first, into m->msgs (owned by m). */
static int load(struct mbx *m, const char *folder)
{
	struct list_ctx l = {0};
	int err = vm_msg_list(m->db, m->t.id, m->ext, folder, list_h, &l);

	if (err) {
		free(l.v);
		return err;
	}
	for (int i = 0; i < l.n / 2; i++) { /* listed newest first */
		struct db_vm_msg t = l.v[i];
		l.v[i] = l.v[l.n - 1 - i];
		l.v[l.n - 1 - i] = t;
	}
	free(m->msgs);
	m->msgs = l.v;
	m->n = l.n;
	m->cur = 0;
	m->folder = folder;
	return 0;
}

static void lamps(struct mbx *m)
{
	chan_mwi_changed(m->c, m->ext);
}

/* "message 3", then the message; a key of the menu stops it. */
static int play_current(struct mbx *m, char *pressed)
{
	struct db_vm_msg *msg = &m->msgs[m->cur];
	char path[PATH_MAX];
	int r;

	m->play = 0;
	r = chan_play(m->c, "vm_message", NULL, NULL);
	if (!r)
		r = chan_say_number(m->c, m->cur + 1);
	if (r)
		return r;
	if (vm_msg_file(m->db, chan_spool_dir(m->c), m->t.id, m->ext, msg->id,
			path, sizeof(path)))
		return chan_play(m->c, "cannot_complete", NULL, NULL);
	r = chan_play(m->c, path, MSG_KEYS, pressed);
	if (r || strcmp(msg->folder, "new"))
		return r;
	/* Heard (to the end, or until the listener moved on). */
	if (vm_msg_mark_heard(m->db, chan_spool_dir(m->c), m->t.id, m->ext,
			      msg->id) == 0) {
		snprintf(msg->folder, sizeof(msg->folder), "saved");
		lamps(m);
	}
	return 0;
}

static int msg_intro(struct mbx *m, char *pressed)
{
	return m->play && m->cur < m->n ? play_current(m, pressed) : 0;
}

static enum mbx_next go_to(struct mbx *m, int i, const char *edge, int *r)
{
	if (i < 0 || i >= m->n) {
		*r = chan_play(m->c, edge, NULL, NULL);
		return MBX_STAY;
	}
	m->cur = i;
	m->play = 1;
	*r = 0;
	return MBX_STAY;
}

static enum mbx_next msg_prev(struct mbx *m, int *r)
{
	return go_to(m, m->cur - 1, "vm_first", r);
}

static enum mbx_next msg_next(struct mbx *m, int *r)
{
	return go_to(m, m->cur + 1, "vm_no_more", r);
}

static enum mbx_next msg_repeat(struct mbx *m, int *r)
{
	return go_to(m, m->cur, "vm_no_more", r);
}

static enum mbx_next msg_delete(struct mbx *m, int *r)
{
	struct db_vm_msg *msg = &m->msgs[m->cur];
	int err = vm_msg_delete(m->db, chan_spool_dir(m->c), m->t.id, m->ext,
				msg->id);

	if (err && err != -ENOENT) {
		LOGC(LOGL_ERROR, "vm", m->t.domain, chan_call_id(m->c),
		     "deleting message %lld of %s: %s", (long long)msg->id,
		     m->ext, strerror(-err));
		*r = chan_play(m->c, "cannot_complete", NULL, NULL);
		return MBX_STAY;
	}
	memmove(msg, msg + 1, (size_t)(m->n - m->cur - 1) * sizeof(*msg));
	m->n--;
	lamps(m);
	*r = chan_play(m->c, "vm_deleted", NULL, NULL);
	if (*r || m->cur < m->n) {
		m->play = !*r;
		return MBX_STAY;
	}
	*r = chan_play(m->c, "vm_no_more", NULL, NULL);
	return MBX_BACK;
}

/* Saving keeps the message in the saved folder (played ones are there
 * already) and goes on to the next. */
static enum mbx_next msg_save(struct mbx *m, int *r)
{
	struct db_vm_msg *msg = &m->msgs[m->cur];

	if (!strcmp(msg->folder, "new") &&
	    vm_msg_mark_heard(m->db, chan_spool_dir(m->c), m->t.id, m->ext,
			      msg->id) == 0) {
		snprintf(msg->folder, sizeof(msg->folder), "saved");
		lamps(m);
	}
	*r = chan_play(m->c, "vm_saved_ok", NULL, NULL);
	if (*r)
		return MBX_STAY;
	return msg_next(m, r);
}

/* "at 9 oh 5 a m", "at 12 o'clock p m" */
static int say_time(struct chan *c, const struct tm *tm)
{
	int h = tm->tm_hour % 12 ? tm->tm_hour % 12 : 12;
	int r = chan_play(c, "vm_at", NULL, NULL);

	if (!r)
		r = chan_say_number(c, h);
	if (!r && tm->tm_min == 0)
		r = chan_play(c, "time_oclock", NULL, NULL);
	else if (!r && tm->tm_min < 10)
		r = chan_play(c, "time_oh", NULL, NULL);
	if (!r && tm->tm_min)
		r = chan_say_number(c, tm->tm_min);
	if (!r)
		r = chan_play(c, tm->tm_hour < 12 ? "time_am" : "time_pm", NULL,
			      NULL);
	return r;
}

/* "message from 1 0 0 1, received november 24 at 10 oh 5 a m", in the
 * tenant's time zone. */
static enum mbx_next msg_envelope(struct mbx *m, int *r)
{
	const struct db_vm_msg *msg = &m->msgs[m->cur];
	char tz[DB_TZ_LEN], month[24];
	struct tm tm;

	*r = chan_play(m->c, "vm_from", NULL, NULL);
	if (!*r && (*msg->caller && strcmp(msg->caller, "unknown")))
		*r = chan_say_digits(m->c, msg->caller);
	else if (!*r)
		*r = chan_play(m->c, "vm_unknown_caller", NULL, NULL);
	if (*r)
		return MBX_STAY;
	if (db_tenant_timezone(m->db, m->t.id, tz) ||
	    tz_local(tz, (time_t)msg->received_at, &tm))
		return MBX_STAY;
	snprintf(month, sizeof(month), "month_%d", tm.tm_mon + 1);
	*r = chan_play(m->c, "vm_received", NULL, NULL);
	if (!*r)
		*r = chan_play(m->c, month, NULL, NULL);
	if (!*r)
		*r = chan_say_number(m->c, tm.tm_mday);
	if (!*r)
		*r = say_time(m->c, &tm);
	return MBX_STAY;
}

/* Calls the message's caller back, as if the mailbox's owner dialled the
 * number: its routes, trunks and class of service (a caller ID from a
 * trunk is whatever the far end put there, so the owner's class must
 * hold as if they dialled it). When that call ends
 * the listener's call ends too; one that cannot be made is said and the
 * menu goes on. */
static enum mbx_next msg_call_back(struct mbx *m, int *r)
{
	const struct db_vm_msg *msg = &m->msgs[m->cur];
	const struct app *app;
	struct dp_result res;

	if (!*msg->caller ||
	    dp_lookup(m->db, &m->t, msg->caller, m->ext, &res) ||
	    !dp_cos_allows(m->db, &m->t, m->ext, -1, &res, msg->caller) ||
	    !(app = app_find(res.app))) {
		*r = chan_play(m->c, "cannot_complete", NULL, NULL);
		return MBX_STAY;
	}
	LOGC(LOGL_INFO, "vm", m->t.domain, chan_call_id(m->c),
	     "mailbox %s calls back %s", m->ext, msg->caller);
	*r = chan_play(m->c, "transferring", NULL, NULL);
	if (!*r)
		*r = app->run(m->c, res.args);
	if (*r == 0 || *r == -ECONNRESET)
		return MBX_END;
	*r = chan_play(m->c, *r == -EBUSY ? "busy" : "cannot_complete", NULL,
		       NULL);
	return MBX_STAY;
}

static enum mbx_next msg_help(struct mbx *m, int *r)
{
	(void)m;
	*r = 0;
	return MBX_STAY;
}

static enum mbx_next msg_back(struct mbx *m, int *r)
{
	(void)m;
	*r = 0;
	return MBX_BACK;
}

static const struct mbx_key msg_keys[] = {
    {'4', msg_prev},   {'5', msg_repeat},   {'6', msg_next},
    {'7', msg_delete}, {'9', msg_save},	    {'3', msg_envelope},
    {'8', msg_call_back}, {'*', msg_help}, {'#', msg_back},
    {0, NULL}};

static const struct mbx_menu msg_menu = {
    .prompt = "vm_msg_menu", .intro = msg_intro, .keys = msg_keys};

enum mbx_next mbx_folder(struct mbx *m, const char *folder, int *r)
{
	int end;

	*r = load(m, folder);
	if (*r)
		return MBX_END;
	if (!m->n) {
		*r = mbx_say_count(m, 0, !strcmp(folder, "new") ? "vm_new"
								  : "vm_saved",
				   0);
		return MBX_STAY;
	}
	m->play = 1;
	end = mbx_menu_run(m, &msg_menu);
	if (end < 0)
		*r = end;
	return end ? MBX_END : MBX_STAY;
}
