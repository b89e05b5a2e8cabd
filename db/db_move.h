/* db_move.h - a tenant's rows out of one database and into another, for
 * `ondoctl tenant export | import` (docs/tenant-move.md).
 *
 * Which tables go is decided once per table in db_move.c (move, skip, or
 * by the domain's name); how a table hangs off its tenant and which
 * columns point at which rows is read from the schema itself (PRAGMA
 * table_info and foreign_key_list), so a new column or a new child table
 * needs no change here, and a new table that nobody decided about makes
 * both directions refuse to run rather than lose or leak it.
 *
 * Every statement is prepared from this database's own schema: table and
 * column names from an archive are only ever compared with it, never put
 * into SQL, and values are bound. */
#ifndef ONDO_DB_MOVE_H
#define ONDO_DB_MOVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* A value of a row, as an archive carries it. `s` is borrowed: it lives
 * as long as the row it came with. */
enum db_mv_type { DB_MV_NULL, DB_MV_INT, DB_MV_REAL, DB_MV_TEXT };
struct db_mv_val {
	enum db_mv_type type;
	int64_t i;
	double r;
	const char *s;
};

/* Where the exported rows go: `columns` once per table, before its rows;
 * `row` for each. A non-zero return stops the export and is returned. */
struct db_mv_sink {
	int (*columns)(void *arg, const char *table, const char *const *cols,
		       int ncols);
	int (*row)(void *arg, const struct db_mv_val *v, int n);
};

/* ---- export ---- */
struct db_mv_export;

/* Starts a read transaction (the export sees one snapshot) and counts the
 * tenant's rows table by table, parents before children. `why` (wlen
 * bytes) gets the sentence for an error. 0, -ENOENT for no such tenant,
 * -ENOTSUP for a table without a decision, or -EIO. Caller ends with
 * db_mv_export_end(), which also ends the transaction. */
int db_mv_export_begin(struct db *db, const char *domain,
		       struct db_mv_export **xp, char *why, size_t wlen);
int db_mv_export_ntables(const struct db_mv_export *x);
/* Table i's name (borrowed) and its count of rows. */
const char *db_mv_export_table(const struct db_mv_export *x, int i,
			       int64_t *nrows);
/* Passes table i's columns and rows to `sink`. 0, the sink's return, or
 * -EIO. */
int db_mv_export_rows(struct db_mv_export *x, int i,
		      const struct db_mv_sink *sink, void *arg);
/* The schema version of the database (PRAGMA user_version). */
int db_mv_export_schema(const struct db_mv_export *x);
void db_mv_export_end(struct db_mv_export *x);

/* ---- import ---- */
struct db_mv_import;

/* Starts the one write transaction of an import of tenant `domain`.
 * 0, -EEXIST if this database has that tenant already, -ENOTSUP for a
 * table without a decision, -EIO; the sentence in `why`. Caller ends
 * with db_mv_import_end(). */
int db_mv_import_begin(struct db *db, const char *domain,
		       struct db_mv_import **ip, char *why, size_t wlen);
/* The rows that follow are of `table` with these columns. The tenants
 * table comes first; a table comes once. -EBADMSG (a table or column this
 * database does not have, or one given twice), in db_mv_import_why(). */
int db_mv_import_table(struct db_mv_import *im, const char *table,
		       const char *const *cols, int ncols);
/* Inserts one row with new ids: its own id is given by this database,
 * every foreign key is mapped to the new id of the row it pointed at.
 * -EBADMSG for a row that points outside the archive or names another
 * tenant, -EEXIST for one that clashes with this node's rows (a DID or a
 * user name taken), -EINVAL for a value the schema refuses. */
int db_mv_import_row(struct db_mv_import *im, const struct db_mv_val *v, int n);
/* Rows inserted so far into the current table. */
int64_t db_mv_import_count(const struct db_mv_import *im);
/* The sentence for the last error. */
const char *db_mv_import_why(const struct db_mv_import *im);
/* Commits (commit set and no error so far) or rolls back, and frees.
 * 0, or the error that stopped it (-EIO if the commit failed). */
int db_mv_import_end(struct db_mv_import *im, bool commit);

/* The decision about `table`: "move", "skip", "domain", or NULL when
 * there is none (docs/tenant-move.md). For the tests. */
const char *db_mv_decision(const char *table);

#endif
