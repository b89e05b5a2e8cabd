/* test_tar.c - the tenant archive's tar code (pbx/move/tar.c,
 * tar_read.c): what the writer writes reads back the same, long names
 * included; a truncated or damaged archive is an error, never a short
 * success; "..", absolute paths, links and devices are refused; sizes
 * beyond the limits are refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "move/tar.h"

static const struct tar_limits lim = {1 << 20, 1 << 22, 100};

/* An archive in memory (fmemopen cannot seek past what it holds, so a
 * temporary file it is). */
static FILE *tmpf(void)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	return f;
}

static void write_entries(FILE *f, const char *const *paths, int n)
{
	struct tar_w *w;
	char data[1500];

	assert_int_equal(tar_w_alloc(&w, f), 0);
	for (int i = 0; i < n; i++) {
		memset(data, 'a' + i, sizeof(data));
		/* sizes 0, 1500, 3000...: empty, and not a block multiple */
		assert_int_equal(tar_w_begin(w, paths[i], 1700000000), 0);
		for (int k = 0; k < i; k++)
			assert_int_equal(tar_w_write(w, data, sizeof(data)), 0);
		assert_int_equal(tar_w_end(w), 0);
	}
	assert_int_equal(tar_w_finish(w), 0);
	tar_w_free(w);
	rewind(f);
}

static void read_entries(FILE *f, const char *const *paths, int n)
{
	struct tar_r *r;
	struct tar_entry e;
	char buf[700];

	assert_int_equal(tar_r_alloc(&r, f, &lim), 0);
	for (int i = 0; i < n; i++) {
		uint64_t got = 0;
		ssize_t k;
		assert_int_equal(tar_r_next(r, &e), 0);
		assert_string_equal(e.path, paths[i]);
		assert_int_equal(e.size, (uint64_t)i * 1500);
		while ((k = tar_r_read(r, buf, sizeof(buf))) > 0) {
			for (ssize_t j = 0; j < k; j++)
				assert_int_equal(buf[j], 'a' + i);
			got += (uint64_t)k;
		}
		assert_int_equal(k, 0);
		assert_int_equal(got, e.size);
	}
	assert_int_equal(tar_r_next(r, &e), 1);
	tar_r_free(r);
}

static void test_round_trip(void **state)
{
	char p150[200], p300[400];
	const char *paths[4] = {"manifest.json", "rows/ext.jsonl", p150, p300};
	FILE *f = tmpf();

	/* 150 bytes: ustar's prefix and name; 300: a pax path record */
	memset(p150, 'd', sizeof(p150));
	memcpy(p150, "spool/tenants/", 14);
	p150[90] = '/';
	p150[150] = '\0';
	memset(p300, 'e', sizeof(p300));
	for (int i = 50; i < 300; i += 50)
		p300[i] = '/';
	p300[300] = '\0';
	write_entries(f, paths, 4);
	read_entries(f, paths, 4);
	fclose(f);
}

/* Every cut short of the end marker is an error, not a shorter archive. */
static void test_truncated(void **state)
{
	const char *paths[] = {"a", "b/c", "d"};
	FILE *f = tmpf(), *g;
	long size, cut;
	char *all;

	write_entries(f, paths, 3);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	all = malloc((size_t)size);
	rewind(f);
	assert_int_equal(fread(all, 1, (size_t)size, f), (size_t)size);
	/* up to the first end-of-archive block */
	for (cut = 0; cut < size - 1024; cut += 100) {
		struct tar_r *r;
		struct tar_entry e;
		char buf[4096];
		int rc = 0;
		g = tmpf();
		fwrite(all, 1, (size_t)cut, g);
		rewind(g);
		assert_int_equal(tar_r_alloc(&r, g, &lim), 0);
		while ((rc = tar_r_next(r, &e)) == 0)
			while ((rc = (int)tar_r_read(r, buf, sizeof(buf))) > 0)
				;
		assert_int_equal(rc, -EBADMSG);
		assert_non_null(strstr(tar_r_why(r), "truncated"));
		tar_r_free(r);
		fclose(g);
	}
	free(all);
	fclose(f);
}

/* A ustar header by hand: name, type, size; a right checksum. */
static void raw_header(FILE *f, const char *name, char type, unsigned size,
		       const char *prefix)
{
	unsigned char h[512] = {0};
	unsigned sum = 0;

	memcpy(h, name, strlen(name));
	memcpy(h + 100, "0000644", 7);
	snprintf((char *)h + 124, 12, "%011o", size);
	memcpy(h + 136, "00000000000", 11);
	h[156] = (unsigned char)type;
	if (type == '2')
		memcpy(h + 157, "/etc/passwd", 11);
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	if (prefix)
		memcpy(h + 345, prefix, strlen(prefix));
	for (int i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	fwrite(h, 1, 512, f);
}

static int first_entry(FILE *f, struct tar_entry *e, char *why, size_t len)
{
	struct tar_r *r;
	int rc;

	rewind(f);
	assert_int_equal(tar_r_alloc(&r, f, &lim), 0);
	rc = tar_r_next(r, e);
	snprintf(why, len, "%s", tar_r_why(r));
	tar_r_free(r);
	return rc;
}

static void refused(const char *name, char type, unsigned size,
		    const char *prefix, int want, const char *says)
{
	struct tar_entry e;
	char why[2048], zero[1024] = {0};
	FILE *f = tmpf();

	raw_header(f, name, type, size, prefix);
	fwrite(zero, 1, sizeof(zero), f);
	assert_int_equal(first_entry(f, &e, why, sizeof(why)), want);
	if (!strstr(why, says))
		fail_msg("refusal of '%s' says '%s', not '%s'", name, why,
			 says);
	fclose(f);
}

static void test_unsafe_refused(void **state)
{
	refused("../x", '0', 0, NULL, -EPERM, "unsafe path");
	refused("spool/../../x", '0', 0, NULL, -EPERM, "unsafe path");
	refused("/etc/passwd", '0', 0, NULL, -EPERM, "unsafe path");
	refused("x", '0', 0, "/abs", -EPERM, "unsafe path");
	refused("a//b", '0', 0, NULL, -EPERM, "unsafe path");
	refused("link", '2', 0, NULL, -EPERM, "symbolic link");
	refused("hard", '1', 0, NULL, -EPERM, "hard link");
	refused("dev", '3', 0, NULL, -EPERM, "character device");
	refused("blk", '4', 0, NULL, -EPERM, "block device");
	refused("fifo", '6', 0, NULL, -EPERM, "FIFO");
	refused("big", '0', (1 << 20) + 1, NULL, -EFBIG, "more than");
	/* the writer refuses them too */
	{
		FILE *f = tmpf();
		struct tar_w *w;
		assert_int_equal(tar_w_alloc(&w, f), 0);
		assert_int_equal(tar_w_begin(w, "../x", 0), -EINVAL);
		assert_int_equal(tar_w_begin(w, "/x", 0), -EINVAL);
		tar_w_free(w);
		fclose(f);
	}
}

static void test_damaged(void **state)
{
	struct tar_entry e;
	char why[2048];
	FILE *f = tmpf();
	unsigned char h[512];
	static const char zero2[1024];

	raw_header(f, "a", '0', 0, NULL);
	rewind(f);
	assert_int_equal(fread(h, 1, 512, f), 512);
	h[0] = 'b'; /* the checksum no longer fits */
	rewind(f);
	fwrite(h, 1, 512, f);
	assert_int_equal(first_entry(f, &e, why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "checksum"));
	fclose(f);

	/* pax records whose length runs past the header, or holds no '=' */
	{
		static const char *const bad[] = {
		    "99 path=x\n", "00000000000000000008 path=x\n",
		    "12 pathxxxx\n", "7 size=9\n"};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char blk[512] = {0};
			f = tmpf();
			raw_header(f, "pax", 'x', (unsigned)strlen(bad[i]),
				   NULL);
			memcpy(blk, bad[i], strlen(bad[i]));
			fwrite(blk, 1, sizeof(blk), f);
			raw_header(f, "a", '0', 0, NULL);
			fwrite(zero2, 1, sizeof(zero2), f);
			int rc = first_entry(f, &e, why, sizeof(why));
			if (rc != -EBADMSG && rc != -EPERM)
				fail_msg("pax record '%s' gave %d", bad[i], rc);
			fclose(f);
		}
	}

	f = tmpf();
	fputs("this is not a tar archive at all", f);
	for (int i = 0; i < 600; i++)
		fputc('x', f);
	assert_int_equal(first_entry(f, &e, why, sizeof(why)), -EBADMSG);
	fclose(f);
}

static void test_path_ok(void **state)
{
	assert_true(tar_path_ok("spool/tenants/a.test/vm/1001/new/x.wav"));
	assert_true(tar_path_ok("a..b/c"));
	assert_false(tar_path_ok(""));
	assert_false(tar_path_ok("a/./b"));
	assert_false(tar_path_ok("a/"));
	assert_false(tar_path_ok("a\nb"));
	assert_false(tar_path_ok(".."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_unsafe_refused),
	    cmocka_unit_test(test_damaged),
	    cmocka_unit_test(test_path_ok),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
