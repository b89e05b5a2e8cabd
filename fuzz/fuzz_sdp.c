/* fuzz_sdp.c - libFuzzer target: a phone's SDP through the rewriter that
 * anchors its media (sdp_rewrite) and the offer/answer of calls the PBX
 * answers itself (sdp_offer_parse, sdp_offer_choose, sdp_answer_build).
 *
 * Beyond memory errors it checks what the rewriting is for: the SDP sent
 * on names the PBX for every live stream, carries no ICE candidate or
 * a=rtcp that would let media go around the relay, and parses again; an
 * answer the PBX builds from an offer it accepted parses again and says
 * the codec it chose. Input: the SDP body, as it comes off the wire. */
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <sofia-sip/su_config.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/sdp.h>

#include "fuzz/fuzz_util.h"
#include "sip/sdp_oa.h"
#include "sip/sdp_rewrite.h"

#define PBX_PORT 40000

static int bad_attr(const sdp_attribute_t *a)
{
	for (; a; a = a->a_next)
		if (a->a_name && (!strcasecmp(a->a_name, "rtcp") ||
				  !strcasecmp(a->a_name, "candidate") ||
				  !strcasecmp(a->a_name, "remote-candidates")))
			return 1;
	return 0;
}

/* Whether every stream of `in` names a transport sofia-sip knows. The
 * rewriter keeps a stream's transport as it is (the anchored one's, and a
 * declined one's), and one it does not know ("m=audio 40/0/0 RTP/AVP
 * ...": transport "/0") may print as SDP it cannot read back. Garbage in,
 * garbage out to the callee, which then refuses the call: not a way
 * around the relay. */
static int transports_known(const char *in, size_t len)
{
	su_home_t home[1] = {SU_HOME_INIT(home)};
	sdp_parser_t *p = sdp_parse(home, in, (issize_t)len, sdp_f_mode_manual);
	sdp_session_t *s = sdp_session(p);
	int known = s != NULL;

	for (sdp_media_t *m = s ? s->sdp_media : NULL; m; m = m->m_next)
		if (m->m_proto == sdp_proto_x)
			known = 0;
	sdp_parser_free(p);
	su_home_deinit(home);
	return known;
}

static void check_rewritten(const char *out, const char *ip, int must_parse)
{
	su_home_t home[1] = {SU_HOME_INIT(home)};
	sdp_parser_t *p =
	    sdp_parse(home, out, (issize_t)strlen(out), sdp_f_mode_manual);
	sdp_session_t *s = sdp_session(p);
	int live = 0;

	if (!s && !must_parse) {
		sdp_parser_free(p);
		su_home_deinit(home);
		return;
	}
	FUZZ_CHECK(s, "the rewritten SDP does not parse: %s\n%s",
		   sdp_parsing_error(p), out);
	FUZZ_CHECK(!bad_attr(s->sdp_attributes),
		   "ICE or rtcp attribute left at session level:\n%s", out);
	for (const sdp_media_t *m = s->sdp_media; m; m = m->m_next) {
		const sdp_connection_t *c =
		    m->m_connections ? m->m_connections : s->sdp_connection;

		if (!m->m_port || m->m_rejected)
			continue;
		live++;
		FUZZ_CHECK(m->m_type == sdp_media_audio,
			   "a live non-audio stream goes around the PBX:\n%s",
			   out);
		FUZZ_CHECK(m->m_port == PBX_PORT,
			   "live stream on port %lu, not the relay's:\n%s",
			   m->m_port, out);
		FUZZ_CHECK(c && c->c_address && !strcmp(c->c_address, ip),
			   "live stream not at the PBX's address:\n%s", out);
		FUZZ_CHECK(!c->c_next, "live stream with a second address:\n%s",
			   out);
		FUZZ_CHECK(!bad_attr(m->m_attributes),
			   "ICE or rtcp attribute left on the live stream:\n%s",
			   out);
	}
	FUZZ_CHECK(live == 1, "%d live streams in the rewritten SDP:\n%s", live,
		   out);
	sdp_parser_free(p);
	su_home_deinit(home);
}

static void rewrite(const char *in, size_t len, const char *ip)
{
	struct sockaddr_storage remote;
	char *out = NULL;
	int err = sdp_rewrite(in, len, ip, PBX_PORT, &out, &remote);

	if (err) {
		FUZZ_CHECK(!out, "output left on error %d", err);
		return;
	}
	FUZZ_CHECK(out, "success without output");
	FUZZ_CHECK(remote.ss_family == AF_INET || remote.ss_family == AF_INET6,
		   "the phone's media address has family %d", remote.ss_family);
	/* sdp_rewrite succeeded, so sofia's parser returns on `in`. */
	check_rewritten(out, ip, transports_known(in, len));
	free(out);
}

static void offer_answer(const char *in, size_t len)
{
	struct sdp_offer o, a;
	enum codec_id codec, c2;
	char ans[1024];
	int pt, pt2, n;

	if (sdp_offer_parse(in, len, &o))
		return;
	FUZZ_CHECK(o.nfmt >= 1 && o.nfmt <= SDP_MAX_FMT, "nfmt %d", o.nfmt);
	FUZZ_CHECK(o.addr.ss_family == AF_INET || o.addr.ss_family == AF_INET6,
		   "offer address family %d", o.addr.ss_family);
	for (int i = 0; i < o.nfmt; i++)
		FUZZ_CHECK(memchr(o.fmt[i].name, '\0', sizeof(o.fmt[i].name)),
			   "format name not terminated");
	if (sdp_offer_choose(&o, sdp_default_pref, sdp_default_npref, &codec,
			     &pt))
		return;
	n = sdp_answer_build(ans, sizeof(ans), "192.0.2.1", PBX_PORT, codec, pt,
			     o.te_pt, 42);
	FUZZ_CHECK(n > 0, "no answer for an offer the PBX accepted (%d)", n);
	FUZZ_CHECK(sdp_offer_parse(ans, (size_t)n, &a) == 0,
		   "the PBX's answer does not parse:\n%s", ans);
	FUZZ_CHECK(sdp_offer_choose(&a, &codec, 1, &c2, &pt2) == 0 &&
		       c2 == codec && pt2 == pt,
		   "the PBX's answer does not carry the codec it chose "
		   "(payload type %d):\n%s",
		   pt, ans);
	FUZZ_CHECK(a.te_pt == o.te_pt,
		   "telephone-event %d offered, %d answered:\n%s", o.te_pt,
		   a.te_pt, ans);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;

	if (!size)
		return 0;
	rewrite(in, size, "192.0.2.1");
	rewrite(in, size, "2001:db8::1");
	offer_answer(in, size);
	return 0;
}
