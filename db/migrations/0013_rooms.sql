-- 0013_rooms.sql - conference rooms and their recordings.
--
-- A room is reached by its number (the dialplan tries rooms after routes
-- and extensions, so a number is either an extension or a room, never
-- both: db_room_check refuses the clash) or by a route to app
-- "conference". PINs are digits shown to the tenant's admins, who read
-- them out to the people they invite, so they are kept as they are (not
-- hashed like voicemail PINs, which only their owner knows).

CREATE TABLE rooms (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	number TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	pin TEXT NOT NULL DEFAULT '',		-- members; '' for none
	mod_pin TEXT NOT NULL DEFAULT '',	-- moderators; '' for none
	max_members INTEGER NOT NULL DEFAULT 50
		CHECK (max_members BETWEEN 2 AND 500),
	wait_moderator INTEGER NOT NULL DEFAULT 0
		CHECK (wait_moderator IN (0, 1)),
	announce_count INTEGER NOT NULL DEFAULT 1
		CHECK (announce_count IN (0, 1)),
	record INTEGER NOT NULL DEFAULT 0 CHECK (record IN (0, 1)),
	UNIQUE (tenant_id, number)
) STRICT;

-- One row per recording of a room's mix, listed like voicemail messages.
-- The file is spool-relative; the row is written when the recording is
-- complete on disk.
CREATE TABLE room_recordings (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	room TEXT NOT NULL,		-- the room's number when recorded
	path TEXT NOT NULL,
	started INTEGER NOT NULL,	-- seconds since the epoch
	duration_s INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX room_recordings_tenant ON room_recordings (tenant_id, started);

-- A number is an extension or a room, not both, however it is added
-- (ondoctl, the API, a CSV import): the clash aborts the insert, which
-- the code reports as "exists" (db_fail maps SQLITE_CONSTRAINT_TRIGGER to
-- -EEXIST; these are the schema's only RAISEs).
CREATE TRIGGER rooms_not_ext BEFORE INSERT ON rooms
WHEN EXISTS (SELECT 1 FROM extensions
	     WHERE tenant_id = NEW.tenant_id AND number = NEW.number)
BEGIN
	SELECT RAISE(ABORT, 'number is an extension');
END;
CREATE TRIGGER ext_not_room BEFORE INSERT ON extensions
WHEN EXISTS (SELECT 1 FROM rooms
	     WHERE tenant_id = NEW.tenant_id AND number = NEW.number)
BEGIN
	SELECT RAISE(ABORT, 'number is a conference room');
END;
