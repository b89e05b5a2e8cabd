/* tmpdb.h - the unit tests' throw-away SQLite database: a fresh folder
 * $TMPDIR/ondo-test-NAME-XXXXXX (or under /tmp) with ondo.db in it, and its
 * removal. The files belong to the struct tmpdb; the connection is the
 * test's own, which it may close and re-open on tmpdb.path at will.
 *
 *   struct tmpdb tmp;
 *   struct db *db;
 *
 *   if (tmpdb_open(&tmp, "cdr", &db))
 *           return -1;
 *   ...
 *   tmpdb_close(&tmp, db);
 */
#ifndef ONDO_TESTS_TMPDB_H
#define ONDO_TESTS_TMPDB_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

struct tmpdb {
	char dir[256];	/* the temporary folder */
	char path[300]; /* dir/ondo.db */
};

/* Removes the database file and SQLite's -wal and -shm files beside it, to
 * start over with a new file or to clean up. */
static inline void tmpdb_unlink(const struct tmpdb *t)
{
	char side[320];

	unlink(t->path);
	snprintf(side, sizeof(side), "%s-wal", t->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", t->path);
	unlink(side);
}

/* Creates the folder ondo-test-NAME-XXXXXX and opens a new database in it
 * (db_open: the full schema) into *db. 0, or -1 after saying why on stderr,
 * with nothing left behind. */
static inline int tmpdb_open(struct tmpdb *t, const char *name, struct db **db)
{
	const char *tmp = getenv("TMPDIR");

	*db = NULL;
	snprintf(t->dir, sizeof(t->dir), "%s/ondo-test-%s-XXXXXX",
		 tmp ? tmp : "/tmp", name);
	if (!mkdtemp(t->dir)) {
		fprintf(stderr, "cannot create a temporary folder %s: %s\n",
			t->dir, strerror(errno));
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/ondo.db", t->dir);
	if (db_open(db, t->path)) {
		fprintf(stderr, "cannot create a database in %s\n", t->dir);
		tmpdb_unlink(t);
		rmdir(t->dir);
		return -1;
	}
	return 0;
}

/* Closes db (which may be NULL) and removes the database files and the
 * folder. */
static inline void tmpdb_close(struct tmpdb *t, struct db *db)
{
	db_close(db);
	tmpdb_unlink(t);
	rmdir(t->dir);
}

#endif
