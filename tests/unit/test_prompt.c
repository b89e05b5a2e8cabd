/* test_prompt.c - a tenant's prompts as ondoctl and the API store them
 * (pbx/prompt/): converted to 16 kHz mono, refused when not audio or too
 * long without touching the prompt there, listed, deleted. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sndfile.h>

#include "prompt/prompt.h"

#define DOM "acme.test"

static char spool[64];
static char why[PATH_MAX + 256];

static char *at(const char *fmt, const char *name)
{
	static char path[4][PATH_MAX];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), fmt, spool, name);
	return path[k];
}

/* The prompt folder's file `name`. */
static char *pfile(const char *name)
{
	return at("%s/tenants/" DOM "/prompts/%s", name);
}

/* A file of the spool's top folder (the sources of uploads). */
static char *src(const char *name)
{
	return at("%s/%s", name);
}

/* Writes `seconds` of a 440 Hz tone with libsndfile. */
static void write_tone(const char *path, int format, int rate, int channels,
		       double seconds)
{
	SF_INFO info = {
	    .samplerate = rate, .channels = channels, .format = format};
	long frames = lrint(seconds * rate);
	int16_t *buf = calloc((size_t)frames * (size_t)channels, 2);
	SNDFILE *sf;

	assert_non_null(buf);
	for (long i = 0; i < frames; i++)
		buf[i * channels] =
		    (int16_t)lrint(8000 * sin(2 * M_PI * 440.0 * i / rate));
	sf = sf_open(path, SFM_WRITE, &info);
	assert_non_null(sf);
	assert_int_equal(sf_writef_short(sf, buf, frames), frames);
	assert_int_equal(sf_close(sf), 0);
	free(buf);
}

/* The whole of a file, in memory the caller frees. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = malloc(1 << 20);

	assert_non_null(f);
	assert_non_null(b);
	*len = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

/* Asserts that `path` is 16-bit mono 16 kHz WAV of `seconds`. */
static void assert_stored(const char *path, double seconds)
{
	SF_INFO info = {0};
	SNDFILE *sf = sf_open(path, SFM_READ, &info);

	assert_non_null(sf);
	sf_close(sf);
	assert_int_equal(info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	assert_int_equal(info.samplerate, PROMPT_RATE);
	assert_int_equal(info.channels, 1);
	assert_true(fabs((double)info.frames / PROMPT_RATE - seconds) < 0.02);
}

/* Files in the prompt folder, sorted names joined by spaces. */
static const char *folder(void)
{
	static char out[1024];
	struct dirent **names;
	int n = scandir(pfile(""), &names, NULL, alphasort);

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' || names[i]->d_name[1] == 'u')
			snprintf(out + strlen(out), sizeof(out) - strlen(out),
				 "%s%s", out[0] ? " " : "", names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return out;
}

static int setup(void **state)
{
	(void)state;
	strcpy(spool, "/tmp/ondo-prompt-XXXXXX");
	return mkdtemp(spool) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", spool);
	return system(cmd);
}

static void test_upload_is_converted_and_replaces(void **state)
{
	int64_t samples = 0;
	bool replaced = true;
	struct prompt_info info;

	(void)state;
	write_tone(src("in.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2,
		   1.5);
	assert_int_equal(prompt_import(spool, DOM, "welcome", src("in.flac"),
				       "in.flac", &samples, &replaced, why,
				       sizeof(why)),
			 0);
	assert_false(replaced);
	assert_true(llabs(samples - 24000) < 100);
	assert_stored(pfile("welcome.wav"), 1.5);
	assert_int_equal(prompt_stat(spool, DOM, "welcome", &info), 0);
	assert_string_equal(info.id, "welcome");
	assert_true(fabs(info.seconds - 1.5) < 0.02);
	assert_true(info.bytes > 48000);

	write_tone(src("in8k.wav"), SF_FORMAT_WAV | SF_FORMAT_ULAW, 8000, 1,
		   2.0);
	assert_int_equal(prompt_import(spool, DOM, "welcome", src("in8k.wav"),
				       "in8k.wav", NULL, &replaced, why,
				       sizeof(why)),
			 0);
	assert_true(replaced);
	assert_stored(pfile("welcome.wav"), 2.0);
	assert_string_equal(folder(), "welcome.wav");
}

static void test_refused_sources_leave_nothing(void **state)
{
	static const char text[] = "Welcome to Acme\n";
	FILE *f = fopen(src("notes.txt"), "w");

	(void)state;
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(prompt_import(spool, DOM, "welcome", src("notes.txt"),
				       "notes.txt", NULL, NULL, why,
				       sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "notes.txt is not an audio file");
	assert_int_equal(prompt_import(spool, DOM, "welcome", src("none.wav"),
				       "none.wav", NULL, NULL, why,
				       sizeof(why)),
			 -ENOENT);
	assert_string_equal(why, "no file none.wav");
	/* Checked before any folder is made. */
	assert_int_equal(access(pfile(""), F_OK), -1);

	assert_int_equal(prompt_import_mem(spool, DOM, "welcome", "", 0, NULL,
					   NULL, why, sizeof(why)),
			 -ENODATA);
	assert_string_equal(why, "the upload is empty, not an audio file");
	assert_int_equal(access(pfile(""), F_OK), -1);
	assert_int_equal(prompt_import_mem(spool, DOM, "welcome", text,
					   sizeof(text), NULL, NULL, why,
					   sizeof(why)),
			 -EINVAL);
	assert_string_equal(why, "the upload is not an audio file");
	assert_int_equal(prompt_import(spool, DOM, "../x", src("notes.txt"),
				       "notes.txt", NULL, NULL, why,
				       sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "invalid prompt id '../x'"));
	/* The temporary copy of the upload is gone. */
	assert_string_equal(folder(), "");
}

static void test_upload_from_memory_and_too_long(void **state)
{
	size_t len;
	char *wav;
	int64_t samples = 0;

	(void)state;
	write_tone(src("short.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1,
		   1.0);
	wav = slurp(src("short.wav"), &len);
	assert_int_equal(prompt_import_mem(spool, DOM, "moh", wav, len,
					   &samples, NULL, why, sizeof(why)),
			 0);
	free(wav);
	assert_stored(pfile("moh.wav"), 1.0);

	write_tone(src("long.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1,
		   PROMPT_MAX_SEC + 1);
	assert_int_equal(prompt_import(spool, DOM, "moh", src("long.wav"),
				       "the upload", NULL, NULL, why,
				       sizeof(why)),
			 -EMSGSIZE);
	assert_string_equal(why, "the upload is longer than 10 minutes");
	/* The music the tenant had stays, and no half file is left. */
	assert_stored(pfile("moh.wav"), 1.0);
	assert_string_equal(folder(), "moh.wav");
}

static int list_h(const struct prompt_info *p, void *arg)
{
	char *out = arg;

	snprintf(out + strlen(out), 256 - strlen(out), "%s%s:%.1f",
		 out[0] ? " " : "", p->id, p->seconds);
	return 0;
}

static void test_list_and_delete(void **state)
{
	char out[256] = "";
	struct prompt_info info;

	(void)state;
	/* No folder yet: no prompts, not an error. */
	assert_int_equal(prompt_list(spool, DOM, list_h, out), 0);
	assert_string_equal(out, "");
	write_tone(src("a.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1,
		   0.5);
	assert_int_equal(prompt_import(spool, DOM, "zeta", src("a.wav"),
				       "a.wav", NULL, NULL, why, sizeof(why)),
			 0);
	assert_int_equal(prompt_import(spool, DOM, "alpha_1", src("a.wav"),
				       "a.wav", NULL, NULL, why, sizeof(why)),
			 0);
	/* Neither a recorder's nor an upload's temporary file, nor a name
	 * that is no prompt id, is listed. */
	fclose(fopen(pfile("x.wav.part-abc123"), "w"));
	fclose(fopen(pfile(".upload-abc123"), "w"));
	fclose(fopen(pfile("Bad.wav"), "w"));
	fclose(fopen(pfile("bad.wav"), "w"));
	assert_int_equal(prompt_list(spool, DOM, list_h, out), 0);
	assert_string_equal(out, "alpha_1:0.5 bad:-1.0 zeta:0.5");

	assert_int_equal(prompt_delete(spool, DOM, "zeta"), 0);
	assert_int_equal(prompt_delete(spool, DOM, "zeta"), -ENOENT);
	assert_int_equal(prompt_delete(spool, DOM, "../zeta"), -EINVAL);
	assert_int_equal(access(pfile("alpha_1.wav"), F_OK), 0);
	assert_int_equal(prompt_stat(spool, DOM, "zeta", &info), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_upload_is_converted_and_replaces, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refused_sources_leave_nothing,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_upload_from_memory_and_too_long, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_and_delete, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
