/* test_vm_store.c - voicemail storage (pbx/vm/vm_store.h): PIN rules and
 * hashes, deposits, quotas, folders, deletes, reconciling the spool after
 * a crash, and tenants kept apart; a fresh database and spool per test. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <sndfile.h>

#include "core/fsutil.h"
#include "dbcheck.h"
#include "tmpdb.h"
#include "vm/vm_store.h"

struct fx {
	struct tmpdb tmp;
	struct db *db;
	char spool[300];
	int64_t a, b; /* tenants a.test and b.test, each with a 1001 */
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (tmpdb_open(&fx->tmp, "vm", &fx->db) ||
	    db_tenant_add(fx->db, "A", "a.test", &fx->a) ||
	    db_tenant_add(fx->db, "B", "b.test", &fx->b) ||
	    db_ext_add(fx->db, fx->a, "1001", "Alice", "secret123", NULL) ||
	    db_ext_add(fx->db, fx->b, "1001", "Bert", "secret123", NULL)) {
		if (fx->db)
			tmpdb_close(&fx->tmp, fx->db);
		free(fx);
		return -1;
	}
	snprintf(fx->spool, sizeof(fx->spool), "%s/spool", fx->tmp.dir);
	*state = fx;
	return 0;
}

static int rm_h(const char *path, const struct stat *st, int flag,
		struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	nftw(fx->spool, rm_h, 16, FTW_DEPTH | FTW_PHYS);
	tmpdb_close(&fx->tmp, fx->db);
	free(fx);
	return 0;
}

/* Writes `ms` of a 400 Hz square-ish tone as 8 kHz WAV at `path`. */
static void write_wav(const char *path, int ms)
{
	SF_INFO info = {.samplerate = 8000,
			.channels = 1,
			.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
	SNDFILE *sf;
	short pcm[80];

	if (fs_mkdirs(path, 0750, 1))
		fail_msg("cannot create the folder of %s", path);
	sf = sf_open(path, SFM_WRITE, &info);
	if (!sf)
		fail_msg("cannot write the test WAV %s", path);
	for (int i = 0; i < 80; i++)
		pcm[i] = (i / 10) % 2 ? 8000 : -8000;
	for (int n = 0; n < ms / 10; n++)
		sf_write_short(sf, pcm, 80);
	sf_close(sf);
}

static void write_text(const char *path, const char *text)
{
	FILE *f;

	if (fs_mkdirs(path, 0750, 1) || !(f = fopen(path, "w")))
		fail_msg("cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Deposits `ms` of audio into 1001 of `tenant` from `caller`; the id. */
static int64_t deposit(struct fx *fx, int64_t tenant, int ms,
		       const char *caller)
{
	char path[PATH_MAX];
	int64_t id = 0;

	OK(vm_deposit_path(fx->db, fx->spool, tenant, "1001", path,
			   sizeof(path)));
	write_wav(path, ms);
	OK(vm_deposit_commit(fx->db, fx->spool, tenant, "1001", path, caller,
			     "Caller Name", &id));
	return id;
}

static void test_pin_rules(void **state)
{
	static const char *const good[] = {
	    "2580", "13579", "0042", "9731", "1357924680", "1002", "7890"};
	static const struct {
		const char *pin, *why;
	} bad[] = {
	    {"123", "a PIN is 4 to 10 digits"},
	    {"12345678901", "a PIN is 4 to 10 digits"},
	    {"12a4", "a PIN is 4 to 10 digits"},
	    {"", "a PIN is 4 to 10 digits"},
	    {"1111", "one digit repeated is too easy to guess"},
	    {"0000000", "one digit repeated is too easy to guess"},
	    {"1234", "a run of digits up or down is too easy to guess"},
	    {"12345", "a run of digits up or down is too easy to guess"},
	    {"0123456789", "a run of digits up or down is too easy to guess"},
	    {"4321", "a run of digits up or down is too easy to guess"},
	    {"987654", "a run of digits up or down is too easy to guess"},
	    {"1001", "the extension's own number is too easy to guess"},
	};
	char why[128];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (vm_pin_rules(good[i], "1001", why, sizeof(why)))
			fail_msg("PIN %s was refused: %s", good[i], why);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (vm_pin_rules(bad[i].pin, "1001", why, sizeof(why)) !=
		    -EINVAL)
			fail_msg("the trivial PIN '%s' was accepted",
				 bad[i].pin);
		if (strcmp(why, bad[i].why))
			fail_msg("PIN '%s' refused as '%s', not '%s'",
				 bad[i].pin, why, bad[i].why);
	}
}

static void test_pin_hash(void **state)
{
	struct fx *fx = *state;
	struct vm_box b;
	char why[128];

	FAILS_WITH(vm_box_check_pin(fx->db, fx->a, "1001", "2580"), -ENOKEY,
		   "a box without a PIN");
	FAILS_WITH(
	    vm_box_set_pin(fx->db, fx->a, "1001", "1234", why, sizeof(why)),
	    -EINVAL, "setting a trivial PIN");
	OK(vm_box_set_pin(fx->db, fx->a, "1001", "2580", why, sizeof(why)));
	OK(vm_box_check_pin(fx->db, fx->a, "1001", "2580"));
	FAILS_WITH(vm_box_check_pin(fx->db, fx->a, "1001", "2581"), -EACCES,
		   "a wrong PIN");
	FAILS_WITH(vm_box_check_pin(fx->db, fx->a, "1001", ""), -EACCES,
		   "an empty PIN");
	if (count_rows(fx->db, "SELECT count(*) FROM vm_boxes WHERE "
			       "pin_hash LIKE '$argon2id$%' AND "
			       "pin_hash NOT LIKE '%2580%'") != 1)
		fail_msg("the PIN is not stored as an argon2id hash");
	/* The other tenant's 1001 has its own box. */
	FAILS_WITH(vm_box_check_pin(fx->db, fx->b, "1001", "2580"), -ENOKEY,
		   "b.test's 1001 took a.test's PIN");
	OK(vm_box_get(fx->db, fx->a, "1001", &b));
	assert_true(b.has_pin);
	FAILS_WITH(vm_box_check_pin(fx->db, fx->a, "1009", "2580"), -ENOENT,
		   "the PIN of a box that does not exist");
}

static void test_deposit(void **state)
{
	struct fx *fx = *state;
	struct db_vm_msg m;
	char path[PATH_MAX], want[PATH_MAX + 8];
	int64_t id = deposit(fx, fx->a, 2000, "1002");
	int n_new, n_saved;

	OK(vm_msg_get(fx->db, fx->a, "1001", id, &m));
	if (strcmp(m.folder, "new") || strcmp(m.caller, "1002") ||
	    strcmp(m.caller_name, "Caller Name") || m.duration_ms != 2000 ||
	    m.missing)
		fail_msg("the message was stored as %s from %s (%s), %lld ms",
			 m.folder, m.caller, m.caller_name,
			 (long long)m.duration_ms);
	if (strncmp(m.file, "tenants/a.test/vm/1001/new/", 27))
		fail_msg("the message file %s is not in the box's new/",
			 m.file);
	OK(vm_msg_file(fx->db, fx->spool, fx->a, "1001", id, path,
		       sizeof(path)));
	snprintf(want, sizeof(want), "%s/%s", fx->spool, m.file);
	assert_string_equal(path, want);
	assert_true(exists(path));
	OK(vm_counts(fx->db, fx->a, "1001", &n_new, &n_saved));
	if (n_new != 1 || n_saved != 0)
		fail_msg("a message-waiting lamp would show %d/%d, not 1/0",
			 n_new, n_saved);
	/* A path that is not the box's own is refused. */
	snprintf(path, sizeof(path), "%s/tenants/b.test/vm/1001/new/x.wav",
		 fx->spool);
	write_wav(path, 2000);
	FAILS_WITH(vm_deposit_commit(fx->db, fx->spool, fx->a, "1001", path,
				     "1002", NULL, NULL),
		   -EINVAL, "committing another box's file");
}

static void test_short_discarded(void **state)
{
	struct fx *fx = *state;
	char path[PATH_MAX];

	OK(vm_deposit_path(fx->db, fx->spool, fx->a, "1001", path,
			   sizeof(path)));
	write_wav(path, 500);
	FAILS_WITH(vm_deposit_commit(fx->db, fx->spool, fx->a, "1001", path,
				     "1002", NULL, NULL),
		   -ENODATA, "a half-second message");
	if (exists(path))
		fail_msg("the discarded message's file is still there");
	if (count_rows(fx->db, "SELECT count(*) FROM vm_messages") != 0)
		fail_msg("a message under one second was indexed");
}

static void test_quota(void **state)
{
	struct fx *fx = *state;
	char path[PATH_MAX];
	struct vm_box b;

	OK(vm_box_set_quota(fx->db, fx->a, "1001", 2, -1));
	deposit(fx, fx->a, 1500, "1002");
	OK(vm_box_get(fx->db, fx->a, "1001", &b));
	assert_false(b.full);
	deposit(fx, fx->a, 1500, "1003");
	OK(vm_box_get(fx->db, fx->a, "1001", &b));
	if (!b.full || b.max_messages != 2 || b.max_minutes != 30)
		fail_msg("a box with 2 of 2 messages is not full");
	FAILS_WITH(vm_deposit_path(fx->db, fx->spool, fx->a, "1001", path,
				   sizeof(path)),
		   -EDQUOT, "a deposit into a full box");
	/* By minutes: 1 minute, 61 s in it. */
	OK(vm_box_set_quota(fx->db, fx->b, "1001", -1, 1));
	deposit(fx, fx->b, 61000, "1002");
	FAILS_WITH(vm_deposit_path(fx->db, fx->spool, fx->b, "1001", path,
				   sizeof(path)),
		   -EDQUOT, "a deposit into a box out of minutes");
	FAILS_WITH(vm_box_set_quota(fx->db, fx->a, "1001", 0, -1), -EINVAL,
		   "a quota of no messages");
	/* A box turned off takes nothing. */
	OK(vm_box_set_quota(fx->db, fx->a, "1001", 100, -1));
	OK(vm_box_set_enabled(fx->db, fx->a, "1001", false));
	FAILS_WITH(vm_deposit_path(fx->db, fx->spool, fx->a, "1001", path,
				   sizeof(path)),
		   -EPERM, "a deposit into a box turned off");
}

struct ids {
	int64_t v[8];
	int n;
};

static int ids_h(const struct db_vm_msg *m, void *arg)
{
	struct ids *ids = arg;

	if (ids->n < 8)
		ids->v[ids->n++] = m->id;
	return 0;
}

static void test_list_order(void **state)
{
	struct fx *fx = *state;
	struct ids all = {0}, saved = {0};
	int64_t id1 = deposit(fx, fx->a, 1000, "1"),
		id2 = deposit(fx, fx->a, 1000, "2"),
		id3 = deposit(fx, fx->a, 1000, "3");

	/* Make 1 the newest by time: the time decides, not the id. */
	char sql[128];
	snprintf(sql, sizeof(sql),
		 "UPDATE vm_messages SET received_at = received_at + 60 "
		 "WHERE id = %lld",
		 (long long)id1);
	assert_int_equal(sqlite3_exec(fx->db->sql, sql, NULL, NULL, NULL), 0);
	OK(vm_msg_mark_heard(fx->db, fx->spool, fx->a, "1001", id2));
	OK(vm_msg_list(fx->db, fx->a, "1001", NULL, ids_h, &all));
	if (all.n != 3 || all.v[0] != id1 || all.v[1] != id3 || all.v[2] != id2)
		fail_msg("the box did not list newest first");
	OK(vm_msg_list(fx->db, fx->a, "1001", "saved", ids_h, &saved));
	if (saved.n != 1 || saved.v[0] != id2)
		fail_msg("the saved folder did not list only the heard one");
}

static void test_mark_heard(void **state)
{
	struct fx *fx = *state;
	int64_t id = deposit(fx, fx->a, 1200, "1002");
	char before[PATH_MAX], after[PATH_MAX];
	struct db_vm_msg m;
	int n_new, n_saved;

	OK(vm_msg_file(fx->db, fx->spool, fx->a, "1001", id, before,
		       sizeof(before)));
	OK(vm_msg_mark_heard(fx->db, fx->spool, fx->a, "1001", id));
	OK(vm_msg_get(fx->db, fx->a, "1001", id, &m));
	OK(vm_msg_file(fx->db, fx->spool, fx->a, "1001", id, after,
		       sizeof(after)));
	if (strcmp(m.folder, "saved") || !strstr(after, "/saved/"))
		fail_msg("the heard message is in %s (%s)", m.folder, after);
	if (exists(before) || !exists(after))
		fail_msg("the file did not move from new/ to saved/");
	OK(vm_counts(fx->db, fx->a, "1001", &n_new, &n_saved));
	if (n_new != 0 || n_saved != 1)
		fail_msg("the lamp counts are %d/%d after hearing, not 0/1",
			 n_new, n_saved);
	/* Again: nothing to do. */
	OK(vm_msg_mark_heard(fx->db, fx->spool, fx->a, "1001", id));
}

static void test_delete_and_export(void **state)
{
	struct fx *fx = *state;
	int64_t id = deposit(fx, fx->a, 1200, "1002");
	char path[PATH_MAX], copy[PATH_MAX];
	struct stat s1, s2;

	OK(vm_msg_file(fx->db, fx->spool, fx->a, "1001", id, path,
		       sizeof(path)));
	snprintf(copy, sizeof(copy), "%s/export.wav", fx->spool);
	OK(vm_msg_export(fx->db, fx->spool, fx->a, "1001", id, copy));
	if (stat(path, &s1) || stat(copy, &s2) || s1.st_size != s2.st_size)
		fail_msg("the exported copy differs from the message");
	unlink(copy);
	OK(vm_msg_delete(fx->db, fx->spool, fx->a, "1001", id));
	if (exists(path))
		fail_msg("the deleted message's file is still there");
	if (count_rows(fx->db, "SELECT count(*) FROM vm_messages") != 0)
		fail_msg("the deleted message's row is still there");
	FAILS_WITH(vm_msg_delete(fx->db, fx->spool, fx->a, "1001", id), -ENOENT,
		   "deleting it twice");
}

static void test_tenants_apart(void **state)
{
	struct fx *fx = *state;
	int64_t id = deposit(fx, fx->a, 1200, "1002");
	struct ids ids = {0};
	struct db_vm_msg m;
	char path[PATH_MAX];
	int n_new = -1;

	OK(vm_msg_list(fx->db, fx->b, "1001", NULL, ids_h, &ids));
	if (ids.n != 0)
		fail_msg("b.test's 1001 sees a.test's message");
	OK(vm_counts(fx->db, fx->b, "1001", &n_new, NULL));
	assert_int_equal(n_new, 0);
	FAILS_WITH(vm_msg_get(fx->db, fx->b, "1001", id, &m), -ENOENT,
		   "reading a.test's message as b.test");
	FAILS_WITH(vm_msg_delete(fx->db, fx->spool, fx->b, "1001", id), -ENOENT,
		   "deleting a.test's message as b.test");
	FAILS_WITH(
	    vm_msg_export(fx->db, fx->spool, fx->b, "1001", id, "/dev/null"),
	    -ENOENT, "exporting a.test's message as b.test");
	OK(vm_msg_file(fx->db, fx->spool, fx->a, "1001", id, path,
		       sizeof(path)));
	if (!exists(path))
		fail_msg("b.test's delete removed a.test's file");
}

static void count_log_h(void *arg, const char *line)
{
	(*(int *)arg)++;
}

static void test_reconcile(void **state)
{
	struct fx *fx = *state;
	char box[400], path[PATH_MAX], orphan[PATH_MAX], junk[PATH_MAX],
	    part[PATH_MAX], moved[PATH_MAX], tiny[PATH_MAX];
	struct vm_reconcile_counts c;
	int64_t gone = deposit(fx, fx->a, 1200, "1002"),
		half = deposit(fx, fx->a, 1200, "1003");
	struct db_vm_msg m;
	int lines = 0;

	OK(vm_box_dir(box, sizeof(box), fx->spool, "a.test", "1001"));
	/* A message whose file was lost. */
	OK(vm_msg_file(fx->db, fx->spool, fx->a, "1001", gone, path,
		       sizeof(path)));
	unlink(path);
	/* A mark-heard cut short: the file moved, the row did not. */
	OK(vm_msg_get(fx->db, fx->a, "1001", half, &m));
	OK(vm_msg_file(fx->db, fx->spool, fx->a, "1001", half, path,
		       sizeof(path)));
	snprintf(moved, sizeof(moved), "%s/saved/%s", box,
		 strrchr(m.file, '/') + 1);
	OK(fs_mkdirs(moved, 0750, 1));
	assert_int_equal(rename(path, moved), 0);
	/* A deposit renamed by the recorder but never committed. */
	snprintf(orphan, sizeof(orphan), "%s/new/100-orphan.wav", box);
	write_wav(orphan, 3000);
	/* Not a message at all. */
	snprintf(junk, sizeof(junk), "%s/new/junk.wav", box);
	write_text(junk, "this is no audio\n");
	/* A deposit still being recorded at the crash. */
	snprintf(part, sizeof(part), "%s/new/x.wav.part-AbC123", box);
	write_wav(part, 2000);
	/* Under a second: what commit would have discarded. */
	snprintf(tiny, sizeof(tiny), "%s/saved/101-tiny.wav", box);
	write_wav(tiny, 300);

	OK(vm_reconcile(fx->db, fx->spool, 0, count_log_h, &lines, &c));
	if (c.indexed != 1 || c.quarantined != 1 || c.removed != 2 ||
	    c.repaired != 1 || c.flagged != 1 || c.unflagged != 0)
		fail_msg("reconcile counted %d indexed, %d quarantined, %d "
			 "removed, %d repaired, %d flagged",
			 c.indexed, c.quarantined, c.removed, c.repaired,
			 c.flagged);
	assert_int_equal(lines, 6);
	FAILS_WITH(vm_msg_file(fx->db, fx->spool, fx->a, "1001", gone, path,
			       sizeof(path)),
		   -ENODATA, "playing a message whose file is gone");
	OK(vm_msg_get(fx->db, fx->a, "1001", gone, &m));
	assert_true(m.missing);
	OK(vm_msg_get(fx->db, fx->a, "1001", half, &m));
	if (strcmp(m.folder, "saved") || m.missing)
		fail_msg("the half-heard message was not repaired to saved/");
	if (count_rows(fx->db, "SELECT count(*) FROM vm_messages WHERE "
			       "caller = 'unknown' AND folder = 'new' AND "
			       "duration_ms = 3000 AND file LIKE "
			       "'%/new/100-orphan.wav'") != 1)
		fail_msg("the orphan WAV was not indexed");
	snprintf(path, sizeof(path), "%s/quarantine/new-junk.wav", box);
	if (exists(junk) || !exists(path))
		fail_msg("the file that is no audio was not quarantined");
	if (exists(part) || exists(tiny))
		fail_msg("a .part file or a too short orphan is still there");
	/* Nothing left to do the second time. */
	OK(vm_reconcile(fx->db, fx->spool, 0, NULL, NULL, &c));
	if (c.indexed || c.quarantined || c.removed || c.repaired ||
	    c.flagged || c.unflagged)
		fail_msg("a second reconcile changed things again");
	/* The PRAGMA the crash test will run. */
	if (count_rows(fx->db, "SELECT count(*) FROM pragma_integrity_check "
			       "WHERE integrity_check = 'ok'") != 1)
		fail_msg("the database is not intact after reconcile");
}

/* A delete cut short after its first step (the row flagged, the file
 * still there) did not happen: the message comes back whole. */
static void test_delete_cut_short(void **state)
{
	struct fx *fx = *state;
	int64_t id = deposit(fx, fx->a, 1200, "1002");
	struct vm_reconcile_counts c;
	char path[PATH_MAX];

	OK(db_vm_msg_set_missing(fx->db, id, 1));
	FAILS_WITH(vm_msg_file(fx->db, fx->spool, fx->a, "1001", id, path,
			       sizeof(path)),
		   -ENODATA, "playing a message being deleted");
	OK(vm_reconcile(fx->db, fx->spool, 0, NULL, NULL, &c));
	if (c.unflagged != 1 || c.indexed || c.flagged)
		fail_msg("reconcile did not unflag the half-deleted message");
	OK(vm_msg_file(fx->db, fx->spool, fx->a, "1001", id, path,
		       sizeof(path)));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pin_rules),
	    T(test_pin_hash),
	    T(test_deposit),
	    T(test_short_discarded),
	    T(test_quota),
	    T(test_list_order),
	    T(test_mark_heard),
	    T(test_delete_and_export),
	    T(test_tenants_apart),
	    T(test_reconcile),
	    T(test_delete_cut_short),
	};
#undef T
	return cmocka_run_group_tests_name("voicemail store", tests, NULL,
					   NULL);
}
