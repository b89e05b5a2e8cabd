/* db_move_plan.c - which tables a tenant move takes and how their rows
 * hang together, read from the schema (docs/tenant-move.md). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_move_priv.h"

/* The one hand-made part: a decision for every table. A table missing
 * here stops export and import (-ENOTSUP), so that whoever adds a table
 * in a migration decides whether it belongs to a tenant. */
static const struct {
	const char *table;
	enum mv_kind kind;
} decisions[] = {
    {"tenants", MV_ROOT},
    {"extensions", MV_MOVE},
    {"registrations", MV_SKIP}, /* phones register again */
    {"cdr", MV_MOVE},
    {"routes", MV_MOVE},
    {"ivr_menus", MV_MOVE},
    {"ivr_options", MV_MOVE},
    {"trunks", MV_MOVE}, /* the tenant's own; shared ones stay */
    {"dids", MV_MOVE},
    {"timeconds", MV_MOVE},
    {"timecond_rules", MV_MOVE},
    {"timecond_holidays", MV_MOVE},
    {"vm_boxes", MV_MOVE},
    {"vm_messages", MV_MOVE},
    {"vm_mail_queue", MV_MOVE}, /* mails not yet sent go out from there */
    {"web_users", MV_MOVE},	/* admins and users; superadmins stay */
    {"api_tokens", MV_MOVE},
    {"audit_log", MV_DOMAIN},
    {"rooms", MV_MOVE},
    {"room_recordings", MV_MOVE},
    {"sip_messages", MV_MOVE}, /* waiting for their recipient */
    {"ext_forwards", MV_MOVE},
    {"ringgroups", MV_MOVE},
    {"ringgroup_members", MV_MOVE},
    {"recordings", MV_MOVE},
    {"live_calls", MV_SKIP}, /* calls up on the old node */
    {"alive", MV_SKIP},	     /* the old node's heartbeat */
};

static const char *const kind_words[] = {"skip", "move", "move", "domain"};

static int decision(const char *table)
{
	for (size_t i = 0; i < sizeof(decisions) / sizeof(decisions[0]); i++)
		if (!strcmp(decisions[i].table, table))
			return (int)decisions[i].kind;
	return -1;
}

const char *db_mv_decision(const char *table)
{
	int k = decision(table);

	return k < 0 ? NULL : kind_words[k];
}

static int say(char *why, size_t wlen, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, wlen, fmt, ap);
	va_end(ap);
	return err;
}

/* Names from our own schema, checked anyway: they go into SQL text. */
static bool plain_name(const char *s)
{
	if (!*s || strlen(s) >= MV_NAME_LEN)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

int mv_plan_find(const struct mv_plan *p, const char *table)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->t[i].name, table))
			return i;
	return -1;
}

const struct mv_fk *mv_fk_of(const struct mv_table *t, int col)
{
	for (int i = 0; i < t->nfk; i++)
		if (t->fk[i].col == col)
			return &t->fk[i];
	return NULL;
}

int mv_bind_keys(sqlite3_stmt *st, int64_t tenant_id, const char *domain)
{
	int n = sqlite3_bind_parameter_count(st), rc = SQLITE_OK;

	if (n >= 1)
		rc = sqlite3_bind_int64(st, 1, tenant_id);
	if (n >= 2 && rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, domain, -1, SQLITE_TRANSIENT);
	return rc == SQLITE_OK ? 0 : -EIO;
}

static int col_index(const struct mv_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

/* The columns and the rowid alias of one table (PRAGMA table_info). */
static int read_cols(struct db *db, struct mv_table *t, char *why, size_t wlen)
{
	sqlite3_stmt *st;
	int npk = 0, pk = -1, rc;
	bool integer_pk = false;

	if (sqlite3_prepare_v2(
		db->sql, "SELECT name, type, pk FROM pragma_table_info(?1)", -1,
		&st, NULL) != SQLITE_OK)
		return say(why, wlen, -EIO, "%s", sqlite3_errmsg(db->sql));
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *type = (const char *)sqlite3_column_text(st, 1);
		if (!name || !plain_name(name) || t->ncols == MV_COLS_MAX)
			break;
		snprintf(t->cols[t->ncols], MV_NAME_LEN, "%s", name);
		if (sqlite3_column_int(st, 2) > 0) {
			npk++;
			pk = t->ncols;
			integer_pk = type && !strcasecmp(type, "INTEGER");
		}
		t->ncols++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return say(why, wlen, -ENOTSUP,
			   "table %s: a column this "
			   "code cannot handle",
			   t->name);
	t->rowid_col = (npk == 1 && integer_pk) ? pk : -1;
	t->tenant_col = col_index(t, "tenant_id");
	t->domain_col = t->kind == MV_ROOT     ? col_index(t, "domain")
			: t->kind == MV_DOMAIN ? col_index(t, "tenant")
					       : -1;
	return 0;
}

/* A foreign key as PRAGMA foreign_key_list gives it, before the parent's
 * place in the plan is known. */
struct raw_fk {
	char parent[MV_NAME_LEN];
	char to[MV_NAME_LEN]; /* "" : the parent's primary key */
	int col;
};

struct raw_table {
	int nfk;
	struct raw_fk fk[MV_FKS_MAX];
};

static int read_fks(struct db *db, const struct mv_table *t,
		    struct raw_table *raw, char *why, size_t wlen)
{
	sqlite3_stmt *st;
	int rc;

	raw->nfk = 0;
	if (sqlite3_prepare_v2(db->sql,
			       "SELECT \"table\", \"from\", \"to\" FROM "
			       "pragma_foreign_key_list(?1)",
			       -1, &st, NULL) != SQLITE_OK)
		return say(why, wlen, -EIO, "%s", sqlite3_errmsg(db->sql));
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		const char *from = (const char *)sqlite3_column_text(st, 1);
		const char *to = (const char *)sqlite3_column_text(st, 2);
		struct raw_fk *f = &raw->fk[raw->nfk];
		if (raw->nfk == MV_FKS_MAX || !p || !from ||
		    (f->col = col_index(t, from)) < 0)
			break;
		snprintf(f->parent, sizeof(f->parent), "%s", p);
		snprintf(f->to, sizeof(f->to), "%s", to ? to : "");
		raw->nfk++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return say(why, wlen, -ENOTSUP,
			   "table %s: a foreign key this "
			   "code cannot follow",
			   t->name);
	return 0;
}

/* The tables of the schema that are not SQLite's own, with their
 * decisions; moving ones into `all`. */
static int read_tables(struct db *db, struct mv_table *all, int *n, char *why,
		       size_t wlen)
{
	sqlite3_stmt *st;
	int rc, err = 0;

	*n = 0;
	if (sqlite3_prepare_v2(db->sql,
			       "SELECT name, sql FROM sqlite_master WHERE "
			       "type = 'table' AND name NOT LIKE 'sqlite\\_%' "
			       "ESCAPE '\\' ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return say(why, wlen, -EIO, "%s", sqlite3_errmsg(db->sql));
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		int k = name ? decision(name) : -1;
		if (k < 0 || !plain_name(name))
			err =
			    say(why, wlen, -ENOTSUP,
				"table %s has no decision in db/db_move_plan.c "
				"(see docs/tenant-move.md)",
				name ? name : "?");
		else if (k != MV_SKIP && *n == MV_TABLES_MAX)
			err = say(why, wlen, -ENOTSUP, "too many tables");
		else if (k != MV_SKIP && sql &&
			 strcasestr(sql, "WITHOUT ROWID"))
			err = say(why, wlen, -ENOTSUP,
				  "table %s is WITHOUT "
				  "ROWID",
				  name);
		else if (k != MV_SKIP) {
			memset(&all[*n], 0, sizeof(all[*n]));
			snprintf(all[*n].name, MV_NAME_LEN, "%s", name);
			all[(*n)++].kind = (enum mv_kind)k;
		}
	}
	if (!err && rc != SQLITE_DONE)
		err = say(why, wlen, -EIO, "%s", sqlite3_errmsg(db->sql));
	sqlite3_finalize(st);
	return err;
}

/* Links table t's foreign keys to their parents' places in the plan and
 * writes the condition that picks the tenant's rows. */
static int link_table(struct mv_plan *p, struct mv_table *t,
		      const struct raw_table *raw, char *why, size_t wlen)
{
	for (int i = 0; i < raw->nfk; i++) {
		const struct raw_fk *f = &raw->fk[i];
		int pi = mv_plan_find(p, f->parent);
		const struct mv_table *pt = pi < 0 ? NULL : &p->t[pi];
		if (!pt || pt->rowid_col < 0 ||
		    (f->to[0] && strcmp(f->to, pt->cols[pt->rowid_col])))
			return say(why, wlen, -ENOTSUP,
				   "%s.%s points at %s, which does not move "
				   "by its id",
				   t->name, t->cols[f->col], f->parent);
		t->fk[t->nfk].col = f->col;
		t->fk[t->nfk++].parent = pi;
	}
	char where[MV_WHERE_LEN];
	int k = -1;

	/* Built aside: the parent's condition is part of the same plan. */
	if (t->kind == MV_ROOT && t->rowid_col >= 0 && t->domain_col >= 0)
		k = snprintf(where, sizeof(where), "\"%s\" = ?1",
			     t->cols[t->rowid_col]);
	else if (t->kind == MV_DOMAIN && t->domain_col >= 0)
		k = snprintf(where, sizeof(where), "\"tenant\" = ?2");
	else if (t->kind == MV_MOVE && t->tenant_col >= 0)
		k = snprintf(where, sizeof(where), "\"tenant_id\" = ?1");
	else if (t->kind == MV_MOVE && t->nfk > 0) {
		const struct mv_table *pt = &p->t[t->fk[0].parent];
		k = snprintf(where, sizeof(where),
			     "\"%s\" IN (SELECT \"%s\" FROM \"%s\" WHERE %s)",
			     t->cols[t->fk[0].col], pt->cols[pt->rowid_col],
			     pt->name, pt->where);
	} else
		return say(why, wlen, -ENOTSUP,
			   "table %s is said to move but has neither tenant_id "
			   "nor a parent",
			   t->name);
	if (k < 0 || k >= (int)sizeof(where))
		return say(why, wlen, -ENOTSUP, "%s: too deep", t->name);
	memcpy(t->where, where, (size_t)k + 1);
	return 0;
}

/* Parents before children: each round places the tables whose parents
 * (other than themselves) are placed. */
static int order(struct db *db, struct mv_plan *p, struct mv_table *all,
		 struct raw_table *raw, int n, char *why, size_t wlen)
{
	bool placed[MV_TABLES_MAX] = {false};
	int err = 0;

	for (int i = 0; i < n && !err; i++)
		if (!(err = read_cols(db, &all[i], why, wlen)))
			err = read_fks(db, &all[i], &raw[i], why, wlen);
	while (!err && p->n < n) {
		int before = p->n;
		for (int i = 0; i < n && !err; i++) {
			/* The tenant first: an import needs its new id
			 * before any other row. */
			bool ready =
			    !placed[i] && (p->n > 0 || all[i].kind == MV_ROOT);
			for (int f = 0; ready && f < raw[i].nfk; f++) {
				const char *par = raw[i].fk[f].parent;
				int pi = mv_plan_find(p, par);
				ready = pi >= 0 || !strcmp(par, all[i].name) ||
					decision(par) == MV_SKIP;
			}
			if (!ready)
				continue;
			placed[i] = true;
			p->t[p->n] = all[i];
			err = link_table(p, &p->t[p->n++], &raw[i], why, wlen);
		}
		if (!err && p->n == before)
			err = say(why, wlen, -ENOTSUP,
				  "the tables' foreign "
				  "keys go round in a circle");
	}
	if (!err && (p->n == 0 || p->t[0].kind != MV_ROOT))
		err = say(why, wlen, -ENOTSUP, "no tenants table first");
	return err;
}

int mv_plan_build(struct db *db, struct mv_plan *p, char *why, size_t wlen)
{
	/* ~300 KB together: on the heap, freed below. */
	struct mv_table *all = calloc(MV_TABLES_MAX, sizeof(*all));
	struct raw_table *raw = calloc(MV_TABLES_MAX, sizeof(*raw));
	int n, err = all && raw ? 0 : say(why, wlen, -ENOMEM, "out of memory");

	memset(p, 0, sizeof(*p));
	p->schema = db_schema_version(db);
	if (!err)
		err = read_tables(db, all, &n, why, wlen);
	if (!err)
		err = order(db, p, all, raw, n, why, wlen);
	free(all);
	free(raw);
	return err;
}
