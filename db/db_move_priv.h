/* db_move_priv.h - the plan db_move_plan.c reads from the schema, shared
 * by the export (db_move.c) and the import (db_move_import.c). */
#ifndef ONDO_DB_MOVE_PRIV_H
#define ONDO_DB_MOVE_PRIV_H

#include "db_move.h"
#include "db_priv.h"

#define MV_TABLES_MAX 64
#define MV_COLS_MAX   64
#define MV_FKS_MAX    8
#define MV_NAME_LEN   64
#define MV_WHERE_LEN  1024

enum mv_kind {
	MV_SKIP,   /* stays on the node: sessions, calls up, the heartbeat */
	MV_ROOT,   /* tenants: the one row of the domain */
	MV_MOVE,   /* the tenant's rows, by tenant_id or through a parent */
	MV_DOMAIN, /* rows that name the tenant by domain (the audit log) */
};

struct mv_fk {
	int col;    /* this table's column */
	int parent; /* index of the parent in the plan */
};

struct mv_table {
	char name[MV_NAME_LEN];
	enum mv_kind kind;
	int ncols;
	char cols[MV_COLS_MAX][MV_NAME_LEN];
	int rowid_col;	/* the id this database gives on insert; -1: none */
	int tenant_col; /* tenant_id, -1 if none */
	int domain_col; /* MV_DOMAIN's "tenant" and MV_ROOT's "domain" */
	int nfk;
	struct mv_fk fk[MV_FKS_MAX];
	/* which rows are the tenant's: ?1 its id, ?2 its domain */
	char where[MV_WHERE_LEN];
};

/* The tables that move, parents before children. */
struct mv_plan {
	int n;
	struct mv_table t[MV_TABLES_MAX];
	int schema; /* PRAGMA user_version */
};

/* Reads the plan from the schema of `db`. 0, or -ENOTSUP (a table
 * without a decision, a relation this code cannot follow) or -EIO, with
 * the sentence in `why`. */
int mv_plan_build(struct db *db, struct mv_plan *p, char *why, size_t wlen);
/* The plan's index of `table`, or -1. */
int mv_plan_find(const struct mv_plan *p, const char *table);
/* The fk entry of column `col` of t, or NULL. */
const struct mv_fk *mv_fk_of(const struct mv_table *t, int col);
/* Binds ?1 and ?2 of `st` where it has them. */
int mv_bind_keys(sqlite3_stmt *st, int64_t tenant_id, const char *domain);

#endif
