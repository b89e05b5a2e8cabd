/* ondoctl.c - the admin tool: options, the command table, dispatch. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "db_trunk.h"
#include "ondoctl/ondoctl.h"
#include "db_record.h"
#include "core/fsutil.h"

static const struct octl_cmd commands[] = {
    {"tenant", "add", octl_tenant_add, OCTL_NEED_DB_CREATE, "NAME DOMAIN",
     "Add a tenant. DOMAIN is its SIP domain and digest realm."},
    {"tenant", "list", octl_tenant_list, OCTL_NEED_DB, "",
     "List tenants with their number of extensions.",
     OCTL_READS},
    {"tenant", "del", octl_tenant_del, OCTL_NEED_DB, "DOMAIN",
     "Delete a tenant with all it owns: extensions, routes, trunks, "
     "DIDs, CDRs."},
    {"tenant", "export", octl_tenant_export, OCTL_NEED_DB, "DOMAIN FILE",
     "Write a tenant (all its rows and its files in the spool) into one\n"
     "      archive FILE, for `tenant import` on another node "
     "(docs/tenant-move.md).",
     OCTL_READS},
    {"tenant", "import", octl_tenant_import, OCTL_NEED_DB_CREATE, "FILE",
     "Recreate the tenant of archive FILE on this node, all of it or "
     "nothing;\n      refused if its domain is here already."},
    {"tenant", "name", octl_tenant_set, OCTL_NEED_DB, "DOMAIN NAME",
     "Rename a tenant (its display name; the domain stays)."},
    {"tenant", "codecs", octl_tenant_set, OCTL_NEED_DB, "DOMAIN LIST",
     "Set the codecs a tenant's calls may use, most preferred first:\n"
     "      a comma-separated list of G722, PCMU, PCMA (default "
     "G722,PCMU,PCMA)."},
    {"tenant", "main-number", octl_tenant_set, OCTL_NEED_DB,
     "DOMAIN E164|\"\"",
     "Set the tenant's main number, the caller ID of trunks set to\n"
     "      main (\"\": none)."},
    {"tenant", "emergency", octl_tenant_set, OCTL_NEED_DB, "DOMAIN LIST",
     "Set the numbers no class of service blocks, comma-separated\n"
     "      (default 112,911)."},
    {"tenant", "timezone", octl_tenant_set, OCTL_NEED_DB, "DOMAIN ZONE",
     "Set the tenant's time zone, an IANA name such as Europe/Berlin "
     "(default UTC):\n      the time its time conditions go by."},
    {"tenant", "record-code", octl_tenant_set, OCTL_NEED_DB,
     "DOMAIN CODE",
     "Set the keys that start and pause an on-demand recording during a "
     "call:\n      2 to 4 of 0-9 * # (default *1) that neither begin nor "
     "start one of\n      the in-call codes ## *2 *70."},
    {"ext", "add", octl_ext_add, OCTL_NEED_DB,
     "DOMAIN NUMBER --password PW [--name NAME] "
     "[--ring-timeout SECONDS]",
     "Add an extension (1 to 31 digits); ring timeout 5-600 s, "
     "default 30."},
    {"ext", "list", octl_ext_list, OCTL_NEED_DB, "DOMAIN",
     "List a tenant's extensions and how many phones each has "
     "registered.",
     OCTL_READS},
    {"ext", "del", octl_ext_del, OCTL_NEED_DB, "DOMAIN NUMBER",
     "Delete an extension and its registrations."},
    {"ext", "passwd", octl_ext_passwd, OCTL_NEED_DB, "DOMAIN NUMBER PW",
     "Set an extension's SIP password.",
     OCTL_SECRET_LAST},
    {"ext", "cos", octl_ext_cos, OCTL_NEED_DB,
     "DOMAIN NUMBER internal|local|national|international",
     "Set how far an extension may call out (default national)."},
    {"ext", "did", octl_ext_did, OCTL_NEED_DB, "DOMAIN NUMBER E164|\"\"",
     "Set an extension's own DID, its caller ID on trunks set to did "
     "(\"\": none)."},
    {"ext", "record", octl_ext_record, OCTL_NEED_DB,
     "DOMAIN NUMBER never|on-demand|always",
     "Record the extension's calls: never (default), always, or on demand "
     "(the tenant's\n      record code, *1 by default, during a call "
     "starts and stops it)."},
    {"ext", "fwd", octl_ext_fwd, OCTL_NEED_DB,
     "DOMAIN NUMBER always|busy|noanswer|unregistered TARGET|off "
     "[--after SECONDS]",
     "Forward the extension's calls: always, when busy (or on DND), "
     "when not\n      answered (after SECONDS, default its ring timeout) "
     "or when no phone is\n      registered. TARGET: an extension, a "
     "dialplan number (number:N), voicemail\n      (its own mailbox) or "
     "voicemail:EXT."},
    {"ext", "dnd", octl_ext_dnd, OCTL_NEED_DB, "DOMAIN NUMBER on|off",
     "Do-not-disturb: callers get busy handling (the busy forward, else "
     "the mailbox,\n      else 486) without ringing."},
    {"ext", "max-calls", octl_ext_max_calls, OCTL_NEED_DB,
     "DOMAIN NUMBER N",
     "Let an extension have at most N calls at once (0: no limit): as"
     "\n      caller it gets 403 past them, as callee it is busy."},
    {"ext", "show", octl_ext_show, OCTL_NEED_DB, "DOMAIN NUMBER",
     "Show an extension's settings, forwards and do-not-disturb.",
     OCTL_READS},
    {"ext", "pickup", octl_ext_pickup, OCTL_NEED_DB, "DOMAIN NUMBER GROUP|\"\"",
     "Put an extension in a call pickup group (a-z, 0-9, _ and -): *8 from"
     "\n      it answers a call ringing another extension of the group "
     "(\"\": none).\n      **EXT answers a call ringing EXT, in any "
     "group."},
    {"route", "add", octl_route_add, OCTL_NEED_DB,
     "DOMAIN PATTERN APP [ARGS] [--priority N] [--cos CLASS]",
     "Add a route: numbers matching PATTERN (1001, _2XXX, ~regex) run "
     "APP;\n      priority 0-9999, default 100, lower first; the class "
     "of service a caller\n      needs, default internal."},
    {"route", "list", octl_route_list, OCTL_NEED_DB, "DOMAIN",
     "List a tenant's routes in the order they are tried.",
     OCTL_READS},
    {"route", "del", octl_route_del, OCTL_NEED_DB, "DOMAIN ID",
     "Delete a route (ID from route list)."},
    {"route", "cos", octl_route_cos, OCTL_NEED_DB,
     "DOMAIN ID internal|local|national|international",
     "Set the class of service a caller needs to use a route."},
    {"route", "record", octl_route_record, OCTL_NEED_DB,
     "DOMAIN ID never|on-demand|always",
     "Record the calls a route makes (default never)."},
    {"dialplan", "test", octl_dialplan_test, OCTL_NEED_DB,
     "DOMAIN NUMBER [--caller NUMBER] [--at \"YYYY-MM-DD HH:MM\"]",
     "Show which route or extension NUMBER (or which destination a DID)\n"
     "      reaches, and where time conditions send it now or --at that "
     "local time.",
     OCTL_READS},
    {"dialplan", "apps", octl_dialplan_apps, OCTL_NEED_CONF, "",
     "List the applications a route can run.",
     OCTL_READS},
    {"ivr", "add", octl_ivr_add, OCTL_NEED_DB,
     "DOMAIN NAME --greeting PROMPT [--timeout MS] [--retries N] "
     "[--invalid PROMPT] [--timeout-prompt PROMPT] "
     "[--fallback ACTION[:ARG]] [--direct-dial]",
     "Add an IVR menu (NAME: a-z, 0-9, _ and -); timeout 1000-60000 ms, "
     "default 5000;\n      retries 0-10, default 3; fallback hangup, "
     "extension:N, menu:NAME or number:N."},
    {"ivr", "set", octl_ivr_set, OCTL_NEED_DB,
     "DOMAIN NAME [the options of ivr add] [--no-direct-dial]",
     "Change an IVR menu; what is not given stays."},
    {"ivr", "list", octl_ivr_list, OCTL_NEED_DB, "DOMAIN",
     "List a tenant's IVR menus with the digits they take.",
     OCTL_READS},
    {"ivr", "show", octl_ivr_show, OCTL_NEED_DB, "DOMAIN NAME",
     "Show an IVR menu and what each key does.",
     OCTL_READS},
    {"ivr", "del", octl_ivr_del, OCTL_NEED_DB, "DOMAIN NAME",
     "Delete an IVR menu (not while a route or another menu uses it)."},
    {"ivr", "option", octl_ivr_option, OCTL_NEED_DB,
     "DOMAIN NAME DIGIT ACTION [ARG]",
     "Set what key DIGIT (0-9, *, #) does: extension N, voicemail N, "
     "menu NAME,\n      number N, conference ROOM, ringgroup GROUP, "
     "playback PROMPT[&PROMPT...],\n      repeat or hangup."},
    {"ivr", "option-del", octl_ivr_option_del, OCTL_NEED_DB,
     "DOMAIN NAME DIGIT", "Remove a key from an IVR menu."},
    {"prompt", "upload", octl_prompt_upload, OCTL_NEED_DB, "DOMAIN ID FILE",
     "Store FILE (WAV, FLAC, OGG...; at most 10 minutes) as the tenant's\n"
     "      own prompt ID, replacing the stock prompt of that id."},
    {"prompt", "list", octl_prompt_list, OCTL_NEED_DB, "DOMAIN",
     "List a tenant's own prompts with their length and size.",
     OCTL_READS},
    {"prompt", "del", octl_prompt_del, OCTL_NEED_DB, "DOMAIN ID",
     "Delete a tenant's own prompt: callers hear the stock one again."},
    {"trunk", "add", octl_trunk_add, OCTL_NEED_DB,
     "(DOMAIN|--shared) NAME --host H [--port N] [--transport udp|tcp] "
     "--auth register|ip [--username U] [--password P|-] [--expiry S] "
     "[--ips A,B] [--codecs LIST] [--callerid did|main|anonymous] "
     "[--max-calls N] [--max-per-hour N] [--out-strip N] [--out-prefix P] [--in-strip N] "
     "[--in-prefix P]",
     "Add a SIP trunk to a carrier, a tenant's or (--shared) every "
     "tenant's;\n      a register trunk needs --username and "
     "--password. The running daemon\n      is told."},
    {"trunk", "set", octl_trunk_set, OCTL_NEED_DB,
     "(DOMAIN|--shared) NAME [the options of trunk add]",
     "Change a trunk; what is not given stays."},
    {"trunk", "del", octl_trunk_del, OCTL_NEED_DB, "(DOMAIN|--shared) NAME",
     "Delete a trunk."},
    {"trunk", "list", octl_trunk_list, OCTL_NEED_DB, "[DOMAIN]",
     "List trunks (a tenant's with the shared ones); never the passwords.",
     OCTL_READS},
    {"trunk", "status", octl_trunk_status, OCTL_NEED_CONF, "[DOMAIN]",
     "Show trunk registrations and calls (asks the running daemon).",
     OCTL_READS},
    {"did", "add", octl_did_add, OCTL_NEED_DB,
     "DOMAIN NUMBER extension|ivr|voicemail|conference|ringgroup|number|"
     "timecond DEST",
     "Give a tenant a public number (E.164, +4930...) and where its calls "
     "go."},
    {"did", "set", octl_did_set, OCTL_NEED_DB,
     "DOMAIN NUMBER extension|ivr|voicemail|conference|ringgroup|number|"
     "timecond DEST",
     "Send a tenant's DID elsewhere."},
    {"did", "del", octl_did_del, OCTL_NEED_DB, "DOMAIN NUMBER",
     "Take a DID from a tenant."},
    {"did", "list", octl_did_list, OCTL_NEED_DB, "[DOMAIN]",
     "List DIDs and where they go (all tenants without DOMAIN).",
     OCTL_READS},
    {"ban", "list", octl_ban_list, OCTL_NEED_CONF, "",
     "Addresses and extensions blocked after failed authentications\n"
     "      ([security] fail_max in fail_window s; asks the daemon).",
     OCTL_READS},
    {"ban", "del", octl_ban_del, OCTL_NEED_CONF, "ADDRESS|EXT@DOMAIN",
     "Lift a block at once."},
    {"reload", NULL, octl_reload, OCTL_NEED_CONF, "",
     "Make the running daemon read its config file again (as SIGHUP):"
     "\n      [log] level, [sip] default_tenant and [security] change at "
     "once,\n      calls go on; other changes are named and wait for the "
     "next start.\n      A file with an error changes nothing."},
    {"cluster", "sync", octl_cluster_sync, OCTL_NEED_DB, "",
     "Point the cluster front's table ([cluster] api) at this node for "
     "every\n      tenant it holds (after the front was down or "
     "replaced)."},
    {"cluster", "list", octl_cluster_list, OCTL_NEED_CONF, "",
     "Show the cluster front's tenant-to-node table, \"domain node\" a "
     "line.",
     OCTL_READS},
    {"status", NULL, octl_status, OCTL_NEED_CONF, "",
     "What the running daemon holds and uses, one \"key value\" a line:"
     "\n      uptime_s, registrations, calls, rtp_ports_in_use, "
     "heap_in_use_kb,\n      heap_free_kb, rss_kb, rss_peak_kb, "
     "open_files.",
     OCTL_READS},
    {"conf", "add", octl_conf_add, OCTL_NEED_DB,
     "DOMAIN ROOM [--name N] [--pin DIGITS] [--mod-pin DIGITS] [--max N] "
     "[--wait-moderator on|off] [--announce on|off] [--record on|off]",
     "Add a conference room: dialling ROOM enters it. --pin is asked of\n"
     "      everyone, --mod-pin makes a moderator; with --wait-moderator the\n"
     "      others wait in silence until a moderator is in."},
    {"conf", "set", octl_conf_set, OCTL_NEED_DB,
     "DOMAIN ROOM [the options of conf add]",
     "Change a room; what is not given stays (a PIN of \"\" removes it)."},
    {"conf", "del", octl_conf_del, OCTL_NEED_DB, "DOMAIN ROOM",
     "Delete a conference room."},
    {"conf", "list", octl_conf_list, OCTL_NEED_DB, "[DOMAIN]",
     "List conference rooms with their PINs and settings.",
     OCTL_READS},
    {"conf", "recordings", octl_conf_recordings, OCTL_NEED_DB,
     "DOMAIN [ROOM]", "List recordings of rooms, newest first.",
     OCTL_READS},
    {"conf", "live", octl_conf_live, OCTL_NEED_CONF, "[DOMAIN]",
     "Rooms people are in now (asks the running daemon).",
     OCTL_READS},
    {"conf", "members", octl_conf_members, OCTL_NEED_CONF, "DOMAIN ROOM",
     "Who is in a room now, with the IDs mute and kick take.",
     OCTL_READS},
    {"conf", "mute", octl_conf_mute, OCTL_NEED_CONF, "DOMAIN ROOM ID",
     "Mute a member: the others no longer hear it."},
    {"conf", "unmute", octl_conf_unmute, OCTL_NEED_CONF, "DOMAIN ROOM ID",
     "Unmute a member."},
    {"conf", "kick", octl_conf_kick, OCTL_NEED_CONF, "DOMAIN ROOM ID",
     "Remove a member from a room: its call ends."},
    {"conf", "lock", octl_conf_lock, OCTL_NEED_CONF, "DOMAIN ROOM",
     "Lock a room: nobody but moderators may enter."},
    {"conf", "unlock", octl_conf_unlock, OCTL_NEED_CONF, "DOMAIN ROOM",
     "Unlock a room."},
    {"limits", "show", octl_limits_show, OCTL_NEED_DB, "DOMAIN",
     "Show a tenant's limits: calls at once, extensions, call length.",
     OCTL_READS},
    {"limits", "set", octl_limits_set, OCTL_NEED_DB,
     "DOMAIN [--calls N] [--extensions N] [--call-length S]",
     "Change them (0: none). Past --calls a new call gets 503; past"
     "\n      --extensions no extension is added; an answered call is hung"
     "\n      up after --call-length s (10 to 604800; default 14400)."},
    {"park", "show", octl_park_show, OCTL_NEED_DB, "DOMAIN",
     "Show a tenant's call park settings: the park number, the slots, "
     "the timeout.",
     OCTL_READS},
    {"park", "set", octl_park_set, OCTL_NEED_DB,
     "DOMAIN [--number N|none] [--slots A-B|off] [--timeout S]",
     "Change them: a blind transfer to the park number parks the call in"
     "\n      the first free slot; dialling a slot retrieves it; after "
     "--timeout s\n      (5 to 3600) the parker is rung back. Numbers "
     "may not be extensions,\n      rooms or ring groups."},
    {"park", "list", octl_park_list, OCTL_NEED_CONF, "DOMAIN",
     "List the calls parked now: slot, caller, who parked it, since when.",
     OCTL_READS},
    {"ringgroup", "add", octl_rg_add, OCTL_NEED_DB,
     "DOMAIN GROUP [--name N] [--strategy simultaneous|sequential] "
     "[--ring-time S] [--timeout S] [--fallback TYPE:DEST|none] "
     "[--members EXT[:S],...]",
     "Add a ring group: dialling GROUP rings its members, all at once or"
     "\n      in turn (each --ring-time s, default 20, or its own :S), up "
     "to --timeout s\n      (default 60); then the fallback: voicemail:EXT, "
     "extension:EXT,\n      number:N, ivr:MENU, conference:ROOM or "
     "ringgroup:GROUP."},
    {"ringgroup", "set", octl_rg_set, OCTL_NEED_DB,
     "DOMAIN GROUP [the options of ringgroup add]",
     "Change a ring group; what is not given stays (--members replaces "
     "the list)."},
    {"ringgroup", "del", octl_rg_del, OCTL_NEED_DB, "DOMAIN GROUP",
     "Delete a ring group."},
    {"ringgroup", "list", octl_rg_list, OCTL_NEED_DB, "[DOMAIN]",
     "List ring groups with their settings and members.",
     OCTL_READS},
    {"ringgroup", "show", octl_rg_show, OCTL_NEED_DB, "DOMAIN GROUP",
     "Show a ring group and its members in ring order.",
     OCTL_READS},
    {"ringgroup", "member add", octl_rg_member_add, OCTL_NEED_DB,
     "DOMAIN GROUP EXT [--ring-time S] [--position N]",
     "Add an extension to a ring group (last, or at position N)."},
    {"ringgroup", "member del", octl_rg_member_del, OCTL_NEED_DB,
     "DOMAIN GROUP EXT", "Take an extension out of a ring group."},
    {"timecond", "add", octl_timecond_add, OCTL_NEED_DB,
     "DOMAIN NAME --open TYPE:DEST --closed TYPE:DEST",
     "Add a time condition: calls go to the open destination while a "
     "rule holds,\n      else to the closed one; TYPE is extension, ivr, "
     "voicemail, conference,\n      ringgroup or number."},
    {"timecond", "set", octl_timecond_set, OCTL_NEED_DB,
     "DOMAIN NAME [--open TYPE:DEST] [--closed TYPE:DEST]",
     "Change where a time condition sends calls."},
    {"timecond", "del", octl_timecond_del, OCTL_NEED_DB, "DOMAIN NAME",
     "Delete a time condition (not while a DID or a route uses it)."},
    {"timecond", "list", octl_timecond_list, OCTL_NEED_DB, "[DOMAIN]",
     "List time conditions and whether each is open now.",
     OCTL_READS},
    {"timecond", "show", octl_timecond_show, OCTL_NEED_DB, "DOMAIN NAME",
     "Show a time condition's rules and holidays, and whether it is open "
     "now.",
     OCTL_READS},
    {"timecond", "rule add", octl_timecond_rule_add, OCTL_NEED_DB,
     "DOMAIN NAME \"DAYS [HH:MM-HH:MM]\"",
     "Open a time condition on those days and hours of the tenant's zone:"
     "\n      \"mon-fri 08:00-17:30\", \"sat 22:00-02:00\" (past "
     "midnight), \"sun\" (all day)."},
    {"timecond", "rule del", octl_timecond_rule_del, OCTL_NEED_DB,
     "DOMAIN NAME ID", "Delete a rule (ID from timecond show)."},
    {"timecond", "holiday add", octl_timecond_holiday_add, OCTL_NEED_DB,
     "DOMAIN NAME YYYY-MM-DD|MM-DD [--name TEXT]",
     "Close a time condition all that day (MM-DD: every year)."},
    {"timecond", "holiday del", octl_timecond_holiday_del, OCTL_NEED_DB,
     "DOMAIN NAME YYYY-MM-DD|MM-DD", "Delete a holiday."},
    {"vm", "list", octl_vm_list, OCTL_NEED_DB,
     "DOMAIN EXT [--folder new|saved]",
     "List the messages of an extension's mailbox, newest first.",
     OCTL_READS},
    {"vm", "play", octl_vm_play, OCTL_NEED_DB, "DOMAIN EXT ID",
     "Show a message: who left it, when, how long, and its WAV file.",
     OCTL_READS},
    {"vm", "export", octl_vm_export, OCTL_NEED_DB, "DOMAIN EXT ID FILE",
     "Copy a message's WAV to FILE.",
     OCTL_READS},
    {"vm", "del", octl_vm_del, OCTL_NEED_DB, "DOMAIN EXT ID",
     "Delete a message (its file and its row)."},
    {"vm", "pin", octl_vm_pin, OCTL_NEED_DB, "DOMAIN EXT PIN|-",
     "Set a mailbox's PIN: 4 to 10 digits, not 1111, 1234 or the "
     "extension's number.",
     OCTL_SECRET_LAST},
    {"vm", "box", octl_vm_box, OCTL_NEED_DB,
     "DOMAIN EXT [--enable|--disable] [--max-messages N] "
     "[--max-minutes N] [--email ADDR] [--attach|--link]",
     "Show a mailbox's settings and counts, or change them (default: on,"
     "\n      100 messages, 30 minutes, no email).",
     OCTL_SHOWS_BARE},
    {"vm", "mwi", octl_vm_mwi, OCTL_NEED_DB, "DOMAIN EXT",
     "Recount a mailbox and update its phones' message-waiting lamps now\n"
     "      (asks the running daemon)."},
    {"vm", "reconcile", octl_vm_reconcile, OCTL_NEED_DB, "[--min-age SECONDS]",
     "Bring the voicemail spool and database in step, as the daemon does "
     "at start-up;\n      files changed in the last SECONDS (default 60) "
     "are left alone."},
    {"vm", "settings", octl_vm_settings, OCTL_NEED_DB,
     "DOMAIN [--max-message SECONDS] [--silence SECONDS] "
     "[--own-phone-pin ask|skip]",
     "Show or change a tenant's voicemail limits (default: 180 s a "
     "message,\n      6 s of silence ends it, the PIN asked even from the "
     "owner's own phone).",
     OCTL_SHOWS_BARE},
    {"vm", "greeting", octl_vm_greeting, OCTL_NEED_DB,
     "DOMAIN EXT [--set unavail|busy|temp|name FILE] [--del KIND]",
     "Show which greetings a mailbox has recorded, or set one from a sound"
     "\n      file, or delete one (the stock prompt is heard again).",
     OCTL_SHOWS_BARE},
    {"user", "add", octl_user_add, OCTL_NEED_DB,
     "USERNAME --role superadmin|admin|user [--tenant DOMAIN] [--ext EXT] "
     "--password PW|-",
     "Add a user of the web panel and REST API (a superadmin has no "
     "tenant;\n      a user is one extension of its tenant)."},
    {"user", "list", octl_user_list, OCTL_NEED_DB, "[DOMAIN]",
     "List the web users (of one tenant).",
     OCTL_READS},
    {"user", "del", octl_user_del, OCTL_NEED_DB, "USERNAME",
     "Delete a web user (and its API tokens)."},
    {"user", "passwd", octl_user_passwd, OCTL_NEED_DB, "USERNAME PW|-",
     "Set a web user's password (8 to 128 characters).",
     OCTL_SECRET_LAST},
    {"vm", "mailq", octl_vm_mailq, OCTL_NEED_DB, "[DOMAIN]",
     "List voicemail emails not sent yet: attempts, next try, last "
     "error.",
     OCTL_READS},
    {"reg", "list", octl_reg_list, OCTL_NEED_DB, "[DOMAIN]",
     "List registered phones (all tenants without DOMAIN).",
     OCTL_READS},
    {"calls", NULL, octl_calls, OCTL_NEED_CONF, "",
     "List calls in progress (asks the running daemon).",
     OCTL_READS},
    {"cdr", NULL, octl_cdr, OCTL_NEED_DB, "[DOMAIN] [--limit N]",
     "List finished calls, newest first (default: the last 20).",
     OCTL_READS},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

int octl_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "ondoctl: %s\n", msg);
	return OCTL_ERR;
}

static void print_cmd_line(FILE *out, const char *prefix,
			   const struct octl_cmd *c)
{
	fprintf(out, "%s%s%s%s%s%s\n", prefix, c->noun, c->verb ? " " : "",
		c->verb ? c->verb : "", c->args[0] ? " " : "", c->args);
}

int octl_usage(struct octl *o)
{
	print_cmd_line(stderr, "ondoctl: usage: ondoctl ", o->cmd);
	return OCTL_USAGE;
}

const char *octl_strerror(int err)
{
	return err == -EIO ? "database error" : strerror(-err);
}

static const struct octl_opt *find_opt(const struct octl_opt *opts,
				       const char *arg, size_t len)
{
	for (; opts && opts->name; opts++)
		if (strlen(opts->name) == len && !strncmp(opts->name, arg, len))
			return opts;
	return NULL;
}

int octl_parse(struct octl *o, int argc, char **argv,
	       const struct octl_opt *opts, int min, int max, int *npos)
{
	int n = 0, i;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq;
		const struct octl_opt *opt;

		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (strncmp(arg, "--", 2)) {
			argv[n++] = argv[i];
			continue;
		}
		eq = strchr(arg, '=');
		opt =
		    find_opt(opts, arg, eq ? (size_t)(eq - arg) : strlen(arg));
		if (!opt) {
			octl_err(
			    "unknown option '%s' for '%s%s%s' (try ondoctl "
			    "--help)",
			    arg, o->cmd->noun, o->cmd->verb ? " " : "",
			    o->cmd->verb ? o->cmd->verb : "");
			return OCTL_USAGE;
		}
		if (opt->flag) {
			if (eq) {
				octl_err("%.*s takes no value", (int)(eq - arg),
					 arg);
				return OCTL_USAGE;
			}
			*opt->val = "";
			continue;
		}
		if (!eq && i + 1 == argc) {
			octl_err("%s needs a value", arg);
			return OCTL_USAGE;
		}
		*opt->val = eq ? eq + 1 : argv[++i];
	}
	while (i < argc)
		argv[n++] = argv[i++];
	*npos = n;
	return n < min || n > max ? octl_usage(o) : OCTL_OK;
}

int octl_check_domain(const char *domain)
{
	if (db_valid_domain(domain))
		return OCTL_OK;
	return octl_err("invalid domain '%s' (letters, digits, hyphens and "
			"dots, or an IPv4 address)",
			domain);
}

int octl_tenant(struct octl *o, const char *domain, struct db_tenant *t)
{
	int err;

	if (octl_check_domain(domain))
		return OCTL_ERR;
	err = db_tenant_by_domain(o->db, domain, t);
	if (err == -ENOENT)
		return octl_err("no tenant %s", domain);
	if (err)
		return octl_err("cannot look up tenant %s: %s", domain,
				octl_strerror(err));
	octl_audit_tenant(o, t->domain);
	return OCTL_OK;
}

const char *octl_domain_of(struct octl *o, struct db_tenant *cache, int64_t id)
{
	if (id == 0)
		return "shared";
	if (cache->id != id && db_tenant_by_id(o->db, id, cache))
		snprintf(cache->domain, sizeof(cache->domain), "?");
	cache->id = id;
	return cache->domain;
}

int octl_check_number(const char *number)
{
	if (db_valid_number(number))
		return OCTL_OK;
	return octl_err("invalid extension number '%s' (1 to 31 digits)",
			number);
}

int octl_parse_int(const char *what, const char *s, int min, int max,
		   const char *unit, int *vp)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return octl_err("invalid %s '%s' (%d to %d%s%s)", what, s, min,
				max, unit ? " " : "", unit ? unit : "");
	*vp = (int)v;
	return OCTL_OK;
}

int octl_parse_id(const char *what, const char *list, const char *s,
		  long long *idp)
{
	char *end;

	errno = 0;
	*idp = strtoll(s, &end, 10);
	if (errno || end == s || *end || *idp <= 0)
		return octl_err("invalid %s id '%s' (the ID column of "
				"ondoctl %s)",
				what, s, list);
	return OCTL_OK;
}

int octl_check_cos(const char *word)
{
	if (db_cos_parse(word) >= 0)
		return OCTL_OK;
	return octl_err("invalid class of service '%s' (internal, local, "
			"national or international)",
			word);
}

int octl_check_record(const char *word)
{
	if (db_record_parse(word) >= 0)
		return OCTL_OK;
	return octl_err("invalid recording mode '%s' (never, on-demand or "
			"always)",
			word);
}

int octl_check_e164(const char *what, const char *number, bool empty_ok)
{
	if (db_valid_e164(number) || (empty_ok && !number[0]))
		return OCTL_OK;
	return octl_err("invalid %s '%s' (E.164: + and 2 to 15 digits, the "
			"first not 0%s)",
			what, number, empty_ok ? "; \"\" for none" : "");
}

int octl_password(const char *arg, char *buf, size_t len, const char **pwp)
{
	if (strcmp(arg, "-")) {
		*pwp = arg;
		return OCTL_OK;
	}
	/* "-" keeps the password out of ps(1) and the shell history. */
	if (!fgets(buf, (int)len, stdin))
		return octl_err("no password on standard input");
	buf[strcspn(buf, "\r\n")] = '\0';
	*pwp = buf;
	return OCTL_OK;
}

void octl_fmt_duration(char *buf, size_t len, long long s)
{
	if (s < 0)
		s = 0;
	if (s >= 3600)
		snprintf(buf, len, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60,
			 s % 60);
	else
		snprintf(buf, len, "%lld:%02lld", s / 60, s % 60);
}

static void help(FILE *out)
{
	fputs(
	    "Usage: ondoctl [-c FILE] COMMAND [ARGUMENTS]\n"
	    "Administers Ondo PBX. Changes go straight to the database and "
	    "take effect at\nonce (trunk changes are also sent to the running "
	    "daemon); 'calls' and\n'trunk status' ask the running daemon. "
	    "Each change is a row of the audit log,\nby ondoctl:USER, "
	    "without its passwords and PINs.\n"
	    "\nCommands:\n",
	    out);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		print_cmd_line(out, "  ", &commands[i]);
		fprintf(out, "      %s\n", commands[i].help);
	}
	fputs("\nA password or PIN given as '-' is read from the first line of "
	      "standard input.\n\nOptions:\n"
	      "  -c, --config FILE  read the daemon's config FILE (default: "
	      "built-in\n"
	      "                     settings, database ./ondo-data/ondo.db)\n"
	      "  -h, --help         show this help\n"
	      "  -V, --version      show the version\n\n"
	      "Exit status: 0 done, 1 failed (the reason is on stderr), "
	      "2 wrong usage.\n",
	      out);
}

/* How many words of argv name command c: 1 (a noun alone), 2, or 3 for a
 * verb of two words ("rule add"); 0 if they do not. */
static int cmd_words(const struct octl_cmd *c, int argc, char **argv)
{
	const char *space;
	size_t n;

	if (strcmp(c->noun, argv[0]))
		return 0;
	if (!c->verb)
		return 1;
	space = strchr(c->verb, ' ');
	if (!space)
		return argc > 1 && !strcmp(c->verb, argv[1]) ? 2 : 0;
	n = (size_t)(space - c->verb);
	return argc > 2 && strlen(argv[1]) == n &&
		       !strncmp(c->verb, argv[1], n) &&
		       !strcmp(space + 1, argv[2])
		   ? 3
		   : 0;
}

/* True if `word` is the first word of a two-word verb of `noun`. */
static bool verb_group(const char *noun, const char *word)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *v = commands[i].verb;
		size_t n = strlen(word);

		if (!strcmp(commands[i].noun, noun) && v &&
		    !strncmp(v, word, n) && v[n] == ' ')
			return true;
	}
	return false;
}

/* The command named by the first words of argv, and in *words how many
 * those are; prints why not and sets *status when there is none. */
static const struct octl_cmd *find_cmd(int argc, char **argv, int *status,
				       int *words)
{
	bool noun_known = false;

	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct octl_cmd *c = &commands[i];

		noun_known = noun_known || !strcmp(c->noun, argv[0]);
		*words = cmd_words(c, argc, argv);
		if (*words)
			return c;
	}
	*status = OCTL_USAGE;
	if (!noun_known)
		octl_err("unknown command '%s' (try ondoctl --help)", argv[0]);
	else if (argc < 2)
		octl_err("'%s' needs a verb (try ondoctl --help)", argv[0]);
	else if (argc < 3 && verb_group(argv[0], argv[1]))
		octl_err("'%s %s' needs a verb (try ondoctl --help)", argv[0],
			 argv[1]);
	else if (verb_group(argv[0], argv[1]))
		octl_err("unknown command '%s %s %s' (try ondoctl --help)",
			 argv[0], argv[1], argv[2]);
	else
		octl_err("unknown command '%s %s' (try ondoctl --help)",
			 argv[0], argv[1]);
	return NULL;
}

static int open_db(struct octl *o)
{
	const char *path = o->conf.db_path;
	int err;

	if (o->cmd->need == OCTL_NEED_CONF)
		return OCTL_OK;
	if (o->cmd->need == OCTL_NEED_DB && access(path, F_OK) < 0)
		return octl_err("no database at %s (add a tenant first, or "
				"give the daemon's config with -c)",
				path);
	if (o->cmd->need == OCTL_NEED_DB_CREATE) {
		err = fs_mkdirs(path, 0750, 1);
		if (err)
			return octl_err("cannot create the folder of %s: %s",
					path, strerror(-err));
	}
	err = db_open(&o->db, path);
	if (err)
		return octl_err("cannot open the database %s: %s", path,
				octl_strerror(err));
	return OCTL_OK;
}

static int load_conf(struct octl *o, const char *path)
{
	char msg[512];

	conf_init(&o->conf);
	if (path && conf_load(&o->conf, path, msg, sizeof(msg)))
		return octl_err("%s", msg);
	return OCTL_OK;
}

/* Global options; returns -1 to go on, else the exit status. */
static int parse_global(int argc, char **argv, const char **confp)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	/* "+": stop at the command, whose own options come later. */
	while ((c = getopt_long(argc, argv, "+:c:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			*confp = optarg;
			break;
		case 'h':
			help(stdout);
			return OCTL_OK;
		case 'V':
			printf("ondoctl (Ondo PBX) %s\n", ONDO_VERSION);
			return OCTL_OK;
		case ':':
			octl_err("%s needs a file name", argv[optind - 1]);
			return OCTL_USAGE;
		default:
			octl_err("unknown option '%s' (try ondoctl --help)",
				 argv[optind - 1]);
			return OCTL_USAGE;
		}
	}
	if (optind == argc) {
		octl_err("no command given (try ondoctl --help)");
		return OCTL_USAGE;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct octl o = {0};
	const char *conf_path = NULL;
	int status, skip;

	/* The database holds HA1s, which log a phone in as well as its
	 * password would: keep what we create away from other users. */
	umask(027);
	status = parse_global(argc, argv, &conf_path);
	if (status >= 0)
		return status;
	argc -= optind;
	argv += optind;
	o.cmd = find_cmd(argc, argv, &status, &skip);
	if (!o.cmd)
		return status;
	status = load_conf(&o, conf_path);
	if (status == OCTL_OK)
		status = open_db(&o);
	if (status == OCTL_OK) {
		octl_audit_begin(&o, argc - skip, argv + skip);
		status = o.cmd->run(&o, argc - skip, argv + skip);
		octl_audit_end(&o, status);
	}
	db_close(o.db);
	return status;
}
