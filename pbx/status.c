/* status.c - `ondoctl status`: counts and memory of the running daemon,
 * for operators and for bench/mem.sh (bytes per registration and per
 * call are differences of heap_in_use_kb, which RSS cannot give: glibc
 * keeps freed memory mapped). */
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "status.h"
#include "media/media.h"
#include "sip/sip.h"

static void proc_status(long *rss_kb, long *hwm_kb)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];

	*rss_kb = *hwm_kb = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmRSS:", 6))
			sscanf(line + 6, "%ld", rss_kb);
		else if (!strncmp(line, "VmHWM:", 6))
			sscanf(line + 6, "%ld", hwm_kb);
	}
	fclose(f);
}

static long open_files(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	long n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

int status_print(struct sip *s, struct media *m, time_t started, FILE *out)
{
	struct mallinfo2 mi = mallinfo2();
	long rss, hwm;
	int regs, calls;

	sip_counts(s, &regs, &calls);
	proc_status(&rss, &hwm);
	fprintf(out, "uptime_s %lld\n", (long long)(time(NULL) - started));
	fprintf(out, "registrations %d\n", regs);
	fprintf(out, "calls %d\n", calls);
	fprintf(out, "rtp_ports_in_use %d\n", m ? 2 * media_ports_in_use(m) : 0);
	/* uordblks: small blocks in use; hblkhd: mmap()ed large ones. */
	fprintf(out, "heap_in_use_kb %zu\n", (mi.uordblks + mi.hblkhd) / 1024);
	fprintf(out, "heap_free_kb %zu\n", mi.fordblks / 1024);
	fprintf(out, "rss_kb %ld\n", rss);
	fprintf(out, "rss_peak_kb %ld\n", hwm);
	fprintf(out, "open_files %ld\n", open_files());
	return 0;
}
