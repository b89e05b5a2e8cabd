/* db_room.c - conference rooms and their recordings (db_room.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "db_priv.h"
#include "db_room.h"

#define ROOM_COLS                                                              \
	"SELECT id, tenant_id, number, name, pin, mod_pin, max_members, "     \
	"wait_moderator, announce_count, record FROM rooms "
#define REC_COLS                                                               \
	"SELECT id, tenant_id, room, path, started, duration_s "               \
	"FROM room_recordings "

void db_room_defaults(struct db_room *r)
{
	memset(r, 0, sizeof(*r));
	r->max_members = DB_ROOM_DEFAULT_MEMBERS;
	r->announce_count = 1;
}

static bool pin_ok(const char *s)
{
	size_t n = strlen(s);

	if (n >= DB_ROOM_PIN_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static bool flag_ok(int v)
{
	return v == 0 || v == 1;
}

int db_room_check(const struct db_room *r, char *err, size_t errlen)
{
	const char *why = NULL;

	if (!r)
		return -EINVAL;
	if (!db_valid_number(r->number))
		why = "number: 1 to 31 digits";
	else if (!db_valid_name(r->name))
		why = "name: at most 127 characters, no quotes or backslashes";
	else if (!pin_ok(r->pin))
		why = "pin: up to 12 digits";
	else if (!pin_ok(r->mod_pin))
		why = "mod_pin: up to 12 digits";
	else if (r->mod_pin[0] && !strcmp(r->pin, r->mod_pin))
		why = "mod_pin: must differ from pin";
	else if (r->max_members < 2 || r->max_members > DB_ROOM_MAX_MEMBERS)
		why = "max_members: 2 to 500";
	else if (!flag_ok(r->wait_moderator) || !flag_ok(r->announce_count) ||
		 !flag_ok(r->record))
		why = "wait_moderator, announce_count, record: 0 or 1";
	else if (r->wait_moderator && !r->mod_pin[0])
		why = "wait_moderator: needs a mod_pin";
	if (err && errlen)
		snprintf(err, errlen, "%s", why ? why : "");
	return why ? -EINVAL : 0;
}

static void row_room(sqlite3_stmt *st, struct db_room *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->tenant_id = sqlite3_column_int64(st, 1);
	db_col_text(st, 2, r->number, sizeof(r->number));
	db_col_text(st, 3, r->name, sizeof(r->name));
	db_col_text(st, 4, r->pin, sizeof(r->pin));
	db_col_text(st, 5, r->mod_pin, sizeof(r->mod_pin));
	r->max_members = sqlite3_column_int(st, 6);
	r->wait_moderator = sqlite3_column_int(st, 7);
	r->announce_count = sqlite3_column_int(st, 8);
	r->record = sqlite3_column_int(st, 9);
}

static void bind_room(sqlite3_stmt *st, const struct db_room *r)
{
	sqlite3_bind_int64(st, 1, r->tenant_id);
	db_bind_text(st, 2, r->number);
	db_bind_text(st, 3, r->name);
	db_bind_text(st, 4, r->pin);
	db_bind_text(st, 5, r->mod_pin);
	sqlite3_bind_int(st, 6, r->max_members);
	sqlite3_bind_int(st, 7, r->wait_moderator);
	sqlite3_bind_int(st, 8, r->announce_count);
	sqlite3_bind_int(st, 9, r->record);
}

int db_room_add(struct db *db, const struct db_room *r, int64_t *idp)
{
	sqlite3_stmt *st;
	int err;

	if (!db || db_room_check(r, NULL, 0))
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROOM_ADD,
		      "INSERT INTO rooms (tenant_id, number, name, pin, "
		      "mod_pin, max_members, wait_moderator, announce_count, "
		      "record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		      &st);
	if (err)
		return err;
	bind_room(st, r);
	err = db_exec_step(db, st, "adding a conference room");
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return err;
}

int db_room_update(struct db *db, const struct db_room *r)
{
	sqlite3_stmt *st;
	int err;

	if (!db || db_room_check(r, NULL, 0))
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROOM_UPDATE,
		      "UPDATE rooms SET name = ?3, pin = ?4, mod_pin = ?5, "
		      "max_members = ?6, wait_moderator = ?7, "
		      "announce_count = ?8, record = ?9 "
		      "WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	bind_room(st, r);
	return db_change_one(db, st, "changing a conference room");
}

int db_room_get(struct db *db, int64_t tenant_id, const char *number,
		struct db_room *r)
{
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !r || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROOM_GET,
		      ROOM_COLS "WHERE tenant_id = ?1 AND number = ?2", &st);
	if (err)
		return err;
	rc = db_named_row(db, st, tenant_id, number,
			  "looking up a conference room");
	if (rc == 1)
		row_room(st, r);
	db_done(st);
	return rc == 1 ? 0 : rc ? rc : -ENOENT;
}

int db_room_del(struct db *db, int64_t tenant_id, const char *number)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !db_fits(number, DB_NUMBER_LEN))
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROOM_DEL,
		      "DELETE FROM rooms WHERE tenant_id = ?1 AND number = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, number);
	return db_change_one(db, st, "deleting a conference room");
}

int db_room_list(struct db *db, int64_t tenant_id,
		 int (*h)(const struct db_room *r, void *arg), void *arg)
{
	struct db_room r;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h)
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROOM_LIST,
		      ROOM_COLS "WHERE ?1 = 0 OR tenant_id = ?1 "
				"ORDER BY tenant_id, length(number), number",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_room(st, &r);
		if ((err = h(&r, arg)))
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing conference rooms");
	db_done(st);
	return err;
}

/* ---- recordings --------------------------------------------------------- */

static void row_rec(sqlite3_stmt *st, struct db_room_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->id = sqlite3_column_int64(st, 0);
	rec->tenant_id = sqlite3_column_int64(st, 1);
	db_col_text(st, 2, rec->room, sizeof(rec->room));
	db_col_text(st, 3, rec->path, sizeof(rec->path));
	rec->started = sqlite3_column_int64(st, 4);
	rec->duration_s = sqlite3_column_int(st, 5);
}

int db_room_rec_add(struct db *db, const struct db_room_rec *rec,
		    int64_t *idp)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !rec || !db_valid_number(rec->room) || !rec->path[0] ||
	    rec->duration_s < 0)
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROOM_REC_ADD,
		      "INSERT INTO room_recordings (tenant_id, room, path, "
		      "started, duration_s) VALUES (?1, ?2, ?3, ?4, ?5)",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, rec->tenant_id);
	db_bind_text(st, 2, rec->room);
	db_bind_text(st, 3, rec->path);
	sqlite3_bind_int64(st, 4, rec->started);
	sqlite3_bind_int(st, 5, rec->duration_s);
	err = db_exec_step(db, st, "adding a room recording");
	if (!err && idp)
		*idp = sqlite3_last_insert_rowid(db->sql);
	db_done(st);
	return err;
}

static void fetch_rec(sqlite3_stmt *st, void *out)
{
	row_rec(st, out);
}

int db_room_rec_get(struct db *db, int64_t tenant_id, int64_t id,
		    struct db_room_rec *rec)
{
	sqlite3_stmt *st;
	int err;

	if (!db || !rec)
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROOM_REC_GET,
		      REC_COLS "WHERE tenant_id = ?1 AND id = ?2", &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	return db_fetch_row(db, st, fetch_rec, rec, "reading a room recording");
}

int db_room_rec_del(struct db *db, int64_t tenant_id, int64_t id)
{
	sqlite3_stmt *st;
	int err;

	if (!db)
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROOM_REC_DEL,
		      "DELETE FROM room_recordings "
		      "WHERE tenant_id = ?1 AND id = ?2",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	sqlite3_bind_int64(st, 2, id);
	return db_change_one(db, st, "deleting a room recording");
}

int db_room_rec_list(struct db *db, int64_t tenant_id, const char *room,
		     int (*h)(const struct db_room_rec *rec, void *arg),
		     void *arg)
{
	struct db_room_rec rec;
	sqlite3_stmt *st;
	int rc, err;

	if (!db || !h || (room && !db_fits(room, DB_NUMBER_LEN)))
		return -EINVAL;
	err = db_stmt(db, DB_ST_ROOM_REC_LIST,
		      REC_COLS "WHERE tenant_id = ?1 AND (?2 = '' OR room = ?2) "
			       "ORDER BY started DESC, id DESC",
		      &st);
	if (err)
		return err;
	sqlite3_bind_int64(st, 1, tenant_id);
	db_bind_text(st, 2, room ? room : "");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_rec(st, &rec);
		if ((err = h(&rec, arg)))
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = db_fail(db, rc, "listing room recordings");
	db_done(st);
	return err;
}
