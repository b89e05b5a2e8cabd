-- 0008_timecond.sql - time conditions: a destination that depends on the
-- day and the time in the tenant's time zone (db/db_timecond.h).
--
-- A condition is open while one of its weekly rules holds and the day is
-- not one of its holidays; a call then goes to the open destination, else
-- to the closed one. Destinations are the kinds a DID has (extension, ivr,
-- number), checked in C by db_dest_check(), not by CHECK constraints, so
-- that a new kind needs no table rebuild (as in 0006).

-- An IANA zone name ("Europe/Berlin"), checked in C by loading the zone.
ALTER TABLE tenants ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';

CREATE TABLE timeconds (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	-- what DIDs and routes call it by; never renamed, so those
	-- references stay valid
	name TEXT NOT NULL
		CHECK (length(name) BETWEEN 1 AND 32
		       AND name NOT GLOB '*[^a-z0-9_-]*'),
	open_type TEXT NOT NULL,
	open_dest TEXT NOT NULL,
	closed_type TEXT NOT NULL,
	closed_dest TEXT NOT NULL,
	-- seconds since the epoch, as in tenants
	created INTEGER NOT NULL
		DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)),
	-- also serves the cascade from tenants
	UNIQUE (tenant_id, name)
) STRICT;

-- "mon-fri 08:00-17:30": open on the days of the bitmask (bit 0 Monday ..
-- bit 6 Sunday) from start_min to end_min, minutes of the local day. An
-- end before the start spans midnight: "sat 22:00-02:00" is Saturday 22:00
-- to Sunday 02:00.
CREATE TABLE timecond_rules (
	-- AUTOINCREMENT: an id the admin deletes by is never given to a
	-- later rule, so a stale `rule del` cannot hit a new one
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	timecond_id INTEGER NOT NULL
		REFERENCES timeconds(id) ON DELETE CASCADE,
	days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 127),
	start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
	end_min INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
	CHECK (start_min <> end_min)
) STRICT;

-- A condition's rules in the order they were added, and the cascade.
CREATE INDEX timecond_rules_tc ON timecond_rules (timecond_id, id);

-- Days on which the condition is closed all day: 'YYYY-MM-DD' once, or
-- 'MM-DD' every year.
CREATE TABLE timecond_holidays (
	id INTEGER PRIMARY KEY,
	timecond_id INTEGER NOT NULL
		REFERENCES timeconds(id) ON DELETE CASCADE,
	date TEXT NOT NULL
		CHECK (date GLOB '[0-9][0-9]-[0-9][0-9]'
		       OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	name TEXT NOT NULL DEFAULT '',
	-- also serves the cascade and the list in date order
	UNIQUE (timecond_id, date)
) STRICT;
