-- 0012_web.sql - users of the web panel and REST API, their API tokens,
-- and the audit log of every change made through them (db/db_web.h).

-- A superadmin has no tenant; an admin has one; a user has one and is an
-- extension of it (own voicemail, greetings, PIN, SIP password).
CREATE TABLE web_users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE COLLATE NOCASE,
	-- crypto_pwhash_str (argon2id)
	pass_hash TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('superadmin', 'admin', 'user')),
	tenant_id INTEGER REFERENCES tenants(id) ON DELETE CASCADE,
	ext_id INTEGER REFERENCES extensions(id) ON DELETE CASCADE,
	created INTEGER NOT NULL
		DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)),
	CHECK ((role = 'superadmin') = (tenant_id IS NULL)),
	CHECK ((role = 'user') = (ext_id IS NOT NULL))
) STRICT;

CREATE INDEX web_users_tenant ON web_users (tenant_id);

-- Tokens for scripts: only their SHA-256 is kept; the token itself is
-- shown once, when it is made.
CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES web_users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token_sha256 TEXT NOT NULL UNIQUE,
	created INTEGER NOT NULL
		DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))
) STRICT;

CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Who changed what, when, from where. Kept when the user or tenant goes
-- (names, not references), so the log outlives what it describes.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,		-- seconds since the epoch
	username TEXT NOT NULL,
	tenant TEXT NOT NULL DEFAULT '', -- domain, '' for none
	action TEXT NOT NULL,		-- "POST /api/v1/..." or "login"
	object TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT ''	-- the client's address
) STRICT;

CREATE INDEX audit_log_tenant ON audit_log (tenant, id);

-- The CDR search of the panel and the API (db_cdr_search): one
-- extension's calls, newest first, as caller or as callee.
CREATE INDEX cdr_tenant_caller ON cdr (tenant_id, caller, start_us);
CREATE INDEX cdr_tenant_callee ON cdr (tenant_id, callee, start_us);

-- The extension list of the panel and the API (db_ext_search), in the
-- order people read numbers (shorter first), a page at a time.
CREATE INDEX extensions_order ON extensions (tenant_id, length(number), number);
