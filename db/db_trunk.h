/* db_trunk.h - SIP trunks, DIDs, classes of service and caller-ID settings
 * (migrations/0006_trunks.sql). */
#ifndef ONDO_DB_TRUNK_H
#define ONDO_DB_TRUNK_H

#include "db.h"

/*
 * A trunk is a carrier endpoint. It belongs to one tenant, or (tenant_id
 * 0) is shared by all tenants (defined by the superadmin). Enumerated
 * settings are stored as the words the admin types, checked here, so a
 * new value needs no table rebuild.
 */
#define DB_TRUNK_NAME_LEN   33	/* a-z 0-9 _ -, 1..32 */
#define DB_TRUNK_USER_LEN   64
#define DB_TRUNK_PASS_LEN   128
#define DB_TRUNK_IPS_LEN    256
#define DB_TRUNK_IPS_MAX    16	/* entries in ips */
#define DB_PREFIX_LEN	    16	/* 0-9 + * #, may be empty */
/* DB_WORD_LEN (enumerated settings) is db.h's: routes use it too. */
#define DB_TRUNK_STRIP_MAX  15
#define DB_TRUNK_EXPIRY_MIN 60
#define DB_TRUNK_EXPIRY_MAX 86400
#define DB_TRUNK_MAX_CALLS  100000
#define DB_TRUNK_MAX_PER_HOUR 1000000

struct db_trunk {
	int64_t id;
	int64_t tenant_id;	     /* 0: shared by every tenant */
	char name[DB_TRUNK_NAME_LEN];
	char host[DB_DOMAIN_LEN];    /* db_valid_domain: name or IPv4 */
	int port;		     /* 1..65535, default 5060 */
	char transport[DB_WORD_LEN]; /* "udp" (default) or "tcp" */
	char auth[DB_WORD_LEN];	     /* "register" or "ip" */
	/* register: the account at the carrier. The password is kept in
	 * clear: answering the carrier's digest challenge needs it. */
	char username[DB_TRUNK_USER_LEN];
	char password[DB_TRUNK_PASS_LEN];
	int expiry;		     /* register: seconds asked, default 600 */
	/* Where the carrier sends from: comma-separated IPv4 or IPv6
	 * addresses, prefixes ("10.0.0.0/24", "2001:db8::/32") and host
	 * names (resolved by the daemon, off the SIP thread). Empty: the
	 * host's own address (resolved too when it is a name). For "ip"
	 * trunks, requests from anywhere else are refused. */
	char ips[DB_TRUNK_IPS_LEN];
	char codecs[DB_CODECS_LEN];  /* as db_codecs_parse(), default
				      * "PCMU,PCMA,G722" */
	char callerid[DB_WORD_LEN];  /* "did" (default), "main", "anonymous" */
	int max_calls;		     /* concurrent calls, 0: no limit */
	/* outbound calls started in any hour, 0: no limit; emergency
	 * calls are never counted out (limits.c) */
	int max_per_hour;
	/* Number normalisation. Outbound: the E.164 number ("+4930...") has
	 * out_strip characters removed from its front, then out_prefix put
	 * in front ("+49301234" with strip 3 and prefix "0" is "0301234").
	 * Inbound: the carrier's number has in_strip characters removed and
	 * in_prefix put in front, which must give E.164. */
	int out_strip;
	char out_prefix[DB_PREFIX_LEN];
	int in_strip;
	char in_prefix[DB_PREFIX_LEN];
};

/* Fills t with the defaults above (id 0, names empty). */
void db_trunk_defaults(struct db_trunk *t);
/* Checks every field, in the order of the struct (name first). NULL if
 * all are fine, else the name of the first bad field as ondoctl spells
 * the option ("name", "host", "port", "transport", "auth", "username",
 * "password", "expiry", "ips", "codecs", "callerid", "max-calls",
 * "out-strip", "out-prefix", "in-strip", "in-prefix"). A "register" trunk
 * needs a username and a password; an "ip" trunk may have neither.
 * Strings must be NUL-terminated within their buffers. Pure. */
const char *db_trunk_check(const struct db_trunk *t);
/* What a good value of field `field` (as db_trunk_check names it) is, in
 * words: "1 to 65535"; "" for an unknown field. */
const char *db_trunk_rule(const char *field);
/* Stores t (its id ignored; codecs canonicalised as by
 * db_tenant_set_codecs) and puts the new id in *idp (may be NULL).
 * -EINVAL if db_trunk_check fails, -EEXIST if the tenant (or the shared
 * set) has a trunk of that name, -ENOENT if there is no such tenant. */
int db_trunk_add(struct db *db, const struct db_trunk *t, int64_t *idp);
/* Replaces every setting of the trunk with t->id (tenant and name
 * included) by t's; same errors as add, -ENOENT if no such trunk. */
int db_trunk_update(struct db *db, const struct db_trunk *t);
/* Trunk `name` of the tenant (0: the shared ones). -ENOENT if none. */
int db_trunk_get(struct db *db, int64_t tenant_id, const char *name,
		 struct db_trunk *t);
int db_trunk_by_id(struct db *db, int64_t id, struct db_trunk *t);
/* -ENOENT if the tenant (0: shared) has no trunk `name`. */
int db_trunk_del(struct db *db, int64_t tenant_id, const char *name);
/* Calls h for each trunk of the tenant by name; tenant_id 0 walks the
 * shared ones, -1 every trunk (shared first, then by tenant id, name). A
 * non-zero return stops the walk and is returned. */
int db_trunk_list(struct db *db, int64_t tenant_id,
		  int (*h)(const struct db_trunk *t, void *arg), void *arg);

/*
 * A DID is a public number (E.164: '+' and 2 to 15 digits, the first not
 * 0) owned by one tenant, and where its calls go:
 *   extension  an extension number of the tenant (must exist when added)
 *   ivr        an IVR menu of the tenant (must exist when added)
 *   number     a number dialled through the tenant's dialplan
 *              (db_valid_dialable)
 *   timecond   a time condition of the tenant (db_timecond.h), which
 *              picks one of the others by the day and time
 * Later issues add voicemail, conference and ring group destinations.
 */
struct db_did {
	int64_t id;
	int64_t tenant_id;
	char number[DB_NUMBER_LEN];
	char dest_type[DB_WORD_LEN];
	char dest[DB_NUMBER_LEN + 32]; /* a menu name or a number */
};

/* '+' then 2 to 15 digits, the first not 0. */
bool db_valid_e164(const char *s);
/* A dialling prefix: up to DB_PREFIX_LEN - 1 of 0-9 + * #; may be "". */
bool db_valid_prefix(const char *s);
/* A trunk name: 1 to DB_TRUNK_NAME_LEN - 1 of a-z 0-9 _ -. */
bool db_valid_trunk_name(const char *s);
/* A trunk's ips: "" or up to DB_TRUNK_IPS_MAX entries separated by
 * single commas, no blanks, in fewer than DB_TRUNK_IPS_LEN bytes; an
 * entry is an IPv4 or IPv6 address or prefix (ipnet_parse; host bits
 * past the prefix refused) or a host name (db_valid_domain, not all
 * digits and dots). */
bool db_valid_ip_list(const char *s);
/* The same check, saying why a list is refused in `why` (naming the
 * first bad entry: "'10.0.0.1/24' has bits set past /24 (the network is
 * 10.0.0.0/24)"); why may be NULL. */
bool db_ip_list_why(const char *s, char *why, size_t len);
/* Checks the destination in the DID's tenant (rows must exist). 0, or
 * -EINVAL (bad type or syntax) or -ENOENT (no such extension, menu or
 * time condition). db_dest_check (db_timecond.h) says why in words. */
int db_did_dest_check(struct db *db, const struct db_did *d);
/* Stores d: -EINVAL for a bad number or destination (see
 * db_did_dest_check; -ENOENT for a missing extension or menu), -EEXIST
 * if any tenant already owns the number. */
int db_did_add(struct db *db, const struct db_did *d, int64_t *idp);
/* Points an existing DID of the tenant elsewhere; -ENOENT if the tenant
 * has no such DID. */
int db_did_set_dest(struct db *db, const struct db_did *d);
/* The DID `number`, whichever tenant owns it; -ENOENT if none. */
int db_did_get(struct db *db, const char *number, struct db_did *d);
/* -ENOENT if the tenant has no DID `number` (another tenant's included). */
int db_did_del(struct db *db, int64_t tenant_id, const char *number);
/* Calls h for each DID of the tenant (0: all tenants) by number. */
int db_did_list(struct db *db, int64_t tenant_id,
		int (*h)(const struct db_did *d, void *arg), void *arg);

/*
 * Classes of service (toll-fraud control): each extension has one, each
 * route requires one, in this order of reach:
 *   internal < local < national < international
 * An extension may use a route whose class is at or below its own.
 * Emergency numbers (per tenant, default "112,911") are never blocked.
 */
enum db_cos { DB_COS_INTERNAL, DB_COS_LOCAL, DB_COS_NATIONAL,
	      DB_COS_INTERNATIONAL };
/* -EINVAL for a word other than the four (lower case); else the class. */
int db_cos_parse(const char *word);
/* The word for `c` (static); NULL if `c` is not one of the four. */
const char *db_cos_name(enum db_cos c);
/* Default class of a new extension: national. Of a route: internal. */
#define DB_COS_EXT_DEFAULT   "national"
#define DB_COS_ROUTE_DEFAULT "internal"

/* Extension settings for calls out: its class and its own DID (shown as
 * caller ID on trunks set to "did"; "" for none). -EINVAL for a bad
 * class or a DID that is not E.164 (or "" to clear), -ENOENT if no such
 * extension. The DID need not be one of the tenant's DIDs rows. */
int db_ext_set_cos(struct db *db, int64_t tenant_id, const char *number,
		   const char *cos);
int db_ext_set_did(struct db *db, int64_t tenant_id, const char *number,
		   const char *did);
/* Reads both (the rest of the extension is db_ext_get); -ENOENT if no
 * such extension. */
int db_ext_out(struct db *db, int64_t tenant_id, const char *number,
	       char cos[DB_WORD_LEN], char did[DB_NUMBER_LEN]);

/* Tenant settings for calls out: its main number (E.164 or "") and its
 * emergency numbers (comma-separated dialables, at most
 * DB_EMERGENCY_LEN - 1 bytes, may be ""). -EINVAL, -ENOENT as usual. */
#define DB_EMERGENCY_LEN 64
/* An emergency list: "" or dialables (db_valid_dialable) separated by
 * single commas, no blanks, in fewer than DB_EMERGENCY_LEN bytes. */
bool db_valid_emergency(const char *s);
int db_tenant_set_main_number(struct db *db, const char *domain,
			      const char *number);
int db_tenant_set_emergency(struct db *db, const char *domain,
			    const char *numbers);
int db_tenant_out(struct db *db, int64_t tenant_id,
		  char main_number[DB_NUMBER_LEN],
		  char emergency[DB_EMERGENCY_LEN]);
/* True if `number` is one of the comma-separated `list`. Pure. */
bool db_emergency_match(const char *list, const char *number);

/* The class a route requires (routes.cos; "internal" by default). The
 * route struct's other fields are db.h's. -EINVAL for a bad class,
 * -ENOENT if the tenant has no route `id`. */
int db_route_set_cos(struct db *db, int64_t tenant_id, int64_t id,
		     const char *cos);
int db_route_cos(struct db *db, int64_t tenant_id, int64_t id,
		 char cos[DB_WORD_LEN]);

#endif
