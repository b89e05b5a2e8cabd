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

/* Opens (creating if needed) the database at `path`, turns on WAL, foreign
 * keys and a busy timeout, and applies db/schema.sql and any numbered
 * migrations whose number is above PRAGMA user_version. Caller frees with
 * db_close(). */
int db_open(struct db **dbp, const char *path);
void db_close(struct db *db);
/* Schema version after migration (PRAGMA user_version). */
int db_schema_version(struct db *db);

struct db_tenant {
	int64_t id;
	char name[DB_NAME_LEN];
	char domain[DB_DOMAIN_LEN]; /* lower case; also the digest realm */
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
 * domain as realm; the clear password is never stored. */
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
int db_ext_get(struct db *db, int64_t tenant_id, const char *number,
	       struct db_ext *e);
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
	int64_t tenant_id;
	char call_id[DB_CALLID_LEN];
	char caller[DB_NUMBER_LEN];
	char callee[DB_NUMBER_LEN];
	int64_t start_us;
	int64_t answer_us;
	int64_t end_us;
	int duration;		/* whole seconds from answer to end, 0 if none */
	char disposition[16];	/* ANSWERED, NO ANSWER, BUSY, FAILED, CANCELLED */
	int sip_status;		/* final status the caller got */
};

int db_cdr_insert(struct db *db, const struct db_cdr *c);
/* Walks CDR rows of a tenant (0: all), newest first, at most `limit`
 * (0 or less: all of them). */
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
};

/* Stores `r` (its id is ignored) and puts the new id in *idp (may be
 * NULL). -EINVAL for an empty or too long pattern or app, too long args or
 * a priority outside DB_ROUTE_PRIO_MIN..MAX; -EEXIST if the tenant has a
 * route with the same priority and pattern; -ENOENT if there is no such
 * tenant. */
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

#endif
