/* ctl_audit.c - the audit-log row of an ondoctl command that changed
 * something: who ran it, the tenant it was about, the command and its
 * words with every password and PIN hidden. The same table the REST API
 * writes (db_web_audit_add), so the API's and the panel's audit log show
 * both. */
#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ondoctl/ondoctl.h"

#define HIDDEN "***"

void octl_audit_tenant(struct octl *o, const char *domain)
{
	size_t i = 0;

	for (; domain && domain[i] && i < sizeof(o->audit_tenant) - 1; i++)
		o->audit_tenant[i] = (char)tolower((unsigned char)domain[i]);
	o->audit_tenant[i] = '\0';
}

/* An option whose value is a secret: its name ends in "password" or
 * "pin" (--password, --pin, --mod-pin). A new secret option named
 * otherwise must be added here. */
static bool secret_opt(const char *word)
{
	size_t n = strcspn(word, "=");

	return (n >= 8 && !strncmp(word + n - 8, "password", 8)) ||
	       (n >= 3 && !strncmp(word + n - 3, "pin", 3));
}

/* The bytes of a valid UTF-8 character at s without control characters
 * (1 to 4), or 0. */
static size_t char_len(const unsigned char *s)
{
	size_t n;

	if (*s < 0x20 || *s == 0x7f)
		return 0;
	n = *s < 0x80		? 1
	    : (*s >> 5) == 0x6	? 2
	    : (*s >> 4) == 0xe	? 3
	    : (*s >> 3) == 0x1e ? 4
				: 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Appends ` word` to the object, quoted if it is empty or has a blank,
 * each byte that is not printable UTF-8 as '?'; stops short of the
 * buffer's end at a character's boundary. */
static void add_word(char *out, size_t len, const char *word)
{
	size_t used = strlen(out);
	bool quote = !word[0] || strpbrk(word, " \t") != NULL;
	const unsigned char *p = (const unsigned char *)word;

	/* Room for a blank, two quotes and the NUL. */
	if (used + 4 >= len)
		return;
	if (used)
		out[used++] = ' ';
	if (quote)
		out[used++] = '"';
	while (*p) {
		size_t n = char_len(p);

		if (used + (n ? n : 1) + 2 >= len)
			break;
		if (n) {
			memcpy(out + used, p, n);
			used += n;
			p += n;
		} else {
			out[used++] = '?';
			p++;
		}
	}
	if (quote)
		out[used++] = '"';
	out[used] = '\0';
}

void octl_audit_begin(struct octl *o, int argc, char **argv)
{
	bool hide_next = false;
	int last = -1;

	o->audit_object[0] = '\0';
	o->audit_tenant[0] = '\0';
	o->audit_opts = false;
	/* The last word that is not "--": a password or PIN for the
	 * commands that say so. */
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "--"))
			last = i;
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i], *eq = strchr(w, '=');
		char opt[64];
		bool is_opt = !strncmp(w, "--", 2) && w[2];

		o->audit_opts = o->audit_opts || is_opt;
		if (hide_next ||
		    ((o->cmd->flags & OCTL_SECRET_LAST) && i == last)) {
			add_word(o->audit_object, sizeof(o->audit_object),
				 HIDDEN);
			hide_next = false;
			continue;
		}
		if (is_opt && secret_opt(w) && eq) {
			snprintf(opt, sizeof(opt), "%.*s=" HIDDEN,
				 (int)(eq - w) < 50 ? (int)(eq - w) : 50, w);
			add_word(o->audit_object, sizeof(o->audit_object), opt);
			continue;
		}
		hide_next = is_opt && secret_opt(w);
		add_word(o->audit_object, sizeof(o->audit_object), w);
	}
}

/* Whether a run that ended with `status` changed something. */
static bool changed(const struct octl *o, int status)
{
	unsigned f = o->cmd->flags;

	if (status != OCTL_OK || (f & OCTL_READS))
		return false;
	/* OCTL_SHOWS_BARE: shown without options, changed with them. */
	return !(f & OCTL_SHOWS_BARE) || o->audit_opts;
}

void octl_audit_end(struct octl *o, int status)
{
	struct db_web_audit a = {0};
	struct passwd *pw;
	struct db *db = o->db;
	const char *sudo;
	int err;

	if (!changed(o, status))
		return;
	/* A command of the daemon's (conf mute, ban del) runs without the
	 * database: open it for the row, if there is one. */
	if (!db &&
	    (access(o->conf.db_path, F_OK) || db_open(&db, o->conf.db_path))) {
		fprintf(stderr,
			"ondoctl: warning: no audit log row written: "
			"no database at %s\n",
			o->conf.db_path);
		return;
	}
	pw = getpwuid(geteuid());
	if (pw)
		snprintf(a.username, sizeof(a.username), "ondoctl:%s",
			 pw->pw_name);
	else
		snprintf(a.username, sizeof(a.username), "ondoctl:uid %u",
			 (unsigned)geteuid());
	/* Who root was before sudo: what the admin said, for the reader. */
	sudo = getenv("SUDO_USER");
	if (sudo && geteuid() == 0) {
		snprintf(a.detail, sizeof(a.detail), "sudo by");
		add_word(a.detail, sizeof(a.detail), sudo);
	}
	snprintf(a.tenant, sizeof(a.tenant), "%s", o->audit_tenant);
	snprintf(a.action, sizeof(a.action), "ondoctl %s%s%s", o->cmd->noun,
		 o->cmd->verb ? " " : "", o->cmd->verb ? o->cmd->verb : "");
	snprintf(a.object, sizeof(a.object), "%s", o->audit_object);
	snprintf(a.source, sizeof(a.source), "local");
	err = db_web_audit_add(db, &a);
	if (err)
		fprintf(stderr,
			"ondoctl: warning: the change was made but not written "
			"to the audit log: %s\n",
			octl_strerror(err));
	if (db != o->db)
		db_close(db);
}
