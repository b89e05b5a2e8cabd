/* sdp_oa.h - SDP offer/answer for calls the PBX answers itself. */
#ifndef ONDO_SDP_OA_H
#define ONDO_SDP_OA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "media/codec.h"

#define SDP_MAX_FMT 16

/* The audio stream of a phone's offer. */
struct sdp_offer {
	struct sockaddr_storage addr; /* where it wants audio */
	struct {
		int pt;
		char name[16];
		int clock;
	} fmt[SDP_MAX_FMT];
	int nfmt;
	int te_pt;		/* telephone-event/8000, or -1 */
	int mode;		/* SDP_SEND | SDP_RECV: what the phone does
				 * (a=sendonly...; c=0.0.0.0 is inactive) */
};
#define SDP_SEND 1
#define SDP_RECV 2
/* The phone wants no audio from the other side: it holds the call. */
#define SDP_HOLDS(o) (!((o)->mode & SDP_RECV))
/* The direction attribute that answers `mode` ("sendrecv",
 * "recvonly"...). */
const char *sdp_answer_dir(int mode);
/* A copy of `sdp` with its direction attributes replaced by a=dir (at
 * the end: the PBX's SDP has one stream). Caller frees; NULL if out of
 * memory. */
char *sdp_set_dir(const char *sdp, const char *dir);

/* Parses the first audio stream of an SDP offer. -EINVAL if garbled or
 * without audio. */
int sdp_offer_parse(const char *sdp, size_t len, struct sdp_offer *o);
/* Picks the first codec of `pref` that the offer has; fills *codec and
 * the offer's payload type for it. -ENOENT if none is shared. */
int sdp_offer_choose(const struct sdp_offer *o, const enum codec_id *pref,
		     int npref, enum codec_id *codec, int *pt);
/* Writes the PBX's answer: one codec, telephone-event if the offer had
 * it, audio at ip:port. Returns the length or -ENOSPC. */
int sdp_answer_build(char *out, size_t len, const char *ip, int port,
		     enum codec_id codec, int pt, int te_pt, uint64_t sess_id);

/* Writes the PBX's own offer: every codec of `pref` in that order and
 * telephone-event (payload type 101), audio at ip:port. Returns the
 * length or -ENOSPC. */
int sdp_offer_build(char *out, size_t len, const char *ip, int port,
		    const enum codec_id *pref, int npref, uint64_t sess_id);

/* The default codec preference: wideband first. */
extern const enum codec_id sdp_default_pref[];
extern const int sdp_default_npref;

#endif
