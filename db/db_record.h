/* db_record.h - call recording settings (migrations/0007_recording.sql). */
#ifndef ONDO_DB_RECORD_H
#define ONDO_DB_RECORD_H

#include "db.h"

/*
 * Each extension and each route says when its calls are recorded. A call
 * is recorded by the strongest mode among its caller's, its callee's (an
 * extension dialled directly) and its route's: always > on-demand > never.
 * On demand, a feature code pressed during the call starts and stops it.
 */
enum db_record { DB_REC_NEVER, DB_REC_ON_DEMAND, DB_REC_ALWAYS };

/* "never", "on-demand", "always" -> the mode, else -EINVAL. */
int db_record_parse(const char *word);
const char *db_record_name(enum db_record mode);

/* -EINVAL for a bad mode, -ENOENT if there is no such extension/route. */
int db_ext_set_record(struct db *db, int64_t tenant_id, const char *number,
		      const char *mode);
int db_route_set_record(struct db *db, int64_t tenant_id, int64_t id,
			const char *mode);
/* The mode, or DB_REC_NEVER when there is no such row (a caller from a
 * trunk is no extension). Never fails: a database error is logged and
 * reads as "never". */
enum db_record db_ext_record(struct db *db, int64_t tenant_id,
			     const char *number);
enum db_record db_route_record(struct db *db, int64_t tenant_id, int64_t id);

#endif
