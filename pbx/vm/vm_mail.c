/* vm_mail.c - the mail thread: sends queued voicemail emails through the
 * [smtp] server with libcurl, retries with back-off, gives up in the end. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/stat.h>

#include <curl/curl.h>

#include "core/log.h"
#include "db_vm_mail.h"
#include "vm/vm_mail.h"
#include "vm/vm_store.h"

/* With nothing queued, look at the queue this often anyway: a mail
 * queued by a process that cannot kick this one (ondoctl's reconcile)
 * is not left waiting for the next deposit. */
#define IDLE_S 300
/* After a database error, wait this long before reading the queue again. */
#define DB_RETRY_S 30

struct vm_mail {
	struct conf_smtp smtp; /* copied; read by the thread only */
	char spool[PATH_MAX];
	struct db *db; /* the thread's own connection; owned */
	pthread_t thr;
	int efd;	 /* eventfd: kicks and the stop request */
	atomic_int stop; /* set by vm_mail_free, read by the thread
			  * and curl's progress callback */
};

/* The eventfd of the running thread, for vm_mail_kick() from app threads
 * that have no handle on it; -1 when there is none. One per process:
 * there is one mail thread per daemon. App threads are detached and may
 * still be ending when the daemon stops, so the fd is only written under
 * kick_lock, and vm_mail_free closes it only after clearing it there. */
static pthread_mutex_t kick_lock = PTHREAD_MUTEX_INITIALIZER;
static int kick_fd = -1; /* guarded by kick_lock */

static void poke(int fd)
{
	uint64_t one = 1;

	/* Can only fail if the counter is full: then it is awake anyway. */
	if (fd >= 0 && write(fd, &one, sizeof(one)) < 0)
		return;
}

void vm_mail_kick(void)
{
	pthread_mutex_lock(&kick_lock);
	poke(kick_fd);
	pthread_mutex_unlock(&kick_lock);
}

static void set_kick_fd(int fd)
{
	pthread_mutex_lock(&kick_lock);
	kick_fd = fd;
	pthread_mutex_unlock(&kick_lock);
}

/* ---- one try ---- */

/* What curl reads the mail from. */
struct upload {
	const char *p;
	size_t left;
};

static size_t read_h(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems;

	if (n > u->left)
		n = u->left;
	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* Called by curl at least once a second: a non-zero return aborts the
 * transfer, so stopping the daemon never waits for a slow server. */
static int progress_h(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
		      curl_off_t un)
{
	struct vm_mail *m = arg;

	return atomic_load(&m->stop);
}

/* Sends `mail` (len bytes) to `rcpt`. 0, or -EIO with the reason in
 * `why`; -ECANCELED if the daemon is stopping. */
static int smtp_send(struct vm_mail *m, const char *rcpt, const char *mail,
		     size_t len, char *why, size_t whylen)
{
	static const long tls[] = {
	    [CONF_STARTTLS_NO] = CURLUSESSL_NONE,
	    [CONF_STARTTLS_TRY] = CURLUSESSL_TRY,
	    [CONF_STARTTLS_REQUIRED] = CURLUSESSL_ALL,
	};
	const struct conf_smtp *s = &m->smtp;
	char url[300], from[270], to[270], errbuf[CURL_ERROR_SIZE] = "";
	struct upload up = {mail, len};
	struct curl_slist *rcpts = NULL;
	long code = 0;
	CURLcode rc;
	CURL *c;

	c = curl_easy_init(); /* freed below */
	if (!c) {
		snprintf(why, whylen, "cannot start libcurl");
		return -EIO;
	}
	/* An IPv6 literal needs brackets in a URL. */
	snprintf(url, sizeof(url),
		 strchr(s->host, ':') ? "smtp://[%s]:%d" : "smtp://%s:%d",
		 s->host, s->port);
	snprintf(from, sizeof(from), "<%s>", s->from);
	snprintf(to, sizeof(to), "<%s>", rcpt);
	rcpts = curl_slist_append(NULL, to);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_USE_SSL, tls[s->starttls]);
	if (s->user[0]) {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->password);
	}
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_h);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	/* Bounded: a server that stops answering costs one timeout, and the
	 * queue goes on after it. */
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)s->timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)s->timeout);
	/* No SIGALRM for DNS timeouts: signals are not this thread's. */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_h);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, m);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	if (rc == CURLE_OK)
		return 0;
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		return -ECANCELED;
	if (code)
		snprintf(why, whylen, "server said %ld: %s", code,
			 errbuf[0] ? errbuf : curl_easy_strerror(rc));
	else
		snprintf(why, whylen, "%s",
			 errbuf[0] ? errbuf : curl_easy_strerror(rc));
	return -EIO;
}

/* Reads the message's WAV into *wavp (malloc'ed, caller frees) if it is
 * to be attached; else leaves it NULL and says why in `note`, unless the
 * box wants a link anyway. */
static void load_wav(const struct vm_mail *m, const struct db_vm_mail *q,
		     void **wavp, size_t *lenp, char *note, size_t notelen)
{
	char path[PATH_MAX];
	struct stat st;
	void *buf;
	FILE *f;

	*wavp = NULL;
	*lenp = 0;
	note[0] = '\0';
	if (!q->attach)
		return;
	if (q->msg.missing ||
	    vm_msg_path(path, sizeof(path), m->spool, &q->msg) ||
	    stat(path, &st)) {
		snprintf(note, notelen,
			 "The recording could not be attached: its file is "
			 "missing from the mailbox.");
		return;
	}
	if (st.st_size > VM_MAIL_ATTACH_MAX) {
		snprintf(note, notelen,
			 "The recording (%.1f MB) is too large to attach.",
			 st.st_size / 1e6);
		return;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1); /* caller frees */
	f = fopen(path, "rb");
	if (!buf || !f ||
	    fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		snprintf(note, notelen,
			 "The recording could not be attached: it could not "
			 "be read.");
		free(buf);
		buf = NULL;
	}
	if (f)
		fclose(f);
	*wavp = buf;
	*lenp = buf ? (size_t)st.st_size : 0;
}

/* Builds the mail of queue row `q` and sends it. 0 sent, -ECANCELED
 * stopping, else a failure described in `why`. */
static int try_one(struct vm_mail *m, const struct db_vm_mail *q, char *why,
		   size_t whylen)
{
	char link[600] = "", note[160];
	struct vm_mail_msg msg = {0};
	size_t wav_len, len;
	char *text = NULL;
	void *wav;
	int err;

	load_wav(m, q, &wav, &wav_len, note, sizeof(note));
	/* A link whenever there is no attachment and a base URL to make it
	 * from. */
	if (!wav && m->smtp.link[0])
		snprintf(link, sizeof(link), "%s%" PRId64, m->smtp.link,
			 q->msg_id);
	msg.from = m->smtp.from;
	msg.rcpt = q->rcpt;
	msg.caller = q->msg.caller;
	msg.caller_name = q->msg.caller_name;
	msg.ext = q->ext;
	msg.ext_name = q->ext_name;
	msg.domain = q->domain;
	msg.zone = q->timezone;
	msg.msg_id = q->msg_id;
	msg.received = q->msg.received_at;
	msg.duration_ms = q->msg.duration_ms;
	msg.now = time(NULL);
	msg.link = link;
	msg.wav = wav;
	msg.wav_len = wav_len;
	msg.note = note;
	err = vm_mime_build(&msg, &text, &len);
	free(wav);
	if (err) {
		snprintf(why, whylen, "cannot build the mail: %s",
			 strerror(-err));
		return err;
	}
	err = smtp_send(m, q->rcpt, text, len, why, whylen);
	free(text);
	return err;
}

/* One due row: send it, then remove it, reschedule it or give it up.
 * -EIO if the queue could not be updated. */
static int handle(struct vm_mail *m, const struct db_vm_mail *q)
{
	char why[DB_VM_MAIL_ERR_LEN] = "";
	int64_t now, next;
	int err, delay;

	err = try_one(m, q, why, sizeof(why));
	if (err == -ECANCELED)
		return 0; /* stopping: the row stays for the next start */
	now = time(NULL);
	if (!err) {
		LOGC(LOGL_INFO, "vm", q->domain, NULL,
		     "email for message %" PRId64 " of %s sent to %s%s",
		     q->msg_id, q->ext, q->rcpt,
		     q->attempts ? " after retrying" : "");
		err = db_vm_mail_del(m->db, q->id);
	} else if (now - q->created >= m->smtp.give_up) {
		LOGC(LOGL_ERROR, "vm", q->domain, NULL,
		     "email for message %" PRId64 " of %s to %s given up "
		     "after %d tries: %s (the message stays in the box)",
		     q->msg_id, q->ext, q->rcpt, q->attempts + 1, why);
		err = db_vm_mail_del(m->db, q->id);
	} else {
		delay = vm_mail_backoff(q->attempts + 1, m->smtp.retry_min,
					m->smtp.retry_max);
		next = now + delay;
		LOGC(LOGL_WARN, "vm", q->domain, NULL,
		     "email for message %" PRId64 " of %s to %s failed "
		     "(try %d), retrying in %d s: %s",
		     q->msg_id, q->ext, q->rcpt, q->attempts + 1, delay, why);
		err =
		    db_vm_mail_retry(m->db, q->id, q->attempts + 1, next, why);
	}
	/* The message was deleted while its mail was on the way: the row
	 * went with it. */
	if (!err || err == -ENOENT)
		return 0;
	LOGE("vm", "cannot update the email queue: %s", strerror(-err));
	return err;
}

/* ---- the thread ---- */

/* Sleeps until kicked, stopped, or `secs` have passed. */
static void wait_for(struct vm_mail *m, int64_t secs)
{
	struct pollfd p = {.fd = m->efd, .events = POLLIN};
	uint64_t n;

	if (secs < 0)
		secs = 0;
	if (secs > IDLE_S)
		secs = IDLE_S;
	if (poll(&p, 1, (int)secs * 1000) > 0 &&
	    read(m->efd, &n, sizeof(n)) < 0)
		return; /* EAGAIN: another read emptied it */
}

static void *mail_main(void *arg)
{
	struct vm_mail *m = arg;
	struct db_vm_mail *q = malloc(sizeof(*q)); /* ~3 KB: freed below */
	int64_t now, at;
	int err;

	if (!q) {
		LOGE("vm", "email thread: out of memory; no email is sent");
		return NULL;
	}
	while (!atomic_load(&m->stop)) {
		now = time(NULL);
		err = db_vm_mail_next(m->db, now, q);
		/* A row that could not be updated is still due: pause rather
		 * than send its mail again at once. */
		if (!err && handle(m, q))
			wait_for(m, DB_RETRY_S);
		if (!err)
			continue;
		if (err == -ENOENT)
			err = db_vm_mail_next_at(m->db, &at);
		if (err == -ENOENT)
			wait_for(m, IDLE_S);
		else if (err)
			wait_for(m, DB_RETRY_S);
		else
			wait_for(m, at - now);
	}
	free(q);
	return NULL;
}

/* With email off, says so once if some mailbox would want it. */
static void say_off(const char *db_path)
{
	struct db *db = NULL;
	int n = 0;

	if (db_open(&db, db_path) || db_vm_mail_boxes(db, &n) || n == 0) {
		db_close(db);
		return;
	}
	db_close(db);
	LOGW("vm",
	     "%d mailbox%s an email address, but [smtp] host is not set: "
	     "no voicemail email is sent (mails are queued and go out once "
	     "it is set)",
	     n, n == 1 ? " has" : "es have");
}

int vm_mail_alloc(struct vm_mail **mp, const struct conf_smtp *smtp,
		  const char *db_path, const char *spool)
{
	struct vm_mail *m;
	int err;

	if (!mp || !smtp || !db_path || !spool)
		return -EINVAL;
	*mp = NULL;
	if (!smtp->host[0]) {
		say_off(db_path);
		return 0;
	}
	if (strlen(spool) >= sizeof(m->spool))
		return -ENAMETOOLONG;
	/* Before the thread: curl_global_init is not safe to run while
	 * another thread uses curl. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return -EIO;
	m = calloc(1, sizeof(*m)); /* caller frees: vm_mail_free */
	if (!m) {
		curl_global_cleanup();
		return -ENOMEM;
	}
	m->smtp = *smtp;
	snprintf(m->spool, sizeof(m->spool), "%s", spool);
	m->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->efd < 0) {
		err = -errno;
		goto fail;
	}
	if ((err = db_open(&m->db, db_path)))
		goto fail;
	err = -pthread_create(&m->thr, NULL, mail_main, m);
	if (err)
		goto fail;
	set_kick_fd(m->efd);
	LOGI("vm", "voicemail email through %s:%d (starttls %s)", smtp->host,
	     smtp->port,
	     smtp->starttls == CONF_STARTTLS_NO	   ? "no"
	     : smtp->starttls == CONF_STARTTLS_TRY ? "try"
						   : "required");
	*mp = m;
	return 0;
fail:
	db_close(m->db);
	if (m->efd >= 0)
		close(m->efd);
	free(m);
	curl_global_cleanup();
	return err;
}

void vm_mail_free(struct vm_mail *m)
{
	if (!m)
		return;
	set_kick_fd(-1);
	atomic_store(&m->stop, 1);
	poke(m->efd);
	pthread_join(m->thr, NULL);
	db_close(m->db);
	close(m->efd);
	free(m);
	curl_global_cleanup();
}
