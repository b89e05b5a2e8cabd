/* db.h - the data-access layer: SQLite schema, migrations, and every query. */
#ifndef ONDO_DB_H
#define ONDO_DB_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/*
 * One `struct db` is one SQLite connection. It is not shared between
 * threads: each thread that needs the database opens its own (WAL mode lets
 * readers run while one writer writes). Every query is a prepared statement
 * kept on the connection. Functions return 0 or a negative errno:
 *   -ENOENT  no such row          -EEXIST  unique key already taken
 *   -EINVAL  bad argument         -EIO     SQLite failed (logged)
 */
struct db;

/* Limits of stored strings (bytes, including the terminating NUL). */
#define DB_DOMAIN_LEN 256
#define DB_NAME_LEN 128
#define DB_NUMBER_LEN 32
#define DB_HA1_LEN 33
#define DB_URI_LEN 512
#define DB_CALLID_LEN 256
#define DB_UA_LEN 128
/* An enumerated setting stored as the word the admin types ("udp",
 * "national"); db_trunk.h lists them. */
#define DB_WORD_LEN 16

/* Opens (creating if needed) the database at `path`, turns on WAL, foreign
 * keys and a busy timeout, and applies db/schema.sql and any numbered
 * migrations whose number is above PRAGMA user_version. Caller frees with
 * db_close(). */
int db_open(struct db **dbp, const char *path);
void db_close(struct db *db);
/* Schema version after migration (PRAGMA user_version). */
int db_schema_version(struct db *db);

/* A tenant's codec preference (migrations/0005_tenant_codecs.sql): 1 to
 * DB_CODECS_MAX distinct SDP names, most preferred first, stored upper
 * case and comma-separated, e.g. "G722,PCMU,PCMA". */
#define DB_CODECS_LEN	  64
#define DB_CODECS_MAX	  3
#define DB_CODEC_NAME_LEN 8
#define DB_CODECS_DEFAULT "G722,PCMU,PCMA"

struct db_tenant {
	int64_t id;
	char name[DB_NAME_LEN];
	char domain[DB_DOMAIN_LEN]; /* lower case; also the digest realm */
	char codecs[DB_CODECS_LEN]; /* as db_codecs_parse() reads it */
};

int db_tenant_add(struct db *db, const char *name, const char *domain,
		  int64_t *idp);
/* Deletes the tenant and, by foreign key cascade, all its rows. */
int db_tenant_del(struct db *db, const char *domain);
int db_tenant_by_domain(struct db *db, const char *domain,
			struct db_tenant *t);
int db_tenant_by_id(struct db *db, int64_t id, struct db_tenant *t);
/* Calls `h` for each tenant in domain order; a non-zero return stops the
 * walk and is returned. */
int db_tenant_list(struct db *db,
		   int (*h)(const struct db_tenant *t, void *arg), void *arg);
/* Sets the tenant's codec preference to `codecs` (db_valid_codecs), stored
 * in canonical form: upper case, no blanks, e.g. "pcmu, g722" is stored
 * as "PCMU,G722". -EINVAL for a bad list or domain, -ENOENT if there is
 * no such tenant. */
int db_tenant_set_codecs(struct db *db, const char *domain, const char *codecs);
/* Splits a codec list into its names, upper-cased, in order of preference:
 * names[0..*n-1]. Names are separated by commas, with optional blanks
 * around each; each must be one of PCMU, PCMA and G722
 * (case-insensitive), at most once, 1 to DB_CODECS_MAX of them, in fewer
 * than DB_CODECS_LEN bytes. Pure: no database. Returns 0, or -EINVAL
 * (then *n is 0). The daemon maps each name with codec_by_name(). */
int db_codecs_parse(const char *s, char names[DB_CODECS_MAX][DB_CODEC_NAME_LEN],
		    int *n);

struct db_ext {
	int64_t id;
	int64_t tenant_id;
	char number[DB_NUMBER_LEN];
	char name[DB_NAME_LEN];	/* display name, may be empty */
	char ha1[DB_HA1_LEN];	/* MD5(number:realm:password), lower hex */
	int ring_timeout;	/* seconds, default 30 */
};

/* Accepted range of an extension's ring timeout, in seconds. */
#define DB_RING_TIMEOUT_MIN 5
#define DB_RING_TIMEOUT_MAX 600

/* Stores the extension with HA1 computed from `password` and the tenant's
 * domain as realm; the clear password is never stored. -EEXIST if the
 * number is taken, -EDQUOT if the tenant has its maximum of extensions
 * (db_limits.h). */
int db_ext_add(struct db *db, int64_t tenant_id, const char *number,
	       const char *name, const char *password, int64_t *idp);
int db_ext_del(struct db *db, int64_t tenant_id, const char *number);
int db_ext_passwd(struct db *db, int64_t tenant_id, const char *number,
		  const char *password);
/* Sets how long a call to the extension rings before it gives up.
 * -EINVAL outside DB_RING_TIMEOUT_MIN..MAX, -ENOENT if there is no such
 * extension. */
int db_ext_set_ring_timeout(struct db *db, int64_t tenant_id,
			    const char *number, int seconds);
/* Sets the display name (db_valid_name; may be ""). */
int db_ext_set_name(struct db *db, int64_t tenant_id, const char *number,
		    const char *name);
int db_ext_get(struct db *db, int64_t tenant_id, const char *number,
	       struct db_ext *e);
/* A page of the tenant's extensions whose number or name holds `q`
 * (case-insensitive for ASCII; "" or NULL: all), in list order; *total
 * gets how many match in all. -EINVAL for a q too long. */
int db_ext_search(struct db *db, int64_t tenant_id, const char *q,
		  long offset, int limit, long *total,
		  int (*h)(const struct db_ext *e, void *arg), void *arg);
int db_ext_list(struct db *db, int64_t tenant_id,
		int (*h)(const struct db_ext *e, void *arg), void *arg);
/* HA1 as the registrar and digest code compute it: MD5 of
 * "user:realm:password" in lower-case hex. */
void db_ha1(char out[DB_HA1_LEN], const char *user, const char *realm,
	    const char *password);

/* One registered contact of an extension. */
struct db_reg {
	int64_t ext_id;
	int64_t tenant_id;
	char contact[DB_URI_LEN]; /* Contact URI as the phone sent it */
	char route[DB_URI_LEN];	  /* where it really is: sip:IP:PORT;transport=X */
	char call_id[DB_CALLID_LEN];
	uint32_t cseq;
	int64_t expires;	/* absolute, seconds since the epoch */
	char user_agent[DB_UA_LEN];
	/* filled by db_reg_list / db_reg_load only: */
	char number[DB_NUMBER_LEN];
	char domain[DB_DOMAIN_LEN];
};

/* Inserts or replaces the row keyed by (ext_id, contact). */
int db_reg_save(struct db *db, const struct db_reg *r);
int db_reg_del(struct db *db, int64_t ext_id, const char *contact);
int db_reg_del_ext(struct db *db, int64_t ext_id);
/* Deletes rows with expires <= now. */
int db_reg_expire(struct db *db, int64_t now);
/* Walks live registrations (expires > now); tenant_id 0 means all tenants.
 * number and domain are filled. */
int db_reg_list(struct db *db, int64_t tenant_id, int64_t now,
		int (*h)(const struct db_reg *r, void *arg), void *arg);
/* Walks the live contacts (expires > now) of one extension, the one that
 * expires last first: where the registrar forks a call. number and domain
 * are filled. */
int db_reg_load(struct db *db, int64_t ext_id, int64_t now,
		int (*h)(const struct db_reg *r, void *arg), void *arg);

/* One call detail record. Times are microseconds since the epoch;
 * answer_us is 0 for a call never answered. */
struct db_cdr {
	int64_t id;		/* filled by the lists */
	int64_t tenant_id;
	char call_id[DB_CALLID_LEN];
	char caller[DB_NUMBER_LEN];
	char callee[DB_NUMBER_LEN];
	int64_t start_us;
	int64_t answer_us;
	int64_t end_us;
	int duration;		/* whole seconds from answer to end, 0 if none */
	char disposition[16];	/* ANSWERED, NO ANSWER, BUSY, FAILED, CANCELLED,
				 * INTERRUPTED (db_live.h) */
	int sip_status;		/* final status the caller got */
	/* Media quality per leg, as the PBX received each phone (index 0:
	 * caller, 1: callee): packets lost, interarrival jitter, round trip
	 * from RTCP. -1 where not measured (no media, or the phone sent no
	 * RTCP report). */
	int64_t lost[2];
	double jitter_ms[2];
	int rtt_ms[2];
	/* The call's recording (migrations/0007_recording.sql): a WAV path
	 * relative to the spool folder, "" for none. */
	char recording[DB_URI_LEN];
};

int db_cdr_insert(struct db *db, const struct db_cdr *c);
/* Walks CDR rows of a tenant (0: all), newest first, at most `limit`
 * (0 or less: all of them). */
/* A page of a tenant's records, newest first: from_us <= start < to_us
 * (to_us 0: no end), an extension as caller or callee ("" any), a
 * disposition ("" any), and older than the cursor (before_start_us,
 * before_id) of the previous page's last row (0: from the newest). */
struct db_cdr_filter {
	int64_t tenant_id;
	int64_t from_us, to_us;
	const char *ext, *disposition;
	int64_t before_start_us, before_id;
	int limit;
};
int db_cdr_search(struct db *db, const struct db_cdr_filter *f,
		  int (*h)(const struct db_cdr *c, void *arg), void *arg);
/* Record `id` of the tenant; -ENOENT (also for another tenant's). */
int db_cdr_get(struct db *db, int64_t tenant_id, int64_t id, struct db_cdr *c);
int db_cdr_list(struct db *db, int64_t tenant_id, int limit,
		int (*h)(const struct db_cdr *c, void *arg), void *arg);

/* One dialplan route of a tenant (pbx/dialplan/dialplan.h): numbers
 * matching `pattern` run application `app` with `args`. The database
 * stores the strings as given; the dialplan code checks their syntax. */
#define DB_ROUTE_PATTERN_LEN 128
#define DB_ROUTE_APP_LEN 32
#define DB_ROUTE_ARGS_LEN 256
/* Accepted priorities; lower runs first. */
#define DB_ROUTE_PRIO_MIN 0
#define DB_ROUTE_PRIO_MAX 9999
#define DB_ROUTE_PRIO_DEFAULT 100

struct db_route {
	int64_t id;
	int64_t tenant_id;
	int priority;
	char pattern[DB_ROUTE_PATTERN_LEN];
	char app[DB_ROUTE_APP_LEN];
	char args[DB_ROUTE_ARGS_LEN]; /* template, may be empty */
	/* The class of service a caller needs to use the route
	 * (db_trunk.h): "internal", "local", "national" or
	 * "international". "" stores the default, "internal"; lists always
	 * fill it in. */
	char cos[DB_WORD_LEN];
};

/* Stores `r` (its id is ignored) and puts the new id in *idp (may be
 * NULL). -EINVAL for an empty or too long pattern or app, too long args,
 * a priority outside DB_ROUTE_PRIO_MIN..MAX or a class that is not one of
 * the four; -EEXIST if the tenant has a route with the same priority and
 * pattern; -ENOENT if there is no such tenant. */
int db_route_add(struct db *db, const struct db_route *r, int64_t *idp);
/* Deletes route `id` of the tenant; -ENOENT if the tenant has none such
 * (a route id of another tenant included). */
int db_route_del(struct db *db, int64_t tenant_id, int64_t id);
/* Calls `h` for each route of the tenant by priority, then id (oldest
 * first); a non-zero return stops the walk and is returned. */
int db_route_list(struct db *db, int64_t tenant_id,
		  int (*h)(const struct db_route *r, void *arg), void *arg);

/*
 * Input checks shared by the daemon, ondoctl and the web API; each returns
 * true if `s` may be stored. The db_*_add functions apply them too and
 * return -EINVAL, but callers that want to tell a user which argument is
 * wrong check first.
 */
/* A DNS name (letters, digits, hyphens; labels of 1-63 characters, not
 * starting or ending with a hyphen; at most 253 characters in all; the last
 * label not all digits) or an IPv4 address in dotted-quad form. */
bool db_valid_domain(const char *s);
/* An extension number: 1 to 31 decimal digits. */
bool db_valid_number(const char *s);
/* A display name: at most 127 bytes of UTF-8 without control characters,
 * double quotes or backslashes (it goes into a SIP quoted-string). May be
 * empty. */
bool db_valid_name(const char *s);
/* A SIP password: 8 to 127 printable ASCII characters (space included). */
bool db_valid_password(const char *s);
/* A number the dialplan routes: 1 to DB_NUMBER_LEN - 1 characters from
 * 0-9 A-Z a-z * # + . _ -. Anything else could break out of a SIP URI
 * built from it. dp_dialable() is this rule. */
bool db_valid_dialable(const char *s);
/* A prompt id: 1 to DB_IVR_PROMPT_LEN - 1 characters from a-z 0-9 _.
 * It names a sound file (ID.wav), so it has no '/' or '.'. */
bool db_valid_prompt(const char *s);
/* An IVR menu name: 1 to DB_IVR_NAME_LEN - 1 characters from
 * a-z 0-9 _ -. */
bool db_valid_ivr_name(const char *s);
/* A codec preference list that db_codecs_parse() accepts. */
bool db_valid_codecs(const char *s);

/*
 * IVR menus (db_ivr.c, migrations/0003_ivr.sql). A menu is data: a
 * greeting, how long to wait for a key, and a table of {digit, action,
 * arg} rows. A route `ivr NAME` runs menu NAME of the route's tenant.
 *
 * Actions and their args (db_ivr_action_check):
 *   extension  an extension number of the tenant (must exist when added)
 *   menu       another menu's name in the same tenant (must exist)
 *   number     a number to dial through the tenant's dialplan
 *              (db_valid_dialable)
 *   voicemail  an extension number of the tenant (must exist): the caller
 *              leaves a message in its mailbox
 *   playback   PROMPT[&PROMPT...]; then back to the menu
 *   repeat     no arg: the greeting again
 *   hangup     no arg
 * A menu's fallback (what happens once the caller has used up
 * max_retries) takes the same actions except playback and repeat, which
 * would return to the menu and never end.
 */
#define DB_IVR_NAME_LEN	  33
#define DB_IVR_PROMPT_LEN 64
#define DB_IVR_ACTION_LEN 16
#define DB_IVR_ARG_LEN	  64
/* Accepted ranges; the defaults are those of ivr_menus' columns. */
#define DB_IVR_TIMEOUT_MIN_MS	  1000
#define DB_IVR_TIMEOUT_MAX_MS	  60000
#define DB_IVR_TIMEOUT_DEFAULT_MS 5000
#define DB_IVR_RETRIES_MAX	  10
#define DB_IVR_RETRIES_DEFAULT	  3

struct db_ivr_menu {
	int64_t id, tenant_id;
	char name[DB_IVR_NAME_LEN];
	char greeting[DB_IVR_PROMPT_LEN]; /* a prompt id */
	int timeout_ms; /* wait for the first key after the greeting */
	char invalid_prompt[DB_IVR_PROMPT_LEN],
	    timeout_prompt[DB_IVR_PROMPT_LEN];
	int max_retries; /* invalid keys or timeouts before the fallback */
	char fallback_action[DB_IVR_ACTION_LEN];
	char fallback_arg[DB_IVR_ARG_LEN];
	int direct_dial; /* 1: the caller may key an extension number */
};

struct db_ivr_option {
	int64_t menu_id;
	char digit; /* one of 0-9 * # */
	char action[DB_IVR_ACTION_LEN];
	char arg[DB_IVR_ARG_LEN]; /* "" for repeat and hangup */
};

/* What still points at a menu, so that it cannot be deleted
 * (db_ivr_menu_ref). */
struct db_ivr_ref {
	int64_t route_id;	    /* > 0: a route runs `ivr NAME` */
	char menu[DB_IVR_NAME_LEN]; /* else this menu points at it, */
	char digit;		    /* by this option, or '\0': its fallback */
};

/* Fills `m` with the column defaults (timeout, prompts, retries, fallback
 * hangup, no direct dial); name, greeting and ids are left empty. */
void db_ivr_menu_defaults(struct db_ivr_menu *m);

/* Checks that `action` with `arg` may be stored as an option of a menu of
 * the tenant: the action is known, the arg has the right shape, and the
 * extension or menu it names exists in that tenant. Returns 0; -EINVAL
 * with one line in `err` saying what is wrong, e.g. "no extension 1009 in
 * tenant acme.test" or "conference is not available yet"; -EIO (logged).
 * `err` (may be NULL) is "" on success. */
int db_ivr_action_check(struct db *db, int64_t tenant_id, const char *action,
			const char *arg, char *err, size_t errlen);
/* The same for the fallback of menu `menu` (its name): playback, repeat
 * and a menu falling back to itself are refused too. */
int db_ivr_fallback_check(struct db *db, int64_t tenant_id, const char *menu,
			  const char *action, const char *arg, char *err,
			  size_t errlen);

/* Checks every field of `m` as db_ivr_menu_add will, the fallback's
 * target included (in m->tenant_id): 0, or -EINVAL with one line in `err`
 * (may be NULL) saying what is wrong, e.g. "invalid timeout 500 ms (1000
 * to 60000)"; -EIO (logged). For ondoctl and the web API, which tell the
 * user which field is wrong. */
int db_ivr_menu_check(struct db *db, const struct db_ivr_menu *m, char *err,
		      size_t errlen);

/* Stores `m` (its id is ignored) and puts the new id in *idp (may be
 * NULL). -EINVAL for a bad name, prompt, timeout, retry count or
 * fallback (db_ivr_menu_check tells which); -EEXIST if the tenant has
 * a menu of that name; -ENOENT if there is no such tenant. */
int db_ivr_menu_add(struct db *db, const struct db_ivr_menu *m, int64_t *idp);
/* Replaces every field of the tenant's menu named m->name (m->id is
 * ignored; a menu is never renamed, so what points at it stays valid).
 * -ENOENT if there is none; -EINVAL as db_ivr_menu_add. */
int db_ivr_menu_update(struct db *db, const struct db_ivr_menu *m);
/* -ENOENT if the tenant has no menu `name`. */
int db_ivr_menu_get(struct db *db, int64_t tenant_id, const char *name,
		    struct db_ivr_menu *m);
/* Deletes the menu and its options. -EBUSY if a route of the tenant
 * (`ivr NAME`), or an option or the fallback of another of its menus,
 * still points at it (db_ivr_menu_ref says which); -ENOENT if there is no
 * such menu. */
int db_ivr_menu_del(struct db *db, int64_t tenant_id, const char *name);
/* Finds one thing that points at menu `name`: routes first (lowest id),
 * then options, then fallbacks of the tenant's other menus. 0 with *ref
 * filled; -ENOENT if nothing does. */
int db_ivr_menu_ref(struct db *db, int64_t tenant_id, const char *name,
		    struct db_ivr_ref *ref);
/* Calls `h` for each menu of the tenant by name; a non-zero return stops
 * the walk and is returned. */
int db_ivr_menu_list(struct db *db, int64_t tenant_id,
		     int (*h)(const struct db_ivr_menu *m, void *arg),
		     void *arg);

/* Sets what key o->digit does in menu `menu_id` (o->menu_id is ignored),
 * replacing what it did before. The action is checked as by
 * db_ivr_action_check in the menu's tenant: -EINVAL if it does not pass
 * or the digit is not one of 0-9 * #; -ENOENT if there is no such menu. */
int db_ivr_option_set(struct db *db, int64_t menu_id,
		      const struct db_ivr_option *o);
/* -ENOENT if the menu has no option `digit`. */
int db_ivr_option_del(struct db *db, int64_t menu_id, char digit);
/* Calls `h` for each option of the menu in keypad order: 1-9, 0, *, #;
 * a non-zero return stops the walk and is returned. */
int db_ivr_options(struct db *db, int64_t menu_id,
		   int (*h)(const struct db_ivr_option *o, void *arg),
		   void *arg);

#endif
