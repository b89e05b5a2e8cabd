-- 0015_forward.sql - call forwarding and do-not-disturb per extension
-- (docs/forwarding.md), and the feature codes that set them from a phone.

-- 1: calls to the extension get busy handling (its busy forward, else its
-- mailbox with the busy greeting, else 486) without ringing its phones.
ALTER TABLE extensions ADD COLUMN dnd INTEGER NOT NULL DEFAULT 0;

-- One row per forward that is set; no row: that forward is off.
-- kind: always (before ringing), busy (every phone busy, or DND),
-- noanswer (rang after_s seconds, 0: the ring timeout), unregistered (no
-- phone registered). dest_type: extension (of the same tenant), number
-- (a number of the tenant's dialplan: a route or an extension), voicemail
-- (the mailbox of extension dest).
CREATE TABLE ext_forwards (
	ext_id INTEGER NOT NULL
		REFERENCES extensions(id) ON DELETE CASCADE,
	kind TEXT NOT NULL
		CHECK (kind IN ('always', 'busy', 'noanswer', 'unregistered')),
	dest_type TEXT NOT NULL
		CHECK (dest_type IN ('extension', 'number', 'voicemail')),
	dest TEXT NOT NULL,
	after_s INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (ext_id, kind)
) STRICT;

-- The feature codes are ordinary routes to the forward app, like *97 and
-- *98 (migration 0010), so an admin moves or deletes them like any other
-- route, and a tenant picks its own codes by adding routes of its own.
-- CODE alone asks for the number; CODE followed by a number sets it at
-- once (*721002); the OFF code cancels. Priority 50, before routes of the
-- default priority.
INSERT OR IGNORE INTO routes (tenant_id, priority, pattern, app, args)
	SELECT id, 50, p.pattern, 'forward', p.args FROM tenants,
	(SELECT '*72' AS pattern, 'always' AS args
	 UNION ALL SELECT '_*72.', 'always,${1}'
	 UNION ALL SELECT '*73', 'always,off'
	 UNION ALL SELECT '*90', 'busy'
	 UNION ALL SELECT '_*90.', 'busy,${1}'
	 UNION ALL SELECT '*91', 'busy,off'
	 UNION ALL SELECT '*52', 'noanswer'
	 UNION ALL SELECT '_*52.', 'noanswer,${1}'
	 UNION ALL SELECT '*53', 'noanswer,off'
	 UNION ALL SELECT '*54', 'unregistered'
	 UNION ALL SELECT '_*54.', 'unregistered,${1}'
	 UNION ALL SELECT '*55', 'unregistered,off'
	 UNION ALL SELECT '*78', 'dnd,on'
	 UNION ALL SELECT '*79', 'dnd,off') AS p;
-- SQLite fires the newest trigger first: 0010's trigger is made again
-- after this one so that a new tenant's *97 and *98 keep route ids below
-- these.
DROP TRIGGER tenants_vm_codes;
CREATE TRIGGER tenants_fwd_codes AFTER INSERT ON tenants
BEGIN
	INSERT INTO routes (tenant_id, priority, pattern, app, args)
		VALUES (NEW.id, 50, '*72', 'forward', 'always'),
		       (NEW.id, 50, '_*72.', 'forward', 'always,${1}'),
		       (NEW.id, 50, '*73', 'forward', 'always,off'),
		       (NEW.id, 50, '*90', 'forward', 'busy'),
		       (NEW.id, 50, '_*90.', 'forward', 'busy,${1}'),
		       (NEW.id, 50, '*91', 'forward', 'busy,off'),
		       (NEW.id, 50, '*52', 'forward', 'noanswer'),
		       (NEW.id, 50, '_*52.', 'forward', 'noanswer,${1}'),
		       (NEW.id, 50, '*53', 'forward', 'noanswer,off'),
		       (NEW.id, 50, '*54', 'forward', 'unregistered'),
		       (NEW.id, 50, '_*54.', 'forward', 'unregistered,${1}'),
		       (NEW.id, 50, '*55', 'forward', 'unregistered,off'),
		       (NEW.id, 50, '*78', 'forward', 'dnd,on'),
		       (NEW.id, 50, '*79', 'forward', 'dnd,off');
END;
CREATE TRIGGER tenants_vm_codes AFTER INSERT ON tenants
BEGIN
	INSERT INTO routes (tenant_id, priority, pattern, app, args)
		VALUES (NEW.id, 50, '*97', 'mailbox', ''),
		       (NEW.id, 50, '*98', 'mailbox', 'any');
END;
