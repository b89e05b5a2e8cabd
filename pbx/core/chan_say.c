/* chan_say.c - saying digits and numbers with the stock prompts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/chan_priv.h"

/* Prompt ids of sounds/prompts.tsv. */
static const char *const ones[] = {
	"digit_0", "digit_1", "digit_2", "digit_3", "digit_4",
	"digit_5", "digit_6", "digit_7", "digit_8", "digit_9",
	"num_10",  "num_11",  "num_12",	 "num_13",  "num_14",
	"num_15",  "num_16",  "num_17",	 "num_18",  "num_19"};
static const char *const tens[] = {"",	     "",       "num_20", "num_30",
				   "num_40", "num_50", "num_60", "num_70",
				   "num_80", "num_90"};

int chan_say_digits(struct chan *c, const char *digits)
{
	int r = 0;

	for (; r == 0 && digits && *digits; digits++) {
		const char *id = NULL;

		if (*digits >= '0' && *digits <= '9')
			id = ones[*digits - '0'];
		else if (*digits == '*')
			id = "digit_star";
		else if (*digits == '#')
			id = "digit_pound";
		if (id)
			r = chan_play(c, id, NULL, NULL);
	}
	return r;
}

/* Below 1000: "three hundred forty two". */
static int say_hundreds(struct chan *c, int n)
{
	int r = 0;

	if (n >= 100) {
		r = chan_play(c, ones[n / 100], NULL, NULL);
		if (!r)
			r = chan_play(c, "num_hundred", NULL, NULL);
		n %= 100;
	}
	if (!r && n >= 20) {
		r = chan_play(c, tens[n / 10], NULL, NULL);
		n %= 10;
		if (!r && n)
			r = chan_play(c, ones[n], NULL, NULL);
	} else if (!r && n > 0) {
		r = chan_play(c, ones[n], NULL, NULL);
	}
	return r;
}

int chan_say_number(struct chan *c, long n)
{
	static const struct {
		long unit;
		const char *word;
	} scale[] = {{1000000, "num_million"}, {1000, "num_thousand"}, {1, NULL}};
	int r = 0;

	if (n < 0 || n > 999999999L)
		return -EINVAL;
	if (n == 0)
		return chan_play(c, "digit_0", NULL, NULL);
	for (size_t i = 0; r == 0 && i < sizeof(scale) / sizeof(scale[0]);
	     i++) {
		int part = (int)(n / scale[i].unit);

		n %= scale[i].unit;
		if (!part)
			continue;
		r = say_hundreds(c, part);
		if (!r && scale[i].word)
			r = chan_play(c, scale[i].word, NULL, NULL);
	}
	return r;
}
