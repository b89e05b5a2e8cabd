/* fuzz_tar.c - libFuzzer target: a tenant archive as `ondoctl tenant
 * import` and POST /api/v1/tenant-import read it (pbx/move/tar_read.c):
 * every entry's header, path and size checked, its data read to the end,
 * until the end of the archive or the first refusal.
 *
 * Input: the archive's bytes. */
#include "fuzz/fuzz_util.h"
#include "move/tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct tar_limits lim = {1 << 20, 1 << 22, 1000};
	struct tar_entry e;
	struct tar_r *r;
	char buf[4096];
	ssize_t k;
	int rc;

	FILE *f;

	/* fmemopen refuses a size of 0 */
	if (!size || !(f = fmemopen((void *)data, size, "r")))
		return 0;
	if (tar_r_alloc(&r, f, &lim)) {
		fclose(f);
		return 0;
	}
	while ((rc = tar_r_next(r, &e)) == 0) {
		uint64_t got = 0;
		FUZZ_CHECK(tar_path_ok(e.path), "unsafe path let through: %s",
			   e.path);
		FUZZ_CHECK(e.size <= lim.entry_max, "entry of %llu bytes",
			   (unsigned long long)e.size);
		while ((k = tar_r_read(r, buf, sizeof(buf))) > 0)
			got += (uint64_t)k;
		FUZZ_CHECK(k < 0 || got == e.size, "read %llu of %llu",
			   (unsigned long long)got, (unsigned long long)e.size);
	}
	FUZZ_CHECK(rc == 1 || rc < 0, "tar_r_next returned %d", rc);
	FUZZ_CHECK(rc > 0 || tar_r_why(r)[0], "refusal %d without a reason",
		   rc);
	tar_r_free(r);
	fclose(f);
	return 0;
}
