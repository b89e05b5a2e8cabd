/* dbq.c - one thread that owns the write connection and runs queued jobs. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "core/dbq.h"
#include "core/log.h"
#include "db.h"

struct job {
	void (*fn)(struct db *db, void *arg);
	void *arg;
	struct job *next;
};

struct dbq {
	struct db *db;
	pthread_t thr;
	pthread_mutex_t lock; /* guards head, tail, stop */
	pthread_cond_t cond;
	struct job *head, *tail;
	int stop;
};

static void *dbq_main(void *arg)
{
	struct dbq *q = arg;

	for (;;) {
		struct job *j;

		pthread_mutex_lock(&q->lock);
		while (!q->head && !q->stop)
			pthread_cond_wait(&q->cond, &q->lock);
		j = q->head;
		if (j) {
			q->head = j->next;
			if (!q->head)
				q->tail = NULL;
		}
		pthread_mutex_unlock(&q->lock);
		if (!j)
			break; /* stop requested and the queue is empty */
		j->fn(q->db, j->arg);
		free(j->arg);
		free(j);
	}
	return NULL;
}

int dbq_alloc(struct dbq **qp, const char *path)
{
	struct dbq *q = calloc(1, sizeof(*q)); /* caller frees: dbq_free */
	int err;

	if (!q)
		return -ENOMEM;
	err = db_open(&q->db, path);
	if (err) {
		free(q);
		return err;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	err = pthread_create(&q->thr, NULL, dbq_main, q);
	if (err) {
		db_close(q->db);
		free(q);
		return -err;
	}
	*qp = q;
	return 0;
}

int dbq_post(struct dbq *q, void (*fn)(struct db *db, void *arg), void *arg)
{
	struct job *j = malloc(sizeof(*j)); /* freed by dbq_main */

	if (!j) {
		free(arg);
		LOGE("db", "out of memory: a database write was lost");
		return -ENOMEM;
	}
	j->fn = fn;
	j->arg = arg;
	j->next = NULL;
	pthread_mutex_lock(&q->lock);
	if (q->tail)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
	return 0;
}

void dbq_free(struct dbq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = 1;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thr, NULL);
	db_close(q->db);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
	free(q);
}
