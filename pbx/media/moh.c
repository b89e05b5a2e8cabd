/* moh.c - music on hold kept in memory once per file and rate, shared by
 * every channel that plays it (media.h: media_moh). */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "media/media_priv.h"
#include "media/player.h"
#include "core/log.h"

#define MOH_MAX_S 60 /* of music kept: a longer file is cut */

/*
 * Workers read a buffer while the control thread may load another, so an
 * entry is never changed or freed before media_free(): a file replaced on
 * disk gets a new entry (the old one stays for channels still playing
 * it). Entries are few: one per tenant that has its own music, per rate,
 * per change.
 */
struct moh {
	char path[PATH_MAX];
	int rate;
	time_t mtime;
	off_t size;
	int16_t *pcm; /* owned */
	int n;
	struct moh *next;
};

static int load(const char *path, int rate, int16_t **pcm, int *n)
{
	int max = rate * MOH_MAX_S, k;
	struct player *p;
	char err[256];
	int16_t *buf;

	if (player_open(&p, path, rate, err, sizeof(err))) {
		LOGW("media", "%s", err);
		return -ENOENT;
	}
	buf = malloc(sizeof(int16_t) * (size_t)max); /* to the entry */
	*n = 0;
	while (buf && *n < max && (k = player_read(p, buf + *n, max - *n)) > 0)
		*n += k;
	player_close(p);
	if (!buf || !*n) {
		free(buf);
		return buf ? -ENODATA : -ENOMEM;
	}
	*pcm = buf;
	return 0;
}

int media_moh(struct media *m, const char *path, int rate,
	      const int16_t **pcm, int *n)
{
	struct stat st;
	struct moh *e;
	int err = 0;

	if (stat(path, &st))
		return -ENOENT;
	pthread_mutex_lock(&m->moh_lock);
	for (e = m->moh; e; e = e->next)
		if (e->rate == rate && e->mtime == st.st_mtime &&
		    e->size == st.st_size && !strcmp(e->path, path))
			break;
	if (!e) {
		e = calloc(1, sizeof(*e)); /* owned by m->moh */
		if (!e || (size_t)snprintf(e->path, sizeof(e->path), "%s",
					   path) >= sizeof(e->path) ||
		    (err = load(path, rate, &e->pcm, &e->n))) {
			free(e);
			pthread_mutex_unlock(&m->moh_lock);
			return err ? err : -ENOMEM;
		}
		e->rate = rate;
		e->mtime = st.st_mtime;
		e->size = st.st_size;
		e->next = m->moh;
		m->moh = e;
	}
	*pcm = e->pcm;
	*n = e->n;
	pthread_mutex_unlock(&m->moh_lock);
	return 0;
}

void media_moh_free(struct media *m)
{
	while (m->moh) {
		struct moh *e = m->moh;
		m->moh = e->next;
		free(e->pcm);
		free(e);
	}
}
