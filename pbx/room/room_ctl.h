/* room_ctl.h - the control socket's "conf" command (arg: struct rooms *):
 *   live [DOMAIN]                 open rooms, one a line
 *   members DOMAIN ROOM           its members in the order they came
 *   mute|unmute DOMAIN ROOM ID
 *   kick DOMAIN ROOM ID
 *   lock|unlock DOMAIN ROOM
 * -ENOENT when the room is not open (nobody in) or has no such member. */
#ifndef ONDO_ROOM_CTL_H
#define ONDO_ROOM_CTL_H

#include <stdio.h>

int room_ctl_h(void *arg, const char *args, FILE *out);

#endif
