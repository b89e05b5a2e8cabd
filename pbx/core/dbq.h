/* dbq.h - the database thread: SQLite writes queued off the SIP thread. */
#ifndef ONDO_DBQ_H
#define ONDO_DBQ_H

struct db;
struct dbq;

/* Opens its own connection to `path` and starts the thread. Caller frees
 * with dbq_free(). */
int dbq_alloc(struct dbq **qp, const char *path);
/* Queues fn(db, arg) to run on the DB thread, in order; the queue then
 * frees arg with free(). Takes ownership of arg, even on error. */
int dbq_post(struct dbq *q, void (*fn)(struct db *db, void *arg), void *arg);
/* Runs every job still queued, then stops the thread and closes the DB:
 * nothing posted before this call is lost. */
void dbq_free(struct dbq *q);

#endif
