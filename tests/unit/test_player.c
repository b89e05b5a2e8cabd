/* test_player.c - prompts play at the leg's rate; recordings survive (player.c,
 * recorder.c). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <sndfile.h>

#include "media/player.h"
#include "media/recorder.h"

#define AMP 10000.0

static char dir[64];

static char *in_dir(const char *name)
{
	static char path[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

static int16_t tone_at(long i, int rate)
{
	return (int16_t)lrint(AMP * sin(2.0 * M_PI * 1000.0 * i / rate));
}

/* Writes seconds of a 1 kHz tone (in every channel) with libsndfile. */
static void write_tone(const char *name, int format, int rate, int channels,
		       double seconds)
{
	SF_INFO info = {
	    .samplerate = rate, .channels = channels, .format = format};
	long frames = lrint(seconds * rate);
	int16_t *buf = malloc((size_t)frames * (size_t)channels * 2);
	SNDFILE *sf;

	assert_non_null(buf);
	assert_true(sf_format_check(&info));
	for (long i = 0; i < frames; i++)
		for (int c = 0; c < channels; c++)
			buf[i * channels + c] = tone_at(i, rate);
	sf = sf_open(in_dir(name), SFM_WRITE, &info);
	assert_non_null(sf);
	assert_int_equal(sf_writef_short(sf, buf, frames), frames);
	assert_int_equal(sf_close(sf), 0);
	free(buf);
}

static void write_bytes(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(in_dir(name), "wb");

	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static size_t read_bytes(const char *name, void *data, size_t max)
{
	FILE *f = fopen(in_dir(name), "rb");
	size_t n;

	assert_non_null(f);
	n = fread(data, 1, max, f);
	fclose(f);
	return n;
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/ondo-player-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	write_tone("8k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 1.0);
	write_tone("16k.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, 1.0);
	write_tone("44k1.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 1.0);
	write_tone("ulaw.wav", SF_FORMAT_WAV | SF_FORMAT_ULAW, 8000, 1, 1.0);
	return 0;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && unlink(in_dir(e->d_name)) < 0)
			rmdir(in_dir(e->d_name));
	if (d)
		closedir(d);
	return rmdir(dir);
}

/* Entries in dir whose name starts with prefix. */
static int count_files(const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)))
			n++;
	closedir(d);
	return n;
}

static double goertzel_1k(const int16_t *buf, int n, int rate)
{
	double k = 2.0 * cos(2.0 * M_PI * 1000.0 / rate), s0, s1 = 0, s2 = 0;

	for (int i = 0; i < n; i++) {
		s0 = buf[i] + k * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	return 2.0 * sqrt(s1 * s1 + s2 * s2 - k * s1 * s2) / n;
}

static int zero_crossings(const int16_t *buf, int n)
{
	int c = 0;

	for (int i = 1; i < n; i++)
		if ((buf[i - 1] < 0) != (buf[i] < 0))
			c++;
	return c;
}

/*
 * Plays name at rate in 20 ms frames as a media worker would; returns the
 * samples (caller frees) and their number in *n.
 */
static int16_t *play_all(const char *name, int rate, int *n)
{
	int frame = rate / 50, cap = rate * 3, got;
	int16_t *pcm = malloc((size_t)cap * sizeof(*pcm));
	struct player *p;
	char err[256];

	assert_non_null(pcm);
	if (player_open(&p, in_dir(name), rate, err, sizeof(err)) != 0)
		fail_msg("a good prompt %s did not play at %d Hz: %s", name,
			 rate, err);
	*n = 0;
	while ((got = player_read(p, pcm + *n, frame)) > 0) {
		assert_true(*n + frame <= cap - frame);
		if (got < frame && player_read(p, pcm, frame) != 0)
			fail_msg("%s: a short frame in the middle of the "
				 "prompt (the caller would hear a gap)",
				 name);
		*n += got;
	}
	assert_int_equal(got, 0);
	assert_int_equal(player_read(p, pcm, frame), 0);
	player_close(p);
	return pcm;
}

static void expect_one_second_tone(const char *name, int rate)
{
	int n, len, zc;
	int16_t *pcm = play_all(name, rate, &n);
	double db;

	if (abs(n - rate) > 2)
		fail_msg("%s (1 s) played at %d Hz lasted %d samples, want "
			 "%d: the prompt would be cut or padded",
			 name, rate, n, rate);
	/* Past the first and last 50 ms, where a resampler's edges are. */
	len = n - rate / 10;
	zc = zero_crossings(pcm + rate / 20, len);
	if (abs(zc - 2000 * len / rate) > 4)
		fail_msg("%s at %d Hz: the 1 kHz tone changed pitch (%d zero "
			 "crossings in %d samples)",
			 name, rate, zc, len);
	db = 20 * log10(goertzel_1k(pcm + rate / 20, len, rate) / AMP);
	if (fabs(db) > 1.0)
		fail_msg("%s at %d Hz: the prompt is %.1f dB louder or "
			 "quieter than the file",
			 name, rate, db);
	free(pcm);
}

static void test_plays_common_formats(void **state)
{
	static const char *files[] = {"8k.wav", "16k.wav", "44k1.wav",
				      "ulaw.wav"};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		expect_one_second_tone(files[i], 8000);
		expect_one_second_tone(files[i], 16000);
	}
}

static void test_rewind_plays_again(void **state)
{
	int16_t pcm[160];
	struct player *p;
	int total = 0, got;

	assert_int_equal(player_open(&p, in_dir("44k1.wav"), 8000, NULL, 0), 0);
	for (int round = 0; round < 3; round++) {
		total = 0;
		while ((got = player_read(p, pcm, 160)) > 0)
			total += got;
		if (abs(total - 8000) > 2)
			fail_msg("music on hold loop %d lasted %d samples, "
				 "want 8000",
				 round, total);
		assert_int_equal(player_rewind(p), 0);
	}
	player_close(p);
}

static void expect_error(const char *name, int want, const char *why)
{
	struct player *p = NULL;
	char err[256];
	int ret;

	ret = player_open(&p, in_dir(name), 8000, err, sizeof(err));
	if (ret >= 0)
		fail_msg("%s played although it is %s", name, why);
	assert_null(p);
	if (want && ret != want)
		fail_msg("%s: error %d, want %d (%s)", name, ret, want, why);
	if (!strstr(err, "cannot play ") || !strstr(err, name) ||
	    !strstr(err, why))
		fail_msg("an admin would see \"%s\" for a file that is %s", err,
			 why);
}

static void test_bad_files_give_clear_errors(void **state)
{
	char wav[4096];
	size_t len;

	expect_error("missing.wav", -ENOENT, "no such file");
	write_bytes("text.wav", "hello, this is a note, not audio\n", 33);
	expect_error("text.wav", -EINVAL, "not an audio file");
	write_bytes("empty.wav", "", 0);
	expect_error("empty.wav", -ENODATA, "empty");
	len = read_bytes("8k.wav", wav, sizeof(wav));
	assert_true(len > 100);
	write_bytes("cut_header.wav", wav, 30);
	expect_error("cut_header.wav", 0, "not an audio file");
	write_bytes("header_only.wav", wav, 44);
	expect_error("header_only.wav", 0, "");
	assert_int_equal(mkdir(in_dir("folder.wav"), 0700), 0);
	expect_error("folder.wav", -EISDIR, "folder");
}

/* A file cut short in its audio plays what is there. */
static void test_truncated_audio_plays_what_is_there(void **state)
{
	static char wav[16100];
	size_t len = read_bytes("8k.wav", wav, sizeof(wav));
	int16_t *pcm;
	int n;

	assert_true(len > 16000);
	write_bytes("half.wav", wav, 44 + 8000);
	pcm = play_all("half.wav", 8000, &n);
	if (abs(n - 4000) > 2)
		fail_msg("a WAV cut to 0.5 s played for %d samples", n);
	free(pcm);
}

/*
 * Not a fuzzer, but the same promise: a damaged header never crashes the
 * daemon (run under valgrind this also finds bad reads).
 */
static void test_damaged_headers_never_crash(void **state)
{
	static char wav[2000], bad[2000];
	unsigned int seed = 7;
	int16_t pcm[320];
	char err[256];

	read_bytes("ulaw.wav", wav, sizeof(wav));
	for (int round = 0; round < 300; round++) {
		struct player *p;

		memcpy(bad, wav, sizeof(bad));
		for (int k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			bad[(seed >> 16) % 64] = (char)(seed >> 8);
		}
		write_bytes("fuzz.wav", bad, sizeof(bad));
		if (player_open(&p, in_dir("fuzz.wav"), 16000, err,
				sizeof(err)) < 0) {
			assert_true(strstr(err, "cannot play ") != NULL);
			continue;
		}
		for (int frames = 0; frames < 5000; frames++)
			if (player_read(p, pcm, 320) <= 0)
				break;
		player_close(p);
	}
}

static void test_bad_arguments(void **state)
{
	struct player *p = NULL;
	int16_t pcm[160];

	assert_int_equal(player_open(&p, in_dir("8k.wav"), 44100, NULL, 0),
			 -EINVAL);
	assert_int_equal(player_open(NULL, in_dir("8k.wav"), 8000, NULL, 0),
			 -EINVAL);
	assert_int_equal(player_read(NULL, pcm, 160), -EINVAL);
	player_close(NULL);
}

/* Records seconds of tone at rate in 20 ms frames; the recorder stays open. */
static struct recorder *record_tone(const char *name, int rate, double seconds)
{
	struct recorder *r;
	int16_t frame[320];
	int n = rate / 50;
	char err[256];

	if (recorder_open(&r, in_dir(name), rate, err, sizeof(err)) != 0)
		fail_msg("could not start recording %s: %s", name, err);
	for (long i = 0; i < lrint(seconds * rate); i += n) {
		for (int k = 0; k < n; k++)
			frame[k] = tone_at(i + k, rate);
		assert_int_equal(recorder_write(r, frame, n), 0);
	}
	return r;
}

/* Checks name holds exactly nsamples of the tone, as 16-bit mono WAV. */
static void expect_recording(const char *name, int rate, long nsamples)
{
	SF_INFO info = {0};
	SNDFILE *sf = sf_open(in_dir(name), SFM_READ, &info);
	int16_t *pcm;

	if (!sf)
		fail_msg("the recording %s cannot be opened: %s", name,
			 sf_strerror(NULL));
	if (info.samplerate != rate || info.channels != 1 ||
	    info.format != (SF_FORMAT_WAV | SF_FORMAT_PCM_16))
		fail_msg("the recording %s is %d Hz, %d channels, format "
			 "0x%x; want %d Hz mono 16-bit WAV",
			 name, info.samplerate, info.channels, info.format,
			 rate);
	if (info.frames != nsamples)
		fail_msg("the recording %s has %ld samples, want %ld: audio "
			 "was lost",
			 name, (long)info.frames, nsamples);
	pcm = malloc((size_t)nsamples * sizeof(*pcm) + 2);
	assert_non_null(pcm);
	assert_int_equal(sf_read_short(sf, pcm, nsamples), nsamples);
	for (long i = 0; i < nsamples; i++)
		if (pcm[i] != tone_at(i, rate))
			fail_msg("the recording %s differs from what was said "
				 "at sample %ld",
				 name, i);
	free(pcm);
	sf_close(sf);
}

static void test_recording_appears_only_when_finished(void **state)
{
	struct recorder *r = record_tone("vm.wav", 16000, 1.0);
	int64_t n = -1;

	if (access(in_dir("vm.wav"), F_OK) == 0)
		fail_msg("the recording is visible under its final name "
			 "before it was finished");
	assert_int_equal(count_files("vm.wav.part-"), 1);
	assert_int_equal(recorder_finish(r, &n), 0);
	assert_int_equal(n, 16000);
	assert_int_equal(count_files("vm.wav.part-"), 0);
	expect_recording("vm.wav", 16000, 16000);
}

static void test_abort_leaves_nothing(void **state)
{
	struct recorder *r = record_tone("gone.wav", 8000, 0.5);

	recorder_abort(r);
	if (count_files("gone.wav") != 0)
		fail_msg("an aborted recording left a file behind");
	recorder_abort(NULL);
}

/* A daemon that dies mid-message leaves a .part that is at most 1 s short. */
static void test_unfinished_part_is_readable(void **state)
{
	struct recorder *r = record_tone("crash.wav", 8000, 1.5);
	char name[256];
	DIR *d = opendir(dir);
	struct dirent *e;
	SF_INFO info = {0};
	SNDFILE *sf;

	name[0] = '\0';
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "crash.wav.part-", 15))
			snprintf(name, sizeof(name), "%s", e->d_name);
	closedir(d);
	sf = sf_open(in_dir(name), SFM_READ, &info);
	assert_non_null(sf);
	if (info.frames < 8000)
		fail_msg("a crash after 1.5 s of voicemail would keep only "
			 "%ld samples",
			 (long)info.frames);
	sf_close(sf);
	recorder_abort(r);
}

static void test_recorder_errors(void **state)
{
	struct recorder *r = NULL;
	char err[256];
	int64_t n;

	assert_int_equal(recorder_open(&r, in_dir("no/such/folder.wav"), 8000,
				       err, sizeof(err)),
			 -ENOENT);
	assert_null(r);
	assert_non_null(strstr(err, "folder.wav"));
	assert_int_equal(
	    recorder_open(&r, in_dir("x.wav"), 0, err, sizeof(err)), -EINVAL);
	/* An empty recording is a valid file that the player refuses. */
	assert_int_equal(
	    recorder_open(&r, in_dir("silent.wav"), 8000, err, sizeof(err)), 0);
	assert_int_equal(recorder_finish(r, &n), 0);
	assert_int_equal(n, 0);
	expect_error("silent.wav", -ENODATA, "no audio");
}

/*
 * A full disk (here a file size limit, which fails write(2) the same way)
 * keeps everything recorded before it; runs in a child so the limit does
 * not touch the test's own log.
 */
static void test_full_disk_keeps_what_was_recorded(void **state)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit lim = {.rlim_cur = 10000, .rlim_max = 10000};
		struct recorder *r;
		int16_t frame[160];
		int64_t n = 0;
		int ret = 0, first = 0;

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &lim);
		if (recorder_open(&r, in_dir("full.wav"), 8000, NULL, 0))
			_exit(10);
		for (long i = 0; i < 8000; i += 160) {
			for (int k = 0; k < 160; k++)
				frame[k] = tone_at(i + k, 8000);
			ret = recorder_write(r, frame, 160);
			if (ret && !first)
				first = ret;
			if (ret && ret != first)
				_exit(11); /* error not sticky */
		}
		if (first != -EFBIG)
			_exit(12);
		if (recorder_finish(r, &n) || n < 4000 || n > 5000)
			_exit(13);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("recording onto a full disk failed (child status "
			 "0x%x): 10 open, 11 error not sticky, 12 no error, "
			 "13 finish lost the audio",
			 status);
	{
		SF_INFO info = {0};
		SNDFILE *sf = sf_open(in_dir("full.wav"), SFM_READ, &info);

		assert_non_null(sf);
		sf_close(sf);
		expect_recording("full.wav", 8000, (long)info.frames);
		if (info.frames < 4900)
			fail_msg("only %ld samples kept of a disk that had "
				 "room for about 4978",
				 (long)info.frames);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plays_common_formats),
		cmocka_unit_test(test_rewind_plays_again),
		cmocka_unit_test(test_bad_files_give_clear_errors),
		cmocka_unit_test(test_truncated_audio_plays_what_is_there),
		cmocka_unit_test(test_damaged_headers_never_crash),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_recording_appears_only_when_finished),
		cmocka_unit_test(test_abort_leaves_nothing),
		cmocka_unit_test(test_unfinished_part_is_readable),
		cmocka_unit_test(test_recorder_errors),
		cmocka_unit_test(test_full_disk_keeps_what_was_recorded),
	};

	return cmocka_run_group_tests_name("player", tests, setup, teardown);
}
