/* test_vm_mail.c - voicemail email (pbx/vm/vm_mail.h, db/db_vm_mail.h):
 * base64, the back-off, the mail's text and MIME shape, and the queue: a
 * row with the message when the box has an address, none without, due
 * rows with what they announce, retries, and the cascade when the message
 * is deleted. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "dbcheck.h"
#include "db_vm_mail.h"
#include "tmpdb.h"
#include "vm/vm_mail.h"

/* ---- pure pieces ---- */

static void expect_b64(const char *in, size_t n, int wrap, const char *want)
{
	char *out;
	size_t len;

	OK(vm_base64(in, n, wrap, &out, &len));
	if (strcmp(out, want) || len != strlen(want))
		fail_msg("base64 of %zu bytes (wrap %d) is '%s', want '%s'", n,
			 wrap, out, want);
	free(out);
}

static void test_base64(void **state)
{
	char buf[58];

	/* RFC 4648's test vectors. */
	expect_b64("", 0, 0, "");
	expect_b64("f", 1, 0, "Zg==");
	expect_b64("fo", 2, 0, "Zm8=");
	expect_b64("foo", 3, 0, "Zm9v");
	expect_b64("foob", 4, 0, "Zm9vYg==");
	expect_b64("fooba", 5, 0, "Zm9vYmE=");
	expect_b64("foobar", 6, 0, "Zm9vYmFy");
	expect_b64("foobar", 6, 1, "Zm9vYmFy\r\n");
	expect_b64("", 0, 1, "");
	/* 57 bytes are exactly one 76-character line; one more starts a
	 * second. */
	memset(buf, 0, sizeof(buf));
	{
		char *out;
		size_t len;

		OK(vm_base64(buf, 57, 1, &out, &len));
		assert_int_equal(len, 78);
		assert_string_equal(out + 76, "\r\n");
		free(out);
		OK(vm_base64(buf, 58, 1, &out, &len));
		assert_int_equal(len, 78 + 4 + 2);
		assert_string_equal(out + 78, "AA==\r\n");
		free(out);
	}
}

static void test_backoff(void **state)
{
	assert_int_equal(vm_mail_backoff(1, 60, 3600), 60);
	assert_int_equal(vm_mail_backoff(2, 60, 3600), 120);
	assert_int_equal(vm_mail_backoff(3, 60, 3600), 240);
	assert_int_equal(vm_mail_backoff(6, 60, 3600), 1920);
	/* 60 * 64 is past the cap. */
	assert_int_equal(vm_mail_backoff(7, 60, 3600), 3600);
	assert_int_equal(vm_mail_backoff(1000, 60, 3600), 3600);
	/* A cap below the start is the start; 0 is treated as 1. */
	assert_int_equal(vm_mail_backoff(5, 60, 10), 60);
	assert_int_equal(vm_mail_backoff(1, 0, 10), 1);
	assert_int_equal(vm_mail_backoff(40, 1, 86400), 86400);
}

static struct vm_mail_msg sample(void)
{
	static const char wav[] = "RIFF\x24\0\0\0WAVEfmt ";
	struct vm_mail_msg m = {
	    .from = "voicemail@t1.test",
	    .rcpt = "carol@example.test",
	    .caller = "1001",
	    .caller_name = "Alice",
	    .ext = "1003",
	    .ext_name = "Carol",
	    .domain = "t1.test",
	    .zone = "UTC",
	    .msg_id = 42,
	    .received = 1700000000, /* 2023-11-14 22:13:20 UTC */
	    .duration_ms = 65400,
	    .now = 1700000005,
	    .link = "",
	    .wav = wav,
	    .wav_len = sizeof(wav) - 1,
	    .note = "",
	};
	return m;
}

static void test_subject(void **state)
{
	struct vm_mail_msg m = sample();
	char s[256];

	vm_mime_subject(s, sizeof(s), &m);
	assert_string_equal(s, "New voicemail from 1001 (Alice) for 1003");
	m.caller_name = "";
	vm_mime_subject(s, sizeof(s), &m);
	assert_string_equal(s, "New voicemail from 1001 for 1003");
	m.caller = "";
	vm_mime_subject(s, sizeof(s), &m);
	assert_string_equal(s, "New voicemail from unknown for 1003");
}

/* Every line ends in CRLF, none is longer than SMTP's 998 characters. */
static void check_lines(const char *mail, size_t len)
{
	size_t start = 0;

	assert_int_equal(strlen(mail), len);
	for (size_t i = 0; i < len; i++) {
		if (mail[i] != '\n')
			continue;
		if (i == 0 || mail[i - 1] != '\r')
			fail_msg("a bare LF at byte %zu", i);
		if (i - start - 1 > 998)
			fail_msg("a line of %zu characters", i - start - 1);
		start = i + 1;
	}
	assert_int_equal(start, len); /* the last line ends too */
}

static void test_mime_attached(void **state)
{
	struct vm_mail_msg m = sample();
	char *mail;
	size_t len;

	OK(vm_mime_build(&m, &mail, &len));
	check_lines(mail, len);
	assert_non_null(strstr(mail,
			       "From: Voicemail <voicemail@t1.test>\r\n"
			       "To: <carol@example.test>\r\n"
			       "Subject: New voicemail from 1001 (Alice) "
			       "for 1003\r\n"
			       "Date: Tue, 14 Nov 2023 22:13:25 +0000\r\n"
			       "Message-ID: <vm.42.1700000000@t1.test>\r\n"
			       "MIME-Version: 1.0\r\n"
			       "Content-Type: multipart/mixed; "
			       "boundary=\"=_ondo_vm_42\"\r\n"));
	assert_non_null(strstr(mail, "\r\n--=_ondo_vm_42\r\n"
				     "Content-Type: text/plain; "
				     "charset=us-ascii\r\n"));
	assert_non_null(strstr(mail, "From:     Alice <1001>\r\n"
				     "Received: 2023-11-14 22:13:20 (UTC)\r\n"
				     "Length:   1:05\r\n"));
	assert_non_null(strstr(
	    mail, "Content-Type: audio/wav; name=\"voicemail-42.wav\"\r\n"
		  "Content-Transfer-Encoding: base64\r\n"
		  "Content-Disposition: attachment; "
		  "filename=\"voicemail-42.wav\"\r\n\r\n"
		  "UklGRiQAAABXQVZFZm10IA==\r\n"));
	assert_null(strstr(mail, "Listen to it"));
	/* The closing boundary ends the mail. */
	assert_string_equal(mail + len - strlen("\r\n--=_ondo_vm_42--\r\n"),
			    "\r\n--=_ondo_vm_42--\r\n");
	free(mail);
}

static void test_mime_link(void **state)
{
	struct vm_mail_msg m = sample();
	char *mail;
	size_t len;

	m.wav = NULL;
	m.wav_len = 0;
	m.link = "https://pbx.t1.test/vm/42";
	m.note = "The recording (12.3 MB) is too large to attach.";
	OK(vm_mime_build(&m, &mail, &len));
	check_lines(mail, len);
	assert_null(strstr(mail, "audio/wav"));
	assert_null(strstr(mail, "Content-Disposition"));
	assert_non_null(strstr(mail, "The recording (12.3 MB) is too large "
				     "to attach.\r\n"
				     "Listen to it: https://pbx.t1.test/vm/42"
				     "\r\n"));
	free(mail);
}

/* A display name from the network cannot add a header; a non-ASCII one
 * is encoded. */
static void test_mime_hostile_and_utf8(void **state)
{
	struct vm_mail_msg m = sample();
	char *mail;
	size_t len;

	m.caller_name = "Eve\r\nBcc: all@example.test";
	OK(vm_mime_build(&m, &mail, &len));
	check_lines(mail, len);
	assert_null(strstr(mail, "\r\nBcc:"));
	assert_non_null(strstr(mail, "(Eve  Bcc: all@example.test)"));
	free(mail);

	m.caller_name = "J\xc3\xbcrgen M\xc3\xbcller-L\xc3\xbc"
			"denscheidt und S\xc3\xb6hne";
	OK(vm_mime_build(&m, &mail, &len));
	check_lines(mail, len);
	/* Two encoded words, the second on a folded line; the text part is
	 * base64 too. */
	assert_non_null(strstr(mail, "Subject: =?UTF-8?B?"));
	assert_non_null(strstr(mail, "?=\r\n =?UTF-8?B?"));
	assert_non_null(strstr(mail, "charset=utf-8\r\n"
				     "Content-Transfer-Encoding: base64"));
	free(mail);

	FAILS_WITH(vm_mime_build(NULL, &mail, &len), -EINVAL, "no message");
}

/* ---- the queue ---- */

struct fx {
	struct tmpdb tmp;
	struct db *db;
	int64_t t1, t2;
	int64_t ext_mail, ext_none, ext_other; /* extension ids */
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (tmpdb_open(&fx->tmp, "vmmail", &fx->db) ||
	    db_tenant_add(fx->db, "T1", "t1.test", &fx->t1) ||
	    db_tenant_add(fx->db, "T2", "t2.test", &fx->t2) ||
	    db_ext_add(fx->db, fx->t1, "1003", "Carol", "secret123",
		       &fx->ext_mail) ||
	    db_ext_add(fx->db, fx->t1, "1004", "", "secret123",
		       &fx->ext_none) ||
	    db_ext_add(fx->db, fx->t2, "1003", "Other", "secret123",
		       &fx->ext_other)) {
		if (fx->db)
			tmpdb_close(&fx->tmp, fx->db);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	tmpdb_close(&fx->tmp, fx->db);
	free(fx);
	return 0;
}

static int set_email(struct db_vm_box *b, void *arg)
{
	snprintf(b->email, sizeof(b->email), "%s", (const char *)arg);
	b->email_attach = 0;
	return 0;
}

/* A message row in the box of `ext_id` (no file: the queue does not
 * look). */
static int64_t add_msg(struct fx *fx, int64_t tenant, int64_t ext_id,
		       const char *file)
{
	struct db_vm_msg m = {.tenant_id = tenant, .ext_id = ext_id};
	int64_t id;

	snprintf(m.folder, sizeof(m.folder), "new");
	snprintf(m.caller, sizeof(m.caller), "1001");
	snprintf(m.caller_name, sizeof(m.caller_name), "Alice");
	snprintf(m.file, sizeof(m.file), "%s", file);
	m.received_at = 1700000000;
	m.duration_ms = 5000;
	OK(db_vm_msg_add(fx->db, &m, &id));
	return id;
}

static int count_h(const struct db_vm_mail *m, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void test_queue(void **state)
{
	struct fx *fx = *state;
	struct db_vm_mail q;
	int64_t id, now = time(NULL), at;
	int n = 0;

	OK(db_vm_box_update(fx->db, fx->t1, "1003", set_email,
			    "carol@example.test"));
	OK(db_vm_mail_boxes(fx->db, &n));
	assert_int_equal(n, 1);

	/* No address, no mail. */
	add_msg(fx, fx->t1, fx->ext_none, "tenants/t1.test/vm/1004/new/a.wav");
	if (count_rows(fx->db, "SELECT count(*) FROM vm_mail_queue") != 0)
		fail_msg("a box without an email address queued a mail");
	FAILS_WITH(db_vm_mail_next(fx->db, now, &q), -ENOENT, "empty queue");
	FAILS_WITH(db_vm_mail_next_at(fx->db, &at), -ENOENT, "empty queue");

	/* With one, the message and its mail together. */
	id = add_msg(fx, fx->t1, fx->ext_mail,
		     "tenants/t1.test/vm/1003/new/b.wav");
	OK(db_vm_mail_next(fx->db, now + 1, &q));
	assert_int_equal(q.msg_id, id);
	assert_int_equal(q.tenant_id, fx->t1);
	assert_string_equal(q.rcpt, "carol@example.test");
	assert_int_equal(q.attach, 0);
	assert_int_equal(q.attempts, 0);
	assert_string_equal(q.domain, "t1.test");
	assert_string_equal(q.ext, "1003");
	assert_string_equal(q.ext_name, "Carol");
	assert_string_equal(q.timezone, "UTC");
	assert_string_equal(q.msg.caller, "1001");
	assert_string_equal(q.msg.caller_name, "Alice");
	assert_int_equal(q.msg.duration_ms, 5000);
	assert_string_equal(q.msg.file, "tenants/t1.test/vm/1003/new/b.wav");

	/* A failure puts it off; it is not due before then. */
	OK(db_vm_mail_retry(fx->db, q.id, 1, now + 60, "server said 451"));
	FAILS_WITH(db_vm_mail_next(fx->db, now + 59, &q), -ENOENT,
		   "a mail put off for 60 s");
	OK(db_vm_mail_next_at(fx->db, &at));
	assert_int_equal(at, now + 60);
	OK(db_vm_mail_next(fx->db, now + 60, &q));
	assert_int_equal(q.attempts, 1);
	assert_string_equal(q.last_error, "server said 451");

	/* Listed for its tenant only. */
	n = 0;
	OK(db_vm_mail_list(fx->db, fx->t1, count_h, &n));
	assert_int_equal(n, 1);
	n = 0;
	OK(db_vm_mail_list(fx->db, fx->t2, count_h, &n));
	assert_int_equal(n, 0);
	n = 0;
	OK(db_vm_mail_list(fx->db, 0, count_h, &n));
	assert_int_equal(n, 1);

	/* Sent: gone. */
	OK(db_vm_mail_del(fx->db, q.id));
	FAILS_WITH(db_vm_mail_del(fx->db, q.id), -ENOENT, "a second delete");
	FAILS_WITH(db_vm_mail_retry(fx->db, q.id, 2, now, "x"), -ENOENT,
		   "a retry of a sent mail");
}

/* A message deleted before its mail went takes the mail with it. */
static void test_queue_cascade(void **state)
{
	struct fx *fx = *state;
	int64_t id;

	OK(db_vm_box_update(fx->db, fx->t1, "1003", set_email,
			    "carol@example.test"));
	id = add_msg(fx, fx->t1, fx->ext_mail,
		     "tenants/t1.test/vm/1003/new/c.wav");
	add_msg(fx, fx->t1, fx->ext_mail, "tenants/t1.test/vm/1003/new/d.wav");
	assert_int_equal(
	    count_rows(fx->db, "SELECT count(*) FROM vm_mail_queue"), 2);
	OK(db_vm_msg_del(fx->db, id));
	assert_int_equal(
	    count_rows(fx->db, "SELECT count(*) FROM vm_mail_queue"), 1);
	/* The tenant's deletion too. */
	OK(db_tenant_del(fx->db, "t1.test"));
	assert_int_equal(
	    count_rows(fx->db, "SELECT count(*) FROM vm_mail_queue"), 0);
}

/* The mail is queued in the message's transaction: if the message's
 * INSERT fails, no mail row is left either, and a failed queue insert
 * takes the message back. */
static void test_queue_atomic(void **state)
{
	struct fx *fx = *state;
	struct db_vm_msg m = {.tenant_id = fx->t1, .ext_id = fx->ext_mail};

	OK(db_vm_box_update(fx->db, fx->t1, "1003", set_email,
			    "carol@example.test"));
	add_msg(fx, fx->t1, fx->ext_mail, "tenants/t1.test/vm/1003/new/e.wav");
	/* The same file again: the message is refused, nothing queued. */
	snprintf(m.folder, sizeof(m.folder), "new");
	snprintf(m.file, sizeof(m.file), "tenants/t1.test/vm/1003/new/e.wav");
	FAILS_WITH(db_vm_msg_add(fx->db, &m, NULL), -EEXIST, "a second row");
	assert_int_equal(
	    count_rows(fx->db, "SELECT count(*) FROM vm_mail_queue"), 1);
	/* A queue that refuses the row: the message is rolled back too. */
	assert_int_equal(sqlite3_exec(fx->db->sql,
				      "CREATE TRIGGER no_mail BEFORE INSERT ON "
				      "vm_mail_queue BEGIN SELECT RAISE(ABORT, "
				      "'refused'); END",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	snprintf(m.file, sizeof(m.file), "tenants/t1.test/vm/1003/new/f.wav");
	if (db_vm_msg_add(fx->db, &m, NULL) == 0)
		fail_msg("the message was stored although its mail was not");
	assert_int_equal(count_rows(fx->db, "SELECT count(*) FROM vm_messages "
					    "WHERE file LIKE '%f.wav'"),
			 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_base64),
	    cmocka_unit_test(test_backoff),
	    cmocka_unit_test(test_subject),
	    cmocka_unit_test(test_mime_attached),
	    cmocka_unit_test(test_mime_link),
	    cmocka_unit_test(test_mime_hostile_and_utf8),
	    T(test_queue),
	    T(test_queue_cascade),
	    T(test_queue_atomic),
	};
#undef T
	return cmocka_run_group_tests_name("voicemail email", tests, NULL,
					   NULL);
}
