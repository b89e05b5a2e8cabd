/* app_list.h - the one list of dialplan applications, shared by the daemon
 * (its descriptor table) and ondoctl (name checks, help). */
#ifndef ONDO_APP_LIST_H
#define ONDO_APP_LIST_H

/*
 * X(name, args, help): `name` is a bare identifier, so the daemon can say
 *   #define X(n, args, help) extern const struct app app_##n;
 *   APP_LIST(X)
 * and ondoctl can turn the same line into strings with #n. `args` shows
 * what the route's ARGS hold, `help` is one short phrase. Adding an
 * application is one line here plus its app_<name> descriptor.
 */
#define APP_LIST(X)                                                            \
	X(dial, "NUMBER|sip:URI", "ring an extension or a SIP URI")            \
	X(trunk, "TRUNK[,TRUNK...] +E164", "call out by trunks, in turn")     \
	X(echo, "", "echo test: audio and DTMF back")                          \
	X(playback, "PROMPT[&PROMPT...]", "answer and play prompts")          \
	X(ivr, "MENU", "run an IVR menu")                                      \
	X(voicemail, "EXT[,busy|unavail]", "leave a message in a mailbox")    \
	X(mailbox, "[EXT|any]", "listen to a mailbox: own, EXT, or asked")     \
	X(timecond, "NAME", "go where a time condition says now")              \
	X(conference, "ROOM", "enter a conference room")                       \
	X(forward, "KIND[,TARGET|off] | dnd[,on|off]",                        \
	  "set the caller's own forward (KIND: always, busy, noanswer, "       \
	  "unregistered) or do-not-disturb")                                   \
	X(ringgroup, "GROUP", "ring a ring group's members")                  \
	X(hangup, "", "hang up")

/* ", dial, echo, ..." as one string literal: APP_LIST(APP_NAME_COMMA)
 * concatenates; skip the first two characters. */
#define APP_NAME_COMMA(n, args, help) ", " #n

#endif
