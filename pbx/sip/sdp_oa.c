/* sdp_oa.c - reads a phone's offer and writes the PBX's own answer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <sofia-sip/su_config.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/sdp.h>

#include "sip/sdp_oa.h"
#include "sip/sdp_rewrite.h"

const enum codec_id sdp_default_pref[] = {CODEC_G722, CODEC_PCMU,
					  CODEC_PCMA};
const int sdp_default_npref = 3;

static void add_formats(const sdp_media_t *m, struct sdp_offer *o)
{
	for (const sdp_rtpmap_t *r = m->m_rtpmaps; r; r = r->rm_next) {
		if (!r->rm_encoding)
			continue;
		if (!strcasecmp(r->rm_encoding, "telephone-event")) {
			if (o->te_pt < 0 && r->rm_rate == 8000)
				o->te_pt = (int)r->rm_pt;
			continue;
		}
		if (o->nfmt == SDP_MAX_FMT)
			continue;
		o->fmt[o->nfmt].pt = (int)r->rm_pt;
		snprintf(o->fmt[o->nfmt].name, sizeof(o->fmt[0].name), "%s",
			 r->rm_encoding);
		o->fmt[o->nfmt].clock = (int)r->rm_rate;
		o->nfmt++;
	}
}

/* a=sendonly and the like, on the stream or else the session; sendrecv
 * if none. An old-style hold (c=0.0.0.0) is inactive. */
static int offer_mode(const sdp_session_t *sess, const sdp_media_t *m,
		      const struct sockaddr_storage *addr)
{
	static const struct {
		const char *name;
		int mode;
	} dirs[] = {{"sendrecv", SDP_SEND | SDP_RECV},
		    {"sendonly", SDP_SEND},
		    {"recvonly", SDP_RECV},
		    {"inactive", 0}};
	const sdp_attribute_t *lists[2] = {m->m_attributes,
					    sess->sdp_attributes};

	if (addr->ss_family == AF_INET &&
	    ((const struct sockaddr_in *)addr)->sin_addr.s_addr == 0)
		return 0;
	for (int l = 0; l < 2; l++)
		for (const sdp_attribute_t *a = lists[l]; a; a = a->a_next)
			for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]);
			     i++)
				if (a->a_name && !strcasecmp(a->a_name,
							     dirs[i].name))
					return dirs[i].mode;
	return SDP_SEND | SDP_RECV;
}

const char *sdp_answer_dir(int mode)
{
	/* The answer mirrors the offer: it receives what the phone sends
	 * and sends what the phone receives. */
	switch (mode & (SDP_SEND | SDP_RECV)) {
	case SDP_SEND:
		return "recvonly";
	case SDP_RECV:
		return "sendonly";
	case 0:
		return "inactive";
	default:
		return "sendrecv";
	}
}

char *sdp_set_dir(const char *sdp, const char *dir)
{
	size_t len = strlen(sdp), o = 0;
	char *out = malloc(len + strlen(dir) + 8); /* caller frees */
	const char *p = sdp;

	if (!out)
		return NULL;
	while (*p) {
		size_t n = strcspn(p, "\n");
		int drop = !strncmp(p, "a=sendrecv", 10) ||
			   !strncmp(p, "a=sendonly", 10) ||
			   !strncmp(p, "a=recvonly", 10) ||
			   !strncmp(p, "a=inactive", 10);
		if (p[n] == '\n')
			n++;
		if (!drop) {
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	if (o && out[o - 1] != '\n') {
		out[o++] = '\r';
		out[o++] = '\n';
	}
	o += (size_t)sprintf(out + o, "a=%s\r\n", dir);
	return out;
}

int sdp_offer_parse(const char *sdp, size_t len, struct sdp_offer *o)
{
	su_home_t home[1] = {SU_HOME_INIT(home)};
	sdp_parser_t *p;
	sdp_session_t *sess;
	int err = -EINVAL;

	memset(o, 0, sizeof(*o));
	o->te_pt = -1;
	if (!sdp || !len || sdp_parse_safe(sdp, len))
		return -EINVAL;
	p = sdp_parse(home, sdp, (issize_t)len, sdp_f_mode_manual);
	sess = sdp_session(p);
	for (sdp_media_t *m = sess ? sess->sdp_media : NULL; m; m = m->m_next) {
		if (m->m_type != sdp_media_audio || !m->m_port || m->m_rejected)
			continue;
		err = sdp_conn_addr(m->m_connections ? m->m_connections
					       : sess->sdp_connection,
			      m->m_port, &o->addr);
		if (!err) {
			add_formats(m, o);
			o->mode = offer_mode(sess, m, &o->addr);
		}
		break;
	}
	sdp_parser_free(p);
	su_home_deinit(home);
	if (!err && !o->nfmt)
		err = -EINVAL;
	return err;
}

int sdp_offer_choose(const struct sdp_offer *o, const enum codec_id *pref,
		     int npref, enum codec_id *codec, int *pt)
{
	for (int i = 0; i < npref; i++) {
		const struct codec_info *ci = codec_info(pref[i]);

		for (int k = 0; ci && k < o->nfmt; k++) {
			if (strcasecmp(o->fmt[k].name, ci->name) ||
			    o->fmt[k].clock != ci->clock)
				continue;
			*codec = pref[i];
			*pt = o->fmt[k].pt;
			return 0;
		}
	}
	return -ENOENT;
}

int sdp_answer_build(char *out, size_t len, const char *ip, int port,
		     enum codec_id codec, int pt, int te_pt, uint64_t sess_id)
{
	const struct codec_info *ci = codec_info(codec);
	const char *fam = strchr(ip, ':') ? "IP6" : "IP4";
	char te[96] = "", fmts[16];
	int n;

	if (!ci)
		return -EINVAL;
	snprintf(fmts, sizeof(fmts), "%d", pt);
	if (te_pt >= 0) {
		snprintf(fmts, sizeof(fmts), "%d %d", pt, te_pt);
		snprintf(te, sizeof(te),
			 "a=rtpmap:%d telephone-event/8000\r\n"
			 "a=fmtp:%d 0-16\r\n",
			 te_pt, te_pt);
	}
	n = snprintf(out, len,
		     "v=0\r\n"
		     "o=ondo %llu %llu IN %s %s\r\n"
		     "s=ondo\r\n"
		     "c=IN %s %s\r\n"
		     "t=0 0\r\n"
		     "m=audio %d RTP/AVP %s\r\n"
		     "a=rtpmap:%d %s/%d\r\n"
		     "%s"
		     "a=ptime:20\r\n"
		     "a=sendrecv\r\n",
		     (unsigned long long)sess_id, (unsigned long long)sess_id,
		     fam, ip, fam, ip, port, fmts, pt, ci->name, ci->clock, te);
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

int sdp_offer_build(char *out, size_t len, const char *ip, int port,
		    const enum codec_id *pref, int npref, uint64_t sess_id)
{
	const char *fam = strchr(ip, ':') ? "IP6" : "IP4";
	char fmts[64] = "", maps[512] = "";
	size_t f = 0, m = 0;
	int n;

	for (int i = 0; i < npref; i++) {
		const struct codec_info *ci = codec_info(pref[i]);

		if (!ci)
			return -EINVAL;
		f += (size_t)snprintf(fmts + f, sizeof(fmts) - f, "%d ", ci->pt);
		m += (size_t)snprintf(maps + m, sizeof(maps) - m,
				      "a=rtpmap:%d %s/%d\r\n", ci->pt,
				      ci->name, ci->clock);
		if (f >= sizeof(fmts) || m >= sizeof(maps))
			return -ENOSPC;
	}
	n = snprintf(out, len,
		     "v=0\r\n"
		     "o=ondo %llu %llu IN %s %s\r\n"
		     "s=ondo\r\n"
		     "c=IN %s %s\r\n"
		     "t=0 0\r\n"
		     "m=audio %d RTP/AVP %s101\r\n"
		     "%s"
		     "a=rtpmap:101 telephone-event/8000\r\n"
		     "a=fmtp:101 0-16\r\n"
		     "a=ptime:20\r\n"
		     "a=sendrecv\r\n",
		     (unsigned long long)sess_id, (unsigned long long)sess_id,
		     fam, ip, fam, ip, port, fmts, maps);
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}
