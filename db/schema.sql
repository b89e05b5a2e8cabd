-- schema.sql - version 1 of the Ondo PBX database.
--
-- Applied in one transaction to an empty database (PRAGMA user_version = 0);
-- db.c then sets user_version to 1. Later changes go into
-- db/migrations/NNNN_what.sql, never into this file, so that existing
-- databases and new ones end up with the same tables.
--
-- STRICT makes SQLite refuse a value of the wrong type instead of storing it.
-- Every child row names its tenant and goes away with it (ON DELETE CASCADE):
-- deleting a tenant leaves nothing of it behind.

CREATE TABLE tenants (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	-- also the digest realm; stored lower case, NOCASE guards the rest
	domain TEXT NOT NULL UNIQUE COLLATE NOCASE,
	-- seconds since the epoch; strftime, not unixepoch(), which needs
	-- SQLite 3.38 where configure asks for 3.37
	created INTEGER NOT NULL
		DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
) STRICT;

CREATE TABLE extensions (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	number TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	-- MD5(number:domain:password) in lower hex; the password itself is
	-- never stored
	ha1 TEXT NOT NULL,
	ring_timeout INTEGER NOT NULL DEFAULT 30,
	-- also the index the registrar's per-request lookup uses
	UNIQUE (tenant_id, number)
) STRICT;

CREATE TABLE registrations (
	ext_id INTEGER NOT NULL
		REFERENCES extensions(id) ON DELETE CASCADE,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	contact TEXT NOT NULL,
	route TEXT NOT NULL DEFAULT '',
	call_id TEXT NOT NULL DEFAULT '',
	cseq INTEGER NOT NULL DEFAULT 0,
	expires INTEGER NOT NULL,	-- absolute, seconds since the epoch
	user_agent TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (ext_id, contact)
) STRICT;

-- Listing one tenant's phones, and cascading a tenant delete, without a
-- full scan.
CREATE INDEX registrations_tenant ON registrations (tenant_id);
-- The periodic expiry sweep.
CREATE INDEX registrations_expires ON registrations (expires);

CREATE TABLE cdr (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	call_id TEXT NOT NULL,
	caller TEXT NOT NULL,
	callee TEXT NOT NULL,
	start_us INTEGER NOT NULL,	-- microseconds since the epoch
	answer_us INTEGER NOT NULL DEFAULT 0,	-- 0: never answered
	end_us INTEGER NOT NULL,
	duration INTEGER NOT NULL DEFAULT 0,	-- seconds, answer to end
	disposition TEXT NOT NULL,
	sip_status INTEGER NOT NULL DEFAULT 0
) STRICT;

-- "Newest calls of this tenant" is the query admins run; it also serves the
-- cascade from tenants.
CREATE INDEX cdr_tenant_start ON cdr (tenant_id, start_us);
-- The same across all tenants.
CREATE INDEX cdr_start ON cdr (start_us);
