/* recorder.c - writes a leg's audio to a temporary WAV, renamed when done. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sndfile.h>

#include "core/fsutil.h"
#include "media/recorder.h"

#define PART_SUFFIX ".part-XXXXXX"

/*
 * The WAV header's length fields are only right after sf_close(). If the
 * daemon dies mid-call, a .part file whose header was refreshed a second ago
 * loses at most that second; refreshing on every 20 ms frame would cost a
 * seek and a write per frame for little more.
 */
#define HEADER_EVERY_SEC 1

struct recorder {
	SNDFILE *sf; /* owned */
	int fd;	     /* owned; libsndfile borrows it */
	int rate;
	int err;	  /* sticky negative errno once a write failed */
	int64_t nsamples; /* written so far */
	int64_t next_hdr; /* nsamples at which to refresh the header */
	char *part_path;  /* owned */
	char *final_path; /* owned */
};

static void free_rec(struct recorder *r)
{
	free(r->part_path);
	free(r->final_path);
	free(r);
}

int recorder_open(struct recorder **rp, const char *final_path, int rate,
		  char *err, size_t errlen)
{
	struct recorder *r;
	SF_INFO info;
	size_t len;
	int e;

	if (err && errlen)
		err[0] = '\0';
	if (!rp || !final_path || !final_path[0] || rate < 1000 ||
	    rate > 384000) {
		if (err && errlen)
			snprintf(err, errlen, "cannot record %s: bad arguments",
				 final_path ? final_path : "(null)");
		return -EINVAL;
	}
	memset(&info, 0, sizeof(info));
	info.samplerate = rate;
	info.channels = 1;
	info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
	if (!sf_format_check(&info)) {
		if (err && errlen)
			snprintf(err, errlen,
				 "cannot record %s: %d Hz is not a WAV rate",
				 final_path, rate);
		return -EINVAL;
	}

	r = calloc(1, sizeof(*r)); /* freed by recorder_finish/abort */
	if (!r)
		return -ENOMEM;
	r->fd = -1;
	r->rate = rate;
	r->next_hdr = (int64_t)rate * HEADER_EVERY_SEC;
	len = strlen(final_path);
	r->final_path = strdup(final_path);
	r->part_path = malloc(len + sizeof(PART_SUFFIX));
	if (!r->final_path || !r->part_path) {
		free_rec(r);
		return -ENOMEM;
	}
	memcpy(r->part_path, final_path, len);
	memcpy(r->part_path + len, PART_SUFFIX, sizeof(PART_SUFFIX));

	r->fd = mkostemp(r->part_path, O_CLOEXEC);
	if (r->fd < 0) {
		e = errno;
		if (err && errlen)
			snprintf(err, errlen, "cannot record %s: %s",
				 final_path, strerror(e));
		free_rec(r);
		return -e;
	}
	/* We close fd ourselves, so it is closed on every path exactly once. */
	errno = 0;
	r->sf = sf_open_fd(r->fd, SFM_WRITE, &info, 0);
	if (!r->sf) {
		/* libsndfile says only that it failed; the write it failed
		 * on left errno, which tells a full disk from a broken one. */
		e = errno == ENOSPC || errno == EDQUOT || errno == EFBIG ? errno
									  : EIO;
		if (err && errlen)
			snprintf(err, errlen,
				 "cannot record %s: cannot write a WAV header: "
				 "%s",
				 final_path, strerror(e));
		recorder_abort(r);
		return -e;
	}
	*rp = r;
	return 0;
}

int recorder_write(struct recorder *r, const int16_t *pcm, int n)
{
	sf_count_t put;
	int e;

	if (!r || n < 0 || (n && !pcm))
		return -EINVAL;
	if (r->err)
		return r->err;
	if (n == 0)
		return 0;
	errno = 0;
	put = sf_write_short(r->sf, pcm, n);
	if (put > 0)
		r->nsamples += put;
	if (put != n) {
		/* libsndfile keeps write(2)'s errno; anything else is EIO. */
		e = errno;
		r->err = (e == ENOSPC || e == EDQUOT || e == EFBIG) ? -e : -EIO;
		return r->err;
	}
	if (r->nsamples >= r->next_hdr) {
		sf_command(r->sf, SFC_UPDATE_HEADER_NOW, NULL, 0);
		r->next_hdr = r->nsamples + (int64_t)r->rate * HEADER_EVERY_SEC;
	}
	return 0;
}

int recorder_finish(struct recorder *r, int64_t *nsamples)
{
	int ret = 0;

	if (!r)
		return -EINVAL;
	/* After a full disk this is what made it into the file. */
	if (nsamples)
		*nsamples = r->nsamples;
	/*
	 * sf_close() writes the final header even after a failed write: the
	 * header sits at the start of the file, in space already allocated.
	 */
	if (sf_close(r->sf) != 0)
		ret = -EIO;
	r->sf = NULL;
	if (!ret && fsync(r->fd) < 0)
		ret = -errno;
	if (close(r->fd) < 0 && !ret)
		ret = -errno;
	r->fd = -1;
	if (!ret && rename(r->part_path, r->final_path) < 0)
		ret = -errno;
	if (!ret)
		ret = fs_sync_parent(r->final_path);
	free_rec(r);
	return ret;
}

void recorder_abort(struct recorder *r)
{
	if (!r)
		return;
	if (r->sf)
		sf_close(r->sf);
	if (r->fd >= 0) {
		close(r->fd);
		unlink(r->part_path);
	}
	free_rec(r);
}
