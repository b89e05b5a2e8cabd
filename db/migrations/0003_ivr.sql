-- 0003_ivr.sql - IVR menus: per-tenant voice menus as rows of data.
--
-- A menu plays its greeting and waits for a key; ivr_options say what each
-- key does ({digit, action, arg}). A route `ivr NAME` sends calls to menu
-- NAME. Actions and their args are checked by db_ivr_action_check() before
-- they are stored; only the shapes that will never change are CHECKs here,
-- since changing a CHECK later means rebuilding the table.

CREATE TABLE ivr_menus (
	id INTEGER PRIMARY KEY,
	tenant_id INTEGER NOT NULL
		REFERENCES tenants(id) ON DELETE CASCADE,
	-- what routes and other menus call it by; never renamed, so those
	-- references stay valid
	name TEXT NOT NULL
		CHECK (length(name) BETWEEN 1 AND 32
		       AND name NOT GLOB '*[^a-z0-9_-]*'),
	greeting TEXT NOT NULL,		-- a prompt id
	timeout_ms INTEGER NOT NULL DEFAULT 5000,
	invalid_prompt TEXT NOT NULL DEFAULT 'invalid_option',
	timeout_prompt TEXT NOT NULL DEFAULT 'please_try_again',
	max_retries INTEGER NOT NULL DEFAULT 3,
	-- what happens once the retries are used up
	fallback_action TEXT NOT NULL DEFAULT 'hangup',
	fallback_arg TEXT NOT NULL DEFAULT '',
	-- 1: the caller may also key an extension number of the tenant
	direct_dial INTEGER NOT NULL DEFAULT 0 CHECK (direct_dial IN (0, 1)),
	-- seconds since the epoch, as in tenants
	created INTEGER NOT NULL
		DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)),
	-- also serves the cascade from tenants
	UNIQUE (tenant_id, name)
) STRICT;

CREATE TABLE ivr_options (
	menu_id INTEGER NOT NULL
		REFERENCES ivr_menus(id) ON DELETE CASCADE,
	digit TEXT NOT NULL
		CHECK (length(digit) = 1 AND digit GLOB '[0-9*#]'),
	action TEXT NOT NULL,
	arg TEXT NOT NULL DEFAULT '',
	-- one action per key; also serves the cascade from ivr_menus
	PRIMARY KEY (menu_id, digit)
) STRICT;
