/* vm_mail.h - voicemail email: the daemon's mail thread, which sends the
 * queued mails (db_vm_mail.h) through the [smtp] server, and the pure
 * pieces it is made of (the mail's text, the back-off). */
#ifndef ONDO_VM_MAIL_H
#define ONDO_VM_MAIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "conf/conf.h"

/* A WAV larger than this is not attached; the mail gets the link (if
 * [smtp] link is set) and says why. Base64 makes it 4/3 as large, and
 * many servers refuse mails over 10 to 25 MB. */
#define VM_MAIL_ATTACH_MAX (10 * 1024 * 1024)

/*
 * The mail thread. One per daemon, with its own SQLite connection: it
 * blocks on the network (bounded by [smtp] timeout) and on SQLite, never
 * on the SIP thread's or a media worker's behalf. It wakes when
 * vm_mail_kick() is called, when the next queued mail falls due, and at
 * least every few minutes.
 *
 * A mail is tried at once; a failure is retried after [smtp] retry_min
 * seconds, doubling up to retry_max, until [smtp] give_up seconds after
 * the message was left: then it is dropped (logged as an error; the
 * message stays in the box). A message deleted meanwhile takes its queue
 * row with it.
 */
struct vm_mail;

/* Opens a connection to the database at `db_path` and starts the thread.
 * `smtp` is copied; `spool` (the [spool] dir, for the WAV files) too.
 * With no [smtp] host there is no thread: *mp is NULL, 0 is returned, and
 * if any mailbox has an email address that is said once in the log.
 * Caller frees with vm_mail_free(). 0, -ENOMEM, -EIO... */
int vm_mail_alloc(struct vm_mail **mp, const struct conf_smtp *smtp,
		  const char *db_path, const char *spool);
/* Stops the thread (a transfer under way is cut short within about a
 * second; its mail stays queued for the next start) and frees `m`. Call
 * it after every thread that may call vm_mail_kick() has ended. NULL is
 * fine. */
void vm_mail_free(struct vm_mail *m);
/* Tells the mail thread that a mail was queued. Never blocks (one write
 * to an eventfd); a no-op when there is no thread. Any thread. */
void vm_mail_kick(void);

/* ---- pure pieces (vm_mime.c), for the thread and the tests ---- */

/* What one mail says. Every pointer is borrowed for the call; strings may
 * be "" where a default is given. */
struct vm_mail_msg {
	const char *from;	 /* envelope and From address */
	const char *rcpt;	 /* To */
	const char *caller;	 /* number; "" = unknown */
	const char *caller_name; /* display name, may be "" */
	const char *ext;	 /* the mailbox's extension */
	const char *ext_name;	 /* its name, may be "" */
	const char *domain;	 /* the tenant's */
	const char *zone;	 /* IANA zone for the date in the text;
				  * "" or unknown: UTC */
	int64_t msg_id;
	int64_t received; /* seconds since the epoch */
	int64_t duration_ms;
	time_t now;	  /* for the Date header */
	const char *link; /* the full URL, or "" for none */
	const void *wav;  /* the attachment, or NULL */
	size_t wav_len;
	const char *note; /* a sentence saying why there is no
			   * attachment, or "" */
};

/* The whole mail (RFC 5322 headers, a multipart/mixed MIME body with a
 * text/plain part and, if m->wav, an audio/wav part in base64), lines
 * ended by CRLF, no dot-stuffing (curl does that). Header values are
 * cleaned of control characters; a non-ASCII Subject is an RFC 2047
 * encoded word. *out is malloc'ed, NUL-terminated, caller frees; *lenp
 * its length. 0 or -ENOMEM, -EINVAL. */
int vm_mime_build(const struct vm_mail_msg *m, char **out, size_t *lenp);
/* The Subject line's text: "New voicemail from 1001 (Alice) for 1002". */
void vm_mime_subject(char *buf, size_t len, const struct vm_mail_msg *m);
/* Base64 (RFC 2045) of `n` bytes, lines of 76 characters ended by CRLF
 * when `wrap`, else one line without CRLF. *out malloc'ed, caller frees.
 * 0 or -ENOMEM. */
int vm_base64(const void *data, size_t n, int wrap, char **out, size_t *lenp);

/* Seconds to wait after the `attempts`-th failure (1 for the first):
 * retry_min doubled attempts - 1 times, at most retry_max (and never less
 * than retry_min). */
int vm_mail_backoff(int attempts, int retry_min, int retry_max);

#endif
