/* reg.h - the registrar's location table: contacts per extension. */
#ifndef ONDO_REG_H
#define ONDO_REG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "db.h"

struct reg_table;

/* A table in memory, the SIP thread's copy of what is also persisted in
 * the registrations table (by the DB thread). Caller frees. */
int reg_table_alloc(struct reg_table **tp);
void reg_table_free(struct reg_table *t);

/* Inserts or refreshes the contact (ext_id, contact); copies r. */
int reg_table_set(struct reg_table *t, const struct db_reg *r);
/* Removes one contact, or all of an extension's when contact is NULL.
 * Returns the number removed. */
int reg_table_del(struct reg_table *t, int64_t ext_id, const char *contact);
/* Copies up to `max` live contacts of ext_id into out; returns the count. */
int reg_table_get(struct reg_table *t, int64_t ext_id, int64_t now,
		  struct db_reg *out, int max);
/* Drops contacts that expired at or before now; returns how many. */
int reg_table_expire(struct reg_table *t, int64_t now);
int reg_table_count(struct reg_table *t);
/* Bytes the table holds (its chunks and buckets): the most entries it
 * ever held decide it, not the count now. */
size_t reg_table_mem(const struct reg_table *t);
/* Walks every contact (for the live view). */
void reg_table_walk(struct reg_table *t,
		    void (*h)(const struct db_reg *r, void *arg), void *arg);

/* Most contacts one extension may hold. Past it the contact closest to
 * expiry is replaced: a phone that rebooted and registers under a new
 * Contact must not lock itself out. */
#define REG_MAX_CONTACTS 10

#endif
