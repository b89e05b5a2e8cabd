/* player.c - plays a sound file in small chunks at a leg's rate. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sndfile.h>

#include "media/player.h"
#include "media/resample.h"

/*
 * This runs on a media worker's 20 ms tick, where the house rule is no file
 * I/O. Prompts are the one exception, for cost: they are small (a few
 * hundred KB at most) and played over and over, so they sit in the page
 * cache and reading one tick's worth is a copy from memory (an open, header
 * read and close of a stock prompt took 6 us, of a 44.1 kHz stereo upload
 * 70 us, of an OGG 0.5 ms). Handing every 20 ms frame over from another
 * thread would cost more than the read, and the DB thread, the only other
 * I/O thread, must not stall on audio. So we read about one tick of input
 * per refill, never the whole file.
 *
 * The header comes from whoever uploaded the file: player_open() is a fuzz
 * target. libsndfile parses it; we trust none of what it reports (channels,
 * rate, frame count) beyond the checks below.
 */

#define FILE_RATE_MIN 1000
#define FILE_RATE_MAX 384000
#define TICKS_PER_SEC 50

struct player {
	SNDFILE *sf;	      /* owned */
	int fd;		      /* owned; libsndfile borrows it */
	int channels;	      /* 1 or 2 */
	int chunk;	      /* frames read per refill, about one tick */
	int eof;	      /* file read to the end, filter flushed */
	struct resampler *rs; /* owned; file rate -> leg rate */
	int16_t *in;	      /* chunk * channels samples from the file */
	int16_t *out;	      /* cap samples at the leg's rate */
	int cap;
	int len; /* samples in out */
	int pos; /* samples of out already handed out */
};

static int fail(char *err, size_t errlen, const char *path, int ret,
		const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "cannot play %s: %s", path, why);
	return ret;
}

/* Opens path without blocking on a FIFO; only regular files are played. */
static int open_regular(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		e = errno;
		if (e == ENOENT || e == ENOTDIR)
			return fail(err, errlen, path, -ENOENT, "no such file");
		if (e == EACCES || e == EPERM)
			return fail(err, errlen, path, -EACCES,
				    "permission denied");
		return fail(err, errlen, path, -e, strerror(e));
	}
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return fail(err, errlen, path, -e, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		if (S_ISDIR(st.st_mode))
			return fail(err, errlen, path, -EISDIR,
				    "it is a folder");
		return fail(err, errlen, path, -EINVAL, "not a regular file");
	}
	if (st.st_size == 0) {
		close(fd);
		return fail(err, errlen, path, -ENODATA, "the file is empty");
	}
	return fd;
}

/* Allocates the buffers once the file's format is known. */
static int setup(struct player *p, int file_rate, int rate)
{
	int ret, flush_max;

	ret = resample_alloc(&p->rs, file_rate, rate);
	if (ret < 0)
		return ret;
	/* A prompt should start at once and end in full, not lag by 3 ms. */
	resample_skip_delay(p->rs);
	p->chunk = file_rate / TICKS_PER_SEC;
	p->cap = resample_out_max(p->rs, p->chunk);
	flush_max = resample_out_max(p->rs, resample_delay(p->rs));
	if (flush_max > p->cap)
		p->cap = flush_max;
	p->in = malloc((size_t)p->chunk * (size_t)p->channels * sizeof(*p->in));
	p->out = malloc((size_t)p->cap * sizeof(*p->out));
	if (!p->in || !p->out)
		return -ENOMEM;
	return 0;
}

int player_open(struct player **pp, const char *path, int rate, char *err,
		size_t errlen)
{
	struct player *p;
	SF_INFO info;
	int fd, ret;
	char why[96];

	if (err && errlen)
		err[0] = '\0';
	if (!pp || !path || (rate != 8000 && rate != 16000))
		return fail(err, errlen, path ? path : "(null)", -EINVAL,
			    "bad arguments");
	fd = open_regular(path, err, errlen);
	if (fd < 0)
		return fd;
	p = calloc(1, sizeof(*p)); /* caller frees with player_close() */
	if (!p) {
		close(fd);
		return fail(err, errlen, path, -ENOMEM, "out of memory");
	}
	p->fd = fd;
	memset(&info, 0, sizeof(info));
	/* We close fd ourselves, so it is closed on every path exactly once. */
	p->sf = sf_open_fd(fd, SFM_READ, &info, 0);
	if (!p->sf) {
		ret = fail(err, errlen, path, -EINVAL, "not an audio file");
		goto out;
	}
	if (info.channels < 1 || info.channels > 2) {
		snprintf(
		    why, sizeof(why),
		    "it has %d channels; only mono and stereo can be played",
		    info.channels);
		ret = fail(err, errlen, path, -ENOTSUP, why);
		goto out;
	}
	if (info.samplerate < FILE_RATE_MIN ||
	    info.samplerate > FILE_RATE_MAX) {
		snprintf(why, sizeof(why), "unsupported sample rate %d Hz",
			 info.samplerate);
		ret = fail(err, errlen, path, -ENOTSUP, why);
		goto out;
	}
	if (info.frames <= 0) {
		ret = fail(err, errlen, path, -ENODATA, "no audio in it");
		goto out;
	}
	p->channels = info.channels;
	/* Vorbis and float files can overshoot 1.0: clip, do not wrap. */
	sf_command(p->sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
	ret = setup(p, info.samplerate, rate);
	if (ret < 0) {
		ret = fail(err, errlen, path, ret, "out of memory");
		goto out;
	}
	*pp = p;
	return 0;
out:
	player_close(p);
	return ret;
}

/* Reads and converts the next chunk into out. Returns samples, 0 at end. */
static int refill(struct player *p)
{
	sf_count_t got;
	int i, n;

	p->pos = 0;
	p->len = 0;
	got = sf_readf_short(p->sf, p->in, p->chunk);
	if (got <= 0) {
		/* The filter still holds a few ms of the file's end. */
		p->eof = 1;
		n = resample_flush(p->rs, p->out, p->cap);
		p->len = n > 0 ? n : 0;
		return p->len;
	}
	if (p->channels == 2) {
		/* Mixed down in place: sample i is written after 2i is read. */
		for (i = 0; i < (int)got; i++)
			p->in[i] = (int16_t)(((int)p->in[2 * i] +
					      (int)p->in[2 * i + 1]) /
					     2);
	}
	n = resample_process(p->rs, p->in, (int)got, p->out, p->cap);
	p->len = n > 0 ? n : 0;
	return p->len;
}

int player_read(struct player *p, int16_t *pcm, int n)
{
	int done = 0, k;

	if (!p || n < 0 || (n && !pcm))
		return -EINVAL;
	while (done < n) {
		if (p->pos == p->len) {
			if (p->eof)
				break;
			/* A refill may yield nothing yet; loop until eof. */
			refill(p);
			continue;
		}
		k = p->len - p->pos;
		if (k > n - done)
			k = n - done;
		memcpy(pcm + done, p->out + p->pos, (size_t)k * sizeof(*pcm));
		p->pos += k;
		done += k;
	}
	return done;
}

int player_rewind(struct player *p)
{
	if (!p)
		return -EINVAL;
	if (sf_seek(p->sf, 0, SEEK_SET) < 0)
		return -EIO;
	resample_reset(p->rs);
	p->pos = 0;
	p->len = 0;
	p->eof = 0;
	return 0;
}

void player_close(struct player *p)
{
	if (!p)
		return;
	if (p->sf)
		sf_close(p->sf);
	close(p->fd);
	resample_free(p->rs);
	free(p->in);
	free(p->out);
	free(p);
}
