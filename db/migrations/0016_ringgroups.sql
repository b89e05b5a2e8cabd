-- 0016_ringgroups.sql - ring groups: a number of the tenant that rings
-- several of its extensions, all at once or one after the other, and
-- goes to a fallback when nobody answers; and call pickup groups.
--
-- A group is reached by its number (the dialplan tries routes, then
-- extensions, then rooms, then groups), so a number is an extension, a
-- room or a group, never two: the triggers below refuse every clash, as
-- 0013 does for rooms and extensions. The strategy and the fallback's
-- kind are checked in C (db_rg_check, db_dest_check), like the other
-- enumerations since 0005, so a new value needs no table rebuild.

CREATE TABLE ringgroups (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	number TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	strategy TEXT NOT NULL DEFAULT 'simultaneous',
	-- seconds a member rings when it has no time of its own
	ring_time INTEGER NOT NULL DEFAULT 20
		CHECK (ring_time BETWEEN 5 AND 300),
	-- seconds from the first ring to the fallback, whatever the members
	timeout INTEGER NOT NULL DEFAULT 60 CHECK (timeout BETWEEN 5 AND 600),
	-- '' none (the caller is told busy or no answer), or a destination
	-- kind of db_dest.c with its argument
	fallback_type TEXT NOT NULL DEFAULT '',
	fallback TEXT NOT NULL DEFAULT '',
	UNIQUE (tenant_id, number)
) STRICT;

-- The members in order. A member is an extension of the group's tenant
-- (db_rg_set_members checks it); deleting the extension takes it out of
-- every group.
CREATE TABLE ringgroup_members (
	group_id INTEGER NOT NULL
		REFERENCES ringgroups(id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	ext_id INTEGER NOT NULL
		REFERENCES extensions(id) ON DELETE CASCADE,
	-- seconds this member rings; 0: the group's ring_time
	ring_time INTEGER NOT NULL DEFAULT 0
		CHECK (ring_time = 0 OR ring_time BETWEEN 5 AND 300),
	PRIMARY KEY (group_id, ext_id)
) STRICT;
CREATE INDEX ringgroup_members_ext ON ringgroup_members (ext_id);

-- A number is one thing only. db_fail maps these RAISEs to -EEXIST.
CREATE TRIGGER ringgroups_not_ext BEFORE INSERT ON ringgroups
WHEN EXISTS (SELECT 1 FROM extensions
	     WHERE tenant_id = NEW.tenant_id AND number = NEW.number)
BEGIN
	SELECT RAISE(ABORT, 'number is an extension');
END;
CREATE TRIGGER ringgroups_not_room BEFORE INSERT ON ringgroups
WHEN EXISTS (SELECT 1 FROM rooms
	     WHERE tenant_id = NEW.tenant_id AND number = NEW.number)
BEGIN
	SELECT RAISE(ABORT, 'number is a conference room');
END;
CREATE TRIGGER ext_not_ringgroup BEFORE INSERT ON extensions
WHEN EXISTS (SELECT 1 FROM ringgroups
	     WHERE tenant_id = NEW.tenant_id AND number = NEW.number)
BEGIN
	SELECT RAISE(ABORT, 'number is a ring group');
END;
CREATE TRIGGER room_not_ringgroup BEFORE INSERT ON rooms
WHEN EXISTS (SELECT 1 FROM ringgroups
	     WHERE tenant_id = NEW.tenant_id AND number = NEW.number)
BEGIN
	SELECT RAISE(ABORT, 'number is a ring group');
END;

-- Call pickup: *8 answers a call ringing an extension of the same pickup
-- group as the one dialling ('' is none). A name, a-z 0-9 _ - as IVR
-- menus' (db_valid_ivr_name), checked in C.
ALTER TABLE extensions ADD COLUMN pickup_group TEXT NOT NULL DEFAULT '';
