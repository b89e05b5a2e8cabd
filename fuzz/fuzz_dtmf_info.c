/* fuzz_dtmf_info.c - libFuzzer target: the body of a SIP INFO carrying a
 * key press (call_leg.c hands it to dtmf_info_parse with the request's
 * Content-Type). Any phone of any tenant in a call can send one.
 * Input: the Content-Type value, a NUL byte, then the body (not
 * NUL-terminated, as sofia-sip hands it over). Without a NUL byte the
 * whole input is a body, tried as both content types. */
#include "fuzz/fuzz_util.h"
#include "media/dtmf.h"

static void parse(const char *type, const uint8_t *body, size_t len)
{
	/* A copy of its exact size, so ASan sees any read past it. */
	char *b = malloc(len ? len : 1);
	char digit = 0;
	int err;

	if (!b)
		abort();
	memcpy(b, body, len);
	err = dtmf_info_parse(type, b, len, &digit);
	if (err == 0)
		FUZZ_CHECK(digit && strchr("0123456789*#ABCD", digit),
			   "key '%c' (%d) reported", digit, digit);
	else
		FUZZ_CHECK(err == -EINVAL, "error %d", err);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	char *type;

	if (!nul) {
		parse("application/dtmf-relay", data, size);
		parse("application/dtmf", data, size);
		return 0;
	}
	type = strdup((const char *)data);
	if (!type)
		abort();
	parse(type, nul + 1, size - (size_t)(nul + 1 - data));
	free(type);
	return 0;
}
