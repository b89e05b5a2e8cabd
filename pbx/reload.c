/* reload.c - the config file read again while the daemon runs (reload.h).
 *
 * Live: what the SIP thread alone reads ([log] level, [sip]
 * default_tenant, [security]), written here on that thread. Everything
 * else is held by a socket, a thread or a file opened at the start
 * (listeners, the RTP ports and workers, the database, the spool, the
 * web panel, the email thread's copy of [smtp]): a change there is
 * reported and waits for the next start rather than dropping calls. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "reload.h"
#include "core/log.h"
#include "sip/sip.h"

static const char *const level_names[] = {"error", "warn", "info", "debug"};

/* A setting that only a restart applies: reported if it changed. */
struct fixed {
	const char *name;
	size_t off, len;
};

#define FIXED(name, field)                                                     \
	{name, offsetof(struct conf, field), sizeof(((struct conf *)0)->field)}

static const struct fixed fixed[] = {
    FIXED("[sip] listen", sip_listen),	   FIXED("[sip] public_ip", sip_public),
    FIXED("[rtp] ports", rtp_min),	   FIXED("[rtp] ports", rtp_max),
    FIXED("[rtp] workers", media_workers), FIXED("[db] path", db_path),
    FIXED("[spool] dir", spool_dir),	   FIXED("[sounds] dir", sounds_dir),
    FIXED("[ctl] socket", ctl_socket),	   FIXED("[http] listen", http_listen),
    FIXED("[http] web_dir", web_dir),	   FIXED("[http] cert", http_cert),
    FIXED("[http] key", http_key),	   FIXED("[smtp]", smtp),
};

static int changed(const struct conf *a, const struct conf *b,
		   const struct fixed *f)
{
	return memcmp((const char *)a + f->off, (const char *)b + f->off,
		      f->len) != 0;
}

static void report_fixed(const struct conf *live, const struct conf *n,
			 FILE *out)
{
	const char *last = "";

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (!changed(live, n, &fixed[i]) ||
		    !strcmp(last, fixed[i].name))
			continue;
		last = fixed[i].name;
		fprintf(out, "%s: changed; takes effect at the next start\n",
			last);
		LOGW("main", "reload: %s changed; takes effect at the next "
			     "start",
		     last);
	}
}

static void report_int(FILE *out, const char *name, int old, int now)
{
	if (old == now)
		return;
	fprintf(out, "%s: %d -> %d\n", name, old, now);
	LOGI("main", "reload: %s: %d -> %d", name, old, now);
}

/* The live settings, copied into *live; 1 if [security] changed. */
static int apply_live(struct conf *live, const struct conf *n, FILE *out)
{
	int sec;

	if (live->log_level != n->log_level) {
		enum log_level old = live->log_level;

		/* Set first: the line below shows at the new level. */
		live->log_level = n->log_level;
		log_set_level(n->log_level);
		fprintf(out, "[log] level: %s -> %s\n", level_names[old],
			level_names[n->log_level]);
		LOGI("main", "reload: [log] level: %s -> %s", level_names[old],
		     level_names[n->log_level]);
	}
	if (strcmp(live->default_tenant, n->default_tenant)) {
		fprintf(out, "[sip] default_tenant: %s -> %s\n",
			live->default_tenant, n->default_tenant);
		LOGI("main", "reload: [sip] default_tenant: %s -> %s",
		     live->default_tenant, n->default_tenant);
		memcpy(live->default_tenant, n->default_tenant,
		       sizeof(live->default_tenant));
	}
	report_int(out, "[security] fail_max", live->fail_max, n->fail_max);
	report_int(out, "[security] fail_window", live->fail_window,
		   n->fail_window);
	report_int(out, "[security] ban_time", live->ban_time, n->ban_time);
	report_int(out, "[security] req_rate", live->req_rate, n->req_rate);
	report_int(out, "[security] invite_rate", live->invite_rate,
		   n->invite_rate);
	sec = live->fail_max != n->fail_max ||
	      live->fail_window != n->fail_window ||
	      live->ban_time != n->ban_time || live->req_rate != n->req_rate ||
	      live->invite_rate != n->invite_rate;
	live->fail_max = n->fail_max;
	live->fail_window = n->fail_window;
	live->ban_time = n->ban_time;
	live->req_rate = n->req_rate;
	live->invite_rate = n->invite_rate;
	return sec;
}

int app_reload(struct conf *live, const char *path, struct sip *sip,
	       FILE *out)
{
	struct conf n;
	char err[512];
	int e;

	if (!path) {
		fprintf(out, "no config file (embedded defaults): trunks "
			     "re-read only\n");
		return sip_trunks_reload(sip);
	}
	conf_init(&n);
	if (conf_load(&n, path, err, sizeof(err))) {
		fprintf(out, "%s; nothing changed\n", err);
		LOGW("main", "reload refused: %s; nothing changed", err);
		return -EINVAL;
	}
	report_fixed(live, &n, out);
	if (apply_live(live, &n, out) && (e = sip_security_changed(sip))) {
		fprintf(out, "[security]: cannot apply (%s); the old limits "
			     "stay\n",
			strerror(-e));
		LOGE("main", "reload: [security] not applied: %s",
		     strerror(-e));
	}
	e = sip_trunks_reload(sip);
	if (e)
		fprintf(out, "trunks: cannot re-read them: %s\n", strerror(-e));
	fprintf(out, "reloaded %s\n", path);
	LOGI("main", "reloaded %s", path);
	return 0;
}
