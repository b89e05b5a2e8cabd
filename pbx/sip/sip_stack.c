/* sip_stack.c - creates the NUA stack and dispatches its events. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/su_string.h>
#include <sofia-sip/su_log.h>
#include <stdarg.h>

#include "sip/sub_priv.h"
#include "sip/ban.h"
#include "sip/sip_priv.h"
#include "sip/mwi.h"
#include "sip/trunk.h"
#include "sip/call.h"
#include "sip/reg.h"
#include "core/log.h"
#include "core/memtrim.h"

#define SHUTDOWN_DEADLINE_MS 5000 /* for nua_shutdown */
#define SHUTDOWN_CALLS_MS 3000	   /* for phones to answer our BYEs */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sip_strlcpy(char *dst, const char *src, size_t len)
{
	if (!len)
		return;
	snprintf(dst, len, "%s", src ? src : "");
}

/* "sip:IP:PORT;transport=T" for the address ss. */
static int source_route(const struct sockaddr_storage *ss, const char *tp,
			char *route, size_t routelen)
{
	char ip[INET6_ADDRSTRLEN];
	int port;

	if (!route || !routelen)
		return 0;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		port = ntohs(s4->sin_port);
		snprintf(route, routelen, "sip:%s:%d;transport=%s", ip, port,
			 tp);
	} else {
		const struct sockaddr_in6 *s6 =
			(const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		port = ntohs(s6->sin6_port);
		snprintf(route, routelen, "sip:[%s]:%d;transport=%s", ip,
			 port, tp);
	}
	return 0;
}

int sip_request_source(struct sip *s, struct sockaddr_storage *ss,
		       char *route, size_t routelen)
{
	msg_t *msg = nua_current_request(s->nua);
	sip_t const *sip = msg ? sip_object(msg) : NULL;
	su_addrinfo_t *ai = msg ? msg_addrinfo(msg) : NULL;
	const char *tp = "udp";

	if (!ai || !ai->ai_addr || ai->ai_addrlen > sizeof(*ss))
		return -ENOENT;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	if (sip && sip->sip_via && sip->sip_via->v_protocol &&
	    su_casenmatch(sip->sip_via->v_protocol, "SIP/2.0/TCP", 11))
		tp = "tcp";
	if (sip_front_is(s->conf, ss)) {
		/* Through the front: the phone's own address for bans, flood
		 * limits and media; the route back is the Path if the front
		 * gave one, else the front itself (built below). */
		struct sockaddr_storage front = *ss;

		if (sip_front_client(sip, ss))
			*ss = front;
		if (route && sip && sip->sip_request &&
		    sip->sip_request->rq_method == sip_method_register &&
		    sip_front_path(sip, route, routelen) == 0)
			return 0;
		return source_route(&front, tp, route, routelen);
	}
	return source_route(ss, tp, route, routelen);
}

/* sofia-sip's own diagnostics arrive in pieces ("tport_udp_error: ...\n",
 * "\treported by ...\n"); they are joined into one log line each so
 * that they read like the rest of the log, at debug level: what matters
 * to an admin (a phone unreachable) shows in our own call lines. */
static void sofia_log_h(void *stream, char const *fmt, va_list ap)
{
	static __thread char line[512];
	static __thread size_t n;
	char *nl;

	if (n < sizeof(line) - 1) {
		int k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		if (k > 0)
			n = n + (size_t)k < sizeof(line) - 1 ? n + (size_t)k
							     : sizeof(line) - 1;
	}
	while ((nl = memchr(line, '\n', n))) {
		*nl = '\0';
		if (nl > line && line[0] != '\t')
			LOGD("sofia", "%s", line);
		else if (nl > line)
			LOGD("sofia", "  %s", line + 1);
		n -= (size_t)(nl + 1 - line);
		memmove(line, nl + 1, n);
	}
}

static void on_event(nua_event_t ev, int status, char const *phrase,
		     nua_t *nua, struct sip *s, nua_handle_t *nh,
		     struct leg *leg, sip_t const *sip, tagi_t tags[])
{
	if (leg) {
		leg_on_event(s, ev, status, phrase, nh, leg, sip, tags);
		return;
	}
	/* New requests from one address past [security] req_rate: 503
	 * before any work (a REFER's handle is the stack's to release). */
	if ((ev == nua_i_invite || ev == nua_i_register ||
	     ev == nua_i_subscribe || ev == nua_i_message ||
	     ev == nua_i_refer) &&
	    flood_request(s, nh, sip, ev != nua_i_refer))
		return;
	switch (ev) {
	case nua_r_notify:
		/* Else an unsolicited message-waiting NOTIFY (mwi.c), or
		 * the last of a one-time fetch, was answered or timed out. */
		if (!mwi_sub_on_notify_r(s, status, nh, tags) && status >= 200)
			nua_handle_destroy(nh);
		break;
	case nua_i_subscribe:
		mwi_sub_on_subscribe(s, status, nh, sip, tags);
		break;
	case nua_r_register:
	case nua_r_options:
		if (!trunk_on_response(s, ev, status, phrase, nh, sip))
			nua_handle_destroy(nh);
		break;
	case nua_i_register:
		reg_on_register(s, nh, sip);
		break;
	case nua_i_message:
		msg_on_request(s, nh, sip);
		break;
	case nua_i_refer:
		/* Outside any call of ours: nothing to transfer. The handle
		 * is the stack's to release (its REFER usage runs a timer
		 * that outlives a handle destroyed here). */
		nua_respond(nh, 481, "No Call To Transfer",
			    NUTAG_WITH_THIS(nua), TAG_END());
		break;
	case nua_r_message:
		if (!msg_on_response(s, status, nh) && status >= 200)
			nua_handle_destroy(nh);
		break;
	case nua_i_invite:
		call_on_invite(s, nh, sip);
		break;
	case nua_i_state: {
		int cs = -1;
		tl_gets(tags, NUTAG_CALLSTATE_REF(cs), TAG_END());
		/* A handle we never adopted (an INVITE we rejected): its
		 * transaction is over, so release it. */
		if (cs == nua_callstate_terminated)
			nua_handle_destroy(nh);
		break;
	}
	case nua_r_shutdown:
		if (status >= 200 && s->shutdown_done) {
			void (*done)(void *) = s->shutdown_done;
			s->shutdown_done = NULL;
			done(s->shutdown_arg);
		}
		break;
	case nua_i_error:
		LOGW("sip", "stack error %d %s", status, phrase);
		break;
	default:
		/* OPTIONS and the like outside a dialog: the stack answers
		 * them itself; nothing is kept. */
		break;
	}
}

static void tick_h(void *magic, su_timer_t *t, void *arg)
{
	struct sip *s = arg;

	/* Every 10 s: a burst's freed memory goes back to the system. */
	if (++s->ticks % 10 == 0)
		mem_trim_maybe();
	reg_tick(s);
	call_tick(s);
	call_live_tick(s);
	trunk_tick(s);
	mwi_sub_tick(s);
	msg_tick(s);
}

/* Busy lamps follow calls within a fifth of a second. */
static void blf_tick_h(void *magic, su_timer_t *t, void *arg)
{
	blf_tick(arg);
	call_keys_poll(arg);
}

static int random_key(unsigned char *key, size_t len)
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, key, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

int sip_alloc(struct sip **sp, su_root_t *root, const struct conf *conf,
	      const char *sdp_host, struct media *media, struct dbq *dbq)
{
	char ip[64], url[160];
	struct sip *s;
	int err;

	s = calloc(1, sizeof(*s)); /* caller frees: sip_free */
	if (!s)
		return -ENOMEM;
	s->root = root;
	s->conf = conf;
	s->media = media;
	s->dbq = dbq;
	err = conf_split_hostport(conf->sip_listen, ip, sizeof(ip), &s->port);
	if (!err)
		err = random_key(s->nonce_key, sizeof(s->nonce_key));
	if (!err)
		err = db_open(&s->db, conf->db_path);
	if (!err)
		err = reg_table_alloc(&s->regs);
	if (!err) {
		struct ban_cfg bc = {conf->fail_max, conf->fail_window,
				     conf->ban_time};
		err = bans_alloc(&s->bans, &bc);
	}
	s->inbound_mf = -1;
	if (!err)
		err = flood_alloc(s);
	if (!err)
		call_rec_notify_open(s);
	if (!err)
		err = call_live_recover(s);
	if (!err)
		err = reg_load(s);
	if (!err)
		err = mwi_subs_alloc(&s->subs);
	if (!err)
		err = sip_mbox_open(s);
	if (err)
		goto fail;
	sip_strlcpy(s->host, sdp_host, sizeof(s->host));
	su_log_redirect(su_log_default, sofia_log_h, NULL);
	if (strchr(ip, ':'))
		snprintf(url, sizeof(url), "sip:[%s]:%d", ip, s->port);
	else
		snprintf(url, sizeof(url), "sip:%s:%d", ip, s->port);

	s->nua = nua_create(
		root, on_event, s, NUTAG_URL(url), NUTAG_MEDIA_ENABLE(0),
		NUTAG_APPL_METHOD("REGISTER"), NUTAG_APPL_METHOD("SUBSCRIBE"),
		NUTAG_APPL_METHOD("MESSAGE"), NUTAG_APPL_METHOD("REFER"),
		/* Initial SUBSCRIBEs for other events get 489 from the
		 * stack; refreshes are held under our longest expiry. */
		NUTAG_ALLOW_EVENTS("message-summary, dialog"),
		NUTAG_SUB_EXPIRES(MWI_SUB_MAX_EXPIRES),
		NUTAG_AUTOANSWER(0),
		NUTAG_AUTOALERT(0), NUTAG_ENABLEMESSAGE(1),
		NUTAG_SESSION_TIMER(0), NUTAG_USER_AGENT("Ondo PBX/" ONDO_VERSION),
		NTATAG_SERVER_RPORT(1),
		/* The kernel's default 208 KB receive buffer overflows in
		 * bursts long before the CPU is busy (bench/RESULTS.md). */
		TPTAG_UDP_RMEM(4 * 1024 * 1024), TPTAG_UDP_WMEM(4 * 1024 * 1024),
		TAG_END());
	if (!s->nua) {
		LOGE("sip", "cannot listen on %s (UDP and TCP): port in use or "
			    "address not local",
		     url);
		err = -EADDRINUSE;
		goto fail;
	}
	nua_set_params(s->nua,
		       SIPTAG_ALLOW_STR("INVITE, ACK, BYE, CANCEL, OPTIONS, "
					"REGISTER, INFO, SUBSCRIBE, MESSAGE, REFER"),
		       SIPTAG_SUPPORTED_STR("path"), TAG_END());
	err = trunk_dns_start(s);
	if (!err)
		err = trunk_load(s);
	if (err)
		goto fail;
	s->tick = su_timer_create(su_root_task(root), 1000);
	su_timer_set_for_ever(s->tick, tick_h, s);
	s->blf_tick = su_timer_create(su_root_task(root), BLF_TICK_MS);
	su_timer_set_for_ever(s->blf_tick, blf_tick_h, s);
	LOGI("sip", "listening on %s (UDP+TCP), media address %s", url,
	     s->host);
	*sp = s;
	return 0;
fail:
	sip_free(s);
	return err;
}

static void shutdown_deadline_h(void *magic, su_timer_t *t, void *arg)
{
	struct sip *s = arg;

	if (s->shutdown_done) {
		void (*done)(void *) = s->shutdown_done;
		LOGW("sip", "shutdown deadline passed; stopping anyway");
		s->shutdown_done = NULL;
		done(s->shutdown_arg);
	}
}

/* Waits for the BYEs and CANCELs of call_end_all() to be answered before
 * the stack goes down, so phones see a clean hang-up and not a reset TCP
 * connection; a phone that does not answer is waited for at most
 * SHUTDOWN_CALLS_MS. */
static void shutdown_poll_h(void *magic, su_timer_t *t, void *arg)
{
	struct sip *s = arg;

	if (s->calls && now_ms() < s->shutdown_calls_deadline) {
		su_timer_set(t, shutdown_poll_h, s);
		return;
	}
	nua_shutdown(s->nua);
	su_timer_set(s->shutdown_timer, shutdown_deadline_h, s);
}

void sip_shutdown(struct sip *s, void (*done)(void *arg), void *arg)
{
	s->shutting_down = 1;
	s->shutdown_done = done;
	s->shutdown_arg = arg;
	call_end_all(s);
	mwi_sub_shutdown(s);
	s->shutdown_calls_deadline = now_ms() + SHUTDOWN_CALLS_MS;
	s->shutdown_poll = su_timer_create(su_root_task(s->root), 50);
	s->shutdown_timer = su_timer_create(su_root_task(s->root),
					    SHUTDOWN_DEADLINE_MS);
	shutdown_poll_h(NULL, s->shutdown_poll, s);
}

void sip_free(struct sip *s)
{
	if (!s)
		return;
	call_rec_notify_close(); /* before the mailbox goes */
	su_timer_destroy(s->tick);
	su_timer_destroy(s->blf_tick);
	su_timer_destroy(s->shutdown_timer);
	su_timer_destroy(s->shutdown_poll);
	if (s->nua)
		nua_destroy(s->nua);
	trunk_dns_stop(s); /* joined before the mailbox it posts to closes */
	trunk_free_all(s);
	call_free_all(s);
	mwi_subs_free(s->subs); /* the handles went with nua_destroy */
	msg_free_all(s);
	sip_mbox_close(s);
	reg_table_free(s->regs);
	bans_free(s->bans);
	flood_free(s);
	db_close(s->db);
	free(s);
}

void sip_counts(struct sip *s, int *regs, int *calls)
{
	*regs = reg_table_count(s->regs);
	*calls = s->ncalls;
}

void sip_set_rooms(struct sip *s, struct rooms *rs)
{
	s->rooms = rs;
}

struct rooms *sip_rooms(struct sip *s)
{
	return s->rooms;
}

int sip_bans_print(struct sip *s, FILE *out)
{
	ban_print(s->bans, time(NULL), out);
	return 0;
}

int sip_ban_del(struct sip *s, const char *key)
{
	return ban_del(s->bans, key);
}
