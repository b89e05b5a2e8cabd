/* test_sdp.c - SDP rewriting for media anchoring (pbx/sip/sdp_rewrite.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "sip/sdp_oa.h"
#include "sip/sdp_rewrite.h"

static const char offer[] =
	"v=0\r\n"
	"o=alice 2890844526 2890844527 IN IP4 192.168.1.20\r\n"
	"s=-\r\n"
	"c=IN IP4 192.168.1.20\r\n"
	"t=0 0\r\n"
	"a=ice-ufrag:F7gI\r\n"
	"m=audio 49170 RTP/AVP 0 8 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-16\r\n"
	"a=rtcp:49171\r\n"
	"a=candidate:1 1 UDP 2130706431 192.168.1.20 49170 typ host\r\n"
	"a=sendrecv\r\n"
	"m=video 51372 RTP/AVP 96\r\n"
	"a=rtpmap:96 VP8/90000\r\n";

static void expect_addr(const struct sockaddr_storage *ss, const char *ip,
			int port)
{
	char buf[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;
		inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof(buf));
		assert_int_equal(ntohs(s4->sin_port), port);
	} else {
		const struct sockaddr_in6 *s6 = (const void *)ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf));
		assert_int_equal(ntohs(s6->sin6_port), port);
	}
	assert_string_equal(buf, ip);
}

static void test_points_audio_at_pbx(void **state)
{
	struct sockaddr_storage remote;
	char *out = NULL;

	assert_int_equal(sdp_rewrite(offer, strlen(offer), "10.0.0.1", 30000,
				     &out, &remote),
			 0);
	if (strstr(out, "192.168.1.20"))
		fail_msg("the phone's own address leaked into the SDP sent to "
			 "the other phone: media would bypass the PBX:\n%s", out);
	assert_non_null(strstr(out, "c=IN IP4 10.0.0.1\r\n"));
	assert_non_null(strstr(out, "m=audio 30000 RTP/AVP 0 8 101\r\n"));
	assert_non_null(strstr(out, "IN IP4 10.0.0.1\r\n"));
	expect_addr(&remote, "192.168.1.20", 49170);
	free(out);
}

static void test_keeps_codecs_and_events(void **state)
{
	struct sockaddr_storage remote;
	char *out = NULL;

	assert_int_equal(sdp_rewrite(offer, strlen(offer), "10.0.0.1", 30000,
				     &out, &remote),
			 0);
	assert_non_null(strstr(out, "a=rtpmap:101 telephone-event/8000"));
	assert_non_null(strstr(out, "a=fmtp:101 0-16"));
	assert_non_null(strstr(out, "a=sendrecv"));
	assert_null(strstr(out, "a=rtcp:"));
	assert_null(strstr(out, "candidate"));
	assert_null(strstr(out, "ice-ufrag"));
	/* Video is declined rather than sent around the PBX. */
	assert_non_null(strstr(out, "m=video 0 "));
	free(out);
}

static void test_media_level_connection(void **state)
{
	static const char sdp[] = "v=0\r\n"
				  "o=- 1 1 IN IP4 1.2.3.4\r\n"
				  "s=-\r\n"
				  "t=0 0\r\n"
				  "m=audio 4000 RTP/AVP 8\r\n"
				  "c=IN IP4 5.6.7.8\r\n";
	struct sockaddr_storage remote;
	char *out = NULL;

	assert_int_equal(sdp_rewrite(sdp, strlen(sdp), "10.0.0.1", 30002,
				     &out, &remote),
			 0);
	expect_addr(&remote, "5.6.7.8", 4000);
	assert_null(strstr(out, "5.6.7.8"));
	free(out);
}

static void test_ipv6(void **state)
{
	static const char sdp[] = "v=0\r\n"
				  "o=- 1 1 IN IP6 ::1\r\n"
				  "s=-\r\n"
				  "c=IN IP6 2001:db8::5\r\n"
				  "t=0 0\r\n"
				  "m=audio 4002 RTP/AVP 0\r\n";
	struct sockaddr_storage remote;
	char *out = NULL;

	assert_int_equal(sdp_rewrite(sdp, strlen(sdp), "2001:db8::1", 30004,
				     &out, &remote),
			 0);
	expect_addr(&remote, "2001:db8::5", 4002);
	assert_non_null(strstr(out, "c=IN IP6 2001:db8::1"));
	free(out);
}

static void test_garbled_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"hello world",
		"v=0\r\nm=audio 99999999 RTP/AVP 0\r\n",
		/* no audio stream at all */
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\n"
		"t=0 0\r\nm=video 4000 RTP/AVP 96\r\n",
		/* audio with a host name instead of an address */
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 host.example\r\n"
		"t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
		/* port 0: the audio stream is refused */
		"v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\n"
		"t=0 0\r\nm=audio 0 RTP/AVP 0\r\n",
	};
	struct sockaddr_storage remote;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *out = NULL;
		int err = sdp_rewrite(bad[i], strlen(bad[i]), "10.0.0.1", 30000,
				      &out, &remote);
		if (err != -EINVAL)
			fail_msg("garbled SDP #%zu was accepted (err %d): %s", i,
				 err, out ? out : "");
		assert_null(out);
	}
	assert_int_equal(sdp_rewrite(NULL, 0, "10.0.0.1", 1, NULL, &remote),
			 -EINVAL);
}

/* SDP on which sofia-sip 1.12.11's parser never returns (it allocates an
 * empty format entry after another until the memory is gone): refused
 * before it is parsed, by both the rewriter and offer/answer (found by
 * fuzz/fuzz_sdp.c). */
static void test_parser_loop_refused(void **state)
{
	static const char *const lines[] = {
	    "m=audio 8000 X /V\r\n",
	    "m=image 4000 udptl t38 ,x\r\n",
	    "m=image 4000 udptl \t\r\n",
	};
	struct sockaddr_storage remote;
	struct sdp_offer o;
	char sdp[256];

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char *out = NULL;

		snprintf(sdp, sizeof(sdp),
			 "v=0\r\no=x 0 0 IN IP4 192.0.2.7\r\ns=-\r\n"
			 "c=IN IP4 192.0.2.7\r\nt=0 0\r\n%s",
			 lines[i]);
		if (sdp_parse_safe(sdp, strlen(sdp)) != -EINVAL)
			fail_msg("'%s' would hang the SIP thread", lines[i]);
		assert_int_equal(sdp_rewrite(sdp, strlen(sdp), "10.0.0.1",
					     30000, &out, &remote),
				 -EINVAL);
		assert_null(out);
		assert_int_equal(sdp_offer_parse(sdp, strlen(sdp), &o),
				 -EINVAL);
	}
	/* What phones and fax gateways send still goes through. */
	assert_int_equal(sdp_parse_safe(offer, strlen(offer)), 0);
	snprintf(sdp, sizeof(sdp),
		 "v=0\r\no=x 0 0 IN IP4 192.0.2.7\r\ns=-\r\n"
		 "c=IN IP4 192.0.2.7\r\nt=0 0\r\n"
		 "m=image 4000 udptl t38 \r\nm=audio 0 RTP/AVP 0 8\t101\r\n");
	assert_int_equal(sdp_parse_safe(sdp, strlen(sdp)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_points_audio_at_pbx),
		cmocka_unit_test(test_keeps_codecs_and_events),
		cmocka_unit_test(test_media_level_connection),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_garbled_refused),
		cmocka_unit_test(test_parser_loop_refused),
	};
	return cmocka_run_group_tests_name("sdp", tests, NULL, NULL);
}
