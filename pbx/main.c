/* main.c - start-up, configuration, signals and the SIP thread's loop. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>

#include <sofia-sip/su_config.h>
#include <sofia-sip/su_wait.h>

#include "conf/conf.h"
#include "core/ctl.h"
#include "web/web.h"
#include "core/fdlimit.h"
#include "status.h"
#include "core/fsutil.h"
#include "core/dbq.h"
#include "core/log.h"
#include "core/netaddr.h"
#include "media/media.h"
#include "sip/sip.h"
#include "room/room.h"
#include "room/room_ctl.h"
#include "vm/vm_mail.h"
#include "vm/vm_store.h"
#include "demo.h"
#include "reload.h"

struct app {
	struct conf conf;
	const char *conf_path; /* -c FILE (argv's), NULL: embedded defaults */
	su_root_t *root;
	struct sip *sip;
	struct media *media;
	struct rooms *rooms;
	struct dbq *dbq;
	struct ctl *ctl;
	struct web *web;
	struct vm_mail *mail; /* NULL with email off */
	int sigfd;
	int sig_reg; /* su_root registration of sigfd, or -1 */
	int stopping;
	time_t started;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ondo [-c FILE] [-v]\n"
		   "  -c FILE  configuration file (INI); without it ondo runs "
		   "on the embedded\n"
		   "           defaults under ./ondo-data and creates a demo "
		   "tenant on first start\n"
		   "  -v       print the version and exit\n");
}

static void stopped_h(void *arg)
{
	struct app *a = arg;

	su_root_break(a->root);
}

static int signal_h(void *magic, su_wait_t *w, void *arg)
{
	struct app *a = arg;
	struct signalfd_siginfo si;

	if (read(a->sigfd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (a->stopping)
		return 0;
	if (si.ssi_signo == SIGHUP) {
		/* As `ondoctl reload`; what changed goes to the log. */
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);

		LOGI("main", "signal %d: reloading the configuration",
		     (int)si.ssi_signo);
		if (out) {
			app_reload(&a->conf, a->conf_path, a->sip, out);
			fclose(out);
		}
		free(buf);
		return 0;
	}
	a->stopping = 1;
	LOGI("main", "signal %d: ending calls and shutting down",
	     (int)si.ssi_signo);
	sip_shutdown(a->sip, stopped_h, a);
	return 0;
}

static int ctl_reload_h(void *arg, const char *args, FILE *out)
{
	struct app *a = arg;

	return app_reload(&a->conf, a->conf_path, a->sip, out);
}

static int ctl_calls_h(void *arg, const char *args, FILE *out)
{
	return sip_calls_print(arg, out);
}

static int ctl_parked_h(void *arg, const char *args, FILE *out)
{
	return sip_parked_print(arg, out);
}

static int ctl_regs_h(void *arg, const char *args, FILE *out)
{
	return sip_regs_print(arg, out);
}

static int ctl_trunks_h(void *arg, const char *args, FILE *out)
{
	return sip_trunks_print(arg, args, out);
}

static int ctl_trunks_reload_h(void *arg, const char *args, FILE *out)
{
	return sip_trunks_reload(arg);
}

/* "mwi DOMAIN EXT": ondoctl changed a mailbox; its lamps follow. */
static int ctl_mwi_h(void *arg, const char *args, FILE *out)
{
	char domain[256], ext[64];

	if (sscanf(args, "%255s %63s", domain, ext) != 2)
		return -EINVAL;
	return sip_mwi_refresh(arg, domain, ext, out);
}

/* "bans": blocked sources and extensions; "unban KEY". */
static int ctl_bans_h(void *arg, const char *args, FILE *out)
{
	return sip_bans_print(arg, out);
}

static int ctl_unban_h(void *arg, const char *args, FILE *out)
{
	char key[200];

	if (sscanf(args, "%199s", key) != 1)
		return -EINVAL;
	if (sip_ban_del(arg, key)) {
		fprintf(out, "%s is not blocked\n", key);
		return -ENOENT;
	}
	return 0;
}

static int ctl_status_h(void *arg, const char *args, FILE *out)
{
	struct app *a = arg;

	return status_print(a->sip, a->media, a->started, out);
}

static int ctl_ping_h(void *arg, const char *args, FILE *out)
{
	fprintf(out, "pong\n");
	return 0;
}

static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
}

static int setup_signals(struct app *a)
{
	static su_wait_t w[1];
	sigset_t set;

	stop_signals(&set);
	a->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (a->sigfd < 0)
		return -errno;
	su_wait_create(w, a->sigfd, SU_WAIT_IN);
	a->sig_reg = su_root_register(a->root, w, signal_h, a, 0);
	return a->sig_reg < 0 ? -EIO : 0;
}

static void reconcile_log_h(void *arg, const char *line)
{
	LOGW("vm", "%s", line);
}

/*
 * Before any call can deposit or delete a message: whatever a crash left
 * half done is settled now, while nothing else touches the spool
 * (min_age 0). A failure is logged and the daemon starts anyway: calls
 * matter more, and the next start tries again.
 */
static void vm_startup(const struct conf *c)
{
	struct vm_reconcile_counts n;
	struct db *db = NULL;
	char sum[160];
	int err;

	err = db_open(&db, c->db_path);
	if (!err)
		err = vm_reconcile(db, c->spool_dir, 0, reconcile_log_h, NULL,
				   &n);
	db_close(db);
	if (err) {
		LOGE("vm", "cannot reconcile the voicemail spool %s: %s",
		     c->spool_dir, strerror(-err));
		return;
	}
	vm_reconcile_summary(sum, sizeof(sum), &n);
	LOGI("vm", "voicemail spool %s reconciled: %s", c->spool_dir, sum);
}

static int start(struct app *a, int demo)
{
	const struct conf *c = &a->conf;
	struct net_addrs na;
	char ip[64];
	int port, err;

	if ((err = fs_mkdirs(c->db_path, 0750, 1)) ||
	    (err = fs_mkdirs(c->spool_dir, 0750, 0)) ||
	    (err = fs_mkdirs(c->ctl_socket, 0750, 1))) {
		LOGE("main", "cannot create the state folders: %s",
		     strerror(-err));
		return err;
	}
	if ((err = dbq_alloc(&a->dbq, c->db_path))) {
		LOGE("main", "cannot open the database %s", c->db_path);
		return err;
	}
	if (demo && (err = demo_seed(c->db_path, c->default_tenant, c->http_listen)))
		LOGW("main", "could not create the demo tenant: %s",
		     strerror(-err));
	vm_startup(c);
	/* After reconciliation, which may have queued mails for messages it
	 * indexed. Email is an extra: without it calls still work. */
	err = vm_mail_alloc(&a->mail, &c->smtp, c->db_path, c->spool_dir);
	if (err)
		LOGE("vm",
		     "cannot start the email thread: %s; no voicemail "
		     "email is sent",
		     strerror(-err));
	conf_split_hostport(c->sip_listen, ip, sizeof(ip), &port);
	net_pick(&na, ip, c->sip_public);
	err = media_alloc(&a->media, na.media_bind, c->rtp_min, c->rtp_max,
			  c->media_workers);
	if (err) {
		LOGE("main", "cannot start the media workers: %s",
		     strerror(-err));
		return err;
	}
	if ((err = setup_signals(a)))
		return err;
	if ((err = rooms_alloc(&a->rooms, a->media)))
		return err;
	if ((err = sip_alloc(&a->sip, a->root, c, na.sdp, a->media, a->dbq)))
		return err;
	sip_set_rooms(a->sip, a->rooms);
	if ((err = ctl_alloc(&a->ctl, a->root, c->ctl_socket)))
		return err;
	ctl_register(a->ctl, "ping", ctl_ping_h, NULL);
	ctl_register(a->ctl, "status", ctl_status_h, a);
	ctl_register(a->ctl, "calls", ctl_calls_h, a->sip);
	ctl_register(a->ctl, "regs", ctl_regs_h, a->sip);
	ctl_register(a->ctl, "parked", ctl_parked_h, a->sip);
	ctl_register(a->ctl, "trunks", ctl_trunks_h, a->sip);
	ctl_register(a->ctl, "trunks-reload", ctl_trunks_reload_h, a->sip);
	ctl_register(a->ctl, "reload", ctl_reload_h, a);
	ctl_register(a->ctl, "mwi", ctl_mwi_h, a->sip);
	ctl_register(a->ctl, "conf", room_ctl_h, a->rooms);
	ctl_register(a->ctl, "bans", ctl_bans_h, a->sip);
	ctl_register(a->ctl, "unban", ctl_unban_h, a->sip);
	if ((err = web_start(&a->web, c, a->sip)))
		return err;
	return 0;
}

static void stop(struct app *a)
{
	web_stop(a->web); /* first: its threads ask the SIP side */
	ctl_free(a->ctl);
	sip_free(a->sip);
	rooms_free(a->rooms);  /* after SIP: the members' apps are done */
	media_free(a->media);  /* after SIP: every session is released */
	vm_mail_free(a->mail); /* after the calls that may kick it */
	dbq_free(a->dbq);      /* last: flushes CDRs and registrations */
	if (a->sig_reg >= 0)
		su_root_deregister(a->root, a->sig_reg);
	if (a->sigfd >= 0)
		close(a->sigfd);
}

/* Sockets for every RTP port, and room for SIP over TCP, the panel, the
 * database and recordings. */
#define FD_SPARE 4096

static void fd_limit(const struct conf *c)
{
	long want = (long)(c->rtp_max - c->rtp_min + 1) + FD_SPARE;
	long have = fd_limit_raise(want);

	if (have >= 0 && have < want)
		LOGW("main", "open files are limited to %ld (ulimit -n, systemd "
			     "LimitNOFILE); the RTP ports %d-%d need %ld: calls "
			     "past about %ld at once will be refused",
		     have, c->rtp_min, c->rtp_max, want,
		     have > FD_SPARE ? (have - FD_SPARE) / 4 : have / 8);
}

int main(int argc, char **argv)
{
	struct app a = {.sigfd = -1, .sig_reg = -1, .started = time(NULL)};
	const char *file = NULL;
	char err[512];
	sigset_t set;
	int opt, rc = 1;

	while ((opt = getopt(argc, argv, "c:vh")) != -1) {
		switch (opt) {
		case 'c':
			file = optarg;
			a.conf_path = optarg;
			break;
		case 'v':
			printf("ondo %s\n", ONDO_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	conf_init(&a.conf);
	if (file && conf_load(&a.conf, file, err, sizeof(err))) {
		fprintf(stderr, "ondo: %s\n", err);
		return 1;
	}
	log_set_level(a.conf.log_level);
	fd_limit(&a.conf);
	/* Blocked before any thread starts, so every thread inherits the
	 * mask and the stop signals arrive only through the signalfd. */
	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	su_init();
	a.root = su_root_create(NULL);
	/* nua's stack runs in this thread, not a clone thread of its own:
	 * each request and answer would otherwise cross threads twice
	 * (bench/NOTES.md: 7% of a REGISTER's CPU). */
	if (a.root)
		su_root_threading(a.root, 0);
	if (a.root && start(&a, file == NULL) == 0) {
		/* Printed at any log level: scripts wait for it. */
		log_line(LOGL_INFO, "main", NULL, NULL,
			 "ready: sip %s, database %s, control %s",
			 a.conf.sip_listen, a.conf.db_path, a.conf.ctl_socket);
		su_root_run(a.root);
		rc = 0;
	}
	stop(&a);
	if (a.root)
		su_root_destroy(a.root);
	su_deinit();
	if (!rc)
		LOGI("main", "stopped");
	return rc;
}
