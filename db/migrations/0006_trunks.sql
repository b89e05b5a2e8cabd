-- 0006_trunks.sql - SIP trunks to carriers, the public numbers (DIDs) a
-- tenant owns, classes of service and caller-ID settings (db/db_trunk.h).
--
-- Enumerated settings (transport, auth, callerid, dest_type, cos) are the
-- words the admin types, checked in C (db_trunk_check, db_did_dest_check,
-- db_cos_parse) rather than by CHECK constraints, as in 0005: a new value
-- then needs no table rebuild.

CREATE TABLE trunks (
	id INTEGER PRIMARY KEY,
	-- NULL: a shared trunk, defined by the superadmin for every tenant
	tenant_id INTEGER
		REFERENCES tenants(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	host TEXT NOT NULL,
	port INTEGER NOT NULL DEFAULT 5060,
	transport TEXT NOT NULL DEFAULT 'udp',
	auth TEXT NOT NULL,
	username TEXT NOT NULL DEFAULT '',
	-- in clear: answering the carrier's digest challenge needs it (see
	-- docs/database.md)
	password TEXT NOT NULL DEFAULT '',
	expiry INTEGER NOT NULL DEFAULT 600,
	ips TEXT NOT NULL DEFAULT '',
	codecs TEXT NOT NULL DEFAULT 'PCMU,PCMA,G722',
	callerid TEXT NOT NULL DEFAULT 'did',
	max_calls INTEGER NOT NULL DEFAULT 0,
	out_strip INTEGER NOT NULL DEFAULT 0,
	out_prefix TEXT NOT NULL DEFAULT '',
	in_strip INTEGER NOT NULL DEFAULT 0,
	in_prefix TEXT NOT NULL DEFAULT '',
	-- seconds since the epoch, as in tenants
	created INTEGER NOT NULL
		DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
) STRICT;

-- One name per tenant, and one among the shared trunks: UNIQUE (tenant_id,
-- name) would let any number of shared trunks share a name, since NULLs
-- are distinct. Also serves lookups and lists by tenant in name order.
CREATE UNIQUE INDEX trunks_name ON trunks (ifnull(tenant_id, 0), name);
-- The cascade from tenants looks rows up by the column itself, which the
-- expression index does not serve.
CREATE INDEX trunks_tenant ON trunks (tenant_id);

CREATE TABLE dids (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	-- E.164; one owner across all tenants, or an incoming call would
	-- not know whose it is
	number TEXT NOT NULL UNIQUE,
	dest_type TEXT NOT NULL,
	dest TEXT NOT NULL DEFAULT '',
	created INTEGER NOT NULL
		DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
) STRICT;

-- Listing one tenant's numbers, and the cascade from tenants.
CREATE INDEX dids_tenant ON dids (tenant_id, number);

-- Calls out: each extension's class of service and its own DID (caller ID
-- on trunks set to "did"; '' for none).
ALTER TABLE extensions ADD COLUMN cos TEXT NOT NULL DEFAULT 'national';
ALTER TABLE extensions ADD COLUMN did TEXT NOT NULL DEFAULT '';
-- The tenant's main number (E.164 or '') and the numbers never blocked.
ALTER TABLE tenants ADD COLUMN main_number TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN emergency TEXT NOT NULL DEFAULT '112,911';
-- The class a caller needs to use a route; 'internal': any extension may,
-- as every route could before this version.
ALTER TABLE routes ADD COLUMN cos TEXT NOT NULL DEFAULT 'internal';
