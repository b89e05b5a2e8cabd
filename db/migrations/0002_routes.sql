-- 0002_routes.sql - per-tenant dialplan routes (pbx/dialplan).
--
-- A route sends dialled numbers matching `pattern` to application `app`
-- with `args` (a template: ${EXTEN}, ${1}...). Lower priority runs first.
-- The strings are checked by the dialplan code (ondoctl compiles the
-- pattern and knows the applications) before they are stored.

CREATE TABLE routes (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	priority INTEGER NOT NULL DEFAULT 100,
	pattern TEXT NOT NULL,
	app TEXT NOT NULL,
	args TEXT NOT NULL DEFAULT '',
	-- seconds since the epoch, as in tenants
	created INTEGER NOT NULL
		DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)),
	-- the same pattern twice at one priority could never be reached
	UNIQUE (tenant_id, priority, pattern)
) STRICT;

-- Every call's lookup walks one tenant's routes in (priority, id) order;
-- this index serves that walk without a sort, and the cascade from tenants.
CREATE INDEX routes_tenant ON routes (tenant_id, priority, id);
