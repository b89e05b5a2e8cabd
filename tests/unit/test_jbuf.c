/* test_jbuf.c - jitter buffer ordering, loss, lateness, delay (pbx/media/). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "media/jbuf.h"

/* A frame's payload names its sequence number, so a test can tell which
 * frame came out. */
static int put(struct jbuf *jb, uint16_t seq)
{
	uint8_t p[160];

	memset(p, 0, sizeof(p));
	p[0] = (uint8_t)(seq >> 8);
	p[1] = (uint8_t)seq;
	return jbuf_put(jb, seq, 160u * seq, p, sizeof(p));
}

/* Gets one tick: the seq of the frame, or -1 for LOST, -2 for EMPTY. */
static int get(struct jbuf *jb)
{
	uint8_t out[JBUF_FRAME_MAX];
	size_t len = 99;

	switch (jbuf_get(jb, out, sizeof(out), &len)) {
	case JBUF_FRAME:
		assert_int_equal(len, 160);
		return out[0] << 8 | out[1];
	case JBUF_LOST:
		assert_int_equal(len, 0);
		return -1;
	default:
		assert_int_equal(len, 0);
		return -2;
	}
}

#define LOST  -1
#define EMPTY -2

static void expect(struct jbuf *jb, int want, const char *what)
{
	int got = get(jb);

	if (got != want)
		fail_msg("%s: the caller would hear %s%d instead of %s%d", what,
			 got >= 0 ? "frame " : "", got,
			 want >= 0 ? "frame " : "", want);
}

static void test_in_order_with_initial_delay(void **state)
{
	struct jbuf *jb;
	struct jbuf_stats st;
	int i;

	(void)state;
	assert_int_equal(jbuf_alloc(&jb, 0, 0), 0); /* delay 3 */
	expect(jb, EMPTY, "no packet yet");
	/* One packet per tick: two ticks of buffering, then frames. */
	assert_int_equal(put(jb, 1000), 0);
	expect(jb, EMPTY, "initial delay, 1 of 3 buffered");
	assert_int_equal(put(jb, 1001), 0);
	expect(jb, EMPTY, "initial delay, 2 of 3 buffered");
	for (i = 2; i < 50; i++) {
		assert_int_equal(put(jb, (uint16_t)(1000 + i)), 0);
		expect(jb, 1000 + i - 2, "steady stream");
	}
	jbuf_get_stats(jb, &st);
	assert_int_equal(st.frames, 48);
	assert_int_equal(
	    st.lost + st.late + st.reordered + st.duplicate + st.dropped, 0);
	assert_int_equal(jbuf_depth(jb), 2);
	jbuf_free(jb);
}

static void test_longer_delay(void **state)
{
	struct jbuf *jb;
	int i;

	(void)state;
	assert_int_equal(jbuf_alloc(&jb, 6, 0), 0);
	for (i = 0; i < 5; i++) {
		put(jb, (uint16_t)i);
		expect(jb, EMPTY, "initial delay of 6");
	}
	put(jb, 5);
	expect(jb, 0, "delay of 6 filled");
	jbuf_free(jb);
}

static void test_reordering(void **state)
{
	struct jbuf *jb;
	struct jbuf_stats st;

	(void)state;
	assert_int_equal(jbuf_alloc(&jb, 3, 0), 0);
	/* The very first packets overtake one another. */
	assert_int_equal(put(jb, 12), 0);
	assert_int_equal(put(jb, 10), 0);
	assert_int_equal(put(jb, 11), 0);
	expect(jb, 10, "first packets out of order");
	/* Mid-stream: 14 before 13. */
	put(jb, 14);
	put(jb, 13);
	expect(jb, 11, "in order");
	expect(jb, 12, "in order");
	expect(jb, 13, "reordered packet");
	expect(jb, 14, "reordered packet");
	jbuf_get_stats(jb, &st);
	assert_int_equal(st.reordered, 3);
	assert_int_equal(st.lost, 0);
	jbuf_free(jb);
}

static void test_loss_late_duplicate(void **state)
{
	struct jbuf *jb;
	struct jbuf_stats st;
	int i;

	(void)state;
	assert_int_equal(jbuf_alloc(&jb, 3, 0), 0);
	for (i = 0; i < 3; i++)
		put(jb, (uint16_t)i);
	expect(jb, 0, "start");
	/* 3 never comes in time. */
	put(jb, 4);
	expect(jb, 1, "before the gap");
	put(jb, 5);
	expect(jb, 2, "before the gap");
	put(jb, 6);
	expect(jb, LOST, "a lost packet must be concealed");
	assert_int_equal(put(jb, 3), -EALREADY); /* too late now */
	assert_int_equal(put(jb, 5), -EALREADY); /* duplicate */
	expect(jb, 4, "after the gap");
	expect(jb, 5, "after the gap");
	expect(jb, 6, "after the gap");
	jbuf_get_stats(jb, &st);
	assert_int_equal(st.lost, 1);
	assert_int_equal(st.late, 1);
	assert_int_equal(st.duplicate, 1);
	assert_int_equal(st.frames, 6);
	jbuf_free(jb);
}

static void test_seq_wrap(void **state)
{
	struct jbuf *jb;
	uint16_t seq = 65533;
	int i;

	(void)state;
	assert_int_equal(jbuf_alloc(&jb, 2, 0), 0);
	put(jb, seq);
	expect(jb, EMPTY, "initial delay");
	for (i = 1; i < 8; i++) {
		/* 65535 and 0 arrive swapped, across the wrap. */
		if (i == 2)
			assert_int_equal(put(jb, 0), 0);
		else if (i == 3)
			assert_int_equal(put(jb, 65535), 0);
		else
			assert_int_equal(put(jb, (uint16_t)(seq + i)), 0);
		expect(jb, (uint16_t)(seq + i - 1), "across the wrap");
	}
	jbuf_free(jb);
}

static void test_stream_stop(void **state)
{
	struct jbuf *jb;
	struct jbuf_stats st;
	int i;

	(void)state;
	assert_int_equal(jbuf_alloc(&jb, 3, 0), 0);
	for (i = 0; i < 10; i++) {
		put(jb, (uint16_t)i);
		get(jb);
	}
	expect(jb, 8, "draining");
	expect(jb, 9, "draining");
	/* The sender went quiet: concealment for a few ticks, then
	 * nothing, not endless loss. */
	for (i = 0; i < JBUF_STOP_LOSTS; i++)
		expect(jb, LOST, "just after the stream stopped");
	for (i = 0; i < 50; i++)
		expect(jb, EMPTY, "long after the stream stopped");
	jbuf_get_stats(jb, &st);
	if (st.lost)
		fail_msg("a sender going quiet showed %u frames lost", st.lost);
	/* A straggler of the old stream does not restart it ... */
	assert_int_equal(put(jb, 5), -EALREADY);
	expect(jb, EMPTY, "straggler after the stop");
	/* ... the next talk spurt does, with the initial delay again. */
	put(jb, 100);
	expect(jb, EMPTY, "new talk spurt buffering");
	put(jb, 101);
	expect(jb, EMPTY, "new talk spurt buffering");
	put(jb, 102);
	expect(jb, 100, "new talk spurt");
	jbuf_free(jb);
}

static void test_short_burst_plays(void **state)
{
	struct jbuf *jb;

	(void)state;
	assert_int_equal(jbuf_alloc(&jb, 3, 0), 0);
	put(jb, 7); /* one packet, then nothing: a lone frame still plays */
	expect(jb, EMPTY, "buffering");
	expect(jb, EMPTY, "buffering");
	expect(jb, 7, "a lone packet after the delay");
	jbuf_free(jb);
}

static void test_jump_and_resync(void **state)
{
	struct jbuf *jb;
	struct jbuf_stats st;
	int i;

	(void)state;
	assert_int_equal(jbuf_alloc(&jb, 3, 0), 0);
	for (i = 0; i < 3; i++)
		put(jb, (uint16_t)i);
	expect(jb, 0, "start");
	/* One stray far-off packet is ignored ... */
	assert_int_equal(put(jb, 30000), -ERANGE);
	put(jb, 3);
	expect(jb, 1, "after a stray packet");
	/* ... two in a row restart the stream. */
	assert_int_equal(put(jb, 40000), -ERANGE);
	assert_int_equal(put(jb, 40001), 0);
	put(jb, 40002);
	expect(jb, EMPTY, "rebuffering after a restart");
	put(jb, 40003);
	expect(jb, 40001, "after a sequence restart");
	jbuf_get_stats(jb, &st);
	assert_int_equal(st.resync, 1);
	/* An SSRC change: the caller resets. */
	jbuf_reset(jb);
	expect(jb, EMPTY, "after reset");
	put(jb, 5);
	put(jb, 6);
	put(jb, 7);
	expect(jb, 5, "new source after reset");
	jbuf_free(jb);
}

static void test_burst_latency_drop(void **state)
{
	struct jbuf *jb;
	struct jbuf_stats st;
	int i, got, prev = -1;

	(void)state;
	assert_int_equal(jbuf_alloc(&jb, 3, 0), 0);
	/* 14 frames at once: more than twice the delay is shed. */
	for (i = 0; i < 14; i++)
		put(jb, (uint16_t)i);
	for (i = 0; i < 6; i++) {
		got = get(jb);
		assert_true(got > prev);
		prev = got;
	}
	assert_true(jbuf_depth(jb) <= 6);
	jbuf_get_stats(jb, &st);
	assert_true(st.dropped >= 1);
	assert_int_equal(st.frames + st.dropped + (uint32_t)jbuf_depth(jb), 14);
	jbuf_free(jb);
}

static void test_bad_arguments(void **state)
{
	struct jbuf *jb;
	uint8_t big[JBUF_FRAME_MAX + 1] = {0}, small[10];
	size_t len;

	(void)state;
	assert_int_equal(jbuf_alloc(&jb, 11, 0), -EINVAL);
	assert_int_equal(jbuf_alloc(&jb, -1, 0), -EINVAL);
	assert_int_equal(jbuf_alloc(&jb, 3, 7), -EINVAL);
	assert_int_equal(jbuf_alloc(&jb, 3, 1000), -EINVAL);
	assert_int_equal(jbuf_alloc(&jb, 1, 4), 0);
	assert_int_equal(jbuf_put(jb, 1, 0, big, sizeof(big)), -EMSGSIZE);
	assert_int_equal(jbuf_put(jb, 1, 0, NULL, 5), -EINVAL);
	assert_int_equal(jbuf_put(jb, 1, 0, big, 160), 0);
	/* A caller buffer too small loses the frame instead of cutting it. */
	assert_int_equal(jbuf_get(jb, small, sizeof(small), &len), JBUF_LOST);
	assert_int_equal(len, 0);
	jbuf_free(jb);
	jbuf_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_in_order_with_initial_delay),
	    cmocka_unit_test(test_longer_delay),
	    cmocka_unit_test(test_reordering),
	    cmocka_unit_test(test_loss_late_duplicate),
	    cmocka_unit_test(test_seq_wrap),
	    cmocka_unit_test(test_stream_stop),
	    cmocka_unit_test(test_short_burst_plays),
	    cmocka_unit_test(test_jump_and_resync),
	    cmocka_unit_test(test_burst_latency_drop),
	    cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
