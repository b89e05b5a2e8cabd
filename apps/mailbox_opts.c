/* mailbox_opts.c - the options menu: record the unavailable and busy
 * greetings and the name, set or remove the temporary greeting, change
 * the PIN. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "apps/mailbox.h"
#include "core/log.h"
#include "vm/vm_store.h"

#define GREETING_MAX_MS 60000
#define GREETING_SILENCE_MS 5000
#define PIN_WAIT_MS 8000

/* Records greeting g after the tone; the old one stays unless the new one
 * holds at least a second of audio. */
static enum mbx_next record(struct mbx *m, enum vm_greeting g, int *r)
{
	const char *spool = chan_spool_dir(m->c);
	char rec[PATH_MAX], pressed = 0;
	int ms = 0, err;

	err = vm_greeting_rec_path(rec, sizeof(rec), spool, m->t.domain,
				   m->ext, g);
	if (err) {
		*r = chan_play(m->c, "cannot_complete", NULL, NULL);
		return MBX_STAY;
	}
	*r = chan_play(m->c, "vm_record_after_tone", NULL, NULL);
	if (!*r)
		*r = chan_play_tone(m->c, "beep", 400);
	if (!*r)
		*r = chan_record(m->c, rec, GREETING_MAX_MS,
				 GREETING_SILENCE_MS, "#", &pressed, &ms);
	if (*r) /* hung up: a greeting cut short is not put in place */
		return MBX_END;
	err = vm_greeting_install(rec, spool, m->t.domain, m->ext, g);
	if (err) {
		*r = chan_play(m->c, err == -ENODATA ? "vm_nothing_recorded"
						     : "cannot_complete",
			       NULL, NULL);
		return MBX_STAY;
	}
	LOGC(LOGL_INFO, "vm", m->t.domain, chan_call_id(m->c),
	     "mailbox %s: %s greeting recorded (%d ms)", m->ext,
	     vm_greeting_name(g), ms);
	*r = chan_play(m->c, "vm_greeting_saved", NULL, NULL);
	return MBX_STAY;
}

static enum mbx_next opt_unavail(struct mbx *m, int *r)
{
	return record(m, VM_GREET_UNAVAIL, r);
}

static enum mbx_next opt_busy(struct mbx *m, int *r)
{
	return record(m, VM_GREET_BUSY, r);
}

static enum mbx_next opt_name(struct mbx *m, int *r)
{
	return record(m, VM_GREET_NAME, r);
}

/* The temporary greeting overrides the other two while it is there: when
 * set, the caller may replace or remove it. */
static enum mbx_next opt_temp(struct mbx *m, int *r)
{
	const char *spool = chan_spool_dir(m->c);
	char d[2] = {0};

	if (!vm_greeting_exists(spool, m->t.domain, m->ext, VM_GREET_TEMP))
		return record(m, VM_GREET_TEMP, r);
	*r = chan_play(m->c, "vm_temp_menu", "12", d);
	if (!*r && !*d)
		*r = chan_read_digits(m->c, d, sizeof(d), 1, PIN_WAIT_MS, 0);
	if (*r == -ETIMEDOUT)
		*r = 0;
	if (*r || (*d != '1' && *d != '2'))
		return MBX_STAY;
	if (*d == '1')
		return record(m, VM_GREET_TEMP, r);
	vm_greeting_delete(spool, m->t.domain, m->ext, VM_GREET_TEMP);
	*r = chan_play(m->c, "vm_temp_removed", NULL, NULL);
	return MBX_STAY;
}

static int read_pin(struct mbx *m, const char *prompt, char *pin, size_t len)
{
	int r = chan_play(m->c, prompt, NULL, NULL);

	if (!r)
		r = chan_read_digits(m->c, pin, len, (int)len - 1, PIN_WAIT_MS,
				     '#');
	if (r == -ETIMEDOUT) {
		*pin = '\0';
		r = 0;
	}
	return r;
}

static enum mbx_next opt_pin(struct mbx *m, int *r)
{
	char pin[VM_PIN_MAX_LEN + 2], again[VM_PIN_MAX_LEN + 2], why[128];
	int err;

	*r = read_pin(m, "vm_new_pin", pin, sizeof(pin));
	if (!*r)
		*r = read_pin(m, "vm_repeat_pin", again, sizeof(again));
	if (*r)
		return MBX_END;
	if (strcmp(pin, again)) {
		*r = chan_play(m->c, "vm_pin_mismatch", NULL, NULL);
		return MBX_STAY;
	}
	err = vm_box_set_pin(m->db, m->t.id, m->ext, pin, why, sizeof(why));
	if (err) {
		*r = chan_play(m->c, err == -EINVAL ? "vm_pin_weak"
						    : "cannot_complete",
			       NULL, NULL);
		return MBX_STAY;
	}
	LOGC(LOGL_INFO, "vm", m->t.domain, chan_call_id(m->c),
	     "mailbox %s: PIN changed by phone", m->ext);
	*r = chan_play(m->c, "vm_pin_changed", NULL, NULL);
	return MBX_STAY;
}

static enum mbx_next opt_back(struct mbx *m, int *r)
{
	(void)m;
	*r = 0;
	return MBX_BACK;
}

static const struct mbx_key opt_keys[] = {
    {'1', opt_unavail}, {'2', opt_busy}, {'3', opt_name}, {'4', opt_temp},
    {'5', opt_pin},	{'*', opt_back}, {'#', opt_back}, {0, NULL}};

static const struct mbx_menu opt_menu = {
    .prompt = "vm_options_menu", .intro = NULL, .keys = opt_keys};

enum mbx_next mbx_options(struct mbx *m, int *r)
{
	int end = mbx_menu_run(m, &opt_menu);

	*r = end < 0 ? end : 0;
	return end ? MBX_END : MBX_STAY;
}
